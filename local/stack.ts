import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { ensureTable } from '../functions/adapters/dynamodb/table.js';
import { createDeliveryHandler, deliveryHandlerDeps } from '../functions/adapters/sqs/delivery-handler.js';
import { createSqsClient } from '../functions/adapters/sqs/delivery-queue.js';
import { refreshEstimates } from '../functions/app/estimates.js';
import { type SweepResult, sweepOutbox } from '../functions/app/outbox-sweep.js';
import { interruptDeadRuns, startRun } from '../functions/app/runs.js';
import { type BillingConfig, loadConfig } from '../functions/config.js';
import { buildApiHandler } from '../functions/handlers/api-app.js';
import { withDelivery } from '../functions/handlers/delivery-deps.js';
import { type ApiDeps, buildDeps } from '../functions/handlers/deps.js';
import { estimateDeps } from '../functions/handlers/estimate-deps.js';
import { createLocalWorkflow } from './close-workflow.js';
import { dashboardHandler } from './dashboard.js';
import { type DataDirLock, lockDataDir } from './data-lock.js';
import { type DeliveryPoller, startDeliveryPoller } from './delivery-poller.js';
import { type DynamoDbLocal, startDynamoDbLocal } from './dynamodb-local.js';
import { createHttpServer, type HttpServerOptions, listen } from './http-adapter.js';
import { type SesLocal, startSesLocal } from './ses-local.js';
import { type SqsLocal, startSqsLocal } from './sqs-local.js';

export interface LocalStackOptions {
  /** Where DynamoDB data and the generated admin key live; undefined: everything in memory. */
  dataDir?: string;
  port?: number;
  host?: string;
  /** Environment the config is read from (the same variables as in Lambda). */
  env?: Record<string, string | undefined>;
  /** Use an already running DynamoDB endpoint instead of starting one. */
  dynamodbEndpoint?: string;
  clock?: () => Date;
  /** Run the close workflow every this many seconds (the local stand-in for EventBridge Scheduler); 0 = never. */
  closeIntervalSeconds?: number;
  /**
   * Re-rate the current-period estimates every this many seconds (the local stand-in for the
   * EventBridge rule), once at start-up and after each billing run; 0 = only on request. @default 0
   */
  estimatesIntervalSeconds?: number;
  /** Test hook passed to the close use case. */
  crashAfter?: ApiDeps['crashAfter'];
  logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
  /** Limits of the HTTP server (header and request timeouts, keep-alive); defaults in HTTP_LIMITS. */
  http?: HttpServerOptions;
  /**
   * Invoice delivery: a local SQS server (delivery queue + DLQ), a local SES server with its web
   * inbox, the poller that feeds the delivery handler, and the outbox sweep timer. `false` starts
   * none of it (finalized invoices then stay owed in the outbox).
   */
  delivery?: false | LocalDeliveryOptions;
}

export interface LocalDeliveryOptions {
  /** Pause of the poller after an empty receive. @default 200 */
  pollIntervalMs?: number;
  /** Batches the poller handles at once. @default 2 */
  pollerConcurrency?: number;
  /** Run the outbox sweep every this many seconds; 0 = only at start-up. @default 60 */
  sweepIntervalSeconds?: number;
  /** Receives before a message moves to the DLQ. @default 5 */
  maxReceiveCount?: number;
  sqsPort?: number;
  sesPort?: number;
}

/** The delivery side of the local stack. */
export interface LocalDelivery {
  sqs: SqsLocal;
  ses: SesLocal;
  /** The web inbox of the local SES server. */
  inboxUrl: string;
  poller: DeliveryPoller;
  /** Runs the outbox sweep now (`all`: every owed email, whatever its age). */
  sweep(options?: { all?: boolean }): Promise<SweepResult>;
}

export interface LocalStack {
  url: string;
  port: number;
  adminKey: string;
  config: BillingConfig;
  deps: ApiDeps;
  dynamodb: DynamoDbLocal | undefined;
  /** Undefined when started with `delivery: false`. */
  delivery: LocalDelivery | undefined;
  stop(): Promise<void>;
}

