import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.js';
import { launchChromium } from './browser.js';
import { seedDashboardData } from './seed.js';
import { serveDashboard } from './serve.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
/**
 * Screenshots go to docs/screenshots (committed, shown in the README) only when asked for with
 * UPDATE_SCREENSHOTS=1; otherwise to a temporary folder, so a test run leaves the checkout as it was.
 */
const SCREENSHOTS =
  process.env.UPDATE_SCREENSHOTS === '1'
    ? join(ROOT, 'docs', 'screenshots')
    : mkdtempSync(join(tmpdir(), 'dashboard-shots-'));

let stack: TestStack;
let dashboard: { url: string; close(): Promise<void> };
let chromium: { browser: Browser; close(): Promise<void> };
let context: BrowserContext;
let page: Page;
let outDir: string;
let pinned: Date | undefined;

const formatQuantity = (value: string) =>
  new Intl.NumberFormat('en-US', { maximumFractionDigits: 20 }).format(value as Intl.StringNumericLiteral);
const formatMoney = (value: string, currency: string) =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(value as Intl.StringNumericLiteral);

beforeAll(async () => {
  // Fail first, and clearly, when the browser is missing.
  chromium = await launchChromium();
  outDir = mkdtempSync(join(tmpdir(), 'dashboard-dist-'));
  await build({
    configFile: join(ROOT, 'web', 'vite.config.ts'),
    build: { outDir, emptyOutDir: true },
    logLevel: 'warn',
  });
  stack = await startTestStack({
    clock: () => pinned ?? new Date(),
    env: {
      BILLING_SELLER_NAME: 'Meterly GmbH',
      BILLING_SELLER_COUNTRY: 'DE',
      BILLING_SELLER_ADDRESS: 'Torstr. 1',
      BILLING_SELLER_CITY: 'Berlin',
      BILLING_SELLER_TAX_ID: 'DE123456789',
    },
  });
  await seedDashboardData(stack, (at) => {
    pinned = at;
  });
  dashboard = await serveDashboard(outDir, stack.url);
  context = await chromium.browser.newContext({
    viewport: { width: 1440, height: 1000 },
    locale: 'en-US',
    timezoneId: 'UTC',
  });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
}, 300_000);

afterAll(async () => {
  await context?.close();
  await chromium?.close();
  await dashboard?.close();
  await stack?.stop();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

async function api<T = any>(path: string): Promise<T> {
  const response = await stack.call('GET', path);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body as T;
}

describe('serving the dashboard (local/dashboard.ts)', () => {
  it('serves the app for its own paths, gzipped, and leaves the API paths to the API', async () => {
    const index = await fetch(`${dashboard.url}/customers/acme`, { headers: { 'accept-encoding': 'gzip' } });
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const html = await index.text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    const asset = await fetch(`${dashboard.url}${script}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('content-encoding')).toBe('gzip');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${dashboard.url}/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${dashboard.url}/health`)).headers.get('content-type')).toContain('application/json');
    expect((await fetch(`${dashboard.url}/..%2f..%2fpackage.json`)).status).toBe(404);
  });
});

