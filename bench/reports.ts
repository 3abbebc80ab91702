/**
 * Report latency with 10,000 invoices from 10,000 customers, over HTTP on the local stack:
 * the revenue report (per month, per customer, one month), the ingestion report (30 and 365 days of
 * sharded statistics), the invoices CSV export; and, at the adapter, one Query against 8 parallel
 * time slices for the same 10,000 invoices. Medians of 5 runs after a warm-up.
 *
 *   npx tsx bench/reports.ts [invoices]
 */

import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { StatsStore } from '../functions/adapters/dynamodb/stats.js';
import { revenueReport } from '../functions/app/reports.js';
import { invoiceRow } from '../functions/domain/revenue.js';
import { startDynamoDbLocal } from '../local/dynamodb-local.js';
import { startLocalStack } from '../local/stack.js';
import { baseFeeLine, graduatedUsageLine, sampleInvoice } from '../test/support/invoice-fixture.js';
import { processCpuMs, startProfile } from './support/profiling.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';

const COUNT = Number(process.argv[2] ?? 10_000);
/** Every how many customers one has usage this month (BENCH_USAGE_EVERY=1: all of them). */
const USAGE_EVERY = Number(process.env.BENCH_USAGE_EVERY ?? 10);
const YEAR_START = Date.parse('2026-01-01T00:00:00Z');
const YEAR_MS = 365 * 86_400_000;

async function parallel<T>(items: readonly T[], width: number, work: (item: T, index: number) => Promise<unknown>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        await work(items[i] as T, i);
      }
    }),
  );
}

