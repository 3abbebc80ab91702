import { QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeSnapshot } from '../support/snapshot.js';
import { startTestStack, type TestClock, type TestStack, testClock } from '../support/stack.js';

/**
 * One regression test per input that used to break the stack (issue 11's table): each answers a
 * named 4xx or a per-event rejection, and what it rejects leaves the store as it was.
 */
let stack: TestStack;
let clock: TestClock;
let seq = 0;

const event = (subject: string, type: string, data: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  specversion: '1.0',
  id: `hostile-${seq++}`,
  source: 'hostile',
  type,
  subject,
  time: clock.now.toISOString(),
  data,
  ...extra,
});

const ingest = (batch: unknown[]) =>
  stack.call('POST', '/v1/events', batch, { contentType: 'application/cloudevents-batch+json' });

async function post(path: string, body: unknown, status = 201) {
  const response = await stack.call('POST', path, body);
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  return response.body;
}

const snapshot = () => storeSnapshot(stack);

/** Sends a request that must be refused with `status`; the store must be unchanged after it. */
async function refused(method: string, path: string, body: unknown, status = 400, raw?: string) {
  const before = await snapshot();
  const response = await stack.call(method, path, body, raw === undefined ? {} : { raw });
  expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBe(status);
  expect(response.body.error?.code, JSON.stringify(response.body)).toBeTypeOf('string');
  expect(await snapshot()).toEqual(before);
  return response.body.error;
}

