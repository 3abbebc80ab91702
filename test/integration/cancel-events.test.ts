import { gunzipSync } from 'node:zlib';
import { DeleteItemCommand, GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealCustomer } from '../../functions/adapters/dynamodb/customers.js';
import { eventItemKey } from '../../functions/adapters/dynamodb/usage.js';
import { createS3Client } from '../../functions/adapters/s3/client.js';
import { parseArchiveLine } from '../../functions/adapters/s3/event-archive.js';
import { Decimal } from '../../functions/domain/decimal.js';
import { storeSnapshot } from '../support/snapshot.js';
import { startTestStack, type TestClock, type TestStack, testClock } from '../support/stack.js';

/**
 * Cancelling accepted events (POST /v1/events/cancel): exactly once, in one transaction with its
 * counters, visible in the usage API at once, in the day rollups, the usage totals under hard limits
 * and the event archive (reconcile leaves cancelled events out).
 */
let stack: TestStack;
let clock: TestClock;
let s3: S3Client;
let seq = 0;

const MONTH = 'from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z';

const event = (subject: string, type: string, time: string, data: Record<string, unknown> = {}) => ({
  specversion: '1.0',
  id: `cancel-${seq++}`,
  source: 'cancel-test',
  type,
  subject,
  time,
  data,
});

async function ingest(batch: unknown[]) {
  const response = await stack.call('POST', '/v1/events', batch, { contentType: 'application/cloudevents-batch+json' });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const cancel = (body: unknown) => stack.call('POST', '/v1/events/cancel', body);

async function post(path: string, body: unknown, status = 201) {
  const response = await stack.call('POST', path, body);
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  return response.body;
}

/** A meter's usage over November (UTC) from the counters: its value and event count. */
async function usage(customer: string, meter: string, extra = '') {
  const response = await stack.call('GET', `/v1/customers/${customer}/usage?meter=${meter}&${MONTH}${extra}`);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  const points = response.body.series as Array<{ value: string; events: number }>;
  return {
    value: points.reduce((total, p) => total.plus(p.value), new Decimal(0)).toString(),
    events: points.reduce((total, p) => total + p.events, 0),
  };
}

async function reconcile(customer: string) {
  await stack.archive!.idle();
  const response = await stack.call('GET', `/v1/reconcile?customer=${customer}&${MONTH}`);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
}

const snapshot = () => storeSnapshot(stack);

/** A cancel refused with `status` and `code`; the store must be unchanged after it. */
async function refused(body: unknown, status: number, options: { raw?: string } = {}) {
  const before = await snapshot();
  const response = await stack.call('POST', '/v1/events/cancel', body, options.raw === undefined ? {} : options);
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.body.error?.code, JSON.stringify(response.body)).toBeTypeOf('string');
  expect(await snapshot()).toEqual(before);
  return response.body.error;
}

const storedItem = async (source: string, id: string) =>
  (
    await stack.deps.dynamo.send(
      new GetItemCommand({
        TableName: stack.config.eventsTableName,
        Key: eventItemKey(source, id),
        ConsistentRead: true,
      }),
    )
  ).Item;

