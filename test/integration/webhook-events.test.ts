import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StripeStandIn } from '../../local/stripe-stand-in.js';
import { eventually } from '../support/eventually.js';
import { SELLER_ENV, startTestStack, type TestClock, type TestStack, testClock } from '../support/stack.js';

/**
 * The webhook events no other test follows, each produced once with its resource as the API shows
 * it: invoice.draft_created (a grace period), invoice.voided, invoice.payment_failed (a declined card
 * at the local Stripe stand-in), subscription.changed (a plan change) and billing_run.failed (a run
 * whose execution is gone). One endpoint subscribed to everything receives them.
 */
const WEBHOOK_SECRET = 'whsec_test_webhook_events_0123456789';
let stack: TestStack;
let clock: TestClock;
let stripe: StripeStandIn;
let receiver: Server;
const received: Array<{ id: string; type: string; body: any }> = [];
const invoices: Record<string, any> = {};

async function ok(method: string, path: string, body?: unknown, status = 201) {
  const response = await stack.call(method, path, body);
  expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBe(status);
  return response.body;
}

/** The events of a type about one resource. */
const eventsOf = (type: string, resourceId: string) =>
  received.filter((r) => r.type === type && r.body.data?.id === resourceId);

/** Waits for the event, lets any duplicate arrive, and returns the one event there is. */
async function theOnly(type: string, resourceId: string) {
  await eventually(`${type} of ${resourceId}`, () => eventsOf(type, resourceId)[0]);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const found = eventsOf(type, resourceId);
  expect(found, `${type} of ${resourceId}`).toHaveLength(1);
  const [event] = found;
  expect(event!.body.id).toBe(event!.id);
  expect(event!.id).toMatch(/^evt_[0-9a-f]{24}$/);
  return event!.body;
}

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
  const base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

  clock = testClock('2026-10-01T00:00:00Z');
  stripe = new StripeStandIn({ now: clock });
  await stripe.start();
  stack = await startTestStack({
    clock,
    env: {
      ...SELLER_ENV,
      STRIPE_SECRET_KEY: 'sk_test_local_webhook_events',
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_API_URL: stripe.url,
    },
    // New events go out right after their change; the sweep is only the backstop.
    delivery: { pollIntervalMs: 50, sweepIntervalSeconds: 3600 },
  });
  stripe.setWebhook(`${stack.url}/v1/webhooks/stripe`, WEBHOOK_SECRET);
  await ok('POST', '/v1/webhook-endpoints', { url: `${base}/all`, events: ['*'] });
  await ok('POST', '/v1/meters', { key: 'api', name: 'API calls', event_type: 'api.call', aggregation: 'count' });
  for (const [key, fee] of [
    ['pro', '10.00'],
    ['max', '50.00'],
  ] as const)
    await ok('POST', '/v1/plans', {
      key,
      name: key,
      currency: 'EUR',
      interval: 'month',
      base_fee: { amount: fee, timing: 'in_arrears' },
      charges: [{ meter: 'api', display_name: 'API calls', price: { model: 'per_unit', unit_price: '0.25' } }],
    });
  const declined = stripe.addCustomer({ payment_method: 'pm_card_chargeDeclined' });
  for (const [id, extra] of [
    ['c-draft', { invoice_grace_hours: 24 }],
    ['c-void', {}],
    ['c-decline', { stripe_customer_id: declined }],
    ['c-change', {}],
  ] as const) {
    await ok('POST', '/v1/customers', {
      id,
      name: `Customer ${id}`,
      email: `${id}@example.com`,
      currency: 'EUR',
      timezone: 'Europe/Berlin',
      tax_rate: '19',
      ...extra,
    });
    await ok('POST', '/v1/subscriptions', { id: `sub-${id}`, customer: id, plan: 'pro', start_date: '2026-10-01' });
  }
  clock.set('2026-11-01T02:00:00Z');
  const run = await ok('POST', '/v1/billing-runs', { as_of: '2026-11-01T02:00:00Z' }, 200);
  expect(run.status, JSON.stringify(run)).toBe('succeeded');
  for (const id of ['c-draft', 'c-void', 'c-decline']) {
    const [invoice] = (await ok('GET', `/v1/invoices?customer=${id}`, undefined, 200)).data;
    invoices[id] = invoice;
  }
  expect(invoices['c-draft'].status).toBe('draft');
}, 180_000);

afterAll(async () => {
  await stack?.stop();
  await stripe?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
});

describe('webhook events', () => {
  it('invoice.draft_created: once, when the grace period makes the invoice a draft', async () => {
    const draft = invoices['c-draft'];
    const event = await theOnly('invoice.draft_created', draft.id);
    expect(event.data).toMatchObject({ id: draft.id, status: 'draft', customer: 'c-draft', total: draft.total });
    expect(event.created_at).toBe(draft.issued_at);
    // The run reported the draft, not a finalized invoice.
    expect(eventsOf('invoice.finalized', draft.id)).toEqual([]);
  });

  it('invoice.voided: once, with the void invoice as GET shows it', async () => {
    const invoice = invoices['c-void'];
    await ok('POST', `/v1/invoices/${invoice.id}/void`, { reason: 'Billed in error' }, 200);
    const event = await theOnly('invoice.voided', invoice.id);
    expect(event.data.status).toBe('void');
    expect(event.data).toEqual(await ok('GET', `/v1/invoices/${invoice.id}`, undefined, 200));
  });

  it('invoice.payment_failed: once, when the card on file is declined at collection', async () => {
    const invoice = invoices['c-decline'];
    const event = await theOnly('invoice.payment_failed', invoice.id);
    expect(event.data).toMatchObject({ id: invoice.id, payment_status: 'payment_failed' });
    expect(event.data.payment_attempts).toEqual([
      expect.objectContaining({ kind: 'charge', status: 'failed', error: 'Your card was declined.' }),
    ]);
    expect(eventsOf('invoice.paid', invoice.id)).toEqual([]);
  });

  it('subscription.changed: once, when a plan change is scheduled', async () => {
    const changed = await ok('POST', '/v1/subscriptions/sub-c-change/change-plan', { plan: 'max' }, 200);
    const event = await theOnly('subscription.changed', 'sub-c-change');
    expect(event.data).toEqual(changed);
    expect(event.data.pending_change).toMatchObject({ plan: 'max' });
  });

  it('billing_run.failed: once, for a run whose execution is gone (found when runs are listed)', async () => {
    await stack.deps.runs.put({
      id: 'run_lost',
      asOf: '2026-11-01T00:00:00.000Z',
      status: 'running',
      startedAt: '2026-11-01T00:00:00.000Z',
      results: [],
    });
    const listed = (await ok('GET', '/v1/billing-runs', undefined, 200)).data;
    const lost = listed.find((run: any) => run.id === 'run_lost');
    expect(lost.status).toBe('interrupted');
    // Listed again: it is not running any more, nothing more is reported.
    await ok('GET', '/v1/billing-runs', undefined, 200);
    const event = await theOnly('billing_run.failed', 'run_lost');
    expect(event.data).toEqual(lost);
    expect(event.created_at).toBe(lost.finished_at);
  });
});