/** The admin key: BILLING_API_KEY, else one generated once and kept in the data folder. */
function adminKeyFor(env: Record<string, string | undefined>, dataDir: string | undefined): string {
  const configured = env.BILLING_API_KEY?.trim();
  if (configured) return configured;
  if (!dataDir) return `bk_local_${randomBytes(24).toString('base64url')}`;
  const file = join(dataDir, 'admin-key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const key = `bk_local_${randomBytes(24).toString('base64url')}`;
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}

/** Starts DynamoDB Local (unless given an endpoint), creates the table, and serves the API handler over HTTP. */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const env = options.env ?? process.env;
  const dataDir = options.dataDir ? resolve(options.dataDir) : undefined;
  // One stack per data folder: a living one refuses this start, one left behind by a killed stack is cleaned up.
  const lock: DataDirLock | undefined = dataDir
    ? await lockDataDir(dataDir, join(dataDir, 'dynamodb'), (line) => process.stdout.write(`${line}\n`))
    : undefined;
  const started: Array<() => Promise<void>> = [];
  if (lock) started.push(async () => lock.release());
  const stopAll = async () => {
    for (const stop of started.reverse()) await stop().catch(() => undefined);
  };
  try {
    const adminKey = adminKeyFor(env, dataDir);
    let dynamodb: DynamoDbLocal | undefined;
    let endpoint = options.dynamodbEndpoint;
    if (!endpoint) {
      dynamodb = await startDynamoDbLocal({
        dataDir: dataDir ? join(dataDir, 'dynamodb') : undefined,
        onSpawn: (pid) => lock?.setDynamodbPid(pid),
      });
      started.push(() => dynamodb!.stop());
      endpoint = dynamodb.endpoint;
    }
    let sqs: SqsLocal | undefined;
    let ses: SesLocal | undefined;
    const deliveryOptions = options.delivery === false ? undefined : (options.delivery ?? {});
    if (deliveryOptions) {
      sqs = await startSqsLocal({
        ...(deliveryOptions.sqsPort ? { port: deliveryOptions.sqsPort } : {}),
        ...(deliveryOptions.maxReceiveCount ? { maxReceiveCount: deliveryOptions.maxReceiveCount } : {}),
      });
      started.push(() => sqs!.stop());
      ses = await startSesLocal({ port: deliveryOptions.sesPort ?? 0 });
      started.push(() => ses!.stop());
    }
    const config = loadConfig({
      // Local retries back off from 2 s up to 30 s (AWS: 10 s up to 15 min) unless configured.
      ...(sqs
        ? {
            BILLING_DELIVERY_RETRY_BASE_SECONDS: '2',
            BILLING_DELIVERY_RETRY_MAX_SECONDS: '30',
          }
        : {}),
      ...env,
      DYNAMODB_ENDPOINT: endpoint,
      BILLING_API_KEY: adminKey,
      ...(sqs && ses
        ? {
            SQS_ENDPOINT: sqs.endpoint,
            BILLING_DELIVERY_QUEUE_URL: sqs.deliveryQueueUrl,
            BILLING_DEAD_LETTER_QUEUE_URL: sqs.deadLetterQueueUrl,
            SES_ENDPOINT: ses.url,
          }
        : {}),
    });
    const deps = withDelivery(buildDeps(config, options.clock));
    if (options.crashAfter) deps.crashAfter = options.crashAfter;
    await ensureTable(deps.dynamo, config.tableName);
    deps.workflow = await createLocalWorkflow(deps);
    // A run left `running` by a stack that was killed is over: mark it interrupted (nothing runs yet).
    await interruptDeadRuns(deps, { graceMs: 0 });
    const interval = options.closeIntervalSeconds ?? 0;
    if (interval > 0) {
      let running = false;
      const timer = setInterval(() => {
        if (running) return;
        running = true;
        void startRun(deps, deps.clock())
          .catch((error: unknown) => process.stderr.write(`scheduled close failed: ${(error as Error).message}\n`))
          .finally(() => {
            running = false;
          });
      }, interval * 1000);
      timer.unref();
      started.push(async () => clearInterval(timer));
    }
    const estimatesInterval = options.estimatesIntervalSeconds ?? 0;
    if (estimatesInterval > 0) {
      // One refresh at a time; a request during one runs another right after it (it may have missed data).
      let refreshing: Promise<unknown> | undefined;
      let again = false;
      const refresh = (): Promise<unknown> => {
        if (refreshing) {
          again = true;
          return refreshing;
        }
        refreshing = refreshEstimates(estimateDeps(deps))
          .catch((error: unknown) => process.stderr.write(`estimates refresh failed: ${(error as Error).message}\n`))
          .finally(() => {
            refreshing = undefined;
            if (again) {
              again = false;
              void refresh();
            }
          });
        return refreshing;
      };
      const workflow = deps.workflow;
      deps.workflow = {
        ...workflow,
        start: async (runId, asOf) => {
          await workflow.start(runId, asOf);
          void refresh();
        },
      };
      deps.estimatesRefresh = {
        trigger: async () => {
          void refresh();
        },
      };
      void refresh();
      const timer = setInterval(() => void refresh(), estimatesInterval * 1000);
      timer.unref();
      started.push(async () => {
        clearInterval(timer);
        await refreshing;
      });
    }
    const logger = new Logger({ serviceName: 'billing-api', logLevel: options.logLevel ?? 'WARN' });
    // The dashboard (web/dist) is served at / of the API port, like CloudFront in front of S3 in AWS.
    const server: Server = createHttpServer(
      buildApiHandler(deps, logger),
      dashboardHandler(join(import.meta.dirname, '..', 'web', 'dist')),
      options.http,
    );
    const port = await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
    started.push(
      () =>
        new Promise<void>((done) => {
          server.closeAllConnections();
          server.close(() => done());
        }),
    );
    started.push(async () => deps.dynamo.destroy());
    // Delivery stops first (its poller and sweep use the DynamoDB client).
    let delivery: LocalDelivery | undefined;
    if (deliveryOptions && sqs && ses && deps.deliveryQueue) {
      const queue = deps.deliveryQueue;
      const sqsClient = createSqsClient(config);
      started.push(async () => sqsClient.destroy());
      const handler = createDeliveryHandler(
        deliveryHandlerDeps(deps, {
          logger: new Logger({ serviceName: 'billing-delivery', logLevel: options.logLevel ?? 'WARN' }),
        }),
      );
      const poller = startDeliveryPoller({
        sqs: sqsClient,
        queueUrl: sqs.deliveryQueueUrl,
        handler,
        region: config.region,
        receivesPerDelivery: sqs.receivesPerDelivery,
        ...(deliveryOptions.pollIntervalMs !== undefined ? { pollIntervalMs: deliveryOptions.pollIntervalMs } : {}),
        ...(deliveryOptions.pollerConcurrency ? { concurrency: deliveryOptions.pollerConcurrency } : {}),
      });
      started.push(() => poller.stop());
      const sweep = (sweepOptions: { all?: boolean } = {}) =>
        sweepOutbox({ ...deps, deliveryQueue: queue }, sweepOptions);
      // The local queue is in memory: whatever was owed before a restart is enqueued again now.
      await sweep({ all: true });
      const sweepInterval = deliveryOptions.sweepIntervalSeconds ?? 60;
      if (sweepInterval > 0) {
        let sweeping = false;
        const timer = setInterval(() => {
          if (sweeping) return;
          sweeping = true;
          void sweep()
            .catch((error: unknown) => process.stderr.write(`outbox sweep failed: ${(error as Error).message}\n`))
            .finally(() => {
              sweeping = false;
            });
        }, sweepInterval * 1000);
        timer.unref();
        started.push(async () => clearInterval(timer));
      }
      delivery = { sqs, ses, inboxUrl: `${ses.url}/`, poller, sweep };
    }
    return { url: `http://127.0.0.1:${port}`, port, adminKey, config, deps, dynamodb, delivery, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
