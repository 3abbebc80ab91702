import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { isArchivedRecord, storedEventPages } from '../functions/adapters/dynamodb/event-stream.js';
import { ensureTables } from '../functions/adapters/dynamodb/table.js';
import { createSqsClient } from '../functions/adapters/sqs/delivery-queue.js';
import type { SweepResult } from '../functions/app/outbox-sweep.js';
import { interruptDeadRuns, startRun } from '../functions/app/runs.js';
import { type BillingConfig, type Env, loadConfig } from '../functions/config.js';
import type { DeliveryHandler } from '../functions/handlers/delivery-handler.js';
import type { ApiDeps } from '../functions/handlers/deps.js';
import { createRuntime, type Platform } from '../functions/handlers/runtime.js';
import { apiDeps } from '../functions/handlers/wiring/api.js';
import type { HandlerName } from '../lib/handlers.js';
import { closeTaskHandlers, createLocalWorkflow, type LocalWorkflow } from './close-workflow.js';
import { dashboardHandler } from './dashboard.js';
import { type DataDirLock, lockDataDir } from './data-lock.js';
import { type DeliveryPoller, startDeliveryPoller } from './delivery-poller.js';
import { type DynamoDbLocal, startDynamoDbLocal } from './dynamodb-local.js';
import { loadEntry, localFunctionEnv, templateFunctions } from './functions.js';
import {
  createHttpServer,
  type HttpApiHandler,
  type HttpServerOptions,
  lambdaContext,
  listen,
} from './http-adapter.js';
import { type S3Local, startS3Local } from './s3-local.js';
import { type SesLocal, startSesLocal } from './ses-local.js';
import { type SqsLocal, startSqsLocal } from './sqs-local.js';
import { type StreamPoller, startStreamPoller } from './stream-poller.js';

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
  /**
   * Run dunning every this many seconds (the local stand-in for the EventBridge rule); 0 = only on
   * request (`POST /v1/dunning/runs`, `npx billing dunning`). @default 0
   */
  dunningIntervalSeconds?: number;
  /** Retries collecting overdue invoices (dunning `retry` steps); absent: those steps are skipped. */
  dunningPayments?: Platform['dunningPayments'];
  logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
  /** Limits of the HTTP server (header and request timeouts, keep-alive); defaults in HTTP_LIMITS. */
  http?: HttpServerOptions;
  /**
   * Invoice delivery: a local SQS server (delivery queue + DLQ), a local SES server with its web
   * inbox, the poller that feeds the delivery handler, and the outbox sweep timer. `false` starts
   * none of it (finalized invoices then stay owed in the outbox).
   */
  delivery?: false | LocalDeliveryOptions;
  /**
   * The event archive: a local S3 server (s3rver; under the data folder when there is one) and the
   * poller that feeds the table's stream to the archiver function, as Lambda's event source mapping
   * does. `false` starts neither (reconcile and percentage prices then answer 501 not_configured).
   */
  archive?: false | { pollIntervalMs?: number };
  /**
   * TTL on the tables the stack creates. DynamoDB Local deletes expired items within seconds by the
   * wall clock: a stack on a `clock` of its own (tests) would lose raw events the acceptance window
   * still covers by its clock. @default true without `clock`, false with one
   */
  ttl?: boolean;
}

