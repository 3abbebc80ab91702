/// <reference lib="dom" />
import { rmSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPayment } from '../../functions/domain/billing/payment.js';
import { Decimal } from '../../functions/domain/decimal.js';
import { SELLER_ENV, startTestStack, type TestClock, type TestStack, testClock } from '../support/stack.js';
import { launchChromium } from './browser.js';
import { serveDashboard } from './serve.js';
import { audit, buildDashboard, formatMoney } from './support.js';

/**
 * The customer portal in a browser that has no admin key: opened from a portal link, it shows the
 * customer's balance, usage, invoices and credit notes; a PDF opens from its link; an expired, a
 * forged and an incomplete link each get their own screen. Every screen passes the axe audit.
 */

let stack: TestStack;
let clock: TestClock;
let dashboard: { url: string; close(): Promise<void> };
let chromium: { browser: Browser; close(): Promise<void> };
let outDir: string;
let invoice: any;
let note: any;
const contexts: BrowserContext[] = [];

async function ok(method: string, path: string, body?: unknown, status = 201) {
  const response = await stack.call(method, path, body);
  expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBe(status);
  return response.body;
}

async function units(customer: string, count: number, time: string) {
  const events = Array.from({ length: count }, (_, i) => ({
    specversion: '1.0',
    id: `${customer}-${time}-${i}`,
    source: 'e2e',
    type: 'unit.used',
    subject: customer,
    time,
  }));
  const response = await stack.call('POST', '/v1/events', events, {
    contentType: 'application/cloudevents-batch+json',
  });
  expect(response.body.accepted, JSON.stringify(response.body)).toBe(count);
}

/** A new browser context: nothing kept from another (no admin key, no portal token). */
async function freshPage(): Promise<Page> {
  const context = await chromium.browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'en-US',
    timezoneId: 'UTC',
    // The audit injects axe-core, which the page's CSP would refuse.
    bypassCSP: true,
  });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return page;
}

/** The portal page of a link as the customer opens it: the dashboard's address, the token in the fragment. */
const portalAddress = (link: { url: string; token: string }) => {
  expect(link.url).toBe(`${stack.url}/portal.html#${link.token}`);
  return `${dashboard.url}/portal.html#${link.token}`;
};

beforeAll(async () => {
  chromium = await launchChromium();
  outDir = await buildDashboard('dashboard-portal-');
  clock = testClock('2026-10-01T00:00:00Z');
  stack = await startTestStack({
    clock,
    env: {
      ...SELLER_ENV,
      BILLING_GRACE_MINUTES: '0',
      BILLING_PAYMENT_ACCOUNT_HOLDER: 'Meterly GmbH',
      BILLING_PAYMENT_IBAN: 'DE89 3704 0044 0532 0130 00',
      BILLING_PAYMENT_BIC: 'COBADEFFXXX',
    },
  });
  await ok('POST', '/v1/meters', { key: 'units', name: 'Units', event_type: 'unit.used', aggregation: 'count' });
  await ok('POST', '/v1/plans', {
    key: 'basic',
    name: 'Basic',
    currency: 'USD',
    interval: 'month',
    base_fee: { amount: '10.00', timing: 'in_arrears' },
    charges: [{ meter: 'units', display_name: 'Units', price: { model: 'per_unit', unit_price: '1' } }],
  });
  for (const [id, name] of [
    ['acme', 'Acme Co'],
    ['bolt', 'Bolt Co'],
  ] as const) {
    await ok('POST', '/v1/customers', {
      id,
      name,
      email: `${id}@example.com`,
      currency: 'USD',
      timezone: 'UTC',
      // Outside the EU: no VAT.
      address: { line1: '1 Main St', city: 'Austin', country: 'US' },
    });
    await ok('POST', '/v1/subscriptions', { id: `sub-${id}`, customer: id, plan: 'basic', start_date: '2026-10-01' });
  }
  clock.set('2026-10-10T00:00:00Z');
  await units('acme', 5, '2026-10-10T00:00:00Z');
  await units('bolt', 3, '2026-10-10T00:00:00Z');
  clock.set('2026-11-01T01:00:00Z');
  const run = await ok('POST', '/v1/billing-runs', { as_of: '2026-11-01T01:00:00Z' }, 200);
  expect(run.status, JSON.stringify(run)).toBe('succeeded');
  [invoice] = (await ok('GET', '/v1/invoices?customer=acme', undefined, 200)).data;
  expect(invoice).toMatchObject({ status: 'finalized', total: '15.00' });
  clock.set('2026-11-02T10:00:00Z');
  note = await ok('POST', `/v1/invoices/${invoice.id}/credit-notes`, {
    lines: [{ line: 1, amount: '3.00' }],
    reason: 'Outage on October 10',
    method: 'credit_balance',
  });
  await stack.deps.invoices.update(
    invoice.id,
    (inv) =>
      applyPayment(inv, {
        id: 'manual:ref1',
        source: 'manual',
        method: 'bank_transfer',
        amount: new Decimal('5'),
        currency: inv.currency,
        reference: 'ref1',
        receivedAt: clock().toISOString(),
      }).invoice,
  );
  await units('acme', 7, '2026-11-02T09:00:00Z');
  dashboard = await serveDashboard(outDir, stack.url);
}, 300_000);

