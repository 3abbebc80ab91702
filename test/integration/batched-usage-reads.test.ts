import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoClient } from '../../functions/adapters/dynamodb/client.js';
import { UsageStore } from '../../functions/adapters/dynamodb/usage.js';
import { startTestStack, type TestClock, type TestStack, testClock } from '../support/stack.js';

/**
 * The estimates refresh reads the sparse months of many customers in PartiQL statements of 50
 * partitions (SparseReads, docs/storage.md "Batched sparse reads"): what is read, and so what is
 * estimated, must be what one Query per customer reads.
 */
let stack: TestStack;
let clock: TestClock;
let seq = 0;

const QUIET = Array.from({ length: 60 }, (_, i) => `c${String(i).padStart(2, '0')}`);
const CUSTOMERS = [...QUIET, 'busy'];
const API = { key: 'api', eventType: 'api.call' };
const FROM = '2026-11-01T00:00Z';
const TO = '2026-11-20T12:00Z';

const event = (customer: string, type: string, time: string, data: object = {}) => ({
  specversion: '1.0',
  id: `e${seq++}`,
  source: 'batched',
  type,
  subject: customer,
  time,
  data,
});

async function ingest(events: unknown[]) {
  for (let i = 0; i < events.length; i += 500) {
    const response = await stack.call('POST', '/v1/events', events.slice(i, i + 500), {
      contentType: 'application/cloudevents-batch+json',
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.rejected, JSON.stringify(response.body.results)).toBe(0);
  }
}

/** A UsageStore on the stack's tables through a client of its own, which counts the requests it sends. */
function countingStore() {
  const sent = { statements: 0, pages: 0, queries: 0 };
  const client = createDynamoClient({ dynamodbEndpoint: stack.config.dynamodbEndpoint, region: 'us-east-1' });
  client.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as { Statement?: string; NextToken?: string };
      if (input.Statement !== undefined && input.NextToken === undefined) sent.statements++;
      if (input.Statement !== undefined) sent.pages++;
      if (args.input && 'KeyConditionExpression' in (args.input as object)) sent.queries++;
      return next(args);
    },
    { step: 'initialize', name: 'countRequests' },
  );
  const store = new UsageStore(client, { table: stack.config.tableName, events: stack.config.eventsTableName }, clock);
  return { store, sent, client };
}

const sorted = <T>(rows: T[]) => rows.map((row) => JSON.stringify(row)).sort();