beforeAll(async () => {
  clock = testClock('2026-11-20T12:00:00Z');
  stack = await startTestStack({ clock, archive: true });
  s3 = createS3Client({ region: 'us-east-1', s3Endpoint: stack.archive!.s3.endpoint });
  await post('/v1/meters', { key: 'calls', name: 'Calls', event_type: 'call', aggregation: 'count' });
  await post('/v1/meters', {
    key: 'minutes',
    name: 'Minutes',
    event_type: 'call',
    aggregation: 'sum',
    value_property: 'minutes',
    group_by: ['country'],
  });
  await post('/v1/meters', {
    key: 'lines',
    name: 'Open lines',
    event_type: 'call',
    aggregation: 'weighted_sum',
    value_property: 'delta',
    per: 'hour',
  });
  await post('/v1/meters', { key: 'pings', name: 'Pings', event_type: 'ping', aggregation: 'count' });
  await post('/v1/meters', {
    key: 'peak',
    name: 'Peak latency',
    event_type: 'ping',
    aggregation: 'max',
    value_property: 'ms',
  });
  await post('/v1/plans', {
    key: 'strict',
    name: 'Strict',
    currency: 'EUR',
    interval: 'month',
    late_usage: 'reject',
    charges: [{ meter: 'calls', price: { model: 'per_unit', unit_price: '0.01' } }],
  });
  for (const id of ['anna', 'race', 'rolls', 'mixed', 'sealed', 'limited', 'archived', 'old'])
    await post('/v1/customers', { id, name: id, email: `${id}@example.com`, currency: 'EUR', timezone: 'UTC' });
}, 120_000);

afterAll(async () => {
  s3?.destroy();
  await stack?.stop();
});

