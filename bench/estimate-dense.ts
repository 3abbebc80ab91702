/**
 * The cost of rating one subscription whose usage fills every 15-minute bucket of its month (the
 * worst case for the estimates refresh and the close): the upcoming invoice of one customer with one,
 * two and three metered charges, over HTTP on the local stack. Medians of 5 after a warm-up.
 *
 *   npx tsx bench/estimate-dense.ts
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startLevels } from '../functions/app/usage-levels.js';
import { startDynamoDbLocal } from '../local/dynamodb-local.js';
import { startLocalStack } from '../local/stack.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';

const MONTH_START = Date.parse('2026-10-01T00:00:00Z');
const BUCKETS = 31 * 96;
let now = new Date('2026-10-31T23:50:00Z');

async function main(): Promise<void> {
  const dynamodb = await startDynamoDbLocal();
  const stack = await startLocalStack({
    clock: () => now,
    delivery: false,
    dynamodbEndpoint: dynamodb.endpoint,
    env: { BILLING_TABLE_NAME: `bench-${randomUUID()}`, BILLING_API_KEY: `bk_bench_${randomUUID()}` },
    logLevel: 'SILENT',
  });
  const call = async (method: string, path: string, body?: unknown, contentType = 'application/json') => {
    const response = await fetch(`${stack.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${stack.adminKey}`, 'content-type': contentType },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return response.json() as Promise<any>;
  };
  try {
    const meters = ['m1', 'm2', 'm3'];
    for (const key of meters)
      await call('POST', '/v1/meters', { key, name: key, event_type: `${key}.used`, aggregation: 'count' });
    for (const count of [1, 2, 3])
      await call('POST', '/v1/plans', {
        key: `p${count}`,
        name: `${count} charges`,
        currency: 'EUR',
        interval: 'month',
        charges: meters.slice(0, count).map((meter) => ({ meter, price: { model: 'per_unit', unit_price: '0.01' } })),
      });
    for (const count of [1, 2, 3]) {
      const id = `dense${count}`;
      await call('POST', '/v1/customers', {
        id,
        name: id,
        email: `${id}@example.com`,
        currency: 'EUR',
        timezone: 'UTC',
        locale: 'en',
      });
      await call('POST', '/v1/subscriptions', { customer: id, plan: `p${count}`, start_date: '2026-10-01' });
    }
    // One event per meter in every 15-minute bucket of October, for every customer.
    const seedStarted = performance.now();
    const events = [1, 2, 3].flatMap((count) =>
      meters.slice(0, count).flatMap((meter) =>
        Array.from({ length: BUCKETS }, (_, b) => ({
          specversion: '1.0',
          id: `dense${count}-${meter}-${b}`,
          source: 'bench',
          type: `${meter}.used`,
          subject: `dense${count}`,
          time: new Date(MONTH_START + b * 900_000 + 60_000).toISOString(),
          data: {},
        })),
      ),
    );
    for (let i = 0; i < events.length; i += 1000)
      await call('POST', '/v1/events', events.slice(i, i + 1000), 'application/cloudevents-batch+json');
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    now = new Date('2026-10-31T23:55:00Z');
    console.log(`seeded ${events.length} events (${BUCKETS} buckets per meter) in ${seedSeconds.toFixed(1)} s\n`);
    console.log('upcoming invoice of one subscription (HTTP, median of 5)'.padEnd(60), 'ms');
    for (const count of [1, 2, 3]) {
      const path = `/v1/customers/dense${count}/upcoming-invoice`;
      const first = await call('GET', path);
      if (first.lines[0].quantity !== String(BUCKETS))
        throw new Error(`expected ${BUCKETS}, got ${first.lines[0].quantity}`);
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        await call('GET', path);
        times.push(performance.now() - started);
      }
      const median = times.sort((a, b) => a - b)[2]!;
      console.log(`${count} metered charge(s), every bucket used`.padEnd(60), median.toFixed(0).padStart(6));
    }

    // Rating one charge, without HTTP: the quantity of a dense month from the counters (priceInputFor,
    // the close's and the refresh's own read), while the month is open (Oct 1-30 from day rollups, the
    // last day from its buckets) and once it is over (31 day rollups).
    const { priceInputFor } = await import('../functions/app/usage-input.js');
    // Requests to DynamoDB, counted on every client.
    const requests = { count: 0 };
    const send = DynamoDBClient.prototype.send;
    (DynamoDBClient.prototype as { send: unknown }).send = function (this: DynamoDBClient, ...args: unknown[]) {
      requests.count += 1;
      return (send as (...a: unknown[]) => unknown).apply(this, args);
    };
    const meter = await stack.deps.meters.get('m1');
    const price = { model: 'per_unit' as const, unit_price: '0.01' };
    /** Rates one charge of October from the counters (priceInputFor): ms; throws unless the quantity is `expected`. */
    const ratedIn = async (customer: string, rated: typeof meter, expected: string) => {
      const started = performance.now();
      const input = await priceInputFor(
        stack.deps.usage,
        customer,
        rated,
        price as never,
        new Date(MONTH_START),
        new Date('2026-11-01T00:00:00Z'),
        'UTC',
      );
      if (!('quantity' in input) || input.quantity?.toString() !== expected)
        throw new Error(`expected ${expected}, got ${JSON.stringify(input)}`);
      return performance.now() - started;
    };
    const rate = () => ratedIn('dense1', meter, String(BUCKETS));
    console.log('');
    console.log('one charge rated, without HTTP (median of 21)'.padEnd(60), 'ms');
    for (const [label, at] of [
      ['open month (30 day + 22 hour rollups, 8 buckets)', '2026-10-31T23:55:00Z'],
      ['closed month (31 day rollups)', '2026-11-01T01:30:00Z'],
    ] as const) {
      now = new Date(at);
      await rate();
      const times: number[] = [];
      const sent = requests.count;
      for (let i = 0; i < 21; i++) times.push(await rate());
      console.log(
        `${label}, ${((requests.count - sent) / 21).toFixed(1)} requests`.padEnd(60),
        times
          .sort((a, b) => a - b)[10]!
          .toFixed(1)
          .padStart(6),
      );
    }
    // The same read from the buckets alone (what rating cost before day rollups).
    const fromBuckets = async () => {
      const started = performance.now();
      const rows = await stack.deps.usage.counters('dense1', meter, '2026-10-01T00:00Z', '2026-11-01T00:00Z');
      if (rows.length !== BUCKETS) throw new Error(`expected ${BUCKETS} rows, got ${rows.length}`);
      return performance.now() - started;
    };
    await fromBuckets();
    const bucketTimes: number[] = [];
    for (let i = 0; i < 5; i++) bucketTimes.push(await fromBuckets());
    console.log(
      'the month read from its 2,976 buckets (median of 5)'.padEnd(60),
      bucketTimes
        .sort((a, b) => a - b)[2]!
        .toFixed(1)
        .padStart(6),
    );

    // unique_count: 4 of 40 users in every bucket (11,904 markers a month): rated from the markers of
    // every bucket, then from one marker rollup per day (the distinct users of the day).
    await call('POST', '/v1/meters', {
      key: 'users',
      name: 'Active users',
      event_type: 'login',
      aggregation: 'unique_count',
      value_property: 'user',
    });
    await call('POST', '/v1/customers', {
      id: 'denseu',
      name: 'denseu',
      email: 'denseu@example.com',
      currency: 'EUR',
      timezone: 'UTC',
      locale: 'en',
    });
    now = new Date('2026-10-31T23:50:00Z');
    const logins = Array.from({ length: BUCKETS * 4 }, (_, i) => ({
      specversion: '1.0',
      id: `denseu-${i}`,
      source: 'bench',
      type: 'login',
      subject: 'denseu',
      time: new Date(MONTH_START + Math.floor(i / 4) * 900_000 + (i % 4) * 60_000).toISOString(),
      data: { user: `user-${(i * 7 + Math.floor(i / 4)) % 40}` },
    }));
    for (let i = 0; i < logins.length; i += 1000)
      await call('POST', '/v1/events', logins.slice(i, i + 1000), 'application/cloudevents-batch+json');
    const users = await stack.deps.meters.get('users');
    const distinct = String(new Set(logins.map((login) => login.data.user)).size);
    const rateUsers = () => ratedIn('denseu', users, distinct);
    const fromMarkers = async () => {
      const started = performance.now();
      const rows = await stack.deps.usage.markers('denseu', 'users', '2026-10-01T00:00Z', '2026-11-01T00:00Z');
      if (rows.length !== logins.length) throw new Error(`expected ${logins.length} markers, got ${rows.length}`);
      return performance.now() - started;
    };
    const medianOf = async (runs: number, task: () => Promise<number>) => {
      await task();
      const times: number[] = [];
      for (let i = 0; i < runs; i++) times.push(await task());
      return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
    };
    now = new Date('2026-11-01T01:30:00Z');
    const sentBefore = requests.count;
    const built = await rateUsers();
    const sentBuilding = requests.count - sentBefore;
    console.log('');
    console.log(`unique_count, ${distinct} distinct of ${logins.length} markers (closed month)`.padEnd(60), 'ms');
    console.log(
      `first rating (builds 31 marker rollups), ${sentBuilding} requests`.padEnd(60),
      built.toFixed(1).padStart(6),
    );
    const sent = requests.count;
    const fromRollups = await medianOf(21, rateUsers);
    console.log(
      `rated from the rollups (median of 21), ${((requests.count - sent) / 22).toFixed(1)} requests`.padEnd(60),
      fromRollups.toFixed(1).padStart(6),
    );
    console.log(
      'the month read from its markers (median of 5)'.padEnd(60),
      (await medianOf(5, fromMarkers)).toFixed(1).padStart(6),
    );

    // weighted_sum: the level carried into November after a year of daily changes (Nov 2025 - Oct
    // 2026, one a day, posted month by month as the clock goes), read from the whole history and from
    // the newest monthly level snapshot that holds (the 35-day window: October 1).
    await call('POST', '/v1/meters', {
      key: 'storage',
      name: 'Storage',
      event_type: 'storage.changed',
      aggregation: 'weighted_sum',
      value_property: 'gb',
      per: 'hour',
    });
    await call('POST', '/v1/customers', {
      id: 'levels',
      name: 'levels',
      email: 'levels@example.com',
      currency: 'EUR',
      timezone: 'UTC',
      locale: 'en',
    });
    const yearStart = Date.parse('2025-11-01T00:00:00Z');
    const days = (Date.parse('2026-11-01T00:00:00Z') - yearStart) / 86_400_000;
    let level = 0;
    for (let month = 0; month < 12; month++) {
      const monthStart = Date.UTC(2025, 10 + month, 1);
      const monthEnd = Date.UTC(2025, 11 + month, 1);
      const changes = [];
      for (let t = monthStart + 3_600_000; t < monthEnd; t += 86_400_000) {
        // +2, -1, +1 GB in turn: negative changes too.
        const gb = [2, -1, 1][Math.floor((t - yearStart) / 86_400_000) % 3]!;
        level += gb;
        changes.push({
          specversion: '1.0',
          id: `level-${t}`,
          source: 'bench',
          type: 'storage.changed',
          subject: 'levels',
          time: new Date(t).toISOString(),
          data: { gb: String(gb) },
        });
      }
      now = new Date(monthEnd - 60_000);
      await call('POST', '/v1/events', changes, 'application/cloudevents-batch+json');
    }
    now = new Date('2026-11-20T12:00:00Z');
    const storage = await stack.deps.meters.get('storage');
    const november = new Date('2026-11-01T00:00:00Z');
    const levelIn = async (finality?: { now: Date; acceptanceWindowDays: number }) => {
      const started = performance.now();
      const levels = await startLevels(stack.deps.usage, 'levels', storage, november, 'UTC', finality);
      if (levels[0]?.level.toString() !== String(level)) throw new Error(`expected ${level}, got ${levels[0]?.level}`);
      return performance.now() - started;
    };
    const finality = { now, acceptanceWindowDays: 35 };
    console.log('');
    console.log(`weighted_sum level at Nov 1 after ${days} days of daily changes`.padEnd(60), 'ms');
    let sentLevels = requests.count;
    const history = await medianOf(5, () => levelIn());
    console.log(
      `from the whole history (median of 5), ${((requests.count - sentLevels) / 6).toFixed(1)} requests`.padEnd(60),
      history.toFixed(1).padStart(6),
    );
    await levelIn(finality);
    sentLevels = requests.count;
    const snapshotted = await medianOf(5, () => levelIn(finality));
    console.log(
      `from the October 1 snapshot (median of 5), ${((requests.count - sentLevels) / 6).toFixed(1)} requests`.padEnd(
        60,
      ),
      snapshotted.toFixed(1).padStart(6),
    );
  } finally {
    await stack.stop();
    await dynamodb.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
