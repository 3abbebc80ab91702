import { GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerKey } from '../../functions/adapters/dynamodb/customers.js';
import { type Envelope, recordUsage } from '../../functions/app/record-usage.js';
import { parseCloudEvent } from '../../functions/schemas/events.js';
import { directIngest, startTestStack, type TestClock, type TestStack, testClock } from '../support/stack.js';

/**
 * A customer item records the UTC months in which the customer has stored events (`usage_months`,
 * added in the ingest transaction); the estimates refresh reads no counters for a customer with no
 * month in the period. Customers from before (no attribute) are always read.
 */
let stack: TestStack;
let clock: TestClock;
let seq = 0;

const call = (subject: string, time: string) => ({
  specversion: '1.0',
  id: `um-${seq++}`,
  source: 'usage-months-test',
  type: 'api.call',
  subject,
  time,
  data: {},
});

async function post(path: string, body: unknown) {
  const response = await stack.call('POST', path, body);
  expect(response.status, JSON.stringify(response.body)).toBeLessThan(300);
  return response.body;
}

async function ingest(events: unknown[]) {
  const response = await stack.call('POST', '/v1/events', events, {
    contentType: 'application/cloudevents-batch+json',
  });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  expect(response.body.accepted).toBe(events.length);
}

async function months(id: string): Promise<string[] | undefined> {
  const { Item } = await stack.deps.dynamo.send(
    new GetItemCommand({ TableName: stack.config.tableName, Key: customerKey(id), ConsistentRead: true }),
  );
  return Item?.usage_months?.SS?.sort();
}

async function edit(id: string, expression: string, values?: Record<string, { SS: string[] }>) {
  await stack.deps.dynamo.send(
    new UpdateItemCommand({
      TableName: stack.config.tableName,
      Key: customerKey(id),
      UpdateExpression: expression,
      ...(values ? { ExpressionAttributeValues: values } : {}),
    }),
  );
}

