import { GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerKey } from '../../functions/adapters/dynamodb/customers.js';
import { startTestStack, type TestClock, type TestStack, testClock } from '../support/stack.js';

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
});
