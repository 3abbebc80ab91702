import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SELLER_ENV, startTestStack, type TestClock, type TestStack, testClock } from '../support/stack.js';

/**
 * Outbound webhooks on a real stack (DynamoDB Local, local SQS) against a local receiver: signatures
 * verified with `standardwebhooks`, a receiver that fails then recovers (each event delivered once,
 * the same webhook-id on every retry), subscriptions, deletion, dead deliveries and manual retry.
 */
let stack: TestStack;
let clock: TestClock;
let receiver: Server;
let base: string;

interface Received {
  path: string;
  id: string;
  type: string;
  status: number;
  verified: boolean;
  body: any;
}
const received: Received[] = [];
/** Answers 500 to the first `failFirst` requests of a path, or to all while `down`. */
const behaviour: Record<string, { failFirst?: number; down?: boolean; seen: number }> = {
  '/all': { failFirst: 2, seen: 0 },
  '/other': { seen: 0 },
  '/deleted': { seen: 0 },
  '/dead': { down: true, seen: 0 },
};
const secrets: Record<string, string> = {};
const endpoints: Record<string, any> = {};

async function ok(method: string, path: string, body?: unknown, status = 201) {
  const response = await stack.call(method, path, body);
  expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBe(status);
  return response.body;
}

async function eventually<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const delivered = (path: string) => received.filter((r) => r.path === path && r.status === 200);

