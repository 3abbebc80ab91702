import { GetItemCommand, QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Envelope, recordUsage } from '../../functions/app/record-usage.js';
import { Decimal } from '../../functions/domain/decimal.js';
import { parseCloudEvent } from '../../functions/schemas/events.js';
import { directIngest, startTestStack, type TestClock, type TestStack, testClock } from '../support/stack.js';

/**
 * Day rollups (docs/storage.md): rating reads whole local days as one item per day, built from the
 * buckets the first time; a late event (before the customer's rollup watermark) marks its day in its
 * own transaction, and the day is rebuilt. What is billed must not change.
 */
let stack: TestStack;
let clock: TestClock;
let seq = 0;

const ZONE = 'Asia/Kolkata';
/** Nov 1, 00:00 in Kolkata (UTC+05:30). */
const PERIOD_START = Date.parse('2026-10-31T18:30:00Z');

interface Job {
  time: string;
  cpu: string;
  region: string;
  level: string;
}

const jobs: Job[] = [];

const cloudEvent = (job: Job, customer = 'kolkata') => ({
  specversion: '1.0',
  id: `job-${seq++}`,
  source: 'rollups',
  type: 'job',
  subject: customer,
  time: job.time,
  data: { cpu: job.cpu, region: job.region, level: job.level },
});

const ingest = async (batch: unknown[]) => {
  const response = await stack.call('POST', '/v1/events', batch, { contentType: 'application/cloudevents-batch+json' });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  expect(response.body.rejected, JSON.stringify(response.body.results)).toBe(0);
  return response.body;
};

/** What the plan's charges should bill, computed straight from the events. */
function expected(events: readonly Job[]) {
  const ordered = [...events].sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
  return {
    jobs: String(events.length),
    cpu: events.reduce((sum, e) => sum.plus(e.cpu), new Decimal(0)).toString(),
    peak: events.reduce((max, e) => Decimal.max(max, e.cpu), new Decimal(0)).toString(),
    level: ordered.at(-1)?.level ?? '0',
  };
}

async function quantities(customer = 'kolkata'): Promise<Record<string, string>> {
  const upcoming = await stack.call('GET', `/v1/customers/${customer}/upcoming-invoice`);
  expect(upcoming.status, JSON.stringify(upcoming.body)).toBe(200);
  return Object.fromEntries(
    upcoming.body.lines
      .filter((line: any) => line.kind === 'usage')
      .map((line: any) => [line.meter, new Decimal(line.quantity).toString()]),
  );
}

const rollupItems = async (customer = 'kolkata') =>
  (
    await stack.deps.dynamo.send(
      new QueryCommand({
        TableName: stack.config.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :r)',
        ExpressionAttributeValues: { ':pk': { S: `USAGE#${customer}#T#job` }, ':r': { S: `R#${ZONE}#` } },
        ConsistentRead: true,
      }),
    )
  ).Items ?? [];

const lateMarks = async (customer: string, month: string) =>
  (
    await stack.deps.dynamo.send(
      new GetItemCommand({
        TableName: stack.config.tableName,
        Key: { PK: { S: `ROLLUP#${customer}` }, SK: { S: `LATE#${month}` } },
        ConsistentRead: true,
      }),
    )
  ).Item;

async function customer(id: string) {
  const created = await stack.call('POST', '/v1/customers', {
    id,
    name: id,
    email: `${id}@example.com`,
    currency: 'EUR',
    timezone: ZONE,
  });
  expect(created.status).toBe(201);
  const subscribed = await stack.call('POST', '/v1/subscriptions', {
    customer: id,
    plan: 'jobs',
    start_date: '2026-11-01',
  });
  expect(subscribed.status, JSON.stringify(subscribed.body)).toBe(201);
}

