import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SELLER_ENV, startTestStack, type TestClock, type TestStack, testClock } from '../support/stack.js';

let stack: TestStack;
let clock: TestClock;

const BATCH = 'application/cloudevents-batch+json';
const SINGLE = 'application/cloudevents+json';

let seq = 0;
const event = (subject: string, type: string, time: string, data: Record<string, unknown> = {}) => ({
  specversion: '1.0',
  id: `${subject}-${type}-${seq++}`,
  source: 'limits-test',
  type,
  subject,
  time,
  data,
});

async function created(path: string, body: unknown) {
  const response = await stack.call('POST', path, body);
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

/** A customer on plan "basic" since Nov 1 (UTC months), with the given usage limits. */
async function subscribed(id: string, usageLimits?: unknown) {
  await created('/v1/customers', { id, name: id, email: `${id}@example.com`, currency: 'USD', timezone: 'UTC' });
  return created('/v1/subscriptions', {
    id: `sub-${id}`,
    customer: id,
    plan: 'basic',
    start_date: '2026-11-01',
    ...(usageLimits === undefined ? {} : { usage_limits: usageLimits }),
  });
}

async function post(batch: unknown[]) {
  const response = await stack.call('POST', '/v1/events', batch, { contentType: BATCH });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body as { accepted: number; results: Array<{ status: string; code?: string }> };
}

const outcomes = (body: { results: Array<{ status: string; code?: string }> }) =>
  body.results.map((r) => r.code ?? r.status);

async function entitlementsOf(customer: string) {
  const response = await stack.call('GET', `/v1/customers/${customer}/entitlements`);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
}

async function usageOf(customer: string, meter: string, from = '2026-11-01T00:00:00Z', to = '2026-12-01T00:00:00Z') {
  const response = await stack.call('GET', `/v1/customers/${customer}/usage?meter=${meter}&from=${from}&to=${to}`);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return { value: response.body.series[0]?.value as string, events: response.body.series[0]?.events as number };
}

beforeAll(async () => {
  clock = testClock('2026-11-15T12:00:00Z');
  stack = await startTestStack({ clock, env: SELLER_ENV });
  await created('/v1/meters', { key: 'calls', name: 'Calls', event_type: 'api.call', aggregation: 'count' });
  await created('/v1/meters', {
    key: 'tokens',
    name: 'Tokens',
    event_type: 'llm.tokens',
    aggregation: 'sum',
    value_property: 'tokens',
  });
  await created('/v1/meters', {
    key: 'peak',
    name: 'Peak',
    event_type: 'llm.tokens',
    aggregation: 'max',
    value_property: 'tokens',
  });
  await created('/v1/meters', {
    key: 'constructor',
    name: 'A meter named constructor',
    event_type: 'odd',
    aggregation: 'count',
  });
  await created('/v1/plans', {
    key: 'basic',
    name: 'Basic',
    currency: 'USD',
    interval: 'month',
    charges: [
      {
        meter: 'calls',
        display_name: 'Calls',
        price: { model: 'graduated', tiers: [{ up_to: null, unit_price: '0.01' }] },
      },
    ],
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe('hard usage limits at ingest', () => {
  it('accepts events up to a hard count limit and rejects the rest with usage_limit_exceeded', async () => {
    const sub = await subscribed('hard-count', { calls: { limit: '10', hard: true } });
    expect(sub.usage_limits).toEqual({ calls: { limit: '10', hard: true } });

    const body = await post(Array.from({ length: 12 }, () => event('hard-count', 'api.call', '2026-11-15T11:00:00Z')));

    expect(outcomes(body)).toEqual([...Array(10).fill('accepted'), 'usage_limit_exceeded', 'usage_limit_exceeded']);
    expect(await usageOf('hard-count', 'calls')).toEqual({ value: '10', events: 10 });
    expect((await entitlementsOf('hard-count')).data).toEqual([
      {
        meter: 'calls',
        limit: '10',
        hard: true,
        usage: '10',
        remaining: '0',
        period_start: '2026-11-01T00:00:00.000Z',
        period_end: '2026-12-01T00:00:00.000Z',
      },
    ]);
  });

  it('answers a single event over the hard limit with 403 usage_limit_exceeded and stores nothing', async () => {
    await subscribed('single', { calls: { limit: '1', hard: true } });
    const first = await stack.call('POST', '/v1/events', event('single', 'api.call', '2026-11-15T11:00:00Z'), {
      contentType: SINGLE,
    });
    expect(first.status).toBe(200);

    const second = await stack.call('POST', '/v1/events', event('single', 'api.call', '2026-11-15T11:01:00Z'), {
      contentType: SINGLE,
    });

    expect(second.status).toBe(403);
    expect(second.body.error.code).toBe('usage_limit_exceeded');
    expect(await usageOf('single', 'calls')).toEqual({ value: '1', events: 1 });
  });

  it('lets every event through a soft limit and shows the overrun as negative remaining', async () => {
    await subscribed('soft', { calls: { limit: '10', hard: false } });

    const body = await post(Array.from({ length: 12 }, () => event('soft', 'api.call', '2026-11-15T11:00:00Z')));

    expect(body.accepted).toBe(12);
    expect((await entitlementsOf('soft')).data).toEqual([
      expect.objectContaining({ meter: 'calls', limit: '10', hard: false, usage: '12', remaining: '-2' }),
    ]);
  });

  it('rejects a sum event that would cross the limit and still accepts a smaller one after it', async () => {
    await subscribed('hard-sum', { tokens: { limit: '100', hard: true } });
    const values = ['60', '50', '30', '10', '0.000000000001'];

    const body = await post(
      values.map((tokens) => event('hard-sum', 'llm.tokens', '2026-11-15T11:00:00Z', { tokens })),
    );

    expect(outcomes(body)).toEqual([
      'accepted',
      'usage_limit_exceeded',
      'accepted',
      'accepted',
      'usage_limit_exceeded',
    ]);
    expect((await usageOf('hard-sum', 'tokens')).value).toBe('100');
    // The max meter of the same type saw only the accepted events.
    expect((await usageOf('hard-sum', 'peak')).value).toBe('60');
    expect((await entitlementsOf('hard-sum')).data[0]).toMatchObject({ usage: '100', remaining: '0' });
  });

  it('does not charge duplicates of accepted events against the limit', async () => {
    await subscribed('dupes', { calls: { limit: '3', hard: true } });
    const accepted = Array.from({ length: 3 }, () => event('dupes', 'api.call', '2026-11-15T11:00:00Z'));
    expect((await post(accepted)).accepted).toBe(3);

    const again = await post([...accepted, accepted[0], event('dupes', 'api.call', '2026-11-15T11:00:00Z')]);
    expect(outcomes(again)).toEqual(['duplicate', 'duplicate', 'duplicate', 'duplicate', 'usage_limit_exceeded']);

    // One more unit of room: exactly one new event fits, the copies still take none.
    const patched = await stack.call('PATCH', '/v1/subscriptions/sub-dupes', {
      usage_limits: { calls: { limit: '4', hard: true } },
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    const more = await post([
      accepted[1],
      event('dupes', 'api.call', '2026-11-15T11:00:00Z'),
      event('dupes', 'api.call', '2026-11-15T11:00:00Z'),
    ]);
    expect(outcomes(more)).toEqual(['duplicate', 'accepted', 'usage_limit_exceeded']);
    expect(await usageOf('dupes', 'calls')).toEqual({ value: '4', events: 4 });
    expect((await entitlementsOf('dupes')).data[0]).toMatchObject({ limit: '4', usage: '4', remaining: '0' });
  });

  it('never lets racing single posts and batches pass the limit', async () => {
    await subscribed('race', { calls: { limit: '25', hard: true } });
    const singles = Array.from({ length: 40 }, () =>
      stack.call('POST', '/v1/events', event('race', 'api.call', '2026-11-15T11:30:00Z'), { contentType: SINGLE }),
    );
    const batches = Array.from({ length: 6 }, () =>
      stack.call(
        'POST',
        '/v1/events',
        Array.from({ length: 8 }, () => event('race', 'api.call', '2026-11-15T11:30:00Z')),
        { contentType: BATCH },
      ),
    );

    const responses = await Promise.all([...singles, ...batches]);

    let accepted = 0;
    for (const response of responses) {
      expect([200, 403]).toContain(response.status);
      if (response.status === 403) expect(response.body.error.code).toBe('usage_limit_exceeded');
      else accepted += response.body.accepted;
    }
    expect(accepted).toBe(25);
    expect(await usageOf('race', 'calls')).toEqual({ value: '25', events: 25 });
    expect((await entitlementsOf('race')).data[0]).toMatchObject({ usage: '25', remaining: '0' });
  }, 60_000);

  it('counts nothing against the limit of a customer without limits, and leaves other customers alone', async () => {
    await subscribed('free');
    const body = await post(Array.from({ length: 30 }, () => event('free', 'api.call', '2026-11-15T11:00:00Z')));
    expect(body.accepted).toBe(30);
    expect(await entitlementsOf('free')).toEqual({ customer: 'free', subscription: 'sub-free', data: [] });
  });

  it('takes a new limit into account at once and removes it with an empty map', async () => {
    await subscribed('later');
    expect((await post([event('later', 'api.call', '2026-11-15T11:00:00Z')])).accepted).toBe(1);
    const set = await stack.call('PATCH', '/v1/subscriptions/sub-later', {
      usage_limits: { calls: { limit: '2', hard: true } },
    });
    expect(set.status).toBe(200);

    // A hard limit set mid-period counts the period's usage so far (1 event), then what is accepted.
    expect((await entitlementsOf('later')).data[0]).toMatchObject({ usage: '1', remaining: '1' });
    const capped = await post(Array.from({ length: 3 }, () => event('later', 'api.call', '2026-11-15T11:00:00Z')));
    expect(outcomes(capped)).toEqual(['accepted', 'usage_limit_exceeded', 'usage_limit_exceeded']);

    const removed = await stack.call('PATCH', '/v1/subscriptions/sub-later', { usage_limits: {} });
    expect(removed.status).toBe(200);
    expect(removed.body.usage_limits).toBeUndefined();
    expect((await post([event('later', 'api.call', '2026-11-15T11:00:00Z')])).accepted).toBe(1);

    // Set again: the event accepted without a limit counts too (3 in the period).
    const again = await stack.call('PATCH', '/v1/subscriptions/sub-later', {
      usage_limits: { calls: { limit: '5', hard: true } },
    });
    expect(again.status).toBe(200);
    expect((await entitlementsOf('later')).data[0]).toMatchObject({ usage: '3', remaining: '2' });
    const more = await post(Array.from({ length: 3 }, () => event('later', 'api.call', '2026-11-15T11:00:00Z')));
    expect(outcomes(more)).toEqual(['accepted', 'accepted', 'usage_limit_exceeded']);
    expect((await usageOf('later', 'calls')).events).toBe(5);
  });

  it('counts events of a period that began before the close toward that period, which starts from 0', async () => {
    await subscribed('edge', { calls: { limit: '2', hard: true } });
    clock.set('2026-11-30T23:58:00Z');
    const november = await post([
      event('edge', 'api.call', '2026-11-30T23:50:00Z'),
      event('edge', 'api.call', '2026-11-30T23:51:00Z'),
      event('edge', 'api.call', '2026-11-30T23:52:00Z'),
    ]);
    expect(outcomes(november)).toEqual(['accepted', 'accepted', 'usage_limit_exceeded']);
    // Dec 1 (inside the future tolerance): the next period's own total, before any close ran.
    const december = await post([
      event('edge', 'api.call', '2026-12-01T00:01:00Z'),
      event('edge', 'api.call', '2026-12-01T00:02:00Z'),
      event('edge', 'api.call', '2026-12-01T00:03:00Z'),
    ]);
    expect(outcomes(december)).toEqual(['accepted', 'accepted', 'usage_limit_exceeded']);

    clock.set('2026-12-01T02:00:00Z');
    const run = await stack.call('POST', '/v1/billing-runs', { as_of: '2026-12-01T02:00:00Z' });
    expect(run.status, JSON.stringify(run.body)).toBe(200);
    const advanced = await stack.call('GET', '/v1/subscriptions/sub-edge');
    expect(advanced.body.current_period.start).toBe('2026-12-01T00:00:00.000Z');

    expect((await entitlementsOf('edge')).data[0]).toMatchObject({
      usage: '2',
      remaining: '0',
      period_start: '2026-12-01T00:00:00.000Z',
      period_end: '2027-01-01T00:00:00.000Z',
    });
    const still = await post([event('edge', 'api.call', '2026-12-01T01:00:00Z')]);
    expect(outcomes(still)).toEqual(['usage_limit_exceeded']);
    clock.set('2026-11-15T12:00:00Z');
  }, 60_000);
});

describe('hostile usage limits', () => {
  const hostile: Array<[string, unknown]> = [
    ['not an object', 'lots'],
    ['an array', [{ calls: { limit: '1', hard: true } }]],
    ['a JSON number limit', { calls: { limit: 10, hard: true } }],
    ['1e400', { calls: { limit: '1e400', hard: true } }],
    ['400 digits', { calls: { limit: '9'.repeat(400), hard: true } }],
    ['21 integer digits', { calls: { limit: '1'.repeat(21), hard: true } }],
    ['13 decimal places', { calls: { limit: '0.0000000000001', hard: true } }],
    ['negative', { calls: { limit: '-1', hard: true } }],
    ['NaN', { calls: { limit: 'NaN', hard: true } }],
    ['Infinity', { calls: { limit: 'Infinity', hard: true } }],
    ['empty limit', { calls: { limit: '', hard: true } }],
    ['hard as a string', { calls: { limit: '1', hard: 'true' } }],
    ['hard missing', { calls: { limit: '1' } }],
    ['an extra field', { calls: { limit: '1', hard: true, soft: true } }],
    ['null limit', { calls: null }],
    ['an unknown meter', { nope: { limit: '1', hard: true } }],
    ['a max meter', { peak: { limit: '1', hard: true } }],
    ['toString as a meter', { toString: { limit: '1', hard: true } }],
    ['hasOwnProperty as a meter', { hasOwnProperty: { limit: '1', hard: true } }],
    ['a lone surrogate key', { '\ud800': { limit: '1', hard: true } }],
    ['a control character key', { 'calls\u0000': { limit: '1', hard: true } }],
    ['a lone surrogate limit', { calls: { limit: '1\ud800', hard: true } }],
    ['a control character limit', { calls: { limit: '1\u0007', hard: true } }],
  ];

  it.each(hostile)('refuses %s on create and on update, naming the field, and stores nothing', async (_, limits) => {
    const id = `hostile-${seq++}`;
    await created('/v1/customers', { id, name: id, email: `${id}@example.com`, currency: 'USD', timezone: 'UTC' });

    const create = await stack.call('POST', '/v1/subscriptions', {
      id: `sub-${id}`,
      customer: id,
      plan: 'basic',
      start_date: '2026-11-01',
      usage_limits: limits,
    });
    expect(create.status, JSON.stringify(create.body)).toBe(400);
    expect(create.body.error.details.some((d: { path: string }) => d.path.startsWith('/usage_limits'))).toBe(true);
    expect((await stack.call('GET', `/v1/subscriptions/sub-${id}`)).status).toBe(404);

    await subscribed(`${id}-b`, { calls: { limit: '5', hard: true } });
    const update = await stack.call('PATCH', `/v1/subscriptions/sub-${id}-b`, { usage_limits: limits });
    expect(update.status, JSON.stringify(update.body)).toBe(400);
    expect(update.body.error.details.some((d: { path: string }) => d.path.startsWith('/usage_limits'))).toBe(true);
    expect((await stack.call('GET', `/v1/subscriptions/sub-${id}-b`)).body.usage_limits).toEqual({
      calls: { limit: '5', hard: true },
    });
  });

  it('refuses "__proto__" as a meter key (raw JSON) and changes nothing', async () => {
    await subscribed('proto', { calls: { limit: '5', hard: true } });
    const response = await stack.call('PATCH', '/v1/subscriptions/sub-proto', undefined, {
      raw: '{"usage_limits":{"__proto__":{"limit":"1","hard":true}}}',
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body.error.details)).toContain('/usage_limits');
    expect((await stack.call('GET', '/v1/subscriptions/sub-proto')).body.usage_limits).toEqual({
      calls: { limit: '5', hard: true },
    });
  });

  it('accepts a meter whose key is "constructor" like any other', async () => {
    await subscribed('ctor', { constructor: { limit: '1', hard: true } });
    const body = await post([
      event('ctor', 'odd', '2026-11-15T11:00:00Z'),
      event('ctor', 'odd', '2026-11-15T11:00:00Z'),
    ]);
    expect(outcomes(body)).toEqual(['accepted', 'usage_limit_exceeded']);
  });

  it('normalizes limit text ("1e3" is "1000")', async () => {
    const sub = await subscribed('normal', { tokens: { limit: '1e3', hard: false } });
    expect(sub.usage_limits).toEqual({ tokens: { limit: '1000', hard: false } });
  });

  it('answers entitlements of unknown or malformed customers with 4xx', async () => {
    for (const path of ['nobody', '%00', '%ED%A0%80', 'a%0Ab', 'x'.repeat(300), '..%2F..%2Fv1%2Fmeters']) {
      const response = await stack.call('GET', `/v1/customers/${path}/entitlements`);
      expect(response.status, path).toBeGreaterThanOrEqual(400);
      expect(response.status, path).toBeLessThan(500);
    }
    expect((await stack.call('GET', '/v1/customers/nobody/entitlements')).status).toBe(404);
  });
});
