import { writeFileSync } from 'node:fs';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { z } from 'zod';
import { CloudEventSchema } from '../../functions/schemas/events.js';
import type { OpenApiDocument, JsonSchema as OpenApiSchema } from '../support/fuzz/openapi.js';
import { type FuzzPlan, type FuzzRequest, planFuzz } from '../support/fuzz/plan.js';
import { type FuzzFailure, FuzzRunner, failureLine } from '../support/fuzz/runner.js';
import { StoreSnapshots } from '../support/fuzz/store.js';
import { startTestStack, type TestClock, type TestStack, testClock } from '../support/stack.js';

/** Fixed: the same requests in every run. Change it to explore, then keep what it finds as a test. */
const SEED = 20260511;
/** A request that gets no answer in this time counts as a failure (today a huge exponent can stall the server). */
const TIMEOUT_MS = 5_000;

let stack: TestStack;
let clock: TestClock;
let store: StoreSnapshots;
let document: OpenApiDocument;
let plan: FuzzPlan;
let runner: FuzzRunner;

async function post(path: string, body: unknown, contentType?: string) {
  const response = await stack.call('POST', path, body, contentType ? { contentType } : {});
  expect(response.status, `${path}: ${JSON.stringify(response.body)}`).toBeLessThan(300);
  return response.body;
}

let seq = 0;
const event = (time: string, data: Record<string, unknown> = {}, type = 'api.call') => ({
  specversion: '1.0',
  id: `seed-${seq++}`,
  source: 'fuzz-seed',
  type,
  subject: 'fz-acme',
  time,
  data,
});

/**
 * The OpenAPI document does not describe the body of POST /v1/events (the route reads it raw to answer
 * per event). Until it does, the fuzzer takes the CloudEvent schema the route validates with, as a
 * stand-in for the missing requestBody; a requestBody in the document wins.
 */
function withIngestBody(doc: OpenApiDocument): OpenApiDocument {
  const ingest = doc.paths['/v1/events']?.post;
  if (ingest && !ingest.requestBody) {
    const { $defs } = z.toJSONSchema(CloudEventSchema, { io: 'input', unrepresentable: 'any' }) as {
      $defs: Record<string, OpenApiSchema>;
    };
    doc.components = { ...doc.components, schemas: { ...doc.components?.schemas, ...$defs } };
    ingest.requestBody = {
      content: { 'application/cloudevents+json': { schema: { $ref: '#/components/schemas/CloudEvent' } } },
    };
  }
  return doc;
}

