/// <reference lib="dom" />
import { rmSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SELLER_ENV, startTestStack, type TestClock, type TestStack, testClock } from '../support/stack.js';
import { launchChromium } from './browser.js';
import { serveDashboard } from './serve.js';
import { audit, buildDashboard } from './support.js';

/**
 * Dunning in the dashboard: an overdue invoice's recorded steps in its details, and the customer page's
 * suspension notice (lifted with its button) and dunning settings. October is closed on November 1st
 * (due November 15th, UTC); dunning runs through the API with the test clock moved on.
 */

let stack: TestStack;
let clock: TestClock;
let dashboard: { url: string; close(): Promise<void> };
let chromium: { browser: Browser; close(): Promise<void> };
let context: BrowserContext;
let page: Page;
let outDir: string;
let invoice: any;

async function ok(method: string, path: string, body?: unknown, status = 201) {
  const response = await stack.call(method, path, body);
  expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBe(status);
  return response.body;
}

beforeAll(async () => {
  chromium = await launchChromium();
  outDir = await buildDashboard('dashboard-dunning-');
  clock = testClock('2026-10-01T00:00:00Z');
  stack = await startTestStack({ clock, env: { ...SELLER_ENV, BILLING_GRACE_MINUTES: '0' } });
  await ok('POST', '/v1/meters', { key: 'units', name: 'Units', event_type: 'unit.used', aggregation: 'count' });
  await ok('POST', '/v1/plans', {
    key: 'basic',
    name: 'Basic',
    currency: 'USD',
    interval: 'month',
    base_fee: { amount: '10.00', timing: 'in_arrears' },
    charges: [{ meter: 'units', display_name: 'Units', price: { model: 'per_unit', unit_price: '1' } }],
  });
  await ok('POST', '/v1/customers', {
    id: 'late',
    name: 'Late Co',
    email: 'late@example.com',
    currency: 'USD',
    timezone: 'UTC',
    address: { line1: '1 Main St', city: 'Austin', country: 'US' },
    dunning: {
      schedule: [
        { after_days: 3, action: 'reminder' },
        { after_days: 5, action: 'retry' },
        { after_days: 10, action: 'suspend' },
      ],
    },
  });
  await ok('POST', '/v1/subscriptions', { id: 'sub-late', customer: 'late', plan: 'basic', start_date: '2026-10-01' });
  clock.set('2026-11-01T01:00:00Z');
  const run = await ok('POST', '/v1/billing-runs', { as_of: '2026-11-01T01:00:00Z' }, 200);
  expect(run.status, JSON.stringify(run)).toBe('succeeded');
  [invoice] = (await ok('GET', '/v1/invoices?customer=late', undefined, 200)).data;
  for (const day of ['2026-11-18T09:00:00Z', '2026-11-20T09:00:00Z', '2026-11-25T09:00:00Z']) {
    clock.set(day);
    await ok('POST', '/v1/dunning/runs', undefined, 200);
  }
  dashboard = await serveDashboard(outDir, stack.url);
  context = await chromium.browser.newContext({
    viewport: { width: 1440, height: 1000 },
    locale: 'en-US',
    timezoneId: 'UTC',
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

describe('dunning in the dashboard', () => {
  it('lists the dunning steps in the invoice details', async () => {
    await page.goto(`${dashboard.url}/#/invoices`);
    await page.getByRole('heading', { name: 'Invoices', level: 1 }).waitFor();
    const row = page.locator(`tbody tr[data-id="${invoice.id}"]`);
    await row.getByRole('button', { name: `Details of invoice ${invoice.number}` }).click();
    const dialog = page.getByRole('dialog');
    const steps = dialog.getByTestId('invoice-dunning');
    await steps.waitFor();
    const rows = steps.locator('tbody tr');
    expect(await rows.count()).toBe(3);
    expect(
      await rows.evaluateAll((trs) =>
        trs.map((tr) => [tr.getAttribute('data-action'), tr.getAttribute('data-status')]),
      ),
    ).toEqual([
      ['reminder', 'done'],
      ['retry', 'skipped'],
      ['suspend', 'done'],
    ]);
    expect(await rows.nth(1).textContent()).toContain('no payment provider');
    expect(await rows.nth(0).textContent()).toContain('Reminder email');
    expect(await audit(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);
  });

  it('marks the customer suspended in the list, shows the suspension on its page and lifts it with Unsuspend', async () => {
    await page.goto(`${dashboard.url}/#/customers`);
    await page.getByTestId('suspended-late').waitFor();
    await page.goto(`${dashboard.url}/#/customers/late`);
    await page.getByRole('heading', { name: 'Late Co', level: 1 }).waitFor();
    const notice = page.getByTestId('customer-suspended');
    await notice.waitFor();
    expect(await notice.textContent()).toContain('Suspended since Nov 25, 2026');
    expect(await notice.textContent()).toContain(invoice.id);
    expect(await page.getByTestId('customer-dunning-schedule').textContent()).toBe(
      'reminder:3, retry:5, suspend:10 (own schedule)',
    );
    expect(await audit(page)).toEqual([]);
    await notice.getByRole('button', { name: 'Unsuspend' }).click();
    await expect.poll(() => notice.isVisible()).toBe(false);
    expect((await ok('GET', '/v1/customers/late', undefined, 200)).suspended).toBeUndefined();
  });

  it('changes the dunning settings and goes back to the default', async () => {
    await page.getByLabel('Own schedule (empty: the default)').fill('reminder:7, notify:14');
    await page.getByRole('button', { name: 'Save dunning' }).click();
    const schedule = page.getByTestId('customer-dunning-schedule');
    await expect.poll(() => schedule.textContent()).toBe('reminder:7, notify:14 (own schedule)');
    await page.getByRole('button', { name: 'Use the default' }).click();
    await expect
      .poll(() => schedule.textContent())
      .toBe('reminder:3, retry:5, reminder:10, reminder:20, notify:30 (default schedule)');
    expect(await audit(page)).toEqual([]);
  });
});
