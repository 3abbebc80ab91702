import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.js';
import { launchChromium } from './browser.js';
import { seedDashboardData } from './seed.js';
import { serveDashboard } from './serve.js';
import { buildDashboard, formatMoney } from './support.js';

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

/** Starts a refresh of the estimates and waits until it is stored, so no background refresh runs during the tests. */
async function settleEstimates() {
  const started = await stack.call('POST', '/v1/reports/upcoming/refresh');
  expect(started.status).toBe(202);
  const deadline = Date.now() + 60_000;
  const asOf = async () => (await stack.call('GET', '/v1/reports/upcoming')).body.as_of as string;
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  // Done when the snapshot is newer than before and stays put for 2 s (a refresh here takes well under 1 s).
  for (let last = started.body.as_of, current = await asOf(); ; last = current, current = await asOf()) {
    if (current !== started.body.as_of && current === last) return;
    if (Date.now() > deadline) throw new Error('the estimates refresh did not finish within a minute');
    await pause(2000);
  }
}

beforeAll(async () => {
  // Fail first, and clearly, when the browser is missing.
  chromium = await launchChromium();
  outDir = await buildDashboard('dashboard-dist-');
  stack = await startTestStack({
    // As under `npm start`: estimates refreshed in the background (after each run, and on request with 202).
    estimatesIntervalSeconds: 3600,
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
  await settleEstimates();
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

/** An instant as the dashboard shows it (format.ts `date(iso, { time: true })`), formatted by the page's own Intl. */
const shownTime = (iso: string) =>
  page.evaluate<string>(
    `new Intl.DateTimeFormat(navigator.language, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' }).format(new Date(${JSON.stringify(iso)}))`,
  );

/** The UTC day (yyyy-mm-dd) of an instant. */
const utcDay = (date: Date) => date.toISOString().slice(0, 10);

/** The instant `day` starts in `timeZone`: the UTC midnight moved by the one whole-hour offset that lands on local 00:00 that day. */
function zonedMidnight(day: string, timeZone: string): string {
  const local = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  for (let hours = -14; hours <= 14; hours++) {
    const instant = new Date(Date.parse(`${day}T00:00:00Z`) - hours * 3_600_000);
    if (local.format(instant) === `${day}, 00:00`) return instant.toISOString();
  }
  throw new Error(`no midnight found for ${day} in ${timeZone}`);
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

  it('lists each customer with the usage and estimated bill of the latest estimates refresh', async () => {
    await page.getByRole('link', { name: 'Customers' }).click();
    await page.getByRole('heading', { name: 'Customers', level: 1 }).waitFor();
    // The overview's upcoming report above rated the estimates (the test stack has no schedule).
    const list = await api('/v1/customers?limit=1000&include=estimate');
    expect(list.estimates_as_of).toEqual(expect.any(String));
    const meters = new Map<string, string>((await api('/v1/meters')).data.map((m: any) => [m.key, m.name]));
    const acme = list.data.find((c: any) => c.id === 'acme');
    expect(acme.estimate).not.toBeNull();
    expect(acme.estimate.usage.length).toBeGreaterThan(0);
    const bill = page.getByTestId('estimate-acme');
    await bill.locator('[data-amount]').waitFor();
    expect(await bill.getAttribute('data-value')).toBe(acme.estimate.total);
    expect(await bill.textContent()).toBe(formatMoney(acme.estimate.total, acme.estimate.currency));
    for (const usage of acme.estimate.usage) {
      const line = page.getByTestId('usage-acme').locator(`li[data-meter="${usage.meter}"]`);
      expect(await line.getAttribute('data-value')).toBe(usage.quantity);
      await expect.poll(() => line.textContent()).toBe(`${meters.get(usage.meter)}: ${formatQuantity(usage.quantity)}`);
    }
    // Every customer's bill is the API's, or a dash without an estimate.
    for (const customer of list.data) {
      expect(await page.getByTestId(`estimate-${customer.id}`).getAttribute('data-value')).toBe(
        customer.estimate?.total ?? '',
      );
    }
    const asOf = page.getByTestId('estimates-as-of');
    expect(await asOf.getAttribute('data-value')).toBe(list.estimates_as_of);
    expect(await asOf.textContent()).toContain(`Estimates as of ${await shownTime(list.estimates_as_of)}`);
    await page.screenshot({ path: join(SCREENSHOTS, 'customers.png'), fullPage: true });
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

  it('splits a meter by a dimension into stacked bars with the exact total of each value', async () => {
    await page.getByLabel('Meter', { exact: true }).selectOption({ label: 'LLM tokens' });
    await page.getByLabel('Range', { exact: true }).selectOption('30d');
    await page.getByLabel('Split by').selectOption('model');
    const total = page.locator('[data-testid="usage-total"][data-meter="tokens"][data-split="model"]');
    await total.waitFor();
    const chart = page.getByTestId('usage-chart');
    await chart.locator('canvas').waitFor();
    const [from, to, points, value] = await Promise.all([
      total.getAttribute('data-from'),
      total.getAttribute('data-to'),
      total.getAttribute('data-points'),
      total.getAttribute('data-value'),
    ]);
    const query = `meter=tokens&from=${from}&to=${to}`;
    const byModel = await api(`/v1/customers/acme/usage?${query}&granularity=total&group_by=model`);
    const expected = byModel.series.map((p: any) => [p.dimensions.model, p.value]).sort();
    expect(expected.map(([model]: string[]) => model)).toEqual(['large', 'small']);
    // The legend lists each model with the API's exact total, formatted.
    const rows = await page
      .getByTestId('split-legend')
      .locator('tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => ({
          model: tr.getAttribute('data-value'),
          total: tr.getAttribute('data-total'),
          shown: tr.querySelector('td')?.textContent,
          color: (globalThis as any).getComputedStyle(tr.querySelector('.dot')!).backgroundColor,
        })),
      );
    expect(rows.map((r) => [r.model, r.total]).sort()).toEqual(expected);
    for (const row of rows) expect(row.shown).toBe(formatQuantity(row.total!));
    // A sum meter: the parts add up to the unsplit total (integers here: exact with BigInt).
    expect(rows.reduce((sum, row) => sum + BigInt(row.total!), 0n)).toBe(BigInt(value!));
    // Stacked: one series per model, each drawn (its colour is on the canvas), from the API's grouped series.
    expect(await chart.getAttribute('data-stacked')).toBe('true');
    expect(await chart.getAttribute('data-series')).toBe('2');
    const daily = await api(`/v1/customers/acme/usage?${query}&granularity=day&group_by=model`);
    expect(Number(points)).toBe(daily.series.length);
    expect(new Set(rows.map((r) => r.color)).size).toBe(2);
    const drawn = await chart.locator('canvas').evaluate(
      (canvas: any, colors: string[]) => {
        const { width, height } = canvas;
        const pixels = canvas.getContext('2d').getImageData(0, 0, width, height).data;
        return colors.map((color) => {
          const [r, g, b] = color.match(/\d+/g)!.map(Number);
          let count = 0;
          for (let i = 0; i < pixels.length; i += 4)
            if (pixels[i] === r && pixels[i + 1] === g && pixels[i + 2] === b && pixels[i + 3] === 255) count++;
          return count;
        });
      },
      rows.map((r) => r.color),
    );
    for (const count of drawn) expect(count).toBeGreaterThan(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'customer-split.png'), fullPage: true });
  });

  it("shows usage for a custom range of the customer's days", async () => {
    const now = new Date();
    const first = utcDay(new Date(now.getTime() - 12 * 86_400_000));
    const last = utcDay(new Date(now.getTime() - 5 * 86_400_000));
    await page.getByLabel('Split by').selectOption('');
    await page.getByLabel('Range', { exact: true }).selectOption('custom');
    await page.getByLabel('From (Europe/Berlin)').fill(first);
    await page.getByLabel('Through (Europe/Berlin)').fill(last);
    const from = zonedMidnight(first, 'Europe/Berlin');
    const dayAfter = utcDay(new Date(Date.parse(`${last}T00:00:00Z`) + 86_400_000));
    const to = zonedMidnight(dayAfter, 'Europe/Berlin');
    const total = page.locator(`[data-testid="usage-total"][data-split=""][data-from="${from}"][data-to="${to}"]`);
    await total.waitFor();
    const usage = await api(`/v1/customers/acme/usage?meter=tokens&from=${from}&to=${to}&granularity=total`);
    expect(await total.getAttribute('data-value')).toBe(usage.series[0].value);
    expect(await total.textContent()).toBe(formatQuantity(usage.series[0].value));
    expect(await page.getByTestId('usage-chart').getAttribute('data-stacked')).toBeNull();
    // The last day before the first: said, and nothing asked of the API.
    await page.getByLabel('From (Europe/Berlin)').fill(dayAfter);
    await expect.poll(() => page.locator('#usage').getByRole('alert').textContent()).toContain('must not be before');
    await page.getByLabel('Range', { exact: true }).selectOption('period');
  });

  it('shows the revenue and the ingestion charts for the range picked', async () => {
    await page.getByRole('link', { name: 'Overview' }).click();
    // This year: the UTC months from January through this one.
    await page.getByLabel('Revenue range').selectOption({ label: 'This year' });
    const now = new Date();
    const from = new Date(Date.UTC(now.getUTCFullYear(), 0, 1)).toISOString();
    const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString();
    const revenue = await api(`/v1/reports/revenue?from=${from}&to=${to}&group_by=month`);
    const eur = revenue.totals.find((t: any) => t.currency === 'EUR');
    if (eur) {
      const total = page.locator('[data-testid="revenue-total"][data-range="this-year"]');
      await total.waitFor();
      expect(await total.getAttribute('data-value')).toBe(eur.total);
      expect(await total.textContent()).toBe(formatMoney(eur.total, 'EUR'));
    } else {
      // The first hours of a year, before its first billing run.
      await expect.poll(() => page.locator('#revenue').textContent()).toContain('No invoices issued in this range');
    }
    await expect.poll(() => page.locator('#top-customers h2').textContent()).toBe('Top customers, this year');
    // The last 7 UTC days of ingestion statistics.
    await page.getByLabel('Events range').selectOption({ label: 'Last 7 days' });
    const totals = page.locator('[data-testid="events-totals"][data-days="7"]');
    await totals.waitFor();
    const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
    const week = await api(
      `/v1/reports/ingestion?from=${new Date(today - 6 * 86_400_000).toISOString()}&to=${new Date(today + 86_400_000).toISOString()}`,
    );
    expect(week.days.length).toBe(7);
    expect(Number(await totals.locator('strong').first().getAttribute('data-value'))).toBe(week.totals.accepted);
    expect(await page.locator('#rejected h2').textContent()).toBe('Rejected by code, last 7 days');
    await page.getByTestId('events-chart').locator('canvas').waitFor();
    await page.getByLabel('Revenue range').selectOption({ label: 'Last 12 months' });
    await page.getByLabel('Events range').selectOption({ label: 'Last 30 days' });
  });

  it('refreshes the estimates on request and shows when they were rated', async () => {
    await page.getByRole('link', { name: 'Overview' }).click();
    const asOf = page.getByTestId('upcoming-as-of');
    await asOf.waitFor();
    const before = await asOf.getAttribute('data-value');
    expect(before).toBe((await api('/v1/reports/upcoming?top=5')).as_of);
    expect(await asOf.textContent()).toBe(await shownTime(before!));
    await page.getByRole('button', { name: 'Refresh estimates' }).click();
    // The page looks for the finished refresh once a second: longer than expect.poll's default 1 s.
    await expect.poll(() => asOf.getAttribute('data-value'), { timeout: 15_000 }).not.toBe(before);
    const after = (await asOf.getAttribute('data-value'))!;
    expect(Date.parse(after)).toBeGreaterThan(Date.parse(before!));
    expect(await asOf.textContent()).toBe(await shownTime(after));
    // The refresh was stored: the report and the customer list read it now.
    const report = await api('/v1/reports/upcoming?top=5');
    expect(report.as_of).toBe(after);
    const eur = report.totals.find((t: any) => t.currency === 'EUR');
    expect(await page.locator('#upcoming').textContent()).toContain(formatMoney(eur.total, 'EUR'));
    expect(await page.getByRole('button', { name: 'Refresh estimates' }).isEnabled()).toBe(true);
    await page.getByRole('link', { name: 'Customers' }).click();
    await expect.poll(() => page.getByTestId('estimates-as-of').getAttribute('data-value')).toBe(after);
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

  it('simulates a matrix charge by dimension value and a percentage charge over per-event amounts', async () => {
    const amount = page.getByTestId('sim-amount');
    const simulate = page.getByRole('button', { name: 'Simulate' });
    // Matrix: a value of its entries, then a value no entry matches (the default price).
    await page.getByLabel('Plan', { exact: true }).selectOption('usage-mix');
    await page.getByLabel('Charge', { exact: true }).selectOption({ label: 'Tokens by model (matrix)' });
    const model = page.getByTestId('sim-dimension-model');
    expect(await model.locator('option').allTextContents()).toEqual(['small', 'large', '(other value)']);
    await model.selectOption('small');
    await page.getByLabel('Quantity', { exact: true }).fill('250000');
    await simulate.click();
    const mix = await api('/v1/plans/usage-mix');
    const evaluate = async (currency: string, price: unknown, input: Record<string, unknown>) => {
      const response = await stack.call('POST', '/v1/prices/evaluate', { currency, price, ...input });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return response.body;
    };
    const small = await evaluate('EUR', mix.charges[0].price, {
      usage: [{ dimensions: { model: 'small' }, quantity: '250000' }],
    });
    await amount.waitFor();
    await expect.poll(() => amount.getAttribute('data-value'), { timeout: 15_000 }).toBe(small.amount);
    expect(await amount.textContent()).toBe(formatMoney(small.amount, 'EUR'));
    await model.selectOption({ label: '(other value)' });
    const other = await model.inputValue();
    expect(['small', 'large']).not.toContain(other);
    await simulate.click();
    const fallback = await evaluate('EUR', mix.charges[0].price, {
      usage: [{ dimensions: { model: other }, quantity: '250000' }],
    });
    expect(fallback.lines[0].description).toContain('(default price)');
    expect(fallback.amount).not.toBe(small.amount);
    await expect.poll(() => amount.getAttribute('data-value'), { timeout: 15_000 }).toBe(fallback.amount);
    expect(await amount.textContent()).toBe(formatMoney(fallback.amount, 'EUR'));
    expect(await page.locator('#simulator .explain').first().textContent()).toContain('(default price)');
    await page.getByTestId('sim-chart').locator('canvas').waitFor();

    // Percentage: N events of an amount each; the number of events is checked before anything is sent.
    await page.getByLabel('Plan', { exact: true }).selectOption('payments');
    await page.getByLabel('Charge', { exact: true }).selectOption({ label: 'Card payments (percentage)' });
    await page.getByLabel('Amount per event (USD)').fill('49.90');
    const events = page.getByLabel('Events', { exact: true });
    await events.fill('0');
    await expect.poll(() => page.getByTestId('sim-events-error').textContent()).toContain('Events:');
    expect(await events.getAttribute('aria-invalid')).toBe('true');
    expect(await simulate.isDisabled()).toBe(true);
    await events.fill('12');
    await page.getByTestId('sim-events-error').waitFor({ state: 'detached' });
    await simulate.click();
    const payments = await api('/v1/plans/payments');
    const percentage = await evaluate('USD', payments.charges[0].price, { events: Array(12).fill('49.90') });
    await amount.waitFor();
    await expect.poll(() => amount.getAttribute('data-value'), { timeout: 15_000 }).toBe(percentage.amount);
    expect(await amount.textContent()).toBe(formatMoney(percentage.amount, 'USD'));
    const chart = page.getByTestId('sim-chart');
    await chart.locator('canvas').waitFor();
    expect(await chart.getAttribute('aria-label')).toContain('against the amount per event, 12 events');
  });

  it('simulates a time-of-use charge at a local time in a time zone and names the band', async () => {
    const simulate = page.getByRole('button', { name: 'Simulate' });
    await page.getByLabel('Plan', { exact: true }).selectOption('usage-mix');
    await page.getByLabel('Charge', { exact: true }).selectOption({ label: 'API calls by time of day (time of use)' });
    const zone = page.getByLabel('Time zone', { exact: true });
    // The browser's zone by default (this context runs in UTC); an unknown one is refused before sending.
    expect(await zone.inputValue()).toBe('UTC');
    await zone.fill('Mars/Olympus_Mons');
    await expect.poll(() => page.getByTestId('sim-zone-error').textContent()).toContain('Time zone:');
    expect(await simulate.isDisabled()).toBe(true);
    await zone.fill('Europe/Berlin');
    await page.getByTestId('sim-zone-error').waitFor({ state: 'detached' });
    // Tuesday 17:30 in Berlin (CET, UTC+1): the weekday peak band.
    await page.getByLabel('When (time zone: Europe/Berlin)').fill('2026-03-03T17:30');
    await page.getByLabel('Quantity', { exact: true }).fill('5000');
    await simulate.click();
    const instant = '2026-03-03T16:30:00Z';
    const time = page.getByTestId('sim-time');
    await time.waitFor();
    expect(await time.getAttribute('data-value')).toBe(instant);
    const mix = await api('/v1/plans/usage-mix');
    const evaluation = await stack.call('POST', '/v1/prices/evaluate', {
      currency: 'EUR',
      price: mix.charges[1].price,
      usage: [{ time: instant, quantity: '5000', dimensions: {} }],
      timezone: 'Europe/Berlin',
    });
    expect(evaluation.status).toBe(200);
    expect(evaluation.body.lines[0].band).toBe('peak');
    const amount = page.getByTestId('sim-amount');
    expect(await amount.getAttribute('data-value')).toBe(evaluation.body.amount);
    expect(await amount.textContent()).toBe(formatMoney(evaluation.body.amount, 'EUR'));
    const band = page.getByTestId('sim-band');
    expect(await band.getAttribute('data-value')).toBe('peak');
    expect(await band.textContent()).toBe('Time band: peak');
    await page.getByTestId('sim-chart').locator('canvas').waitFor();
    // At tablet width the simulator's controls wrap: nothing overflows.
    await page.setViewportSize({ width: 820, height: 1100 });
    await expect
      .poll(() => page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth'))
      .toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1440, height: 1000 });
  });

  it('names a time-weighted meter with what it is priced on, in the meters table and the simulator', async () => {
    const meter = await stack.call('POST', '/v1/meters', {
      key: 'disk',
      name: 'Disk',
      event_type: 'disk.changed',
      aggregation: 'weighted_sum',
      value_property: 'gb',
      per: 'hour',
    });
    expect(meter.status).toBe(201);
    const plan = await stack.call('POST', '/v1/plans', {
      key: 'disk',
      name: 'Disk',
      currency: 'EUR',
      interval: 'month',
      charges: [{ meter: 'disk', price: { model: 'per_unit', unit_price: '0.0001' } }],
    });
    expect(plan.status).toBe(201);
    // Away and back: the page reads plans and meters again.
    await page.getByRole('link', { name: 'Customers' }).click();
    await page.getByRole('link', { name: 'Plans & meters' }).click();
    const row = page.locator('#meters tr', { hasText: 'disk.changed' });
    await expect.poll(() => row.textContent()).toContain('time-weighted sum, per hour');
    await page.getByLabel('Plan', { exact: true }).selectOption('disk');
    await expect
      .poll(() => page.locator('#sim-quantity-hint').textContent())
      .toContain('Meter Disk is time-weighted: its quantity is the level integrated over time in hours');
  });

  it('marks an invoice paid after a confirmation dialog', async () => {
    await page.getByRole('link', { name: 'Invoices' }).click();
    await page.getByLabel('Status').selectOption('finalized');
    await page.getByLabel('Customer id').fill('globex');
    const globexFinalized = ((await api('/v1/invoices?customer=globex&status=finalized')).data as any[]).map(
      (i) => i.number,
    );
    await page.getByRole('button', { name: 'Apply' }).click();
    const row = page.locator('tbody tr').first();
    // The filtered list replaces the previous one: wait for it, not for whatever row was there.
    await expect.poll(() => row.getAttribute('data-invoice')).toBeOneOf(globexFinalized);
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

  it('filters invoices by the UTC days they were issued and exports the same selection as CSV', async () => {
    await page.getByLabel('Status').selectOption('');
    await page.getByLabel('Customer id').fill('');
    // Last month, in UTC days: the invoices of its first-day billing run, none of this month's.
    const now = new Date();
    const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
    const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    await page.getByLabel('Issued from (UTC)').fill(utcDay(first));
    await page.getByLabel('Issued through (UTC)').fill(utcDay(new Date(next.getTime() - 86_400_000)));
    await page.getByRole('button', { name: 'Apply' }).click();
    const [from, to] = [first.toISOString(), next.toISOString()];
    await page.locator(`[data-testid="invoice-period"][data-from="${from}"][data-to="${to}"]`).waitFor();
    const expected = (await api(`/v1/invoices?from=${from}&to=${to}`)).data as any[];
    expect(expected.length).toBeGreaterThan(0);
    for (const invoice of expected) {
      expect(Date.parse(invoice.issued_at)).toBeGreaterThanOrEqual(first.getTime());
      expect(Date.parse(invoice.issued_at)).toBeLessThan(next.getTime());
    }
    const all = (await api('/v1/invoices?limit=500')).data as any[];
    expect(all.length).toBeGreaterThan(expected.length);
    const numbers = () =>
      page.locator('tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-invoice')));
    await expect.poll(numbers).toEqual(expected.map((invoice) => invoice.number));
    // The CSV export: the API's CSV of the same selection.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const csv = readFileSync((await download.path())!, 'utf8');
    const apiCsv = await stack.call('GET', `/v1/invoices?format=csv&from=${from}&to=${to}`);
    expect(apiCsv.headers.get('content-type')).toContain('text/csv');
    expect(csv).toBe(apiCsv.body);
    expect(csv.trim().split('\n').length).toBe(expected.length + 1);
    // The last day before the first: said, and the list stays as it was.
    await page.getByLabel('Issued from (UTC)').fill(utcDay(next));
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => page.locator('#invoice-filter-error').textContent()).toContain('must not be before');
    expect(await numbers()).toEqual(expected.map((invoice) => invoice.number));
  });

  it('names the subscriptions a billing run and the estimates could not rate, with their customers', async () => {
    const post = async (path: string, body: unknown) => {
      const response = await stack.call('POST', path, body);
      expect(response.status, JSON.stringify(response.body)).toBeLessThan(300);
      return response.body;
    };
    // A subscription whose meter disappears from the store behind its plan: it cannot be rated.
    const now = new Date();
    const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
    await post('/v1/meters', { key: 'fragile_calls', name: 'Fragile', event_type: 'fragile', aggregation: 'count' });
    await post('/v1/plans', {
      key: 'fragile',
      name: 'Fragile',
      currency: 'EUR',
      interval: 'month',
      charges: [{ meter: 'fragile_calls', price: { model: 'per_unit', unit_price: '1' } }],
    });
    await post('/v1/customers', {
      id: 'fragile-co',
      name: 'Fragile Co',
      email: 'ops@fragile.example',
      currency: 'EUR',
    });
    await post('/v1/subscriptions', {
      id: 'sub-fragile',
      customer: 'fragile-co',
      plan: 'fragile',
      start_date: utcDay(lastMonth),
    });
    await stack.deps.dynamo.send(
      new DeleteItemCommand({
        TableName: stack.config.tableName,
        Key: { PK: { S: 'METER' }, SK: { S: 'fragile_calls' } },
      }),
    );
    const run = await post('/v1/billing-runs', {});
    const failed = run.results.find((r: any) => r.subscription_id === 'sub-fragile');
    expect(failed).toMatchObject({ status: 'failed', code: 'rating_failed' });
    await settleEstimates();
    const report = await api('/v1/reports/upcoming?top=5');
    const unrated = report.failed.find((f: any) => f.subscription === 'sub-fragile');
    expect(unrated).toMatchObject({ customer: 'fragile-co', code: 'rating_failed' });

    await page.getByRole('link', { name: 'Customers' }).click();
    await page.getByRole('link', { name: 'Overview' }).click();
    // The newest run first, with its badge, its counts and the failure's code and message.
    const latest = page.getByTestId('billing-run').first();
    await latest.waitFor();
    expect(await latest.getAttribute('data-run')).toBe(run.id);
    expect(await latest.getAttribute('data-status')).toBe(run.status);
    const item = latest.locator('[data-subscription="sub-fragile"]');
    expect(await item.getAttribute('data-code')).toBe('rating_failed');
    expect(await item.textContent()).toContain(failed.message);
    expect(await latest.textContent()).toContain(`${run.summary.failed} failed`);
    // The estimates still show totals for the others, and name the subscription left out.
    const box = page.getByTestId('upcoming-failed');
    await box.waitFor();
    expect(Number(await box.getAttribute('data-count'))).toBe(report.failed.length);
    expect(await page.locator('#upcoming').textContent()).not.toContain('No active subscriptions');
    expect(await page.locator('#upcoming .kpis li').count()).toBe(report.totals.length);
    const link = box.locator('[data-subscription="sub-fragile"] a');
    expect(await link.textContent()).toBe('fragile-co');
    expect(await box.locator('[data-subscription="sub-fragile"]').textContent()).toContain(unrated.error);
    await link.click();
    await expect.poll(() => page.evaluate<string>('location.hash')).toBe('#/customers/fragile-co');
  });

  it('creates coupons with the catalog form and names the field the API refused', async () => {
    await page.getByRole('link', { name: 'Plans & meters' }).click();
    const form = page.getByRole('form', { name: 'New coupon' });
    await form.getByLabel('Code', { exact: true }).fill('WELCOME10');
    await form.getByLabel('Name', { exact: true }).fill('Welcome 10 %');
    await form.getByLabel('Duration').selectOption('repeating');
    await form.getByLabel('Invoices').fill('3');
    // No percent: the API's complaint is shown under the percent field.
    const refused = await stack.call('POST', '/v1/coupons', {
      code: 'WELCOME10',
      name: 'Welcome 10 %',
      type: 'percentage',
      duration: 'repeating',
      duration_periods: 3,
    });
    expect(refused.status).toBe(400);
    const detail = refused.body.error.details.find((d: any) => d.path === '/percent');
    await form.getByRole('button', { name: 'Create coupon' }).click();
    await expect.poll(() => page.locator('#coupon-percent-error').textContent()).toBe(detail.message);
    expect(await form.getByLabel('Percent off').getAttribute('aria-invalid')).toBe('true');
    await form.getByLabel('Percent off').fill('10');
    await form.getByRole('button', { name: 'Create coupon' }).click();
    const row = page.locator('#coupon-catalog tr[data-coupon="WELCOME10"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('10 % off');
    expect(await row.textContent()).toContain('3 invoices');
    expect(await page.locator('#coupon-percent-error').count()).toBe(0);
    // A fixed amount off, in euros.
    await form.getByLabel('Code', { exact: true }).fill('SAVE5');
    await form.getByLabel('Name', { exact: true }).fill('Five off');
    await form.getByLabel('Type').selectOption('fixed_amount');
    await form.getByLabel('Amount', { exact: true }).fill('5');
    await form.getByLabel('Currency').fill('EUR');
    await form.getByRole('button', { name: 'Create coupon' }).click();
    await page.locator('#coupon-catalog tr[data-coupon="SAVE5"]').waitFor();
    expect(await page.locator('#coupon-catalog tr[data-coupon="SAVE5"]').textContent()).toContain(
      `${formatMoney('5', 'EUR')} off`,
    );
    const created = await api('/v1/coupons/SAVE5');
    expect(created).toMatchObject({ type: 'fixed_amount', amount: '5', currency: 'EUR', duration: 'once' });
  });

  it('previews a coupon on a charge in the price simulator: the discount and the amount after it', async () => {
    await page.getByLabel('Plan', { exact: true }).selectOption('growth');
    await page.getByLabel('Charge', { exact: true }).selectOption({ label: 'API calls (graduated)' });
    await page.getByLabel('Quantity', { exact: true }).fill('250000');
    const coupon = page.getByLabel('Coupon', { exact: true });
    expect(
      await coupon.locator('option').evaluateAll((options) => options.map((o) => o.getAttribute('value'))),
    ).toEqual(expect.arrayContaining(['', 'WELCOME10', 'SAVE5']));
    await coupon.selectOption('WELCOME10');
    await page.getByRole('button', { name: 'Simulate' }).click();
    const plan = await api('/v1/plans/growth');
    const evaluation = await stack.call('POST', '/v1/prices/evaluate', {
      currency: 'EUR',
      price: plan.charges[0].price,
      quantity: '250000',
      coupon: 'WELCOME10',
      meter: 'api_calls',
      plan: 'growth',
    });
    expect(evaluation.status, JSON.stringify(evaluation.body)).toBe(200);
    expect(evaluation.body.coupon.applies).toBe(true);
    const preview = page.getByTestId('sim-coupon');
    await expect.poll(() => preview.getAttribute('data-code')).toBe('WELCOME10');
    expect(await preview.getAttribute('data-discount')).toBe(evaluation.body.coupon.discount);
    expect(await preview.getAttribute('data-after')).toBe(evaluation.body.coupon.amount_after_discount);
    expect(await preview.textContent()).toContain(`−${formatMoney(evaluation.body.coupon.discount, 'EUR')}`);
    expect(await preview.textContent()).toContain(formatMoney(evaluation.body.coupon.amount_after_discount, 'EUR'));
    // The charge's own amount is still the price alone.
    expect(await page.getByTestId('sim-amount').getAttribute('data-value')).toBe(evaluation.body.amount);
    await coupon.selectOption('');
  });

  it("applies a coupon on the customer page, shows the API's refusal of a second one and the discount upcoming", async () => {
    await page.goto(`${dashboard.url}/#/customers/umbrella`);
    await page.getByRole('heading', { name: 'Umbrella Health' }).waitFor();
    const code = page.getByLabel('Coupon code');
    await expect
      .poll(() =>
        page.locator('#coupon-codes option').evaluateAll((options) => options.map((o) => o.getAttribute('value'))),
      )
      .toEqual(expect.arrayContaining(['WELCOME10', 'SAVE5']));
    await code.fill('WELCOME10');
    await page.getByRole('button', { name: 'Apply coupon' }).click();
    const item = page.locator('#coupons li[data-coupon="WELCOME10"]');
    await item.waitFor();
    const applied = (await api('/v1/customers/umbrella/coupons')).data[0];
    expect(applied).toMatchObject({ code: 'WELCOME10', status: 'active', periods_remaining: 3 });
    expect(await item.getAttribute('data-status')).toBe('active');
    expect(await page.getByTestId('coupon-remains-WELCOME10').textContent()).toBe('3 invoices left');
    // The same again: refused by the API, its message in the alert.
    await code.fill('WELCOME10');
    await page.getByRole('button', { name: 'Apply coupon' }).click();
    const again = await stack.call('POST', '/v1/customers/umbrella/coupons', { code: 'WELCOME10' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('coupon_already_applied');
    await expect.poll(() => page.getByTestId('apply-coupon-error').textContent()).toBe(again.body.error.message);
    expect(await page.getByRole('alert').filter({ hasText: again.body.error.message }).count()).toBe(1);
    expect(await code.getAttribute('aria-invalid')).toBe('true');
    // The upcoming invoice takes the coupon off, named, before tax.
    const upcoming = await api('/v1/customers/umbrella/upcoming-invoice');
    const discount = upcoming.discounts.find((d: any) => d.coupon === 'WELCOME10');
    expect(discount).toBeDefined();
    const row = page.locator('[data-testid="upcoming-discount"][data-coupon="WELCOME10"]');
    await expect.poll(() => row.getAttribute('data-amount')).toBe(discount.amount);
    expect(await row.textContent()).toContain(`Discount: ${discount.name}`);
    expect(await row.locator('td').textContent()).toBe(`−${formatMoney(discount.amount, 'EUR')}`);
    expect(await page.getByTestId('upcoming-taxable').locator('[data-amount]').getAttribute('data-amount')).toBe(
      upcoming.taxable_amount,
    );
    expect(await page.getByTestId('upcoming-amount-due').locator('[data-amount]').getAttribute('data-amount')).toBe(
      upcoming.amount_due,
    );
    // The customer's tax treatment with the profile.
    const customer = await api('/v1/customers/umbrella');
    const tax = page.getByTestId('tax-treatment');
    expect(await tax.getAttribute('data-rule')).toBe(customer.tax.rule);
    expect(await tax.getAttribute('data-rate')).toBe(customer.tax.rate);
  });

  it('grants credits with the form, names a refused field, and shows the balances and the ledger', async () => {
    const form = page.getByRole('form', { name: 'Grant credits' });
    await form.getByLabel('Name', { exact: true }).fill('Prepaid pack');
    await form.getByLabel('Amount (EUR)').fill('ten');
    await form.getByRole('button', { name: 'Grant credits' }).click();
    const refused = await stack.call('POST', '/v1/customers/umbrella/credit-grants', {
      name: 'Prepaid pack',
      amount: 'ten',
      category: 'paid',
    });
    expect(refused.status).toBe(400);
    const detail = refused.body.error.details.find((d: any) => d.path === '/amount');
    await expect.poll(() => page.locator('#grant-amount-error').textContent()).toBe(detail.message);
    expect(await form.getByLabel('Amount (EUR)').getAttribute('aria-invalid')).toBe('true');
    await form.getByLabel('Amount (EUR)').fill('100');
    await form.getByLabel('Category').selectOption('paid');
    await form.getByLabel('Priority').fill('5');
    await form.getByRole('button', { name: 'Grant credits' }).click();
    const row = page.locator('#credits tr[data-name="Prepaid pack"]');
    await row.waitFor();
    const credits = await api('/v1/customers/umbrella/credits');
    expect(credits.balance).toBe('100.00');
    await expect.poll(() => page.getByTestId('credit-balance').getAttribute('data-value')).toBe(credits.balance);
    expect(await page.getByTestId('credit-paid').getAttribute('data-value')).toBe(credits.paid_balance);
    expect(await page.getByTestId('credit-ongoing').getAttribute('data-value')).toBe(credits.ongoing_balance);
    expect(await page.getByTestId('credit-balance').textContent()).toContain(formatMoney('100', 'EUR'));
    const grant = credits.grants[0];
    expect(await row.getByTestId('grant-balance').textContent()).toBe(formatMoney(grant.balance, 'EUR'));
    expect(await row.textContent()).toContain('paid');
    // The ledger opens under the grant's name.
    await row.getByText('Prepaid pack').click();
    const entries = row.locator('[data-testid="grant-ledger"] li');
    await entries.first().waitFor();
    expect(await entries.evaluateAll((items) => items.map((li) => [li.dataset.type, li.dataset.amount]))).toEqual(
      grant.ledger.map((entry: any) => [entry.type, entry.amount]),
    );
    // The upcoming invoice draws on the paid credits after tax.
    const upcoming = await api('/v1/customers/umbrella/upcoming-invoice');
    expect(upcoming.credits.length).toBe(1);
    const paid = page.getByTestId('upcoming-paid-credit');
    await expect.poll(() => paid.getAttribute('data-amount')).toBe(upcoming.credits[0].amount);
    expect(await page.getByTestId('upcoming-amount-due').locator('[data-amount]').getAttribute('data-amount')).toBe(
      upcoming.amount_due,
    );
  });

  it('lists the usage limits of the active subscription with usage and what remains', async () => {
    const patched = await stack.call('PATCH', '/v1/subscriptions/sub-umbrella', {
      usage_limits: { api_calls: { limit: '100000000', hard: true }, tokens: { limit: '1', hard: false } },
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    await page.reload();
    const limits = await api('/v1/customers/umbrella/entitlements');
    for (const item of limits.data) {
      const row = page.locator(`#entitlements tr[data-meter="${item.meter}"]`);
      await row.waitFor();
      expect(await row.getAttribute('data-hard')).toBe(String(item.hard));
      expect(await row.locator('td').nth(3).getAttribute('data-value')).toBe(item.remaining);
      expect(await row.textContent()).toContain(item.hard ? 'hard' : 'soft');
    }
    // A customer without limits has no such card.
    await page.goto(`${dashboard.url}/#/customers/stark`);
    await page.getByRole('heading', { name: 'Stark Industries' }).waitFor();
    await expect.poll(() => page.getByText('Loading…').count()).toBe(0);
    await page.locator('#coupons form').waitFor();
    await expect.poll(() => page.locator('#entitlements').count()).toBe(0);
    expect(await api('/v1/customers/stark/entitlements')).toMatchObject({ data: [] });
  });

  it("shows a closed invoice's discounts, credits and tax in its details", async () => {
    const post = async (path: string, body?: unknown) => {
      const response = await stack.call('POST', path, body);
      expect(response.status, JSON.stringify(response.body)).toBeLessThan(300);
      return response.body;
    };
    const now = new Date();
    const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
    await post('/v1/customers', {
      id: 'coupon-co',
      name: 'Coupon Co',
      email: 'ap@coupon.example',
      currency: 'EUR',
      tax_rate: '19',
    });
    await post('/v1/subscriptions', {
      id: 'sub-coupon-co',
      customer: 'coupon-co',
      plan: 'growth',
      start_date: utcDay(lastMonth),
    });
    await post('/v1/customers/coupon-co/coupons', { code: 'SAVE5' });
    await post('/v1/customers/coupon-co/credit-grants', {
      name: 'Welcome credit',
      amount: '3',
      category: 'promotional',
      effective_at: lastMonth.toISOString(),
    });
    await post('/v1/billing-runs', {});
    const invoice = ((await api('/v1/invoices?customer=coupon-co')).data as any[])[0];
    expect(invoice.discounts.map((d: any) => d.coupon)).toEqual(['SAVE5']);
    expect(invoice.credits.map((c: any) => c.category)).toEqual(['promotional']);

    await page.getByRole('link', { name: 'Invoices' }).click();
    await page.getByLabel('Customer id').fill('coupon-co');
    await page.getByRole('button', { name: 'Apply' }).click();
    const row = page.locator(`tbody tr[data-invoice="${invoice.number}"]`);
    await row.getByRole('button', { name: `Details of invoice ${invoice.number}` }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('invoice-detail').waitFor();
    const discount = dialog.locator('[data-testid="invoice-discount"][data-coupon="SAVE5"]');
    expect(await discount.getAttribute('data-amount')).toBe(invoice.discounts[0].amount);
    expect(await discount.locator('td').textContent()).toBe(`−${formatMoney(invoice.discounts[0].amount, 'EUR')}`);
    expect(await dialog.getByTestId('invoice-promotional-credit').getAttribute('data-amount')).toBe(
      invoice.credits[0].amount,
    );
    const amountOf = (testId: string) =>
      dialog.getByTestId(testId).locator('[data-amount]').first().getAttribute('data-amount');
    expect(await amountOf('invoice-subtotal')).toBe(invoice.subtotal);
    expect(await amountOf('invoice-taxable')).toBe(invoice.taxable_amount);
    expect(await amountOf('invoice-total')).toBe(invoice.total);
    expect(await amountOf('invoice-amount-due')).toBe(invoice.amount_due);
    const taxRows = dialog.getByTestId('invoice-tax');
    expect(await taxRows.count()).toBe(invoice.tax_breakdown?.length || 1);
    if (invoice.tax_breakdown?.[0])
      expect(await taxRows.first().getAttribute('data-rate')).toBe(invoice.tax_breakdown[0].rate);
    // Each line's share of the discount is shown with it.
    expect(await dialog.getByTestId('line-shares').first().textContent()).toContain('discount');
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);
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
    for (const [link, ready] of [
      ['Customers', '[data-testid="estimate-acme"] [data-amount]'],
      ['Invoices', 'tbody tr'],
    ] as const) {
      await page.getByRole('link', { name: link, exact: true }).click();
      await page.locator(ready).first().waitFor();
      expect(await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth'), link).toBe(0);
    }
  });
});
