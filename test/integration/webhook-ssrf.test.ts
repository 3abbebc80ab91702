import { lookup } from 'node:dns/promises';
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostProblem, isPrivateAddress } from '../../functions/domain/webhook-event.js';
import { eventually } from '../support/eventually.js';
import { startTestStack, type TestStack } from '../support/stack.js';

/**
 * The SSRF guard as deployed (BILLING_WEBHOOK_ALLOW_PRIVATE_URLS off, as in AWS): an endpoint URL
 * must be https and name no localhost or private address; at delivery time the host is resolved and a
 * private address is a failed attempt with its reason (nothing is sent to it).
 */
let stack: TestStack;

/** A host name (not `localhost`) that resolves to loopback or private addresses only: this machine's own name. */
async function privateName(): Promise<{ name: string; addresses: string[] }> {
  for (const name of [hostname(), 'localhost.localdomain', 'ip6-localhost', 'ip6-loopback']) {
    if (hostProblem(name) !== undefined) continue;
    const addresses = await lookup(name, { all: true, verbatim: true })
      .then((found) => found.map((entry) => entry.address))
      .catch(() => []);
    if (addresses.length > 0 && addresses.every(isPrivateAddress)) return { name, addresses };
  }
  throw new Error('this machine has no host name resolving to a private address (the test needs one)');
}

beforeAll(async () => {
  stack = await startTestStack({
    env: { BILLING_WEBHOOK_ALLOW_PRIVATE_URLS: '0', BILLING_WEBHOOK_RETRY_SECONDS: '3600' },
    delivery: { pollIntervalMs: 50, sweepIntervalSeconds: 3600 },
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe('webhook SSRF guard', () => {
  it('refuses endpoint URLs that are not https or name localhost or a private address, naming the field', async () => {
    const before = (await stack.call('GET', '/v1/webhook-endpoints')).body.data;
    for (const [url, message] of [
      ['http://hooks.example.com/x', 'must be https'],
      ['http://127.0.0.1:9/x', 'must be https'],
      ['https://localhost/x', 'must not point at localhost'],
      ['https://127.0.0.1/x', expect.stringContaining('(127.0.0.1)')],
      ['https://2130706433/x', expect.stringContaining('(127.0.0.1)')],
      ['https://10.0.0.8/x', expect.stringContaining('(10.0.0.8)')],
      ['https://172.20.1.1/x', expect.stringContaining('(172.20.1.1)')],
      ['https://192.168.0.10/x', expect.stringContaining('(192.168.0.10)')],
      ['https://169.254.169.254/latest/meta-data/', expect.stringContaining('(169.254.169.254)')],
      ['https://0.0.0.0/x', expect.stringContaining('(0.0.0.0)')],
      ['https://[::1]/x', expect.stringContaining('(::1)')],
      ['https://[fd00:ec2::254]/x', expect.stringContaining('(fd00:ec2::254)')],
      ['https://[fe80::1]/x', expect.stringContaining('(fe80::1)')],
      ['https://[::ffff:10.0.0.1]/x', expect.stringContaining('(::ffff:a00:1)')],
    ] as const) {
      const response = await stack.call('POST', '/v1/webhook-endpoints', { url, events: ['*'] });
      expect(response.status, url).toBe(400);
      expect(response.body.error.details, url).toEqual([{ path: '/url', message }]);
    }
    expect((await stack.call('GET', '/v1/webhook-endpoints')).body.data).toEqual(before);
    const good = await stack.call('POST', '/v1/webhook-endpoints', {
      url: 'https://hooks.example.com/x',
      events: ['invoice.paid'],
    });
    expect(good.status).toBe(201);
    await stack.call('DELETE', `/v1/webhook-endpoints/${good.body.id}`);
  });

  it('refuses to deliver to a host that resolves to a private address: a failed attempt naming it, nothing sent', async () => {
    const { name, addresses } = await privateName();
    // The name passes the rule at creation (only delivery can tell where it points).
    const created = await stack.call('POST', '/v1/webhook-endpoints', {
      url: `https://${name}:9/hook`,
      events: ['customer.created'],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const customer = await stack.call('POST', '/v1/customers', {
      id: 'c-ssrf',
      name: 'SSRF',
      email: 'ssrf@example.com',
      currency: 'EUR',
    });
    expect(customer.status, JSON.stringify(customer.body)).toBe(201);
    const failed = await eventually('the refused attempt', async () => {
      const log = (await stack.call('GET', `/v1/webhook-endpoints/${created.body.id}/deliveries`)).body.data;
      return log.find((d: any) => d.attempts.length > 0);
    });
    expect(failed.status).toBe('failed');
    expect(failed.attempts).toHaveLength(1);
    expect(failed.attempts[0].status_code).toBeUndefined();
    expect(failed.attempts[0].error).toBe(
      `refused: ${name} resolves to a loopback, private or link-local address (${addresses.join(', ')})`,
    );
    // The next attempt waits for the schedule (an hour here), not for the queue's retry.
    expect(failed.next_attempt_at).toBeDefined();
  });

  it('refuses at delivery an endpoint stored before the rule (a private literal)', async () => {
    const endpoint = await stack.deps.webhooks.createEndpoint({ url: 'http://127.0.0.1:9/old', events: ['*'] });
    const customer = await stack.call('POST', '/v1/customers', {
      id: 'c-ssrf-old',
      name: 'Old',
      email: 'old@example.com',
      currency: 'EUR',
    });
    expect(customer.status, JSON.stringify(customer.body)).toBe(201);
    const failed = await eventually('the refused attempt', async () => {
      const log = (await stack.call('GET', `/v1/webhook-endpoints/${endpoint.id}/deliveries`)).body.data;
      return log.find((d: any) => d.attempts.length > 0);
    });
    expect(failed.attempts[0].error).toBe('refused: the URL must be https');
  });
});