beforeAll(async () => {
  clock = testClock('2026-11-10T12:00:00Z');
  stack = await startTestStack({ clock, env: { BILLING_GRACE_MINUTES: '0' } });
  await post('/v1/meters', {
    key: 'gb',
    name: 'Storage',
    event_type: 'storage',
    aggregation: 'sum',
    value_property: 'gb',
  });
  await post('/v1/meters', { key: 'peak', name: 'Peak', event_type: 'peak', aggregation: 'max', value_property: 'v' });
  await post('/v1/meters', {
    key: 'constructor',
    name: 'Prototype named',
    event_type: 'proto',
    aggregation: 'sum',
    value_property: 'constructor',
    group_by: ['toString'],
  });
  await post('/v1/plans', {
    key: 'constructor',
    name: 'Prototype plan',
    currency: 'EUR',
    interval: 'month',
    // The close seals the period: an event re-sent after it is a duplicate, a new one period_closed.
    late_usage: 'reject',
    charges: [
      { meter: 'constructor', price: { model: 'per_unit', unit_price: '2' } },
      { meter: 'gb', price: { model: 'per_unit', unit_price: '0.5' } },
    ],
  });
  await post('/v1/meters', {
    key: 'wide',
    name: 'Wide',
    event_type: 'wide',
    aggregation: 'count',
    group_by: ['a', 'b', 'c', 'd', 'e'],
  });
  for (const id of ['acme', 'proto']) {
    await post('/v1/customers', { id, name: id, email: `${id}@example.com`, currency: 'EUR' });
    await post('/v1/subscriptions', { id: `sub-${id}`, customer: id, plan: 'constructor', start_date: '2026-11-01' });
  }
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

describe('meter values', () => {
  it('rejects a negative value per event, naming the property, and counts the others', async () => {
    const response = await ingest([
      event('acme', 'storage', { gb: -50 }),
      event('acme', 'storage', { gb: '-0.5' }),
      event('acme', 'peak', { v: -1 }),
      event('acme', 'storage', { gb: 10 }),
    ]);
    expect(response.status).toBe(200);
    expect(response.body.results.map((r: any) => r.code ?? r.status)).toEqual([
      'invalid_value',
      'invalid_value',
      'invalid_value',
      'accepted',
    ]);
    expect(response.body.results[0].message).toMatch(/data\.gb = -50 must not be negative/);
  });

  it('rejects values outside the decimal range instead of failing the batch', async () => {
    const response = await stack.call('POST', '/v1/events', undefined, {
      contentType: 'application/cloudevents-batch+json',
      raw: JSON.stringify([
        event('acme', 'storage', { gb: '1e-200' }),
        event('acme', 'storage', { gb: '123456789012345678901234567890123456789' }),
        event('acme', 'storage', { gb: '1e100000000' }),
        event('acme', 'storage', { gb: '0.0000000000001' }),
        event('acme', 'storage', { gb: '1.5' }),
      ]).replace('"1e-200"', '1e-200'),
    });
    expect(response.status).toBe(200);
    expect(response.body.results.map((r: any) => r.code ?? r.status)).toEqual([
      'invalid_value',
      'invalid_value',
      'invalid_value',
      'invalid_value',
      'accepted',
    ]);
    expect(response.body.results[1].message).toMatch(/too large/);
    expect(response.body.results[3].message).toMatch(/decimal places/);
  });
  it('rejects the event that would carry a counter past 38 significant digits, and writes the rest', async () => {
    await post('/v1/customers', { id: 'bigco', name: 'Big', email: 'big@example.com', currency: 'EUR' });
    await post('/v1/subscriptions', {
      id: 'sub-bigco',
      customer: 'bigco',
      plan: 'constructor',
      start_date: '2026-11-01',
    });
    const counters = async () =>
      (
        await stack.deps.dynamo.send(
          new QueryCommand({
            TableName: stack.config.tableName,
            KeyConditionExpression: 'PK = :pk',
            ExpressionAttributeValues: { ':pk': { S: 'USAGE#bigco#T#storage' } },
            ConsistentRead: true,
          }),
        )
      ).Items ?? [];
    const hour = new Date(clock.now.getTime() - 3 * 3_600_000).toISOString();
    expect((await ingest([event('bigco', 'storage', { gb: '1' }, { time: hour })])).body.accepted).toBe(1);
    const [counter] = await counters();
    // A counter near the limit: 26 digits before the point and 12 after.
    await stack.deps.dynamo.send(
      new UpdateItemCommand({
        TableName: stack.config.tableName,
        Key: { PK: counter!.PK!, SK: counter!.SK! },
        UpdateExpression: 'ADD #sum :v',
        // The sum of meter `gb` (no dimensions) in its event type's bucket item.
        ExpressionAttributeNames: { '#sum': 'c|gb|s|' },
        ExpressionAttributeValues: { ':v': { N: '99999999999999999999999998.000000000001' } },
      }),
    );
    const before = await counters();
    const later = new Date(clock.now.getTime() - 3_600_000).toISOString();
    const response = await ingest([
      event('bigco', 'storage', { gb: '1' }, { time: hour }),
      event('bigco', 'storage', { gb: '2' }, { time: later }),
      event('acme', 'storage', { gb: '1' }),
    ]);
    expect(response.status).toBe(200);
    expect(response.body.results.map((r: any) => r.code ?? r.status)).toEqual([
      'invalid_value',
      'accepted',
      'accepted',
    ]);
    expect(response.body.results[0].message).toMatch(/38 significant digits/);
    const after = await counters();
    expect(after.find((item) => item.SK!.S === counter!.SK!.S)).toEqual(
      before.find((item) => item.SK!.S === counter!.SK!.S),
    );
    expect(after).toHaveLength(2);
    // The rejected event was not stored: sent again, it is rejected again, not a duplicate.
    const again = await ingest([
      { ...event('bigco', 'storage', { gb: '1' }, { time: hour }), id: response.body.results[0].id },
    ]);
    expect(again.body.results[0].code).toBe('invalid_value');
  });
});

describe('event text and shape', () => {
  it('rejects lone surrogates, control characters and deep data per event; the valid events of the same customer are stored', async () => {
    let deep: unknown = { gb: 1 };
    for (let i = 0; i < 3000; i++) deep = { nested: deep };
    const batch = [
      event('acme', 'storage', { gb: 1 }, { id: 'bad-\ud800' }),
      event('acme', 'storage', { gb: 1 }, { source: 'src-\udfff' }),
      event('acme', 'proto', { constructor: 1, toString: 'model-\ud800' }),
      event('acme', 'proto', { constructor: 1, toString: 'evil\u202Etxt.exe' }),
      event('acme', 'storage', { gb: 1 }, { id: 'nul\u0000id' }),
      { ...event('acme', 'storage', { gb: 1 }), data: { gb: 1, deep } },
      event('acme', 'storage', { gb: 2 }),
    ];
    const response = await ingest(batch);
    expect(response.status).toBe(200);
    expect(response.body.results.map((r: any) => r.code ?? r.status)).toEqual([
      'invalid_event',
      'invalid_event',
      'invalid_event',
      'invalid_event',
      'invalid_event',
      'invalid_event',
      'accepted',
    ]);
    expect(response.body.results[0].message).toMatch(/lone surrogate/);
    expect(response.body.results[3].message).toMatch(/U\+202E/);
    expect(response.body.results[5].message).toMatch(/levels deep/);
  });

  it('rejects dimension values too long together for a counter key, and takes long ones that fit', async () => {
    const long = 'é'.repeat(256);
    const response = await ingest([
      event('acme', 'wide', { a: long, b: long, c: long, d: long, e: long }),
      event('acme', 'wide', { a: 'x'.repeat(256), b: 'y'.repeat(256), c: 'z'.repeat(256) }),
    ]);
    expect(response.body.results.map((r: any) => r.code ?? r.status)).toEqual(['invalid_event', 'accepted']);
    expect(response.body.results[0].message).toMatch(/too long together/);
  });

  it('prices matrix dimensions named like Object.prototype members; "__proto__" is refused by name', async () => {
    const response = await stack.call('POST', '/v1/prices/evaluate', {
      currency: 'EUR',
      price: {
        model: 'matrix',
        dimensions: ['toString', 'constructor'],
        entries: [{ match: { toString: 'gpt', constructor: 'eu' }, price: { model: 'per_unit', unit_price: '2' } }],
        default_price: { model: 'per_unit', unit_price: '1' },
      },
      usage: [
        { dimensions: { toString: 'gpt', constructor: 'eu' }, quantity: '3' },
        { dimensions: { toString: 'other', hasOwnProperty: 'x', constructor: 'eu' }, quantity: '5' },
      ],
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.amount).toBe('11.00');
    // JSON text: in a JavaScript object literal, "__proto__" would set the prototype instead of a key.
    const proto = await refused(
      'POST',
      '/v1/prices/evaluate',
      undefined,
      400,
      '{"currency":"EUR","quantity":"1","price":{"model":"per_unit","unit_price":"1","__proto__":{"x":1}}}',
    );
    expect(proto.details[0]).toMatchObject({ path: '/price/__proto__' });
    const meter = await refused('POST', '/v1/meters', {
      key: 'p',
      name: 'P',
      event_type: 'p',
      aggregation: 'count',
      group_by: ['__proto__'],
    });
    expect(meter.details[0].path).toBe('/group_by/0');
  });

  it('counts meters, dimensions and plans named like Object.prototype members, and closes them', async () => {
    const response = await ingest([
      event('proto', 'proto', { constructor: 3, toString: '__proto__' }),
      event('proto', 'proto', { constructor: '4.5', toString: 'hasOwnProperty' }),
      event('proto', 'storage', { gb: 10 }),
    ]);
    expect(response.body.accepted).toBe(3);
    const usage = await stack.call(
      'GET',
      '/v1/customers/proto/usage?meter=constructor&from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z&granularity=total&group_by=toString',
    );
    expect(usage.status, JSON.stringify(usage.body)).toBe(200);
    const byDimension = usage.body.series.map((p: any) => [p.dimensions.toString, p.value]).sort();
    expect(byDimension).toEqual([
      ['__proto__', '3'],
      ['hasOwnProperty', '4.5'],
    ]);
    const upcoming = await stack.call('GET', '/v1/customers/proto/upcoming-invoice');
    expect(upcoming.status, JSON.stringify(upcoming.body)).toBe(200);
    expect(upcoming.body.subtotal).toBe('20.00');

    clock.set('2026-12-01T00:30:00Z');
    const run = await post('/v1/billing-runs', { as_of: '2026-12-01T00:30:00Z' }, 200);
    const outcome = run.results.find((r: any) => r.subscription_id === 'sub-proto');
    expect(outcome, JSON.stringify(run.results)).toMatchObject({ status: 'invoiced' });
    const invoice = (await stack.call('GET', `/v1/invoices/${outcome.invoice_id}`)).body;
    expect(invoice.subtotal).toBe('20.00');
  });
});

describe('billing runs', () => {
  it('refuses as_of in the future with 400 naming the field, and starts nothing', async () => {
    const error = await refused('POST', '/v1/billing-runs', { as_of: '2099-01-01T00:00:00Z' });
    expect(error.details[0].path).toBe('/as_of');
    expect(error.message).toMatch(/future/);
  });

  it('answers duplicate, not period_closed, for a stored event re-sent after its period was sealed', async () => {
    clock.set('2026-12-10T12:00:00Z');
    const original = event('acme', 'storage', { gb: 7 });
    expect((await ingest([original])).body.results[0].status).toBe('accepted');
    clock.set('2027-01-01T01:00:00Z');
    const run = await post('/v1/billing-runs', { as_of: '2027-01-01T01:00:00Z' }, 200);
    expect(run.results.find((r: any) => r.subscription_id === 'sub-acme')).toMatchObject({ status: 'invoiced' });
    // A total the books cannot hold (the near-limit counter above) is not sealed: reported, the customer stays open.
    const big = run.results.find((r: any) => r.subscription_id === 'sub-bigco');
    expect(big).toMatchObject({ status: 'failed', code: 'rating_failed' });
    expect(big.message).toMatch(/too large/);
    expect((await stack.call('GET', '/v1/customers/bigco')).body.billed_through).toBeUndefined();
    const again = await ingest([original, original, { ...original, id: `${original.id}-new` }]);
    expect(again.body.results.map((r: any) => r.code ?? r.status)).toEqual(['duplicate', 'duplicate', 'period_closed']);
  });

  it('marks a run left running by a dead process as interrupted, on the next start and in the list', async () => {
    const startedAt = new Date(clock.now.getTime() - 10 * 60_000).toISOString();
    await stack.deps.runs.put({ id: 'run_crashed', asOf: startedAt, status: 'running', startedAt, results: [] });
    const listed = await stack.call('GET', '/v1/billing-runs?limit=20');
    expect(listed.body.data.find((r: any) => r.id === 'run_crashed')).toMatchObject({ status: 'interrupted' });

    await stack.deps.runs.put({ id: 'run_crashed_2', asOf: startedAt, status: 'running', startedAt, results: [] });
    const restarted = await startTestStack({ clock, env: { BILLING_TABLE_NAME: stack.config.tableName } });
    try {
      const run = await restarted.call('GET', '/v1/billing-runs/run_crashed_2');
      expect(run.body).toMatchObject({ status: 'interrupted' });
      expect(run.body.error).toMatch(/interrupted/);
    } finally {
      await restarted.stop();
    }
  });

  it('lists recent runs with their outcomes', async () => {
    const list = await stack.call('GET', '/v1/billing-runs?limit=5');
    expect(list.status).toBe(200);
    expect(list.body.data.length).toBeGreaterThan(0);
    expect(list.body.data.map((r: any) => r.status)).toContain('succeeded');
    await refused('GET', '/v1/billing-runs?limit=0', undefined);
  });
});

describe('API input', () => {
  it('bounds numbers before any arithmetic', async () => {
    const started = Date.now();
    const error = await refused('POST', '/v1/prices/evaluate', {
      currency: 'EUR',
      quantity: '1e100000000',
      price: { model: 'per_unit', unit_price: '1' },
    });
    expect(error.details[0].path).toBe('/quantity');
    expect(Date.now() - started).toBeLessThan(30_000); // generous: the old behaviour ran out of heap after a minute
    await refused('POST', '/v1/prices/evaluate', {
      currency: 'EUR',
      quantity: '1',
      price: { model: 'per_unit', unit_price: '1e-200' },
    });
  });

  it('takes only RFC 3339 instants and YYYY-MM-DD days', async () => {
    for (const [path, pointer] of [
      ['/v1/reports/revenue?from=2026-01-01&to=2026-02-01T00:00:00Z', '?/from'],
      ['/v1/reports/revenue?from=2026-01-01T00:00:00Z&to=yesterday', '?/to'],
      ['/v1/customers/acme/usage?meter=gb&from=0000-01-01T00:00:00Z&to=2026-12-01T00:00:00Z', '?/from'],
      ['/v1/invoices?from=2026-02-30T00:00:00Z', '?/from'],
    ] as const) {
      const error = await refused('GET', path, undefined);
      expect(
        error.details.map((d: any) => d.path),
        path,
      ).toContain(pointer);
    }
    const error = await refused('POST', '/v1/subscriptions', {
      customer: 'acme',
      plan: 'constructor',
      start_date: '01/12/2026',
    });
    expect(error.details[0].path).toBe('/start_date');
  });

  it('answers a malformed cursor with 400 invalid_cursor', async () => {
    for (const cursor of [
      'not-base64!',
      Buffer.from('not json').toString('base64url'),
      Buffer.from('{"PK":{"S":"x"}}').toString('base64url'),
      Buffer.from('{"PK":{"N":"1"},"SK":{"S":"x"},"GSI1PK":{"S":"INVOICES"},"GSI1SK":{"S":"x"}}').toString('base64url'),
      Buffer.from('{"PK":{"S":"x"},"SK":{"S":"x"},"GSI1PK":{"S":"CUSTOMERS"},"GSI1SK":{"S":"x"}}').toString(
        'base64url',
      ),
    ]) {
      const error = await refused('GET', `/v1/invoices?cursor=${cursor}`, undefined);
      expect(error.code).toBe('invalid_cursor');
    }
    expect((await refused('GET', '/v1/customers?cursor=%25%25%25', undefined)).code).toBe('invalid_cursor');
  });

  it('refuses ids over the length limit and path parameters that are not clean text', async () => {
    const long = 'a'.repeat(3000);
    for (const path of [
      `/v1/customers/${long}`,
      `/v1/invoices/${long}`,
      `/v1/meters/${long}`,
      `/v1/customers/${encodeURIComponent('acme\u0000')}`,
    ]) {
      const error = await refused('GET', path, undefined);
      expect(error.code, path).toBe('validation_failed');
    }
    await refused('POST', '/v1/customers', { id: long, name: 'Long', email: 'l@example.com', currency: 'EUR' });
  });

  it('refuses control characters, bidi overrides and lone surrogates in names', async () => {
    for (const name of ['NUL\u0000name', 'ESC\u001b[31m', 'invoice\u202Efdp.exe', 'lone\ud800', 'two\nlines']) {
      const error = await refused('POST', '/v1/customers', {
        id: 'evil',
        name,
        email: 'evil@example.com',
        currency: 'EUR',
      });
      expect(error.details[0].path, name).toBe('/name');
    }
    await refused('POST', '/v1/meters', {
      key: 'evil',
      name: 'ok',
      event_type: 'evil\u202E',
      aggregation: 'count',
    });
  });
});
