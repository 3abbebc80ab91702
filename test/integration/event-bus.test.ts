import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EventBridgeStandIn, startEventBridgeStandIn } from '../support/eventbridge-stand-in.js';
import { eventually } from '../support/eventually.js';
import { SELLER_ENV, startTestStack, type TestStack } from '../support/stack.js';

/**
 * The event bus on a real stack (DynamoDB Local, local SQS) with the official EventBridge SDK pointed
 * at a local PutEvents stand-in: every event is put once per event, endpoint or not, a failed put is
 * retried, and new events go out right after their change commits (the sweep runs once an hour here,
 * so only the fast hand-over can deliver them).
 */
let stack: TestStack;
let bus: EventBridgeStandIn;
let receiver: Server;
let base: string;
const received: Array<{ id: string; type: string; body: any }> = [];

async function ok(method: string, path: string, body?: unknown, status = 201) {
  const response = await stack.call(method, path, body);
  expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBe(status);
  return response.body;
}

/** The bus entries of a resource's events, their detail parsed. */
const busEvents = (type: string, resourceId: string) =>
  bus.entries
    .map((entry) => ({ entry, detail: JSON.parse(entry.Detail ?? '{}') }))
    .filter(({ detail }) => detail.type === type && detail.data?.id === resourceId);

const customer = (id: string) => ({ id, name: `Customer ${id}`, email: `${id}@example.com`, currency: 'EUR' });

beforeAll(async () => {
  bus = await startEventBridgeStandIn();
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
  stack = await startTestStack({
    env: { ...SELLER_ENV, BILLING_EVENT_BUS_NAME: 'billing-test', EVENTBRIDGE_ENDPOINT: bus.endpoint },
    // The sweep runs at start-up and then once an hour: events must not wait for it.
    delivery: { pollIntervalMs: 50, sweepIntervalSeconds: 3600 },
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await bus?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
});

describe('the event bus', () => {
  it('gets every event once, with no webhook endpoint at all', async () => {
    expect((await ok('GET', '/v1/webhook-endpoints', undefined, 200)).data).toEqual([]);
    const created = await ok('POST', '/v1/customers', customer('c-bus'));
    const { entry, detail } = await eventually(
      'customer.created on the bus',
      () => busEvents('customer.created', 'c-bus')[0],
    );
    expect(entry).toMatchObject({
      EventBusName: 'billing-test',
      Source: 'serverless-billing',
      DetailType: 'customer.created',
    });
    expect(entry.Resources ?? []).toEqual([]);
    expect(detail.id).toMatch(/^evt_[0-9a-f]{24}$/);
    expect(detail.data).toEqual(created);
    expect(entry.Time).toBe(Date.parse(detail.created_at) / 1000);

    // The fan-out handed over again (a duplicate message, a sweep of everything): not put again.
    await stack.deps.deliveryQueue!.send(detail.id, 'webhook');
    await stack.delivery!.sweep({ all: true });
    await ok('POST', '/v1/customers', customer('c-bus-2'));
    await eventually('the next event on the bus', () =>
      busEvents('customer.created', 'c-bus-2').length > 0 ? true : undefined,
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(busEvents('customer.created', 'c-bus')).toHaveLength(1);
  });

  it('retries a put that EventBridge refused, and the event arrives once', async () => {
    bus.failNext(1);
    await ok('POST', '/v1/customers', customer('c-bus-retry'));
    await eventually('customer.created after the retry', () =>
      busEvents('customer.created', 'c-bus-retry').length > 0 ? true : undefined,
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(busEvents('customer.created', 'c-bus-retry')).toHaveLength(1);
  });

  it('delivers a new event to an endpoint right after its change, without waiting for the sweep', async () => {
    const endpoint = await ok('POST', '/v1/webhook-endpoints', { url: `${base}/hook`, events: ['customer.created'] });
    const created = await ok('POST', '/v1/customers', customer('c-fast'));
    const hit = await eventually('customer.created at the endpoint', () =>
      received.find((r) => r.type === 'customer.created' && r.body.data.id === 'c-fast'),
    );
    expect(hit.body.data).toEqual(created);
    // The webhook and the bus carry the same event id (consumers deduplicate on it).
    const { detail } = await eventually(
      'customer.created on the bus',
      () => busEvents('customer.created', 'c-fast')[0],
    );
    expect(detail.id).toBe(hit.id);
    const log = (await ok('GET', `/v1/webhook-endpoints/${endpoint.id}/deliveries`, undefined, 200)).data;
    expect(log.map((d: any) => [d.event_id, d.status])).toEqual([[hit.id, 'delivered']]);
  });
});
