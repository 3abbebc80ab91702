/**
 * Ingest benchmark, all against ONE in-memory DynamoDB Local started here, in one run:
 *   (a) raw write ceiling: TransactWriteItems of 25 Puts (~300-byte items, distinct keys), 8 in flight;
 *   (b) our ingestion over the HTTP API: 10 customers x 3 meters on one event type, batches of 100
 *       with ~5% re-sent ids, 8 batches in flight -> events/s, plus WCU per event from `recordUsage`
 *       called directly on a separate sample (the HTTP response does not carry it);
 *   (c) p50/p99 latency of single-event posts, with the archive running in this process and paused
 *       (on AWS the archiver is another function: the second figure is the API's own path);
 *   (e) the ratios again in interleaved rounds (ceiling, spread, ceiling, live, ceiling, ...).
 * Figures and ratios only; nothing here passes or fails.
 *
 *   npx tsx bench/ingest.ts
 *   BENCH_TRACE=1 npx tsx bench/ingest.ts   # also: each cancelled transaction, batch latencies, API errors
 *   BENCH_TRACE=2 ...                       # and every commit
 *   BENCH_PROFILE=ingest.cpuprofile ...     # a CPU profile of this process during (b)
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';

import { writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import {
  type AttributeValue,
  CreateTableCommand,
  DynamoDBClient,
  ScanCommand,
  type TransactWriteItem,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { UsageStore } from '../functions/adapters/dynamodb/usage.js';
import { parseArchiveLine } from '../functions/adapters/s3/event-archive.js';
import { type Envelope, recordUsage } from '../functions/app/record-usage.js';
import { lateItems, operationCount, type WriteChunk } from '../functions/domain/metering/coalesce.js';
import { parseCloudEvent } from '../functions/schemas/events.js';
import { type DynamoDbLocal, startDynamoDbLocal } from '../local/dynamodb-local.js';
import { type LocalStack, startLocalStack } from '../local/stack.js';
import { processCpuMs, startProfile } from './support/profiling.js';

const IN_FLIGHT = 8;
const RAW_ITEMS_PER_TRANSACTION = 25;
const RAW_SECONDS = 8;
const CUSTOMERS = 10;
const BATCH_SIZE = 100;
const DUPLICATE_SHARE = 0.05;
const HTTP_EVENTS = 20_000;
const HTTP_MAX_SECONDS = 240;
/** (b2): the same load with event times within the last minute (live traffic: counters coalesce). */
const LIVE_EVENTS = 5_000;
const LIVE_SPREAD_MS = 60_000;
const WARMUP_BATCHES = 24;
const WCU_SAMPLE_BATCHES = 40;
const SINGLE_WARMUP = 50;
const SINGLE_POSTS = 500;
const SPREAD_HOURS = 1;
/**
 * (e) interleaved rounds: the ceiling and the ingestion alternate in short legs, each ingestion leg
 * compared with the ceiling legs right before and after it. The plain ceiling moves by a third within
 * one run on this shared machine, so the median of such close comparisons is the steadier figure.
 */
const ROUNDS = 3;
const ROUND_RAW_SECONDS = 4;
const ROUND_EVENTS = 4_000;
const MODELS = ['large', 'small', 'embed'] as const;
const EVENT_TYPE = 'llm.request';

// ---------------------------------------------------------------- measurement helpers

interface Cpu {
  nodeMs: number;
  javaMs: number;
}

function cpuNow(javaPid: number | undefined): Cpu {
  const usage = process.cpuUsage();
  return { nodeMs: (usage.user + usage.system) / 1000, javaMs: processCpuMs(javaPid) };
}

