import { DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Decimal } from '../../functions/domain/decimal.js';
import { startTestStack, type TestClock, type TestStack, testClock } from '../support/stack.js';

let stack: TestStack;
let clock: TestClock;
/** subscription id → step after which the close crashes (every attempt, until cleared). */
const faults = new Map<string, 'seal' | 'invoice'>();

let seq = 0;
const event = (subject: string, type: string, time: string, data: Record<string, unknown> = {}) => ({
  specversion: '1.0',
  id: `${subject}-${seq++}`,
  source: 'lifecycle',
  type,
  subject,
  time,
  data,
});

async function ingest(batch: unknown[]) {
  const response = await stack.call('POST', '/v1/events', batch, { contentType: 'application/cloudevents-batch+json' });
  expect(
    response.body.rejected,
    JSON.stringify(response.body.results?.filter((r: any) => r.status === 'rejected')),
  ).toBe(0);
}

async function post(path: string, body: unknown, status = 201) {
  const response = await stack.call('POST', path, body);
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  return response.body;
}

async function run(asOf: string) {
  clock.set(asOf);
  return (await stack.call('POST', '/v1/billing-runs', { as_of: asOf })).body;
}

const invoicesOf = async (customer: string) =>
  ((await stack.call('GET', `/v1/invoices?customer=${customer}`)).body.data as any[]).reverse();
const customer = (id: string, timezone = 'UTC') =>
  post('/v1/customers', { id, name: id, email: `${id}@example.com`, currency: 'EUR', timezone });

