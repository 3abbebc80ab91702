import { QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestClock, type TestStack, testClock } from '../support/stack.js';

/**
 * Rollups of unique_count markers (docs/storage.md, "Day rollups"): a busy month of distinct users is
 * rated from one rollup item per local day (its distinct values per dimension set) instead of every
 * (bucket, value) marker; a late event into a rolled-up day marks the day and the rollup is rebuilt.
 * What is billed must equal the distinct values of the events themselves.
 */
let stack: TestStack;
let clock: TestClock;
let seq = 0;

const ZONE = 'Asia/Kolkata';
/** Nov 1, 00:00 in Kolkata (UTC+05:30). */
const PERIOD_START = Date.parse('2026-10-31T18:30:00Z');
const USERS = ['ana', 'bo', 'cy', 'dee', 'eli', 'fay', 'gus', 'hal', 'ivy', 'jo', 'kai'];

interface Login {
  time: string;
  user: string;
  region: string;
}
const logins: Login[] = [];

const cloudEvent = (login: Login) => ({
  specversion: '1.0',
  id: `login-${seq++}`,
  source: 'marker-rollups',
  type: 'login',
  subject: 'kolkata',
  time: login.time,
  data: { user: login.user, region: login.region },
});

async function ingest(batch: Login[]) {
  const response = await stack.call('POST', '/v1/events', batch.map(cloudEvent), {
    contentType: 'application/cloudevents-batch+json',
  });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  expect(response.body.rejected, JSON.stringify(response.body.results)).toBe(0);
}

/** The local date in Kolkata of an instant. */
const localDate = (time: string) => new Date(Date.parse(time) + 330 * 60_000).toISOString().slice(0, 10);

async function billedUsers(): Promise<string> {
  const upcoming = await stack.call('GET', '/v1/customers/kolkata/upcoming-invoice');
  expect(upcoming.status, JSON.stringify(upcoming.body)).toBe(200);
  return upcoming.body.lines.find((line: any) => line.meter === 'users').quantity;
}

const rollups = async () =>
  (
    await stack.deps.dynamo.send(
      new QueryCommand({
        TableName: stack.config.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :r)',
        ExpressionAttributeValues: { ':pk': { S: 'USAGE#kolkata#users' }, ':r': { S: `R#${ZONE}#` } },
        ConsistentRead: true,
      }),
    )
  ).Items ?? [];

