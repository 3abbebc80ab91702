import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestClock, type TestStack, testClock } from '../support/stack.js';

const NOW = '2026-11-10T12:00:00Z';
let stack: TestStack;
let clock: TestClock;

function event(id: string, fields: Record<string, unknown> = {}) {
  return {
    specversion: '1.0',
    id,
    source: 'test/api',
    type: 'api.request',
    subject: 'acme',
    time: '2026-11-10T10:00:00Z',
    data: {},
    ...fields,
  };
}

async function usage(meter: string, query = '') {
  const response = await stack.call(
    'GET',
    `/v1/customers/acme/usage?meter=${meter}&from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z${query}`,
  );
  expect(response.status).toBe(200);
  return response.body as {
    series: Array<{ start: string; end: string; value: string; events: number; dimensions: Record<string, string> }>;
  };
}

async function total(meter: string): Promise<string> {
  return (await usage(meter)).series[0]!.value;
}

async function post(events: unknown, contentType = 'application/cloudevents-batch+json', key?: string) {
  return stack.call('POST', '/v1/events', events, { contentType, key });
}

beforeAll(async () => {
  clock = testClock(NOW);
  stack = await startTestStack({ clock });
  const meters = [
    { key: 'requests', name: 'API requests', event_type: 'api.request', aggregation: 'count' },
    {
      key: 'tokens',
      name: 'Tokens',
      event_type: 'llm.tokens',
      aggregation: 'sum',
      value_property: 'tokens',
      group_by: ['model', 'region'],
    },
    { key: 'peak-seats', name: 'Peak seats', event_type: 'seats', aggregation: 'max', value_property: 'seats' },
    { key: 'storage', name: 'Storage', event_type: 'storage', aggregation: 'latest', value_property: 'gb' },
    {
      key: 'users',
      name: 'Active users',
      event_type: 'user.active',
      aggregation: 'unique_count',
      value_property: 'user.id',
    },
  ];
  for (const meter of meters) expect((await stack.call('POST', '/v1/meters', meter)).status).toBe(201);
  const customer = {
    id: 'acme',
    name: 'Acme GmbH',
    email: 'billing@acme.example',
    currency: 'EUR',
    timezone: 'Europe/Berlin',
    locale: 'de',
  };
  expect((await stack.call('POST', '/v1/customers', customer)).status).toBe(201);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe('POST /v1/events', () => {
  it('accepts a single structured CloudEvent and shows it in usage at once', async () => {
    const response = await post(event('single-1'), 'application/cloudevents+json');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      accepted: 1,
      duplicates: 0,
      rejected: 0,
      results: [{ index: 0, id: 'single-1', status: 'accepted' }],
    });
    expect(await total('requests')).toBe('1');
  });

  it('counts a duplicate inside one batch and across batches once', async () => {
    const before = Number(await total('requests'));
    const first = await post([event('dup-1'), event('dup-2'), event('dup-1')]);
    expect(first.body).toMatchObject({ accepted: 2, duplicates: 1, rejected: 0 });
    expect(first.body.results[2]).toEqual({ index: 2, id: 'dup-1', status: 'duplicate' });
    const again = await post([event('dup-2'), event('dup-3')]);
    expect(again.body).toMatchObject({ accepted: 1, duplicates: 1 });
    expect(again.body.results[0].status).toBe('duplicate');
    expect(Number(await total('requests'))).toBe(before + 3);
  });

  it('counts 20 concurrent posts of the same event once', async () => {
    const before = Number(await total('tokens'));
    const copy = event('race-1', { type: 'llm.tokens', data: { tokens: '7', model: 'small', region: 'eu' } });
    const responses = await Promise.all(Array.from({ length: 20 }, () => post(copy, 'application/cloudevents+json')));
    const statuses = responses.map((r) => r.body.results[0].status);
    expect(statuses.filter((s) => s === 'accepted')).toHaveLength(1);
    expect(statuses.filter((s) => s === 'duplicate')).toHaveLength(19);
    expect(Number(await total('tokens'))).toBe(before + 7);
  });

  it('counts the valid events of a mixed batch and reports each invalid one with its code', async () => {
    const before = Number(await total('requests'));
    const response = await post([
      event('mix-ok-1'),
      event('mix-unknown-customer', { subject: 'acme-typo' }),
      event('mix-no-meter', { type: 'unknown.type' }),
      event('mix-bad-value', { type: 'llm.tokens', data: { tokens: 'lots' } }),
      event('mix-missing-value', { type: 'llm.tokens', data: {} }),
      event('mix-future', { time: '2026-11-10T12:06:00Z' }),
      event('mix-old', { time: '2026-10-01T00:00:00Z' }),
      { specversion: '0.3', id: 'mix-bad-envelope', source: 's', type: 'api.request', subject: 'acme' },
      event('mix-ok-2'),
    ]);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ accepted: 2, duplicates: 0, rejected: 7 });
    const codes = Object.fromEntries(response.body.results.map((r: any) => [r.id, r.code ?? r.status]));
    expect(codes).toEqual({
      'mix-ok-1': 'accepted',
      'mix-unknown-customer': 'unknown_customer',
      'mix-no-meter': 'no_matching_meter',
      'mix-bad-value': 'invalid_value',
      'mix-missing-value': 'invalid_value',
      'mix-future': 'timestamp_in_future',
      'mix-old': 'timestamp_too_old',
      'mix-bad-envelope': 'invalid_event',
      'mix-ok-2': 'accepted',
    });
    const unknown = response.body.results.find((r: any) => r.id === 'mix-unknown-customer');
    expect(unknown.message).toBe("no customer with id 'acme-typo'");
    expect(response.body.results.find((r: any) => r.id === 'mix-bad-envelope').message).toContain('specversion');
    expect(Number(await total('requests'))).toBe(before + 2);
  });

  it('accepts an event 5 minutes ahead but not later, and one 35 days old but not older', async () => {
    const response = await post([
      event('edge-future-ok', { time: '2026-11-10T12:05:00Z' }),
      event('edge-old-ok', { time: '2026-10-06T12:00:00Z' }),
      event('edge-old-late', { time: '2026-10-06T11:59:59.999Z' }),
    ]);
    expect(response.body.results.map((r: any) => r.code ?? r.status)).toEqual([
      'accepted',
      'accepted',
      'timestamp_too_old',
    ]);
  });

  it('uses the receipt time when an event has none', async () => {
    const response = await post(
      { specversion: '1.0', id: 'no-time', source: 'test/api', type: 'seats', subject: 'acme', data: { seats: 3 } },
      'application/json',
    );
    expect(response.body.accepted).toBe(1);
    const hours = await stack.call(
      'GET',
      '/v1/customers/acme/usage?meter=peak-seats&from=2026-11-10T12:00:00Z&to=2026-11-10T13:00:00Z&granularity=hour',
    );
    expect(hours.body.series).toEqual([
      { start: '2026-11-10T12:00:00.000Z', end: '2026-11-10T13:00:00.000Z', value: '3', events: 1, dimensions: {} },
    ]);
  });

  it('answers 400 for a body that is not JSON or not CloudEvents, and writes nothing', async () => {
    const before = await total('requests');
    const notJson = await stack.call('POST', '/v1/events', undefined, {
      raw: '{"specversion": "1.0", ',
      contentType: 'application/cloudevents+json',
    });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.code).toBe('invalid_json');
    const notEvents = await post([{ hello: 'world' }, 42]);
    expect(notEvents.status).toBe(400);
    expect(notEvents.body.error.code).toBe('not_cloudevents');
    const batchNotArray = await post(event('x'), 'application/cloudevents-batch+json');
    expect(batchNotArray.status).toBe(400);
    expect(await total('requests')).toBe(before);
  });

  it('answers 413 for more than 1,000 events in one batch', async () => {
    const response = await post(Array.from({ length: 1001 }, (_, i) => event(`big-${i}`)));
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe('batch_too_large');
  });
});

