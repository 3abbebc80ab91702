/// <reference lib="dom" />
import { rmSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SELLER_ENV, startTestStack, type TestClock, type TestStack, testClock } from '../support/stack.js';
import { launchChromium } from './browser.js';
import { serveDashboard } from './serve.js';
import { audit, buildDashboard } from './support.js';

/**
 * Progressive billing in the dashboard: the plan's thresholds on the plans view, an interim invoice
 * (kind progressive) and the period's invoice with its billed-early credit line.
 */

let stack: TestStack;
let clock: TestClock;
let dashboard: { url: string; close(): Promise<void> };
let chromium: { browser: Browser; close(): Promise<void> };
let context: BrowserContext;
let page: Page;
let outDir: string;

async function ok(method: string, path: string, body?: unknown, status = 201) {
  const response = await stack.call(method, path, body);
  expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBe(status);
  return response.body;
}

async function units(total: number, time: string) {
  clock.set(time);
  const response = await stack.call(
    'POST',
    '/v1/events',
    [
      {
        specversion: '1.0',
        id: `u-${time}`,
        source: 'e2e',
        type: 'work.done',
        subject: 'acme',
        time,
        data: { units: total },
      },
    ],
    { contentType: 'application/cloudevents-batch+json' },
  );
  expect(response.body.accepted, JSON.stringify(response.body)).toBe(1);
}

beforeAll(async () => {
  chromium = await launchChromium();
  outDir = await buildDashboard('dashboard-progressive-');
  clock = testClock('2026-10-01T00:00:00Z');
  stack = await startTestStack({ clock, env: { ...SELLER_ENV, BILLING_GRACE_MINUTES: '0' } });
  await ok('POST', '/v1/meters', {
    key: 'units',
    name: 'Units',
    event_type: 'work.done',
    aggregation: 'sum',
    value_property: 'units',
  });
  await ok('POST', '/v1/plans', {
    key: 'metered',
    name: 'Metered',
    currency: 'USD',
    interval: 'month',
    base_fee: { amount: '31.00', timing: 'in_arrears' },
    charges: [{ meter: 'units', display_name: 'Units', price: { model: 'per_unit', unit_price: '0.0002' } }],
    progressive_billing: { thresholds: [{ amount: '200.00' }] },
  });
  await ok('POST', '/v1/customers', {
    id: 'acme',
    name: 'Acme Co',
    email: 'acme@example.com',
    currency: 'USD',
    timezone: 'UTC',
    address: { line1: '1 Main St', city: 'Austin', country: 'US' },
  });
  await ok('POST', '/v1/subscriptions', {
    id: 'sub-acme',
    customer: 'acme',
    plan: 'metered',
    start_date: '2026-10-01',
  });
  await units(1_000_000, '2026-10-05T00:00:00Z');
  await ok('POST', '/v1/subscriptions/sub-acme/threshold-check', undefined, 200);
  await units(1_000_000, '2026-10-20T00:00:00Z');
  clock.set('2026-11-01T01:00:00Z');
  const run = await ok('POST', '/v1/billing-runs', { as_of: '2026-11-01T01:00:00Z' }, 200);
  expect(run.status, JSON.stringify(run)).toBe('succeeded');
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

async function openInvoice(number: string) {
  await page.goto(`${dashboard.url}/#/invoices`);
  await page.getByRole('heading', { name: 'Invoices', level: 1 }).waitFor();
  await page.getByLabel('Customer id').fill('acme');
  await page.getByRole('button', { name: 'Apply' }).click();
  const row = page.locator(`tbody tr[data-invoice="${number}"]`);
  await row.getByRole('button', { name: `Details of invoice ${number}` }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByTestId('invoice-detail').waitFor();
  return dialog;
}

describe('progressive billing in the dashboard', () => {
  it("shows the plan's threshold", async () => {
    await page.goto(`${dashboard.url}/#/plans`);
    const thresholds = page.getByTestId('plan-thresholds');
    await thresholds.waitFor();
    expect(await thresholds.textContent()).toContain('$200.00');
  });

  it('shows the interim invoice and the credit line of the period invoice', async () => {
    const invoices = (await ok('GET', '/v1/invoices?customer=acme', undefined, 200)).data as any[];
    const interim = invoices.find((i) => i.kind === 'progressive');
    const final = invoices.find((i) => i.kind === 'subscription');
    let dialog = await openInvoice(interim.number);
    expect(await dialog.getByTestId('invoice-detail').textContent()).toContain(
      'interim invoice: usage reached 200.00 USD',
    );
    await page.keyboard.press('Escape');

    dialog = await openInvoice(final.number);
    const credit = dialog.locator('tr[data-kind="progressive_credit"]');
    await credit.waitFor();
    expect(await credit.textContent()).toContain(`Billed earlier this period: ${interim.number}`);
    expect(await credit.textContent()).toContain('billed early');
    expect(await dialog.getByTestId('invoice-total').locator('[data-amount]').first().getAttribute('data-amount')).toBe(
      '231.00',
    );
    await expect.poll(() => page.getByText('Loading…').count()).toBe(0);
    expect(await audit(page)).toEqual([]);
  });
});