describe('cancelling an event', () => {
  it('takes the event out of every counter at once, exactly once; a re-sent copy stays a duplicate', async () => {
    const kept = event('anna', 'call', '2026-11-18T10:05:00Z', { minutes: '3.5', country: 'DE', delta: '2' });
    const gone = event('anna', 'call', '2026-11-18T10:10:00Z', { minutes: '1.25', country: 'DE', delta: '1' });
    expect((await ingest([kept, gone])).accepted).toBe(2);
    const before = {
      calls: await usage('anna', 'calls'),
      minutes: await usage('anna', 'minutes'),
      lines: await usage('anna', 'lines'),
    };
    expect(before.calls).toEqual({ value: '2', events: 2 });
    expect(before.minutes.value).toBe('4.75');

    const cancelled = await cancel({ source: gone.source, id: gone.id });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect(cancelled.body).toMatchObject({
      status: 'cancelled',
      source: 'cancel-test',
      id: gone.id,
      customer: 'anna',
      time: '2026-11-18T10:10:00.000Z',
      cancelled_at: clock.now.toISOString(),
    });
    expect(await usage('anna', 'calls')).toEqual({ value: '1', events: 1 });
    expect(await usage('anna', 'minutes')).toEqual({ value: '3.5', events: 1 });
    // The level: only `kept` (2 open lines from 10:05 to the end of the month), in line-hours.
    const hours = new Decimal(Date.parse('2026-12-01T00:00:00Z') - Date.parse('2026-11-18T10:05:00Z')).div(3_600_000);
    expect(new Decimal((await usage('anna', 'lines')).value).toFixed(6)).toBe(hours.times(2).toFixed(6));
    const item = await storedItem(gone.source, gone.id);
    expect(item?.cancelled_at?.S).toBe(clock.now.toISOString());

    // Cancelling again changes nothing and says when it was cancelled.
    clock.advance(60_000);
    const again = await cancel({ source: gone.source, id: gone.id });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: 'already_cancelled', cancelled_at: cancelled.body.cancelled_at });
    expect(await usage('anna', 'calls')).toEqual({ value: '1', events: 1 });

    // Re-sent: a duplicate, never counted again.
    const resent = await ingest([gone]);
    expect(resent.results[0].status).toBe('duplicate');
    expect(await usage('anna', 'minutes')).toEqual({ value: '3.5', events: 1 });

    const report = await reconcile('anna');
    expect(report.mismatch_count, JSON.stringify(report.mismatches)).toBe(0);
    expect(report.events).toBe(1);
  });

  it('a cancel racing its own event: either the event is counted once and the cancel found nothing, or it is cancelled', async () => {
    for (let round = 0; round < 20; round++) {
      const e = event('race', 'call', '2026-11-19T08:00:00Z', { minutes: '2', country: 'FR', delta: '0' });
      const before = await usage('race', 'minutes');
      const [posted, ...cancels] = await Promise.all([
        ingest([e]),
        // Staggered so that some cancels land before the ingest commits and some after it.
        ...Array.from({ length: 3 }, (_, i) =>
          sleep(((round + i) % 4) * 8).then(() => cancel({ source: e.source, id: e.id })),
        ),
      ]);
      expect(posted.results[0].status).toBe('accepted');
      const after = await usage('race', 'minutes');
      const answers = cancels.map((c) => `${c.status} ${c.body.status ?? c.body.error?.code}`);
      const cancelledOnce = answers.filter((a) => a === '200 cancelled').length;
      expect(cancelledOnce, answers.join(', ')).toBeLessThanOrEqual(1);
      if (cancelledOnce === 1) {
        expect(after).toEqual(before);
        for (const answer of answers)
          expect(['200 cancelled', '200 already_cancelled', '404 not_found']).toContain(answer);
      } else {
        for (const answer of answers) expect(answer).toBe('404 not_found');
        expect(new Decimal(after.value).minus(before.value).toString()).toBe('2');
        expect(after.events - before.events).toBe(1);
      }
      expect(new Decimal(after.value).gte(0)).toBe(true);
    }
    expect((await reconcile('race')).mismatch_count).toBe(0);
  });

  it('takes an event back from a day whose rollup was built (its day is marked and rebuilt)', async () => {
    // Two busy days (one event per 15 minutes): read as day rollups.
    const batch = [];
    for (let t = Date.parse('2026-11-10T00:00:00Z'); t < Date.parse('2026-11-12T00:00:00Z'); t += 900_000)
      batch.push(event('rolls', 'call', new Date(t).toISOString(), { minutes: '1', country: 'IT', delta: '0' }));
    expect((await ingest(batch)).accepted).toBe(192);
    const daily = await usage('rolls', 'minutes', '&granularity=day&timezone=UTC');
    expect(daily).toEqual({ value: '192', events: 192 });
    const rollups = await stack.deps.dynamo.send(
      new QueryCommand({
        TableName: stack.config.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :r)',
        ExpressionAttributeValues: { ':pk': { S: 'USAGE#rolls#T#call' }, ':r': { S: 'R#UTC#2026-11-1' } },
        ConsistentRead: true,
      }),
    );
    expect(rollups.Items?.map((item) => item.SK?.S)).toEqual(
      expect.arrayContaining(['R#UTC#2026-11-10', 'R#UTC#2026-11-11']),
    );

    const victim = batch[50]!;
    expect((await cancel({ source: victim.source, id: victim.id })).body.status).toBe('cancelled');
    const late = await stack.deps.dynamo.send(
      new GetItemCommand({
        TableName: stack.config.tableName,
        Key: { PK: { S: 'ROLLUP#rolls' }, SK: { S: 'LATE#2026-11' } },
        ConsistentRead: true,
      }),
    );
    expect(late.Item?.d10?.N).toBe('1');
    // Through the rollups (by day), through the buckets (by hour), in total: the same, one event less.
    expect(await usage('rolls', 'minutes', '&granularity=day&timezone=UTC')).toEqual({ value: '191', events: 191 });
    expect(await usage('rolls', 'minutes', '&granularity=hour')).toEqual({ value: '191', events: 191 });
    expect(await usage('rolls', 'calls', '&granularity=total&timezone=UTC')).toEqual({ value: '191', events: 191 });
    const report = await reconcile('rolls');
    expect(report.mismatch_count, JSON.stringify(report.mismatches)).toBe(0);
  });

  it('refuses an event a max meter counted: 422 not_cancellable naming the meter, nothing changed', async () => {
    const ping = event('mixed', 'ping', '2026-11-19T09:00:00Z', { ms: '120' });
    expect((await ingest([ping])).accepted).toBe(1);
    const error = await refused({ source: ping.source, id: ping.id }, 422);
    expect(error.code).toBe('not_cancellable');
    expect(error.message).toContain("meter 'peak'");
    expect(error.message).toContain('max');
    expect(await usage('mixed', 'pings')).toEqual({ value: '1', events: 1 });
    expect((await storedItem(ping.source, ping.id))?.cancelled_at).toBeUndefined();
  });

  it('answers a batch event by event', async () => {
    const a = event('mixed', 'call', '2026-11-19T10:00:00Z', { minutes: '5', country: 'US', delta: '0' });
    const b = event('mixed', 'call', '2026-11-19T10:01:00Z', { minutes: '7', country: 'US', delta: '0' });
    const ping = event('mixed', 'ping', '2026-11-19T10:02:00Z', { ms: '1' });
    expect((await ingest([a, b, ping])).accepted).toBe(3);
    expect((await cancel({ source: b.source, id: b.id })).body.status).toBe('cancelled');

    const response = await cancel({
      events: [
        { source: a.source, id: a.id },
        { source: b.source, id: b.id },
        { source: 'cancel-test', id: 'never-sent' },
        { source: ping.source, id: ping.id },
        { source: a.source, id: a.id },
      ],
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toMatchObject({ cancelled: 1, already_cancelled: 2, rejected: 2 });
    expect(response.body.results.map((r: any) => [r.index, r.status, r.code])).toEqual([
      [0, 'cancelled', undefined],
      [1, 'already_cancelled', undefined],
      [2, 'rejected', 'not_found'],
      [3, 'rejected', 'not_cancellable'],
      [4, 'already_cancelled', undefined],
    ]);
    expect(await usage('mixed', 'minutes')).toEqual({ value: '0', events: 0 });
  });

  it('refuses an event of a sealed period (late_usage: reject): 409 period_closed, nothing changed', async () => {
    await post('/v1/subscriptions', { id: 'sub-sealed', customer: 'sealed', plan: 'strict', start_date: '2026-11-01' });
    const early = event('sealed', 'call', '2026-11-15T10:00:00Z', { minutes: '1', country: 'DE', delta: '0' });
    const later = event('sealed', 'call', '2026-11-19T10:00:00Z', { minutes: '1', country: 'DE', delta: '0' });
    expect((await ingest([early, later])).accepted).toBe(2);
    await sealCustomer(stack.deps.dynamo, stack.config.tableName, 'sealed', new Date('2026-11-16T00:00:00Z'));
    const error = await refused({ source: early.source, id: early.id }, 409);
    expect(error.code).toBe('period_closed');
    expect((await cancel({ source: later.source, id: later.id })).body.status).toBe('cancelled');
    expect(await usage('sealed', 'calls')).toEqual({ value: '1', events: 1 });
  });

  it('gives back what the event charged to a usage total under a hard limit', async () => {
    await post('/v1/subscriptions', {
      id: 'sub-limited',
      customer: 'limited',
      plan: 'strict',
      start_date: '2026-11-01',
      usage_limits: { calls: { limit: '2', hard: true } },
    });
    const one = event('limited', 'call', '2026-11-19T11:00:00Z', { minutes: '1', country: 'DE', delta: '0' });
    const two = event('limited', 'call', '2026-11-19T11:01:00Z', { minutes: '1', country: 'DE', delta: '0' });
    const three = event('limited', 'call', '2026-11-19T11:02:00Z', { minutes: '1', country: 'DE', delta: '0' });
    const first = await ingest([one, two, three]);
    expect(first.results.map((r: any) => r.code ?? r.status)).toEqual(['accepted', 'accepted', 'usage_limit_exceeded']);
    expect((await cancel({ source: two.source, id: two.id })).body.status).toBe('cancelled');
    const retried = await ingest([three]);
    expect(retried.results[0].status).toBe('accepted');
    expect(await usage('limited', 'calls')).toEqual({ value: '2', events: 2 });
  });

  it('refuses an event older than the acceptance window: 422 too_old', async () => {
    const old = event('old', 'call', '2026-10-17T00:00:00Z', { minutes: '1', country: 'DE', delta: '0' });
    expect((await ingest([old])).accepted).toBe(1);
    const now = clock.now.toISOString();
    clock.set('2026-11-25T00:00:00Z');
    try {
      const error = await refused({ source: old.source, id: old.id }, 422);
      expect(error.code).toBe('too_old');
      expect(error.message).toMatch(/acceptance window/);
    } finally {
      clock.set(now);
    }
  });
});

