import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Decimal } from '../../functions/domain/decimal.js';
import { startTestStack, type TestClock, type TestStack, testClock } from '../support/stack.js';

/**
 * A time-weighted meter billed end to end against a hand computation: October 2026 in Berlin has
 * 745 hours (the clocks go back on Oct 25, a 25-hour day). Changes arrive out of order, one of them
 * after the days it falls in were rolled up, and the level before the period is carried in.
 */
let stack: TestStack;
let clock: TestClock;
let seq = 0;

const change = (type: string, time: string, value: string) => ({
  specversion: '1.0',
  id: `w-${seq++}`,
  source: 'weighted',
  type,
  subject: 'berlin',
  time,
  data: { value },
});

async function ingest(events: unknown[]) {
  const response = await stack.call('POST', '/v1/events', events, {
    contentType: 'application/cloudevents-batch+json',
  });
  expect(response.status).toBe(200);
  expect(response.body.accepted, JSON.stringify(response.body.results)).toBe(events.length);
}

const usageLines = (invoice: any) =>
  Object.fromEntries(
    invoice.lines.filter((l: any) => l.kind === 'usage').map((l: any) => [l.meter, new Decimal(l.quantity).toString()]),
  );

beforeAll(async () => {
  clock = testClock('2026-10-20T12:00:00Z');
  stack = await startTestStack({ clock, env: { BILLING_GRACE_MINUTES: '0' } });
  const meters = [
    { key: 'gb-hours', event_type: 'storage', per: 'hour' },
    { key: 'gb-average', event_type: 'storage', per: 'period' },
    { key: 'seat-days', event_type: 'seats', per: 'day' },
  ];
  for (const meter of meters) {
    const created = await stack.call('POST', '/v1/meters', {
      ...meter,
      name: meter.key,
      aggregation: 'weighted_sum',
      value_property: 'value',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  }
  const plan = await stack.call('POST', '/v1/plans', {
    key: 'storage',
    name: 'Storage',
    currency: 'EUR',
    interval: 'month',
    charges: [
      { meter: 'gb-hours', price: { model: 'per_unit', unit_price: '0.001' } },
      { meter: 'gb-average', price: { model: 'per_unit', unit_price: '0.10' } },
      { meter: 'seat-days', price: { model: 'per_unit', unit_price: '1' } },
    ],
  });
  expect(plan.status, JSON.stringify(plan.body)).toBe(201);
  const customer = await stack.call('POST', '/v1/customers', {
    id: 'berlin',
    name: 'Berlin',
    email: 'b@example.com',
    currency: 'EUR',
    timezone: 'Europe/Berlin',
  });
  expect(customer.status).toBe(201);
  const subscription = await stack.call('POST', '/v1/subscriptions', {
    id: 'sub-berlin',
    customer: 'berlin',
    plan: 'storage',
    start_date: '2026-10-01',
  });
  expect(subscription.status, JSON.stringify(subscription.body)).toBe(201);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe('weighted_sum billed', () => {
  it('bills GB-hours, the average level and seat-days of October across the DST change', async () => {
    // Out of order: Oct 11 00:00 Berlin +10 GB, then the level before the period (Sep 20) +10 GB.
    await ingest([change('storage', '2026-10-10T22:00:00Z', '10'), change('storage', '2026-09-20T00:00:00Z', '10')]);
    // Builds the day rollups of Oct 1-19.
    expect((await stack.call('GET', '/v1/customers/berlin/upcoming-invoice')).status).toBe(200);

    clock.set('2026-10-28T12:00:00Z');
    // Oct 25 02:30 CEST (00:30Z), in the night the clocks go back: -5 GB.
    // Seats: 3 for all of Oct 25 (25 hours), and 1 from Oct 31 noon.
    await ingest([
      change('storage', '2026-10-25T00:30:00Z', '-5'),
      change('seats', '2026-10-24T22:00:00Z', '3'),
      change('seats', '2026-10-25T23:00:00Z', '-3'),
    ]);
    // Late: Oct 6 00:00 Berlin +2 GB, into days already rolled up.
    await ingest([change('storage', '2026-10-05T22:00:00Z', '2')]);
    clock.set('2026-10-31T12:00:00Z');
    await ingest([change('seats', '2026-10-31T11:00:00Z', '1')]);

    // Level 10 for 120 h, 12 for 120 h, 22 for 338.5 h, 17 for 166.5 h (745 h in all).
    const gbHours = new Decimal(10 * 120 + 12 * 120 + 22 * 338.5 + 17 * 166.5);
    expect(gbHours.toString()).toBe('12917.5');
    const average = gbHours.div(745).toDecimalPlaces(12, Decimal.ROUND_HALF_EVEN);
    const want = { 'gb-hours': '12917.5', 'gb-average': average.toString(), 'seat-days': '3.5' };

    clock.set('2026-11-01T00:30:00Z');
    const run = await stack.call('POST', '/v1/billing-runs', { as_of: '2026-11-01T00:30:00Z' });
    expect(run.status, JSON.stringify(run.body)).toBeLessThan(300);
    const invoices = (await stack.call('GET', '/v1/invoices?customer=berlin')).body.data as any[];
    expect(invoices).toHaveLength(1);
    const invoice = (await stack.call('GET', `/v1/invoices/${invoices[0].id}`)).body;
    expect(usageLines(invoice)).toEqual(want);

    // The usage API says the same for the period, and per day across the 25-hour day.
    const range = 'from=2026-09-30T22:00:00Z&to=2026-10-31T23:00:00Z';
    for (const [meter, value] of Object.entries(want)) {
      const usage = (await stack.call('GET', `/v1/customers/berlin/usage?meter=${meter}&${range}`)).body;
      expect(
        usage.series.map((p: any) => new Decimal(p.value).toString()),
        meter,
      ).toEqual([value]);
    }
    const days = (
      await stack.call(
        'GET',
        '/v1/customers/berlin/usage?meter=seat-days&granularity=day&from=2026-10-24T22:00:00Z&to=2026-10-26T23:00:00Z',
      )
    ).body.series;
    // Oct 25 (25 hours) is 3 seat-days; Oct 26 has the change back to 0 at its start.
    expect(days.map((p: any) => [p.start, new Decimal(p.value).toString()])).toEqual([
      ['2026-10-24T22:00:00.000Z', '3'],
      ['2026-10-25T23:00:00.000Z', '0'],
    ]);

    // November starts at level 17: the upcoming invoice carries it in.
    const november = (await stack.call('GET', '/v1/customers/berlin/upcoming-invoice')).body;
    expect(usageLines(november)['gb-average']).toBe('17');
  });
});