beforeAll(async () => {
  clock = testClock('2026-11-20T12:00:00Z');
  stack = await startTestStack({ clock, archive: true });
  const meters = [
    { key: 'jobs', name: 'Jobs', event_type: 'job', aggregation: 'count' },
    { key: 'cpu', name: 'CPU', event_type: 'job', aggregation: 'sum', value_property: 'cpu', group_by: ['region'] },
    { key: 'peak', name: 'Peak', event_type: 'job', aggregation: 'max', value_property: 'cpu' },
    { key: 'level', name: 'Level', event_type: 'job', aggregation: 'latest', value_property: 'level' },
  ];
  for (const meter of meters) expect((await stack.call('POST', '/v1/meters', meter)).status).toBe(201);
  const plan = await stack.call('POST', '/v1/plans', {
    key: 'jobs',
    name: 'Jobs',
    currency: 'EUR',
    interval: 'month',
    charges: meters.map((meter) => ({ meter: meter.key, price: { model: 'per_unit', unit_price: '0.01' } })),
  });
  expect(plan.status, JSON.stringify(plan.body)).toBe(201);
  await customer('kolkata');
  // Events across Nov 1 (local) to now, every 50 minutes or so, over two regions.
  for (let t = PERIOD_START + 7 * 60_000, i = 0; t < clock.now.getTime() - 60_000; t += 53 * 60_000, i++) {
    jobs.push({
      time: new Date(t).toISOString(),
      cpu: new Decimal((i * 37) % 101).div(4).toString(),
      region: i % 3 === 0 ? 'eu' : 'in',
      level: String(i % 17),
    });
  }
  for (let i = 0; i < jobs.length; i += 100) await ingest(jobs.slice(i, i + 100).map((job) => cloudEvent(job)));
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe('day rollups', () => {
  it('rates the same from buckets and from the day rollups it builds', async () => {
    const want = expected(jobs);
    expect(await quantities()).toEqual(want);
    // Nov 1 to Nov 19 (local) ended over an hour ago: one rollup each. Nov 20 (from 18:30Z on the 19th)
    // is not over: its hours that ended over an hour ago (to 10:30Z) have one each, the rest is buckets.
    const items = (await rollupItems()).map((item) => item.SK!.S!);
    expect(items.filter((key) => key.split('#').length === 3)).toEqual(
      Array.from({ length: 19 }, (_, d) => `R#${ZONE}#2026-11-${String(d + 1).padStart(2, '0')}`),
    );
    const hours = items.filter((key) => key.split('#').length === 4);
    expect(hours).toHaveLength(16);
    expect(hours[0]).toBe(`R#${ZONE}#2026-11-20#2026-11-19T18:30Z`);
    expect(hours.at(-1)).toBe(`R#${ZONE}#2026-11-20#2026-11-20T09:30Z`);
    const state = await stack.deps.customers.states(['kolkata']);
    expect(state.get('kolkata')?.rolledThrough?.toISOString()).toBe('2026-11-20T10:30:00.000Z');
    // Read again: from the rollups now.
    expect(await quantities()).toEqual(want);
  });

  it('takes a late event into a day already rolled up (its day is marked and rebuilt)', async () => {
    const late: Job = { time: '2026-11-05T03:00:00Z', cpu: '999.5', region: 'eu', level: '77' };
    await ingest([cloudEvent(late)]);
    jobs.push(late);
    const marks = await lateMarks('kolkata', '2026-11');
    expect(marks?.d05?.N).toBe('1');
    expect(await quantities()).toEqual(expected(jobs));
    // The day's rollup now records the mark it was rebuilt with.
    const day = (await rollupItems()).find((item) => item.SK!.S === `R#${ZONE}#2026-11-05`);
    expect(day?.revs?.S).toBe('2026-11-04=0,2026-11-05=1');
  });

  it('usage per day (from rollups) equals usage per hour added up per local day', async () => {
    const range = `from=${new Date(PERIOD_START).toISOString()}&to=2026-11-20T12:00:00Z`;
    const days = (await stack.call('GET', `/v1/customers/kolkata/usage?meter=cpu&granularity=day&${range}`)).body;
    const hours = (await stack.call('GET', `/v1/customers/kolkata/usage?meter=cpu&granularity=hour&${range}`)).body;
    const perDay = new Map<string, Decimal>();
    for (const point of hours.series) {
      const day = days.series.find((d: any) => d.start <= point.start && point.start < d.end);
      expect(day, point.start).toBeDefined();
      perDay.set(day.start, (perDay.get(day.start) ?? new Decimal(0)).plus(point.value));
    }
    for (const day of days.series) expect(new Decimal(day.value).eq(perDay.get(day.start) ?? 0), day.start).toBe(true);
    expect(days.series).toHaveLength(20);
  });

  it('reconcile compares the day rollups with the buckets and names a rollup that differs', async () => {
    const range = `customer=kolkata&from=${new Date(PERIOD_START).toISOString()}&to=2026-11-20T12:00:00Z`;
    await stack.archive!.idle();
    const clean = await stack.call('GET', `/v1/reconcile?${range}`);
    expect(clean.status, JSON.stringify(clean.body)).toBe(200);
    expect(clean.body.mismatch_count).toBe(0);
    // Corrupt one rollup behind the API's back (its marks still match, so rating would use it).
    await stack.deps.dynamo.send(
      new UpdateItemCommand({
        TableName: stack.config.tableName,
        Key: { PK: { S: 'USAGE#kolkata#T#job' }, SK: { S: `R#${ZONE}#2026-11-07` } },
        UpdateExpression: 'ADD #n :one',
        ExpressionAttributeNames: { '#n': 'c|jobs|n|' },
        ExpressionAttributeValues: { ':one': { N: '1' } },
      }),
    );
    const report = await stack.call('GET', `/v1/reconcile?${range}`);
    expect(report.body.mismatches).toEqual([
      {
        meter: 'jobs',
        bucket: '',
        dimensions: {},
        field: 'rollups',
        expected: String(jobs.length),
        actual: String(jobs.length + 1),
      },
    ]);
  });

  it('reads sparse usage from its buckets alone: no rollup, no watermark', async () => {
    await customer('sparse');
    const few: Job[] = [
      { time: '2026-11-03T06:00:00Z', cpu: '2', region: 'in', level: '4' },
      { time: '2026-11-12T06:00:00Z', cpu: '5', region: 'eu', level: '3' },
    ];
    await ingest(few.map((job) => cloudEvent(job, 'sparse')));
    expect(await quantities('sparse')).toEqual(expected(few));
    expect(await rollupItems('sparse')).toEqual([]);
    expect((await stack.deps.customers.states(['sparse'])).get('sparse')?.rolledThrough).toBeUndefined();
  });

  it('an ingest that read the watermark before a rollup moved it is cancelled and marks its day', async () => {
    await customer('racer');
    // Busy enough for day rollups (more buckets than one page of 96): every 30 minutes from Nov 1 to 9.
    const history: Job[] = Array.from({ length: 9 * 48 }, (_, i) => ({
      time: new Date(PERIOD_START + i * 1_800_000).toISOString(),
      cpu: '1',
      region: 'in',
      level: '1',
    }));
    for (let i = 0; i < history.length; i += 100)
      await ingest(history.slice(i, i + 100).map((job) => cloudEvent(job, 'racer')));
    const first: Job = { time: '2026-11-10T06:00:00Z', cpu: '3', region: 'in', level: '1' };
    await ingest([cloudEvent(first, 'racer')]);
    expect(await quantities('racer')).toEqual(expected([...history, first]));
    expect((await stack.deps.customers.states(['racer'])).get('racer')?.rolledThrough).toBeDefined();

    // This ingest saw the customer before any rollup existed (its read is stale): its transaction
    // must fail on the watermark, and the retry must mark the day.
    const racing: Job = { time: '2026-11-10T07:00:00Z', cpu: '4', region: 'eu', level: '2' };
    const parsed = parseCloudEvent(cloudEvent(racing, 'racer'), 0, clock.now);
    if (!parsed.ok) throw new Error(parsed.message);
    let reads = 0;
    const result = await recordUsage(
      directIngest(stack, clock, async (ids) => {
        const states = await stack.deps.customers.states(ids);
        if (reads++ > 0) return states;
        return new Map([...states].map(([id, state]) => [id, { ...state, rolledThrough: undefined }]));
      }),
      [parsed as Envelope],
    );
    expect(result.accepted).toBe(1);
    expect(reads).toBe(2);
    expect((await lateMarks('racer', '2026-11'))?.d10?.N).toBe('1');
    expect(await quantities('racer')).toEqual(expected([...history, first, racing]));
  });
});
