import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDunning } from '../../functions/app/dunning.js';
import type { Invoice } from '../../functions/domain/invoice.js';
import { dunningDeps } from '../../functions/handlers/routes/dunning.js';
import type { StoredEmail } from '../../local/ses-local.js';
import { SELLER_ENV, startTestStack, type TestClock, type TestStack, testClock } from '../support/stack.js';
import { extractPdfText } from '../unit/documents/pdf-text.js';

/**
 * Dunning on a real stack (DynamoDB Local, local SQS and SES, the fake clock): invoices from a real
 * close, due 2026-11-15 (Berlin), dunned day by day through `POST /v1/dunning/runs`; reminder emails
 * in the local SES inbox; retries through a recording payment port; suspension and its lifting;
 * customer schedules; racing runs; hostile input.
 */
let stack: TestStack;
let clock: TestClock;
let seq = 0;
const SINGLE = 'application/cloudevents+json';
const BATCH = 'application/cloudevents-batch+json';

/** Every retry the payment port was asked for; it fails for d-de's invoice. */
const retries: Array<{ invoiceId: string; customerId: string; attempt: number }> = [];
const payments = {
  async retry(invoice: Invoice, attempt: number) {
    retries.push({ invoiceId: invoice.id, customerId: invoice.customerId, attempt });
    if (invoice.customerId === 'd-de') throw new Error('card declined');
  },
};

const CUSTOMERS: Record<string, { locale?: string; dunning?: unknown }> = {
  'd-en': {},
  'd-de': { locale: 'de' },
  'd-race': {},
  'd-susp': {
    dunning: {
      schedule: [
        { after_days: 3, action: 'reminder' },
        { after_days: 7, action: 'suspend' },
      ],
    },
  },
  'd-susp2': { dunning: { schedule: [{ after_days: 7, action: 'suspend' }] } },
  'd-off': { dunning: { enabled: false } },
  'd-own': { dunning: { schedule: [{ after_days: 2, action: 'notify' }] } },
  'd-noprov': { dunning: { schedule: [{ after_days: 1, action: 'retry' }] } },
  'd-sweep': { dunning: { schedule: [{ after_days: 4, action: 'reminder' }] } },
  'd-paid': { dunning: { schedule: [{ after_days: 4, action: 'reminder' }] } },
  'd-two': { dunning: { schedule: [{ after_days: 7, action: 'suspend' }] } },
  'd-late': { dunning: { enabled: false } },
};
/** d-two's second invoice: a one-off charge invoiced on November 2nd (due November 16th). */
let second: any;
const invoices: Record<string, any> = {};

async function ok(method: string, path: string, body?: unknown, status = 201) {
  const response = await stack.call(method, path, body);
  expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBe(status);
  return response.body;
}

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

/** The emails of a customer, once there are `count` of them. */
const emailsOf = (customer: string, count: number) =>
  eventually(`${count} emails to ${customer}`, async () => {
    const emails = await emailsTo(`${customer}@example.com`);
    return emails.length >= count ? emails : undefined;
  });

const dun = async () => ok('POST', '/v1/dunning/runs', undefined, 200);
const stepsOf = (run: any, customer: string) =>
  run.steps.filter((s: any) => s.customer === customer).map((s: any) => [s.action, s.after_days, s.status]);
const event = (subject: string) => ({
  specversion: '1.0',
  id: `e-${seq++}`,
  source: 'test',
  type: 'api.call',
  subject,
  time: clock().toISOString(),
});

