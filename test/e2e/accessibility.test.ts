/// <reference lib="dom" />
import { rmSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.js';
import { launchChromium } from './browser.js';
import { serveDashboard } from './serve.js';
import { audit, buildDashboard } from './support.js';

/**
 * Keyboard use and an axe-core audit (WCAG 2.1 A/AA rules) of every view, on a small book of business
 * (two customers, one closed month). The larger seeded walk-through is dashboard.test.ts.
 */

let stack: TestStack;
let dashboard: { url: string; close(): Promise<void> };
let chromium: Awaited<ReturnType<typeof launchChromium>>;
let page: Page;
let outDir: string;
let pinned: Date | undefined;

async function call(method: string, path: string, body?: unknown, contentType?: string) {
  const response = await stack.call(method, path, body, contentType ? { contentType } : {});
  expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBeLessThan(300);
  return response.body;
}

async function seed() {
  const now = new Date();
  const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  pinned = lastMonth;
  await call('POST', '/v1/meters', {
    key: 'tokens',
    name: 'LLM tokens',
    event_type: 'llm.tokens',
    aggregation: 'sum',
    value_property: 'tokens',
    group_by: ['model'],
  });
  await call('POST', '/v1/plans', {
    key: 'pro',
    name: 'Pro',
    currency: 'EUR',
    interval: 'month',
    base_fee: { amount: '20.00' },
    charges: [
      {
        meter: 'tokens',
        price: {
          model: 'graduated',
          tiers: [
            { up_to: '100000', unit_price: '0' },
            { up_to: null, unit_price: '0.00002' },
          ],
        },
      },
    ],
  });
  for (const id of ['acme', 'globex'])
    await call('POST', '/v1/customers', {
      id,
      name: `${id[0]!.toUpperCase()}${id.slice(1)} Ltd`,
      email: `billing@${id}.example`,
      currency: 'EUR',
      timezone: 'Europe/Berlin',
      locale: 'en',
    });
  const start = lastMonth.toISOString().slice(0, 10);
  for (const id of ['acme', 'globex'])
    await call('POST', '/v1/subscriptions', { id: `sub-${id}`, customer: id, plan: 'pro', start_date: start });
  pinned = new Date(lastMonth.getTime() + 10 * 86_400_000);
  const events = ['acme', 'globex'].flatMap((subject, c) =>
    ['small', 'large'].map((model, m) => ({
      specversion: '1.0',
      id: `${subject}-${model}`,
      source: 'a11y-test',
      type: 'llm.tokens',
      subject,
      time: new Date(pinned!.getTime() - 3_600_000).toISOString(),
      data: { model, tokens: 150_000 * (c + 1) + m * 1000 },
    })),
  );
  await call('POST', '/v1/events', events, 'application/cloudevents-batch+json');
  pinned = undefined;
  // Acme's invoice takes a coupon and promotional credits off; its subscription has a usage limit.
  await call('POST', '/v1/coupons', {
    code: 'TEN',
    name: 'Ten off',
    type: 'percentage',
    percent: '10',
    duration: 'forever',
  });
  await call('POST', '/v1/customers/acme/coupons', { code: 'TEN' });
  await call('POST', '/v1/customers/acme/credit-grants', {
    name: 'Launch credit',
    amount: '2',
    category: 'promotional',
    effective_at: lastMonth.toISOString(),
  });
  await call('PATCH', '/v1/subscriptions/sub-acme', { usage_limits: { tokens: { limit: '10000000', hard: false } } });
  await call('POST', '/v1/billing-runs', {});
  await call('POST', '/v1/reports/upcoming/refresh');
}

beforeAll(async () => {
  chromium = await launchChromium();
  outDir = await buildDashboard('dashboard-a11y-');
  stack = await startTestStack({ clock: () => pinned ?? new Date() });
  await seed();
  dashboard = await serveDashboard(outDir, stack.url);
  // The dashboard's CSP forbids inline scripts; the audit injects axe-core, so this context bypasses it.
  const context = await chromium.browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'en-US',
    bypassCSP: true,
  });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
}, 180_000);

