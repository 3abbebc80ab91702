import { gunzipSync } from 'node:zlib';
import { DeleteItemCommand, GetItemCommand, ScanCommand, type ScanCommandOutput } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventItemKey } from '../../functions/adapters/dynamodb/usage.js';
import { createS3Client } from '../../functions/adapters/s3/client.js';
import { type ArchivedEvent, EventArchive, parseArchiveLine } from '../../functions/adapters/s3/event-archive.js';
import { closeSubscriptionPeriod } from '../../functions/app/close-period.js';
import { ArchiveBehindError } from '../../functions/app/errors.js';
import { Decimal } from '../../functions/domain/decimal.js';
import { startTestStack, type TestClock, type TestStack, testClock } from '../support/stack.js';

/**
 * The event archive end to end: events posted over HTTP reach S3 through the table's stream (DynamoDB
 * Local's stream, the archiver function, s3rver), reconcile and percentage rating read them back after
 * they left the table, and a close never rates percentage before the archive holds every counted event.
 */
let stack: TestStack;
let clock: TestClock;
let s3: S3Client;
let seq = 0;

const event = (subject: string, type: string, time: string, data: Record<string, unknown> = {}) => ({
  specversion: '1.0',
  id: `archive-${seq++}`,
  source: 'archive-test',
  type,
  subject,
  time,
  data,
});

async function post(batch: unknown[]) {
  const response = await stack.call('POST', '/v1/events', batch, { contentType: 'application/cloudevents-batch+json' });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
}

async function objects(prefix: string): Promise<Array<{ key: string; lines: string[] }>> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: stack.archive!.s3.bucket, Prefix: prefix }));
  const found = [];
  for (const object of listed.Contents ?? []) {
    const got = await s3.send(new GetObjectCommand({ Bucket: stack.archive!.s3.bucket, Key: object.Key! }));
    const text = gunzipSync(await got.Body!.transformToByteArray()).toString('utf8');
    found.push({ key: object.Key!, lines: text.split('\n').filter(Boolean) });
  }
  return found;
}