describe('the dashboard in Chromium', () => {
  it('refuses a wrong key with a visible error and keeps the key out of storage', async () => {
    await page.goto(dashboard.url);
    await page.getByLabel('Admin API key').fill('bk_wrong_key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('not valid');
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
  });

  it('signs in with the admin key (Enter submits) and shows the overview', async () => {
    await page.getByLabel('Admin API key').fill(stack.adminKey);
    await page.getByLabel('Admin API key').press('Enter');
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
    expect(await page.evaluate('localStorage.length')).toBe(0);
    await page.getByTestId('revenue-chart').locator('canvas').waitFor();
    await page.getByTestId('events-chart').locator('canvas').waitFor();
    // The sum about to be billed is the API's exact decimal, formatted.
    const upcoming = await api('/v1/reports/upcoming');
    const eur = upcoming.totals.find((t: any) => t.currency === 'EUR');
    await expect.poll(() => page.locator('#upcoming').textContent()).toContain(formatMoney(eur.total, 'EUR'));
    await page.locator('#top-customers tbody tr').first().waitFor();
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'overview.png'), fullPage: true });
  });

  it('finds a customer and shows a usage chart whose total matches the usage API', async () => {
    await page.getByRole('link', { name: 'Customers' }).click();
    await page.getByLabel('Search customers').fill('acme');
    const rows = page.locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(1);
    await page.getByRole('link', { name: 'Acme Robotics GmbH' }).click();
    await page.getByRole('heading', { name: 'Acme Robotics GmbH', level: 1 }).waitFor();

    for (const granularity of ['Daily', 'Hourly']) {
      const key = granularity === 'Daily' ? 'day' : 'hour';
      await page.getByRole('button', { name: granularity }).click();
      await page.locator(`[data-testid="usage-total"][data-granularity="${key}"]`).waitFor();
      await page.getByTestId('usage-chart').locator('canvas').waitFor();
      const total = page.getByTestId('usage-total');
      const [meter, from, to, points, value, shown] = await Promise.all([
        total.getAttribute('data-meter'),
        total.getAttribute('data-from'),
        total.getAttribute('data-to'),
        total.getAttribute('data-points'),
        total.getAttribute('data-value'),
        total.textContent(),
      ]);
      const query = `meter=${meter}&from=${from}&to=${to}`;
      const usage = await api(`/v1/customers/acme/usage?${query}&granularity=total`);
      expect(usage.series[0].value).toBe(value);
      expect(shown).toBe(formatQuantity(value!));
      const series = await api(`/v1/customers/acme/usage?${query}&granularity=${key}`);
      expect(Number(points)).toBe(series.series.length);
      expect(series.series.length).toBeGreaterThan(0);
    }
    await page.getByRole('button', { name: 'Daily' }).click();
  });

  it('opens the upcoming invoice with its line explanations', async () => {
    const upcoming = await api('/v1/customers/acme/upcoming-invoice');
    const card = page.locator('#upcoming-invoice');
    await expect.poll(() => card.getByTestId('upcoming-total').textContent()).toBe(formatMoney(upcoming.total, 'EUR'));
    const apiLine = upcoming.lines.find((line: any) => line.meter === 'api_calls');
    await card.getByText(apiLine.description, { exact: true }).click();
    await expect.poll(() => card.locator('details[open] .explain li').count()).toBeGreaterThan(0);
    await page.locator('[data-testid="usage-total"][data-granularity="day"]').waitFor();
    await page.getByTestId('usage-chart').locator('canvas').waitFor();
    await page.locator('#customer-invoices li').first().waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'customer.png'), fullPage: true });
  });

  it('simulates a price with the price evaluation API and draws the curve', async () => {
    await page.getByRole('link', { name: 'Plans & meters' }).click();
    await page.getByLabel('Plan', { exact: true }).selectOption('growth');
    await page.getByLabel('Charge').selectOption({ label: 'API calls (graduated)' });
    await page.getByLabel('Quantity').fill('123456.5');
    await page.getByRole('button', { name: 'Simulate' }).click();
    const amount = page.getByTestId('sim-amount');
    await amount.waitFor();
    const plan = await api('/v1/plans/growth');
    const evaluation = await stack.call('POST', '/v1/prices/evaluate', {
      currency: 'EUR',
      price: plan.charges[0].price,
      quantity: '123456.5',
    });
    expect(await amount.getAttribute('data-value')).toBe(evaluation.body.amount);
    expect(await amount.textContent()).toBe(formatMoney(evaluation.body.amount, 'EUR'));
    await page.getByTestId('sim-chart').locator('canvas').waitFor();
  });

  it('marks an invoice paid after a confirmation dialog', async () => {
    await page.getByRole('link', { name: 'Invoices' }).click();
    await page.getByLabel('Status').selectOption('finalized');
    await page.getByLabel('Customer id').fill('globex');
    await page.getByRole('button', { name: 'Apply' }).click();
    const row = page.locator('tbody tr').first();
    await row.waitFor();
    const number = await row.getAttribute('data-invoice');
    await row.getByRole('button', { name: 'Mark paid' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Payment reference').fill('SEPA-2026-0042');
    await dialog.getByRole('button', { name: 'Mark paid' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'marked paid' }).count()).toBe(1);
    const invoices = (await api('/v1/invoices?customer=globex')).data as any[];
    const paid = invoices.find((i) => i.number === number);
    expect(paid.status).toBe('paid');
    expect(paid.payment.reference).toBe('SEPA-2026-0042');
  });

  it('lays out at tablet width', async () => {
    await page.setViewportSize({ width: 820, height: 1100 });
    await page.getByRole('link', { name: 'Overview' }).click();
    await page.getByTestId('revenue-chart').locator('canvas').waitFor();
    await page.locator('#upcoming').waitFor();
    await page.locator('#rejected').waitFor();
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'overview-tablet.png'), fullPage: true });
  });
});
