import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Decimal } from '../../functions/domain/decimal.js';
import { SELLER_ENV, startTestStack, type TestClock, type TestStack, testClock } from '../support/stack.js';
import { extractPdfText, plainSpaces } from '../unit/documents/pdf-text.js';

/**
 * Changing invoices through the HTTP API on a real stack: late usage re-rated on the next invoice,
 * drafts during the invoice grace period (late events counted into them, one-off lines added and
 * removed, finalized early), one-off charges, a void period issued again.
 */

let stack: TestStack;
let clock: TestClock;
let seq = 0;
/** Crash injection: the close throws after this step for this subscription. */
const faults = new Map<string, string>();

async function ok(method: string, path: string, body?: unknown, status = 201) {
  const response = await stack.call(method, path, body);
  expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBe(status);
  return response.body;
}

/** `count` events at `time`, received at `receivedAt` (default: live, at `time`). */
async function units(customer: string, count: number, time: string, receivedAt = time) {
  clock.set(receivedAt);
  const events = Array.from({ length: count }, () => ({
    specversion: '1.0',
    id: `${customer}-${seq++}`,
    source: 'test',
    type: 'unit.used',
    subject: customer,
    time,
  }));
  const response = await stack.call('POST', '/v1/events', events, {
    contentType: 'application/cloudevents-batch+json',
  });
  expect(response.body.accepted, JSON.stringify(response.body)).toBe(count);
}

async function customer(id: string, plan: string, fields: Record<string, unknown> = {}) {
  await ok('POST', '/v1/customers', {
    id,
    name: `Customer ${id}`,
    email: `${id}@example.com`,
    currency: 'USD',
    timezone: 'UTC',
    // Outside the EU: no VAT, so totals equal the lines.
    address: { line1: '1 Main St', city: 'Austin', country: 'US' },
    ...fields,
  });
  await ok('POST', '/v1/subscriptions', { id: `sub-${id}`, customer: id, plan, start_date: '2026-10-01' });
}

async function run(asOf: string) {
  clock.set(asOf);
  const result = await ok('POST', '/v1/billing-runs', { as_of: asOf }, 200);
  expect(result.status, JSON.stringify(result)).toBe('succeeded');
  return result;
}

async function pdfText(invoiceId: string): Promise<string> {
  const response = await fetch(`${stack.url}/v1/invoices/${invoiceId}/pdf`, {
    headers: { authorization: `Bearer ${stack.adminKey}` },
  });
  expect(response.status).toBe(200);
  return plainSpaces((await extractPdfText(Buffer.from(await response.arrayBuffer()))).text);
}

async function invoicesOf(id: string) {
  return ((await ok('GET', `/v1/invoices?customer=${id}`, undefined, 200)).data as any[]).sort(
    (a, b) => a.period_start.localeCompare(b.period_start) || a.issued_at.localeCompare(b.issued_at),
  );
}

const GRADUATED = {
  model: 'graduated',
  tiers: [
    { up_to: '10', unit_price: '2' },
    { up_to: '20', unit_price: '3' },
    { up_to: null, unit_price: '5' },
  ],
};

