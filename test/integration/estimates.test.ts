import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestClock, type TestStack, testClock } from '../support/stack.js';

// The stack as `npm start` runs it: estimates refreshed in the background (at start-up, after each
// billing run, and on request with 202), as the refresh Lambda does in AWS.
let stack: TestStack;
let clock: TestClock;

async function post(path: string, body: unknown) {
  const response = await stack.call('POST', path, body);
  expect(response.status, JSON.stringify(response.body)).toBeLessThan(300);
  return response.body;
}

/** The upcoming report once its snapshot was rated at `asOf`. */
async function upcomingAsOf(asOf: string) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const report = (await stack.call('GET', '/v1/reports/upcoming')).body;
    if (report.as_of === asOf) return report;
    if (Date.now() > deadline) throw new Error(`the snapshot stayed at ${report.as_of}, expected ${asOf}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  clock = testClock('2026-11-10T08:00:00Z');
  stack = await startTestStack({ clock, estimatesIntervalSeconds: 3600 });
  await post('/v1/meters', { key: 'api', name: 'API calls', event_type: 'api.call', aggregation: 'count' });
  await post('/v1/plans', {
    key: 'pro',
    name: 'Pro',
    currency: 'EUR',
    interval: 'month',
    charges: [{ meter: 'api', price: { model: 'per_unit', unit_price: '0.10' } }],
  });
  await post('/v1/customers', {
    id: 'acme',
    name: 'Acme',
    email: 'billing@acme.example',
    currency: 'EUR',
    timezone: 'UTC',
    locale: 'en',
  });
  await post('/v1/subscriptions', { id: 'sub-acme', customer: 'acme', plan: 'pro', start_date: '2026-10-01' });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

describe('background refresh of the estimates', () => {
  it('answers 202 with the current as_of, then serves the new snapshot when it is done', async () => {
    await stack.call(
      'POST',
      '/v1/events',
      Array.from({ length: 4 }, (_, i) => ({
        specversion: '1.0',
        id: `e${i}`,
        source: 'test',
        type: 'api.call',
        subject: 'acme',
        time: '2026-11-10T07:30:00Z',
        data: {},
      })),
      { contentType: 'application/cloudevents-batch+json' },
    );
    clock.set('2026-11-10T08:10:00Z');
    const started = await stack.call('POST', '/v1/reports/upcoming/refresh');
    expect(started.status).toBe(202);
    expect(started.body.refreshing).toBe(true);
    expect(started.body.as_of === null || started.body.as_of < '2026-11-10T08:10:00.000Z').toBe(true);
    const report = await upcomingAsOf('2026-11-10T08:10:00.000Z');
    // No run yet: the open period is still October's (the events of November 10 belong to the next one).
    expect(report.subscriptions).toBe(1);
    expect(report.top[0]).toMatchObject({ customer: 'acme', period_start: '2026-10-01T00:00:00.000Z' });
  });

  it('refreshes after a billing run, so the estimates show the new period', async () => {
    clock.set('2026-11-10T09:00:00Z');
    await post('/v1/billing-runs', { as_of: '2026-11-10T09:00:00Z' });
    const report = await upcomingAsOf('2026-11-10T09:00:00.000Z');
    expect(report.top[0]).toMatchObject({
      customer: 'acme',
      period_start: '2026-11-01T00:00:00.000Z',
      usage: [{ meter: 'api', quantity: '4' }],
      total: '0.40',
    });
  });

  it('includes a pending one-off charge, as the upcoming invoice does', async () => {
    await post('/v1/customers/acme/charges', { description: 'Setup', quantity: '1', unit_amount: '2.50' });
    const upcoming = await stack.call('GET', '/v1/customers/acme/upcoming-invoice');
    expect(upcoming.body.total).toBe('2.90');
    clock.set('2026-11-10T09:10:00Z');
    expect((await stack.call('POST', '/v1/reports/upcoming/refresh')).status).toBe(202);
    const report = await upcomingAsOf('2026-11-10T09:10:00.000Z');
    expect(report.top[0]).toMatchObject({ customer: 'acme', total: '2.90' });
  });
});