describe('cancelled events in the event archive', () => {
  it('are archived as cancellation records and left out of reconcile after the raw events left the table', async () => {
    const kept = event('archived', 'call', '2026-11-17T10:00:00Z', { minutes: '4', country: 'NL', delta: '0' });
    const gone = event('archived', 'call', '2026-11-17T11:00:00Z', { minutes: '6', country: 'NL', delta: '0' });
    expect((await ingest([kept, gone])).accepted).toBe(2);
    expect((await reconcile('archived')).events).toBe(2);

    expect((await cancel({ source: gone.source, id: gone.id })).body.status).toBe('cancelled');
    await stack.archive!.idle();
    const listed = await s3.send(
      new ListObjectsV2Command({
        Bucket: stack.archive!.s3.bucket,
        Prefix: 'events/customer=archived/date=2026-11-17/',
      }),
    );
    const lines = [];
    for (const object of listed.Contents ?? []) {
      const got = await s3.send(new GetObjectCommand({ Bucket: stack.archive!.s3.bucket, Key: object.Key! }));
      const text = gunzipSync(await got.Body!.transformToByteArray()).toString('utf8');
      lines.push(...text.split('\n').filter(Boolean).map(parseArchiveLine));
    }
    const records = lines.filter((line) => line.id === gone.id);
    expect(records.map((line) => line.cancelledAt)).toEqual(
      expect.arrayContaining([undefined, clock.now.toISOString()]),
    );

    // What TTL does after the acceptance window: the raw events leave the table (a REMOVE, never archived).
    for (const e of [kept, gone])
      await stack.deps.dynamo.send(
        new DeleteItemCommand({ TableName: stack.config.eventsTableName, Key: eventItemKey(e.source, e.id) }),
      );
    const report = await reconcile('archived');
    expect(report.events).toBe(1);
    expect(report.mismatch_count, JSON.stringify(report.mismatches)).toBe(0);
    expect(report.meters.find((m: any) => m.meter === 'minutes')).toMatchObject({
      from_events: '4',
      from_counters: '4',
    });
  });
});