beforeAll(async () => {
  // A small world with a real target for every path id: meters, a plan, a customer with a
  // subscription, an API key, events, and a closed October with its invoice.
  clock = testClock('2026-10-01T00:00:00Z');
  // Delivery on (local SQS + SES), so the delivery routes have real queues behind them; its poller is
  // stopped once the seeded invoice is sent, so nothing changes the store behind the fuzzer's back.
  stack = await startTestStack({ clock, delivery: { pollIntervalMs: 50, sweepIntervalSeconds: 0 }, archive: true });
  store = new StoreSnapshots(inject('dynamodbEndpoint'), stack.config.tableName);
  await post('/v1/meters', { key: 'std', name: 'API calls', event_type: 'api.call', aggregation: 'count' });
  await post('/v1/meters', {
    key: 'gb',
    name: 'Storage',
    event_type: 'storage',
    aggregation: 'sum',
    value_property: 'gb',
    group_by: ['region'],
  });
  await post('/v1/plans', {
    key: 'std',
    name: 'Standard',
    currency: 'EUR',
    interval: 'month',
    base_fee: { amount: '10' },
    charges: [
      { meter: 'std', price: { model: 'per_unit', unit_price: '0.10' } },
      { meter: 'gb', price: { model: 'per_unit', unit_price: '0.02' } },
    ],
  });
  await post('/v1/customers', { id: 'fz-acme', name: 'Acme', email: 'billing@acme.example', currency: 'EUR' });
  await post('/v1/subscriptions', { id: 'sub-acme', customer: 'fz-acme', plan: 'std', start_date: '2026-10-01' });
  const apiKey = await post('/v1/api-keys', { name: 'fuzz', scope: 'ingest' });
  clock.set('2026-10-20T12:00:00Z');
  await post(
    '/v1/events',
    [event('2026-10-20T10:00:00Z'), event('2026-10-20T11:00:00Z', { gb: 3, region: 'eu' }, 'storage')],
    'application/cloudevents-batch+json',
  );
  clock.set('2026-11-01T02:00:00Z');
  const run = await post('/v1/billing-runs', { as_of: '2026-11-01T02:00:00Z' });
  const invoices = (await stack.call('GET', '/v1/invoices?customer=fz-acme')).body.data as Array<{ id: string }>;
  expect(invoices).toHaveLength(1);
  await vi.waitFor(
    async () => expect((await stack.call('GET', `/v1/invoices/${invoices[0]!.id}`)).body.delivery?.status).toBe('sent'),
    { timeout: 30_000, interval: 100 },
  );
  await stack.delivery!.poller.stop();
  clock.set('2026-11-10T12:00:00Z');
  await post('/v1/events', [event('2026-11-10T10:00:00Z')], 'application/cloudevents-batch+json');

  const response = await fetch(`${stack.url}/openapi.json`);
  expect(response.status).toBe(200);
  document = withIngestBody((await response.json()) as OpenApiDocument);
  plan = planFuzz(document, {
    seed: SEED,
    world: {
      customer: 'fz-acme',
      subject: 'fz-acme',
      plan: 'std',
      meter: 'std',
      type: 'storage',
      data: { gb: 2, region: 'eu' },
      currency: 'EUR',
      timezone: 'UTC',
      locale: 'en',
      email: 'someone@example.com',
      start_date: '2026-11-01',
      from: '2026-10-01T00:00:00Z',
      to: '2026-11-01T00:00:00Z',
      time: '2026-11-10T11:00:00Z',
      as_of: '2026-11-10T12:00:00Z',
    },
    ids: {
      customers: 'fz-acme',
      meters: 'std',
      plans: 'std',
      versions: '1',
      subscriptions: 'sub-acme',
      invoices: invoices[0]!.id,
      'api-keys': apiKey.id,
      'billing-runs': run.id,
    },
    classesPerQueryParameter: 2,
    valuesPerPathParameter: 4,
  });

  runner = new FuzzRunner({
    baseUrl: stack.url,
    apiKey: stack.adminKey,
    timeoutMs: TIMEOUT_MS,
    store,
    onFailure: (failure) => process.stderr.write(`fuzz failure: ${failureLine(failure)}\n`),
    // FUZZ_TRACE=1: every request before it is sent (the server runs in this process: a request that
    // exhausts the heap kills the run without a summary).
    ...(process.env.FUZZ_TRACE
      ? {
          onSend: (r: FuzzRequest) =>
            process.stderr.write(`fuzz send: ${r.method} ${r.route} [${r.cls}] ${r.target} = ${r.sample}\n`),
        }
      : {}),
  });
  for (const requests of plan.main) await runner.runGroup(requests);
  const before = summary(runner.failures);
  process.stderr.write(
    `fuzz: ${before.length} distinct failures before the huge-number class; sending its ${plan.huge.length} requests last\n`,
  );
  // The huge-number class last of all: today one of them can exhaust the heap of this very process.
  await runner.runGroup(plan.huge);
  // FUZZ_RESPONSES=<file>: every request and its answer as JSON lines, to look into a run.
  if (process.env.FUZZ_RESPONSES) {
    writeFileSync(
      process.env.FUZZ_RESPONSES,
      runner.responses
        .map(({ request, response }) => JSON.stringify({ ...request, body: request.body?.slice(0, 300), response }))
        .join('\n'),
    );
  }
  const lines = summary(runner.failures);
  process.stderr.write(
    `fuzz: ${runner.responses.length} requests over ${plan.main.length} operations, ${store.scans} scans, ${lines.length} distinct failures\n${lines.join('\n')}\n`,
  );
}, 600_000);

afterAll(async () => {
  store?.destroy();
  await stack?.stop();
});

/** Distinct failures, one line each, grouped by route. */
function summary(failures: readonly FuzzFailure[]): string[] {
  return [...new Set(failures.map(failureLine))].sort();
}

describe('fuzzing every operation of the OpenAPI document with hostile input', () => {
  it('sends a baseline and mutations to every path and method of the document', () => {
    const sent = new Set(runner.responses.map((r) => `${r.request.method} ${r.request.route}`));
    const documented = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.length).toBeGreaterThan(10);
    expect(documented.filter((operation) => !sent.has(operation))).toEqual([]);
  });

  it('answers every request below 500, within the timeout', () => {
    const lines = summary(runner.failures.filter((f) => f.kind !== 'store-changed'));
    expect(lines, lines.join('\n')).toEqual([]);
  });

  it('leaves the store unchanged on every 4xx', () => {
    const lines = summary(runner.failures.filter((f) => f.kind === 'store-changed'));
    expect(lines, lines.join('\n')).toEqual([]);
  });

  it('pins a store change on the 4xx request that made it, also when a 2xx shares its group', async () => {
    // The check itself must be able to fail: a runner whose every request also writes a probe item.
    let probes = 0;
    class WritingRunner extends FuzzRunner {
      override async send(request: FuzzRequest) {
        const response = await super.send(request);
        await stack.deps.dynamo.send(
          new PutItemCommand({
            TableName: stack.config.tableName,
            Item: { PK: { S: 'FUZZ#probe' }, SK: { S: String(probes++) } },
          }),
        );
        return response;
      }
    }
    const probe = new WritingRunner({ baseUrl: stack.url, apiKey: stack.adminKey, timeoutMs: TIMEOUT_MS, store });
    const get = (url: string): FuzzRequest => ({
      method: 'GET',
      route: url,
      cls: 'baseline',
      target: '-',
      sample: '-',
      url,
    });
    await probe.runGroup([get('/v1/meters/nope'), get('/v1/meters'), get('/v1/customers/nope')]);
    const changed = probe.failures
      .filter((f) => f.kind === 'store-changed')
      .map((f) => `${f.request.url} ${f.changed}`)
      .sort();
    expect(changed).toEqual([
      expect.stringMatching(/^\/v1\/customers\/nope \+FUZZ#probe\|\d+$/),
      expect.stringMatching(/^\/v1\/meters\/nope \+FUZZ#probe\|\d+$/),
    ]);
  });
});
