import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreditsChangedError } from '../../functions/app/errors.js';
import { Decimal } from '../../functions/domain/decimal.js';
import { SELLER_ENV, startTestStack, type TestClock, type TestStack, testClock } from '../support/stack.js';
import { extractPdfText, plainSpaces } from '../unit/documents/pdf-text.js';

/**
 * Progressive (threshold) billing through the HTTP API on a real stack: plan $31 in arrears plus
 * $0.0002 per unit, threshold $200. 1M units → an interim invoice of $200; 2M units by the end of
 * the period → the period's invoice bills fees $431, credits $200, total $231.
 */

let stack: TestStack;
let clock: TestClock;
let seq = 0;
/** The example's interim invoice number (its final invoice credits it). */
let interimNumber = '';

async function ok(method: string, path: string, body?: unknown, status = 201) {
  const response = await stack.call(method, path, body);
  expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBe(status);
  return response.body;
}

/** `total` units for the customer at `time`, in four events (a sum meter over `units`). */
async function units(customer: string, total: number, time: string) {
  clock.set(time);
  const events = Array.from({ length: 4 }, () => ({
    specversion: '1.0',
    id: `${customer}-${seq++}`,
    source: 'test',
    type: 'work.done',
    subject: customer,
    time,
    data: { units: total / 4 },
  }));
  const response = await stack.call('POST', '/v1/events', events, {
    contentType: 'application/cloudevents-batch+json',
  });
  expect(response.body.accepted, JSON.stringify(response.body)).toBe(4);
}

async function customer(id: string, plan = 'metered') {
  await ok('POST', '/v1/customers', {
    id,
    name: `Customer ${id}`,
    email: `${id}@example.com`,
    currency: 'USD',
    timezone: 'UTC',
    // Outside the EU: no VAT, so totals equal the lines.
    address: { line1: '1 Main St', city: 'Austin', country: 'US' },
  });
  await ok('POST', '/v1/subscriptions', { id: `sub-${id}`, customer: id, plan, start_date: '2026-10-01' });
}

const check = (id: string, status = 200) =>
  ok('POST', `/v1/subscriptions/sub-${id}/threshold-check`, undefined, status);

async function invoicesOf(id: string) {
  return ((await ok('GET', `/v1/invoices?customer=${id}`, undefined, 200)).data as any[]).sort((a, b) =>
    a.issued_at.localeCompare(b.issued_at),
  );
}

async function closePeriod() {
  clock.set('2026-11-01T00:05:00Z');
  const result = await ok('POST', '/v1/billing-runs', { as_of: '2026-11-01T00:05:00Z' }, 200);
  expect(result.status, JSON.stringify(result)).toBe('succeeded');
}