beforeAll(async () => {
  clock = testClock('2026-11-01T00:00:00Z');
  stack = await startTestStack({
    clock,
    env: { BILLING_GRACE_MINUTES: '0' },
    crashAfter: (step, subscriptionId) => {
      if (faults.get(subscriptionId) === step) throw new Error(`injected crash after ${step}`);
    },
  });
  await post('/v1/meters', { key: 'api', name: 'API calls', event_type: 'api', aggregation: 'count' });
  await post('/v1/meters', {
    key: 'gb',
    name: 'Storage GB',
    event_type: 'storage',
    aggregation: 'sum',
    value_property: 'gb',
  });
  await post('/v1/meters', {
    key: 'kwh',
    name: 'Energy',
    event_type: 'energy',
    aggregation: 'sum',
    value_property: 'kwh',
  });
  await post('/v1/meters', { key: 'doomed', name: 'Doomed', event_type: 'doomed', aggregation: 'count' });
  await post('/v1/plans', {
    key: 'basic',
    name: 'Basic',
    currency: 'EUR',
    interval: 'month',
    base_fee: { amount: '30' },
    charges: [{ meter: 'api', price: { model: 'per_unit', unit_price: '0.10' } }],
  });
  await post('/v1/plans', {
    key: 'premium',
    name: 'Premium',
    currency: 'EUR',
    interval: 'month',
    base_fee: { amount: '60' },
    charges: [{ meter: 'api', price: { model: 'per_unit', unit_price: '0.05' } }],
  });
  await post('/v1/plans', {
    key: 'mix',
    name: 'Mix',
    currency: 'EUR',
    interval: 'month',
    base_fee: { amount: '12', timing: 'in_advance' },
    minimum_commitment: '100',
    charges: [
      {
        meter: 'api',
        price: {
          model: 'volume',
          tiers: [
            { up_to: '10', unit_price: '1' },
            { up_to: null, unit_price: '0.5', flat_fee: '2' },
          ],
        },
      },
      { meter: 'gb', price: { model: 'package', package_size: '10', package_price: '3', free_units: '5' } },
      {
        meter: 'kwh',
        price: {
          model: 'time_of_use',
          bands: [
            {
              name: 'peak',
              days: ['mon', 'tue', 'wed', 'thu', 'fri'],
              from: '08:00',
              to: '20:00',
              price: { model: 'per_unit', unit_price: '0.40' },
            },
          ],
          default_price: { model: 'per_unit', unit_price: '0.20' },
        },
      },
    ],
  });
  await post('/v1/plans', {
    key: 'fragile',
    name: 'Fragile',
    currency: 'EUR',
    interval: 'month',
    charges: [{ meter: 'doomed', price: { model: 'per_unit', unit_price: '1' } }],
  });
  for (const id of ['crash-seal', 'crash-invoice', 'changer', 'leaver', 'anchor31', 'fragile']) await customer(id);
  await customer('mixer', 'Europe/Berlin');
  for (const id of ['crash-seal', 'crash-invoice', 'changer', 'leaver'])
    await post('/v1/subscriptions', { id: `sub-${id}`, customer: id, plan: 'basic', start_date: '2026-11-01' });
  await post('/v1/subscriptions', {
    id: 'sub-anchor31',
    customer: 'anchor31',
    plan: 'basic',
    start_date: '2026-10-31',
  });
  await post('/v1/subscriptions', {
    id: 'sub-fragile',
    customer: 'fragile',
    plan: 'fragile',
    start_date: '2026-11-01',
  });
  await post('/v1/subscriptions', { id: 'sub-mixer', customer: 'mixer', plan: 'mix', start_date: '2026-11-01' });
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

describe('subscription lifecycle', () => {
  it('clamps a 31st anchor to the 30th and back to the 31st', async () => {
    const sub = (await stack.call('GET', '/v1/subscriptions/sub-anchor31')).body;
    expect(sub.current_period).toMatchObject({ start: '2026-10-31T00:00:00.000Z', end: '2026-11-30T00:00:00.000Z' });
  });

  it('refuses a second active subscription for one customer', async () => {
    const response = await stack.call('POST', '/v1/subscriptions', {
      customer: 'changer',
      plan: 'premium',
      start_date: '2026-11-01',
    });
    expect(response.status).toBe(409);
  });

  it('splits usage and base fee at a mid-period plan change, prorated', async () => {
    clock.set('2026-11-10T12:00:00Z');
    await ingest([event('changer', 'api', '2026-11-05T10:00:00Z'), event('changer', 'api', '2026-11-10T11:00:00Z')]);
    clock.set('2026-11-16T00:05:00Z');
    const changed = await post('/v1/subscriptions/sub-changer/change-plan', { plan: 'premium', at: 'now' }, 200);
    // The split falls on the 15-minute bucket that contains the change.
    expect(changed.current_period.end).toBe('2026-11-16T00:00:00.000Z');
    expect(changed.pending_change).toEqual({ plan: 'premium', plan_version: 1 });
    clock.set('2026-11-20T12:00:00Z');
    await ingest([event('changer', 'api', '2026-11-20T10:00:00Z')]);
  });

  it('cancels now: the period is cut, invoiced prorated, and the subscription ends', async () => {
    clock.set('2026-11-11T00:00:00Z');
    await ingest([event('leaver', 'api', '2026-11-03T10:00:00Z')]);
    const canceled = await post('/v1/subscriptions/sub-leaver/cancel', { at: 'now' }, 200);
    expect(canceled.current_period.end).toBe('2026-11-11T00:00:00.000Z');
    expect(canceled.ends_at).toBe('2026-11-11T00:00:00.000Z');
  });

  it('prices volume, package and time-of-use charges from the counters', async () => {
    clock.set('2026-11-20T12:00:00Z');
    const api = Array.from({ length: 12 }, () => event('mixer', 'api', '2026-11-04T09:00:00Z'));
    await ingest([
      ...api,
      event('mixer', 'storage', '2026-11-04T09:00:00Z', { gb: '7' }),
      event('mixer', 'storage', '2026-11-05T09:00:00Z', { gb: '19.5' }),
      // Wednesday Nov 4, Berlin is UTC+1: 07:00Z = 08:00 local (peak), 06:45Z = 07:45 local (off-peak); Saturday off-peak.
      event('mixer', 'energy', '2026-11-04T07:00:00Z', { kwh: '10' }),
      event('mixer', 'energy', '2026-11-04T06:45:00Z', { kwh: '10' }),
      event('mixer', 'energy', '2026-11-07T12:00:00Z', { kwh: '5' }),
    ]);
    const upcoming = (await stack.call('GET', '/v1/customers/mixer/upcoming-invoice')).body;
    const amounts = Object.fromEntries(
      upcoming.lines.filter((l: any) => l.kind === 'usage').map((l: any) => [l.meter, l.amount]),
    );
    // volume: 12 calls in tier 2 → 12 × 0.5 + 2 = 8; package: (26.5 - 5) / 10 → 3 packages × 3 = 9; kWh: 10 × 0.40 + 15 × 0.20 = 7
    expect(amounts).toEqual({ api: '8.00', gb: '9.00', kwh: '7.00' });
  });
});

describe('close with faults', () => {
  it('records a subscription that cannot be rated and closes the others', async () => {
    await stack.deps.dynamo.send(
      new DeleteItemCommand({ TableName: stack.config.tableName, Key: { PK: { S: 'METER' }, SK: { S: 'doomed' } } }),
    );
    faults.set('sub-crash-seal', 'seal');
    faults.set('sub-crash-invoice', 'invoice');
    const result = await run('2026-12-01T00:30:00Z');
    const byId = Object.fromEntries(result.results.map((r: any) => [r.subscription_id, r]));
    expect(byId['sub-fragile']).toMatchObject({ status: 'failed', code: 'rating_failed' });
    expect(byId['sub-fragile'].message).toContain("meter 'doomed'");
    // Not sealed: usage of the period that could not be rated is still taken.
    const late = await stack.call('POST', '/v1/events', [event('fragile', 'doomed', '2026-11-30T12:00:00Z')], {
      contentType: 'application/cloudevents-batch+json',
    });
    expect(late.body.results[0]).toMatchObject({ status: 'rejected', code: 'no_matching_meter' });
    expect(byId['sub-crash-seal']).toMatchObject({ status: 'failed' });
    expect(byId['sub-crash-seal'].cause).toContain('injected crash after seal');
    expect(byId['sub-crash-invoice']).toMatchObject({ status: 'failed' });
    for (const id of ['sub-changer', 'sub-leaver', 'sub-mixer']) expect(byId[id]?.status, id).toBe('invoiced');
    // the invoice of the crash after writing it exists already; the seal crash wrote none
    expect(await invoicesOf('crash-invoice')).toHaveLength(1);
    expect(await invoicesOf('crash-seal')).toHaveLength(0);
  });

  it('re-runs after the crashes: exactly one invoice per period, numbers without gaps', async () => {
    faults.clear();
    const first = await run('2026-12-01T01:00:00Z');
    const byId = Object.fromEntries(first.results.map((r: any) => [r.subscription_id, r]));
    expect(byId['sub-crash-seal'].status).toBe('invoiced');
    expect(byId['sub-crash-invoice']).toMatchObject({ status: 'invoiced' });
    await run('2026-12-01T01:00:00Z');
    expect(await invoicesOf('crash-invoice')).toHaveLength(1);
    expect(await invoicesOf('crash-seal')).toHaveLength(1);
    const all = (await stack.call('GET', '/v1/invoices?limit=500')).body.data as any[];
    const numbers = all.map((i) => Number(i.number.slice(-6))).sort((a, b) => a - b);
    expect(numbers).toEqual(numbers.map((_, i) => i + 1));
    expect(new Set(all.map((i) => `${i.subscription}|${i.period_start}`)).size).toBe(all.length);
  });

  it('invoiced the plan change as two prorated segments', async () => {
    const [november, rest] = await invoicesOf('changer');
    expect(november).toMatchObject({
      plan: 'basic',
      period_start: '2026-11-01T00:00:00.000Z',
      period_end: '2026-11-16T00:00:00.000Z',
    });
    expect(november.lines.map((l: any) => [l.kind, l.quantity, l.amount])).toEqual([
      ['base_fee', '0.5', '15.00'],
      ['usage', '2', '0.20'],
    ]);
    expect(rest).toMatchObject({
      plan: 'premium',
      period_start: '2026-11-16T00:00:00.000Z',
      period_end: '2026-12-01T00:00:00.000Z',
    });
    expect(rest.lines.map((l: any) => [l.kind, l.quantity, l.amount])).toEqual([
      ['base_fee', '0.5', '30.00'],
      ['usage', '1', '0.05'],
    ]);
  });

  it('invoiced the cancellation prorated and ended the subscription', async () => {
    const invoices = await invoicesOf('leaver');
    expect(invoices).toHaveLength(1);
    expect(invoices[0].lines.map((l: any) => [l.kind, l.amount])).toEqual([
      ['base_fee', '10.00'],
      ['usage', '0.10'],
    ]);
    expect((await stack.call('GET', '/v1/subscriptions/sub-leaver')).body.status).toBe('ended');
    expect(
      (await stack.call('POST', '/v1/subscriptions', { customer: 'leaver', plan: 'premium', start_date: '2026-12-01' }))
        .status,
    ).toBe(201);
  });

  it('charged the in-advance base fee for this and the next period, and trued up the minimum commitment', async () => {
    const [mixer] = await invoicesOf('mixer');
    const lines = mixer.lines.map((l: any) => [l.kind, l.amount]);
    expect(lines).toEqual([
      ['base_fee', '12.00'],
      ['base_fee', '12.00'],
      ['usage', '8.00'],
      ['usage', '9.00'],
      ['usage', '7.00'],
      ['minimum_commitment', '52.00'],
    ]);
    expect(mixer.total).toBe('100.00');
  });

  it('keeps issued invoices when a plan gets a new version', async () => {
    const [before] = await invoicesOf('crash-seal');
    await post('/v1/plans/basic/versions', {
      name: 'Basic',
      currency: 'EUR',
      interval: 'month',
      base_fee: { amount: '35' },
      charges: [{ meter: 'api', price: { model: 'per_unit', unit_price: '0.12' } }],
    });
    const after = (await stack.call('GET', `/v1/invoices/${before.id}`)).body;
    expect(after).toEqual(before);
    expect(after.plan_version).toBe(1);
    const plan = (await stack.call('GET', '/v1/plans/basic')).body;
    expect(plan.versions).toEqual([1, 2]);
    // The default the schema applied is spelled out (the dashboard reads it).
    expect(plan.base_fee).toEqual({ amount: '35', timing: 'in_arrears' });
  });

  it('conserves usage: billed + unbilled = all accepted usage', async () => {
    clock.set('2026-12-02T00:00:00Z');
    await ingest([event('changer', 'api', '2026-12-01T10:00:00Z')]);
    const invoices = await invoicesOf('changer');
    const billed = invoices
      .flatMap((i) => i.lines)
      .filter((l: any) => l.meter === 'api')
      .reduce((total: Decimal, l: any) => total.plus(l.quantity), new Decimal(0));
    const usage = async (from: string, to: string) =>
      new Decimal(
        (await stack.call('GET', `/v1/customers/changer/usage?meter=api&from=${from}&to=${to}`)).body.series[0].value,
      );
    const lastBilledEnd = invoices[invoices.length - 1].period_end;
    const unbilled = await usage(lastBilledEnd, '2027-01-01T00:00:00Z');
    const all = await usage('2026-10-01T00:00:00Z', '2027-01-01T00:00:00Z');
    expect(billed.toString()).toBe('3');
    expect(billed.plus(unbilled).eq(all)).toBe(true);
  });
});
