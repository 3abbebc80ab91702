import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { storeSnapshot } from '../support/snapshot.js';
import { SELLER_ENV, startTestStack, type TestClock, type TestStack, testClock } from '../support/stack.js';

/**
 * Usage alerts on a real stack (DynamoDB Local, local SQS and SES, the delivery poller and sweep)
 * against a local webhook receiver: an alert fires once per period (one webhook event, one email),
 * again in the next period; spend and credit balance alerts; racing checks fire once; the estimates
 * refresh checks alerts too; hostile input is refused with a 4xx and changes nothing.
 */
let stack: TestStack;
let clock: TestClock;
let receiver: Server;
let base: string;
let seq = 0;

interface Received {
  id: string;
  type: string;
  body: any;
}
const received: Received[] = [];

async function ok(method: string, path: string, body?: unknown, status = 201) {
  const response = await stack.call(method, path, body);
  expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBe(status);
  return response.body;
}

/** Waits until nothing is owed any more (no outbox entry): every webhook and email went out. */
const settled = () =>
  eventually('an empty outbox', async () => {
    const page = await stack.deps.dynamo.send(
      new QueryCommand({
        TableName: stack.config.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': { S: 'OUTBOX' } },
        ConsistentRead: true,
      }),
    );
    return (page.Items ?? []).length === 0 ? true : undefined;
  });

/** `count` API calls of `customer` at the clock's time. */
async function calls(customer: string, count: number) {
  const events = Array.from({ length: count }, () => ({
    specversion: '1.0',
    id: `alert-${seq++}`,
    source: 'test',
    type: 'api.call',
    subject: customer,
    time: clock.now.toISOString(),
  }));
  const response = await stack.call('POST', '/v1/events', events, {
    contentType: 'application/cloudevents-batch+json',
  });
  expect(response.body.accepted, JSON.stringify(response.body)).toBe(count);
}

async function customer(id: string, extra: Record<string, unknown> = {}) {
  await ok('POST', '/v1/customers', {
    id,
    name: `Customer ${id}`,
    email: `${id}@example.com`,
    currency: 'EUR',
    timezone: 'UTC',
    // Outside the EU: no VAT, so the running bill is the lines.
    address: { line1: '1 Main St', city: 'Austin', country: 'US' },
    ...extra,
  });
  await ok('POST', '/v1/subscriptions', { id: `sub-${id}`, customer: id, plan: 'pro', start_date: '2026-10-01' });
}

const check = (query: string) => ok('POST', `/v1/alerts/check?${query}`, undefined, 200);
const webhooksOf = (alertId: string) => received.filter((r) => r.body.data?.alert?.id === alertId);
/** The alert emails to an address (invoices go to the same inbox). */
const emailsTo = async (address: string) =>
  (await stack.delivery!.ses.emails()).filter(
    (email) =>
      email.destination.to.some((to) => to.includes(address)) && /^(Usage alert|Nutzungswarnung): /.test(email.subject),
  );

const snapshot = () => storeSnapshot(stack);

beforeAll(async () => {
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      received.push({ id: String(request.headers['webhook-id']), type: body.type, body });
      response.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

  clock = testClock('2026-10-01T00:00:00Z');
  stack = await startTestStack({
    clock,
    env: { ...SELLER_ENV, BILLING_GRACE_MINUTES: '0' },
    delivery: { pollIntervalMs: 50, sweepIntervalSeconds: 1 },
  });
  await ok('POST', '/v1/webhook-endpoints', {
    url: `${base}/alerts`,
    events: ['usage.alert_triggered', 'credits.balance_low'],
  });
  await ok('POST', '/v1/meters', { key: 'api', name: 'API calls', event_type: 'api.call', aggregation: 'count' });
  await ok('POST', '/v1/meters', { key: 'other', name: 'Other', event_type: 'other.thing', aggregation: 'count' });
  await ok('POST', '/v1/plans', {
    key: 'pro',
    name: 'Pro',
    currency: 'EUR',
    interval: 'month',
    base_fee: { amount: '10.00', timing: 'in_arrears' },
    charges: [{ meter: 'api', display_name: 'API calls', price: { model: 'per_unit', unit_price: '0.25' } }],
  });
  for (const id of ['c-usage', 'c-spend', 'c-credit', 'c-race', 'c-quiet', 'c-refresh', 'c-cap', 'c-other'])
    await customer(id, id === 'c-usage' ? { locale: 'de-DE' } : {});
  clock.set('2026-10-10T12:00:00Z');
}, 180_000);