async function median(runs: number, task: () => Promise<unknown>): Promise<number> {
  await task();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await task();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

async function main(): Promise<void> {
  const dynamodb = await startDynamoDbLocal();
  const stack = await startLocalStack({
    delivery: false,
    dynamodbEndpoint: dynamodb.endpoint,
    env: { BILLING_TABLE_NAME: `bench-${randomUUID()}`, BILLING_API_KEY: `bk_bench_${randomUUID()}` },
    logLevel: (process.env.BENCH_LOG ?? 'SILENT') as 'ERROR' | 'SILENT',
  });
  try {
    const { deps } = stack;
    const seedStarted = performance.now();
    const currencies = ['EUR', 'EUR', 'EUR', 'EUR', 'EUR', 'EUR', 'EUR', 'USD', 'USD', 'GBP'];
    await parallel(
      Array.from({ length: COUNT }, (_, i) => i),
      32,
      async (i) => {
        const customerId = `c${String(i).padStart(6, '0')}`;
        const issuedAt = new Date(YEAR_START + Math.floor(((i * 7919) % COUNT) * (YEAR_MS / COUNT))).toISOString();
        const currency = currencies[i % currencies.length]!;
        const quantity = String(1000 + ((i * 31) % 200_000));
        const base = sampleInvoice({
          id: `inv-${customerId}`,
          customerId,
          currency,
          planKey: ['starter', 'growth', 'scale'][i % 3]!,
          issuedAt,
          issueDate: issuedAt.slice(0, 10),
          lines: [baseFeeLine(), graduatedUsageLine({ quantity })],
        });
        const { number: _number, ...draft } = {
          ...base,
          series: `B-${customerId}`,
          status: i % 20 === 0 ? ('void' as const) : i % 5 < 2 ? ('paid' as const) : ('finalized' as const),
        };
        await deps.invoices.finalize(draft, (sequence) => `B-${customerId}-${sequence}`);
      },
    );
    // A year of ingestion statistics: every day, every shard, a few rejection codes.
    const stats = deps.stats;
    const days = Array.from({ length: 400 }, (_, d) =>
      new Date(YEAR_START + d * 86_400_000).toISOString().slice(0, 10),
    );
    let shard = 0;
    const seededStats = new StatsStore(deps.dynamo, stack.config.tableName, 8, () => shard++);
    await parallel(
      days.flatMap((day) => Array.from({ length: 8 }, () => day)),
      16,
      (day) =>
        seededStats.add([
          { day, accepted: 1000, duplicate: 10, rejected: { unknown_customer: 2, invalid_event: 1, period_closed: 1 } },
        ]),
    );
    const seedSeconds = (performance.now() - seedStarted) / 1000;

    // Active subscriptions for the same 10,000 customers, usage for every tenth (USAGE_EVERY): the upcoming report
    // and the customer list with estimates.
    const subsStarted = performance.now();
    const post = async (path: string, body: unknown, contentType = 'application/json') => {
      const response = await fetch(`${stack.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${stack.adminKey}`, 'content-type': contentType },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      return response.json() as Promise<any>;
    };
    await post('/v1/meters', { key: 'api', name: 'API calls', event_type: 'api.call', aggregation: 'count' });
    for (const currency of new Set(currencies))
      await post('/v1/plans', {
        key: `plan-${currency.toLowerCase()}`,
        name: `Usage ${currency}`,
        currency,
        interval: 'month',
        base_fee: { amount: '29.00', timing: 'in_arrears' },
        charges: [
          {
            meter: 'api',
            price: {
              model: 'graduated',
              tiers: [
                { up_to: '1000', unit_price: '0' },
                { up_to: '100000', unit_price: '0.002' },
                { up_to: null, unit_price: '0.001' },
              ],
            },
          },
        ],
      });
    const now = new Date();
    const monthStart = `${now.toISOString().slice(0, 7)}-01`;
    await parallel(
      Array.from({ length: COUNT }, (_, i) => i),
      32,
      async (i) => {
        const id = `c${String(i).padStart(6, '0')}`;
        const currency = currencies[i % currencies.length]!;
        await post('/v1/customers', {
          id,
          name: `Customer ${id}`,
          email: `${id}@example.com`,
          currency,
          timezone: 'UTC',
          locale: 'en',
        });
        await post('/v1/subscriptions', {
          customer: id,
          plan: `plan-${currency.toLowerCase()}`,
          start_date: monthStart,
        });
      },
    );
    const eventTime = new Date(now.getTime() - 3_600_000).toISOString();
    const events = Array.from({ length: Math.ceil(COUNT / USAGE_EVERY) }, (_, k) =>
      Array.from({ length: 5 }, (_, j) => ({
        specversion: '1.0',
        id: `bench-${k}-${j}`,
        source: 'bench',
        type: 'api.call',
        subject: `c${String(k * USAGE_EVERY).padStart(6, '0')}`,
        time: eventTime,
        data: {},
      })),
    ).flat();
    for (let i = 0; i < events.length; i += 500)
      await post('/v1/events', events.slice(i, i + 500), 'application/cloudevents-batch+json');
    const subsSeconds = (performance.now() - subsStarted) / 1000;
    // The refresh three times: the first after start (DynamoDB Local's JVM and Node's JIT not warmed on
    // this path yet: what the first scheduled refresh after `npm start` sees), then two as it runs after.
    // BENCH_PROFILE=file.cpuprofile: a CPU profile of the last one (open it in Chrome DevTools).
    const refreshes: Array<{ ms: number; javaMs: number; nodeMs: number }> = [];
    for (let run = 0; run < 3; run++) {
      const profiler = run === 2 && process.env.BENCH_PROFILE ? await startProfile() : undefined;
      const javaBefore = processCpuMs(dynamodb.pid);
      const nodeBefore = process.cpuUsage();
      const refreshStarted = performance.now();
      const refreshed = await post('/v1/reports/upcoming/refresh', undefined);
      const ms = performance.now() - refreshStarted;
      const node = process.cpuUsage(nodeBefore);
      refreshes.push({ ms, javaMs: processCpuMs(dynamodb.pid) - javaBefore, nodeMs: (node.user + node.system) / 1000 });
      if (profiler && process.env.BENCH_PROFILE)
        writeFileSync(process.env.BENCH_PROFILE, JSON.stringify(await profiler()));
      if (refreshed.subscriptions !== COUNT || refreshed.failed.length > 0)
        throw new Error(`refresh rated ${refreshed.subscriptions} subscriptions, ${refreshed.failed.length} failed`);
    }

    const get = async (path: string) => {
      const response = await fetch(`${stack.url}${path}`, { headers: { authorization: `Bearer ${stack.adminKey}` } });
      if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      return response.text();
    };
    const year = 'from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z';
    const monthly = JSON.parse(await get(`/v1/reports/revenue?${year}`)) as {
      totals: Array<{ count: number }>;
      void_count: number;
    };
    const counted = monthly.totals.reduce((n, t) => n + t.count, 0) + monthly.void_count;
    if (counted !== COUNT) throw new Error(`the report counted ${counted} invoices, expected ${COUNT}`);

    const rows: Array<[string, number]> = [];
    const measure = async (label: string, task: () => Promise<unknown>) => rows.push([label, await median(5, task)]);
    await measure(`revenue, 12 months by month (${COUNT} invoices)`, () =>
      get(`/v1/reports/revenue?${year}&group_by=month`),
    );
    await measure('revenue, 12 months by customer, top 5', () =>
      get(`/v1/reports/revenue?${year}&group_by=customer&limit=5`),
    );
    await measure('revenue, 12 months by customer, all groups', () =>
      get(`/v1/reports/revenue?${year}&group_by=customer`),
    );
    await measure('revenue, 12 months by plan', () => get(`/v1/reports/revenue?${year}&group_by=plan`));
    await measure('revenue, ragged range (Mar 15 - Sep 15) by month', () =>
      get('/v1/reports/revenue?from=2026-03-15T00:00:00Z&to=2026-09-15T00:00:00Z'),
    );
    await measure('revenue, one month by month', () =>
      get('/v1/reports/revenue?from=2026-06-01T00:00:00Z&to=2026-07-01T00:00:00Z'),
    );
    await measure(`upcoming, from the stored estimates (${COUNT} subscriptions)`, () =>
      get('/v1/reports/upcoming?top=5'),
    );
    await measure('customers, page of 1000', () => get('/v1/customers?limit=1000'));
    await measure('customers, page of 1000 with estimates', () => get('/v1/customers?limit=1000&include=estimate'));
    await measure('ingestion, 30 days (8 shards)', () =>
      get('/v1/reports/ingestion?from=2026-06-01T00:00:00Z&to=2026-07-01T00:00:00Z'),
    );
    await measure('ingestion, 365 days (8 shards)', () => get(`/v1/reports/ingestion?${year}`));
    await measure(`invoices.csv, 12 months (${COUNT} rows)`, () => get(`/v1/exports/invoices.csv?${year}`));
    const from = new Date(YEAR_START);
    const to = new Date(YEAR_START + YEAR_MS);
    const oneQuery = await median(5, () => deps.revenue.invoicesIssued(from, to, 1));
    const sliced = await median(5, () => deps.revenue.invoicesIssued(from, to, 8));
    // The same report from every invoice document (how it was built before the counters) and from the counters.
    const fromInvoices = await median(5, async () =>
      revenueReport(
        (await deps.revenue.invoicesIssued(from, to, 8)).map((invoice) => invoiceRow(invoice, 'month')),
        from,
        to,
        'month',
      ),
    );
    const fromCounters = await median(5, async () =>
      revenueReport(await deps.revenue.rows(from, to, 'month'), from, to, 'month'),
    );
    const writes = 200;
    const writeStarted = performance.now();
    for (let i = 0; i < writes; i++)
      await stats.add([{ day: '2027-02-01', accepted: 500, duplicate: 3, rejected: { invalid_value: 1 } }]);
    const perWrite = (performance.now() - writeStarted) / writes;

    console.log(
      `seeded ${COUNT} invoices (${COUNT} customers) and 400 days x 8 shards of statistics in ${seedSeconds.toFixed(1)} s\n`,
    );
    console.log(
      `seeded ${COUNT} customers with active subscriptions (usage for one in ${USAGE_EVERY}) in ${subsSeconds.toFixed(1)} s`,
    );
    const [cold, ...warm] = refreshes;
    const line = (r: { ms: number; javaMs: number; nodeMs: number }) =>
      `${(r.ms / 1000).toFixed(1)} s (${((r.ms * 1000) / COUNT).toFixed(0)} us per subscription; CPU ms per subscription: ` +
      `Node ${(r.nodeMs / COUNT).toFixed(2)}, DynamoDB Local ${(r.javaMs / COUNT).toFixed(2)})`;
    console.log(`refresh of the estimates (rates all ${COUNT} subscriptions, writes them; target <= 10 s)`);
    console.log(`  first after start  ${line(cold!)}`);
    for (const r of warm) console.log(`  again              ${line(r)}`);
    console.log('');
    console.log('report (HTTP, median of 5)'.padEnd(52), 'ms');
    for (const [label, ms] of rows) console.log(label.padEnd(52), ms.toFixed(0).padStart(6));
    console.log('\nadapter: invoices issued in 12 months');
    console.log('  one Query, pages read one after the other'.padEnd(52), oneQuery.toFixed(0).padStart(6));
    console.log('  8 time slices queried in parallel'.padEnd(52), sliced.toFixed(0).padStart(6));
    console.log('  ratio one / sliced'.padEnd(52), (oneQuery / sliced).toFixed(2).padStart(6));
    console.log('\nrevenue by month, 12 months, at the adapter');
    console.log('  from every invoice document'.padEnd(52), fromInvoices.toFixed(0).padStart(6));
    console.log('  from the revenue counters'.padEnd(52), fromCounters.toFixed(0).padStart(6));
    console.log('  ratio invoices / counters'.padEnd(52), (fromInvoices / fromCounters).toFixed(1).padStart(6));
    console.log(
      `\nstats write after an ingest request (one UpdateItem ADD), mean of ${writes}`.padEnd(52),
      perWrite.toFixed(2),
      'ms',
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
