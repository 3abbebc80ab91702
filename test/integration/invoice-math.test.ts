import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SELLER_ENV, startTestStack, type TestClock, type TestStack, testClock } from '../support/stack.js';
import { extractPdfText, plainSpaces } from '../unit/documents/pdf-text.js';

/**
 * Coupons, credit grants and the tax rules through the HTTP API on a real stack: plan, customer,
 * events, coupon/grant, close, invoice totals to the cent.
 */

let stack: TestStack;
let clock: TestClock;
let seq = 0;

async function ok(method: string, path: string, body?: unknown, status = 201) {
  const response = await stack.call(method, path, body);
  expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBe(status);
  return response.body;
}

async function calls(customer: string, count: number, time: string) {
  const batch = Array.from({ length: count }, () => ({
    specversion: '1.0',
    id: `${customer}-${seq++}`,
    source: 'test',
    type: 'api.call',
    subject: customer,
    time,
  }));
  for (let i = 0; i < batch.length; i += 500) {
    const response = await stack.call('POST', '/v1/events', batch.slice(i, i + 500), {
      contentType: 'application/cloudevents-batch+json',
    });
    expect(response.body.accepted, JSON.stringify(response.body)).toBe(Math.min(500, batch.length - i));
  }
}

async function customer(id: string, fields: Record<string, unknown> = {}) {
  await ok('POST', '/v1/customers', {
    id,
    name: `Customer ${id}`,
    email: `${id}@example.com`,
    currency: 'USD',
    timezone: 'UTC',
    address: { line1: 'Main St 1', city: 'Berlin', country: 'DE' },
    ...fields,
  });
  await ok('POST', '/v1/subscriptions', { id: `sub-${id}`, customer: id, plan: 'flex', start_date: '2026-10-01' });
}

async function close(asOf: string) {
  clock.set(asOf);
  const run = await ok('POST', '/v1/billing-runs', { as_of: asOf }, 200);
  expect(run.status, JSON.stringify(run)).toBe('succeeded');
  return run;
}

async function invoicesOf(id: string) {
  return ((await ok('GET', `/v1/invoices?customer=${id}`, undefined, 200)).data as any[]).sort((a, b) =>
    a.period_start.localeCompare(b.period_start),
  );
}

const totalsOf = (invoice: any) => ({
  subtotal: invoice.subtotal,
  discount_total: invoice.discount_total,
  promotional_credits: invoice.promotional_credits,
  taxable_amount: invoice.taxable_amount,
  tax: invoice.tax,
  total: invoice.total,
  paid_credits: invoice.paid_credits,
  credits_applied: invoice.credits_applied,
  amount_due: invoice.amount_due,
});