beforeAll(async () => {
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '';
      const raw = Buffer.concat(chunks).toString('utf8');
      const state = behaviour[path] ?? { seen: 0 };
      state.seen++;
      let verified = false;
      try {
        new Webhook(secrets[path] ?? 'whsec_AAAA').verify(raw, request.headers as Record<string, string>);
        verified = true;
      } catch {
        verified = false;
      }
      const failing = state.down || (state.failFirst !== undefined && state.seen <= state.failFirst);
      const status = failing ? 500 : 200;
      const body = JSON.parse(raw);
      received.push({ path, id: String(request.headers['webhook-id']), type: body.type, status, verified, body });
      response.writeHead(status).end(failing ? 'down' : 'ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

  clock = testClock('2026-10-01T00:00:00Z');
  stack = await startTestStack({
    clock,
    // Three attempts (no delay between them), then dead.
    env: { ...SELLER_ENV, BILLING_WEBHOOK_RETRY_SECONDS: '0,0', BILLING_WEBHOOK_TIMEOUT_MS: '5000' },
    // The sweep hands new events to the queue (every second here).
    delivery: { pollIntervalMs: 50, sweepIntervalSeconds: 1 },
  });
  for (const [path, events] of [
    ['/all', ['*']],
    ['/other', ['subscription.canceled']],
    ['/deleted', ['invoice.finalized', 'customer.created']],
    ['/dead', ['credit_note.created']],
  ] as const) {
    const created = await ok('POST', '/v1/webhook-endpoints', { url: `${base}${path}`, events, description: path });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    secrets[path] = created.secret;
    endpoints[path] = created;
  }
  await ok('DELETE', `/v1/webhook-endpoints/${endpoints['/deleted'].id}`, undefined, 200);

  await ok('POST', '/v1/meters', { key: 'api', name: 'API calls', event_type: 'api.call', aggregation: 'count' });
  await ok('POST', '/v1/plans', {
    key: 'pro',
    name: 'Pro',
    currency: 'EUR',
    interval: 'month',
    base_fee: { amount: '10.00', timing: 'in_arrears' },
    charges: [{ meter: 'api', display_name: 'API calls', price: { model: 'per_unit', unit_price: '0.25' } }],
  });
  await ok('POST', '/v1/customers', {
    id: 'c-hook',
    name: 'Hook Customer',
    email: 'hook@example.com',
    currency: 'EUR',
    timezone: 'Europe/Berlin',
    tax_rate: '19',
  });
  await ok('POST', '/v1/subscriptions', { id: 'sub-hook', customer: 'c-hook', plan: 'pro', start_date: '2026-10-01' });
  clock.set('2026-11-01T02:00:00Z');
  const run = await ok('POST', '/v1/billing-runs', { as_of: '2026-11-01T02:00:00Z' }, 200);
  expect(run.status).toBe('succeeded');
}, 180_000);

afterAll(async () => {
  await stack?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
});

describe('outbound webhooks', () => {
  it('delivers each event once with a verified signature, the same webhook-id across retries', async () => {
    const [invoice] = (await ok('GET', '/v1/invoices?customer=c-hook', undefined, 200)).data;
    await ok('POST', `/v1/invoices/${invoice.id}/payments`, { amount: invoice.total, reference: 'wire-1' });
    const wanted = [
      'customer.created',
      'subscription.created',
      'invoice.finalized',
      'billing_run.completed',
      'invoice.paid',
    ];
    await eventually('every event at /all', () =>
      wanted.every((type) => delivered('/all').some((r) => r.type === type)) ? true : undefined,
    );
    const all = received.filter((r) => r.path === '/all');
    expect(all.every((r) => r.verified)).toBe(true);
    // The receiver failed twice: those ids came again, and each id was answered 200 once.
    expect(all.filter((r) => r.status === 500)).toHaveLength(2);
    for (const failed of all.filter((r) => r.status === 500))
      expect(delivered('/all').filter((r) => r.id === failed.id)).toHaveLength(1);
    const ids = delivered('/all').map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of all) {
      expect(r.id).toMatch(/^evt_[0-9a-f]{24}$/);
      expect(r.body.id).toBe(r.id);
    }
    const finalized = delivered('/all').find((r) => r.type === 'invoice.finalized')!;
    expect(finalized.body.data.id).toBe(invoice.id);
    expect(finalized.body.data.total).toBe(invoice.total);
    expect(finalized.body.created_at).toBe(invoice.issued_at);
    const paid = delivered('/all').find((r) => r.type === 'invoice.paid')!;
    expect(paid.body.data.id).toBe(invoice.id);
    // The log shows the retried delivery with its attempts.
    const log = (await ok('GET', `/v1/webhook-endpoints/${endpoints['/all'].id}/deliveries`, undefined, 200)).data;
    const retried = log.find((d: any) => d.event_id === all[0]!.id);
    expect(retried.status).toBe('delivered');
    expect(retried.attempts.map((a: any) => a.status_code)).toEqual(
      [500, 500, 500].slice(0, retried.attempts.length - 1).concat([200]),
    );
  });

  it('a retried message or a sweep never delivers a delivered event again', async () => {
    const before = delivered('/all').length;
    const log = (await ok('GET', `/v1/webhook-endpoints/${endpoints['/all'].id}/deliveries`, undefined, 200)).data;
    // SQS hands a message over twice: the delivery record makes it a no-op.
    for (const delivery of log) await stack.deps.deliveryQueue!.send(delivery.id, 'webhook');
    await ok('POST', '/v1/delivery/sweep', undefined, 200);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(delivered('/all')).toHaveLength(before);
    const retry = await stack.call('POST', `/v1/webhook-deliveries/${log[0].id}/retry`);
    expect(retry.status).toBe(409);
  });

  it('a credit note reaches its subscriber; after the last attempt it is dead, and a manual retry delivers it', async () => {
    const [invoice] = (await ok('GET', '/v1/invoices?customer=c-hook', undefined, 200)).data;
    const note = await ok('POST', `/v1/invoices/${invoice.id}/credit-notes`, {
      lines: [{ line: 1, amount: '1.00' }],
      reason: 'Goodwill',
      method: 'credit_balance',
    });
    await eventually('credit_note.created at /all', () =>
      delivered('/all').find((r) => r.type === 'credit_note.created' && r.body.data.id === note.id),
    );
    const endpoint = endpoints['/dead'].id;
    const dead = await eventually('a dead delivery', async () => {
      const log = (await ok('GET', `/v1/webhook-endpoints/${endpoint}/deliveries`, undefined, 200)).data;
      return log.find((d: any) => d.status === 'dead');
    });
    expect(dead.event_type).toBe('credit_note.created');
    expect(dead.attempts).toHaveLength(3);
    expect(dead.attempts.every((a: any) => a.status_code === 500 && a.error === 'HTTP 500')).toBe(true);
    behaviour['/dead']!.down = false;
    const retried = await ok('POST', `/v1/webhook-deliveries/${dead.id}/retry`, undefined, 200);
    expect(retried.status).toBe('pending');
    await eventually('the retried delivery', () => (delivered('/dead').length > 0 ? true : undefined));
    const hits = received.filter((r) => r.path === '/dead');
    expect(hits).toHaveLength(4);
    expect(new Set(hits.map((r) => r.id))).toEqual(new Set([dead.event_id]));
    expect(hits.every((r) => r.verified && r.type === 'credit_note.created')).toBe(true);
    const after = (await ok('GET', `/v1/webhook-endpoints/${endpoint}/deliveries`, undefined, 200)).data;
    expect(after.find((d: any) => d.id === dead.id).status).toBe('delivered');
  });

  it('an endpoint subscribed to other events, and a deleted one, receive nothing', async () => {
    expect(received.filter((r) => r.path === '/other' || r.path === '/deleted')).toEqual([]);
    expect(
      (await ok('GET', `/v1/webhook-endpoints/${endpoints['/other'].id}/deliveries`, undefined, 200)).data,
    ).toEqual([]);
    expect((await stack.call('GET', `/v1/webhook-endpoints/${endpoints['/deleted'].id}`)).status).toBe(404);
  });

  it('a canceled subscription reaches the endpoint subscribed to subscription.canceled only', async () => {
    await ok('POST', '/v1/subscriptions/sub-hook/cancel', { at: 'period_end' }, 200);
    const canceled = await eventually('subscription.canceled at /other', () =>
      delivered('/other').find((r) => r.type === 'subscription.canceled'),
    );
    expect(canceled.verified).toBe(true);
    expect(canceled.body.data.id).toBe('sub-hook');
    await eventually('subscription.canceled at /all', () =>
      delivered('/all').find((r) => r.type === 'subscription.canceled' && r.id === canceled.id),
    );
    expect(received.filter((r) => r.path === '/other').map((r) => r.type)).toEqual(['subscription.canceled']);
    expect(received.filter((r) => r.path === '/deleted')).toEqual([]);
  });

  it('a customer update reports the customer as the API shows it', async () => {
    await ok('PATCH', '/v1/customers/c-hook', { name: 'Hook Renamed' }, 200);
    const updated = await eventually('customer.updated at /all', () =>
      delivered('/all').find((r) => r.type === 'customer.updated'),
    );
    expect(updated.verified).toBe(true);
    expect(updated.body.data).toEqual(await ok('GET', '/v1/customers/c-hook', undefined, 200));
  });

  it('lists and reads endpoints without their secrets', async () => {
    const list = (await ok('GET', '/v1/webhook-endpoints', undefined, 200)).data;
    expect(list.map((e: any) => e.description).sort()).toEqual(['/all', '/dead', '/other']);
    expect(JSON.stringify(list)).not.toContain('whsec_');
    const one = await ok('GET', `/v1/webhook-endpoints/${endpoints['/all'].id}`, undefined, 200);
    expect(one).toEqual({
      id: endpoints['/all'].id,
      url: `${base}/all`,
      events: ['*'],
      description: '/all',
      created_at: endpoints['/all'].created_at,
    });
  });

  it('refuses hostile input on every route with a 4xx and changes nothing', async () => {
    const before = (await ok('GET', '/v1/webhook-endpoints', undefined, 200)).data;
    const good = { url: 'https://hooks.example.com/x', events: ['invoice.paid'] };
    const bodies: unknown[] = [
      { ...good, url: 'http://hooks.example.com/x' },
      { ...good, url: 'ftp://localhost/x' },
      { ...good, url: 'https://user:pw@hooks.example.com/x' },
      { ...good, url: 'not a url' },
      { ...good, url: `https://hooks.example.com/${'a'.repeat(3000)}` },
      { ...good, url: 'https://hooks.example.com/\ud800' },
      { ...good, url: 'https://hooks.example.com/\u0007' },
      { ...good, url: 5 },
      { ...good, events: [] },
      { ...good, events: ['invoice.exploded'] },
      { ...good, events: ['*', 'invoice.paid'] },
      { ...good, events: ['invoice.paid', 'invoice.paid'] },
      { ...good, events: 'invoice.paid' },
      { ...good, events: ['__proto__'] },
      { ...good, description: '' },
      { ...good, description: 'a\nb' },
      { ...good, description: 1 },
      { ...good, secret: 'whsec_mine' },
      { ...good, extra: true },
      null,
      [],
      'x',
    ];
    for (const body of bodies) {
      const response = await stack.call('POST', '/v1/webhook-endpoints', body);
      expect(response.status, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
      expect(response.status, JSON.stringify(body)).toBeLessThan(500);
    }
    // The error names the field and what is wrong with it.
    const named = await stack.call('POST', '/v1/webhook-endpoints', { ...good, events: ['invoice.exploded'] });
    expect(named.body.error.details).toEqual([
      expect.objectContaining({
        path: '/events/0',
        message: expect.stringContaining('must be one of invoice.draft_created'),
      }),
    ]);
    const alone = await stack.call('POST', '/v1/webhook-endpoints', { ...good, events: ['*', 'invoice.paid'] });
    expect(alone.body.error.details).toEqual([{ path: '/events', message: '"*" must stand alone' }]);
    for (const raw of [
      '{"url":"https://hooks.example.com/x","events":["*"],"__proto__":{"x":1}}',
      '{"url":"https://hooks.example.com/x","events":["*"],"constructor":{"prototype":{}}}',
      `{"url":"https://hooks.example.com/x","events":["*"],"description":${'9'.repeat(400)}}`,
      '{"url":"https://hooks.example.com/x","events":["*"],"description":1e400}',
      '{"url":"https://hooks.example.com/x","events":[1e400]}',
      '{"url":"https://hooks.example.com/x"',
    ]) {
      const response = await stack.call('POST', '/v1/webhook-endpoints', undefined, { raw });
      expect(response.status, raw).toBeGreaterThanOrEqual(400);
      expect(response.status, raw).toBeLessThan(500);
    }
    for (const id of ['__proto__', 'constructor', 'we_0000', '%00', 'evt_x~we_y']) {
      const path = encodeURIComponent(id);
      for (const [method, url] of [
        ['GET', `/v1/webhook-endpoints/${path}`],
        ['DELETE', `/v1/webhook-endpoints/${path}`],
        ['GET', `/v1/webhook-endpoints/${path}/deliveries`],
        ['POST', `/v1/webhook-deliveries/${path}/retry`],
      ] as const) {
        const response = await stack.call(method, url);
        expect(response.status, `${method} ${url}`).toBeGreaterThanOrEqual(400);
        expect(response.status, `${method} ${url}`).toBeLessThan(500);
      }
    }
    expect((await ok('GET', '/v1/webhook-endpoints', undefined, 200)).data).toEqual(before);
  });

  it('accepts http only for localhost and 127.0.0.1', async () => {
    const created = await ok('POST', '/v1/webhook-endpoints', {
      url: 'http://localhost:9/hook',
      events: ['usage.alert_triggered', 'credits.balance_low'],
    });
    expect(created.events).toEqual(['usage.alert_triggered', 'credits.balance_low']);
    await ok('DELETE', `/v1/webhook-endpoints/${created.id}`, undefined, 200);
  });
});