describe('aggregations', () => {
  it('sums by dimension and reports each group', async () => {
    const response = await post([
      event('tok-1', { type: 'llm.tokens', data: { tokens: '100.5', model: 'large', region: 'eu' } }),
      event('tok-2', { type: 'llm.tokens', data: { tokens: 200, model: 'large', region: 'us' } }),
      event('tok-3', { type: 'llm.tokens', data: { tokens: '0.25', model: 'small', region: 'eu' } }),
      event('tok-4', { type: 'llm.tokens', data: { tokens: '12345678901234567890.123', model: 'huge', region: 'eu' } }),
    ]);
    expect(response.body.accepted).toBe(4);
    const byModel = await usage('tokens', '&group_by=model');
    const values = Object.fromEntries(byModel.series.map((p) => [p.dimensions.model, p.value]));
    expect(values.large).toBe('300.5');
    expect(values.huge).toBe('12345678901234567890.123');
    expect(Number(values.small)).toBeGreaterThan(0);
  });

  it('rejects grouping by a property the meter does not group by', async () => {
    const response = await stack.call(
      'GET',
      '/v1/customers/acme/usage?meter=tokens&from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z&group_by=colour',
    );
    expect(response.status).toBe(400);
    expect(response.body.error.details[0].path).toBe('?group_by');
  });

  it('keeps the maximum, whatever the order events arrive in', async () => {
    await post([event('seat-1', { type: 'seats', time: '2026-11-09T10:00:00Z', data: { seats: 5 } })]);
    await post([event('seat-2', { type: 'seats', time: '2026-11-09T10:01:00Z', data: { seats: 9 } })]);
    await post([
      event('seat-3', { type: 'seats', time: '2026-11-09T10:02:00Z', data: { seats: 4 } }),
      event('seat-4', { type: 'seats', time: '2026-11-09T10:03:00Z', data: { seats: '8.5' } }),
    ]);
    expect(await total('peak-seats')).toBe('9');
  });

  it('keeps the value of the latest event by event time, not arrival', async () => {
    await post([event('gb-2', { type: 'storage', time: '2026-11-09T11:00:00Z', data: { gb: '20' } })]);
    await post([event('gb-1', { type: 'storage', time: '2026-11-09T09:00:00Z', data: { gb: '10' } })]);
    expect(await total('storage')).toBe('20');
    await post([event('gb-3', { type: 'storage', time: '2026-11-09T11:30:00Z', data: { gb: '15.5' } })]);
    expect(await total('storage')).toBe('15.5');
  });

  it('counts distinct values across buckets and batches', async () => {
    await post([
      event('u-1', { type: 'user.active', time: '2026-11-09T08:00:00Z', data: { user: { id: 'alice' } } }),
      event('u-2', { type: 'user.active', time: '2026-11-09T08:00:01Z', data: { user: { id: 'alice' } } }),
      event('u-3', { type: 'user.active', time: '2026-11-09T09:00:00Z', data: { user: { id: 'bob' } } }),
    ]);
    await post([event('u-4', { type: 'user.active', time: '2026-11-09T20:00:00Z', data: { user: { id: 'alice' } } })]);
    expect(await total('users')).toBe('2');
    const hourly = await stack.call(
      'GET',
      '/v1/customers/acme/usage?meter=users&from=2026-11-09T08:00:00Z&to=2026-11-09T10:00:00Z&granularity=hour',
    );
    expect(hourly.body.series.map((p: any) => p.value)).toEqual(['1', '1']);
  });

  it('puts events on either side of an hour edge into different hours', async () => {
    await post([
      event('edge-1', { time: '2026-11-08T10:59:59.999Z' }),
      event('edge-2', { time: '2026-11-08T11:00:00Z' }),
      event('edge-3', { time: '2026-11-08T11:00:00.001Z' }),
    ]);
    const hours = await stack.call(
      'GET',
      '/v1/customers/acme/usage?meter=requests&from=2026-11-08T10:00:00Z&to=2026-11-08T12:00:00Z&granularity=hour',
    );
    expect(hours.body.series.map((p: any) => [p.start, p.value])).toEqual([
      ['2026-11-08T10:00:00.000Z', '1'],
      ['2026-11-08T11:00:00.000Z', '2'],
    ]);
  });

  it("splits days at the customer's local midnight", async () => {
    // Europe/Berlin is UTC+1 in November: the local day of Nov 7 runs from Nov 6 23:00Z to Nov 7 23:00Z.
    await post([event('day-1', { time: '2026-11-06T22:59:00Z' }), event('day-2', { time: '2026-11-06T23:00:00Z' })]);
    const days = await stack.call(
      'GET',
      '/v1/customers/acme/usage?meter=requests&from=2026-11-05T23:00:00Z&to=2026-11-07T23:00:00Z&granularity=day',
    );
    expect(days.body.series.map((p: any) => [p.start, p.value])).toEqual([
      ['2026-11-05T23:00:00.000Z', '1'],
      ['2026-11-06T23:00:00.000Z', '1'],
    ]);
  });
});

describe('sealed periods', () => {
  it('rejects events before billed_through with period_closed and still counts later ones', async () => {
    const { UpdateItemCommand } = await import('@aws-sdk/client-dynamodb');
    await stack.deps.dynamo.send(
      new UpdateItemCommand({
        TableName: stack.config.tableName,
        Key: { PK: { S: 'CUSTOMER#acme' }, SK: { S: 'CUSTOMER' } },
        UpdateExpression: 'SET billed_through = :t',
        ExpressionAttributeValues: { ':t': { N: String(Date.parse('2026-11-01T00:00:00Z')) } },
      }),
    );
    const response = await post([
      event('late-1', { time: '2026-10-31T23:59:00Z' }),
      event('late-2', { time: '2026-11-01T00:00:00Z' }),
    ]);
    expect(response.body.results.map((r: any) => r.code ?? r.status)).toEqual(['period_closed', 'accepted']);
    expect(response.body.results[0].message).toContain('2026-11-01T00:00:00.000Z');
  });
});