function cpuSince(start: Cpu, javaPid: number | undefined): Cpu {
  const now = cpuNow(javaPid);
  return { nodeMs: now.nodeMs - start.nodeMs, javaMs: now.javaMs - start.javaMs };
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

/** Runs `worker` in `inFlight` loops until `budget` says stop; bounded by count and by time. */
async function pool(
  inFlight: number,
  maxTasks: number,
  maxMs: number,
  task: (index: number) => Promise<void>,
): Promise<{ tasks: number; ms: number }> {
  const started = performance.now();
  let next = 0;
  const loop = async () => {
    while (next < maxTasks && performance.now() - started < maxMs) {
      const index = next++;
      await task(index);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, loop));
  return { tasks: next, ms: performance.now() - started };
}

/** Per-command counts and time of a DynamoDB client (middleware; includes SDK retries). */
class CommandStats {
  readonly byCommand = new Map<string, { calls: number; ms: number; errors: Map<string, number> }>();

  /**
   * Wraps `DynamoDBClient.prototype.send`: every client counts, also the API function's own (its
   * runtime is not `stack.deps`). Includes SDK retries.
   */
  attach(): void {
    const stats = this;
    const original = DynamoDBClient.prototype.send;
    (DynamoDBClient.prototype as any).send = async function (this: DynamoDBClient, command: any, ...rest: any[]) {
      const started = performance.now();
      const name = command?.constructor?.name ?? 'unknown';
      let stat = stats.byCommand.get(name);
      if (!stat) {
        stat = { calls: 0, ms: 0, errors: new Map() };
        stats.byCommand.set(name, stat);
      }
      stat.calls += 1;
      try {
        return await (original as any).call(this, command, ...rest);
      } catch (error) {
        const code = (error as Error).name;
        stat.errors.set(code, (stat.errors.get(code) ?? 0) + 1);
        throw error;
      } finally {
        stat.ms += performance.now() - started;
      }
    };
  }

  reset(): void {
    this.byCommand.clear();
  }

  /** A copy that later calls do not change. */
  snapshot(): CommandStats {
    const copy = new CommandStats();
    for (const [name, stat] of this.byCommand) copy.byCommand.set(name, { ...stat, errors: new Map(stat.errors) });
    return copy;
  }
}

/** Counts what `UsageStore.commit` is asked to write (wraps the instance method). */
class CommitStats {
  transactions = 0;
  cancelled = 0;
  operations = 0;
  events = 0;
  counters = 0;
  checks = 0;
  duplicateCancels = 0;
  settledCancels = 0;
  sealedCancels = 0;
  /** Of committed transactions only: what one stored event really costs. */
  okEvents = 0;
  okItemWrites = 0;
  okOperations = 0;
  ms = 0;
  /** Cancellation reason codes of cancelled transactions (None omitted). */
  reasons = new Map<string, number>();

  /** Wraps `UsageStore.prototype.commit`: every store counts, also the API function's own (its runtime is not `stack.deps`). */
  attach(): void {
    const original = UsageStore.prototype.commit;
    const stats = this;
    UsageStore.prototype.commit = async function (this: UsageStore, chunk: WriteChunk, expiresAt, receivedAt) {
      const started = performance.now();
      const result = await original.call(this, chunk, expiresAt, receivedAt);
      stats.ms += performance.now() - started;
      if (process.env.BENCH_TRACE === '2')
        console.error(
          `commit ${operationCount(chunk)} ops ${result.ok ? 'ok' : 'cancelled'} ${(performance.now() - started).toFixed(0)} ms`,
        );
      stats.transactions += 1;
      stats.operations += operationCount(chunk);
      stats.events += chunk.events.length;
      stats.counters += chunk.items.size + chunk.markers.length + lateItems(chunk).length;
      stats.checks += chunk.customers.size;
      if (result.ok) {
        stats.okEvents += chunk.events.length;
        stats.okItemWrites += chunk.events.length + chunk.items.size + chunk.markers.length + lateItems(chunk).length;
        stats.okOperations += operationCount(chunk);
      } else {
        stats.cancelled += 1;
        if (result.duplicates.length > 0) stats.duplicateCancels += 1;
        if (result.contested.length > 0) stats.settledCancels += 1;
        if (result.sealedCustomers.length > 0) stats.sealedCancels += 1;
        for (const code of result.reasons)
          if (code !== 'None') stats.reasons.set(code, (stats.reasons.get(code) ?? 0) + 1);
        if (process.env.BENCH_TRACE)
          console.error(
            `cancelled: ${chunk.events.length} events, ${chunk.items.size} counter items, ${chunk.customers.size} checks; ` +
              `duplicates ${result.duplicates.length}, contested ${result.contested.length}, sealed ${result.sealedCustomers.length}, ` +
              `retryable ${result.retryable}; codes ${result.reasons.filter((c) => c !== 'None').join(',')}`,
          );
      }
      return result;
    };
  }

  reset(): void {
    Object.assign(this, {
      transactions: 0,
      cancelled: 0,
      operations: 0,
      events: 0,
      counters: 0,
      checks: 0,
      duplicateCancels: 0,
      settledCancels: 0,
      sealedCancels: 0,
      okEvents: 0,
      okItemWrites: 0,
      okOperations: 0,
      ms: 0,
      reasons: new Map(),
    });
  }
}

// ---------------------------------------------------------------- (a) raw write ceiling

interface RawResult {
  label: string;
  inFlight: number;
  transactions: number;
  itemWrites: number;
  seconds: number;
  itemWritesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  cpu: Cpu;
}

const PADDING = 'x'.repeat(200);

function rawItem(table: string, key: string, withGsi: boolean): TransactWriteItem {
  return {
    Put: {
      TableName: table,
      Item: {
        PK: { S: key },
        SK: { S: 'RAW' },
        ...(withGsi ? { GSI1PK: { S: `EVENTS#raw-${key.length % 10}` }, GSI1SK: { S: `${key}#bench` } } : {}),
        customer: { S: 'c-00' },
        time: { S: '2026-11-10T10:00:00.000Z' },
        payload: { S: PADDING },
        expires_at: { N: '1790000000' },
      },
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  };
}

async function rawCeiling(
  client: DynamoDBClient,
  table: string,
  options: { label: string; inFlight: number; seconds: number; withGsi: boolean; javaPid: number | undefined },
): Promise<RawResult> {
  const latencies: number[] = [];
  const prefix = `${options.label.replace(/\W+/g, '-')}-${Date.now()}`;
  const cpu = cpuNow(options.javaPid);
  const run = await pool(options.inFlight, 1_000_000, options.seconds * 1000, async (index) => {
    const items = Array.from({ length: RAW_ITEMS_PER_TRANSACTION }, (_, i) =>
      rawItem(table, `RAW#${prefix}#${index}#${i}`, options.withGsi),
    );
    const started = performance.now();
    await client.send(new TransactWriteItemsCommand({ TransactItems: items }));
    latencies.push(performance.now() - started);
  });
  latencies.sort((x, y) => x - y);
  const itemWrites = run.tasks * RAW_ITEMS_PER_TRANSACTION;
  return {
    label: options.label,
    inFlight: options.inFlight,
    transactions: run.tasks,
    itemWrites,
    seconds: run.ms / 1000,
    itemWritesPerSecond: itemWrites / (run.ms / 1000),
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    cpu: cpuSince(cpu, options.javaPid),
  };
}

// ---------------------------------------------------------------- (b) ingestion workload

interface BenchEvent {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  subject: string;
  time: string;
  data: { model: string; tokens: number; concurrency: number };
}

/** Deterministic pseudo-random numbers (mulberry32), so every run posts the same workload. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

class Workload {
  private sequence = 0;
  private readonly rand: () => number;
  /** Events of batches that completed: the pool re-sent ids are drawn from. */
  private readonly stored: BenchEvent[] = [];

  constructor(
    private readonly prefix: string,
    seed: number,
    private readonly now: Date,
    private readonly spreadMs: number,
  ) {
    this.rand = random(seed);
  }

  fresh(): BenchEvent {
    const n = this.sequence++;
    return {
      specversion: '1.0',
      id: `${this.prefix}-${n}`,
      source: 'bench/ingest',
      type: EVENT_TYPE,
      subject: `c-${String(Math.floor(this.rand() * CUSTOMERS)).padStart(2, '0')}`,
      time: new Date(this.now.getTime() - 60_000 - Math.floor(this.rand() * this.spreadMs)).toISOString(),
      data: {
        model: MODELS[Math.floor(this.rand() * MODELS.length)] ?? 'large',
        tokens: 1 + Math.floor(this.rand() * 4000),
        concurrency: 1 + Math.floor(this.rand() * 64),
      },
    };
  }

  /** A batch of `size` events, ~5% of them re-sent copies of events already stored. */
  batch(size: number): { events: BenchEvent[]; resent: number } {
    const events: BenchEvent[] = [];
    let resent = 0;
    for (let i = 0; i < size; i++) {
      if (this.stored.length > 0 && this.rand() < DUPLICATE_SHARE) {
        const copy = this.stored[Math.floor(this.rand() * this.stored.length)];
        if (copy) {
          events.push(copy);
          resent++;
          continue;
        }
      }
      events.push(this.fresh());
    }
    return { events, resent };
  }

  completed(events: readonly BenchEvent[]): void {
    for (const event of events) this.stored.push(event);
  }
}

async function call(
  stack: LocalStack,
  key: string,
  method: string,
  path: string,
  body?: unknown,
  contentType?: string,
) {
  const response = await fetch(`${stack.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': contentType ?? 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, text };
}

async function api(stack: LocalStack, key: string, method: string, path: string, body?: unknown, contentType?: string) {
  const { status, text } = await call(stack, key, method, path, body, contentType);
  if (status >= 300) throw new Error(`${method} ${path} -> ${status}: ${text}`);
  return JSON.parse(text) as any;
}

async function setUp(stack: LocalStack): Promise<string> {
  const meters = [
    { key: 'requests', name: 'Requests', event_type: EVENT_TYPE, aggregation: 'count' },
    {
      key: 'tokens',
      name: 'Tokens',
      event_type: EVENT_TYPE,
      aggregation: 'sum',
      value_property: 'tokens',
      group_by: ['model'],
    },
    {
      key: 'peak-concurrency',
      name: 'Peak concurrency',
      event_type: EVENT_TYPE,
      aggregation: 'max',
      value_property: 'concurrency',
    },
  ];
  for (const meter of meters) await api(stack, stack.adminKey, 'POST', '/v1/meters', meter);
  for (let i = 0; i < CUSTOMERS; i++) {
    await api(stack, stack.adminKey, 'POST', '/v1/customers', {
      id: `c-${String(i).padStart(2, '0')}`,
      name: `Customer ${i}`,
      email: `billing+${i}@example.com`,
      currency: 'EUR',
      timezone: 'Europe/Berlin',
      locale: 'en',
    });
  }
  // Clients ingest with an ingest-scoped stored key (one GetItem per request), not the admin key.
  const created = await api(stack, stack.adminKey, 'POST', '/v1/api-keys', { name: 'bench', scope: 'ingest' });
  return created.key as string;
}

interface IngestRun {
  batches: number;
  posted: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  expectedResent: number;
  /** 5xx answers that made the client re-post the batch, by status. */
  errors: Map<number, number>;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
  cpu: Cpu;
}

async function ingestOverHttp(
  stack: LocalStack,
  key: string,
  workload: Workload,
  totalEvents: number,
  maxSeconds: number,
  javaPid: number | undefined,
): Promise<IngestRun> {
  const latencies: number[] = [];
  const run: IngestRun = {
    batches: 0,
    posted: 0,
    accepted: 0,
    duplicates: 0,
    rejected: 0,
    expectedResent: 0,
    errors: new Map(),
    seconds: 0,
    p50Ms: 0,
    p99Ms: 0,
    cpu: { nodeMs: 0, javaMs: 0 },
  };
  const cpu = cpuNow(javaPid);
  const timing = await pool(IN_FLIGHT, Math.ceil(totalEvents / BATCH_SIZE), maxSeconds * 1000, async () => {
    const { events, resent } = workload.batch(BATCH_SIZE);
    const started = performance.now();
    // A client re-posts the whole batch on 5xx (idempotent: stored events come back as duplicates).
    let body: any;
    for (let attempt = 1; body === undefined; attempt++) {
      const response = await call(stack, key, 'POST', '/v1/events', events, 'application/cloudevents-batch+json');
      if (response.status === 200) body = JSON.parse(response.text);
      else if (response.status >= 500 && attempt < 4) {
        run.errors.set(response.status, (run.errors.get(response.status) ?? 0) + 1);
        if (process.env.BENCH_TRACE) console.error(`batch ${run.batches}: ${response.status} ${response.text}`);
      } else throw new Error(`POST /v1/events -> ${response.status}: ${response.text}`);
    }
    latencies.push(performance.now() - started);
    if (process.env.BENCH_TRACE) console.error(`batch ${run.batches}: ${(performance.now() - started).toFixed(0)} ms`);
    workload.completed(events.filter((_, i) => body.results[i]?.status === 'accepted'));
    run.batches += 1;
    run.posted += events.length;
    run.expectedResent += resent;
    run.accepted += body.accepted as number;
    run.duplicates += body.duplicates as number;
    run.rejected += body.rejected as number;
    if (body.rejected > 0) {
      const first = (body.results as any[]).find((r) => r.status === 'rejected');
      throw new Error(`unexpected rejection: ${JSON.stringify(first)}`);
    }
  });
  latencies.sort((x, y) => x - y);
  return {
    ...run,
    seconds: timing.ms / 1000,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    cpu: cpuSince(cpu, javaPid),
  };
}

/** The same use case as POST /v1/events, called directly: the result carries consumedWcu. */
async function wcuSample(stack: LocalStack, workload: Workload, batches: number) {
  let accepted = 0;
  let duplicates = 0;
  let wcu = 0;
  let ms = 0;
  for (let b = 0; b < batches; b++) {
    const { events } = workload.batch(BATCH_SIZE);
    const receivedAt = new Date();
    const envelopes: Envelope[] = events.map((raw, index) => {
      const parsed = parseCloudEvent(JSON.parse(JSON.stringify(raw)), index, receivedAt);
      return parsed.ok ? parsed : { ok: false, index, id: parsed.id, message: parsed.message };
    });
    const started = performance.now();
    const result = await recordUsage(
      {
        meters: stack.deps.meters,
        customers: stack.deps.customers,
        usage: stack.deps.usage,
        clock: () => receivedAt,
        acceptanceWindowDays: stack.config.acceptanceWindowDays,
        futureToleranceMinutes: stack.config.futureToleranceMinutes,
      },
      envelopes,
    );
    ms += performance.now() - started;
    if (result.rejected > 0) throw new Error(`unexpected rejections in the WCU sample: ${result.rejected}`);
    accepted += result.accepted;
    duplicates += result.duplicates;
    wcu += result.consumedWcu;
    workload.completed(events.filter((_, i) => result.results[i]?.status === 'accepted'));
  }
  return { batches, accepted, duplicates, wcu, wcuPerEvent: wcu / accepted, msPerBatch: ms / batches };
}

/** Sizes (names plus values, as DynamoDB counts them, roughly) of the counter items (bucket items) or of the raw event items. */
async function itemSizes(stack: LocalStack, kind: 'counters' | 'events') {
  let items = 0;
  let total = 0;
  let maxBytes = 0;
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await stack.deps.dynamo.send(
      new ScanCommand({
        TableName: kind === 'counters' ? stack.config.tableName : stack.config.eventsTableName,
        FilterExpression: 'begins_with(PK, :u) AND begins_with(SK, :b)',
        ExpressionAttributeValues:
          kind === 'counters'
            ? { ':u': { S: 'USAGE#' }, ':b': { S: 'B#' } }
            : { ':u': { S: 'EVENT#' }, ':b': { S: 'EVENT' } },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) {
      const bytes = Object.entries(item).reduce(
        (sum, [name, value]) => sum + name.length + (value.S?.length ?? value.N?.length ?? 8),
        0,
      );
      items += 1;
      total += bytes;
      maxBytes = Math.max(maxBytes, bytes);
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return { items, meanBytes: items ? total / items : 0, maxBytes };
}

/**
 * The event archive after the run: how long the stream took to drain after the last write, and what
 * S3 holds (objects, events, gzip bytes per event). Locally the poller hands over what one GetRecords
 * returns (up to 1,000 records, polled every 0.1–1 s); the AWS mapping's batches (up to 1,000 records
 * or 5 s) give fewer, larger objects.
 */
async function archiveFigures(stack: LocalStack) {
  const archive = stack.archive;
  if (!archive) throw new Error('the bench needs the event archive');
  const started = performance.now();
  await archive.idle(300_000);
  const drainMs = performance.now() - started;
  const s3 = new S3Client({
    endpoint: archive.s3.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  try {
    let objects = 0;
    let gzBytes = 0;
    let jsonBytes = 0;
    const ids = new Set<string>();
    let lines = 0;
    let token: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({ Bucket: archive.s3.bucket, Prefix: 'events/', ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) {
        const got = await s3.send(new GetObjectCommand({ Bucket: archive.s3.bucket, Key: object.Key! }));
        const bytes = await got.Body!.transformToByteArray();
        const text = gunzipSync(bytes).toString('utf8');
        objects += 1;
        gzBytes += bytes.length;
        jsonBytes += Buffer.byteLength(text);
        for (const line of text.split('\n')) {
          if (line === '') continue;
          const event = parseArchiveLine(line);
          lines += 1;
          ids.add(`${event.source}\u0000${event.id}`);
        }
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return { drainMs, objects, lines, events: ids.size, gzBytes, jsonBytes, delivered: archive.poller.delivered };
  } finally {
    s3.destroy();
  }
}

// ---------------------------------------------------------------- (c) single-event latency

async function singleEventLatency(stack: LocalStack, key: string, workload: Workload) {
  const post = async () => {
    const event = workload.fresh();
    const started = performance.now();
    const body = await api(stack, key, 'POST', '/v1/events', event, 'application/cloudevents+json');
    const elapsed = performance.now() - started;
    if (body.accepted !== 1) throw new Error(`single event not accepted: ${JSON.stringify(body)}`);
    return elapsed;
  };
  const deadline = performance.now() + 120_000;
  for (let i = 0; i < SINGLE_WARMUP && performance.now() < deadline; i++) await post();
  const latencies: number[] = [];
  for (let i = 0; i < SINGLE_POSTS && performance.now() < deadline; i++) latencies.push(await post());
  latencies.sort((x, y) => x - y);
  return {
    posts: latencies.length,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxMs: latencies.at(-1) ?? Number.NaN,
  };
}

// ---------------------------------------------------------------- correctness check

/** GET /v1/reconcile per customer: counters rebuilt from the stored raw events; 0 mismatches expected. */
async function reconcileAll(stack: LocalStack, from: Date, to: Date) {
  let events = 0;
  let mismatches = 0;
  const examples: unknown[] = [];
  for (let i = 0; i < CUSTOMERS; i++) {
    const customer = `c-${String(i).padStart(2, '0')}`;
    const query = `customer=${customer}&from=${from.toISOString()}&to=${to.toISOString()}`;
    const report = await api(stack, stack.adminKey, 'GET', `/v1/reconcile?${query}`);
    events += report.events as number;
    mismatches += report.mismatch_count as number;
    if (examples.length < 3) examples.push(...(report.mismatches as unknown[]).slice(0, 3 - examples.length));
  }
  return { events, mismatches, examples };
}

// ---------------------------------------------------------------- report

const fmt = (value: number, digits = 0) =>
  Number.isFinite(value)
    ? value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : 'n/a';

function table(header: string[], rows: string[][]): string {
  const widths = header.map((_, c) => Math.max(...[header, ...rows].map((row) => (row[c] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function commandTable(stats: CommandStats, per: number, perLabel: string): string {
  const rows = [...stats.byCommand.entries()]
    .sort((x, y) => y[1].ms - x[1].ms)
    .map(([name, s]) => [
      name,
      fmt(s.calls),
      fmt(s.calls / per, 2),
      fmt(s.ms / s.calls, 1),
      fmt(s.ms / per, 1),
      [...s.errors.entries()].map(([code, count]) => `${code} ${count}`).join(', ') || '-',
    ]);
  return table(['DynamoDB command', 'calls', `calls/${perLabel}`, 'ms/call', `ms/${perLabel}`, 'errors'], rows);
}

export interface IngestBenchResult {
  rawItemWritesPerSecond: number;
  eventsPerSecond: number;
  wcuPerEvent: number;
  ratio: number;
  singleP50Ms: number;
  singleP99Ms: number;
  singleAloneP50Ms: number;
  singleAloneP99Ms: number;
}

export async function main(): Promise<IngestBenchResult> {
  let dynamodb: DynamoDbLocal | undefined;
  let stack: LocalStack | undefined;
  let rawClient: DynamoDBClient | undefined;
  try {
    const startedAt = performance.now();
    dynamodb = await startDynamoDbLocal();
    const javaPid = dynamodb.pid;
    rawClient = new DynamoDBClient({
      endpoint: dynamodb.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 6,
      retryMode: 'standard',
    });
    await rawClient.send(
      new CreateTableCommand({
        TableName: 'raw-ceiling',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'PK', AttributeType: 'S' },
          { AttributeName: 'SK', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'PK', KeyType: 'HASH' },
          { AttributeName: 'SK', KeyType: 'RANGE' },
        ],
      }),
    );
    stack = await startLocalStack({
      delivery: false,
      dynamodbEndpoint: dynamodb.endpoint,
      env: { BILLING_TABLE_NAME: 'billing-bench', AWS_REGION: 'us-east-1' },
      logLevel: process.env.BENCH_TRACE ? 'ERROR' : 'SILENT',
    });
    const commands = new CommandStats();
    commands.attach();
    const commits = new CommitStats();
    commits.attach();
    const key = await setUp(stack);
    const workloadNow = new Date();
    const workload = new Workload(`ev-${Date.now()}`, 20261110, workloadNow, SPREAD_HOURS * 3_600_000);
    const loadBefore = loadavg();

    // Warm-up: JIT of both processes, DynamoDB Local's first requests are markedly slower.
    await rawCeiling(rawClient, 'raw-ceiling', {
      label: 'warm-up',
      inFlight: IN_FLIGHT,
      seconds: 6,
      withGsi: false,
      javaPid,
    });
    await ingestOverHttp(stack, key, workload, WARMUP_BATCHES * BATCH_SIZE, 60, javaPid);

    // (a) raw ceiling (before and after (b): the table grows, the JVM warms up further).
    const rawBefore = await rawCeiling(rawClient, 'raw-ceiling', {
      label: 'a  raw 25 Puts, plain table',
      inFlight: IN_FLIGHT,
      seconds: RAW_SECONDS,
      withGsi: false,
      javaPid,
    });
    const rawBilling = await rawCeiling(rawClient, stack.config.eventsTableName, {
      label: 'a2 raw 25 Puts, events table (stream read by the archive)',
      inFlight: IN_FLIGHT,
      seconds: RAW_SECONDS,
      withGsi: false,
      javaPid,
    });
    const raw32 = await rawCeiling(rawClient, 'raw-ceiling', {
      label: 'a3 raw 25 Puts, plain table',
      inFlight: IN_FLIGHT * 4,
      seconds: RAW_SECONDS,
      withGsi: false,
      javaPid,
    });

    // (b) ingestion over HTTP.
    commands.reset();
    commits.reset();
    // BENCH_PROFILE=file.cpuprofile: a CPU profile of this process during (b) (open it in Chrome DevTools).
    const profiler = process.env.BENCH_PROFILE ? await startProfile() : undefined;
    const ingest = await ingestOverHttp(stack, key, workload, HTTP_EVENTS, HTTP_MAX_SECONDS, javaPid);
    if (profiler && process.env.BENCH_PROFILE)
      writeFileSync(process.env.BENCH_PROFILE, JSON.stringify(await profiler()));
    const ingestCommands = commands.snapshot();
    const ingestCommits = Object.assign(new CommitStats(), commits);

    // (b2) live traffic: the same, with event times within the last 10 minutes.
    commits.reset();
    const liveWorkload = new Workload(`live-${Date.now()}`, 7, new Date(), LIVE_SPREAD_MS);
    const live = await ingestOverHttp(stack, key, liveWorkload, LIVE_EVENTS, 120, javaPid);
    const liveCommits = Object.assign(new CommitStats(), commits);

    const rawAfter = await rawCeiling(rawClient, 'raw-ceiling', {
      label: 'a  raw 25 Puts, plain table (after b)',
      inFlight: IN_FLIGHT,
      seconds: RAW_SECONDS,
      withGsi: false,
      javaPid,
    });

    // (e) interleaved rounds: a, b, a, b2, a, ... (see ROUNDS).
    const rounds: Array<{ spread: number; live: number }> = [];
    const rawLeg = () =>
      rawCeiling(rawClient!, 'raw-ceiling', {
        label: 'round a',
        inFlight: IN_FLIGHT,
        seconds: ROUND_RAW_SECONDS,
        withGsi: false,
        javaPid,
      });
    const perSecond = (run: IngestRun) => run.accepted / run.seconds;
    let legBefore = await rawLeg();
    for (let round = 0; round < ROUNDS; round++) {
      const spreadLeg = await ingestOverHttp(stack, key, workload, ROUND_EVENTS, 60, javaPid);
      const legMiddle = await rawLeg();
      const liveLeg = await ingestOverHttp(
        stack,
        key,
        new Workload(`round-${round}-${Date.now()}`, 11 + round, new Date(), LIVE_SPREAD_MS),
        ROUND_EVENTS,
        60,
        javaPid,
      );
      const legAfter = await rawLeg();
      rounds.push({
        spread: perSecond(spreadLeg) / ((legBefore.itemWritesPerSecond + legMiddle.itemWritesPerSecond) / 2),
        live: perSecond(liveLeg) / ((legMiddle.itemWritesPerSecond + legAfter.itemWritesPerSecond) / 2),
      });
      legBefore = legAfter;
    }

    // (b') WCU per event: recordUsage called directly, one batch at a time (spread, then live).
    commits.reset();
    const wcu = await wcuSample(stack, workload, WCU_SAMPLE_BATCHES);
    const wcuCommits = Object.assign(new CommitStats(), commits);
    commits.reset();
    const wcuLive = await wcuSample(stack, liveWorkload, WCU_SAMPLE_BATCHES);
    const wcuLiveCommits = Object.assign(new CommitStats(), commits);
    const sizes = await itemSizes(stack, 'counters');
    const eventSizes = await itemSizes(stack, 'events');
    const archived = await archiveFigures(stack);

    // (c) single-event latency, sequential.
    commands.reset();
    const single = await singleEventLatency(stack, key, workload);
    const singleCommands = commands.snapshot();
    // The same with the archive's poller paused: locally the archiver, s3rver and the API share this
    // process and DynamoDB Local's one thread, and a post that meets an archive batch waits for it.
    const poller = stack.archive?.poller;
    poller?.pause();
    const singleAlone = await singleEventLatency(stack, key, workload).finally(() => poller?.resume());

    // Correctness: every counter equals what the stored raw events say. Reconcile reads the raw events
    // from the archive, which trails the commits by up to a second: wait for it to hold (c)'s posts.
    await stack.archive?.idle(300_000);
    const hour = 3_600_000;
    const reconciled = await reconcileAll(
      stack,
      new Date(Math.floor((workloadNow.getTime() - (SPREAD_HOURS + 1) * hour) / hour) * hour),
      new Date(Math.ceil((Date.now() + hour) / hour) * hour),
    );
    const loadAfter = loadavg();

    // ------------------------------------------------------------ print
    // The ceiling measured right before and right after (b): their mean (a shared machine drifts).
    const ceiling = (rawBefore.itemWritesPerSecond + rawAfter.itemWritesPerSecond) / 2;
    // Load-independent view: DynamoDB Local CPU per raw item write against its CPU per stored event.
    const javaMsPerRawWrite =
      (rawBefore.cpu.javaMs + rawAfter.cpu.javaMs) / (rawBefore.itemWrites + rawAfter.itemWrites);
    // Fresh events (all stored once their batch answers 200; equals `accepted` unless a batch was re-posted).
    const stored = ingest.posted - ingest.expectedResent;
    const eventsPerSecond = stored / ingest.seconds;
    const postedPerSecond = ingest.posted / ingest.seconds;
    const itemsPerEvent = ingestCommits.okItemWrites / ingestCommits.okEvents;
    const operationsPerEvent = ingestCommits.operations / stored;
    const ratio = eventsPerSecond / ceiling;
    const workRatio = eventsPerSecond / (ceiling / itemsPerEvent);
    const opsRatio = eventsPerSecond / (ceiling / operationsPerEvent);

    console.log(
      `ingest benchmark — Node ${process.version}, ${availableParallelism()} cores, DynamoDB Local 3.3.0 in memory, ${(
        (performance.now() - startedAt) / 1000
      ).toFixed(0)} s, load average ${loadBefore.map((x) => x.toFixed(1)).join(' ')} → ${loadAfter
        .map((x) => x.toFixed(1))
        .join(' ')}`,
    );
    console.log('');
    const rawRows = [rawBefore, rawBilling, raw32, rawAfter].map((r) => [
      r.label,
      fmt(r.inFlight),
      fmt(r.transactions),
      fmt(r.seconds, 1),
      fmt(r.itemWritesPerSecond),
      fmt(r.p50Ms, 1),
      fmt(r.p99Ms, 1),
      fmt(r.cpu.nodeMs / (r.seconds * 1000), 2),
      fmt(r.cpu.javaMs / (r.seconds * 1000), 2),
    ]);
    console.log(
      table(
        [
          '(a) raw TransactWriteItems',
          'in flight',
          'tx',
          's',
          'item writes/s',
          'p50 ms',
          'p99 ms',
          'node cores',
          'java cores',
        ],
        rawRows,
      ),
    );
    console.log('');
    const perTx = (value: number) => fmt(value / ingestCommits.transactions, 1);
    const errors = [...ingest.errors.entries()].map(([status, count]) => `${count}× ${status}`).join(', ') || 'none';
    console.log(
      table(
        ['(b) ingestion over HTTP', 'value'],
        [
          ['batches x events (8 in flight)', `${fmt(ingest.batches)} x ${BATCH_SIZE}`],
          ['events posted / fresh / re-sent', `${fmt(ingest.posted)} / ${fmt(stored)} / ${fmt(ingest.expectedResent)}`],
          [
            'answered accepted / duplicate / rejected',
            `${fmt(ingest.accepted)} / ${fmt(ingest.duplicates)} / ${fmt(ingest.rejected)}`,
          ],
          ['5xx answers (batch re-posted)', errors],
          ['wall time s', fmt(ingest.seconds, 1)],
          ['stored events/s', fmt(eventsPerSecond)],
          ['posted events/s (incl. re-sent)', fmt(postedPerSecond)],
          ['batch latency p50 / p99 ms', `${fmt(ingest.p50Ms, 0)} / ${fmt(ingest.p99Ms, 0)}`],
          [
            'cores used node / java',
            `${fmt(ingest.cpu.nodeMs / (ingest.seconds * 1000), 2)} / ${fmt(ingest.cpu.javaMs / (ingest.seconds * 1000), 2)}`,
          ],
          [
            'CPU ms per stored event node / java',
            `${fmt(ingest.cpu.nodeMs / stored, 3)} / ${fmt(ingest.cpu.javaMs / stored, 3)}`,
          ],
          ['TransactWriteItems per batch', fmt(ingestCommits.transactions / ingest.batches, 2)],
          [
            'cancelled tx: all / with duplicate / with max settled',
            `${fmt(ingestCommits.cancelled)} of ${fmt(ingestCommits.transactions)} / ${fmt(ingestCommits.duplicateCancels)} / ${fmt(ingestCommits.settledCancels)}`,
          ],
          [
            'per tx: operations = events + counters + seal checks',
            `${perTx(ingestCommits.operations)} = ${perTx(ingestCommits.events)} + ${perTx(ingestCommits.counters)} + ${perTx(ingestCommits.checks)}`,
          ],
          ['item writes per stored event (committed tx)', fmt(itemsPerEvent, 2)],
          [
            'operations per stored event: committed / sent',
            `${fmt(ingestCommits.okOperations / ingestCommits.okEvents, 2)} / ${fmt(operationsPerEvent, 2)}`,
          ],
          ['mean time in one commit ms', fmt(ingestCommits.ms / ingestCommits.transactions, 1)],
          [
            'reconcile (counters vs raw events)',
            `${fmt(reconciled.events)} events, ${fmt(reconciled.mismatches)} mismatches`,
          ],
        ],
      ),
    );
    if (reconciled.mismatches > 0) console.log(`  mismatch examples: ${JSON.stringify(reconciled.examples)}`);
    console.log('');
    console.log(commandTable(ingestCommands, ingest.batches, 'batch'));
    console.log('');
    const liveStored = live.posted - live.expectedResent;
    const livePerSecond = liveStored / live.seconds;
    console.log(
      table(
        ['(b2) same, event times within the last minute', 'value'],
        [
          ['events posted / fresh, wall time s', `${fmt(live.posted)} / ${fmt(liveStored)}, ${fmt(live.seconds, 1)}`],
          ['stored events/s', fmt(livePerSecond)],
          ['batch latency p50 / p99 ms', `${fmt(live.p50Ms, 0)} / ${fmt(live.p99Ms, 0)}`],
          [
            'TransactWriteItems per batch / cancelled',
            `${fmt(liveCommits.transactions / live.batches, 2)} / ${fmt(liveCommits.cancelled)} of ${fmt(liveCommits.transactions)}`,
          ],
          ['item writes per stored event (committed tx)', fmt(liveCommits.okItemWrites / liveCommits.okEvents, 2)],
          [
            'operations per stored event: committed / sent',
            `${fmt(liveCommits.okOperations / liveCommits.okEvents, 2)} / ${fmt(liveCommits.operations / liveStored, 2)}`,
          ],
          ['ratio b2/a', fmt(livePerSecond / ceiling, 3)],
        ],
      ),
    );
    console.log('');
    // Real DynamoDB: 2 WCU per KB per transactional operation (a ConditionCheck counted as one, an
    // upper bound). Raw events have no index copy (the archive in S3 is written from the stream).
    const wcuPerKb = Math.ceil(Math.max(sizes.maxBytes, 1) / 1024);
    const wcuEstimate = (commits: CommitStats) => (2 * wcuPerKb * commits.okOperations) / commits.okEvents;
    const wcuRow = (label: string, sample: typeof wcu, commits: CommitStats) => [
      label,
      `${fmt(sample.wcuPerEvent, 2)} | ${fmt(commits.okItemWrites / commits.okEvents, 2)} / ${fmt((commits.okOperations - commits.okItemWrites) / commits.okEvents, 3)} | ${fmt(commits.transactions / sample.batches, 2)} / ${fmt(commits.cancelled)} | ${fmt(wcuEstimate(commits), 2)}`,
    ];
    console.log(
      table(
        [
          "(b') WCU (recordUsage direct, 1 batch at a time)",
          'Local WCU | item writes / checks per event | tx per batch / cancelled | real WCU/event',
        ],
        [
          wcuRow(`spread over the last ${SPREAD_HOURS} h`, wcu, wcuCommits),
          wcuRow('live (last minute)', wcuLive, wcuLiveCommits),
          [
            'counter items: count / mean / max bytes',
            `${fmt(sizes.items)} / ${fmt(sizes.meanBytes)} / ${fmt(sizes.maxBytes)} (under 1 KB: 2 WCU per write)`,
          ],
        ],
      ),
    );
    console.log('');
    console.log(
      table(
        ['(d) event archive (S3, from the table stream)', 'value'],
        [
          ['stream drained after the last write, s', fmt(archived.drainMs / 1000, 2)],
          [
            'records handed to the archiver / events in S3 (distinct) / lines',
            `${fmt(archived.delivered)} / ${fmt(archived.events)} / ${fmt(archived.lines)}`,
          ],
          [
            'objects (local poller batches) / events per object',
            `${fmt(archived.objects)} / ${fmt(archived.lines / archived.objects, 1)}`,
          ],
          [
            'JSON / gzip bytes per event',
            `${fmt(archived.jsonBytes / archived.lines, 0)} / ${fmt(archived.gzBytes / archived.lines, 0)}`,
          ],
          [
            'raw event items in the table: count / mean / max bytes',
            `${fmt(eventSizes.items)} / ${fmt(eventSizes.meanBytes)} / ${fmt(eventSizes.maxBytes)}`,
          ],
        ],
      ),
    );
    console.log('');
    console.log(
      table(
        ['(c) single-event posts (sequential)', 'value'],
        [
          ['posts', fmt(single.posts)],
          ['p50 / p99 / max ms', `${fmt(single.p50Ms, 1)} / ${fmt(single.p99Ms, 1)} / ${fmt(single.maxMs, 1)}`],
          [
            'the same, archive paused: p50 / p99 / max ms',
            `${fmt(singleAlone.p50Ms, 1)} / ${fmt(singleAlone.p99Ms, 1)} / ${fmt(singleAlone.maxMs, 1)}`,
          ],
        ],
      ),
    );
    console.log(commandTable(singleCommands, single.posts + SINGLE_WARMUP, 'post'));
    console.log('');
    console.log(
      `ratio b/a = ${fmt(ratio, 3)}  (stored events/s ÷ raw item writes/s, ceiling ${fmt(ceiling)} = mean of the two (a) rows; spread over the last ${SPREAD_HOURS} h; target ≥ 0.45; bound of the design 1 ÷ ${fmt(itemsPerEvent, 2)} item writes per event = ${fmt(1 / itemsPerEvent, 2)})`,
    );
    const liveItems = liveCommits.okItemWrites / liveCommits.okEvents;
    console.log(
      `ratio b2/a = ${fmt(livePerSecond / ceiling, 3)}  (live events, last minute; target ≥ 0.65; bound 1 ÷ ${fmt(liveItems, 2)} item writes per event = ${fmt(1 / liveItems, 2)})`,
    );
    console.log(
      `ratio vs the events table's own ceiling (a2, ${fmt(rawBilling.itemWritesPerSecond)} item writes/s: the same puts into the table the events go to, whose stream DynamoDB Local writes and the archive reads): spread ${fmt(eventsPerSecond / rawBilling.itemWritesPerSecond, 3)}, live ${fmt(livePerSecond / rawBilling.itemWritesPerSecond, 3)}`,
    );
    console.log(
      `stream bound a2/a = ${fmt(rawBilling.itemWritesPerSecond / ceiling, 3)}  (what a put into a streamed table reaches against the plain one: a ceiling for any design whose archive reads each raw event from a DynamoDB Local stream, before counters)`,
    );
    const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)] ?? 0;
    const spreads = rounds.map((round) => round.spread);
    const lives = rounds.map((round) => round.live);
    console.log(
      `interleaved (e), ${ROUNDS} rounds of ${fmt(ROUND_EVENTS)} events against ${ROUND_RAW_SECONDS}-s ceiling legs on either side: ratio spread median ${fmt(median(spreads), 3)} (${spreads.map((r) => fmt(r, 3)).join(', ')}; target ≥ 0.45), live median ${fmt(median(lives), 3)} (${lives.map((r) => fmt(r, 3)).join(', ')}; target ≥ 0.65)`,
    );
    console.log(
      `WCU per event on DynamoDB: spread ${fmt(wcuEstimate(wcuCommits), 2)} (target ≤ 3.5), live ${fmt(wcuEstimate(wcuLiveCommits), 2)} (target ≤ 2.5)`,
    );
    console.log(
      `ratio by DynamoDB Local CPU = ${fmt(javaMsPerRawWrite / (ingest.cpu.javaMs / stored), 3)}  (its CPU ms per raw item write ${fmt(javaMsPerRawWrite, 3)} ÷ its CPU ms per stored event ${fmt(ingest.cpu.javaMs / stored, 3)}: the same ratio, insensitive to other load on the machine)`,
    );
    console.log(
      `ratio b/(a/${fmt(itemsPerEvent, 2)}) = ${fmt(workRatio, 3)}  (the same, with the ceiling divided by the item writes one event needs (raw event + counter updates, after coalescing): efficiency of the path at the work it must do)`,
    );
    console.log(
      `ratio b/(a/${fmt(operationsPerEvent, 2)}) = ${fmt(opsRatio, 3)}  (ceiling divided by all transaction operations sent per accepted event, seal checks and cancelled retries included: what is left is HTTP, validation and waiting)`,
    );
    return {
      rawItemWritesPerSecond: ceiling,
      eventsPerSecond,
      wcuPerEvent: wcu.wcuPerEvent,
      ratio,
      singleP50Ms: single.p50Ms,
      singleP99Ms: single.p99Ms,
      singleAloneP50Ms: singleAlone.p50Ms,
      singleAloneP99Ms: singleAlone.p99Ms,
    };
  } finally {
    rawClient?.destroy();
    await stack?.stop().catch(() => undefined);
    await dynamodb?.stop().catch(() => undefined);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