describe('hostile cancel requests', () => {
  it('refuses malformed bodies with 400 naming the field, and changes nothing', async () => {
    const cases: Array<[unknown, string]> = [
      [{ source: 'cancel-test' }, '/id'],
      [{ id: 'x' }, '/source'],
      [{ source: 1, id: 'x' }, '/source'],
      [{ source: 'cancel-test', id: ['x'] }, '/id'],
      [{ source: 'cancel-test', id: '' }, '/id'],
      [{ source: 'cancel-test', id: 'x', extra: true }, ''],
      [{ source: 'cancel-test', id: 'x', events: [{ source: 'a', id: 'b' }] }, '/source'],
      [{ events: [] }, '/events'],
      [{ events: 'all' }, '/events'],
      [{ events: [{ source: 'a' }] }, '/events/0/id'],
      [{ events: [{ source: 'a', id: 'b', why: 'c' }] }, '/events/0'],
      [{ source: 'cancel-test', id: 'a\u0000b' }, '/id'],
      [{ source: 'cancel-\u202e', id: 'x' }, '/source'],
      [{ source: 'cancel-test', id: 'line\nbreak' }, '/id'],
      [{ source: 'cancel-test', id: 'x'.repeat(257) }, '/id'],
      [{ events: Array.from({ length: 101 }, (_, i) => ({ source: 'a', id: `e${i}` })) }, '/events'],
      [[{ source: 'a', id: 'b' }], ''],
      [null, ''],
    ];
    for (const [body, path] of cases) {
      const error = await refused(body, 400);
      expect(error.code, JSON.stringify(body).slice(0, 100)).toBe('validation_failed');
      expect(
        error.details.map((d: any) => d.path),
        `${JSON.stringify(body).slice(0, 100)}: ${JSON.stringify(error.details)}`,
      ).toContain(path);
    }
  });

  it('refuses a lone surrogate by name', async () => {
    const error = await refused(undefined, 400, { raw: '{"source":"cancel-test","id":"\\ud800"}' });
    expect(error.details[0]).toMatchObject({ path: '/id' });
    expect(error.details[0].message).toMatch(/surrogate/);
  });

  it('treats constructor and __proto__ as plain names: not found, nothing changed', async () => {
    for (const body of [
      { source: 'constructor', id: '__proto__' },
      { source: '__proto__', id: 'constructor' },
    ]) {
      const error = await refused(body, 404);
      expect(error.code).toBe('not_found');
    }
    const raw = '{"__proto__":{"source":"x","id":"y"},"source":"toString","id":"constructor"}';
    const error = await refused(undefined, 400, { raw });
    expect(error.details.map((d: any) => d.path)).toContain('/__proto__');
  });

  it('cancels an event whose source and id are prototype names', async () => {
    const proto = { ...event('anna', 'call', '2026-11-19T12:00:00Z', { minutes: '1', country: 'DE', delta: '0' }) };
    proto.source = '__proto__';
    proto.id = 'constructor';
    expect((await ingest([proto])).accepted).toBe(1);
    const response = await cancel({ source: '__proto__', id: 'constructor' });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.status).toBe('cancelled');
  });
});

