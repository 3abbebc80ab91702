import {
  DeleteItemCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventItemKey } from '../../functions/adapters/dynamodb/usage.js';
import { WARM_UP } from '../../functions/domain/metering/dedupe.js';
import { startTestStack, type TestClock, type TestStack, testClock } from '../support/stack.js';

/**
 * Raw events live in a table of their own (the events table, whose stream feeds the archive); the
 * billing table keeps counters and everything else. Here: duplicates this API instance never saw
 * are caught by the write's own condition; a data folder of a release that kept raw events in the
 * billing table is moved over at start; after an upgrade in AWS (nothing moved), the legacy flag
 * makes ingestion and cancellation look in the billing table too.
 */
let clock: TestClock;
const stacks: TestStack[] = [];
let seq = 0;

const event = (subject: string, amount: number, time = '2026-11-10T10:00:00Z') => ({
  specversion: '1.0',
  id: `et-${seq++}`,
  source: 'events-table-test',
  type: 'payment',
  subject,
  time,
  data: { amount: String(amount) },
});

async function start(options: { table?: string; archive?: boolean; env?: Record<string, string> } = {}) {
  const stack = await startTestStack({
    clock,
    archive: options.archive ?? false,
    env: { ...(options.table ? { BILLING_TABLE_NAME: options.table } : {}), ...options.env },
  });
  stacks.push(stack);
  return stack;
}

async function stop(stack: TestStack) {
  stacks.splice(stacks.indexOf(stack), 1);
  await stack.stop();
}

async function post(stack: TestStack, batch: unknown[]) {
  const response = await stack.call('POST', '/v1/events', batch, { contentType: 'application/cloudevents-batch+json' });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body as {
    accepted: number;
    duplicates: number;
    rejected: number;
    results: Array<{ id: string; status: string }>;
  };
}