afterAll(async () => {
  for (const context of contexts) await context.close();
  await chromium?.close();
  await dashboard?.close();
  await stack?.stop();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

describe('the customer portal in a browser without an admin key', () => {
  it('shows the customer, its balance, live usage, invoices and credit notes', async () => {
    const page = await freshPage();
    const link = await ok('POST', '/v1/customers/acme/portal-links', { expires_in_minutes: 120 });
    await page.goto(portalAddress(link));
    await page.getByRole('heading', { name: 'Acme Co', level: 1 }).waitFor();
    // The token left the address bar (history, bookmarks, screen shares); the tab keeps it.
    expect(new URL(page.url()).hash).toBe('');
    expect(await page.evaluate(() => sessionStorage.getItem('billing.apiKey'))).toBeNull();

    const row = page.locator(`tr[data-number="${invoice.number}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-remaining')).toBe('10.00');
    expect(await row.textContent()).toContain(formatMoney('15.00', 'USD'));
    expect(await row.textContent()).toContain('partially paid');
    expect(await page.getByTestId('amount-owed').textContent()).toBe(formatMoney('10.00', 'USD'));
    expect(await page.getByTestId('credit-balance').textContent()).toBe(formatMoney(note.total, 'USD'));
    expect(await page.locator('[data-testid="usage"] tr[data-meter="units"]').getAttribute('data-quantity')).toBe('7');
    await page.locator(`[data-testid="credit-notes"] tr[data-number="${note.number}"]`).waitFor();
    // No payment provider here: no pay-now button, the bank transfer details instead.
    expect(await page.getByRole('button', { name: `Pay now: invoice ${invoice.number}` }).count()).toBe(0);
    const transfer = page.getByTestId('bank-transfer');
    expect(await transfer.textContent()).toContain('DE89 3704 0044 0532 0130 00');
    // Nothing of the other customer.
    expect(await page.locator('body').textContent()).not.toContain('Bolt');
    expect(await audit(page)).toEqual([]);
  });

  it('is made from the customer page of the dashboard, and opened by a browser that never saw the key', async () => {
    const admin = await freshPage();
    await admin.goto(dashboard.url);
    await admin.getByLabel('Admin API key').fill(stack.adminKey);
    await admin.getByLabel('Admin API key').press('Enter');
    await admin.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
    await admin.goto(`${dashboard.url}/#/customers/acme`);
    await admin.getByRole('heading', { name: 'Acme Co', level: 1 }).waitFor();
    await admin.getByLabel('Link works for').selectOption({ label: '1 day' });
    await admin.getByRole('button', { name: 'Make portal link' }).click();
    const made = admin.getByTestId('portal-link');
    await made.waitFor();
    expect(await made.getAttribute('data-expires')).toBe(new Date(clock.now.getTime() + 86_400_000).toISOString());
    const url = await admin.getByLabel('Portal link').inputValue();
    expect(url).toMatch(new RegExp(`^${stack.url}/portal\\.html#[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$`));
    expect(await audit(admin)).toEqual([]);

    const customer = await freshPage();
    // The dashboard is served on its own port here: the same page, the same fragment.
    await customer.goto(url.replace(stack.url, dashboard.url));
    await customer.getByRole('heading', { name: 'Acme Co', level: 1 }).waitFor();
    await customer.locator(`tr[data-number="${invoice.number}"]`).waitFor();
    expect(await customer.evaluate(() => sessionStorage.getItem('billing.apiKey'))).toBeNull();
  });

  it('thanks for a payment only of an invoice of its own on the way back from the payment page', async () => {
    const page = await freshPage();
    const link = await ok('POST', '/v1/customers/acme/portal-links', {});
    await page.goto(`${dashboard.url}/portal.html?paid=${invoice.number}#${link.token}`);
    await page.getByRole('heading', { name: 'Acme Co', level: 1 }).waitFor();
    expect(await page.getByRole('status').textContent()).toContain(`Your payment of invoice ${invoice.number}`);
    // Back without the fragment: the tab kept the token.
    await page.goto(`${dashboard.url}/portal.html?paid=Free%20money`);
    await page.getByRole('heading', { name: 'Acme Co', level: 1 }).waitFor();
    expect(await page.getByText('Free money').count()).toBe(0);
  });

  it('opens an invoice PDF and a credit note PDF from their links', async () => {
    const page = await freshPage();
    const link = await ok('POST', '/v1/customers/acme/portal-links', {});
    await page.goto(portalAddress(link));
    for (const name of [`PDF of invoice ${invoice.number}`, `PDF of credit note ${note.number}`]) {
      const pdfLink = page.getByRole('link', { name });
      await pdfLink.waitFor();
      const href = (await pdfLink.getAttribute('href'))!;
      expect(href).toMatch(/^\/v1\/portal\/(invoices|credit-notes)\/[^/]+\/pdf\?token=/);
      // What the browser gets for the link: the page's own request, no API key anywhere.
      const answer = await page.evaluate(async (url) => {
        const response = await fetch(url);
        const bytes = new Uint8Array(await response.arrayBuffer());
        return {
          status: response.status,
          type: response.headers.get('content-type'),
          magic: String.fromCharCode(...bytes.slice(0, 5)),
        };
      }, href);
      expect(answer, name).toEqual({ status: 200, type: 'application/pdf', magic: '%PDF-' });
      const [popup] = await Promise.all([page.context().waitForEvent('page'), pdfLink.click()]);
      await popup.close();
    }
  });

  it('shows the expired-link screen once the link expired, also on reload', async () => {
    const page = await freshPage();
    const link = await ok('POST', '/v1/customers/acme/portal-links', { expires_in_minutes: 5 });
    await page.goto(portalAddress(link));
    await page.getByRole('heading', { name: 'Acme Co', level: 1 }).waitFor();
    const start = clock.now.toISOString();
    try {
      clock.advance(5 * 60_000);
      await page.reload();
      await page.getByRole('heading', { name: 'This link has expired', level: 1 }).waitFor();
      expect(await page.getByTestId('link-problem').getAttribute('data-kind')).toBe('expired');
      expect(await page.locator('body').textContent()).not.toContain('Acme');
      expect(await audit(page)).toEqual([]);
    } finally {
      clock.set(start);
    }
  });

  it('shows the invalid-link screen for a forged link and the incomplete-link screen without a token', async () => {
    const page = await freshPage();
    const link = await ok('POST', '/v1/customers/acme/portal-links', {});
    const [payload] = link.token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const forged = `${Buffer.from(JSON.stringify({ ...claims, c: 'bolt' })).toString('base64url')}.${link.token.split('.')[1]}`;
    await page.goto(`${dashboard.url}/portal.html#${forged}`);
    await page.getByRole('heading', { name: 'This link is not valid', level: 1 }).waitFor();
    expect(await page.locator('body').textContent()).not.toContain('Bolt');
    expect(await audit(page)).toEqual([]);

    const bare = await freshPage();
    await bare.goto(`${dashboard.url}/portal.html`);
    await bare.getByRole('heading', { name: 'This link is incomplete', level: 1 }).waitFor();
    expect(await audit(bare)).toEqual([]);
  });
});
