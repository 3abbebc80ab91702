import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack, testClock } from '../support/stack.js';

/**
 * The local queue lives in memory: a stack stopped with an email still queued loses the message.
 * The outbox keeps the email owed, and the sweep at start-up enqueues it again.
 */
const clock = testClock('2026-10-01T00:00:00Z');
const env = {
  BILLING_TABLE_NAME: `test-restart-${randomUUID()}`,
  BILLING_API_KEY: `bk_test_${randomUUID()}`,
  BILLING_DELIVERY_RETRY_BASE_SECONDS: '1',
  BILLING_DELIVERY_RETRY_MAX_SECONDS: '2',
};
const stacks: TestStack[] = [];

afterAll(async () => {
  for (const stack of stacks) await stack.stop();
});

async function post(stack: TestStack, path: string, body: unknown, status = 201) {
  const response = await stack.call('POST', path, body);
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  return response.body;
}

describe('invoice delivery across a restart', () => {
  it('sends the email owed when the stack stopped, once, after it starts again', async () => {
    const first = await startTestStack({ clock, env, delivery: { pollIntervalMs: 50, sweepIntervalSeconds: 0 } });
    stacks.push(first);
    await post(first, '/v1/meters', { key: 'api', name: 'API calls', event_type: 'api.call', aggregation: 'count' });
    await post(first, '/v1/plans', {
      key: 'basic',
      name: 'Basic',
      currency: 'EUR',
      interval: 'month',
      base_fee: { amount: '25.00' },
      charges: [{ meter: 'api', price: { model: 'per_unit', unit_price: '0.10' } }],
    });
    await post(first, '/v1/customers', {
      id: 'lisbon',
      name: 'Lisbon Lda',
      email: 'lisbon@example.com',
      currency: 'EUR',
      timezone: 'Europe/Lisbon',
      locale: 'en',
    });
    await post(first, '/v1/subscriptions', { customer: 'lisbon', plan: 'basic', start_date: '2026-10-01' });

    // The stack goes down with the message still in its (in-memory) queue.
    await first.delivery!.poller.stop();
    clock.set('2026-11-02T09:00:00Z');
    const run = await post(first, '/v1/billing-runs', { as_of: '2026-11-02T09:00:00Z' }, 200);
    expect(run.summary.invoiced).toBe(1);
    await first.stop();
    stacks.pop();

    const second = await startTestStack({ clock, env, delivery: { pollIntervalMs: 50, sweepIntervalSeconds: 0 } });
    stacks.push(second);
    const [invoice] = (await second.call('GET', '/v1/invoices?customer=lisbon')).body.data;
    const deadline = Date.now() + 20_000;
    let delivery = invoice.delivery;
    while (delivery.status !== 'sent' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      delivery = (await second.call('GET', `/v1/invoices/${invoice.id}`)).body.delivery;
    }
    expect(delivery.status).toBe('sent');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const emails = (await second.delivery!.ses.emails()).filter((e) => e.destination.to.includes('lisbon@example.com'));
    expect(emails).toHaveLength(1);
    expect(emails[0]!.subject).toContain(invoice.number);
  });
});
