import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPayment } from '../../functions/domain/billing/payment.js';
import { Decimal } from '../../functions/domain/decimal.js';
import { SELLER_ENV, startTestStack, type TestClock, type TestStack, testClock } from '../support/stack.js';

/**
 * Accounts receivable aging on a real stack: invoices from a real close (2026-11-01), each customer with
 * its own payment terms so that, on 2027-03-01, each lands on a bucket's edge; a partly paid, a paid and
 * a void invoice; two currencies; a customer far east of UTC; the CSV; hostile query input.
 */
let stack: TestStack;
let clock: TestClock;
let seq = 0;

async function ok(method: string, path: string, body?: unknown, status = 201) {
  const response = await stack.call(method, path, body);
  expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBe(status);
  return response.body;
}

const report = (query = '') => ok('GET', `/v1/reports/receivables${query}`, undefined, 200);

/**
 * Issued 2026-11-01 (local), due 2026-11-01 + terms; on 2027-03-01 (120 days after the issue) that is
 * 120 − terms days overdue. Each invoice is (10.00 base fee + calls × 0.25) + 19 % VAT.
 */
const CUSTOMERS: Array<{
  id: string;
  terms: number;
  calls: number;
  currency?: 'EUR' | 'USD';
  timezone?: string;
  name?: string;
}> = [
  // 91 days overdue: 10.00 → 11.90. Its name would run as a formula in a spreadsheet.
  { id: 'c-over-90', terms: 29, calls: 0, name: '=HYPERLINK("http://evil.example","x"), Ltd' },
  { id: 'c-61-90', terms: 30, calls: 40 }, // 90 days: 20.00 → 23.80
  { id: 'c-31-60', terms: 60, calls: 80 }, // 60 days: 30.00 → 35.70
  { id: 'c-1-30', terms: 90, calls: 160 }, // 30 days: 50.00 → 59.50
  { id: 'c-1-day', terms: 119, calls: 4 }, // 1 day: 11.00 → 13.09
  { id: 'c-current', terms: 120, calls: 360 }, // 0 days: 100.00 → 119.00
  { id: 'c-partial', terms: 60, calls: 360 }, // 60 days: 119.00, 10.00 paid → 109.00
  { id: 'c-paid', terms: 29, calls: 0 },
  { id: 'c-void', terms: 29, calls: 0 },
  // Due 2026-12-01 in Kiritimati (UTC+14): on 2027-03-01T12:00Z it is already March 2nd there: 91 days.
  { id: 'c-kiritimati', terms: 30, calls: 0, timezone: 'Pacific/Kiritimati' },
  { id: 'u-over-90', terms: 29, calls: 0, currency: 'USD' }, // 11.90 USD
  { id: 'u-current', terms: 120, calls: 40, currency: 'USD' }, // 23.80 USD
];

const invoices: Record<string, any> = {};