/** What TTL does after the acceptance window: the raw events leave the table. */
async function dropRawEvents(): Promise<number> {
  let dropped = 0;
  let start: ScanCommandOutput['LastEvaluatedKey'];
  do {
    const page = await stack.deps.dynamo.send(
      new ScanCommand({
        TableName: stack.config.eventsTableName,
        FilterExpression: 'begins_with(PK, :e)',
        ExpressionAttributeValues: { ':e': { S: 'EVENT#' } },
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of page.Items ?? []) {
      await stack.deps.dynamo.send(
        new DeleteItemCommand({ TableName: stack.config.eventsTableName, Key: { PK: item.PK!, SK: item.SK! } }),
      );
      dropped += 1;
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return dropped;
}

beforeAll(async () => {
  clock = testClock('2026-10-20T12:00:00Z');
  stack = await startTestStack({ clock, archive: true });
  s3 = createS3Client({ region: 'us-east-1', s3Endpoint: stack.archive!.s3.endpoint });
  const created = async (path: string, body: unknown) => {
    const response = await stack.call('POST', path, body);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
  };
  await created('/v1/meters', {
    key: 'payments',
    name: 'Card payments',
    event_type: 'payment',
    aggregation: 'sum',
    value_property: 'amount',
  });
  await created('/v1/meters', { key: 'calls', name: 'API calls', event_type: 'api.call', aggregation: 'count' });
  await created('/v1/plans', {
    key: 'fees',
    name: 'Payment fees',
    currency: 'EUR',
    interval: 'month',
    charges: [
      { meter: 'payments', price: { model: 'percentage', rate_percent: '1.5', fixed_fee_per_event: '0.25' } },
      { meter: 'calls', price: { model: 'per_unit', unit_price: '0.01' } },
    ],
  });
  for (const id of ['anna', 'bert', 'carl'])
    await created('/v1/customers', { id, name: id, email: `${id}@example.com`, currency: 'EUR', timezone: 'UTC' });
}, 120_000);

afterAll(async () => {
  s3?.destroy();
  await stack?.stop();
});

describe('the event archive', () => {
  it('holds every accepted event once, as gzip JSON lines per customer and UTC day, numbers exact', async () => {
    const amount = '12345678901234567.123456789012';
    const batch = [
      event('anna', 'payment', '2026-10-19T23:59:59.999Z', { amount }),
      event('anna', 'payment', '2026-10-20T00:00:00Z', { amount: '5' }),
      event('bert', 'api.call', '2026-10-20T08:00:00Z'),
    ];
    expect((await post(batch)).accepted).toBe(3);
    // Re-sent: duplicates, not archived again.
    expect((await post(batch)).duplicates).toBe(3);
    await stack.archive!.idle();

    const day19 = await objects('events/customer=anna/date=2026-10-19/');
    const day20 = await objects('events/customer=anna/date=2026-10-20/');
    const bert = await objects('events/customer=bert/date=2026-10-20/');
    expect(day19).toHaveLength(1);
    expect(day19[0]!.key).toMatch(/^events\/customer=anna\/date=2026-10-19\/[0-9a-f]{32}\.jsonl\.gz$/);
    const lines = [...day19, ...day20, ...bert].flatMap((o) => o.lines).map(parseArchiveLine);
    expect(lines.map((l) => l.id).sort()).toEqual(batch.map((e) => e.id).sort());
    const first = lines.find((l) => l.id === batch[0]!.id)!;
    expect(first).toMatchObject({ customer: 'anna', type: 'payment', source: 'archive-test' });
    expect(first.time).toBe('2026-10-19T23:59:59.999Z');
    expect(first.raw).toContain(`"amount":"${amount}"`);
    // The events table keeps the event for deduplication only: no index copy, gone after the acceptance
    // window; the billing table holds none.
    const item = await stack.deps.dynamo.send(
      new GetItemCommand({ TableName: stack.config.eventsTableName, Key: eventItemKey('archive-test', batch[2]!.id) }),
    );
    expect(item.Item?.GSI1PK).toBeUndefined();
    const inBilling = await stack.deps.dynamo.send(
      new GetItemCommand({ TableName: stack.config.tableName, Key: eventItemKey('archive-test', batch[2]!.id) }),
    );
    expect(inBilling.Item).toBeUndefined();
    const windowDays = stack.config.acceptanceWindowDays;
    expect(Number(item.Item?.expires_at?.N)).toBe(
      Date.parse('2026-10-20T08:00:00Z') / 1000 + (windowDays + 1) * 86_400,
    );
  });

  it('reads each event once when a batch was archived twice, split differently', async () => {
    const archive = new EventArchive(s3, stack.archive!.s3.bucket);
    const archived: ArchivedEvent[] = [0, 1, 2].map((i) => ({
      source: 'replay',
      id: `r${i}`,
      customer: 'carl',
      type: 'api.call',
      time: `2026-10-05T10:0${i}:00.000Z`,
      receivedAt: '2026-10-05T10:05:00.000Z',
      raw: JSON.stringify({ specversion: '1.0', id: `r${i}`, source: 'replay', type: 'api.call', subject: 'carl' }),
    }));
    const once = await archive.write(archived);
    // Handed over again as it was: the same object (named by its content).
    expect(await archive.write(archived)).toEqual(once);
    // ...and split in halves (bisected after an error): two more objects overlapping the first.
    await archive.write(archived.slice(0, 2));
    await archive.write(archived.slice(1));
    expect(await objects('events/customer=carl/date=2026-10-05/')).toHaveLength(3);
    const read = [];
    for await (const stored of archive.events(
      'carl',
      new Date('2026-10-05T10:00:00Z'),
      new Date('2026-10-05T10:02:00Z'),
    ))
      read.push(stored.time);
    expect(read).toEqual(['2026-10-05T10:00:00.000Z', '2026-10-05T10:01:00.000Z']);
  });

  it('reconciles from the archive after the raw events left the table', async () => {
    const times = ['2026-10-20T09:00:00Z', '2026-10-20T09:20:00Z', '2026-10-20T11:59:00Z'];
    await post(times.map((time, i) => event('bert', 'payment', time, { amount: `${i + 1}.10` })));
    await stack.archive!.idle();
    expect(await dropRawEvents()).toBeGreaterThan(0);
    const range = 'from=2026-10-20T00:00:00Z&to=2026-10-20T12:00:00Z';
    const report = await stack.call('GET', `/v1/reconcile?customer=bert&${range}`);
    expect(report.status, JSON.stringify(report.body)).toBe(200);
    expect(report.body.events).toBe(4);
    expect(report.body.mismatches).toEqual([]);
    const payments = report.body.meters.find((m: { meter: string }) => m.meter === 'payments');
    expect(payments).toMatchObject({ from_events: '6.3', from_counters: '6.3' });
  });

  it('closes a percentage charge only once the archive holds every counted event', async () => {
    const subscription = await stack.call('POST', '/v1/subscriptions', {
      customer: 'carl',
      plan: 'fees',
      start_date: '2026-10-01',
    });
    expect(subscription.status, JSON.stringify(subscription.body)).toBe(201);
    const amounts = ['100.00', '250.50', '0.99'];
    stack.archive!.poller.pause();
    const posted = await post(
      amounts.map((amount, i) => event('carl', 'payment', `2026-10-1${i}T10:00:00Z`, { amount })),
    );
    expect(posted.accepted).toBe(3);
    clock.set('2026-11-01T02:00:00Z');
    const asOf = clock();
    await expect(closeSubscriptionPeriod(stack.deps as never, subscription.body.id, asOf)).rejects.toBeInstanceOf(
      ArchiveBehindError,
    );
    // Nothing was issued; the period is sealed, so the retry rates exactly these events.
    expect((await stack.call('GET', '/v1/invoices?customer=carl')).body.data).toEqual([]);
    stack.archive!.poller.resume();
    await stack.archive!.idle();
    const outcome = await closeSubscriptionPeriod(stack.deps as never, subscription.body.id, asOf);
    expect(outcome.status).toBe('invoiced');
    const [invoice] = (await stack.call('GET', '/v1/invoices?customer=carl')).body.data;
    const line = invoice.lines.find((l: { meter?: string }) => l.meter === 'payments');
    const expected = amounts
      .map((a) => new Decimal(a).mul('0.015').plus('0.25'))
      .reduce((sum, fee) => sum.plus(fee), new Decimal(0));
    expect(line, JSON.stringify(invoice.lines)).toBeDefined();
    expect(new Decimal(line.precise_amount).eq(expected), JSON.stringify(line)).toBe(true);
    expect(new Decimal(line.amount).eq(expected.toDecimalPlaces(2))).toBe(true);
  });
});

describe('without an event archive', () => {
  it('answers reconcile and a percentage preview 501 not_configured, naming the setting', async () => {
    const bare = await startTestStack();
    try {
      expect(bare.archive).toBeUndefined();
      const created = await bare.call('POST', '/v1/customers', {
        id: 'anna',
        name: 'anna',
        email: 'a@example.com',
        currency: 'EUR',
      });
      expect(created.status).toBe(201);
      const response = await bare.call(
        'GET',
        '/v1/reconcile?customer=anna&from=2026-10-20T00:00:00Z&to=2026-10-20T12:00:00Z',
      );
      expect(response.status).toBe(501);
      expect(response.body.error.code).toBe('not_configured');
      expect(response.body.error.message).toContain('BILLING_ARCHIVE_BUCKET');
      // A percentage charge reads raw events too: its preview says the same, not 500.
      for (const [path, body] of [
        [
          '/v1/meters',
          { key: 'pay', name: 'Pay', event_type: 'payment', aggregation: 'sum', value_property: 'amount' },
        ],
        [
          '/v1/plans',
          {
            key: 'fees',
            name: 'Fees',
            currency: 'EUR',
            interval: 'month',
            charges: [{ meter: 'pay', price: { model: 'percentage', rate_percent: '1' } }],
          },
        ],
        ['/v1/subscriptions', { customer: 'anna', plan: 'fees', start_date: '2026-10-01' }],
      ] as const)
        expect((await bare.call('POST', path, body)).status, path).toBe(201);
      const preview = await bare.call('GET', '/v1/customers/anna/upcoming-invoice');
      expect(preview.status, JSON.stringify(preview.body)).toBe(501);
      expect(preview.body.error.code).toBe('not_configured');
    } finally {
      await bare.stop();
    }
  });

  it('copies the events a table held before its stream into the archive when the archive starts', async () => {
    const before = await startTestStack({ clock });
    const tableName = before.config.tableName;
    try {
      await before.call('POST', '/v1/meters', { key: 'hits', name: 'Hits', event_type: 'hit', aggregation: 'count' });
      await before.call('POST', '/v1/customers', { id: 'olga', name: 'Olga', email: 'o@example.com', currency: 'EUR' });
      const posted = await before.call(
        'POST',
        '/v1/events',
        [0, 1, 2].map((i) => event('olga', 'hit', `2026-10-20T0${i}:10:00Z`)),
        { contentType: 'application/cloudevents-batch+json' },
      );
      expect(posted.body.accepted).toBe(3);
    } finally {
      await before.stop();
    }
    const after = await startTestStack({ clock, archive: true, env: { BILLING_TABLE_NAME: tableName } });
    try {
      await after.archive!.idle();
      const report = await after.call(
        'GET',
        '/v1/reconcile?customer=olga&from=2026-10-20T00:00:00Z&to=2026-10-20T12:00:00Z',
      );
      expect(report.status, JSON.stringify(report.body)).toBe(200);
      expect(report.body).toMatchObject({ events: 3, mismatch_count: 0 });
    } finally {
      await after.stop();
    }
  });
});
