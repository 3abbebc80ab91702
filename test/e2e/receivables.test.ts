/// <reference lib="dom" />
import { readFileSync, rmSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPayment } from '../../functions/domain/billing/payment.js';
import { Decimal } from '../../functions/domain/decimal.js';
import { SELLER_ENV, startTestStack, type TestClock, type TestStack, testClock } from '../support/stack.js';
import { launchChromium } from './browser.js';
import { serveDashboard } from './serve.js';
import { audit, buildDashboard, formatMoney } from './support.js';

/**
 * The receivables view: October closed on November 1st (issue date 2026-11-01), looked at on December 20th.
 * Late Co (net 14, due Nov 15, partly paid) is 35 days overdue; Early Co (net 60, due Dec 31) is current;
 * Dollar Inc (USD, due on receipt) is 49 days overdue, in its own currency.
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

const invoiceOf = async (customer: string) =>
  (await ok('GET', `/v1/invoices?customer=${customer}`, undefined, 200)).data[0] as any;

beforeAll(async () => {
  chromium = await launchChromium();
  outDir = await buildDashboard('dashboard-receivables-');
  clock = testClock('2026-10-01T00:00:00Z');
  stack = await startTestStack({ clock, env: SELLER_ENV });
  for (const currency of ['EUR', 'USD']) {
    await ok('POST', '/v1/plans', {
      key: `flat-${currency.toLowerCase()}`,
      name: `Flat ${currency}`,
      currency,
      interval: 'month',
      base_fee: { amount: '100.00', timing: 'in_arrears' },
      charges: [],
    });
  }
  for (const [id, name, currency, terms] of [
    ['late', 'Late Co', 'EUR', 14],
    ['early', 'Early Co', 'EUR', 60],
    ['dollar', 'Dollar Inc', 'USD', 0],
  ] as const) {
    await ok('POST', '/v1/customers', {
      id,
      name,
      email: `${id}@example.com`,
      currency,
      timezone: 'UTC',
      // Outside the EU: no VAT, so the totals are the base fee.
      address: { line1: '1 Main St', city: 'Austin', country: 'US' },
      payment_terms_days: terms,
    });
    await ok('POST', '/v1/subscriptions', {
      id: `sub-${id}`,
      customer: id,
      plan: `flat-${currency.toLowerCase()}`,
      start_date: '2026-10-01',
    });
  }
  clock.set('2026-11-01T02:00:00Z');
  const run = await ok('POST', '/v1/billing-runs', { as_of: '2026-11-01T02:00:00Z' }, 200);
  expect(run.status, JSON.stringify(run)).toBe('succeeded');
  const late = await invoiceOf('late');
  expect([late.status, late.amount_due, late.due_date]).toEqual(['finalized', '100.00', '2026-11-15']);
  clock.set('2026-11-20T10:00:00Z');
  await stack.deps.invoices.update(
    late.id,
    (invoice) =>
      applyPayment(invoice, {
        id: 'manual:wire-7',
        source: 'manual',
        method: 'bank_transfer',
        amount: new Decimal('25.50'),
        currency: invoice.currency,
        reference: 'wire-7',
        receivedAt: clock().toISOString(),
      }).invoice,
  );
  clock.set('2026-12-20T12:00:00Z');

  dashboard = await serveDashboard(outDir, stack.url);
  context = await chromium.browser.newContext({
    viewport: { width: 1440, height: 1000 },
    locale: 'en-US',
    timezoneId: 'UTC',
    acceptDownloads: true,
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

const bucket = (currency: string, name: string) =>
  page
    .locator(
      `[data-testid="receivables-currency"][data-currency="${currency}"] li[data-bucket="${name}"] [data-amount]`,
    )
    .getAttribute('data-amount');

describe('the receivables view', () => {
  it('shows the aging buckets per currency, as the API reports them', async () => {
    await page.getByRole('link', { name: 'Receivables' }).click();
    await page.getByRole('heading', { name: 'Receivables', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Outstanding in EUR' }).waitFor();
    expect(await page.getByTestId('receivables-as-of').getAttribute('data-value')).toBe('2026-12-20T12:00:00.000Z');
    const report = await ok('GET', '/v1/reports/receivables', undefined, 200);
    expect(report.currencies.map((c: any) => [c.currency, c.total, c.current, c.days_31_60, c.days_over_90])).toEqual([
      ['EUR', '174.50', '100.00', '74.50', '0.00'],
      ['USD', '100.00', '0.00', '100.00', '0.00'],
    ]);
    expect(await bucket('EUR', 'total')).toBe('174.50');
    expect(await bucket('EUR', 'current')).toBe('100.00');
    expect(await bucket('EUR', 'days_1_30')).toBe('0.00');
    expect(await bucket('EUR', 'days_31_60')).toBe('74.50');
    expect(await bucket('USD', 'days_31_60')).toBe('100.00');
    const eur31To60 = page.locator(
      '[data-testid="receivables-currency"][data-currency="EUR"] li[data-bucket="days_31_60"] .kpi-value',
    );
    expect(await eur31To60.textContent()).toBe(formatMoney('74.50', 'EUR'));
    const customers = page.getByTestId('receivables-customers');
    const lateRow = customers.locator('tr[data-customer="late"][data-currency="EUR"]');
    expect(await lateRow.locator('td[data-bucket="days_31_60"]').textContent()).toBe(formatMoney('74.50', 'EUR'));
    expect(await lateRow.getByRole('link', { name: 'Late Co' }).getAttribute('href')).toBe('#/customers/late');
    expect(await audit(page)).toEqual([]);
  });

  it('lists the overdue invoices, most overdue first, with days overdue and what remains', async () => {
    const late = await invoiceOf('late');
    const dollar = await invoiceOf('dollar');
    const early = await invoiceOf('early');
    const overdue = page.getByTestId('receivables-overdue');
    const ids = () => overdue.locator('tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-id')));
    await expect.poll(ids).toEqual([dollar.id, late.id]);
    expect(await overdue.locator(`tr[data-id="${early.id}"]`).count()).toBe(0);
    const row = overdue.locator(`tr[data-id="${late.id}"]`);
    expect(await row.getByTestId('days-overdue').textContent()).toBe('35');
    expect(await row.getByTestId('amount-remaining').textContent()).toBe(formatMoney('74.50', 'EUR'));
    expect(await row.textContent()).toContain('partially paid');
    expect(await row.textContent()).toContain('31–60 days');
    expect(await overdue.locator(`tr[data-id="${dollar.id}"]`).getByTestId('days-overdue').textContent()).toBe('49');
    // The invoice link opens the invoice's details.
    await row.getByRole('link', { name: `Invoice ${late.number}` }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('heading', { name: `Invoice ${late.number}` }).waitFor();
    expect(await dialog.getByTestId('invoice-detail').getAttribute('data-id')).toBe(late.id);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect(page.url()).toMatch(/#\/invoices$/);
  });

  it('ages as of a chosen day, and downloads the CSV of what it shows', async () => {
    await page.getByRole('link', { name: 'Receivables' }).click();
    await page.getByRole('heading', { name: 'Outstanding in EUR' }).waitFor();
    await page.getByLabel(/As of/).fill('2026-11-15');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => page.getByTestId('receivables-as-of').getAttribute('data-value')).toBe('2026-11-15');
    // Due on the 15th: not overdue on the 15th.
    await expect.poll(() => bucket('EUR', 'current')).toBe('174.50');
    await expect.poll(() => page.getByTestId('receivables-overdue').locator('tbody tr').count()).toBe(1);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('receivables-2026-11-15.csv');
    const csv = readFileSync((await download.path())!, 'utf8');
    const fromApi = await stack.call('GET', '/v1/reports/receivables?format=csv&as_of=2026-11-15');
    expect(csv).toBe(fromApi.body);
    expect(csv.split('\r\n')).toContain('late,Late Co,EUR,1,74.50,74.50,0.00,0.00,0.00,0.00');
    expect(await audit(page)).toEqual([]);
  });

  it('fits tablet and phone widths without scrolling sideways (wide tables scroll in their card)', async () => {
    await page.getByRole('link', { name: 'Receivables' }).click();
    await page.getByTestId('receivables-overdue').waitFor();
    for (const width of [820, 390]) {
      await page.setViewportSize({ width, height: 1000 });
      expect(await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth'), `${width}`).toBe(
        0,
      );
    }
    await page.setViewportSize({ width: 1440, height: 1000 });
  });
});