describe('plan settings for late usage', () => {
  it('stores late_usage and invoice_grace_hours, and says adjust when a plan leaves it out', async () => {
    const plan = await post('/v1/plans', {
      key: 'graceful',
      name: 'Graceful',
      currency: 'EUR',
      interval: 'month',
      late_usage: 'reject',
      invoice_grace_hours: 72,
    });
    expect(plan).toMatchObject({ late_usage: 'reject', invoice_grace_hours: 72 });
    const plain = await post('/v1/plans', { key: 'plain', name: 'Plain', currency: 'EUR', interval: 'month' });
    expect(plain.late_usage).toBe('adjust');
    expect(plain.invoice_grace_hours).toBeUndefined();
    const version = await post('/v1/plans/plain/versions', {
      name: 'Plain',
      currency: 'EUR',
      interval: 'month',
      invoice_grace_hours: 0,
    });
    expect(version).toMatchObject({ version: 2, late_usage: 'adjust', invoice_grace_hours: 0 });
    expect((await stack.call('GET', '/v1/plans/graceful')).body).toMatchObject({
      late_usage: 'reject',
      invoice_grace_hours: 72,
    });
  });

  it('refuses invalid values with 400 naming the field', async () => {
    const base = { key: 'bad', name: 'Bad', currency: 'EUR', interval: 'month' };
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ late_usage: 'sometimes' }, '/late_usage'],
      [{ late_usage: null }, '/late_usage'],
      [{ late_usage: true }, '/late_usage'],
      [{ invoice_grace_hours: -1 }, '/invoice_grace_hours'],
      [{ invoice_grace_hours: 721 }, '/invoice_grace_hours'],
      [{ invoice_grace_hours: 1.5 }, '/invoice_grace_hours'],
      [{ invoice_grace_hours: '24' }, '/invoice_grace_hours'],
    ];
    for (const [fields, path] of cases) {
      const response = await stack.call('POST', '/v1/plans', { ...base, ...fields });
      expect(response.status, JSON.stringify(response.body)).toBe(400);
      expect(response.body.error.details.map((d: any) => d.path)).toEqual([path]);
    }
    expect((await stack.call('GET', '/v1/plans/bad')).status).toBe(404);
  });
});