afterAll(async () => {
  await chromium?.close();
  await dashboard?.close();
  await stack?.stop();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

describe('dashboard accessibility', () => {
  it('signs in and moves between the views with the keyboard alone', async () => {
    await page.goto(dashboard.url);
    expect(await audit(page)).toEqual([]);
    // The key field has focus or is the first stop; type, submit with Enter.
    await page.keyboard.press('Tab');
    await page.getByLabel('Admin API key').focus();
    await page.keyboard.type(stack.adminKey);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    // Tab to the "Customers" link and follow it with Enter.
    for (let i = 0; i < 20; i++) {
      await page.keyboard.press('Tab');
      if ((await page.evaluate(() => document.activeElement?.textContent?.trim())) === 'Customers') break;
    }
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Customers' }).waitFor();
    expect(page.url()).toContain('#/customers');
  });

  it.each([
    ['overview', 'Overview'],
    ['customers', 'Customers'],
    ['customers/acme', 'Acme Ltd'],
    ['invoices', 'Invoices'],
    ['receivables', 'Receivables'],
    ['plans', 'Plans & meters'],
    ['webhooks', 'Webhooks'],
    ['alerts/acme', 'Usage alerts'],
  ])('has no serious or critical axe findings on #/%s', async (route, heading) => {
    await page.goto(`${dashboard.url}/#/${route}`);
    await page.getByRole('heading', { name: heading, exact: true }).waitFor();
    // Let the view's data arrive (no "Loading…" left).
    await expect.poll(() => page.getByText('Loading…').count()).toBe(0);
    expect(await audit(page)).toEqual([]);
  });

  it("has no serious or critical axe findings in an invoice's details and in refused forms", async () => {
    await page.goto(`${dashboard.url}/#/invoices`);
    // Acme's invoice (the one with a coupon and credits): the run closes both customers in either order.
    await page
      .locator('tbody tr', { hasText: 'Acme Ltd' })
      .getByRole('button', { name: /^Details of invoice/ })
      .first()
      .click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('invoice-discount').first().waitFor();
    expect(await audit(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);
    // The customer page with the API's refusals shown: a coupon applied twice, a grant without an amount.
    await page.goto(`${dashboard.url}/#/customers/acme`);
    await page.locator('#entitlements tr[data-meter="tokens"]').waitFor();
    await page.getByLabel('Coupon code').fill('TEN');
    await page.getByRole('button', { name: 'Apply coupon' }).click();
    await page.getByTestId('apply-coupon-error').waitFor();
    await page.getByRole('form', { name: 'Grant credits' }).getByLabel('Name', { exact: true }).fill('Nothing');
    await page.getByRole('button', { name: 'Grant credits' }).click();
    await page.locator('#grant-amount-error').waitFor();
    await expect.poll(() => page.getByText('Loading…').count()).toBe(0);
    expect(await audit(page)).toEqual([]);
    // The coupon catalog's form with a refused field.
    await page.goto(`${dashboard.url}/#/plans`);
    await page.getByRole('button', { name: 'Create coupon' }).click();
    await page.locator('#coupon-code-error').waitFor();
    expect(await audit(page)).toEqual([]);
  });

  it('opens the invoice dialogs with focus inside and closes them with Escape', async () => {
    await page.goto(`${dashboard.url}/#/invoices`);
    await page.getByRole('button', { name: 'Mark paid' }).first().focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.closest('dialog,[role=dialog]') !== null))
      .toBe(true);
    expect(await audit(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);
  });
});

describe('customer search beyond the first page', () => {
  it('searches every customer through the API when not all are loaded', async () => {
    // 1,000 more customers: the list loads the first 1,000 by id, so "zz-needle" is not among them.
    const ids = Array.from({ length: 1000 }, (_, i) => `bulk-${String(i).padStart(4, '0')}`);
    for (let i = 0; i < ids.length; i += 50)
      await Promise.all(
        ids.slice(i, i + 50).map((id) =>
          call('POST', '/v1/customers', {
            id,
            name: `Bulk ${id}`,
            email: `${id}@bulk.example`,
            currency: 'EUR',
            timezone: 'UTC',
            locale: 'en',
          }),
        ),
      );
    await call('POST', '/v1/customers', {
      id: 'zz-needle',
      name: 'Needle Haystack GmbH',
      email: 'billing@needle.example',
      currency: 'EUR',
      timezone: 'Europe/Berlin',
      locale: 'de',
    });
    await page.goto(`${dashboard.url}/#/customers`);
    await page.getByRole('heading', { name: 'Customers', exact: true }).waitFor();
    await expect.poll(() => page.getByTestId('customer-count').textContent()).toContain('1,000 of 1,000+ customers');
    await page.getByLabel('Search customers').fill('HAYSTACK');
    await expect.poll(() => page.getByTestId('customer-count').getAttribute('data-searched-all')).toBe('true');
    await expect.poll(() => page.getByTestId('customer-count').textContent()).toBe('1 match among all customers');
    await page.getByRole('link', { name: 'Needle Haystack GmbH' }).click();
    await page.getByRole('heading', { name: 'Needle Haystack GmbH' }).waitFor();
  });
});
