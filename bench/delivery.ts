/**
 * Invoice delivery benchmark: invoices rendered (PDF + HTML/text + MIME) and sent per second through
 * the local path SQS (local-aws-sqs) → poller → delivery handler → SES (aws-ses-v2-local), with
 * DynamoDB Local for the invoice reads and the lease/sent writes. Each row delivers N fresh invoices
 * with the poller handling that many batches at once. Figures only; nothing here passes or fails.
 *
 *   npx tsx bench/delivery.ts [invoices]
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { renderInvoiceEmail } from '../functions/adapters/documents/email.js';
import { buildRawEmail } from '../functions/adapters/documents/mime.js';
import { renderInvoicePdf } from '../functions/adapters/documents/pdf.js';
import { ensureTables } from '../functions/adapters/dynamodb/table.js';
import type { Invoice } from '../functions/domain/invoice.js';
import { startDynamoDbLocal } from '../local/dynamodb-local.js';
import { startLocalStack } from '../local/stack.js';
import { invoiceWithLines } from '../test/support/invoice-fixture.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

interface Row {
  concurrency: number;
  invoices: number;
  seconds: number;
  perSecond: number;
}

const count = Number(process.argv[2] ?? 200);
const template = invoiceWithLines(5);

async function deliverBatch(endpoint: string, concurrency: number): Promise<Row> {
  const stack = await startLocalStack({
    dynamodbEndpoint: endpoint,
    env: { BILLING_TABLE_NAME: `bench-delivery-${randomUUID()}`, BILLING_API_KEY: 'bench' },
    logLevel: 'SILENT',
    delivery: { pollIntervalMs: 20, pollerConcurrency: concurrency, sweepIntervalSeconds: 0 },
  });
  try {
    const { deps } = stack;
    const delivery = stack.delivery!;
    await ensureTables(deps.dynamo, stack.config, { stream: false });
    await delivery.ses.clear();
    // Seed finalized invoices while the poller is paused, then hand them all over at once.
    await delivery.poller.stop();
    const invoices: Invoice[] = [];
    for (let index = 0; index < count; index += 25) {
      const created = await Promise.all(
        Array.from({ length: Math.min(25, count - index) }, async (_, offset) => {
          const { number: _number, ...draft } = {
            ...template,
            id: `in_bench_${index + offset}`,
            buyer: { ...template.buyer, email: `customer-${index + offset}@bench.example` },
            delivery: { status: 'pending' as const, attempts: 0 },
          };
          return (await deps.invoices.finalize(draft, (sequence) => `BENCH-${String(sequence).padStart(6, '0')}`))
            .invoice;
        }),
      );
      invoices.push(...created);
    }
    for (let index = 0; index < invoices.length; index += 50) {
      await Promise.all(invoices.slice(index, index + 50).map((invoice) => deps.enqueueDelivery!(invoice)));
    }
    const start = performance.now();
    delivery.poller.start();
    // Done when nothing is owed any more (the handler clears the outbox entry after recording `sent`).
    for (let owed = count; owed > 0; owed = (await deps.invoices.outbox()).length) {
      if (performance.now() - start > 300_000) throw new Error(`${owed} of ${count} emails still owed after 300 s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const seconds = (performance.now() - start) / 1000;
    const stored = (await delivery.ses.emails()).length;
    if (stored !== count) throw new Error(`${stored} emails in the SES store for ${count} invoices`);
    return { concurrency, invoices: count, seconds, perSecond: count / seconds };
  } finally {
    await stack.stop();
  }
}

const dynamodb = await startDynamoDbLocal();
try {
  const pdf = await renderInvoicePdf(template);
  // For comparison: the rendering alone (PDF + email + MIME), in this process.
  const renderStart = performance.now();
  for (let index = 0; index < 50; index++) {
    const rendered = await renderInvoicePdf(template);
    const email = renderInvoiceEmail(template, 'invoice');
    await buildRawEmail({
      from: 'billing@example.com',
      to: 'customer@bench.example',
      ...email,
      attachments: [{ filename: 'x.pdf', content: rendered, contentType: 'application/pdf' }],
    });
  }
  const renderPerSecond = 50_000 / (performance.now() - renderStart);
  const rows: Row[] = [];
  for (const concurrency of [1, 2, 4]) rows.push(await deliverBatch(dynamodb.endpoint, concurrency));
  console.log(
    `Node ${process.version}, ${count} invoices per row (5 lines each, PDF ${(pdf.length / 1024).toFixed(1)} KB), batches of 10; rendering alone: ${renderPerSecond.toFixed(0)} invoices/s`,
  );
  console.table(
    rows.map((row) => ({
      'batches at once': row.concurrency,
      invoices: row.invoices,
      seconds: row.seconds.toFixed(2),
      'invoices/s': row.perSecond.toFixed(1),
      'ms/invoice': ((row.seconds * 1000) / row.invoices).toFixed(1),
    })),
  );
} finally {
  await dynamodb.stop();
}