beforeAll(async () => {
  clock = testClock('2026-11-20T12:00:00Z');
  stack = await startTestStack({ clock, archive: true });
  const meter = await stack.call('POST', '/v1/meters', {
    key: 'users',
    name: 'Active users',
    event_type: 'login',
    aggregation: 'unique_count',
    value_property: 'user',
    group_by: ['region'],
  });
  expect(meter.status, JSON.stringify(meter.body)).toBe(201);
  const plan = await stack.call('POST', '/v1/plans', {
    key: 'seats',
    name: 'Seats',
    currency: 'EUR',
    interval: 'month',
    charges: [{ meter: 'users', price: { model: 'per_unit', unit_price: '2.00' } }],
  });
  expect(plan.status, JSON.stringify(plan.body)).toBe(201);
  const created = await stack.call('POST', '/v1/customers', {
    id: 'kolkata',
    name: 'Kolkata',
    email: 'kolkata@example.com',
    currency: 'EUR',
    timezone: ZONE,
  });
  expect(created.status).toBe(201);
  const subscribed = await stack.call('POST', '/v1/subscriptions', {
    customer: 'kolkata',
    plan: 'seats',
    start_date: '2026-11-01',
  });
  expect(subscribed.status, JSON.stringify(subscribed.body)).toBe(201);
  // A login every 47 minutes from Nov 1 (local) to now, ten of the eleven users, two regions: far
  // more markers than one page; `kai` never logs in until the late event below.
  for (let t = PERIOD_START + 5 * 60_000, i = 0; t < clock.now.getTime() - 60_000; t += 47 * 60_000, i++)
    logins.push({ time: new Date(t).toISOString(), user: USERS[(i * 7) % 10]!, region: i % 4 === 0 ? 'eu' : 'in' });
  for (let i = 0; i < logins.length; i += 100) await ingest(logins.slice(i, i + 100));
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe('unique_count rollups', () => {
  it('bills the distinct users from the buckets, then from the day rollups it builds', async () => {
    expect(logins.length).toBeGreaterThan(500);
    expect(await billedUsers()).toBe(String(new Set(logins.map((login) => login.user)).size));
    // Nov 1 to Nov 19 (local) are over: one rollup each, holding each day's distinct users per region.
    const days = (await rollups()).filter((item) => item.SK!.S!.split('#').length === 3);
    expect(days.map((item) => item.SK!.S)).toEqual(
      Array.from({ length: 19 }, (_, d) => `R#${ZONE}#2026-11-${String(d + 1).padStart(2, '0')}`),
    );
    const nov3 = days.find((item) => item.SK!.S === `R#${ZONE}#2026-11-03`)!;
    const want = ['eu', 'in'].map((region) => ({
      d: { region },
      v: [
        ...new Set(
          logins
            .filter((login) => login.region === region && localDate(login.time) === '2026-11-03')
            .map((login) => login.user),
        ),
      ].sort(),
    }));
    expect(JSON.parse(nov3.values!.S!)).toEqual(want);
    // Read again, from the rollups now: the same.
    expect(await billedUsers()).toBe('10');
  });

  it('counts distinct users per local day and per region from the rollups as from the events', async () => {
    const range = `from=${new Date(PERIOD_START).toISOString()}&to=2026-11-20T12:00:00Z`;
    const perDay = await stack.call('GET', `/v1/customers/kolkata/usage?meter=users&granularity=day&${range}`);
    expect(perDay.status).toBe(200);
    expect(perDay.body.series).toHaveLength(20);
    for (const point of perDay.body.series) {
      const day = localDate(point.start);
      const users = new Set(logins.filter((login) => localDate(login.time) === day).map((login) => login.user));
      expect(point.value, point.start).toBe(String(users.size));
    }
    const byRegion = await stack.call(
      'GET',
      `/v1/customers/kolkata/usage?meter=users&granularity=total&group_by=region&${range}`,
    );
    expect(byRegion.body.series.map((point: any) => [point.dimensions.region, point.value])).toEqual(
      ['eu', 'in'].map((region) => [
        region,
        String(new Set(logins.filter((login) => login.region === region).map((login) => login.user)).size),
      ]),
    );
  });

  it('takes a late login into a day already rolled up: the day is marked and its rollup rebuilt', async () => {
    const before = (await rollups()).find((item) => item.SK!.S === `R#${ZONE}#2026-11-05`)!;
    expect(before.values!.S).not.toContain('kai');
    const late: Login = { time: '2026-11-05T03:00:00Z', user: 'kai', region: 'eu' };
    await ingest([late]);
    logins.push(late);
    expect(await billedUsers()).toBe('11');
    const after = (await rollups()).find((item) => item.SK!.S === `R#${ZONE}#2026-11-05`)!;
    expect(after.revs!.S).toBe('2026-11-04=0,2026-11-05=1');
    expect(JSON.parse(after.values!.S!)[0]).toMatchObject({ d: { region: 'eu' }, v: expect.arrayContaining(['kai']) });
  });

  it('reconcile compares the marker rollups with the markers and names a rollup that differs', async () => {
    const range = `customer=kolkata&from=${new Date(PERIOD_START).toISOString()}&to=2026-11-20T12:00:00Z`;
    await stack.archive!.idle();
    const clean = await stack.call('GET', `/v1/reconcile?${range}`);
    expect(clean.status, JSON.stringify(clean.body)).toBe(200);
    expect(clean.body.mismatch_count).toBe(0);
    // A rollup altered behind the API's back (its marks still match, so rating would use it).
    const nov7 = (await rollups()).find((item) => item.SK!.S === `R#${ZONE}#2026-11-07`)!;
    const groups = JSON.parse(nov7.values!.S!) as Array<{ d: Record<string, string>; v: string[] }>;
    groups[0]!.v.push('mallory');
    await stack.deps.dynamo.send(
      new UpdateItemCommand({
        TableName: stack.config.tableName,
        Key: { PK: nov7.PK!, SK: nov7.SK! },
        UpdateExpression: 'SET #v = :v',
        ExpressionAttributeNames: { '#v': 'values' },
        ExpressionAttributeValues: { ':v': { S: JSON.stringify(groups) } },
      }),
    );
    const found = await stack.call('GET', `/v1/reconcile?${range}`);
    expect(found.body.mismatches).toEqual([
      expect.objectContaining({ meter: 'users', field: 'rollups', expected: '11', actual: '12' }),
    ]);
  });
});