afterAll(async () => {
  await stack?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
});

describe('hostile input to the alert routes', () => {
  /** A request that must be refused with `status`; the store must be unchanged after it. */
  async function refused(method: string, path: string, body: unknown, status = 400, raw?: string) {
    const before = await snapshot();
    const response = await stack.call(method, path, body, raw === undefined ? {} : { raw });
    expect(response.status, `${method} ${path} ${raw ?? JSON.stringify(body)}: ${JSON.stringify(response.body)}`).toBe(
      status,
    );
    expect(response.body.error?.code, JSON.stringify(response.body)).toBeTypeOf('string');
    expect(await snapshot()).toEqual(before);
    return response.body.error;
  }
  const good = { customer_id: 'c-usage', kind: 'usage', meter: 'api', threshold: '100' };

  it('refuses bad bodies of POST /v1/alerts naming the field, and stores nothing', async () => {
    await settled();
    const cases: Array<[unknown, string]> = [
      [{ ...good, threshold: 100 }, '/threshold'],
      [{ ...good, threshold: '0' }, '/threshold'],
      [{ ...good, threshold: '-5' }, '/threshold'],
      [{ ...good, threshold: 'abc' }, '/threshold'],
      [{ ...good, threshold: '9'.repeat(400) }, '/threshold'],
      [{ ...good, threshold: '1e400' }, '/threshold'],
      [{ ...good, threshold: null }, '/threshold'],
      [{ ...good, kind: 'bill' }, '/kind'],
      [{ ...good, kind: ['usage'] }, '/kind'],
      [{ ...good, meter: undefined }, '/meter'],
      [{ ...good, kind: 'spend', threshold: '10.00' }, '/meter'],
      [{ ...good, kind: 'spend', meter: undefined, threshold: '10.001' }, '/threshold'],
      [{ ...good, customer_id: 42 }, '/customer_id'],
      [{ ...good, customer_id: 'bad id with spaces' }, '/customer_id'],
      [{ ...good, name: 'line\nbreak' }, '/name'],
      [{ ...good, name: 'bell\u0007' }, '/name'],
      [{ ...good, name: 'x'.repeat(201) }, '/name'],
      [{ ...good, subscription_id: 'sub-c-spend' }, '/subscription_id'],
      [{ ...good, extra: true }, ''],
      [[good], ''],
    ];
    for (const [body, path] of cases) {
      const error = await refused('POST', '/v1/alerts', body);
      if (path) expect(JSON.stringify(error.details), JSON.stringify(body)).toContain(path);
    }
  });

  it('answers 404 naming the field for an unknown customer, subscription or meter', async () => {
    for (const [body, path] of [
      [{ ...good, customer_id: 'nobody' }, '/customer_id'],
      [{ ...good, subscription_id: 'sub-nobody' }, '/subscription_id'],
      [{ ...good, meter: 'nometer' }, '/meter'],
    ] as const) {
      const error = await refused('POST', '/v1/alerts', body, 404);
      expect(error.details?.[0]?.path).toBe(path);
    }
  });

  it('refuses hostile raw JSON (huge numbers, prototype keys, lone surrogates)', async () => {
    for (const raw of [
      '{"customer_id":"c-usage","kind":"usage","meter":"api","threshold":1e400}',
      `{"customer_id":"c-usage","kind":"usage","meter":"api","threshold":${'9'.repeat(400)}}`,
      '{"customer_id":"c-usage","kind":"usage","meter":"api","threshold":"100","__proto__":{"x":1}}',
      '{"customer_id":"c-usage","kind":"usage","meter":"api","threshold":"100","constructor":{"prototype":{}}}',
      '{"__proto__":{"customer_id":"c-usage","kind":"usage","meter":"api","threshold":"100"}}',
      '{"customer_id":"c-usage","kind":"usage","meter":"api","threshold":"100","name":"\\ud800"}',
      '{"customer_id":"c-usage\\udc00","kind":"usage","meter":"api","threshold":"100"}',
      '{"customer_id":"c-usage","kind":"usage","meter":"api","threshold":"100\\u0000"}',
      '{"customer_id":"c-usage","kind":"usage","meter":"api","threshold":"100"',
    ])
      await refused('POST', '/v1/alerts', undefined, 400, raw);
  });

  it('refuses bad queries and unknown ids on the other routes', async () => {
    await refused('GET', '/v1/alerts', undefined, 400);
    await refused('GET', '/v1/alerts?customer_id=%00', undefined, 400);
    await refused('GET', '/v1/alerts?customer_id=c-usage&extra=1', undefined, 400);
    await refused('GET', '/v1/alerts?subscription_id=sub-nobody', undefined, 404);
    await refused('GET', '/v1/alerts?customer_id=c-usage&subscription_id=sub-c-spend', undefined, 400);
    await refused('GET', '/v1/alerts?customer_id=nobody', undefined, 404);
    await refused('GET', '/v1/alerts?customer_id=c-usage&subscription_id=a%01b', undefined, 400);
    await refused('POST', '/v1/alerts/check', undefined, 400);
    await refused('POST', '/v1/alerts/check?customer_id=nobody', undefined, 404);
    await refused('POST', '/v1/alerts/check?subscription_id=sub-nobody', undefined, 404);
    await refused('POST', '/v1/alerts/check?customer_id=c-usage&subscription_id=sub-c-spend', undefined, 400);
    await refused('POST', '/v1/alerts/check?customer_id=c%0Ausage', undefined, 400);
    for (const id of ['al_0000000000000000', '__proto__', 'constructor', 'x~y'])
      for (const method of ['GET', 'DELETE']) await refused(method, `/v1/alerts/${id}`, undefined, 404);
    await refused('GET', '/v1/alerts/%00', undefined, 400);
    await refused('PATCH', '/v1/alerts/al_0000000000000000', {}, 405);
  });
});