async function setUp(stack: TestStack, customer: string) {
  if ((await stack.call('GET', '/v1/meters/paid')).status === 404) {
    const meter = await stack.call('POST', '/v1/meters', {
      key: 'paid',
      name: 'Paid',
      event_type: 'payment',
      aggregation: 'sum',
      value_property: 'amount',
    });
    expect(meter.status, JSON.stringify(meter.body)).toBe(201);
  }
  const created = await stack.call('POST', '/v1/customers', {
    id: customer,
    name: customer,
    email: `${customer}@example.com`,
    currency: 'EUR',
    timezone: 'UTC',
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
}

async function total(stack: TestStack, customer: string): Promise<{ value: string; events: number }> {
  const response = await stack.call(
    'GET',
    `/v1/customers/${customer}/usage?meter=paid&from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z`,
  );
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  const row = response.body.series[0];
  return { value: row?.value ?? '0', events: row?.events ?? 0 };
}

const itemIn = async (stack: TestStack, table: string, e: { source: string; id: string }) =>
  (
    await stack.deps.dynamo.send(
      new GetItemCommand({ TableName: table, Key: eventItemKey(e.source, e.id), ConsistentRead: true }),
    )
  ).Item;

/** Moves a raw event item from the events table into the billing table: where a release before kept it. */
async function intoBillingTable(stack: TestStack, e: { source: string; id: string }) {
  const item = await itemIn(stack, stack.config.eventsTableName, e);
  expect(item).toBeDefined();
  await stack.deps.dynamo.send(new PutItemCommand({ TableName: stack.config.tableName, Item: item! }));
  await stack.deps.dynamo.send(
    new DeleteItemCommand({ TableName: stack.config.eventsTableName, Key: eventItemKey(e.source, e.id) }),
  );
}

beforeAll(() => {
  clock = testClock('2026-11-10T12:00:00Z');
});

afterAll(async () => {
  for (const stack of [...stacks].reverse()) await stack.stop();
});

describe('the events table', () => {
  it('keeps raw events apart from the billing table, whose items stay without a stream', async () => {
    const stack = await start();
    await setUp(stack, 'ada');
    const batch = [event('ada', 5), event('ada', 7)];
    expect((await post(stack, batch)).accepted).toBe(2);
    for (const e of batch) {
      expect(await itemIn(stack, stack.config.eventsTableName, e)).toMatchObject({ customer: { S: 'ada' } });
      expect(await itemIn(stack, stack.config.tableName, e)).toBeUndefined();
    }
    const billing = await stack.deps.dynamo.send(new DescribeTableCommand({ TableName: stack.config.tableName }));
    expect(billing.Table?.StreamSpecification?.StreamEnabled ?? false).toBe(false);
    const events = await stack.deps.dynamo.send(new DescribeTableCommand({ TableName: stack.config.eventsTableName }));
    expect(events.Table?.GlobalSecondaryIndexes ?? []).toEqual([]);
    await stop(stack);
  });

  it('creates its tables without TTL on a clock of its own (DynamoDB Local expires items by the wall clock), with TTL on the wall clock', async () => {
    // The test clock is weeks behind the wall clock: with TTL, DynamoDB Local would delete these
    // events within seconds, though by the stack's clock the acceptance window still covers them.
    const stack = await start();
    const ttl = async (table: string) =>
      (await stack.deps.dynamo.send(new DescribeTimeToLiveCommand({ TableName: table }))).TimeToLiveDescription
        ?.TimeToLiveStatus;
    expect(await ttl(stack.config.eventsTableName)).toBe('DISABLED');
    expect(await ttl(stack.config.tableName)).toBe('DISABLED');
    await stop(stack);
    // On the wall clock (npm start), both tables expire items at `expires_at`.
    const live = await startTestStack({ clock: undefined });
    try {
      const status = async (table: string) =>
        (await live.deps.dynamo.send(new DescribeTimeToLiveCommand({ TableName: table }))).TimeToLiveDescription;
      for (const table of [live.config.tableName, live.config.eventsTableName])
        expect(await status(table)).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expires_at' });
    } finally {
      await live.stop();
    }
  });

  it('answers copies stored by another instance as duplicates (read first, then by the condition of the write), the rest once', async () => {
    const first = await start();
    const table = first.config.tableName;
    await setUp(first, 'bob');
    await setUp(first, 'warm');
    const stored = Array.from({ length: 30 }, (_, i) => event('bob', i + 1));
    expect((await post(first, stored)).accepted).toBe(30);
    await stop(first);

    // A new instance knows none of them. It looks its first events up before writing (WARM_UP: 1,000
    // fresh ones here, no copy among them); past that, with copies rare, it does not: each chunk's
    // transaction is cancelled by the copies in it, and the new events are written again without them.
    const second = await start({ table });
    for (let i = 0; i < WARM_UP; i += 500)
      expect(
        (
          await post(
            second,
            Array.from({ length: 500 }, () => event('warm', 1)),
          )
        ).accepted,
      ).toBe(500);
    const fresh = Array.from({ length: 20 }, (_, i) => event('bob', 100 + i));
    const mixed = [...stored.slice(0, 15), ...fresh.slice(0, 10), ...stored.slice(15), ...fresh.slice(10)];
    const answer = await post(second, mixed);
    expect(answer).toMatchObject({ accepted: 20, duplicates: 30, rejected: 0 });
    const byId = new Map(answer.results.map((r) => [r.id, r.status]));
    for (const e of stored) expect(byId.get(e.id), e.id).toBe('duplicate');
    for (const e of fresh) expect(byId.get(e.id), e.id).toBe('accepted');
    // 1..30 and 100..119, each once.
    const expected = (30 * 31) / 2 + (20 * (100 + 119)) / 2;
    expect(await total(second, 'bob')).toEqual({ value: String(expected), events: 50 });
    // Now this instance knows them all: answered without a write.
    expect(await post(second, mixed)).toMatchObject({ accepted: 0, duplicates: 50 });
    expect(await total(second, 'bob')).toEqual({ value: String(expected), events: 50 });
    await stop(second);
  });

  it('moves the raw events a billing table of an earlier release kept into the events table at start', async () => {
    const before = await start();
    const table = before.config.tableName;
    await setUp(before, 'cleo');
    const batch = [event('cleo', 3), event('cleo', 4), event('cleo', 5, '2026-11-09T23:00:00Z')];
    expect((await post(before, batch)).accepted).toBe(3);
    await stop(before);
    // The layout of that release: the raw events in the billing table, which had the stream; no events table.
    const dynamo = before.deps.dynamo;
    const eventsTable = before.config.eventsTableName;
    const { Items = [] } = await dynamo.send(new ScanCommand({ TableName: eventsTable, ConsistentRead: true }));
    expect(Items).toHaveLength(3);
    for (const item of Items) await dynamo.send(new PutItemCommand({ TableName: table, Item: item }));
    await dynamo.send(new DeleteTableCommand({ TableName: eventsTable }));
    await dynamo.send(
      new UpdateTableCommand({
        TableName: table,
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      }),
    );

    const after = await start({ table, archive: true });
    for (const e of batch) expect(await itemIn(after, eventsTable, e)).toBeDefined();
    const billing = await after.deps.dynamo.send(new DescribeTableCommand({ TableName: table }));
    expect(billing.Table?.StreamSpecification?.StreamEnabled ?? false).toBe(false);
    // Still a duplicate after the move; and the archive holds what was moved.
    expect(await post(after, [batch[1]])).toMatchObject({ accepted: 0, duplicates: 1 });
    expect(await total(after, 'cleo')).toEqual({ value: '12', events: 3 });
    await after.archive!.idle();
    const report = await after.call(
      'GET',
      '/v1/reconcile?customer=cleo&from=2026-11-09T00:00:00Z&to=2026-11-11T00:00:00Z',
    );
    expect(report.status, JSON.stringify(report.body)).toBe(200);
    expect(report.body).toMatchObject({ events: 3, mismatch_count: 0 });
    await stop(after);
  });

  it('after an upgrade in AWS, looks for duplicates and cancels in the billing table with BILLING_LEGACY_EVENT_DEDUPE', async () => {
    const legacy = await start({ env: { BILLING_LEGACY_EVENT_DEDUPE: '1' } });
    const table = legacy.config.tableName;
    await setUp(legacy, 'dora');
    const old = event('dora', 40);
    const kept = event('dora', 2);
    expect((await post(legacy, [old, kept])).accepted).toBe(2);
    await stop(legacy);

    // Stored by the release before: in the billing table only. A new instance that does not look
    // there would count the re-sent copy again.
    const setup = await start({ table });
    await intoBillingTable(setup, old);
    await stop(setup);

    const upgraded = await start({ table, env: { BILLING_LEGACY_EVENT_DEDUPE: '1' } });
    expect(await post(upgraded, [old])).toMatchObject({ accepted: 0, duplicates: 1 });
    expect(await total(upgraded, 'dora')).toEqual({ value: '42', events: 2 });
    const cancelled = await upgraded.call('POST', '/v1/events/cancel', { source: old.source, id: old.id });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled' });
    expect((await itemIn(upgraded, table, old))?.cancelled_at?.S).toBe(clock.now.toISOString());
    expect(await total(upgraded, 'dora')).toEqual({ value: '2', events: 1 });
    await stop(upgraded);

    const unflagged = await start({ table });
    expect(await post(unflagged, [event('dora', 1), old])).toMatchObject({ accepted: 2 });
    await stop(unflagged);
  });
});
