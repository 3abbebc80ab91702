/// <reference lib="dom" />
import { rmSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SELLER_ENV, startTestStack, type TestClock, type TestStack, testClock } from '../support/stack.js';
import { launchChromium } from './browser.js';
import { serveDashboard } from './serve.js';
import { audit, buildDashboard } from './support.js';

/**
 * Usage alerts in the dashboard: the Alerts section and the customer page's card. A refused
 * threshold names the field; an alert is created, fires on "Check now" once its meter's usage
 * reached it (the table shows when it last triggered), and is deleted. Axe audits each state.
 */
let stack: TestStack;
let clock: TestClock;
let dashboard: { url: string; close(): Promise<void> };
let chromium: { browser: Browser; close(): Promise<void> };
let context: BrowserContext;
let page: Page;
let outDir: string;
let seq = 0;

async function ok(method: string, path: string, body?: unknown, status = 201) {
  const response = await stack.call(method, path, body);
  expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBe(status);
  return response.body;
}

async function calls(count: number) {
  const events = Array.from({ length: count }, () => ({
    specversion: '1.0',
    id: `e2e-alert-${seq++}`,
    source: 'test',
    type: 'api.call',
    subject: 'c-alerts',
    time: clock.now.toISOString(),
  }));
  const response = await stack.call('POST', '/v1/events', events, {
    contentType: 'application/cloudevents-batch+json',
  });
  expect(response.body.accepted, JSON.stringify(response.body)).toBe(count);
}

beforeAll(async () => {
  chromium = await launchChromium();
  outDir = await buildDashboard('dashboard-alerts-');
  clock = testClock('2026-10-01T00:00:00Z');
  stack = await startTestStack({ clock, env: { ...SELLER_ENV } });
  dashboard = await serveDashboard(outDir, stack.url);
  await ok('POST', '/v1/meters', { key: 'api', name: 'API calls', event_type: 'api.call', aggregation: 'count' });
  await ok('POST', '/v1/plans', {
    key: 'pro',
    name: 'Pro',
    currency: 'EUR',
    interval: 'month',
    charges: [{ meter: 'api', display_name: 'API calls', price: { model: 'per_unit', unit_price: '0.25' } }],
  });
  await ok('POST', '/v1/customers', {
    id: 'c-alerts',
    name: 'Alert Co',
    email: 'alerts@example.com',
    currency: 'EUR',
    timezone: 'UTC',
  });
  await ok('POST', '/v1/subscriptions', {
    id: 'sub-alerts',
    customer: 'c-alerts',
    plan: 'pro',
    start_date: '2026-10-01',
  });
  clock.set('2026-10-05T10:00:00Z');
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
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

describe('usage alerts in the dashboard', () => {
  it('finds a customer in the Alerts section; a refused threshold names the field', async () => {
    await page.getByRole('link', { name: 'Alerts' }).click();
    await page.getByRole('heading', { name: 'Usage alerts', level: 1 }).waitFor();
    await page.getByLabel('Customer id').fill('c-alerts');
    await page.getByRole('button', { name: 'Show alerts' }).click();
    const card = page.locator('#customer-alerts');
    await card.getByText('No alerts yet.').waitFor();
    const form = page.getByTestId('alert-create-form');
    await form.getByLabel('Meter to watch').selectOption('api');
    await form.getByLabel('Threshold (quantity)').fill('-3');
    await form.getByRole('button', { name: 'Add alert' }).click();
    await expect.poll(() => page.locator('#alert-threshold-error').textContent()).toContain('greater than 0');
    expect(await audit(page)).toEqual([]);
  });

  it('creates an alert, shows when it last triggered after a check, and deletes it', async () => {
    const form = page.getByTestId('alert-create-form');
    await form.getByLabel('Threshold (quantity)').fill('10');
    await form.getByLabel('Name (optional)').fill('API burst');
    await form.getByRole('button', { name: 'Add alert' }).click();
    const table = page.getByTestId('alerts');
    await table.getByRole('cell', { name: /^API burst Usage/ }).waitFor();
    expect(await table.getByTestId('alert-last-triggered').textContent()).toBe('never');
    expect(await table.textContent()).toContain('api ≥ 10');

    await calls(12);
    await page.getByRole('button', { name: 'Check now' }).click();
    await page.getByRole('status').filter({ hasText: 'Checked: 1 alert fired.' }).waitFor();
    await expect.poll(() => table.getByTestId('alert-last-triggered').textContent()).toContain('2026-10-05 10:00 · 12');
    expect(await table.getByTestId('alert-last-triggered').textContent()).toContain('fired 1×');
    expect(await audit(page)).toEqual([]);

    await page.getByRole('button', { name: 'Check now' }).click();
    await page.getByRole('status').filter({ hasText: 'Checked: nothing new fired.' }).waitFor();

    // The customer's own page shows the same card.
    await page.goto(`${dashboard.url}#/customers/c-alerts`);
    await page
      .locator('#customer-alerts')
      .getByRole('cell', { name: /^API burst Usage/ })
      .waitFor();
    page.once('dialog', (dialog) => void dialog.accept());
    await page.locator('#customer-alerts').getByRole('button', { name: 'Delete alert API burst' }).click();
    await page.locator('#customer-alerts').getByText('No alerts yet.').waitFor();
    expect((await ok('GET', '/v1/alerts?customer_id=c-alerts', undefined, 200)).data).toEqual([]);
  });
});