beforeAll(async () => {
  clock = testClock('2026-11-20T12:00:00Z');
  stack = await startTestStack({ clock });
  await post('/v1/meters', { key: 'api', name: 'API calls', event_type: 'api.call', aggregation: 'count' });
  await post('/v1/plans', {
    key: 'calls',
    name: 'Calls',
    currency: 'EUR',
    interval: 'month',
    charges: [{ meter: 'api', price: { model: 'per_unit', unit_price: '0.10' } }],
  });
  for (const id of ['busy', 'quiet', 'legacy', 'idle']) {
    await post('/v1/customers', { id, name: id, email: `${id}@example.com`, currency: 'EUR', timezone: 'UTC' });
    await post('/v1/subscriptions', { id: `sub-${id}`, customer: id, plan: 'calls', start_date: '2026-11-01' });
  }
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

describe('usage months on the customer item', () => {
  it('records the UTC month of each stored event in the ingest transaction, once per month', async () => {
    expect(await months('busy')).toEqual(['-']);
    await ingest([call('busy', '2026-11-05T10:00:00Z'), call('busy', '2026-10-31T23:59:59Z')]);
    expect(await months('busy')).toEqual(['-', '2026-10', '2026-11']);
    await ingest([call('busy', '2026-11-06T10:00:00Z'), call('busy', '2026-11-07T10:00:00Z')]);
    expect(await months('busy')).toEqual(['-', '2026-10', '2026-11']);
    await ingest([call('quiet', '2026-10-20T10:00:00Z')]);
    expect(await months('quiet')).toEqual(['-', '2026-10']);
  });

  it('lets the refresh skip the counters of customers with no month in the period, and only those', async () => {
    // `legacy` stands for a customer created before the months were recorded: no attribute, always read.
    await ingest([call('legacy', '2026-11-08T10:00:00Z'), call('legacy', '2026-11-09T10:00:00Z')]);
    await edit('legacy', 'REMOVE usage_months');
    // `quiet` gets November usage, then its item is made to forget the month: the refresh trusts the
    // item and does not read the counters (the upcoming invoice, read directly, still shows them).
    await ingest([call('quiet', '2026-11-10T10:00:00Z'), call('quiet', '2026-11-11T10:00:00Z')]);
    await edit('quiet', 'DELETE usage_months :m', { ':m': { SS: ['2026-11'] } });

    const snapshot = await post('/v1/reports/upcoming/refresh', undefined);
    expect(snapshot.subscriptions).toBe(4);
    expect(snapshot.failed).toEqual([]);
    const totals = Object.fromEntries(
      (snapshot.top as Array<{ customer: string; total: string }>).map((e) => [e.customer, e.total]),
    );
    expect(totals).toEqual({ busy: '0.30', legacy: '0.20', quiet: '0.00', idle: '0.00' });
    const direct = await stack.call('GET', '/v1/customers/quiet/upcoming-invoice');
    expect(direct.status, JSON.stringify(direct.body)).toBe(200);
    expect(direct.body.total).toBe('0.20');

    // Restored, the month is read again.
    await edit('quiet', 'ADD usage_months :m', { ':m': { SS: ['2026-11'] } });
    const again = await post('/v1/reports/upcoming/refresh', undefined);
    const quiet = (again.top as Array<{ customer: string; total: string }>).find((e) => e.customer === 'quiet');
    expect(quiet?.total).toBe('0.20');
  });

  it('reads pending one-off charges only for customers that ever had one, or whose item does not say', async () => {
    const flag = async (id: string) =>
      (
        await stack.deps.dynamo.send(
          new GetItemCommand({ TableName: stack.config.tableName, Key: customerKey(id), ConsistentRead: true }),
        )
      ).Item?.one_off_charges?.BOOL;
    expect(await flag('idle')).toBe(false);
    const charged = await stack.call('POST', '/v1/customers/idle/charges', {
      description: 'Setup',
      quantity: '1',
      unit_amount: '5.00',
    });
    expect(charged.status, JSON.stringify(charged.body)).toBe(201);
    expect(await flag('idle')).toBe(true);
    const withCharge = await stack.call('GET', '/v1/customers/idle/upcoming-invoice');
    expect(withCharge.body.total).toBe('5.00');
    // A customer of a release before the flag: its charges are read all the same.
    await edit('idle', 'REMOVE one_off_charges');
    const snapshot = await post('/v1/reports/upcoming/refresh', undefined);
    const idle = (snapshot.top as Array<{ customer: string; total: string }>).find((e) => e.customer === 'idle');
    expect(idle?.total).toBe('5.00');
    // A charge for an unknown customer changes nothing.
    const unknown = await stack.call('POST', '/v1/customers/nobody/charges', {
      description: 'Setup',
      quantity: '1',
      unit_amount: '5.00',
    });
    expect(unknown.status).toBe(404);
  });

  it('keeps the months through a profile change', async () => {
    const changed = await stack.call('PATCH', '/v1/customers/busy', { name: 'Busy Ltd' });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body).not.toHaveProperty('usage_months');
    expect(await months('busy')).toEqual(['-', '2026-10', '2026-11']);
  });

  it('converts a customer from before the months were recorded on a refresh; then skips its quiet months', async () => {
    await post('/v1/customers', { id: 'old', name: 'old', email: 'old@example.com', currency: 'EUR', timezone: 'UTC' });
    await post('/v1/subscriptions', { id: 'sub-old', customer: 'old', plan: 'calls', start_date: '2026-11-01' });
    await ingest([call('old', '2026-10-20T10:00:00Z'), call('old', '2026-11-12T10:00:00Z')]);
    // As a release before 2026-12-03 left it: no months, no one-off flag.
    await edit('old', 'REMOVE usage_months, one_off_charges');
    expect((await stack.deps.customers.get('old')).usageMonths).toBeUndefined();

    const first = await post('/v1/reports/upcoming/refresh', undefined);
    expect(first.failed).toEqual([]);
    expect(await months('old')).toEqual(['-', '2026-10', '2026-11']);
    const converted = await stack.deps.customers.get('old');
    expect(converted).toMatchObject({ usageMonths: ['2026-10', '2026-11'], oneOffCharges: false });
    // From now on the item is trusted: forget November and the refresh no longer reads its counters.
    await edit('old', 'DELETE usage_months :m', { ':m': { SS: ['2026-11'] } });
    const second = await post('/v1/reports/upcoming/refresh', undefined);
    const old = (second.top as Array<{ customer: string; total: string }>).find((e) => e.customer === 'old');
    expect(old?.total).toBe('0.00');
    await edit('old', 'ADD usage_months :m', { ':m': { SS: ['2026-11'] } });
  });

  it('an ingest that read the customer before its conversion started is cancelled, reads it again and records its month', async () => {
    await post('/v1/customers', {
      id: 'racer',
      name: 'racer',
      email: 'r@example.com',
      currency: 'EUR',
      timezone: 'UTC',
    });
    await edit('racer', 'REMOVE usage_months');
    const parsed = parseCloudEvent(call('racer', '2026-11-15T10:00:00Z'), 0, clock.now);
    if (!parsed.ok) throw new Error(parsed.message);
    let reads = 0;
    // The first read sees no months; the conversion's first step lands before the commit.
    const result = await recordUsage(
      directIngest(stack, clock, async (ids) => {
        const states = await stack.deps.customers.states(ids);
        if (reads++ === 0) expect(await stack.deps.customers.startUsageMonths('racer')).toBe(true);
        return states;
      }),
      [parsed as Envelope],
    );
    expect(result.accepted).toBe(1);
    expect(reads).toBe(2);
    // The retried commit recorded the month (the set still says `~`: not trusted yet).
    expect(await months('racer')).toEqual(['-', '2026-11', '~']);
    expect((await stack.deps.customers.get('racer')).usageMonths).toBeUndefined();
    // The conversion completes from the counters: the month is there either way, and `~` goes.
    const found = await stack.deps.usage.monthsWithCounters('racer', ['api.call'], clock.now);
    expect(found).toEqual(['2026-11']);
    expect(await stack.deps.customers.completeUsageMonths('racer', found)).toBe(true);
    expect(await months('racer')).toEqual(['-', '2026-11']);
    expect((await stack.deps.customers.get('racer')).usageMonths).toEqual(['2026-11']);
    // Done once: a second completion finds no mark and changes nothing.
    expect(await stack.deps.customers.completeUsageMonths('racer', ['2026-01'])).toBe(false);
    expect(await months('racer')).toEqual(['-', '2026-11']);
  });
});