beforeAll(async () => {
  clock = testClock('2026-10-01T00:00:00Z');
  stack = await startTestStack({ clock, env: SELLER_ENV });
  await ok('POST', '/v1/meters', { key: 'api', name: 'API calls', event_type: 'api.call', aggregation: 'count' });
  await ok('POST', '/v1/plans', {
    key: 'flex',
    name: 'Flex',
    currency: 'USD',
    interval: 'month',
    base_fee: { amount: '20.00', timing: 'in_arrears' },
    charges: [{ meter: 'api', display_name: 'API calls', price: { model: 'per_unit', unit_price: '0.10' } }],
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe('the invoice math at the close', () => {
  it("bills Flexprice's worked example to the cent: meter coupon, invoice coupon, 8.25% tax, wallet", async () => {
    // docs.flexprice.io/docs/invoices/calculation: $80 API calls + $20 flat fee; 25% off API calls; $10 off;
    // tax 8.25% on 70 = 5.78; $5 of prepaid credits → 70.78 owed.
    clock.set('2026-10-01T00:00:00Z');
    await customer('flex', { tax_rate: '8.25' });
    await ok('POST', '/v1/coupons', {
      code: 'TEN',
      name: '$10 off',
      type: 'fixed_amount',
      amount: '10',
      currency: 'USD',
      duration: 'forever',
    });
    await ok('POST', '/v1/coupons', {
      code: 'API25',
      name: '25% off API calls',
      type: 'percentage',
      percent: '25',
      duration: 'forever',
      applies_to: { meters: ['api'] },
    });
    await ok('POST', '/v1/customers/flex/coupons', { code: 'TEN' });
    clock.set('2026-10-01T00:00:01Z');
    await ok('POST', '/v1/customers/flex/coupons', { code: 'API25' });
    await ok('POST', '/v1/customers/flex/credit-grants', { name: 'Wallet', amount: '5', category: 'paid' });
    clock.set('2026-10-20T00:00:00Z');
    await calls('flex', 800, '2026-10-20T00:00:00Z');

    // The upcoming invoice already shows what the close will bill.
    const upcoming = await ok('GET', '/v1/customers/flex/upcoming-invoice', undefined, 200);
    expect(upcoming.amount_due).toBe('70.78');

    await close('2026-11-01T02:00:00Z');
    const [invoice] = await invoicesOf('flex');
    expect(totalsOf(invoice)).toEqual({
      subtotal: '100.00',
      discount_total: '30.00',
      promotional_credits: '0.00',
      taxable_amount: '70.00',
      tax: '5.78',
      total: '75.78',
      paid_credits: '5.00',
      credits_applied: '5.00',
      amount_due: '70.78',
    });
    expect(invoice.discounts).toEqual([
      { coupon: 'API25', name: '25% off API calls', amount: '20.00' },
      { coupon: 'TEN', name: '$10 off', amount: '10.00' },
    ]);
    expect(invoice.credits).toEqual([expect.objectContaining({ name: 'Wallet', category: 'paid', amount: '5.00' })]);
    expect(invoice.tax_breakdown).toEqual([
      { category: 'S', rate: '8.25', taxable_amount: '70.00', tax: '5.78', rule: 'customer_rate' },
    ]);
    // Each line's shares add up to the totals.
    const add = (field: string) =>
      invoice.lines.reduce((cents: number, line: any) => cents + Math.round(Number(line[field]) * 100), 0) / 100;
    expect([add('discount'), add('taxable_amount'), add('tax'), add('amount_due')]).toEqual([30, 70, 5.78, 70.78]);

    const credits = await ok('GET', '/v1/customers/flex/credits', undefined, 200);
    expect(credits).toMatchObject({ balance: '0.00', paid_balance: '0.00', ongoing_balance: '0.00' });
    expect(credits.grants[0].ledger.map((e: any) => [e.type, e.amount, e.invoice_number])).toEqual([
      ['granted', '5.00', undefined],
      ['consumed', '5.00', invoice.number],
    ]);

    // The PDF prints the discounts, the credits and the amount due.
    const response = await fetch(`${stack.url}/v1/invoices/${invoice.id}/pdf`, {
      headers: { authorization: `Bearer ${stack.adminKey}` },
    });
    const text = plainSpaces((await extractPdfText(Buffer.from(await response.arrayBuffer()))).text);
    for (const printed of [
      'Discount: 25% off API calls',
      '-$20.00',
      'Discount: $10 off',
      'VAT 8.25%',
      '$75.78',
      'Prepaid credits applied',
      '-$5.00',
      'Amount due',
      '$70.78',
    ])
      expect(text).toContain(printed);
  });

  it("carries a fixed coupon's remainder to the next invoice (Lago's once coupon), then stops", async () => {
    clock.set('2026-10-01T00:00:00Z');
    await customer('lago', { tax_exempt: true, tax_exempt_reason: 'non-profit' });
    await ok('POST', '/v1/coupons', {
      code: 'WELCOME100',
      name: 'Welcome',
      type: 'fixed_amount',
      amount: '100',
      currency: 'USD',
      duration: 'once',
    });
    await ok('POST', '/v1/customers/lago/coupons', { code: 'WELCOME100' });
    clock.set('2026-10-15T00:00:00Z');
    await calls('lago', 400, '2026-10-15T00:00:00Z'); // 20 base + 40 usage = 60
    await close('2026-11-01T02:00:00Z');
    clock.set('2026-11-15T00:00:00Z');
    await calls('lago', 500, '2026-11-15T00:00:00Z'); // 20 + 50 = 70
    await close('2026-12-01T02:00:00Z');
    clock.set('2026-12-15T00:00:00Z');
    await calls('lago', 100, '2026-12-15T00:00:00Z'); // 20 + 10 = 30
    await close('2027-01-01T02:00:00Z');

    const [october, november, december] = await invoicesOf('lago');
    expect([october, november, december].map((i) => [i.subtotal, i.discount_total, i.amount_due])).toEqual([
      ['60.00', '60.00', '0.00'],
      ['70.00', '40.00', '30.00'],
      ['30.00', '0.00', '30.00'],
    ]);
    expect(october.tax_breakdown).toEqual([
      {
        category: 'E',
        rate: '0',
        taxable_amount: '0.00',
        tax: '0.00',
        reason: 'Tax exempt: non-profit',
        rule: 'exempt',
      },
    ]);
    const [coupon] = (await ok('GET', '/v1/customers/lago/coupons', undefined, 200)).data;
    expect(coupon).toMatchObject({ code: 'WELCOME100', status: 'consumed', remaining_amount: '0' });
  });

  it('consumes promotional credits before tax and paid credits after, in priority order; expiry at the period edge is exact', async () => {
    clock.set('2026-10-01T00:00:00Z');
    await customer('credits');
    // Domestic (DE seller, DE address): 19%.
    await ok('POST', '/v1/customers/credits/credit-grants', {
      name: 'Launch promo',
      amount: '30',
      category: 'promotional',
      expires_at: '2026-11-01T00:00:00Z',
    });
    await ok('POST', '/v1/customers/credits/credit-grants', {
      name: 'Top-up B',
      amount: '50',
      category: 'paid',
      priority: 60,
    });
    await ok('POST', '/v1/customers/credits/credit-grants', {
      name: 'Top-up A',
      amount: '50',
      category: 'paid',
      priority: 10,
    });
    clock.set('2026-10-10T00:00:00Z');
    await calls('credits', 800, '2026-10-10T00:00:00Z'); // 20 + 80 = 100
    await close('2026-11-01T02:00:00Z');
    const [october] = await invoicesOf('credits');
    // 100 − 30 promo = 70 taxable; 19% = 13.30; total 83.30; A pays 50, B pays 33.30.
    expect(totalsOf(october)).toEqual({
      subtotal: '100.00',
      discount_total: '0.00',
      promotional_credits: '30.00',
      taxable_amount: '70.00',
      tax: '13.30',
      total: '83.30',
      paid_credits: '83.30',
      credits_applied: '113.30',
      amount_due: '0.00',
    });
    expect(october.credits.map((c: any) => [c.name, c.amount])).toEqual([
      ['Launch promo', '30.00'],
      ['Top-up A', '50.00'],
      ['Top-up B', '33.30'],
    ]);

    const credits = await ok('GET', '/v1/customers/credits/credits', undefined, 200);
    expect(credits.balance).toBe('16.70');
    const byName = Object.fromEntries(credits.grants.map((g: any) => [g.name, g]));
    expect(byName['Launch promo']).toMatchObject({ status: 'used_up', balance: '0.00', consumed: '30.00' });
    expect(byName['Top-up B']).toMatchObject({ status: 'active', balance: '16.70', consumed: '33.30' });
  });

  it('expires what is left of a grant at its expiry: the invoice of the period ending then uses it, the next does not', async () => {
    clock.set('2026-10-01T00:00:00Z');
    await customer('expiry', { tax_rate: '0' });
    await ok('POST', '/v1/customers/expiry/credit-grants', {
      name: 'October only',
      amount: '500',
      category: 'paid',
      expires_at: '2026-11-01T00:00:00Z',
    });
    clock.set('2026-10-10T00:00:00Z');
    await calls('expiry', 100, '2026-10-10T00:00:00Z'); // 20 + 10 = 30
    await close('2026-11-01T02:00:00Z');
    clock.set('2026-11-10T00:00:00Z');
    await calls('expiry', 100, '2026-11-10T00:00:00Z');
    await close('2026-12-01T02:00:00Z');
    const [october, november] = await invoicesOf('expiry');
    expect([october.paid_credits, october.amount_due]).toEqual(['30.00', '0.00']);
    expect([november.paid_credits, november.amount_due]).toEqual(['0.00', '30.00']);
    const [grant] = (await ok('GET', '/v1/customers/expiry/credits', undefined, 200)).grants;
    expect(grant).toMatchObject({ status: 'expired', balance: '0.00', consumed: '30.00', expired: '470.00' });
    expect(grant.ledger.map((e: any) => [e.type, e.amount])).toEqual([
      ['granted', '500.00'],
      ['consumed', '30.00'],
      ['expired', '470.00'],
    ]);
  });

  it('never spends a credit twice when two closes of the same period race', async () => {
    clock.set('2026-10-01T00:00:00Z');
    await customer('race', { tax_rate: '0' });
    await ok('POST', '/v1/customers/race/credit-grants', { name: 'Wallet', amount: '1000', category: 'paid' });
    clock.set('2026-10-10T00:00:00Z');
    await calls('race', 100, '2026-10-10T00:00:00Z');
    clock.set('2026-11-01T02:00:00Z');
    const runs = await Promise.all(
      ['2026-11-01T02:00:00Z', '2026-11-01T02:00:01Z', '2026-11-01T02:00:02Z'].map((asOf) =>
        stack.call('POST', '/v1/billing-runs', { as_of: asOf }),
      ),
    );
    for (const run of runs) expect(run.status, JSON.stringify(run.body)).toBe(200);
    const invoices = await invoicesOf('race');
    expect(invoices).toHaveLength(1);
    const [grant] = (await ok('GET', '/v1/customers/race/credits', undefined, 200)).grants;
    expect(grant).toMatchObject({ balance: '970.00', consumed: '30.00' });
    expect(grant.ledger.filter((e: any) => e.type === 'consumed')).toHaveLength(1);
  });

  it('gives the credits of a voided invoice back to their grant, once', async () => {
    const [invoice] = await invoicesOf('race');
    clock.set('2026-11-03T00:00:00Z');
    const voided = await stack.call('POST', `/v1/invoices/${invoice.id}/void`, { reason: 'billed in error' });
    expect(voided.status, JSON.stringify(voided.body)).toBe(200);
    expect((await stack.call('POST', `/v1/invoices/${invoice.id}/void`, { reason: 'again' })).status).toBe(409);
    const [grant] = (await ok('GET', '/v1/customers/race/credits', undefined, 200)).grants;
    expect(grant).toMatchObject({ balance: '1000.00', consumed: '0.00', status: 'active' });
    expect(grant.ledger.map((e: any) => [e.type, e.amount, e.invoice_number])).toEqual([
      ['granted', '1000.00', undefined],
      ['consumed', '30.00', invoice.number],
      ['restored', '30.00', invoice.number],
    ]);
  });

  it('follows the EU VAT rules per customer, and every 0% says why', async () => {
    clock.set('2026-10-01T00:00:00Z');
    const cases: Array<[string, Record<string, unknown>, string, string, string | undefined]> = [
      ['vat-de', {}, 'S', '19', undefined],
      ['vat-fr-consumer', { address: { line1: 'Rue 1', city: 'Paris', country: 'FR' } }, 'S', '20', undefined],
      [
        'vat-fr-business',
        { address: { line1: 'Rue 1', city: 'Paris', country: 'FR' }, tax_id: 'FR12345678901' },
        'AE',
        '0',
        'reverse_charge',
      ],
      ['vat-us', { address: { line1: '1 Main St', city: 'Austin', country: 'US' } }, 'O', '0', 'outside_eu'],
    ];
    for (const [id, fields] of cases) await customer(id, fields);
    clock.set('2026-10-10T00:00:00Z');
    for (const [id] of cases) await calls(id, 100, '2026-10-10T00:00:00Z');
    await close('2026-11-01T02:00:00Z');
    for (const [id, , category, rate, rule] of cases) {
      const [invoice] = await invoicesOf(id);
      const [row] = invoice.tax_breakdown;
      expect([row.category, row.rate], id).toEqual([category, rate]);
      expect(invoice.tax, id).toBe(rate === '0' ? '0.00' : (30 * Number(rate)) / 100 === 6 ? '6.00' : '5.70');
      if (rule) expect([row.rule, typeof row.reason], id).toEqual([rule, 'string']);
    }
  });
});

describe('coupons through the API', () => {
  it('refuses expired, exhausted, wrong-currency and repeated coupons, naming the reason', async () => {
    clock.set('2026-10-01T00:00:00Z');
    await customer('refusals');
    await customer('refusals-2');
    await ok('POST', '/v1/coupons', {
      code: 'OLD',
      name: 'Old',
      type: 'percentage',
      percent: '10',
      duration: 'once',
      redeem_by: '2026-09-30T23:59:59Z',
    });
    await ok('POST', '/v1/coupons', {
      code: 'ONE',
      name: 'One only',
      type: 'percentage',
      percent: '10',
      duration: 'once',
      max_redemptions: 1,
    });
    await ok('POST', '/v1/coupons', {
      code: 'EURO',
      name: 'Euro',
      type: 'fixed_amount',
      amount: '5',
      currency: 'EUR',
      duration: 'once',
    });
    const apply = (id: string, code: string) => stack.call('POST', `/v1/customers/${id}/coupons`, { code });
    const refusal = async (id: string, code: string) => {
      const response = await apply(id, code);
      return [response.status, response.body.error?.code];
    };
    expect(await refusal('refusals', 'OLD')).toEqual([422, 'coupon_expired']);
    expect(await refusal('refusals', 'EURO')).toEqual([422, 'coupon_currency_mismatch']);
    expect((await apply('refusals', 'ONE')).status).toBe(201);
    expect(await refusal('refusals', 'ONE')).toEqual([409, 'coupon_already_applied']);
    expect(await refusal('refusals-2', 'ONE')).toEqual([409, 'coupon_exhausted']);
    expect(await refusal('refusals', 'NOPE')).toEqual([404, 'not_found']);
    expect(await refusal('nobody', 'ONE')).toEqual([404, 'not_found']);
    expect((await ok('GET', '/v1/coupons/ONE', undefined, 200)).redemptions).toBe(1);
  });

  it('redeems a limited coupon exactly max_redemptions times under a race', async () => {
    clock.set('2026-10-01T00:00:00Z');
    const ids = Array.from({ length: 8 }, (_, i) => `racer-${i}`);
    for (const id of ids) await customer(id);
    await ok('POST', '/v1/coupons', {
      code: 'THREE',
      name: 'Three',
      type: 'percentage',
      percent: '5',
      duration: 'once',
      max_redemptions: 3,
    });
    const results = await Promise.all(
      ids.map((id) => stack.call('POST', `/v1/customers/${id}/coupons`, { code: 'THREE' })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(results.filter((r) => r.status !== 201).map((r) => r.body.error.code)).toEqual(
      Array(5).fill('coupon_exhausted'),
    );
    expect(statuses.filter((s) => s === 201)).toHaveLength(3);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    expect((await ok('GET', '/v1/coupons/THREE', undefined, 200)).redemptions).toBe(3);
  });

  it('simulates a coupon on one charge in the price simulator', async () => {
    const evaluation = await ok(
      'POST',
      '/v1/prices/evaluate',
      {
        currency: 'USD',
        price: { model: 'per_unit', unit_price: '0.10' },
        quantity: '800',
        coupon: 'API25',
        meter: 'api',
        plan: 'flex',
      },
      200,
    );
    expect(evaluation.coupon).toEqual({
      code: 'API25',
      name: '25% off API calls',
      applies: true,
      discount: '20.00',
      amount_after_discount: '60.00',
    });
    const elsewhere = await ok(
      'POST',
      '/v1/prices/evaluate',
      { currency: 'USD', price: { model: 'per_unit', unit_price: '0.10' }, quantity: '800', coupon: 'API25' },
      200,
    );
    expect(elsewhere.coupon).toMatchObject({ applies: false, discount: '0.00', amount_after_discount: '80.00' });
  });
});

describe('hostile input on the coupon and credit routes', () => {
  const snapshot = async () => ({
    coupons: (await ok('GET', '/v1/coupons', undefined, 200)).data,
    applied: (await ok('GET', '/v1/customers/hostile/coupons', undefined, 200)).data,
    credits: await ok('GET', '/v1/customers/hostile/credits', undefined, 200),
  });

  const couponBodies: Array<[string, unknown]> = [
    ['no body fields', {}],
    ['an array', []],
    ['code with a lone surrogate', { code: 'A\ud800', name: 'x', type: 'percentage', percent: '5', duration: 'once' }],
    ['code "constructor" as a type', { code: 'X1', name: 'x', type: 'constructor', percent: '5', duration: 'once' }],
    [
      'a control character in the name',
      { code: 'X2', name: 'a\u0007b', type: 'percentage', percent: '5', duration: 'once' },
    ],
    ['percent over 100', { code: 'X3', name: 'x', type: 'percentage', percent: '100.01', duration: 'once' }],
    ['percent 0', { code: 'X4', name: 'x', type: 'percentage', percent: '0', duration: 'once' }],
    ['percent as a huge number', { code: 'X5', name: 'x', type: 'percentage', percent: '1e400', duration: 'once' }],
    [
      'amount with 400 digits',
      { code: 'X6', name: 'x', type: 'fixed_amount', amount: '9'.repeat(400), currency: 'USD', duration: 'once' },
    ],
    [
      'amount below a cent',
      { code: 'X7', name: 'x', type: 'fixed_amount', amount: '0.001', currency: 'USD', duration: 'once' },
    ],
    [
      'amount negative',
      { code: 'X8', name: 'x', type: 'fixed_amount', amount: '-5', currency: 'USD', duration: 'once' },
    ],
    ['fixed without currency', { code: 'X9', name: 'x', type: 'fixed_amount', amount: '5', duration: 'once' }],
    ['repeating without periods', { code: 'XA', name: 'x', type: 'percentage', percent: '5', duration: 'repeating' }],
    [
      'periods as a string',
      { code: 'XB', name: 'x', type: 'percentage', percent: '5', duration: 'repeating', duration_periods: '3' },
    ],
    ['an unknown field', { code: 'XC', name: 'x', type: 'percentage', percent: '5', duration: 'once', extra: 1 }],
    [
      'a scope with a bad meter key',
      {
        code: 'XE',
        name: 'x',
        type: 'percentage',
        percent: '5',
        duration: 'once',
        applies_to: { meters: ['Bad Key'] },
      },
    ],
    [
      'redeem_by not an instant',
      { code: 'XF', name: 'x', type: 'percentage', percent: '5', duration: 'once', redeem_by: 'tomorrow' },
    ],
    [
      'max_redemptions 0',
      { code: 'XG', name: 'x', type: 'percentage', percent: '5', duration: 'once', max_redemptions: 0 },
    ],
  ];
  const grantBodies: Array<[string, unknown]> = [
    ['no fields', {}],
    ['amount 0', { name: 'x', amount: '0', category: 'paid' }],
    ['amount NaN', { name: 'x', amount: 'NaN', category: 'paid' }],
    ['amount as 1e400', { name: 'x', amount: '1e400', category: 'paid' }],
    ['amount as an object', { name: 'x', amount: { value: 5 }, category: 'paid' }],
    ['category constructor', { name: 'x', amount: '5', category: 'constructor' }],
    ['priority 0', { name: 'x', amount: '5', category: 'paid', priority: 0 }],
    ['priority 101', { name: 'x', amount: '5', category: 'paid', priority: 101 }],
    ['priority 1.5', { name: 'x', amount: '5', category: 'paid', priority: 1.5 }],
    [
      'expiry before effect',
      {
        name: 'x',
        amount: '5',
        category: 'paid',
        effective_at: '2026-10-02T00:00:00Z',
        expires_at: '2026-10-01T00:00:00Z',
      },
    ],
    ['a name with a lone surrogate', { name: '\udfff', amount: '5', category: 'paid' }],
    ['a name of 10,000 characters', { name: 'n'.repeat(10_000), amount: '5', category: 'paid' }],
    ['applies_to with an unknown field', { name: 'x', amount: '5', category: 'paid', applies_to: { plans: ['flex'] } }],
  ];

  it('answers 4xx naming the field, and changes nothing', async () => {
    clock.set('2026-10-01T00:00:00Z');
    await customer('hostile');
    const before = await snapshot();
    for (const [name, body] of couponBodies) {
      const response = await stack.call('POST', '/v1/coupons', body);
      expect(response.status, `${name}: ${JSON.stringify(response.body)}`).toBe(400);
      expect(response.body.error.code, name).toBe('validation_failed');
    }
    for (const [name, body] of grantBodies) {
      const response = await stack.call('POST', '/v1/customers/hostile/credit-grants', body);
      expect(response.status, `${name}: ${JSON.stringify(response.body)}`).toBe(400);
      expect(response.body.error.details?.[0]?.path ?? '', name).not.toBe(undefined);
    }
    for (const body of [
      {},
      { code: 42 },
      { code: 'constructor' },
      { code: '__proto__' },
      { code: 'x\u0000' },
      { code: 'a'.repeat(65) },
    ]) {
      const response = await stack.call('POST', '/v1/customers/hostile/coupons', body);
      expect(response.status, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
      expect(response.status, JSON.stringify(body)).toBeLessThan(500);
    }
    const raw = await stack.call('POST', '/v1/coupons', undefined, {
      raw: '{"__proto__": {"code": "P"}, "code": "P1", "name": "x", "type": "percentage", "percent": "5", "duration": "once"}',
    });
    expect(raw.status).toBe(400);
    const scope = await stack.call('POST', '/v1/coupons', undefined, {
      raw: '{"code": "P2", "name": "x", "type": "percentage", "percent": "5", "duration": "once", "applies_to": {"__proto__": ["a"]}}',
    });
    expect(scope.status).toBe(400);
    for (const path of [
      '/v1/customers/%00/credits',
      '/v1/coupons/%ED%A0%80',
      `/v1/customers/${'a'.repeat(300)}/coupons`,
    ]) {
      const response = await stack.call('GET', path);
      expect(response.status, path).toBeGreaterThanOrEqual(400);
      expect(response.status, path).toBeLessThan(500);
    }
    expect(await snapshot()).toEqual(before);
  });
});