/** The event archive side of the local stack. */
export interface LocalArchive {
  s3: S3Local;
  poller: StreamPoller;
  /** Resolves when every event committed before the call is in the archive. */
  idle(timeoutMs?: number): Promise<void>;
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
  /** Undefined when started with `archive: false`. */
  archive: LocalArchive | undefined;
  /**
   * How each function of the template runs here: its logical id, the bindings the template gives it
   * that were resolved to local resources, and those left unset (a local server switched off).
   */
  wiring: Record<HandlerName, { logicalId: string; bindings: string[]; unresolved: string[] }>;
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

/** The portal links' signing secret: BILLING_PORTAL_SECRET, else one generated once and kept in the data folder. */
function portalSecretFor(env: Record<string, string | undefined>, dataDir: string | undefined): string {
  const configured = env.BILLING_PORTAL_SECRET?.trim();
  if (configured) return configured;
  if (!dataDir) return randomBytes(32).toString('base64url');
  const file = join(dataDir, 'portal-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('base64url');
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
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
    // The HTTP server listens first: portal links point at the dashboard, whose address its port decides.
    // Until the API handler is made (below), it answers 503.
    let api: HttpApiHandler | undefined;
    const server: Server = createHttpServer(
      Object.assign(
        async (event: Parameters<HttpApiHandler>[0], context: Parameters<HttpApiHandler>[1]) =>
          api ? api(event, context) : { statusCode: 503, body: 'starting' },
        {
          maxBodyBytes: loadConfig(env).maxBodyBytes,
          preflight: async (event: Parameters<HttpApiHandler>[0], context: Parameters<HttpApiHandler>[1]) =>
            api?.preflight ? api.preflight(event, context) : undefined,
        },
      ),
      dashboardHandler(join(import.meta.dirname, '..', 'web', 'dist')),
      options.http,
    );
    const port = await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
    let serverClosed: Promise<void> | undefined;
    const closeServer = () =>
      (serverClosed ??= new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }));
    started.push(closeServer);
    const url = `http://127.0.0.1:${port}`;
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
    let s3: S3Local | undefined;
    if (options.archive !== false) {
      s3 = await startS3Local(dataDir ? { directory: join(dataDir, 's3') } : {});
      started.push(() => s3!.stop());
    }
    // The local settings: the same variables as in Lambda, plus the endpoints of the local servers.
    const settings: Env = {
      // Local retries back off from 2 s up to 30 s (AWS: 10 s up to 15 min) unless configured.
      ...(sqs ? { BILLING_DELIVERY_RETRY_BASE_SECONDS: '2', BILLING_DELIVERY_RETRY_MAX_SECONDS: '30' } : {}),
      // Local receivers (http://localhost, 127.0.0.1) may take webhooks; AWS refuses private addresses.
      BILLING_WEBHOOK_ALLOW_PRIVATE_URLS: '1',
      // No EventBridge here: the bus is on only where BILLING_EVENT_BUS_NAME is given (tests: a stand-in
      // at EVENTBRIDGE_ENDPOINT); then every function writes every event, as in AWS.
      ...(env.BILLING_EVENT_BUS_NAME?.trim() ? { BILLING_EVENT_BUS_ENABLED: '1' } : {}),
      ...env,
      DYNAMODB_ENDPOINT: endpoint,
      BILLING_API_KEY: adminKey,
      BILLING_PORTAL_SECRET: portalSecretFor(env, dataDir),
      BILLING_PORTAL_URL: env.BILLING_PORTAL_URL?.trim() || url,
      ...(sqs && ses ? { SQS_ENDPOINT: sqs.endpoint, SES_ENDPOINT: ses.url } : {}),
      ...(s3 ? { S3_ENDPOINT: s3.endpoint } : {}),
    };
    const { tableName, eventsTableName } = loadConfig(settings);
    const estimatesInterval = options.estimatesIntervalSeconds ?? 0;
    // Each function runs its own entry module with the environment the template gives it.
    const { synthTemplate, closeWorkflowDefinition } = await import('../lib/synth.js');
    const template = synthTemplate();
    const functions = templateFunctions(template);
    const byLogicalId = new Map(functions.map((fn) => [fn.logicalId, fn]));
    const localName = (logicalId: string) => `${logicalId}-local`;
    const resolveBinding = (variable: string, reference: string | undefined): string | undefined => {
      switch (variable) {
        case 'BILLING_TABLE_NAME':
          return tableName;
        case 'BILLING_EVENTS_TABLE_NAME':
          return eventsTableName;
        case 'BILLING_DELIVERY_QUEUE_URL':
          return sqs?.deliveryQueueUrl;
        case 'BILLING_DEAD_LETTER_QUEUE_URL':
          return sqs?.deadLetterQueueUrl;
        case 'BILLING_ARCHIVE_BUCKET':
          return s3?.bucket;
        case 'BILLING_SES_CONFIGURATION_SET':
          return ses ? 'billing-local' : undefined;
        case 'BILLING_STATE_MACHINE_ARN':
          return reference && `arn:aws:states:local:000000000000:stateMachine:${reference}`;
        case 'BILLING_EVENT_BUS_NAME':
          return env.BILLING_EVENT_BUS_NAME?.trim() || undefined;
        case 'BILLING_SECRETS_ARN':
          // Locally the Stripe keys and the portal secret are variables of the environment itself.
          return 'local:environment';
        case 'BILLING_DOCUMENTS_FUNCTION_NAME':
          return reference && localName(reference);
        case 'BILLING_ARCHIVE_FUNCTION_NAME':
          // Only where the archive runs (its bucket on s3rver): the archiver is the only writer.
          return reference && s3 ? localName(reference) : undefined;
        case 'BILLING_ESTIMATES_FUNCTION_NAME':
          // No refresher runs when it is switched off: the API then rates inside the request.
          return reference && estimatesInterval > 0 ? localName(reference) : undefined;
        default:
          return undefined;
      }
    };
    const environments = new Map(
      functions.map((fn) => [fn.handler, { ...localFunctionEnv(fn, settings, resolveBinding), fn }] as const),
    );
    const envOf = (handler: HandlerName): Env => {
      const found = environments.get(handler);
      if (!found) throw new Error(`the template has no function running ${handler}`);
      return found.env;
    };
    const logLevel = options.logLevel ?? 'WARN';
    const clock = options.clock;
    let workflow: LocalWorkflow | undefined;
    const refresher: { trigger(): void } = { trigger: () => undefined };
    // Every function's SDK clients, closed when the stack stops (after the server and the poller).
    const clients: Array<{ destroy(): void }> = [];
    const platform: Platform = {
      ...(clock ? { clock } : {}),
      ...(options.dunningPayments ? { dunningPayments: options.dunningPayments } : {}),
      logLevel,
      track: (client) => clients.push(client),
      // The state machine runs in this process; it is made after the functions it calls.
      workflow: () => {
        const current = () => {
          if (!workflow) throw new Error('the local close workflow is not ready');
          return workflow;
        };
        return {
          start: (runId, asOf) => current().start(runId, asOf),
          isRunning: async (runId) => current().isRunning?.(runId),
        };
      },
      invokeAsync: (functionName) => ({
        trigger: async () => {
          const target = [...byLogicalId.values()].find((fn) => localName(fn.logicalId) === functionName);
          if (target?.handler !== 'refreshEstimates') throw new Error(`no local function ${functionName}`);
          refresher.trigger();
        },
      }),
      // Synchronous invocations (the documents function) run the function's entry in this process.
      invoke: (functionName) => {
        let fn: Promise<(event: unknown) => Promise<unknown>> | undefined;
        return async (event) => {
          fn ??= (async () => {
            const target = [...byLogicalId.values()].find((f) => localName(f.logicalId) === functionName);
            if (!target) throw new Error(`no local function ${functionName}`);
            return invoke(target.handler);
          })();
          // As over Lambda's wire: the event and the answer travel as JSON.
          const answer = await (await fn)(JSON.parse(JSON.stringify(event)));
          return answer === undefined ? undefined : JSON.parse(JSON.stringify(answer));
        };
      },
      ...(options.crashAfter ? { crashAfter: options.crashAfter } : {}),
    };
    const invoke = async (handler: HandlerName) => {
      const entry = await loadEntry(handler);
      const fn = entry.createHandler(envOf(handler), platform);
      const name = `billing-${handler}-local`;
      return (event: unknown) => fn(event as never, lambdaContext(randomUUID(), name));
    };