beforeAll(async () => {
  clock = testClock('2026-10-01T00:00:00Z');
  stack = await startTestStack({
    clock,
    env: {
      ...SELLER_ENV,
      BILLING_SENDER_EMAIL: 'billing@meterly.example',
      BILLING_PAYMENT_ACCOUNT_HOLDER: 'Meterly GmbH',
      BILLING_PAYMENT_IBAN: 'DE89 3704 0044 0532 0130 00',
      BILLING_PAYMENT_BIC: 'COBADEFFXXX',
    },
    delivery: { pollIntervalMs: 50, sweepIntervalSeconds: 0 },
    dunningPayments: payments,
  });
  await ok('POST', '/v1/meters', { key: 'api', name: 'API calls', event_type: 'api.call', aggregation: 'count' });
  await ok('POST', '/v1/plans', {
    key: 'pro',
    name: 'Pro',
    currency: 'EUR',
    interval: 'month',
    base_fee: { amount: '100.00', timing: 'in_arrears' },
    charges: [{ meter: 'api', display_name: 'API calls', price: { model: 'per_unit', unit_price: '0.25' } }],
  });
  for (const [id, options] of Object.entries(CUSTOMERS)) {
    await ok('POST', '/v1/customers', {
      id,
      name: `Customer ${id}`,
      email: `${id}@example.com`,
      currency: 'EUR',
      timezone: 'Europe/Berlin',
      locale: options.locale ?? 'en',
      tax_rate: '19',
      ...(options.dunning ? { dunning: options.dunning } : {}),
    });
    await ok('POST', '/v1/subscriptions', { id: `sub-${id}`, customer: id, plan: 'pro', start_date: '2026-10-01' });
  }
  clock.set('2026-11-01T02:00:00Z');
  const run = await ok('POST', '/v1/billing-runs', { as_of: '2026-11-01T02:00:00Z' }, 200);
  expect(run.status, JSON.stringify(run)).toBe('succeeded');
  for (const id of Object.keys(CUSTOMERS)) {
    const [invoice] = (await ok('GET', `/v1/invoices?customer=${id}`, undefined, 200)).data;
    expect([invoice.total, invoice.due_date]).toEqual(['119.00', '2026-11-15']);
    invoices[id] = invoice;
    await emailsOf(id, 1); // the invoice itself
  }
  clock.set('2026-11-02T10:00:00Z');
  const charged = await ok('POST', '/v1/customers/d-two/charges', {
    description: 'Setup',
    quantity: '1',
    unit_amount: '50.00',
    invoice_now: true,
  });
  second = charged.invoice;
  expect(second.due_date).toBe('2026-11-16');
  await emailsOf('d-two', 2);
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

describe('dunning', () => {
  it('does nothing on the due date', async () => {
    clock.set('2026-11-15T22:59:00Z'); // 23:59 in Berlin
    const run = await dun();
    expect(run.steps).toEqual([]);
    expect(run.invoices).toBe(12);
  });

  it('records a retry as skipped without a payment provider', async () => {
    clock.set('2026-11-16T10:00:00Z');
    const deps = dunningDeps({ ...stack.deps, dunningPayments: undefined });
    const result = await runDunning({ ...deps, payments: undefined }, clock());
    expect(result.steps.map((s) => [s.customerId, s.action, s.status, s.detail])).toEqual([
      ['d-noprov', 'retry', 'skipped', 'no payment provider'],
    ]);
    const invoice = await ok('GET', `/v1/invoices/${invoices['d-noprov'].id}`, undefined, 200);
    expect(invoice.dunning.steps).toEqual([
      {
        step: 1,
        after_days: 1,
        action: 'retry',
        at: '2026-11-16T10:00:00.000Z',
        status: 'skipped',
        detail: 'no payment provider',
      },
    ]);
    expect(retries).toEqual([]);
  });

  it('sends one reminder 3 days after due, in English, with the amount, due date, bank details and the PDF', async () => {
    clock.set('2026-11-18T10:00:00Z');
    const run = await dun();
    expect(stepsOf(run, 'd-en')).toEqual([['reminder', 3, 'done']]);
    expect(stepsOf(run, 'd-susp')).toEqual([['reminder', 3, 'done']]);
    expect(stepsOf(run, 'd-own')).toEqual([['notify', 2, 'done']]);
    expect(stepsOf(run, 'd-off')).toEqual([]);
    expect(stepsOf(run, 'd-susp2')).toEqual([]);
    const invoice = invoices['d-en'];
    const emails = await emailsOf('d-en', 2);
    expect(emails).toHaveLength(2);
    const reminder = emails[1]!;
    expect(reminder.subject).toBe(`Payment reminder: invoice ${invoice.number} is 3 days overdue`);
    expect(reminder.body.text).toContain('€119.00');
    expect(reminder.body.text).toContain('Due date:         Nov 15, 2026');
    expect(reminder.body.text).toContain('DE89 3704 0044 0532 0130 00');
    expect(reminder.body.html).toContain(invoice.number);
    expect(reminder.attachments).toHaveLength(1);
    expect(reminder.attachments[0]).toMatchObject({
      filename: `${invoice.number}.pdf`,
      contentType: 'application/pdf',
    });
    const { text } = await extractPdfText(Buffer.from(reminder.attachments[0]!.content, 'base64'));
    expect(text).toContain(invoice.number);
    const stored = await eventually('the reminder recorded as sent', async () => {
      const current = await ok('GET', `/v1/invoices/${invoice.id}`, undefined, 200);
      return current.dunning.steps[0].email.status === 'sent' ? current : undefined;
    });
    expect(stored.dunning.steps[0]).toMatchObject({ step: 1, action: 'reminder', status: 'done' });
    expect(stored.dunning.steps[0].email.message_id).toBe(reminder.messageId);
  });

  it('writes the reminder in German for a German customer', async () => {
    const invoice = invoices['d-de'];
    const [, reminder] = await emailsOf('d-de', 2);
    expect(reminder!.subject).toBe(`Zahlungserinnerung: Rechnung ${invoice.number} ist seit 3 Tagen fällig`);
    expect(reminder!.body.text).toContain('119,00');
    expect(reminder!.body.text).toContain('Offener Betrag');
    expect(reminder!.body.html).toContain('lang="de"');
    expect(reminder!.attachments[0]?.filename).toBe(`${invoice.number}.pdf`);
  });

  it('sends the final notice of a customer’s own schedule', async () => {
    const [, notice] = await emailsOf('d-own', 2);
    expect(notice!.subject).toBe(`Final notice: invoice ${invoices['d-own'].number} is 3 days overdue`);
    expect(notice!.body.text).toContain('This is our final notice.');
  });

  it('does nothing more when run again the same day', async () => {
    await emailsOf('d-race', 2);
    await emailsOf('d-susp', 2);
    const again = await dun();
    expect(again.steps).toEqual([]);
    expect(await stack.deps.invoices.outbox()).toEqual([]);
    expect(await emailsTo('d-en@example.com')).toHaveLength(2);
  });

  it('delivers a reminder whose queue message was lost through the outbox sweep, but not once the invoice is paid', async () => {
    clock.set('2026-11-19T10:00:00Z');
    // A run without the queue: the reminders are owed (outbox) and recorded, but no message is sent.
    const deps = dunningDeps(stack.deps);
    const result = await runDunning({ ...deps, deliveryQueue: undefined }, clock());
    expect(result.steps.map((s) => [s.customerId, s.action, s.status]).sort()).toEqual([
      ['d-paid', 'reminder', 'done'],
      ['d-sweep', 'reminder', 'done'],
    ]);
    expect((await stack.deps.invoices.outbox()).map((e) => [e.kind, e.invoiceId]).sort()).toEqual(
      [
        ['reminder', `${invoices['d-paid'].id}~4:reminder`],
        ['reminder', `${invoices['d-sweep'].id}~4:reminder`],
      ].sort(),
    );
    await ok(
      'POST',
      `/v1/invoices/${invoices['d-paid'].id}/mark-paid`,
      { paid_at: clock().toISOString(), reference: 'paid-before-reminder' },
      200,
    );
    const swept = await stack.delivery!.sweep({ all: true });
    expect(swept).toMatchObject({ requeued: 1, cleared: 1 });
    const [, reminder] = await emailsOf('d-sweep', 2);
    expect(reminder!.subject).toBe(`Payment reminder: invoice ${invoices['d-sweep'].number} is 4 days overdue`);
    await eventually('the outbox emptied', async () =>
      (await stack.deps.invoices.outbox()).length === 0 ? true : undefined,
    );
    expect(await emailsTo('d-paid@example.com')).toHaveLength(1);
  });

  it('two racing runs on day 5 retry each invoice once (and record a failed retry as failed)', async () => {
    clock.set('2026-11-20T10:00:00Z');
    const runs = await Promise.all([dun(), dun(), dun()]);
    const steps = runs.flatMap((run) => run.steps).map((s: any) => [s.customer, s.action, s.after_days, s.status]);
    expect(steps.sort()).toEqual(
      [
        ['d-de', 'retry', 5, 'failed'],
        ['d-en', 'retry', 5, 'done'],
        ['d-race', 'retry', 5, 'done'],
      ].sort(),
    );
    expect(retries.map((r) => [r.customerId, r.attempt]).sort()).toEqual([
      ['d-de', 1],
      ['d-en', 1],
      ['d-race', 1],
    ]);
    const de = await ok('GET', `/v1/invoices/${invoices['d-de'].id}`, undefined, 200);
    expect(de.dunning.steps[1]).toMatchObject({
      action: 'retry',
      status: 'failed',
      detail: 'payment retry failed: card declined',
    });
  });

  it('suspends a customer whose schedule says so; its events are refused, others are not', async () => {
    clock.set('2026-11-22T10:00:00Z');
    const run = await dun();
    expect(stepsOf(run, 'd-susp')).toEqual([['suspend', 7, 'done']]);
    expect(stepsOf(run, 'd-susp2')).toEqual([['suspend', 7, 'done']]);
    expect(run.suspended.sort()).toEqual(['d-susp', 'd-susp2', 'd-two']);
    const customer = await ok('GET', '/v1/customers/d-susp', undefined, 200);
    expect(customer.suspended).toEqual({
      at: '2026-11-22T10:00:00.000Z',
      invoice: invoices['d-susp'].id,
      reason: `invoice ${invoices['d-susp'].number} is overdue (due 2026-11-15)`,
    });
    expect(customer.dunning).toEqual({
      enabled: true,
      custom: true,
      schedule: [
        { after_days: 3, action: 'reminder' },
        { after_days: 7, action: 'suspend' },
      ],
    });

    const single = await stack.call('POST', '/v1/events', event('d-susp'), { contentType: SINGLE });
    expect(single.status).toBe(403);
    expect(single.body.error.code).toBe('customer_suspended');
    const batch = await stack.call('POST', '/v1/events', [event('d-susp2'), event('d-en')], { contentType: BATCH });
    expect(batch.status).toBe(200);
    expect(batch.body.results.map((r: any) => [r.status, r.code])).toEqual([
      ['rejected', 'customer_suspended'],
      ['accepted', undefined],
    ]);
    expect((await stack.call('POST', '/v1/events', event('d-en'), { contentType: SINGLE })).status).toBe(200);
  });

  it('lifts a suspension by hand; a later run does not suspend again for the same invoice', async () => {
    const lifted = await ok('POST', '/v1/customers/d-susp/unsuspend', undefined, 200);
    expect(lifted.suspended).toBeUndefined();
    expect((await stack.call('POST', '/v1/events', event('d-susp'), { contentType: SINGLE })).status).toBe(200);
    clock.set('2026-11-25T10:00:00Z');
    const run = await dun();
    expect(stepsOf(run, 'd-susp')).toEqual([]);
    expect(run.suspended).toEqual([]);
    expect((await ok('GET', '/v1/customers/d-susp', undefined, 200)).suspended).toBeUndefined();
  });

  it('sends the reminders of days 10 and 20', async () => {
    clock.set('2026-11-25T10:00:00Z');
    await emailsOf('d-en', 3);
    clock.set('2026-12-05T10:00:00Z');
    const run = await dun();
    expect(stepsOf(run, 'd-en')).toEqual([['reminder', 20, 'done']]);
    const emails = await emailsOf('d-en', 4);
    expect(emails.map((e) => e.subject.replace(/INV-\S+/, 'N'))).toEqual([
      expect.stringContaining('Invoice'),
      'Payment reminder: invoice N is 3 days overdue',
      'Payment reminder: invoice N is 10 days overdue',
      'Payment reminder: invoice N is 20 days overdue',
    ]);
    const invoice = await ok('GET', `/v1/invoices/${invoices['d-en'].id}`, undefined, 200);
    expect(invoice.dunning.steps.map((s: any) => [s.step, s.action, s.after_days, s.status])).toEqual([
      [1, 'reminder', 3, 'done'],
      [2, 'retry', 5, 'done'],
      [3, 'reminder', 10, 'done'],
      [4, 'reminder', 20, 'done'],
    ]);
    // A customer with dunning off got nothing but its invoice.
    expect(await emailsTo('d-off@example.com')).toHaveLength(1);
    expect((await ok('GET', `/v1/invoices/${invoices['d-off'].id}`, undefined, 200)).dunning).toBeUndefined();
  });

  it('catches up once when dunning is switched on late: one email for the latest reminder, the earlier one skipped', async () => {
    const patched = await ok('PATCH', '/v1/customers/d-late', { dunning: { enabled: true } }, 200);
    expect(patched.dunning).toMatchObject({ enabled: true, custom: false });
    const run = await dun();
    expect(stepsOf(run, 'd-late')).toEqual([
      ['reminder', 3, 'skipped'],
      ['retry', 5, 'done'],
      ['reminder', 10, 'skipped'],
      ['reminder', 20, 'done'],
    ]);
    expect(retries.filter((r) => r.customerId === 'd-late').map((r) => r.attempt)).toEqual([1]);
    const [, reminder] = await emailsOf('d-late', 2);
    expect(reminder!.subject).toBe(`Payment reminder: invoice ${invoices['d-late'].number} is 20 days overdue`);
    const invoice = await ok('GET', `/v1/invoices/${invoices['d-late'].id}`, undefined, 200);
    expect(invoice.dunning.steps[0].detail).toBe('missed; superseded by step 4');
    expect((await dun()).steps).toEqual([]);
    expect(await emailsTo('d-late@example.com')).toHaveLength(2);
  });

  it('lifts the suspension once the invoice is paid, and dunns it no more', async () => {
    await ok(
      'POST',
      `/v1/invoices/${invoices['d-susp2'].id}/mark-paid`,
      { paid_at: clock().toISOString(), reference: 'bank-1' },
      200,
    );
    const run = await dun();
    expect(run.unsuspended).toEqual(['d-susp2']);
    expect((await ok('GET', '/v1/customers/d-susp2', undefined, 200)).suspended).toBeUndefined();
    expect((await stack.call('POST', '/v1/events', event('d-susp2'), { contentType: SINGLE })).status).toBe(200);
    clock.set('2027-01-15T10:00:00Z');
    const later = await dun();
    expect(stepsOf(later, 'd-susp2')).toEqual([]);
    expect(later.steps.some((s: any) => s.invoice === invoices['d-susp2'].id)).toBe(false);
  });

  it('keeps a customer suspended by its other overdue invoice when the one it named is paid, naming that one', async () => {
    const customer = await ok('GET', '/v1/customers/d-two', undefined, 200);
    expect(customer.suspended.invoice).toBe(invoices['d-two'].id);
    const owing = await ok('GET', `/v1/invoices/${second.id}`, undefined, 200);
    expect(owing.dunning.steps.map((s: any) => [s.action, s.status])).toEqual([['suspend', 'done']]);
    await ok(
      'POST',
      `/v1/invoices/${invoices['d-two'].id}/mark-paid`,
      { paid_at: clock().toISOString(), reference: 'bank-2' },
      200,
    );
    const run = await dun();
    expect(run.unsuspended).toEqual([]);
    const after = await ok('GET', '/v1/customers/d-two', undefined, 200);
    expect(after.suspended).toEqual({
      at: customer.suspended.at,
      invoice: second.id,
      reason: `invoice ${second.number} is overdue (due 2026-11-16)`,
    });
    expect((await stack.call('POST', '/v1/events', event('d-two'), { contentType: SINGLE })).status).toBe(403);
  });

  it('changes a customer’s dunning with PATCH, and null goes back to the default', async () => {
    const patched = await ok(
      'PATCH',
      '/v1/customers/d-off',
      { dunning: { schedule: [{ after_days: 40, action: 'notify' }] } },
      200,
    );
    expect(patched.dunning).toEqual({ enabled: true, custom: true, schedule: [{ after_days: 40, action: 'notify' }] });
    const reset = await ok('PATCH', '/v1/customers/d-off', { dunning: null }, 200);
    expect(reset.dunning).toEqual({
      enabled: true,
      custom: false,
      schedule: [
        { after_days: 3, action: 'reminder' },
        { after_days: 5, action: 'retry' },
        { after_days: 10, action: 'reminder' },
        { after_days: 20, action: 'reminder' },
        { after_days: 30, action: 'notify' },
      ],
    });
  });
});

describe('hostile input', () => {
  const bad: Array<[string, string]> = [
    ['wrong type', '{"dunning": {"enabled": "yes"}}'],
    ['days as a string', '{"dunning": {"schedule": [{"after_days": "3", "action": "reminder"}]}}'],
    ['1e400', '{"dunning": {"schedule": [{"after_days": 1e400, "action": "reminder"}]}}'],
    ['400 digits', `{"dunning": {"schedule": [{"after_days": ${'9'.repeat(400)}, "action": "reminder"}]}}`],
    ['fraction', '{"dunning": {"schedule": [{"after_days": 2.5, "action": "reminder"}]}}'],
    ['zero days', '{"dunning": {"schedule": [{"after_days": 0, "action": "reminder"}]}}'],
    ['unknown action', '{"dunning": {"schedule": [{"after_days": 3, "action": "explode"}]}}'],
    ['__proto__', '{"dunning": {"__proto__": {"enabled": false}, "enabled": true}}'],
    ['constructor', '{"dunning": {"schedule": [{"after_days": 3, "action": "reminder", "constructor": {}}]}}'],
    ['lone surrogate', '{"dunning": {"schedule": [{"after_days": 3, "action": "\\ud800"}]}}'],
    ['control character', '{"dunning": {"schedule": [{"after_days": 3, "action": "remin\\u0000der"}]}}'],
    [
      'final action not last',
      '{"dunning": {"schedule": [{"after_days": 3, "action": "suspend"}, {"after_days": 5, "action": "reminder"}]}}',
    ],
    [
      'out of order',
      '{"dunning": {"schedule": [{"after_days": 5, "action": "reminder"}, {"after_days": 3, "action": "retry"}]}}',
    ],
    [
      'twice',
      '{"dunning": {"schedule": [{"after_days": 5, "action": "reminder"}, {"after_days": 5, "action": "reminder"}]}}',
    ],
    [
      'too many steps',
      JSON.stringify({
        dunning: { schedule: Array.from({ length: 21 }, (_, i) => ({ after_days: i + 1, action: 'reminder' })) },
      }),
    ],
    ['not an object', '{"dunning": [1, 2]}'],
  ];

  it.each(bad)('PATCH refuses %s with a 4xx and changes nothing', async (_name, raw) => {
    const before = await ok('GET', '/v1/customers/d-en', undefined, 200);
    const response = await stack.call('PATCH', '/v1/customers/d-en', undefined, { raw });
    expect(response.status, JSON.stringify(response.body)).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.body.error.details[0].path).toMatch(/^\/dunning/);
    expect(await ok('GET', '/v1/customers/d-en', undefined, 200)).toEqual(before);
  });

  it.each(bad)('POST /v1/customers refuses %s and creates nothing', async (_name, raw) => {
    const id = `hostile-${seq++}`;
    // The same "dunning" value inside an otherwise valid customer.
    const text = JSON.stringify({ id, name: 'H', email: 'h@example.com', currency: 'EUR' }).replace(
      /}$/,
      `, "dunning": ${raw.slice(raw.indexOf(':') + 1, -1)}}`,
    );
    const response = await stack.call('POST', '/v1/customers', undefined, { raw: text });
    expect(response.status, JSON.stringify(response.body)).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect((await stack.call('GET', `/v1/customers/${id}`)).status).toBe(404);
  });

  it('refuses a body on the run route and unknown or hostile customers on unsuspend', async () => {
    const withBody = await stack.call('POST', '/v1/dunning/runs', undefined, { raw: '{"__proto__": {"x": 1}}' });
    expect(withBody.status).toBeLessThan(500);
    expect((await stack.call('POST', '/v1/customers/nobody/unsuspend')).status).toBe(404);
    for (const id of ['%ED%A0%80', '%00', 'a'.repeat(600), '..%2F..']) {
      const response = await stack.call('POST', `/v1/customers/${id}/unsuspend`);
      expect(response.status, `${id}: ${JSON.stringify(response.body)}`).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
    }
    expect((await stack.call('POST', '/v1/dunning/runs', undefined, { key: null })).status).toBe(401);
  });
});
