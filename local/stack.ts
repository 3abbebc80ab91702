import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { ensureTable } from '../functions/adapters/dynamodb/table.js';
import { startRun } from '../functions/app/runs.js';
import { type BillingConfig, loadConfig } from '../functions/config.js';
import { buildApiHandler } from '../functions/handlers/api-app.js';
import { type ApiDeps, buildDeps } from '../functions/handlers/deps.js';
import { createLocalWorkflow } from './close-workflow.js';
import { type DynamoDbLocal, startDynamoDbLocal } from './dynamodb-local.js';
import { createHttpServer, listen } from './http-adapter.js';

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
  /** Test hook passed to the close use case. */
  crashAfter?: ApiDeps['crashAfter'];
  logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
}

export interface LocalStack {
  url: string;
  port: number;
  adminKey: string;
  config: BillingConfig;
  deps: ApiDeps;
  dynamodb: DynamoDbLocal | undefined;
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
  const adminKey = adminKeyFor(env, dataDir);
  const started: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of started.reverse()) await stop().catch(() => undefined);
  };
  try {
    let dynamodb: DynamoDbLocal | undefined;
    let endpoint = options.dynamodbEndpoint;
    if (!endpoint) {
      dynamodb = await startDynamoDbLocal({ dataDir: dataDir ? join(dataDir, 'dynamodb') : undefined });
      started.push(() => dynamodb!.stop());
      endpoint = dynamodb.endpoint;
    }
    const config = loadConfig({ ...env, DYNAMODB_ENDPOINT: endpoint, BILLING_API_KEY: adminKey });
    const deps = buildDeps(config, options.clock);
    if (options.crashAfter) deps.crashAfter = options.crashAfter;
    await ensureTable(deps.dynamo, config.tableName);
    deps.workflow = await createLocalWorkflow(deps);
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
    const logger = new Logger({ serviceName: 'billing-api', logLevel: options.logLevel ?? 'WARN' });
    const server: Server = createHttpServer(buildApiHandler(deps, logger));
    const port = await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
    started.push(
      () =>
        new Promise<void>((done) => {
          server.closeAllConnections();
          server.close(() => done());
        }),
    );
    started.push(async () => deps.dynamo.destroy());
    return { url: `http://127.0.0.1:${port}`, port, adminKey, config, deps, dynamodb, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