beforeAll(async () => {
  clock = testClock('2026-10-01T00:00:00Z');
  stack = await startTestStack({ clock, env: { ...SELLER_ENV, BILLING_GRACE_MINUTES: '0' } });
  await ok('POST', '/v1/meters', {
    key: 'units',
    name: 'Units',
    event_type: 'work.done',
    aggregation: 'sum',
    value_property: 'units',
  });
  await ok('POST', '/v1/plans', {
    key: 'metered',
    name: 'Metered',
    currency: 'USD',
    interval: 'month',
    base_fee: { amount: '31.00', timing: 'in_arrears' },
    charges: [{ meter: 'units', display_name: 'Units', price: { model: 'per_unit', unit_price: '0.0002' } }],
    progressive_billing: { thresholds: [{ amount: '200.00' }] },
  });
  await ok('POST', '/v1/plans', {
    key: 'recurring',
    name: 'Recurring',
    currency: 'USD',
    interval: 'month',
    charges: [{ meter: 'units', display_name: 'Units', price: { model: 'per_unit', unit_price: '0.0002' } }],
    progressive_billing: { thresholds: [{ amount: '100.00' }, { amount: '150.00', recurring: true }] },
  });
  for (const id of ['example', 'racer', 'quiet', 'steps', 'refreshed'])
    await customer(id, id === 'steps' ? 'recurring' : 'metered');
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe('the progressive-billing example', () => {
  it('bills $200 early at 1M units, then fees $431, credit $200, total $231 at the close', async () => {
    await units('example', 1_000_000, '2026-10-05T10:00:00Z');
    const outcome = await check('example');
    expect(outcome).toMatchObject({ status: 'invoiced', level: 1, usage_amount: '200.00', created: true });

    const [interim] = await invoicesOf('example');
    interimNumber = interim.number;
    expect(interim).toMatchObject({
      id: outcome.invoice,
      number: outcome.invoice_number,
      kind: 'progressive',
      status: 'finalized',
      progressive: { index: 1, threshold: '200.00' },
      subtotal: '200.00',
      tax: '0.00',
      total: '200.00',
    });
    expect(interim.lines.map((l: any) => [l.kind, l.quantity, l.amount])).toEqual([['usage', '1000000', '200.00']]);
    expect(interim.notes[0]).toContain('Interim invoice');

    // A second million: no new threshold (200 is not recurring), nothing more billed early.
    await units('example', 1_000_000, '2026-10-20T10:00:00Z');
    expect(await check('example')).toMatchObject({ status: 'none', usage_amount: '400.00' });
    // The upcoming invoice reads as the close will bill it.
    const upcoming = await ok('GET', '/v1/customers/example/upcoming-invoice', undefined, 200);
    expect(upcoming.lines.map((l: any) => [l.kind, l.amount])).toEqual([
      ['base_fee', '31.00'],
      ['usage', '400.00'],
      ['progressive_credit', '-200.00'],
    ]);
    expect(upcoming.total).toBe('231.00');
  });
});

describe('exactly once per threshold', () => {
  it('racing checks (and the estimates refresh) write one interim invoice', async () => {
    await units('racer', 1_000_000, '2026-10-06T10:00:00Z');
    const outcomes = await Promise.all([
      stack.call('POST', '/v1/subscriptions/sub-racer/threshold-check'),
      stack.call('POST', '/v1/subscriptions/sub-racer/threshold-check'),
      stack.call('POST', '/v1/subscriptions/sub-racer/threshold-check'),
      stack.call('POST', '/v1/reports/upcoming/refresh'),
    ]);
    for (const response of outcomes) expect(response.status, JSON.stringify(response.body)).toBeLessThan(300);
    const invoiced = outcomes.slice(0, 3).map((r) => r.body);
    // Each check either wrote or found the one interim invoice, or found its level invoiced already.
    const ids = new Set(invoiced.filter((o) => o.status === 'invoiced').map((o) => o.invoice));
    expect(ids.size).toBeLessThanOrEqual(1);
    expect(invoiced.filter((o) => o.created === true).length).toBeLessThanOrEqual(1);
    const interims = (await invoicesOf('racer')).filter((i) => i.kind === 'progressive');
    expect(interims).toHaveLength(1);
    expect(interims[0]).toMatchObject({ total: '200.00' });
    // Run again later: the same answer, nothing new.
    expect(await check('racer')).toMatchObject({ status: 'none' });
    expect((await invoicesOf('racer')).filter((i) => i.kind === 'progressive')).toHaveLength(1);
  });

  it('a voided interim invoice is not issued again (409)', async () => {
    const [interim] = (await invoicesOf('racer')).filter((i) => i.kind === 'progressive');
    await ok('POST', `/v1/invoices/${interim.id}/void`, { reason: 'issued by mistake' }, 200);
    const reissue = await stack.call('POST', `/v1/invoices/${interim.id}/reissue`);
    expect(reissue.status, JSON.stringify(reissue.body)).toBe(409);
  });

  it('the scheduled estimates refresh issues the interim invoice by itself', async () => {
    await units('refreshed', 1_200_000, '2026-10-07T10:00:00Z');
    await ok('POST', '/v1/reports/upcoming/refresh', undefined, 200);
    const interims = (await invoicesOf('refreshed')).filter((i) => i.kind === 'progressive');
    expect(interims.map((i) => i.total)).toEqual(['240.00']);
  });

  it('a recurring threshold bills each new level less what was billed early', async () => {
    // Levels: 100, then every 150 beyond it (250, 400, ...).
    await units('steps', 600_000, '2026-10-03T10:00:00Z'); // $120 → level 1
    expect(await check('steps')).toMatchObject({ status: 'invoiced', level: 1 });
    await units('steps', 800_000, '2026-10-04T10:00:00Z'); // $280 → level 2
    expect(await check('steps')).toMatchObject({ status: 'invoiced', level: 2 });
    await units('steps', 1_000_000, '2026-10-05T10:00:00Z'); // $480 → level 3 (400)
    expect(await check('steps')).toMatchObject({ status: 'invoiced', level: 3 });
    const interims = (await invoicesOf('steps')).filter((i) => i.kind === 'progressive');
    expect(interims.map((i) => i.total)).toEqual(['120.00', '160.00', '200.00']);
    expect(interims[2].lines.map((l: any) => [l.kind, l.amount])).toEqual([
      ['usage', '480.00'],
      ['progressive_credit', '-120.00'],
      ['progressive_credit', '-160.00'],
    ]);
  });

  it('an interim invoice computed from a stale marker is refused in its transaction (nothing written)', async () => {
    const [first] = (await invoicesOf('steps')).filter((i) => i.kind === 'progressive');
    const stored = await stack.deps.invoices.get(first.id);
    const { number: _number, ...draft } = { ...stored, id: 'in_stale_progressive_marker' };
    const before = (await invoicesOf('steps')).length;
    await expect(
      stack.deps.invoices.finalize(draft, (n) => `STALE-${n}`, {
        couponsAfter: [],
        grantsDrawn: [],
        progressive: {
          subscriptionId: 'sub-steps',
          periodStart: stored.periodStart,
          previous: { index: 1, invoices: [] },
          index: 2,
          amount: stored.subtotal,
        },
      }),
    ).rejects.toBeInstanceOf(CreditsChangedError);
    expect((await invoicesOf('steps')).length).toBe(before);
    expect(await stack.deps.invoices.find('in_stale_progressive_marker')).toBeUndefined();
  });

  it('a period that never crosses its threshold has no interim invoice and no credit line', async () => {
    await units('quiet', 500_000, '2026-10-08T10:00:00Z');
    expect(await check('quiet')).toMatchObject({
      status: 'none',
      reason: 'no new threshold reached',
      usage_amount: '100.00',
    });
    await ok('POST', '/v1/reports/upcoming/refresh', undefined, 200);
    expect(await invoicesOf('quiet')).toEqual([]);
  });
});

describe('the close of the period', () => {
  it('bills fees $431, credits the $200 billed early, total $231', async () => {
    await closePeriod();
    const invoices = await invoicesOf('example');
    expect(invoices.map((i) => i.kind)).toEqual(['progressive', 'subscription']);
    const final = invoices[1];
    const fees = final.lines.filter((l: any) => l.kind !== 'progressive_credit');
    expect(fees.reduce((acc: Decimal, l: any) => acc.plus(l.amount), new Decimal(0)).toFixed(2)).toBe('431.00');
    expect(final.lines.map((l: any) => [l.kind, l.amount])).toEqual([
      ['base_fee', '31.00'],
      ['usage', '400.00'],
      ['progressive_credit', '-200.00'],
    ]);
    expect(final.lines[2]).toMatchObject({
      description: `Billed earlier this period: ${interimNumber}`,
      progressive_credit: { invoice_id: invoices[0].id, invoice_number: interimNumber, amount: '200.00' },
    });
    expect(final).toMatchObject({ subtotal: '231.00', tax: '0.00', total: '231.00', amount_due: '231.00' });
    const pdf = await fetch(`${stack.url}/v1/invoices/${final.id}/pdf`, {
      headers: { authorization: `Bearer ${stack.adminKey}` },
    });
    expect(pdf.status).toBe(200);
    const text = plainSpaces((await extractPdfText(Buffer.from(await pdf.arrayBuffer()))).text);
    expect(text).toContain(`Billed earlier this period: ${interimNumber}`);
    expect(text).toContain('-$200.00');
    // Interim numbers come from the same gapless series.
    expect(final.number > interimNumber).toBe(true);
  });

  it('a credit note on the final invoice takes back at most what it billed net of the early billing', async () => {
    const final = (await invoicesOf('example')).find((i) => i.kind === 'subscription');
    const tooMuch = await stack.call('POST', `/v1/invoices/${final.id}/credit-notes`, {
      lines: [{ line: 2, amount: '400.00' }],
      reason: 'goodwill',
      method: 'credit_balance',
    });
    expect(tooMuch.status, JSON.stringify(tooMuch.body)).toBe(422);
    expect(tooMuch.body.error.code).toBe('over_credit');
    const refused = await stack.call('POST', `/v1/invoices/${final.id}/credit-notes`, {
      lines: [{ line: 3, amount: '1.00' }],
      reason: 'the credit line',
      method: 'credit_balance',
    });
    expect(refused.status, JSON.stringify(refused.body)).toBe(422);
    const note = await ok('POST', `/v1/invoices/${final.id}/credit-notes`, {
      lines: [{ line: 2, amount: '200.00' }],
      reason: 'goodwill',
      method: 'credit_balance',
    });
    expect(note).toMatchObject({ subtotal: '200.00', total: '200.00' });
  });

  it('does not credit a voided interim invoice: the period bills its usage itself', async () => {
    const final = (await invoicesOf('racer')).find((i) => i.kind === 'subscription');
    expect(final.lines.map((l: any) => [l.kind, l.amount])).toEqual([
      ['base_fee', '31.00'],
      ['usage', '200.00'],
    ]);
    expect(final.total).toBe('231.00');
  });

  it('a period that never crossed its threshold has no credit line', async () => {
    const invoices = await invoicesOf('quiet');
    expect(invoices.map((i) => [i.kind, i.total])).toEqual([['subscription', '131.00']]);
    expect(invoices[0].lines.some((l: any) => l.kind === 'progressive_credit')).toBe(false);
  });

  it('credits every interim invoice of the period: $480 of usage, all billed early, leaves nothing', async () => {
    const final = (await invoicesOf('steps')).find((i) => i.kind === 'subscription');
    expect(final.lines.map((l: any) => [l.kind, l.amount])).toEqual([
      ['usage', '480.00'],
      ['progressive_credit', '-120.00'],
      ['progressive_credit', '-160.00'],
      ['progressive_credit', '-200.00'],
    ]);
    expect(final).toMatchObject({ subtotal: '0.00', total: '0.00', amount_due: '0.00' });
  });

  it('the next period starts afresh', async () => {
    expect(await check('example')).toMatchObject({ status: 'none', usage_amount: '0.00' });
  });
});

describe('hostile input', () => {
  it('answers 4xx, never 5xx, on the threshold-check route, and writes nothing', async () => {
    const before = (await ok('GET', '/v1/invoices', undefined, 200)).data.length;
    const ids = ['nope', '__proto__', 'constructor', '%00', '%E2%80%AE', '%ED%A0%80', 'a'.repeat(400)];
    for (const id of ids) {
      const response = await stack.call('POST', `/v1/subscriptions/${id}/threshold-check`);
      expect(response.status, `${id}: ${JSON.stringify(response.body)}`).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
    }
    const raws = [
      '{"__proto__":{"x":1}}',
      '{"constructor":{"prototype":1}}',
      '1e400',
      '9'.repeat(400),
      '"\\ud800"',
      '{"a":"\u0001"}',
      '[',
      'null',
    ];
    for (const raw of raws) {
      const response = await stack.call('POST', '/v1/subscriptions/sub-quiet/threshold-check', undefined, { raw });
      expect(response.status, `${raw}: ${JSON.stringify(response.body)}`).toBeLessThan(500);
    }
    expect((await ok('GET', '/v1/invoices', undefined, 200)).data.length).toBe(before);
  });

  it('refuses a bad progressive_billing on a plan with the field named, and stores no plan', async () => {
    const plan = (progressive: string) =>
      `{"key":"hostile","name":"H","currency":"USD","interval":"month","progressive_billing":${progressive}}`;
    const cases = [
      '{"thresholds":[{"amount":1e400}]}',
      `{"thresholds":[{"amount":"${'9'.repeat(400)}"}]}`,
      '{"thresholds":[{"amount":"200","__proto__":{"recurring":true}}]}',
      '{"thresholds":[{"amount":"200"}],"constructor":{"prototype":{}}}',
      '{"thresholds":[{"amount":"\\ud800"}]}',
      '{"thresholds":[{"amount":"2\\u000000"}]}',
      '{"thresholds":[{"amount":"200"},{"amount":"100"}]}',
      '{"thresholds":[{"amount":"-1"}]}',
      '{"thresholds":[{"amount":"0.001"}]}',
      '{"thresholds":[{"amount":200,"recurring":"true"}]}',
      '{"thresholds":{"0":{"amount":"200"}}}',
      '{"__proto__":{"thresholds":[]}}',
      '[]',
    ];
    for (const progressive of cases) {
      const response = await stack.call('POST', '/v1/plans', undefined, { raw: plan(progressive) });
      expect(response.status, `${progressive}: ${JSON.stringify(response.body)}`).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      const paths = (response.body.error.details as any[]).map((detail) => detail.path);
      expect(
        paths.some((p) => p.startsWith('/progressive_billing')),
        `${progressive}: ${JSON.stringify(paths)}`,
      ).toBe(true);
    }
    const versions = await stack.call('POST', '/v1/plans/metered/versions', undefined, {
      raw: '{"name":"M","currency":"USD","interval":"month","progressive_billing":{"thresholds":[{"amount":"1e400"}]}}',
    });
    expect(versions.status, JSON.stringify(versions.body)).toBeGreaterThanOrEqual(400);
    expect(versions.status).toBeLessThan(500);
    expect(versions.body.error.details[0].path).toBe('/progressive_billing/thresholds/0/amount');
    expect((await stack.call('GET', '/v1/plans/hostile')).status).toBe(404);
    expect((await ok('GET', '/v1/plans/metered', undefined, 200)).versions).toEqual([1]);
  });

  it("sends a plan's thresholds back as written", async () => {
    const plan = await ok('GET', '/v1/plans/recurring', undefined, 200);
    expect(plan.progressive_billing).toEqual({
      thresholds: [{ amount: '100.00' }, { amount: '150.00', recurring: true }],
    });
  });
});
