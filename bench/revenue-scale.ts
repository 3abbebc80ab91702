/**
 * The revenue report by customer when every one of 10,000 customers is invoiced every month: a year
 * is 120,000 invoices. A calendar year reads the yearly counters (10,000 items); any other range reads
 * one month partition of 10,000 items per month (Feb-Dec: 110,000).
 * The counters are written directly (what 120,000 finalized invoices would have added), then the
 * report is timed over HTTP on the local stack. Medians of 5 runs after a warm-up.
 *
 *   npx tsx bench/revenue-scale.ts [customers]
 */
import { randomUUID } from 'node:crypto';
import { TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { revenueCounterUpdates } from '../functions/adapters/dynamodb/revenue.js';
import { contribution } from '../functions/domain/revenue.js';
import { startDynamoDbLocal } from '../local/dynamodb-local.js';
import { startLocalStack } from '../local/stack.js';
import { sampleInvoice } from '../test/support/invoice-fixture.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';

const CUSTOMERS = Number(process.argv[2] ?? 10_000);

async function parallel<T>(items: readonly T[], width: number, work: (item: T) => Promise<unknown>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

async function median(task: () => Promise<unknown>): Promise<number> {
  await task();
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    await task();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[2]!;
}

async function main(): Promise<void> {
  const dynamodb = await startDynamoDbLocal();
  const stack = await startLocalStack({
    clock: () => new Date('2026-11-20T12:00:00Z'),
    delivery: false,
    dynamodbEndpoint: dynamodb.endpoint,
    env: { BILLING_TABLE_NAME: `bench-${randomUUID()}`, BILLING_API_KEY: `bk_bench_${randomUUID()}` },
    logLevel: 'SILENT',
  });
  try {
    const seedStarted = performance.now();
    const jobs = Array.from({ length: CUSTOMERS * 12 }, (_, i) => ({
      customer: i % CUSTOMERS,
      month: Math.floor(i / CUSTOMERS),
    }));
    await parallel(jobs, 32, async ({ customer, month }) => {
      const customerId = `c${String(customer).padStart(6, '0')}`;
      const issuedAt = new Date(Date.UTC(2026, month, 1, 2)).toISOString();
      const invoice = sampleInvoice({ id: `inv-${customerId}-${month}`, customerId, issuedAt, currency: 'EUR' });
      // Only the per-customer counters (month, year): the reports under test read no other.
      const [, , perMonth, perYear] = revenueCounterUpdates(stack.config.tableName, invoice, contribution(invoice));
      await stack.deps.dynamo.send(new TransactWriteItemsCommand({ TransactItems: [perMonth!, perYear!] }));
    });
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    const get = async (path: string) => {
      const response = await fetch(`${stack.url}${path}`, { headers: { authorization: `Bearer ${stack.adminKey}` } });
      if (!response.ok) throw new Error(`${path}: ${response.status}`);
      return response.json() as Promise<{ groups: unknown[]; totals: Array<{ count: number }> }>;
    };
    const year = 'from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z&group_by=customer';
    const check = await get(`/v1/reports/revenue?${year}`);
    if (check.groups.length !== CUSTOMERS || check.totals[0]?.count !== CUSTOMERS * 12)
      throw new Error(`expected ${CUSTOMERS} customers and ${CUSTOMERS * 12} invoices`);
    const top5 = await median(() => get(`/v1/reports/revenue?${year}&limit=5`));
    // The dashboard's "last 12 months" on 2026-11-20: ends in the future, so it reads 2026 whole plus December 2025.
    const lastTwelve = await median(() =>
      get('/v1/reports/revenue?from=2025-12-01T00:00:00Z&to=2026-12-01T00:00:00Z&group_by=customer&limit=5'),
    );
    const rolling = await median(() =>
      get('/v1/reports/revenue?from=2026-02-01T00:00:00Z&to=2027-01-01T00:00:00Z&group_by=customer&limit=5'),
    );
    const month = await median(() =>
      get('/v1/reports/revenue?from=2026-06-01T00:00:00Z&to=2026-07-01T00:00:00Z&group_by=customer&limit=5'),
    );
    console.log(`seeded 12 months x ${CUSTOMERS} customers of revenue counters in ${seedSeconds.toFixed(1)} s\n`);
    console.log('report (HTTP, median of 5)'.padEnd(60), 'ms');
    console.log(
      `revenue by customer, year 2026, top 5 (${CUSTOMERS} yearly items)`.padEnd(60),
      top5.toFixed(0).padStart(6),
    );
    console.log(
      `revenue by customer, Feb-Dec 2026, top 5 (${CUSTOMERS * 11} monthly items)`.padEnd(60),
      rolling.toFixed(0).padStart(6),
    );
    console.log('ratio months / year'.padEnd(60), (rolling / top5).toFixed(1).padStart(6));
    console.log(
      `revenue by customer, Dec 2025 - Nov 2026 on Nov 20 (${CUSTOMERS * 2} items)`.padEnd(60),
      lastTwelve.toFixed(0).padStart(6),
    );
    console.log(`revenue by customer, one month, top 5 (${CUSTOMERS} items)`.padEnd(60), month.toFixed(0).padStart(6));
  } finally {
    await stack.stop();
    await dynamodb.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
