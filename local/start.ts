import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataDirLockedError } from './data-lock.js';
import { JavaMissingError } from './dynamodb-local.js';
import { startLocalStack } from './stack.js';

/** `npm start`: the whole stack on this machine. Stops everything it started on Ctrl-C / SIGTERM. */
// The SDK is pinned to a release that supports Node 20; its notice about later releases is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// CloudWatch metrics (EMF) are for Lambda; locally they would only clutter the terminal.
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

/** A demo seller, so local invoices have a complete seller block (override any with the BILLING_SELLER_* variables). */
const LOCAL_SELLER: Record<string, string> = {
  BILLING_SELLER_NAME: 'Meterly Demo GmbH',
  BILLING_SELLER_ADDRESS: 'Torstraße 109',
  BILLING_SELLER_POSTAL_CODE: '10119',
  BILLING_SELLER_CITY: 'Berlin',
  BILLING_SELLER_COUNTRY: 'DE',
  BILLING_SELLER_TAX_ID: 'DE999999999',
  // Also the From address of the invoice emails (unless BILLING_SENDER_EMAIL says otherwise).
  BILLING_SELLER_EMAIL: 'billing@meterly.example',
  BILLING_SELLER_PHONE: '+49 30 1234567',
  BILLING_SELLER_CONTACT: 'Buchhaltung',
  // Bank details: the invoices compose the transfer sentence in the customer's language from them.
  BILLING_PAYMENT_ACCOUNT_HOLDER: 'Meterly Demo GmbH',
  BILLING_PAYMENT_IBAN: 'DE89 3704 0044 0532 0130 00',
  BILLING_PAYMENT_BIC: 'COBADEFFXXX',
};

async function main(): Promise<void> {
  for (const [name, value] of Object.entries(LOCAL_SELLER)) process.env[name] ??= value;
  const port = Number(process.env.PORT ?? 3000);
  const dataDir = process.env.BILLING_DATA_DIR ?? './.billing-data';
  process.stdout.write('starting the local billing stack...\n');
  const closeIntervalSeconds = Number(process.env.BILLING_LOCAL_CLOSE_INTERVAL_SECONDS ?? 300);
  const stack = await startLocalStack({
    dataDir,
    port,
    closeIntervalSeconds,
    estimatesIntervalSeconds: Number(process.env.BILLING_LOCAL_ESTIMATES_INTERVAL_SECONDS ?? 300),
    dunningIntervalSeconds: Number(process.env.BILLING_LOCAL_DUNNING_INTERVAL_SECONDS ?? 3600),
    // A fixed inbox port is handy to bookmark; by default a free one.
    delivery: { sesPort: Number(process.env.BILLING_LOCAL_SES_PORT ?? 0) },
    logLevel: (process.env.LOG_LEVEL as 'WARN' | undefined) ?? 'WARN',
  });
  process.stdout.write(
    [
      '',
      `  Dashboard    ${stack.url}/   (sign in with the API key)`,
      `  API          ${stack.url}   (OpenAPI: ${stack.url}/openapi.json)`,
      `  API key      ${stack.adminKey}`,
      `  Portal       ${stack.config.portalUrl}/portal.html#<token>   (a customer's link: POST /v1/customers/{id}/portal-links)`,
      `  Close runs   every ${closeIntervalSeconds} s (BILLING_LOCAL_CLOSE_INTERVAL_SECONDS), or now: npx billing close`,
      `  Dunning      every ${process.env.BILLING_LOCAL_DUNNING_INTERVAL_SECONDS ?? 3600} s (BILLING_LOCAL_DUNNING_INTERVAL_SECONDS), or now: npx billing dunning`,
      `  DynamoDB     ${stack.dynamodb?.endpoint ?? stack.config.dynamodbEndpoint} (tables ${stack.config.tableName} and ${stack.config.eventsTableName}, data in ${dataDir})`,
      ...(stack.delivery
        ? [
            `  Inbox        ${stack.delivery.inboxUrl}   (invoice emails sent through the local SES; JSON: ${stack.delivery.ses.url}/store)`,
            `  SQS          ${stack.delivery.sqs.endpoint} (delivery queue + DLQ, in memory: owed emails are re-enqueued at start-up; npx billing dlq list)`,
          ]
        : []),
      ...(stack.archive
        ? [
            `  Archive      ${stack.archive.s3.endpoint}/${stack.archive.s3.bucket}/events/ (S3: raw events from the events table's stream, gzip JSON lines per customer and day; data in ${join(dataDir, 's3')})`,
          ]
        : []),
      '',
      `  try: curl -s -H "Authorization: Bearer ${stack.adminKey}" ${stack.url}/v1/meters`,
      '',
      'Ctrl-C stops the stack.',
      '',
    ].join('\n'),
  );
  const runtimeFile = join(dataDir, 'runtime.json');
  writeFileSync(
    runtimeFile,
    `${JSON.stringify({ url: stack.url, inboxUrl: stack.delivery?.inboxUrl, pid: process.pid }, null, 2)}\n`,
  );
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping...\n`);
    rmSync(runtimeFile, { force: true });
    void stack.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof JavaMissingError || error instanceof DataDirLockedError)
    process.stderr.write(`${error.message}\n`);
  else process.stderr.write(`could not start the local stack: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
