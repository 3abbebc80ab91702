/// <reference lib="dom" />
import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SELLER_ENV, startTestStack, type TestStack, testClock } from '../support/stack.js';
import { launchChromium } from './browser.js';
import { serveDashboard } from './serve.js';
import { audit, buildDashboard } from './support.js';

/**
 * Webhooks in the dashboard: an endpoint created (its secret shown once), its delivery log with a dead
 * delivery retried once the receiver recovers, and the endpoint deleted. Axe audits each state.
 */
let stack: TestStack;
let dashboard: { url: string; close(): Promise<void> };
let chromium: { browser: Browser; close(): Promise<void> };
let context: BrowserContext;
let page: Page;
let outDir: string;
let receiver: Server;
let url: string;
let receiverUp = false;
const hits: string[] = [];

async function ok(method: string, path: string, body?: unknown, status = 201) {
  const response = await stack.call(method, path, body);
  expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBe(status);
  return response.body;
}

beforeAll(async () => {
  receiver = createServer((request, response) => {
    hits.push(String(request.headers['webhook-id']));
    request.resume();
    request.on('end', () => response.writeHead(receiverUp ? 204 : 503).end());
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  chromium = await launchChromium();
  outDir = await buildDashboard('dashboard-webhooks-');
  stack = await startTestStack({
    clock: testClock('2026-10-01T00:00:00Z'),
    env: { ...SELLER_ENV, BILLING_WEBHOOK_RETRY_SECONDS: '0' },
    delivery: { pollIntervalMs: 50, sweepIntervalSeconds: 1 },
  });
  dashboard = await serveDashboard(outDir, stack.url);
  context = await chromium.browser.newContext({
    viewport: { width: 1440, height: 1000 },
    locale: 'en-US',
    timezoneId: 'UTC',
    // The audit injects axe-core, which the dashboard's CSP would refuse.
    bypassCSP: true,
  });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(dashboard.url);
  await page.getByLabel('Admin API key').fill(stack.adminKey);
  await page.getByLabel('Admin API key').press('Enter');
  await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
}, 300_000);

afterAll(async () => {
  await context?.close();
  await chromium?.close();
  await dashboard?.close();
  await stack?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

describe('webhooks in the dashboard', () => {
  it('creates an endpoint and shows its secret once; a refused URL names the field', async () => {
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();
    const form = page.getByTestId('webhook-create-form');
    await form.getByLabel('URL').fill('http://hooks.example.com/x');
    await form.getByRole('button', { name: 'Add endpoint' }).click();
    await expect.poll(() => page.locator('#webhook-url-error').textContent()).toContain('https');
    expect(await audit(page)).toEqual([]);

    await form.getByLabel('URL').fill(url);
    await form.getByLabel('Events').fill('customer.created');
    await form.getByLabel('Description (optional)').fill('Receiver');
    await form.getByRole('button', { name: 'Add endpoint' }).click();
    const dialog = page.getByRole('dialog', { name: 'Signing secret' });
    const secret = await dialog.getByTestId('webhook-secret').textContent();
    expect(secret).toMatch(/^whsec_/);
    await dialog.getByRole('button', { name: 'Copy secret' }).waitFor();
    expect(await audit(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await page.getByTestId('webhook-endpoints').locator('strong', { hasText: url }).waitFor();
    expect(await page.getByTestId('webhook-endpoints').textContent()).not.toContain('whsec_');
  });

  it('shows a dead delivery in the log and retries it', async () => {
    const [endpoint] = (await ok('GET', '/v1/webhook-endpoints', undefined, 200)).data;
    await ok('POST', '/v1/customers', {
      id: 'c-web',
      name: 'Web Co',
      email: 'web@example.com',
      currency: 'EUR',
      timezone: 'UTC',
      tax_rate: '19',
    });
    await expect
      .poll(
        async () =>
          (await ok('GET', `/v1/webhook-endpoints/${endpoint.id}/deliveries`, undefined, 200)).data[0]?.status,
        {
          timeout: 30_000,
        },
      )
      .toBe('dead');
    await page.getByRole('button', { name: `Deliveries of ${url}` }).click();
    const log = page.getByTestId('webhook-deliveries');
    await log.locator('tr[data-status="dead"]').waitFor();
    expect(await log.textContent()).toContain('customer.created');
    expect(await log.textContent()).toContain('503');
    expect(await audit(page)).toEqual([]);
    receiverUp = true;
    await log.getByRole('button', { name: /^Retry/ }).click();
    await page.getByRole('status').getByText('Retrying customer.created').waitFor();
    await expect
      .poll(
        async () =>
          (await ok('GET', `/v1/webhook-endpoints/${endpoint.id}/deliveries`, undefined, 200)).data[0]?.status,
        {
          timeout: 30_000,
        },
      )
      .toBe('delivered');
    expect(new Set(hits).size).toBe(1);
  });

  it('deletes an endpoint', async () => {
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: `Delete ${url}` }).click();
    await page.getByText('No webhook endpoints yet.').waitFor();
    expect((await ok('GET', '/v1/webhook-endpoints', undefined, 200)).data).toEqual([]);
    expect(await audit(page)).toEqual([]);
  });
});