beforeAll(async () => {
  clock = testClock('2026-10-01T00:00:00Z');
  stack = await startTestStack({ clock, env: SELLER_ENV });
  await ok('POST', '/v1/meters', { key: 'api', name: 'API calls', event_type: 'api.call', aggregation: 'count' });
  for (const currency of ['EUR', 'USD']) {
    await ok('POST', '/v1/plans', {
      key: `pro-${currency.toLowerCase()}`,
      name: `Pro ${currency}`,
      currency,
      interval: 'month',
      base_fee: { amount: '10.00', timing: 'in_arrears' },
      charges: [{ meter: 'api', display_name: 'API calls', price: { model: 'per_unit', unit_price: '0.25' } }],
    });
  }
  for (const customer of CUSTOMERS) {
    const currency = customer.currency ?? 'EUR';
    await ok('POST', '/v1/customers', {
      id: customer.id,
      name: customer.name ?? `Customer ${customer.id}`,
      email: `${customer.id}@example.com`,
      currency,
      timezone: customer.timezone ?? 'UTC',
      locale: 'en',
      tax_rate: '19',
      payment_terms_days: customer.terms,
    });
    await ok('POST', '/v1/subscriptions', {
      id: `sub-${customer.id}`,
      customer: customer.id,
      plan: `pro-${currency.toLowerCase()}`,
      start_date: '2026-10-01',
    });
  }
  clock.set('2026-10-20T12:00:00Z');
  const events = CUSTOMERS.flatMap(({ id, calls }) =>
    Array.from({ length: calls }, () => ({
      specversion: '1.0',
      id: `${id}-${seq++}`,
      source: 'receivables-test',
      type: 'api.call',
      subject: id,
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
  for (const { id } of CUSTOMERS) {
    const [invoice] = (await ok('GET', `/v1/invoices?customer=${id}`, undefined, 200)).data;
    expect(invoice.status).toBe('finalized');
    invoices[id] = invoice;
  }
  expect(invoices['c-over-90'].due_date).toBe('2026-11-30');
  expect(invoices['c-kiritimati'].due_date).toBe('2026-12-01');
  expect(invoices['c-current'].amount_due).toBe('119.00');
  expect(invoices['c-1-day'].amount_due).toBe('13.09');

  clock.set('2026-11-10T09:00:00Z');
  await ok(
    'POST',
    `/v1/invoices/${invoices['c-paid'].id}/mark-paid`,
    { paid_at: clock().toISOString(), reference: 'wire-1' },
    200,
  );
  await ok('POST', `/v1/invoices/${invoices['c-void'].id}/void`, { reason: 'issued in error' }, 200);
  await stack.deps.invoices.update(
    invoices['c-partial'].id,
    (invoice) =>
      applyPayment(invoice, {
        id: 'manual:ref1',
        source: 'manual',
        method: 'bank_transfer',
        amount: new Decimal('10'),
        currency: invoice.currency,
        reference: 'ref1',
        receivedAt: clock().toISOString(),
      }).invoice,
  );
  clock.set('2027-03-01T12:00:00Z');
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

const byCustomer = (body: any) =>
  Object.fromEntries(body.invoices.map((invoice: any) => [invoice.customer_id, invoice]));

describe('GET /v1/reports/receivables', () => {
  it('ages every open invoice by the stack clock, each on its bucket edge, in its own time zone', async () => {
    const body = await report();
    expect(body.as_of).toBe('2027-03-01T12:00:00.000Z');
    const rows = byCustomer(body);
    expect(
      Object.fromEntries(
        Object.entries(rows).map(([id, invoice]: [string, any]) => [id, [invoice.days_overdue, invoice.bucket]]),
      ),
    ).toEqual({
      'c-over-90': [91, 'days_over_90'],
      'c-kiritimati': [91, 'days_over_90'],
      'u-over-90': [91, 'days_over_90'],
      'c-61-90': [90, 'days_61_90'],
      'c-31-60': [60, 'days_31_60'],
      'c-partial': [60, 'days_31_60'],
      'c-1-30': [30, 'days_1_30'],
      'c-1-day': [1, 'days_1_30'],
      'c-current': [0, 'current'],
      'u-current': [0, 'current'],
    });
    // Most overdue first.
    const days = body.invoices.map((invoice: any) => invoice.days_overdue);
    expect(days).toEqual([...days].sort((a, b) => b - a));
    expect(rows['c-kiritimati']).toMatchObject({ due_date: '2026-12-01', timezone: 'Pacific/Kiritimati' });
  });

  it('sums exact amounts per currency, never mixing EUR and USD', async () => {
    const body = await report('?as_of=2027-03-01T12:00:00Z');
    expect(body.currencies).toEqual([
      {
        currency: 'EUR',
        count: 8,
        total: '383.89',
        current: '119.00',
        days_1_30: '72.59',
        days_31_60: '144.70',
        days_61_90: '23.80',
        days_over_90: '23.80',
      },
      {
        currency: 'USD',
        count: 2,
        total: '35.70',
        current: '23.80',
        days_1_30: '0.00',
        days_31_60: '0.00',
        days_61_90: '0.00',
        days_over_90: '11.90',
      },
    ]);
    const customers = Object.fromEntries(body.customers.map((c: any) => [`${c.currency}:${c.customer_id}`, c]));
    expect(Object.keys(customers)).toHaveLength(10);
    expect(customers['EUR:c-1-30']).toEqual({
      customer_id: 'c-1-30',
      customer_name: 'Customer c-1-30',
      currency: 'EUR',
      count: 1,
      total: '59.50',
      current: '0.00',
      days_1_30: '59.50',
      days_31_60: '0.00',
      days_61_90: '0.00',
      days_over_90: '0.00',
    });
    expect(customers['USD:u-over-90']).toMatchObject({ total: '11.90', days_over_90: '11.90' });
  });

  it('counts a partly paid invoice with its remainder only; paid and void invoices are absent', async () => {
    const body = await report();
    const rows = byCustomer(body);
    expect(rows['c-partial']).toMatchObject({
      id: invoices['c-partial'].id,
      number: invoices['c-partial'].number,
      currency: 'EUR',
      due_date: '2026-12-31',
      amount_due: '119.00',
      amount_paid: '10.00',
      amount_remaining: '109.00',
      payment_status: 'partially_paid',
    });
    expect(rows['c-current']).toMatchObject({
      amount_paid: '0.00',
      amount_remaining: '119.00',
      payment_status: 'pending',
    });
    expect(rows['c-paid']).toBeUndefined();
    expect(rows['c-void']).toBeUndefined();
    expect(body.customers.map((c: any) => c.customer_id)).not.toEqual(expect.arrayContaining(['c-paid']));
    expect(body.customers.map((c: any) => c.customer_id)).not.toEqual(expect.arrayContaining(['c-void']));
  });

  it('moves invoices to later buckets as the clock moves on', async () => {
    clock.set('2027-03-02T12:00:00Z');
    try {
      const rows = byCustomer(await report());
      expect(rows['c-current']).toMatchObject({ days_overdue: 1, bucket: 'days_1_30' });
      expect(rows['c-1-30']).toMatchObject({ days_overdue: 31, bucket: 'days_31_60' });
      expect(rows['c-31-60']).toMatchObject({ days_overdue: 61, bucket: 'days_61_90' });
      expect(rows['c-61-90']).toMatchObject({ days_overdue: 91, bucket: 'days_over_90' });
    } finally {
      clock.set('2027-03-01T12:00:00Z');
    }
  });

  it('reads an instant in each invoice time zone, and a date as that day everywhere', async () => {
    // 2026-12-01T09:59:59Z is still Dec 1st in Kiritimati (UTC+14); 10:00Z is Dec 2nd there.
    expect(byCustomer(await report('?as_of=2026-12-01T09:59:59Z'))['c-kiritimati']).toMatchObject({
      days_overdue: 0,
      bucket: 'current',
    });
    expect(byCustomer(await report('?as_of=2026-12-01T10:00:00Z'))['c-kiritimati']).toMatchObject({
      days_overdue: 1,
      bucket: 'days_1_30',
    });
    // With an offset: 2026-12-01T12:00:00-11:00 is 2026-12-01T23:00Z, Dec 2nd 13:00 in Kiritimati.
    expect(byCustomer(await report('?as_of=2026-12-01T12:00:00-11:00'))['c-kiritimati'].days_overdue).toBe(1);
    const byDate = await report('?as_of=2027-03-01');
    expect(byDate.as_of).toBe('2027-03-01');
    const rows = byCustomer(byDate);
    expect(rows['c-kiritimati'].days_overdue).toBe(90);
    expect(rows['c-61-90'].days_overdue).toBe(90);
  });

  it('filters by currency and by customer', async () => {
    const usd = await report('?currency=USD');
    expect(usd.currencies.map((c: any) => c.currency)).toEqual(['USD']);
    expect(usd.invoices.map((i: any) => i.customer_id).sort()).toEqual(['u-current', 'u-over-90']);
    const one = await report('?customer=c-partial');
    expect(one.invoices.map((i: any) => i.customer_id)).toEqual(['c-partial']);
    expect(one.currencies).toEqual([
      expect.objectContaining({ currency: 'EUR', total: '109.00', days_31_60: '109.00' }),
    ]);
    const none = await report('?customer=nobody&currency=EUR');
    expect(none).toEqual({ as_of: '2027-03-01T12:00:00.000Z', currencies: [], customers: [], invoices: [] });
    expect(await report('?customer=constructor')).toMatchObject({ currencies: [], invoices: [] });
  });

  it('serves one CSV row per customer and currency, formula-safe, as a download', async () => {
    const response = await fetch(`${stack.url}/v1/reports/receivables?format=csv&as_of=2027-03-01T12:00:00Z`, {
      headers: { authorization: `Bearer ${stack.adminKey}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="receivables-2027-03-01.csv"');
    const lines = (await response.text()).split('\r\n');
    expect(lines[0]).toBe(
      'customer_id,customer_name,currency,invoices,total,current,days_1_30,days_31_60,days_61_90,days_over_90',
    );
    expect(lines).toContain('c-1-30,Customer c-1-30,EUR,1,59.50,0.00,59.50,0.00,0.00,0.00');
    expect(lines).toContain('c-partial,Customer c-partial,EUR,1,109.00,0.00,0.00,109.00,0.00,0.00');
    expect(lines).toContain('u-over-90,Customer u-over-90,USD,1,11.90,0.00,0.00,0.00,0.00,11.90');
    expect(lines).toContain(
      'c-over-90,"\'=HYPERLINK(""http://evil.example"",""x""), Ltd",EUR,1,11.90,0.00,0.00,0.00,0.00,11.90',
    );
    expect(lines.filter((line) => line !== '')).toHaveLength(11);
    expect(lines.at(-1)).toBe('');
    const accept = await fetch(`${stack.url}/v1/reports/receivables?currency=USD`, {
      headers: { authorization: `Bearer ${stack.adminKey}`, accept: 'text/csv' },
    });
    expect((await accept.text()).split('\r\n').filter(Boolean)).toHaveLength(3);
  });

  it('answers hostile query input with 400 naming the field, never 5xx', async () => {
    const lone = '\uD800';
    const cases: Array<[string, string]> = [
      ['as_of=yesterday', 'as_of'],
      ['as_of=2026-02-30', 'as_of'],
      ['as_of=2026-13-01T00:00:00Z', 'as_of'],
      ['as_of=2026-11-01T00:00:00', 'as_of'],
      ['as_of=1e400', 'as_of'],
      [`as_of=${'9'.repeat(400)}`, 'as_of'],
      ['as_of=1969-12-31', 'as_of'],
      ['as_of=0001-01-01T00:00:00Z', 'as_of'],
      ['as_of=2026-11-01%00', 'as_of'],
      ['as_of=2026-11-01%0AT00:00:00Z', 'as_of'],
      [`as_of=${encodeURIComponent('2026-11-01')}${lone}`, 'as_of'],
      ['as_of=', 'as_of'],
      ['currency=eur', 'currency'],
      ['currency=XXX', 'currency'],
      ['currency=EUR%00', 'currency'],
      [`currency=${'9'.repeat(400)}`, 'currency'],
      [`currency=E${lone}`, 'currency'],
      ['customer=__proto__', 'customer'],
      ['customer=a%01b', 'customer'],
      [`customer=${'1'.repeat(400)}`, 'customer'],
      [`customer=x${lone}`, 'customer'],
      ['format=xml', 'format'],
      ['constructor=1', ''],
    ];
    for (const [query, field] of cases) {
      const response = await stack.call('GET', `/v1/reports/receivables?${query}`);
      expect(response.status, `${query}: ${JSON.stringify(response.body)}`).toBe(400);
      expect(response.body.error.code).toBe('validation_failed');
      if (field)
        expect(
          response.body.error.details.some((d: any) => d.path.includes(field)),
          `${query}: ${JSON.stringify(response.body)}`,
        ).toBe(true);
    }
  });

  it('never answers 5xx to odd query keys', async () => {
    for (const query of [
      '__proto__=1',
      '__proto__[as_of]=x',
      'constructor[prototype]=1',
      'as_of=2027-03-01&as_of=2027-03-02',
    ]) {
      const response = await stack.call('GET', `/v1/reports/receivables?${query}`);
      expect(response.status, `${query}: ${JSON.stringify(response.body)}`).toBeLessThan(500);
      expect(response.status === 200 || response.status === 400, query).toBe(true);
    }
    const repeated = await stack.call('GET', '/v1/reports/receivables?as_of=2027-03-01&as_of=2027-03-02');
    expect(repeated.status).toBe(400);
  });

  it('is for admin keys only', async () => {
    const anonymous = await stack.call('GET', '/v1/reports/receivables', undefined, { key: null });
    expect(anonymous.status).toBe(401);
  });
});
