/**
 * Period close throughput on the local stack: N subscriptions (3 charges each, usage already in
 * the counters) closed by the close workflow (the synthesized state machine, run locally). Prints
 * invoices per second for 1,000 and 10,000 subscriptions and the per-invoice time ratio 10k/1k
 * (target <= 1.3: cost grows linearly).   npx tsx bench/close.ts [small] [large]
 */
import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { createPlan } from '../functions/app/plans.js';
import { recordUsage } from '../functions/app/record-usage.js';
import { createSubscription } from '../functions/app/subscriptions.js';
import { parseCloudEvent } from '../functions/schemas/events.js';
import { startDynamoDbLocal } from '../local/dynamodb-local.js';
import { type LocalStack, startLocalStack } from '../local/stack.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';

async function prepare(stack: LocalStack, count: number): Promise<void> {
  const { deps } = stack;
  const now = () => deps.clock();
  await Promise.all(
    [
      { key: 'api', eventType: 'api', aggregation: 'count' as const, groupBy: [] },
      { key: 'tokens', eventType: 'api', aggregation: 'sum' as const, valueProperty: 'tokens', groupBy: ['model'] },
      { key: 'seats', eventType: 'api', aggregation: 'max' as const, valueProperty: 'seats', groupBy: [] },
    ].map((m) => deps.meters.create({ ...m, name: m.key, createdAt: '2026-01-01T00:00:00.000Z' })),
  );
  await createPlan(deps, {
    key: 'bench',
    name: 'Bench',
    currency: 'EUR',
    interval: 'month',
    base_fee: { amount: '9.99' },
    charges: [
      {
        meter: 'api',
        price: {
          model: 'graduated',
          tiers: [
            { up_to: '1000', unit_price: '0' },
            { up_to: null, unit_price: '0.001' },
          ],
        },
      },
      {
        meter: 'tokens',
        price: {
          model: 'matrix',
          dimensions: ['model'],
          entries: [{ match: { model: 'a' }, price: { model: 'per_unit', unit_price: '0.002' } }],
          default_price: { model: 'per_unit', unit_price: '0.001' },
        },
      },
      {
        meter: 'seats',
        price: {
          model: 'volume',
          tiers: [
            { up_to: '10', unit_price: '5' },
            { up_to: null, unit_price: '4' },
          ],
        },
      },
    ],
  });
  const ids = Array.from({ length: count }, (_, i) => `c${String(i).padStart(6, '0')}`);
  const parallel = async <T>(items: T[], width: number, work: (item: T) => Promise<unknown>) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: width }, async () => {
        while (next < items.length) await work(items[next++] as T);
      }),
    );
  };
  await parallel(ids, 16, async (id) => {
    const at = now().toISOString();
    await deps.customers.create({
      id,
      name: id,
      email: `${id}@example.com`,
      currency: 'EUR',
      timezone: 'UTC',
      locale: 'en',
      paymentTermsDays: 14,
      createdAt: at,
      updatedAt: at,
    });
    await createSubscription(deps, { id: `s-${id}`, customer: id, plan: 'bench', startDate: '2026-10-01' });
  });
  // Usage: 3 events per customer in October, each feeding all three counters.
  const batches: string[][] = [];
  for (let i = 0; i < ids.length; i += 100) batches.push(ids.slice(i, i + 100));
  await parallel(batches, 4, async (batch) => {
    const received = now();
    const envelopes = batch.flatMap((id, b) =>
      [0, 1, 2].map((k) => {
        const parsed = parseCloudEvent(
          {
            specversion: '1.0',
            id: `${id}-${k}`,
            source: 'bench',
            type: 'api',
            subject: id,
            time: `2026-10-${String(10 + k).padStart(2, '0')}T10:00:00Z`,
            data: { tokens: 100 + k, model: k === 0 ? 'a' : 'b', seats: 3 + k },
          },
          b * 3 + k,
          received,
        );
        if (!parsed.ok) throw new Error(parsed.message);
        return parsed;
      }),
    );
    const result = await recordUsage({ ...deps, acceptanceWindowDays: 35, futureToleranceMinutes: 5 }, envelopes);
    if (result.accepted !== envelopes.length)
      throw new Error(`only ${result.accepted} of ${envelopes.length} events accepted`);
  });
}

async function measure(
  endpoint: string,
  count: number,
): Promise<{ count: number; seconds: number; perSecond: number; invoiced: number; failed: number }> {
  let clock = new Date('2026-10-31T12:00:00Z');
  const stack = await startLocalStack({
    delivery: false,
    dynamodbEndpoint: endpoint,
    env: { BILLING_TABLE_NAME: `bench-close-${randomUUID()}`, BILLING_API_KEY: 'bench' },
    clock: () => clock,
    logLevel: 'SILENT',
  });
  try {
    await prepare(stack, count);
    clock = new Date('2026-11-01T02:00:00Z');
    const runId = `bench-${count}`;
    const started = performance.now();
    await stack.deps.workflow!.start(runId, clock);
    const seconds = (performance.now() - started) / 1000;
    const run = await stack.deps.runs.find(runId);
    const invoiced = run?.results.filter((r) => r.status === 'invoiced').length ?? 0;
    const failed = run?.results.filter((r) => r.status === 'failed').length ?? 0;
    return { count, seconds, perSecond: invoiced / seconds, invoiced, failed };
  } finally {
    await stack.stop();
  }
}

export async function main(argv = process.argv.slice(2)): Promise<void> {
  const small = Number(argv[0] ?? 1000);
  const large = Number(argv[1] ?? 10_000);
  const dynamodb = await startDynamoDbLocal();
  try {
    process.stdout.write(`bench/close on node ${process.version}, ${cpus().length} cores, DynamoDB Local in memory\n`);
    const results = [];
    for (const count of [small, large]) {
      const result = await measure(dynamodb.endpoint, count);
      results.push(result);
      process.stdout.write(
        `  ${String(count).padStart(6)} subscriptions: ${result.invoiced} invoiced, ${result.failed} failed in ${result.seconds.toFixed(1)} s = ${result.perSecond.toFixed(1)} invoices/s (${((result.seconds * 1000) / result.count).toFixed(2)} ms per invoice)\n`,
      );
    }
    const [a, b] = results as [(typeof results)[0], (typeof results)[0]];
    const ratio = b.seconds / b.count / (a.seconds / a.count);
    process.stdout.write(`  per-invoice time ratio ${large}/${small}: ${ratio.toFixed(2)} (target <= 1.3)\n`);
  } finally {
    await dynamodb.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
