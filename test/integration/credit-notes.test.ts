import { TransactionCanceledException, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { balanceDrawWrites } from '../../functions/adapters/dynamodb/credit-notes.js';
import { Decimal } from '../../functions/domain/decimal.js';
import type { StoredEmail } from '../../local/ses-local.js';
import { SELLER_ENV, startTestStack, type TestClock, type TestStack, testClock } from '../support/stack.js';
import { extractPdfText, plainSpaces } from '../unit/documents/pdf-text.js';

/**
 * Credit notes through the HTTP API on a real stack (DynamoDB Local, local SQS and SES): invoices from a
 * real close, partial notes with each method, the customer balance, races, void, hostile input, the PDF
 * and the email.
 */
let stack: TestStack;
let clock: TestClock;
let seq = 0;

async function ok(method: string, path: string, body?: unknown, status = 201) {
  const response = await stack.call(method, path, body);
  expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBe(status);
  return response.body;
}

const CUSTOMERS = ['c-bal', 'c-due', 'c-ref', 'c-race', 'c-void', 'c-hostile', 'c-mail'];
/** Each customer's invoice: line "usage" 90.00 (360 calls × 0.25) and line "base fee" 10.00, 19 % VAT. */
const invoices: Record<string, any> = {};

const usageLine = (invoice: any) => invoice.lines.findIndex((line: any) => line.kind === 'usage') + 1;
const baseLine = (invoice: any) => invoice.lines.findIndex((line: any) => line.kind === 'base_fee') + 1;
const creditNote = (invoiceId: string, body: unknown) =>
  stack.call('POST', `/v1/invoices/${invoiceId}/credit-notes`, body);

async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const emailsTo = async (address: string): Promise<StoredEmail[]> =>
  (await stack.delivery!.ses.emails()).filter((email) => email.destination.to.some((to) => to.includes(address)));

beforeAll(async () => {
  clock = testClock('2026-10-01T00:00:00Z');
  stack = await startTestStack({
    clock,
    env: { ...SELLER_ENV, BILLING_SENDER_EMAIL: 'billing@meterly.example' },
    delivery: { pollIntervalMs: 50, sweepIntervalSeconds: 0 },
  });
  await ok('POST', '/v1/meters', { key: 'api', name: 'API calls', event_type: 'api.call', aggregation: 'count' });
  await ok('POST', '/v1/plans', {
    key: 'pro',
    name: 'Pro',
    currency: 'EUR',
    interval: 'month',
    base_fee: { amount: '10.00', timing: 'in_arrears' },
    charges: [{ meter: 'api', display_name: 'API calls', price: { model: 'per_unit', unit_price: '0.25' } }],
  });
  for (const id of CUSTOMERS) {
    await ok('POST', '/v1/customers', {
      id,
      name: `Customer ${id}`,
      email: `${id}@example.com`,
      currency: 'EUR',
      timezone: 'Europe/Berlin',
      locale: id === 'c-void' ? 'de' : 'en',
      tax_rate: '19',
    });
    await ok('POST', '/v1/subscriptions', { id: `sub-${id}`, customer: id, plan: 'pro', start_date: '2026-10-01' });
  }
  clock.set('2026-10-20T12:00:00Z');
  const events = CUSTOMERS.flatMap((subject) =>
    Array.from({ length: 360 }, () => ({
      specversion: '1.0',
      id: `${subject}-${seq++}`,
      source: 'test',
      type: 'api.call',
      subject,
      time: '2026-10-15T10:00:00Z',
    })),
  );
  for (let i = 0; i < events.length; i += 500) {
    const response = await stack.call('POST', '/v1/events', events.slice(i, i + 500), {
      contentType: 'application/cloudevents-batch+json',
    });
    expect(response.status, JSON.stringify(response.body)).toBeLessThan(300);
  }
  clock.set('2026-11-01T02:00:00Z');
  const run = await ok('POST', '/v1/billing-runs', { as_of: '2026-11-01T02:00:00Z' }, 200);
  expect(run.status, JSON.stringify(run)).toBe('succeeded');
  for (const id of CUSTOMERS) {
    const [invoice] = (await ok('GET', `/v1/invoices?customer=${id}`, undefined, 200)).data;
    expect([invoice.subtotal, invoice.tax, invoice.total]).toEqual(['100.00', '19.00', '119.00']);
    invoices[id] = invoice;
  }
  clock.set('2026-11-03T09:00:00Z');
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

describe('credit notes', () => {
  it('credit_balance: partial notes with cumulative tax rounding add to the balance and its ledger', async () => {
    const invoice = invoices['c-bal'];
    const line = usageLine(invoice);
    const notes = [];
    for (const amount of ['33.33', '33.33']) {
      const response = await creditNote(invoice.id, {
        lines: [{ line, amount }],
        reason: 'Outage on Oct 15',
        method: 'credit_balance',
      });
      expect(response.status, JSON.stringify(response.body)).toBe(201);
      notes.push(response.body);
    }
    // line 90.00 / tax 17.10: round(17.10 × 33.33/90) = 6.33; round(17.10 × 66.66/90) = 12.67 → 6.34.
    expect(notes.map((n) => [n.subtotal, n.tax, n.total])).toEqual([
      ['33.33', '6.33', '39.66'],
      ['33.33', '6.34', '39.67'],
    ]);
    expect(notes[0].number).toMatch(/^CN-2026-\d{6}$/);
    expect(notes[0].invoice_number).toBe(invoice.number);
    const balance = await ok('GET', '/v1/customers/c-bal/balance', undefined, 200);
    expect(balance.balances).toEqual([{ currency: 'EUR', amount: '79.33' }]);
    expect(balance.ledger.map((e: any) => [e.type, e.amount, e.credit_note_number, e.invoice_number])).toEqual([
      ['credit_note', '39.66', notes[0].number, invoice.number],
      ['credit_note', '39.67', notes[1].number, invoice.number],
    ]);
    const after = await ok('GET', `/v1/invoices/${invoice.id}`, undefined, 200);
    expect(after.credited_total).toBe('79.33');
    expect(after.credit_notes.map((n: any) => n.number)).toEqual(notes.map((n) => n.number));
    expect(after.amount_due).toBe('119.00');
    const listed = await ok('GET', `/v1/invoices/${invoice.id}/credit-notes`, undefined, 200);
    expect(listed.data.map((n: any) => n.id)).toEqual(notes.map((n) => n.id));
    const byCustomer = await ok('GET', '/v1/credit-notes?customer=c-bal', undefined, 200);
    expect(byCustomer.data).toHaveLength(2);
    expect((await ok('GET', `/v1/credit-notes/${notes[1].id}`, undefined, 200)).total).toBe('39.67');
    // The rest of the line (23.34) takes exactly the rest of its tax (17.10 − 12.67 = 4.43).
    const last = await creditNote(invoice.id, { lines: [{ line, amount: '23.34' }], reason: 'rest', method: 'refund' });
    expect([last.body.subtotal, last.body.tax]).toEqual(['23.34', '4.43']);
    const over = await creditNote(invoice.id, { lines: [{ line, amount: '0.01' }], reason: 'x', method: 'refund' });
    expect(over.status).toBe(422);
    expect(over.body.error.details[0].path).toBe('/lines/0/amount');
  });

  it('reduce_amount_due lowers the amount due; a quantity credit is taxable × quantity / quantity', async () => {
    const invoice = invoices['c-due'];
    const response = await creditNote(invoice.id, {
      lines: [{ line: usageLine(invoice), quantity: '40' }],
      reason: 'Duplicate calls',
      method: 'reduce_amount_due',
    });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    // 90.00 × 40 / 360 = 10.00, tax 1.90.
    expect(response.body.lines).toEqual([
      expect.objectContaining({ quantity: '40', amount: '10.00', tax: '1.90', total: '11.90' }),
    ]);
    const after = await ok('GET', `/v1/invoices/${invoice.id}`, undefined, 200);
    expect([after.amount_due, after.credited_total, after.total]).toEqual(['107.10', '11.90', '119.00']);
    expect((await ok('GET', '/v1/customers/c-due/balance', undefined, 200)).balances).toEqual([]);
  });

  it('refund records the refund owed; a paid invoice refuses reduce_amount_due and cannot be voided', async () => {
    const invoice = invoices['c-ref'];
    await ok(
      'POST',
      `/v1/invoices/${invoice.id}/mark-paid`,
      { paid_at: '2026-11-02T10:00:00Z', reference: 'TX-1' },
      200,
    );
    const refused = await creditNote(invoice.id, {
      lines: [{ line: baseLine(invoice), amount: '10.00' }],
      reason: 'Goodwill',
      method: 'reduce_amount_due',
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/credit_balance or refund/);
    const refund = await creditNote(invoice.id, {
      lines: [{ line: baseLine(invoice), amount: '10.00' }],
      reason: 'Goodwill',
      method: 'refund',
    });
    expect(refund.status, JSON.stringify(refund.body)).toBe(201);
    expect(refund.body.refund).toEqual({ status: 'pending', amount: '11.90' });
    const voided = await stack.call('POST', `/v1/invoices/${invoice.id}/void`, { reason: 'wrong' });
    expect(voided.status).toBe(409);
    expect(voided.body.error.message).toMatch(/credit it instead/);
  });

  it('concurrent notes on one invoice never exceed it, and numbers stay gapless without duplicates', async () => {
    const invoice = invoices['c-race'];
    const line = usageLine(invoice);
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        creditNote(invoice.id, { lines: [{ line, amount: '20.00' }], reason: 'race', method: 'credit_balance' }),
      ),
    );
    const created = results.filter((r) => r.status === 201);
    expect(created).toHaveLength(4); // 4 × 20.00 of the line's 90.00
    for (const refused of results.filter((r) => r.status !== 201)) expect(refused.status).toBe(422);
    const after = await ok('GET', `/v1/invoices/${invoice.id}`, undefined, 200);
    expect(after.credited_total).toBe('95.20');
    const balance = await ok('GET', '/v1/customers/c-race/balance', undefined, 200);
    expect(balance.balances).toEqual([{ currency: 'EUR', amount: '95.20' }]);
    const all = (await ok('GET', '/v1/credit-notes?limit=500', undefined, 200)).data as any[];
    const sequence = all.map((n) => Number(n.number.slice('CN-2026-'.length))).sort((a, b) => a - b);
    expect(sequence).toEqual(Array.from({ length: sequence.length }, (_, i) => i + 1));
  });

  it('void issues a credit note for everything not yet credited, in the same transaction', async () => {
    const invoice = invoices['c-void'];
    const partial = await creditNote(invoice.id, {
      lines: [{ line: usageLine(invoice), amount: '30.00' }],
      reason: 'Teilgutschrift',
      method: 'credit_balance',
    });
    expect(partial.status).toBe(201);
    const voided = await ok('POST', `/v1/invoices/${invoice.id}/void`, { reason: 'Falscher Tarif' }, 200);
    expect(voided.status).toBe('void');
    expect(voided.credit_notes).toHaveLength(2);
    expect(voided.credited_total).toBe('119.00');
    const rest = await ok('GET', `/v1/credit-notes/${voided.credit_notes[1].id}`, undefined, 200);
    expect(rest).toMatchObject({ method: 'reduce_amount_due', reason: 'Falscher Tarif', void: true });
    expect([rest.subtotal, rest.tax, rest.total]).toEqual(['70.00', '13.30', '83.30']);
    const again = await creditNote(invoice.id, {
      lines: [{ line: baseLine(invoice), amount: '1.00' }],
      reason: 'x',
      method: 'refund',
    });
    expect(again.status).toBe(409);
    // The German credit note's email and its void notice both arrive.
    const emails = await eventually('the credit note emails and the void notice', async () => {
      const found = await emailsTo('c-void@example.com');
      const notes = found.filter((e) => e.subject.startsWith('Rechnungskorrektur'));
      return notes.length === 2 && found.some((e) => e.subject.endsWith('wurde storniert')) ? notes : undefined;
    });
    const restEmail = emails.find((e) => e.subject.includes(rest.number))!;
    expect(restEmail.subject).toBe(`Rechnungskorrektur ${rest.number} zur Rechnung ${invoice.number} von Meterly GmbH`);
    expect(restEmail.body.text).toContain(`mindern den offenen Betrag der Rechnung ${invoice.number}`);
    expect(restEmail.body.text).toContain('Grund: Falscher Tarif');
  });

  it('refuses hostile input with a 4xx and changes nothing', async () => {
    const invoice = invoices['c-hostile'];
    const snapshot = async () => ({
      invoice: await ok('GET', `/v1/invoices/${invoice.id}`, undefined, 200),
      notes: (await ok('GET', '/v1/credit-notes?limit=500', undefined, 200)).data,
      balance: await ok('GET', '/v1/customers/c-hostile/balance', undefined, 200),
    });
    const before = await snapshot();
    const good = { line: usageLine(invoice), amount: '1.00' };
    const bodies: unknown[] = [
      { lines: [{ ...good, amount: 1 }], reason: 5, method: 'refund' },
      { lines: [{ ...good, amount: '1e400' }], reason: 'x', method: 'refund' },
      { lines: [{ ...good, amount: '-1' }], reason: 'x', method: 'refund' },
      { lines: [{ ...good, amount: '0.001' }], reason: 'x', method: 'refund' },
      { lines: [{ ...good, amount: '0' }], reason: 'x', method: 'refund' },
      { lines: [{ ...good, amount: '1000.00' }], reason: 'x', method: 'refund' },
      { lines: [{ ...good }], reason: 'bad \ud800 text', method: 'refund' },
      { lines: [{ ...good }], reason: 'bell \u0007', method: 'refund' },
      { lines: [{ ...good }], reason: 'x', method: 'refund', extra: true },
      { lines: [{ ...good, extra: 1 }], reason: 'x', method: 'refund' },
      { lines: [{ ...good, line: 0 }], reason: 'x', method: 'refund' },
      { lines: [{ ...good, line: 999 }], reason: 'x', method: 'refund' },
      { lines: [{ ...good, line: 1.5 }], reason: 'x', method: 'refund' },
      { lines: [{ ...good, quantity: '1' }], reason: 'x', method: 'refund' },
      { lines: [good, good], reason: 'x', method: 'refund' },
      { lines: [], reason: 'x', method: 'refund' },
      { lines: [good], reason: 'x', method: 'cash' },
      { lines: [good], reason: '', method: 'refund' },
      { lines: 'all', reason: 'x', method: 'refund' },
      null,
      [],
    ];
    for (const body of bodies) {
      const response = await creditNote(invoice.id, body);
      expect(response.status, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
      expect(response.status, JSON.stringify(body)).toBeLessThan(500);
    }
    const unknown = await creditNote('constructor', { lines: [good], reason: 'x', method: 'refund' });
    expect(unknown.status).toBe(404);
    expect((await stack.call('GET', '/v1/credit-notes/constructor')).status).toBe(404);
    expect((await stack.call('GET', '/v1/invoices/__proto__/credit-notes')).status).toBe(404);
    expect(await snapshot()).toEqual(before);
  });

  it('balanceDrawWrites draws only at the version read and within the balance; a void gives the draw back', async () => {
    const invoice = invoices['c-hostile'];
    const added = await creditNote(invoice.id, {
      lines: [{ line: usageLine(invoice), amount: '30.00' }],
      reason: 'Goodwill',
      method: 'credit_balance',
    });
    expect(added.body.total).toBe('35.70');
    const store = stack.deps.creditNotes;
    const [balance] = await store.balances('c-hostile');
    expect(balance).toEqual({ currency: 'EUR', amount: '35.70', version: 1 });
    // The draw of a later invoice (here: recorded against this one, so its void gives it back).
    const draw = (version: number, drawn: string) =>
      stack.deps.dynamo.send(
        new TransactWriteItemsCommand({
          TransactItems: balanceDrawWrites(
            stack.config.tableName,
            'c-hostile',
            'EUR',
            { version, drawn: new Decimal(drawn) },
            {
              id: invoice.id,
              number: invoice.number,
              issuedAt: '2026-11-03T09:00:00.000Z',
            },
          ),
        }),
      );
    await expect(draw(0, '20.00')).rejects.toBeInstanceOf(TransactionCanceledException);
    await expect(draw(1, '35.71')).rejects.toBeInstanceOf(TransactionCanceledException);
    await draw(1, '20.00');
    expect(await store.balances('c-hostile')).toEqual([{ currency: 'EUR', amount: '15.70', version: 2 }]);
    await stack.deps.invoices.update(invoice.id, (current) => ({ ...current, balanceApplied: '20.00' }));
    clock.set('2026-11-03T10:00:00Z');
    await ok('POST', `/v1/invoices/${invoice.id}/void`, { reason: 'Cancelled' }, 200);
    const after = await ok('GET', '/v1/customers/c-hostile/balance', undefined, 200);
    expect(after.balances).toEqual([{ currency: 'EUR', amount: '35.70' }]);
    expect(after.ledger.map((e: any) => [e.type, e.amount])).toEqual([
      ['credit_note', '35.70'],
      ['invoice', '-20.00'],
      ['invoice_void', '20.00'],
    ]);
  });

  it('renders the PDF with the note and invoice numbers, and emails it through SES', async () => {
    const invoice = invoices['c-mail'];
    const response = await creditNote(invoice.id, {
      lines: [{ line: usageLine(invoice), amount: '45.00' }],
      reason: 'Service credit',
      method: 'credit_balance',
    });
    expect(response.status).toBe(201);
    const note = response.body;
    const pdf = await fetch(`${stack.url}/v1/credit-notes/${note.id}/pdf`, {
      headers: { authorization: `Bearer ${stack.adminKey}` },
    });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const { text } = await extractPdfText(Buffer.from(await pdf.arrayBuffer()));
    expect(text).toContain('Credit note');
    expect(text).toContain(note.number);
    expect(text).toContain(invoice.number);
    expect(plainSpaces(text)).toContain('€53.55');
    const email = await eventually('the credit note email', async () => {
      const found = (await emailsTo('c-mail@example.com')).find((e) => e.subject.includes(note.number));
      return found;
    });
    expect(email.subject).toBe(`Credit note ${note.number} for invoice ${invoice.number} from Meterly GmbH`);
    expect(email.body.text).toContain('has been added to your credit balance');
    expect(email.attachments[0]).toMatchObject({ filename: `${note.number}.pdf`, contentType: 'application/pdf' });
    const sent = await eventually('the note to be recorded sent', async () => {
      const stored = await ok('GET', `/v1/credit-notes/${note.id}`, undefined, 200);
      return stored.delivery.status === 'sent' ? stored : undefined;
    });
    expect(sent.delivery.message_id).toBeTruthy();
    // The invoice PDF lists its credit notes under the totals.
    const invoicePdf = await fetch(`${stack.url}/v1/invoices/${invoice.id}/pdf`, {
      headers: { authorization: `Bearer ${stack.adminKey}` },
    });
    const invoiceText = plainSpaces((await extractPdfText(Buffer.from(await invoicePdf.arrayBuffer()))).text);
    expect(invoiceText).toContain(`Credit note ${note.number}`);
    expect(invoiceText).toContain('-€53.55');
  });
  it('lowers the revenue counters by what the notes credited, and a void removes only the rest', async () => {
    const response = await ok(
      'GET',
      '/v1/reports/revenue?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z&group_by=customer',
      undefined,
      200,
    );
    const group = (customer: string) => response.groups.find((g: any) => g.key === customer);
    // c-bal: 119.00 − (39.66 + 39.67 + 27.77); c-due: 119.00 − 11.90 (reduce_amount_due).
    expect(group('c-bal')).toMatchObject({ subtotal: '10.00', tax: '1.90', total: '11.90', count: 1 });
    expect(group('c-due')).toMatchObject({ subtotal: '90.00', tax: '17.10', total: '107.10', count: 1 });
    // c-void: a partial note, then the void; counted in voids only, never below zero.
    expect(group('c-void')?.total ?? '0.00').toBe('0.00');
    expect(response.void_count).toBe(2);
  });
});