    // The API's own dependencies, for the stack's start-up work and for tests (stack.deps).
    const runtime = createRuntime(loadConfig(envOf('api')), platform);
    const deps = apiDeps(runtime);
    const { streamArn, streamAdded, moved } = await ensureTables(
      deps.dynamo,
      { tableName, eventsTableName },
      { stream: s3 !== undefined, ttl: options.ttl ?? clock === undefined },
    );
    if (moved > 0) process.stderr.write(`moved ${moved} raw events from ${tableName} into ${eventsTableName}\n`);
    started.push(async () => {
      for (const client of clients) client.destroy();
    });
    // The events table's stream → the archiver (stopped before the clients it uses are closed).
    let archive: LocalArchive | undefined;
    let lastArchiveError: string | undefined;
    if (s3 && streamArn) {
      const archiver = await invoke('archiveEvents');
      const streams = new DynamoDBStreamsClient({
        endpoint,
        region: deps.config.region,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      });
      const poller = startStreamPoller({
        client: streams,
        streamArn,
        handler: archiver,
        filter: isArchivedRecord,
        ...(options.archive ? { pollIntervalMs: options.archive.pollIntervalMs } : {}),
        region: deps.config.region,
        // Said once per cause: a stopped DynamoDB would otherwise print the same line every second.
        onError: (error) => {
          const message = (error as Error).message;
          if (message !== lastArchiveError) process.stderr.write(`event archive: ${message} (retrying)\n`);
          lastArchiveError = message;
        },
      });
      started.push(async () => {
        await poller.stop();
        streams.destroy();
      });
      archive = { s3, poller, idle: (timeoutMs) => poller.idle(timeoutMs) };
      // Events stored before the stream existed (a data folder of an earlier release): copy them once.
      const eventArchive = streamAdded ? runtime.archive() : undefined;
      if (eventArchive)
        for await (const page of storedEventPages(deps.dynamo, eventsTableName)) await eventArchive.write(page.events);
    }
    const definition = closeWorkflowDefinition(template);
    const tasks = await closeTaskHandlers(definition, byLogicalId, invoke);
    workflow = await createLocalWorkflow(tasks, deps, { definition });
    deps.workflow = workflow;
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
    if (estimatesInterval > 0) {
      const refreshFunction = await invoke('refreshEstimates');
      // One refresh at a time; a request during one runs another right after it (it may have missed data).
      let refreshing: Promise<unknown> | undefined;
      let again = false;
      const refresh = (): Promise<unknown> => {
        if (refreshing) {
          again = true;
          return refreshing;
        }
        refreshing = refreshFunction({})
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
      refresher.trigger = () => void refresh();
      // As the schedule does in AWS after each close: the estimates of the new periods.
      const local = workflow;
      workflow = {
        ...local,
        start: async (runId, asOf) => {
          await local.start(runId, asOf);
          void refresh();
        },
      };
      deps.workflow = workflow;
      void refresh();
      const timer = setInterval(() => void refresh(), estimatesInterval * 1000);
      timer.unref();
      started.push(async () => {
        clearInterval(timer);
        await refreshing;
      });
    }
    const dunningInterval = options.dunningIntervalSeconds ?? 0;
    if (dunningInterval > 0) {
      const dunningFunction = await invoke('dunning');
      let dunning: Promise<unknown> | undefined;
      const runDunning = () => {
        dunning ??= dunningFunction({})
          .catch((error: unknown) => process.stderr.write(`dunning run failed: ${(error as Error).message}\n`))
          .finally(() => {
            dunning = undefined;
          });
      };
      // Once at start-up too: a stack that was stopped for days catches up (missed steps once, in order).
      runDunning();
      const timer = setInterval(runDunning, dunningInterval * 1000);
      timer.unref();
      started.push(async () => {
        clearInterval(timer);
        await dunning;
      });
    }
    // The dashboard (web/dist) is served at / of the API port, like CloudFront in front of S3 in AWS.
    api = (await loadEntry('api')).createHandler(envOf('api'), platform);
    // Stopped before what follows is stopped, and before the clients the API uses are closed.
    started.push(closeServer);
    // Delivery stops first (its poller and sweep use the DynamoDB client).
    let delivery: LocalDelivery | undefined;
    if (deliveryOptions && sqs && ses) {
      const sqsClient = createSqsClient(loadConfig(settings));
      started.push(async () => sqsClient.destroy());
      const deliver = (await loadEntry('deliver')).createHandler(envOf('deliver'), {
        ...platform,
        logLevel,
      }) as unknown as DeliveryHandler;
      const poller = startDeliveryPoller({
        sqs: sqsClient,
        queueUrl: sqs.deliveryQueueUrl,
        handler: deliver,
        region: loadConfig(settings).region,
        receivesPerDelivery: sqs.receivesPerDelivery,
        ...(deliveryOptions.pollIntervalMs !== undefined ? { pollIntervalMs: deliveryOptions.pollIntervalMs } : {}),
        ...(deliveryOptions.pollerConcurrency ? { concurrency: deliveryOptions.pollerConcurrency } : {}),
      });
      started.push(() => poller.stop());
      const sweepFunction = await invoke('outboxSweep');
      const sweep = async (sweepOptions: { all?: boolean } = {}) =>
        (await sweepFunction(sweepOptions.all ? { all: true } : {})) as SweepResult;
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
    const config = deps.config;
    const wiring = Object.fromEntries(
      [...environments.entries()].map(([handler, { env: fnEnv, unresolved, fn }]) => [
        handler,
        {
          logicalId: fn.logicalId,
          bindings: fn.bindings.filter((name) => fnEnv[name] !== undefined),
          unresolved,
        },
      ]),
    ) as LocalStack['wiring'];
    return {
      url,
      port,
      adminKey,
      config,
      deps,
      dynamodb,
      delivery,
      archive,
      wiring,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