describe('usage alerts', () => {
  let usageAlert: any;

  it('fires once when the usage reaches the threshold: one webhook event and one email', async () => {
    usageAlert = await ok('POST', '/v1/alerts', {
      customer_id: 'c-usage',
      kind: 'usage',
      meter: 'api',
      threshold: '100',
      name: 'API volume',
    });
    expect(usageAlert).toMatchObject({ customer_id: 'c-usage', kind: 'usage', meter: 'api', threshold: '100' });
    expect(usageAlert.triggers).toEqual([]);

    await calls('c-usage', 60);
    const below = await check('customer_id=c-usage');
    expect(below.results).toEqual([
      expect.objectContaining({ alert_id: usageAlert.id, status: 'not_reached', value: '60', threshold: '100' }),
    ]);
    expect(below.fired).toBe(0);

    await calls('c-usage', 40);
    const crossed = await check('customer_id=c-usage');
    expect(crossed.fired).toBe(1);
    expect(crossed.results[0]).toMatchObject({
      alert_id: usageAlert.id,
      status: 'fired',
      value: '100',
      period_start: '2026-10-01T00:00:00.000Z',
      trigger: { value: '100', threshold: '100', email: { status: 'pending', to: 'c-usage@example.com' } },
    });

    const [event] = await eventually('the webhook', () => {
      const hooks = webhooksOf(usageAlert.id);
      return hooks.length > 0 ? hooks : undefined;
    });
    expect(event!.type).toBe('usage.alert_triggered');
    expect(event!.id).toBe(crossed.results[0].trigger.event_id);
    expect(event!.body.data).toMatchObject({
      alert: { id: usageAlert.id, kind: 'usage', meter: 'api', threshold: '100', name: 'API volume' },
      trigger: { period_start: '2026-10-01T00:00:00.000Z', value: '100', threshold: '100' },
    });
    const [email] = await eventually('the email', async () => {
      const emails = await emailsTo('c-usage@example.com');
      return emails.length > 0 ? emails : undefined;
    });
    // The customer's locale is de-DE.
    expect(email!.subject).toBe('Nutzungswarnung: API volume');
    expect(email!.body.text).toContain(
      'Nutzungswarnung: API volume — Zähler api hat 100 erreicht (Schwelle 100) im Zeitraum 2026-10-01 – 2026-11-01.',
    );
  });

  it('fires nothing more in the same period, however often it is checked', async () => {
    await calls('c-usage', 50);
    const again = await check('customer_id=c-usage');
    expect(again.results[0]).toMatchObject({ status: 'already_fired', value: '150' });
    expect(again.fired).toBe(0);
    await settled();
    expect(webhooksOf(usageAlert.id)).toHaveLength(1);
    expect(await emailsTo('c-usage@example.com')).toHaveLength(1);
    const shown = await ok('GET', `/v1/alerts/${usageAlert.id}`, undefined, 200);
    expect(shown.triggers).toHaveLength(1);
    expect(shown.triggers[0]).toMatchObject({ value: '100', email: { status: 'sent', to: 'c-usage@example.com' } });
    expect(shown.last_triggered_at).toBe(shown.triggers[0].triggered_at);
  });

  it('fires a spend alert when the running bill reaches its amount', async () => {
    const alert = await ok('POST', '/v1/alerts', {
      customer_id: 'c-spend',
      subscription_id: 'sub-c-spend',
      kind: 'spend',
      threshold: '40',
    });
    expect(alert).toMatchObject({ threshold: '40.00', currency: 'EUR', subscription_id: 'sub-c-spend' });
    await calls('c-spend', 100);
    const below = await check('subscription_id=sub-c-spend');
    const upcoming = await ok('GET', '/v1/customers/c-spend/upcoming-invoice', undefined, 200);
    // The base fee (10.00) and 100 calls at 0.25.
    expect(below.results[0]).toMatchObject({ status: 'not_reached', value: upcoming.subtotal });
    expect(upcoming.subtotal).toBe('35.00');
    await calls('c-spend', 20);
    const crossed = await check('subscription_id=sub-c-spend');
    expect(crossed.results[0]).toMatchObject({ status: 'fired', value: '40.00', threshold: '40.00' });
    const [event] = await eventually('the webhook', () => {
      const hooks = webhooksOf(alert.id);
      return hooks.length > 0 ? hooks : undefined;
    });
    expect(event!.type).toBe('usage.alert_triggered');
    const [email] = await eventually('the email', async () => {
      const emails = await emailsTo('c-spend@example.com');
      return emails.length > 0 ? emails : undefined;
    });
    expect(email!.subject).toBe(`Usage alert: ${alert.id}`);
  });

  it('fires credits.balance_low when the prepaid balance falls below the threshold', async () => {
    await ok('POST', '/v1/customers/c-credit/credit-grants', { name: 'Prepaid', category: 'paid', amount: '50.00' });
    const alert = await ok('POST', '/v1/alerts', {
      customer_id: 'c-credit',
      kind: 'credit_balance',
      threshold: '20',
      name: 'Low credits',
    });
    const above = await check('customer_id=c-credit');
    const credits = await ok('GET', '/v1/customers/c-credit/credits', undefined, 200);
    expect(above.results[0]).toMatchObject({ status: 'not_reached', value: credits.ongoing_balance });
    expect(credits.ongoing_balance).toBe('40.00');

    await calls('c-credit', 100);
    const crossed = await check('customer_id=c-credit');
    expect(crossed.results[0]).toMatchObject({ status: 'fired', value: '15.00', threshold: '20.00' });
    const [event] = await eventually('the webhook', () => {
      const hooks = webhooksOf(alert.id);
      return hooks.length > 0 ? hooks : undefined;
    });
    expect(event!.type).toBe('credits.balance_low');
    const [email] = await eventually('the email', async () => {
      const emails = await emailsTo('c-credit@example.com');
      return emails.length > 0 ? emails : undefined;
    });
    expect(email!.body.text).toContain('the credit balance fell to 15.00 EUR (threshold 20.00 EUR)');
  });

  it('fires once when checks race', async () => {
    const alert = await ok('POST', '/v1/alerts', {
      customer_id: 'c-race',
      kind: 'usage',
      meter: 'api',
      threshold: '1',
    });
    await calls('c-race', 3);
    const results = await Promise.all(Array.from({ length: 6 }, () => check('customer_id=c-race')));
    const statuses = results.map((r) => r.results[0].status).sort();
    expect(statuses).toEqual([
      'already_fired',
      'already_fired',
      'already_fired',
      'already_fired',
      'already_fired',
      'fired',
    ]);
    await settled();
    expect(webhooksOf(alert.id)).toHaveLength(1);
    expect(await emailsTo('c-race@example.com')).toHaveLength(1);
    expect((await ok('GET', `/v1/alerts/${alert.id}`, undefined, 200)).triggers).toHaveLength(1);
  });

  it('lets the marker decide between firings that race past the check for an earlier one', async () => {
    const alert = await ok('POST', '/v1/alerts', {
      customer_id: 'c-race',
      kind: 'usage',
      meter: 'api',
      threshold: '2',
    });
    const periodStart = '2026-10-01T00:00:00.000Z';
    // Six firings of the same alert and period, each with its own event (as six checks that all read "not fired yet").
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, (_, i) => {
        const eventId = `evt_${String(i).padStart(24, '0')}`;
        const trigger = {
          alertId: alert.id,
          customerId: 'c-race',
          periodStart,
          periodEnd: '2026-11-01T00:00:00.000Z',
          value: '3',
          threshold: '2',
          triggeredAt: clock.now.toISOString(),
          eventId,
          email: { status: 'pending' as const, to: 'c-race@example.com', attempts: 0 },
        };
        return stack.deps.alerts.fire(trigger, {
          id: eventId,
          type: 'usage.alert_triggered',
          createdAt: trigger.triggeredAt,
          resourceKind: 'alert',
          resource: {
            alert: {
              id: alert.id,
              customerId: 'c-race',
              kind: 'usage',
              meter: 'api',
              threshold: '2',
              createdAt: alert.created_at,
            },
            trigger,
          },
        });
      }),
    );
    expect(outcomes.map((o) => o.status).sort()).toEqual([
      'already_fired',
      'already_fired',
      'already_fired',
      'already_fired',
      'already_fired',
      'fired',
    ]);
    await settled();
    expect(webhooksOf(alert.id)).toHaveLength(1);
    // Handed over by the outbox sweep alone (nothing sent these to the queue).
    expect(await emailsTo('c-race@example.com')).toHaveLength(2);
    expect((await ok('GET', `/v1/alerts/${alert.id}`, undefined, 200)).triggers).toHaveLength(1);
    expect((await check('customer_id=c-race')).results.find((r: any) => r.alert_id === alert.id).status).toBe(
      'already_fired',
    );
  });

  it('sends only the webhook for a customer without an email address, and says so', async () => {
    await stack.deps.customers.update('c-quiet', (current) => ({ ...current, email: '' }));
    const alert = await ok('POST', '/v1/alerts', {
      customer_id: 'c-quiet',
      kind: 'usage',
      meter: 'api',
      threshold: '1',
    });
    await calls('c-quiet', 1);
    const fired = await check('customer_id=c-quiet');
    expect(fired.results[0].trigger).toMatchObject({
      email: { status: 'none' },
      note: 'the customer has no email address: webhook only',
    });
    await eventually('the webhook', () => (webhooksOf(alert.id).length === 1 ? true : undefined));
    await settled();
    expect((await ok('GET', `/v1/alerts/${alert.id}`, undefined, 200)).triggers[0].email.status).toBe('none');
    expect(await emailsTo('c-quiet@example.com')).toEqual([]);
  });

  it('is checked by the estimates refresh too', async () => {
    const alert = await ok('POST', '/v1/alerts', {
      customer_id: 'c-refresh',
      kind: 'usage',
      meter: 'api',
      threshold: '5',
    });
    await calls('c-refresh', 5);
    const refresh = await stack.call('POST', '/v1/reports/upcoming/refresh');
    expect([200, 202]).toContain(refresh.status);
    const shown = await eventually('the firing', async () => {
      const current = await ok('GET', `/v1/alerts/${alert.id}`, undefined, 200);
      return current.triggers.length > 0 ? current : undefined;
    });
    expect(shown.triggers[0]).toMatchObject({ value: '5', period_start: '2026-10-01T00:00:00.000Z' });
    await eventually('the email', async () =>
      (await emailsTo('c-refresh@example.com')).length === 1 ? true : undefined,
    );
    await eventually('the webhook', () => (webhooksOf(alert.id).length === 1 ? true : undefined));
    expect((await check('customer_id=c-refresh')).results[0].status).toBe('already_fired');
  });

  it('fires again in the next period', async () => {
    clock.set('2026-11-01T00:05:00Z');
    const run = await ok('POST', '/v1/billing-runs', { as_of: '2026-11-01T00:05:00Z' }, 200);
    expect(run.status, JSON.stringify(run)).toBe('succeeded');
    clock.set('2026-11-02T08:00:00Z');
    await calls('c-usage', 99);
    expect((await check('customer_id=c-usage')).results[0]).toMatchObject({ status: 'not_reached', value: '99' });
    await calls('c-usage', 1);
    const fired = await check('customer_id=c-usage');
    expect(fired.results[0]).toMatchObject({
      status: 'fired',
      value: '100',
      period_start: '2026-11-01T00:00:00.000Z',
    });
    await eventually('the second webhook', () => (webhooksOf(usageAlert.id).length === 2 ? true : undefined));
    await eventually('the second email', async () =>
      (await emailsTo('c-usage@example.com')).length === 2 ? true : undefined,
    );
    const shown = await ok('GET', `/v1/alerts/${usageAlert.id}`, undefined, 200);
    expect(shown.triggers.map((t: any) => t.period_start)).toEqual([
      '2026-11-01T00:00:00.000Z',
      '2026-10-01T00:00:00.000Z',
    ]);
  });

  it('lists a customer’s alerts, and a deleted alert fires no more', async () => {
    const other = await ok('POST', '/v1/alerts', {
      customer_id: 'c-other',
      kind: 'usage',
      meter: 'other',
      threshold: '1',
    });
    const listed = await ok('GET', '/v1/alerts?customer_id=c-other', undefined, 200);
    expect(listed.data.map((a: any) => a.id)).toEqual([other.id]);
    expect(
      (await ok('GET', '/v1/alerts?customer_id=c-usage&subscription_id=sub-c-usage', undefined, 200)).data,
    ).toEqual([]);
    expect((await ok('DELETE', `/v1/alerts/${other.id}`, undefined, 200)).id).toBe(other.id);
    expect((await stack.call('GET', `/v1/alerts/${other.id}`)).status).toBe(404);
    // A check that read the alert before it was deleted fires nothing: the transaction checks it still exists.
    const trigger = {
      alertId: other.id,
      customerId: 'c-other',
      periodStart: '2026-11-01T00:00:00.000Z',
      periodEnd: '2026-12-01T00:00:00.000Z',
      value: '1',
      threshold: '1',
      triggeredAt: clock.now.toISOString(),
      eventId: 'evt_ffffffffffffffffffffffff',
      email: { status: 'pending' as const, to: 'c-other@example.com', attempts: 0 },
    };
    const late = await stack.deps.alerts.fire(trigger, {
      id: trigger.eventId,
      type: 'usage.alert_triggered',
      createdAt: trigger.triggeredAt,
      resourceKind: 'alert',
      resource: { alert: other, trigger },
    });
    expect(late).toEqual({ status: 'deleted' });
    // Neither the marker nor the event was written.
    expect(await stack.deps.alerts.findTrigger(`${other.id}~${trigger.periodStart}`)).toBeUndefined();
    expect(await stack.deps.webhooks.findEvent(trigger.eventId)).toBeUndefined();
    expect((await check('customer_id=c-other')).results).toEqual([]);
    // A customer who never had credits has no balance that could fall: its credit balance alert is skipped.
    const credit = await ok('POST', '/v1/alerts', { customer_id: 'c-other', kind: 'credit_balance', threshold: '5' });
    expect((await check('customer_id=c-other')).results).toEqual([
      expect.objectContaining({
        alert_id: credit.id,
        status: 'skipped',
        reason: "customer 'c-other' has no credit grants in EUR",
      }),
    ]);
    const bySubscription = await ok('GET', '/v1/alerts?subscription_id=sub-c-other', undefined, 200);
    expect(bySubscription.data).toEqual([]);
    expect((await ok('GET', '/v1/alerts?customer_id=c-other', undefined, 200)).data.map((a: any) => a.id)).toEqual([
      credit.id,
    ]);
  });

  it(`caps a customer's alerts`, async () => {
    const created = [];
    for (let i = 0; i < 50; i++)
      created.push(await ok('POST', '/v1/alerts', { customer_id: 'c-cap', kind: 'spend', threshold: String(i + 1) }));
    const refused = await stack.call('POST', '/v1/alerts', { customer_id: 'c-cap', kind: 'spend', threshold: '99' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain('50 alerts');
    await ok('DELETE', `/v1/alerts/${created[0].id}`, undefined, 200);
    await ok('POST', '/v1/alerts', { customer_id: 'c-cap', kind: 'spend', threshold: '99' });
  });
});