beforeAll(async () => {
  clock = testClock('2026-10-01T00:00:00Z');
  stack = await startTestStack({
    clock,
    env: { ...SELLER_ENV, BILLING_GRACE_MINUTES: '0' },
    archive: true,
    crashAfter: (step, subscriptionId) => {
      if (faults.get(subscriptionId) === step) throw new Error(`injected crash after ${step}`);
    },
  });
  await ok('POST', '/v1/meters', { key: 'units', name: 'Units', event_type: 'unit.used', aggregation: 'count' });
  await ok('POST', '/v1/plans', {
    key: 'tiers',
    name: 'Tiers',
    currency: 'USD',
    interval: 'month',
    charges: [{ meter: 'units', display_name: 'Units', price: GRADUATED }],
  });
  await ok('POST', '/v1/plans', {
    key: 'graced',
    name: 'Graced',
    currency: 'USD',
    interval: 'month',
    invoice_grace_hours: 48,
    base_fee: { amount: '10.00', timing: 'in_arrears' },
    charges: [{ meter: 'units', display_name: 'Units', price: { model: 'per_unit', unit_price: '1' } }],
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe('late usage', () => {
  it('re-rates the whole period on the next invoice: 15 units bill $35, 6 late ones make 21 units, $55, +$20', async () => {
    clock.set('2026-10-01T00:00:00Z');
    await customer('late', 'tiers');
    await units('late', 15, '2026-10-10T00:00:00Z');
    await run('2026-11-01T00:00:00Z');
    const [october] = await invoicesOf('late');
    expect(october.lines.map((l: any) => [l.kind, l.quantity, l.amount])).toEqual([['usage', '15', '35.00']]);

    // Six October events arrive after October was invoiced: accepted, not period_closed.
    await units('late', 6, '2026-10-31T12:00:00Z', '2026-11-03T00:00:00Z');
    await units('late', 4, '2026-11-05T00:00:00Z');
    await run('2026-12-01T00:00:00Z');
    const november = (await invoicesOf('late')).find((i) => i.period_start === '2026-11-01T00:00:00.000Z');
    expect(november.lines.map((l: any) => [l.kind, l.quantity, l.amount])).toEqual([
      ['usage', '4', '8.00'],
      ['adjustment', '6', '20.00'],
    ]);
    const adjustment = november.lines[1];
    expect(adjustment.adjustment).toMatchObject({
      invoice_id: october.id,
      invoice_number: october.number,
      meter: 'units',
      rerated: '55.00',
      invoiced: '35.00',
      rerated_quantity: '21',
      invoiced_quantity: '15',
    });
    expect(adjustment.description).toContain('re-rated: now 55.00, invoiced 35.00');
    expect(november.subtotal).toBe('28.00');

    // The PDF words the adjustment in the customer's language.
    const text = await pdfText(november.id);
    expect(text.replaceAll('\n', ' ')).toContain(
      'Units, period Oct 1, 2026 – Oct 31, 2026 re-rated: now $55.00, invoiced $35.00',
    );

    // Nothing late since: the December invoice carries no adjustment (the mark moved with November's).
    await run('2027-01-01T00:00:00Z');
    const december = (await invoicesOf('late')).find((i) => i.period_start === '2026-12-01T00:00:00.000Z');
    expect(december.lines.map((l: any) => l.kind)).toEqual(['usage']);
  });

  it('a plan with late_usage: reject still refuses events of an invoiced period', async () => {
    await ok('POST', '/v1/plans', {
      key: 'strict',
      name: 'Strict',
      currency: 'USD',
      interval: 'month',
      late_usage: 'reject',
      charges: [{ meter: 'units', price: GRADUATED }],
    });
    clock.set('2026-10-01T00:00:00Z');
    await customer('strict', 'strict');
    await units('strict', 3, '2026-10-10T00:00:00Z');
    await run('2026-11-01T00:00:00Z');
    clock.set('2026-11-02T00:00:00Z');
    const response = await stack.call('POST', '/v1/events', {
      specversion: '1.0',
      id: 'strict-late',
      source: 'test',
      type: 'unit.used',
      subject: 'strict',
      time: '2026-10-31T00:00:00Z',
    });
    expect(response.body.results[0].code, JSON.stringify(response.body)).toBe('period_closed');
  });
});

describe('conservation through late events and cancellations', () => {
  it('reconcile: accepted = invoiced + adjusted + awaiting adjustment + unbilled, before and after the adjusting close', async () => {
    clock.set('2026-10-01T00:00:00Z');
    await customer('conserve', 'tiers');
    await units('conserve', 15, '2026-10-10T00:00:00Z');
    await run('2026-11-01T00:00:00Z');
    // Six late October events, two October events cancelled, three November events.
    await units('conserve', 6, '2026-10-30T00:00:00Z', '2026-11-02T00:00:00Z');
    const first = seq - 21;
    for (const id of [`conserve-${first}`, `conserve-${first + 1}`]) {
      const cancelled = await stack.call('POST', '/v1/events/cancel', { source: 'test', id });
      expect(cancelled.body.status, JSON.stringify(cancelled.body)).toBe('cancelled');
    }
    await units('conserve', 3, '2026-11-10T00:00:00Z');
    const reconcile = async () => {
      // The archive trails the table by a moment: reconcile until the events agree.
      for (let attempt = 0; ; attempt++) {
        const report = await ok(
          'GET',
          '/v1/reconcile?customer=conserve&from=2026-10-01T00:00:00Z&to=2027-01-01T00:00:00Z',
          undefined,
          200,
        );
        if (report.mismatch_count === 0 || attempt > 50) return report;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    const before = await reconcile();
    expect(before.mismatch_count).toBe(0);
    expect(before.billing_balanced).toBe(true);
    expect(before.billing).toEqual([
      expect.objectContaining({
        meter: 'units',
        accepted: '22',
        invoiced: '15',
        adjusted: '0',
        awaiting_adjustment: '4',
        unbilled: '3',
        voided: '0',
        unsubscribed: '0',
      }),
    ]);
    await run('2026-12-01T00:00:00Z');
    const november = (await invoicesOf('conserve')).find((i) => i.period_start === '2026-11-01T00:00:00.000Z');
    // 19 October units: 10 × 2 + 9 × 3 = 47, billed 35 → +12.
    expect(november.lines.map((l: any) => [l.kind, l.quantity, l.amount])).toEqual([
      ['usage', '3', '6.00'],
      ['adjustment', '4', '12.00'],
    ]);
    const after = await reconcile();
    expect(after.billing[0]).toMatchObject({
      accepted: '22',
      invoiced: '18',
      adjusted: '4',
      awaiting_adjustment: '0',
      unbilled: '0',
    });
    expect(after.billing[0].periods.map((p: any) => [p.invoiced, p.adjusted, p.awaiting_adjustment])).toEqual([
      ['15', '4', '0'],
      ['3', '0', '0'],
    ]);
  });
});

describe('late usage that makes a period cheaper, and the customer balance', () => {
  it('credits the difference with a credit note to the balance, which the next invoice draws on', async () => {
    clock.set('2026-10-01T00:00:00Z');
    await customer('cheaper', 'tiers');
    await units('cheaper', 15, '2026-10-10T00:00:00Z');
    const first = seq - 15;
    await run('2026-11-01T00:00:00Z');
    const [october] = await invoicesOf('cheaper');
    expect(october.total).toBe('35.00');
    // Six October events cancelled after October was invoiced: 9 units, $18.
    clock.set('2026-11-02T00:00:00Z');
    const cancelled = await ok(
      'POST',
      '/v1/events/cancel',
      { events: Array.from({ length: 6 }, (_, i) => ({ source: 'test', id: `cheaper-${first + i}` })) },
      200,
    );
    expect(cancelled.cancelled).toBe(6);
    await units('cheaper', 3, '2026-11-10T00:00:00Z');
    await run('2026-12-01T00:00:00Z');
    await run('2026-12-01T00:00:00Z');

    const notes = (await ok('GET', `/v1/invoices/${october.id}/credit-notes`, undefined, 200)).data;
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ method: 'credit_balance', subtotal: '17.00', total: '17.00' });
    expect(notes[0].reason).toContain('re-rated: now 18.00, invoiced 35.00');
    const november = (await invoicesOf('cheaper')).find((i) => i.period_start === '2026-11-01T00:00:00.000Z');
    expect(november.lines.map((l: any) => l.kind)).toEqual(['usage']);
    expect(november).toMatchObject({ total: '6.00', balance_applied: '6.00', amount_due: '0.00' });
    const balance = await ok('GET', '/v1/customers/cheaper/balance', undefined, 200);
    expect(balance.balances).toEqual([{ currency: 'USD', amount: '11.00' }]);
    expect(balance.ledger.map((e: any) => [e.type, e.amount])).toEqual([
      ['credit_note', '17.00'],
      ['invoice', '-6.00'],
    ]);
    // The December invoice draws the rest; voiding it gives it back.
    await units('cheaper', 20, '2026-12-05T00:00:00Z');
    await run('2027-01-01T00:00:00Z');
    const december = (await invoicesOf('cheaper')).find((i) => i.period_start === '2026-12-01T00:00:00.000Z');
    expect(december).toMatchObject({ total: '50.00', balance_applied: '11.00', amount_due: '39.00' });
    await ok('POST', `/v1/invoices/${december.id}/void`, { reason: 'test' }, 200);
    expect((await ok('GET', '/v1/customers/cheaper/balance', undefined, 200)).balances).toEqual([
      { currency: 'USD', amount: '11.00' },
    ]);
  });

  it('a close that crashes after crediting late usage issues the credit note once when run again', async () => {
    clock.set('2026-10-01T00:00:00Z');
    await customer('crashy', 'tiers');
    await units('crashy', 12, '2026-10-10T00:00:00Z');
    const first = seq - 12;
    await run('2026-11-01T00:00:00Z');
    const [october] = await invoicesOf('crashy');
    expect(october.total).toBe('26.00');
    clock.set('2026-11-02T00:00:00Z');
    await ok(
      'POST',
      '/v1/events/cancel',
      { events: [0, 1, 2].map((i) => ({ source: 'test', id: `crashy-${first + i}` })) },
      200,
    );
    faults.set('sub-crashy', 'credits');
    clock.set('2026-12-01T00:00:00Z');
    const crashed = await ok('POST', '/v1/billing-runs', { as_of: '2026-12-01T00:00:00Z' }, 200);
    expect(crashed.results.find((r: any) => r.subscription_id === 'sub-crashy').status).toBe('failed');
    faults.delete('sub-crashy');
    await run('2026-12-01T00:00:00Z');
    // 9 units: $18, billed $26: one credit note of $8.00, drawn by the November invoice (no usage: $0).
    const notes = (await ok('GET', `/v1/invoices/${october.id}/credit-notes`, undefined, 200)).data;
    expect(notes.map((n: any) => n.total)).toEqual(['8.00']);
    const november = (await invoicesOf('crashy')).find((i) => i.period_start === '2026-11-01T00:00:00.000Z');
    expect(november).toMatchObject({ status: 'finalized', total: '0.00' });
    expect((await ok('GET', '/v1/customers/crashy/balance', undefined, 200)).balances).toEqual([
      { currency: 'USD', amount: '8.00' },
    ]);
    // Credit-note numbers stay gapless through the crash.
    const all = (await ok('GET', '/v1/credit-notes?limit=100', undefined, 200)).data as any[];
    for (const series of new Set(all.map((n) => n.number.slice(0, -6)))) {
      const numbers = all
        .filter((n) => n.number.startsWith(series))
        .map((n) => Number(n.number.slice(-6)))
        .sort((x, y) => x - y);
      expect(numbers, series).toEqual(numbers.map((_, i) => i + 1));
    }
  });

  it('a credit note and a close at once never spend the balance twice', async () => {
    clock.set('2026-10-01T00:00:00Z');
    await customer('racer', 'tiers');
    await units('racer', 10, '2026-10-10T00:00:00Z');
    await run('2026-11-01T00:00:00Z');
    const [october] = await invoicesOf('racer');
    expect(october.total).toBe('20.00');
    await units('racer', 5, '2026-11-10T00:00:00Z');
    clock.set('2026-12-01T00:00:00Z');
    const note = (amount: string) =>
      stack.call('POST', `/v1/invoices/${october.id}/credit-notes`, {
        reason: 'goodwill',
        method: 'credit_balance',
        lines: [{ line: 1, amount }],
      });
    const [a, b, c, closed] = await Promise.all([
      note('4.00'),
      note('4.00'),
      note('4.00'),
      stack.call('POST', '/v1/billing-runs', { as_of: '2026-12-01T00:00:00Z' }),
    ]);
    expect(closed.status).toBe(200);
    const issued = [a, b, c].filter((r) => r.status === 201);
    expect(issued).toHaveLength(3);
    const november = (await invoicesOf('racer')).find((i) => i.period_start === '2026-11-01T00:00:00.000Z');
    expect(november.total).toBe('10.00');
    const balance = await ok('GET', '/v1/customers/racer/balance', undefined, 200);
    const drawn = balance.ledger.filter((e: any) => e.type === 'invoice');
    // The invoice drew what was there when it was written, never more: the rest stays.
    expect(drawn.length).toBeLessThanOrEqual(1);
    const applied = november.balance_applied ?? '0.00';
    expect(drawn.map((e: any) => e.amount)).toEqual(applied === '0.00' ? [] : [`-${applied}`]);
    expect(balance.balances).toEqual([{ currency: 'USD', amount: new Decimal('12').minus(applied).toFixed(2) }]);
    expect(november.amount_due).toBe(new Decimal('10').minus(applied).toFixed(2));
  });
});

describe('percentage prices and cancellations', () => {
  it('a close right after a cancel never bills the cancelled payment, archived or not yet', async () => {
    clock.set('2026-10-01T00:00:00Z');
    await ok('POST', '/v1/meters', {
      key: 'paid',
      name: 'Payments',
      event_type: 'payment.made',
      aggregation: 'sum',
      value_property: 'amount',
    });
    await ok('POST', '/v1/plans', {
      key: 'fees',
      name: 'Fees',
      currency: 'USD',
      interval: 'month',
      charges: [{ meter: 'paid', price: { model: 'percentage', rate_percent: '10' } }],
    });
    const customers = ['pct1', 'pct2', 'pct3'];
    for (const id of customers) await customer(id, 'fees');
    clock.set('2026-10-31T23:00:00Z');
    for (const id of customers) {
      const payments = ['100.00', '50.00'].map((amount, i) => ({
        specversion: '1.0',
        id: `${id}-pay-${i}`,
        source: 'test',
        type: 'payment.made',
        subject: id,
        time: '2026-10-31T23:00:00Z',
        data: { amount },
      }));
      const response = await stack.call('POST', '/v1/events', payments, {
        contentType: 'application/cloudevents-batch+json',
      });
      expect(response.body.accepted).toBe(2);
    }
    // The payments are archived; then the 100.00 payment of each is cancelled and the period closed
    // before the stream delivers the cancellations to the archive.
    await stack.archive!.idle();
    stack.archive!.poller.pause();
    clock.set('2026-11-01T00:00:00Z');
    await Promise.all(
      customers.map((id) => ok('POST', '/v1/events/cancel', { source: 'test', id: `${id}-pay-0` }, 200)),
    );
    const result = await ok('POST', '/v1/billing-runs', { as_of: '2026-11-01T00:00:00Z' }, 200);
    stack.archive!.poller.resume();
    expect(
      result.results.filter((r: any) => customers.includes(r.subscription_id.slice(4))).map((r: any) => r.status),
    ).toEqual(['invoiced', 'invoiced', 'invoiced']);
    for (const id of customers) {
      const [invoice] = await invoicesOf(id);
      expect(
        invoice.lines.map((l: any) => [l.quantity, l.amount]),
        id,
      ).toEqual([['50', '5.00']]);
    }
  });
});

describe('clocks that disagree', () => {
  it('a cancel of an event received before its meter existed (by the clocks) answers 422, never 500', async () => {
    clock.set('2026-10-20T00:00:00Z');
    await ok('POST', '/v1/meters', { key: 'skew', name: 'Skew', event_type: 'skew.used', aggregation: 'count' });
    await ok('POST', '/v1/customers', { id: 'skewed', name: 'S', email: 's@example.com', currency: 'USD' });
    // Another instance whose clock is behind accepts an event "before" the meter was created.
    clock.set('2026-10-19T00:00:00Z');
    const event = {
      specversion: '1.0',
      id: 'skew-1',
      source: 'test',
      type: 'skew.used',
      subject: 'skewed',
      time: '2026-10-19T00:00:00Z',
    };
    expect((await ok('POST', '/v1/events', event, 200)).accepted).toBe(1);
    const response = await stack.call('POST', '/v1/events/cancel', { source: 'test', id: 'skew-1' });
    expect(response.status, JSON.stringify(response.body)).toBe(422);
    expect(response.body.error.code).toBe('not_cancellable');
  });
});

describe('drafts during the invoice grace period', () => {
  it('keeps the invoice a draft without a number, counts late events into it, edits one-off lines, finalizes early', async () => {
    clock.set('2026-10-01T00:00:00Z');
    await customer('grace', 'graced');
    await units('grace', 5, '2026-10-10T00:00:00Z');
    const first = await run('2026-11-01T01:00:00Z');
    const outcome = first.results.find((r: any) => r.subscription_id === 'sub-grace');
    expect(outcome.status).toBe('drafted');
    expect(first.summary.drafted).toBeGreaterThanOrEqual(1);

    const [draft] = await invoicesOf('grace');
    expect(draft).toMatchObject({ status: 'draft', number: '', grace_ends_at: '2026-11-03T00:00:00.000Z' });
    expect(draft.total).toBe('15.00');

    // A late event of October is still counted into the draft.
    await units('grace', 2, '2026-10-31T23:00:00Z', '2026-11-01T05:00:00Z');
    expect((await ok('GET', `/v1/invoices/${draft.id}`, undefined, 200)).total).toBe('17.00');

    // One-off lines: added, then one taken off again.
    const added = await ok('POST', `/v1/invoices/${draft.id}/lines`, {
      description: 'Onboarding workshop',
      quantity: '2',
      unit_amount: '150.00',
    });
    const setup = added.lines.find((l: any) => l.kind === 'one_off');
    expect(setup).toMatchObject({ description: 'Onboarding workshop', quantity: '2', amount: '300.00' });
    const second = await ok('POST', `/v1/invoices/${draft.id}/lines`, {
      description: 'Extra',
      quantity: '1',
      unit_amount: '9.99',
    });
    const extra = second.lines.find((l: any) => l.description === 'Extra');
    // Hostile lines change nothing.
    for (const body of [
      { description: 'x', quantity: '1', unit_amount: '1e400' },
      { description: 'x', quantity: '-1', unit_amount: '1' },
      { description: 'x', quantity: '1', unit_amount: '1', currency: 'EUR' },
      { description: '\u202e', quantity: '1', unit_amount: '1' },
      { description: 'x', quantity: '1', unit_amount: '1', tax_rate: 'NaN' },
      { description: 'x', quantity: '1', unit_amount: '1', __proto__: { x: 1 }, constructor: 'x' },
      [],
      'x',
    ]) {
      const response = await stack.call('POST', `/v1/invoices/${draft.id}/lines`, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
    }
    expect((await stack.call('DELETE', `/v1/invoices/${draft.id}/lines/ch_unknown`)).status).toBe(404);
    expect((await ok('GET', '/v1/customers/grace/charges', undefined, 200)).data).toHaveLength(2);
    const removed = await ok('DELETE', `/v1/invoices/${draft.id}/lines/${extra.charge}`, undefined, 200);
    expect(removed.lines.map((l: any) => l.kind)).toEqual(['base_fee', 'usage', 'one_off']);
    expect(removed.total).toBe('317.00');

    // The preview PDF says it is a draft.
    const text = await pdfText(draft.id);
    expect(text).toContain('DRAFT');
    expect(text).toContain('Onboarding workshop');

    // A draft cannot be voided, paid or credited yet.
    expect((await stack.call('POST', `/v1/invoices/${draft.id}/void`, { reason: 'x' })).status).toBe(409);

    // Another customer's period is finalized meanwhile: it takes the next number; the draft took none.
    const before = (await ok('GET', '/v1/invoices?status=finalized', undefined, 200)).data.length;
    clock.set('2026-11-02T00:00:00Z');
    const finalized = await ok('POST', `/v1/invoices/${draft.id}/finalize`, undefined, 200);
    expect(finalized.status).toBe('finalized');
    expect(finalized.number).toMatch(/^INV-2026-\d{6}$/);
    expect(finalized.total).toBe('317.00');
    expect((await ok('GET', '/v1/invoices?status=finalized', undefined, 200)).data.length).toBe(before + 1);
    const charges = (await ok('GET', '/v1/customers/grace/charges', undefined, 200)).data;
    expect(charges).toEqual([expect.objectContaining({ status: 'billed', invoice_id: draft.id })]);
    // Finalized: no more lines, no second finalization.
    expect((await stack.call('POST', `/v1/invoices/${draft.id}/finalize`)).status).toBe(409);
    expect(
      (
        await stack.call('POST', `/v1/invoices/${draft.id}/lines`, {
          description: 'x',
          quantity: '1',
          unit_amount: '1',
        })
      ).status,
    ).toBe(409);
  });

  it('finalizes a draft by itself when the grace period ends', async () => {
    clock.set('2026-10-01T00:00:00Z');
    await customer('grace2', 'graced', { invoice_grace_hours: 24 });
    await units('grace2', 1, '2026-10-10T00:00:00Z');
    await run('2026-11-01T00:30:00Z');
    expect((await invoicesOf('grace2'))[0].status).toBe('draft');
    await run('2026-11-02T00:00:00Z');
    const [invoice] = await invoicesOf('grace2');
    expect(invoice.status).toBe('finalized');
    expect(invoice.number).toMatch(/^INV-2026-\d{6}$/);
  });
});

describe('one-off charges', () => {
  it('bills a pending charge on the next invoice, with its own VAT rate', async () => {
    clock.set('2026-10-01T00:00:00Z');
    await customer('oneoff', 'tiers', { address: { line1: 'Hauptstr. 1', city: 'Berlin', country: 'DE' } });
    await units('oneoff', 1, '2026-10-05T00:00:00Z');
    const { charge } = await ok('POST', '/v1/customers/oneoff/charges', {
      description: 'Printed manual',
      quantity: '1',
      unit_amount: '10.00',
      tax_rate: '7',
    });
    expect(charge).toMatchObject({ status: 'pending', amount: '10.00', currency: 'USD', tax_rate: '7' });
    await run('2026-11-01T00:00:00Z');
    const [invoice] = await invoicesOf('oneoff');
    expect(invoice.lines.map((l: any) => [l.kind, l.amount, l.tax_rate, l.tax])).toEqual([
      ['usage', '2.00', '19', '0.38'],
      ['one_off', '10.00', '7', '0.70'],
    ]);
    expect(invoice.tax_breakdown.map((r: any) => [r.rate, r.taxable_amount, r.tax])).toEqual([
      ['19', '2.00', '0.38'],
      ['7', '10.00', '0.70'],
    ]);
    expect(invoice.total).toBe('13.08');
    const pdf = await pdfText(invoice.id);
    expect(pdf).toContain('VAT 7%');
    expect(pdf).toContain('VAT 19%');
  });

  it('invoices a charge at once with invoice_now, numbered in the same series', async () => {
    await ok('POST', '/v1/customers', { id: 'now', name: 'Now', email: 'now@example.com', currency: 'EUR' });
    const created = await ok('POST', '/v1/customers/now/charges', {
      description: 'Setup fee',
      quantity: '1',
      unit_amount: '499',
      invoice_now: true,
    });
    expect(created.charge.status).toBe('billed');
    expect(created.invoice).toMatchObject({
      kind: 'one_off',
      status: 'finalized',
      currency: 'EUR',
      subtotal: '499.00',
    });
    expect(created.invoice.number).toMatch(/^INV-\d{4}-\d{6}$/);
    expect(created.charge.invoice_id).toBe(created.invoice.id);
    // A billed charge cannot be removed.
    expect((await stack.call('DELETE', `/v1/customers/now/charges/${created.charge.id}`)).status).toBe(409);
  });

  it('refuses hostile input with 4xx naming the field, and stores nothing', async () => {
    await ok('POST', '/v1/customers', { id: 'hostile', name: 'H', email: 'h@example.com', currency: 'USD' });
    const bad: Array<[unknown, string]> = [
      [{ description: 'x', quantity: '1' }, 'unit_amount'],
      [{ description: 'x', quantity: true, unit_amount: '1' }, 'quantity'],
      [{ description: 'x', quantity: '0', unit_amount: '1' }, 'quantity'],
      [{ description: 'x', quantity: '-1', unit_amount: '1' }, 'quantity'],
      [{ description: 'x', quantity: '1', unit_amount: '-5' }, 'unit_amount'],
      [{ description: 'x', quantity: '1', unit_amount: '1e400' }, 'unit_amount'],
      [{ description: 'x', quantity: '99999999999', unit_amount: '99999999999' }, 'unit_amount'],
      [{ description: 'x', quantity: '1', unit_amount: '1', tax_rate: '101' }, 'tax_rate'],
      [{ description: 'x', quantity: '1', unit_amount: '1', currency: 'XXX' }, 'currency'],
      [{ description: 'a\u0000b', quantity: '1', unit_amount: '1' }, 'description'],
      [{ description: 'a\ud800b', quantity: '1', unit_amount: '1' }, 'description'],
      [{ description: '', quantity: '1', unit_amount: '1' }, 'description'],
      [{ description: 'x', quantity: '1', unit_amount: '1', constructor: 'x' }, 'constructor'],
      [{ description: 'x', quantity: '1', unit_amount: '1', invoice_now: 'yes' }, 'invoice_now'],
    ];
    for (const [body, field] of bad) {
      const response = await stack.call('POST', '/v1/customers/hostile/charges', body);
      expect(response.status, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
      expect(response.status, JSON.stringify(body)).toBeLessThan(500);
      expect(JSON.stringify(response.body), JSON.stringify(body)).toContain(field);
    }
    expect((await stack.call('POST', '/v1/customers/constructor/charges', bad[0]![0])).status).toBe(400);
    expect(
      (
        await stack.call('POST', '/v1/customers/__proto__/charges', {
          description: 'x',
          quantity: '1',
          unit_amount: '1',
        })
      ).status,
    ).toBe(404);
    expect((await ok('GET', '/v1/customers/hostile/charges', undefined, 200)).data).toEqual([]);
    for (const path of ['/v1/invoices/constructor/finalize', '/v1/invoices/__proto__/reissue']) {
      expect((await stack.call('POST', path)).status).toBe(404);
    }
    expect((await stack.call('DELETE', '/v1/customers/hostile/charges/constructor')).status).toBe(404);
  });
});

describe('a void period issued again', () => {
  it('rates the period again from the counters, with a new number, once', async () => {
    clock.set('2026-10-01T00:00:00Z');
    await customer('again', 'tiers');
    await units('again', 12, '2026-10-03T00:00:00Z');
    await run('2026-11-01T00:00:00Z');
    const [october] = await invoicesOf('again');
    expect(october.total).toBe('26.00');
    await units('again', 3, '2026-10-20T00:00:00Z', '2026-11-02T00:00:00Z');
    await ok('POST', `/v1/invoices/${october.id}/void`, { reason: 'wrong usage' }, 200);
    const reissued = await ok('POST', `/v1/invoices/${october.id}/reissue`);
    expect(reissued).toMatchObject({ kind: 'reissue', reissue_of: october.id, status: 'finalized' });
    expect(reissued.number).not.toBe(october.number);
    expect(reissued.lines.map((l: any) => [l.quantity, l.amount])).toEqual([['15', '35.00']]);
    expect(reissued.period_start).toBe(october.period_start);
    expect((await ok('POST', `/v1/invoices/${october.id}/reissue`)).id).toBe(reissued.id);
    expect((await ok('GET', `/v1/invoices/${october.id}`, undefined, 200)).reissued_as).toBe(reissued.id);
    // Only a void invoice is issued again.
    expect((await stack.call('POST', `/v1/invoices/${reissued.id}/reissue`)).status).toBe(409);
  });
});

describe('races', () => {
  it('a draft finalized twice at once and by a billing run at the same time gets one number', async () => {
    clock.set('2026-10-01T00:00:00Z');
    for (const id of ['race1', 'race2', 'race3']) {
      await customer(id, 'graced', { invoice_grace_hours: 72 });
      await units(id, 2, '2026-10-15T00:00:00Z');
    }
    await run('2026-11-01T00:00:00Z');
    const drafts = await Promise.all(['race1', 'race2', 'race3'].map(async (id) => (await invoicesOf(id))[0]));
    expect(drafts.map((d) => d.status)).toEqual(['draft', 'draft', 'draft']);
    clock.set('2026-11-04T00:00:00Z');
    const [a, b, c, d, runResult] = await Promise.all([
      stack.call('POST', `/v1/invoices/${drafts[0].id}/finalize`),
      stack.call('POST', `/v1/invoices/${drafts[0].id}/finalize`),
      stack.call('POST', `/v1/invoices/${drafts[1].id}/finalize`),
      stack.call('POST', `/v1/invoices/${drafts[1].id}/lines`, {
        description: 'Late add',
        quantity: '1',
        unit_amount: '5',
      }),
      stack.call('POST', '/v1/billing-runs', { as_of: '2026-11-04T00:00:00Z' }),
    ]);
    // Each call either did it or found it done (409 for the one that lost to a finalization).
    for (const response of [a, b, c, d]) expect([200, 201, 409]).toContain(response.status);
    expect(runResult.status).toBe(200);
    const after = await Promise.all(['race1', 'race2', 'race3'].map(async (id) => (await invoicesOf(id))[0]));
    expect(after.map((i) => i.status)).toEqual(['finalized', 'finalized', 'finalized']);
    for (const response of [a, b, c].filter((r) => r.status === 200)) {
      expect(after.map((i) => i.number)).toContain(response.body.number);
    }
    // A line added while the draft was finalized is on it, or still pending for the next invoice: never lost.
    const charges = (await ok('GET', '/v1/customers/race2/charges', undefined, 200)).data;
    if (d.status === 201) {
      expect(charges).toHaveLength(1);
      const onInvoice = after[1].lines.some((l: any) => l.kind === 'one_off');
      expect(charges[0].status).toBe(onInvoice ? 'billed' : 'pending');
    }
  });

  it('numbers stay gapless across drafts, one-off invoices, re-issues and races', async () => {
    const all = (await ok('GET', '/v1/invoices?limit=500', undefined, 200)).data as any[];
    expect(all.some((i) => i.status === 'draft')).toBe(false);
    const bySeries = new Map<string, number[]>();
    for (const invoice of all) {
      const [, series, sequence] = /^(.*-)(\d{6})$/.exec(invoice.number) ?? [];
      expect(series, invoice.id).toBeDefined();
      bySeries.set(series!, [...(bySeries.get(series!) ?? []), Number(sequence)]);
    }
    for (const [series, numbers] of bySeries) {
      const sorted = [...numbers].sort((x, y) => x - y);
      expect(sorted, series).toEqual(sorted.map((_, i) => i + 1));
    }
  });
});