beforeAll(async () => {
  clock = testClock('2026-11-20T12:00:00Z');
  stack = await startTestStack({ clock });
  const post = async (path: string, body: unknown) => {
    const response = await stack.call('POST', path, body);
    expect(response.status, JSON.stringify(response.body)).toBeLessThan(300);
  };
  await post('/v1/meters', { key: 'api', name: 'API calls', event_type: 'api.call', aggregation: 'count' });
  await post('/v1/meters', {
    key: 'users',
    name: 'Active users',
    event_type: 'login',
    aggregation: 'unique_count',
    value_property: 'user',
  });
  await post('/v1/plans', {
    key: 'pro',
    name: 'Pro',
    currency: 'EUR',
    interval: 'month',
    charges: [
      { meter: 'api', price: { model: 'per_unit', unit_price: '0.10' } },
      { meter: 'users', price: { model: 'per_unit', unit_price: '2.00' } },
    ],
  });
  for (const id of CUSTOMERS) {
    await post('/v1/customers', {
      id,
      name: id,
      email: `${id}@example.com`,
      currency: 'EUR',
      timezone: 'UTC',
      locale: 'en',
    });
    await post('/v1/subscriptions', { customer: id, plan: 'pro', start_date: '2026-11-01' });
  }
  const events: unknown[] = [];
  QUIET.forEach((customer, i) => {
    // A few calls and logins in a few buckets; every fifth customer has no logins at all.
    for (let k = 0; k <= i % 4; k++)
      events.push(event(customer, 'api.call', `2026-11-${String(2 + k * 5).padStart(2, '0')}T0${k}:20:00Z`));
    if (i % 5 !== 0)
      for (let k = 0; k <= i % 3; k++)
        events.push(event(customer, 'login', `2026-11-1${k}T10:00:00Z`, { user: `u${(i + k) % 4}` }));
  });
  // The busy customer: calls in 130 buckets (more than one page of a sparse read), logins in as many.
  for (let b = 0; b < 130; b++) {
    const time = new Date(Date.parse('2026-11-03T00:05:00Z') + b * 15 * 60_000).toISOString();
    events.push(event('busy', 'api.call', time), event('busy', 'login', time, { user: `v${b % 7}` }));
  }
  await ingest(events);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe('sparse reads batched into PartiQL statements', () => {
  it('reads the counters and markers one Query per customer reads, 50 customers to a statement', async () => {
    const plain = countingStore();
    const batched = countingStore();
    // Pages of 7 items: the statements' pages are followed to the end.
    const view = batched.store.batchingSparseReads(() => false, 7);
    try {
      const [alone, together] = await Promise.all([
        Promise.all(CUSTOMERS.map((c) => plain.store.counters(c, API, FROM, TO, { timeZone: 'UTC' }))),
        Promise.all(CUSTOMERS.map((c) => view.counters(c, API, FROM, TO, { timeZone: 'UTC' }))),
      ]);
      CUSTOMERS.forEach((customer, i) => {
        expect(sorted(together[i]!), customer).toEqual(sorted(alone[i]!));
      });
      expect(together[CUSTOMERS.indexOf('busy')]!.reduce((sum, row) => sum + row.count, 0)).toBe(130);
      expect(together[0]!.reduce((sum, row) => sum + row.count, 0)).toBe(1);
      // 61 partitions: statements of 50 and 11; the busy one, found too large there, read from rollups after.
      expect(batched.sent.statements).toBe(2);
      expect(batched.sent.pages).toBeGreaterThan(2);
      expect(plain.sent.statements).toBe(0);
      expect(plain.sent.queries).toBeGreaterThanOrEqual(CUSTOMERS.length);
      const statementsBefore = batched.sent.statements;
      const queriesBefore = batched.sent.queries;

      const markersAlone = await Promise.all(
        CUSTOMERS.map((c) => plain.store.markers(c, 'users', FROM, TO, { timeZone: 'UTC' })),
      );
      const markersTogether = await Promise.all(
        CUSTOMERS.map((c) => view.markers(c, 'users', FROM, TO, { timeZone: 'UTC' })),
      );
      CUSTOMERS.forEach((customer, i) => {
        expect(sorted(markersTogether[i]!), customer).toEqual(sorted(markersAlone[i]!));
      });
      expect(new Set(markersTogether[CUSTOMERS.indexOf('busy')]!.map((marker) => marker.value)).size).toBe(7);
      expect(batched.sent.statements - statementsBefore).toBe(2);
      // Only the busy partition was read apart (its rollups and edges), not one Query per customer.
      expect(batched.sent.queries - queriesBefore).toBeLessThan(10);
    } finally {
      plain.client.destroy();
      batched.client.destroy();
    }
  });

  it('reads a customer presumed busy alone, and one read gathered alone as a plain Query', async () => {
    const { store, sent, client } = countingStore();
    try {
      const view = store.batchingSparseReads((customer) => customer !== 'c01');
      const rows = await Promise.all(
        QUIET.slice(0, 3).map((c) => view.counters(c, API, FROM, TO, { timeZone: 'UTC' })),
      );
      expect(rows.map((r) => r.reduce((sum, row) => sum + row.count, 0))).toEqual([1, 2, 3]);
      expect(sent.statements).toBe(0);
      expect(sent.queries).toBe(3);
    } finally {
      client.destroy();
    }
  });

  it('estimates from the refresh equal each upcoming invoice, before and after the busy customer has rollups', async () => {
    for (const asOf of ['2026-11-20T12:05:00.000Z', '2026-11-20T12:35:00.000Z']) {
      clock.set(asOf);
      const refreshed = await stack.call('POST', '/v1/reports/upcoming/refresh?top=100');
      expect(refreshed.status, JSON.stringify(refreshed.body)).toBe(200);
      const report = refreshed.body;
      expect(report.as_of).toBe(asOf);
      expect(report.subscriptions).toBe(CUSTOMERS.length);
      expect(report.failed).toEqual([]);
      for (const estimate of report.top) {
        const upcoming = (await stack.call('GET', `/v1/customers/${estimate.customer}/upcoming-invoice`)).body;
        expect(estimate.total, estimate.customer).toBe(upcoming.total);
        const quantities = Object.fromEntries(
          estimate.usage.map((u: { meter: string; quantity: string }) => [u.meter, u.quantity]),
        );
        for (const line of upcoming.lines.filter((l: { kind: string }) => l.kind === 'usage'))
          expect(quantities[line.meter], `${estimate.customer} ${line.meter}`).toBe(line.quantity);
      }
      const busy = report.top.find((estimate: { customer: string }) => estimate.customer === 'busy');
      expect(busy.usage).toEqual([
        { meter: 'api', quantity: '130' },
        { meter: 'users', quantity: '7' },
      ]);
    }
    // The refresh rated the busy customer from day rollups: it is now presumed busy.
    const customer = await stack.deps.customers.get('busy');
    expect(customer.rolledThrough).toBeDefined();
  });
});
