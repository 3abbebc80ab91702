/// <reference lib="dom" />
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StripeStandIn } from '../../local/stripe-stand-in.js';
import { SELLER_ENV, startTestStack, type TestClock, type TestStack, testClock } from '../support/stack.js';
import { launchChromium } from './browser.js';
import { serveDashboard } from './serve.js';
import { audit, buildDashboard } from './support.js';

/**
 * Paying from the customer portal, in a browser without an admin key, with the official Stripe SDK
 * pointed at the local stand-in: "Pay now" opens the hosted payment page (a Checkout Session for what
 * the invoice still owes); the customer pays there; Stripe's signed webhook marks the invoice paid,
 * and the portal shows it paid with nothing owed.
 */
const WEBHOOK_SECRET = 'whsec_e2e_portal_pay_0123456789';
let stack: TestStack;
let clock: TestClock;
let stripe: StripeStandIn;
let dashboard: { url: string; close(): Promise<void> };
let chromium: { browser: Browser; close(): Promise<void> };
let invoice: any;
const contexts: BrowserContext[] = [];

async function ok(method: string, path: string, body?: unknown, status = 201) {
  const response = await stack.call(method, path, body);
  expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBe(status);
  return response.body;
}

async function freshPage(): Promise<Page> {
  const context = await chromium.browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'en-US',
    timezoneId: 'UTC',
    bypassCSP: true,
  });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return page;
}

beforeAll(async () => {
  chromium = await launchChromium();
  const outDir = await buildDashboard('dashboard-portal-pay-');
  clock = testClock('2026-10-01T00:00:00Z');
  stripe = new StripeStandIn({ now: clock });
  await stripe.start();
  stack = await startTestStack({
    clock,
    env: {
      ...SELLER_ENV,
      BILLING_GRACE_MINUTES: '0',
      STRIPE_SECRET_KEY: 'sk_test_e2e_portal',
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_API_URL: stripe.url,
    },
  });
  stripe.setWebhook(`${stack.url}/v1/webhooks/stripe`, WEBHOOK_SECRET);
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
    id: 'acme',
    name: 'Acme Co',
    email: 'acme@example.com',
    currency: 'USD',
    timezone: 'UTC',
    address: { line1: '1 Main St', city: 'Austin', country: 'US' },
  });
  await ok('POST', '/v1/subscriptions', { id: 'sub-acme', customer: 'acme', plan: 'basic', start_date: '2026-10-01' });
  clock.set('2026-10-10T00:00:00Z');
  const events = Array.from({ length: 5 }, (_, i) => ({
    specversion: '1.0',
    id: `acme-${i}`,
    source: 'e2e',
    type: 'unit.used',
    subject: 'acme',
    time: '2026-10-10T00:00:00Z',
  }));
  await stack.call('POST', '/v1/events', events, { contentType: 'application/cloudevents-batch+json' });
  clock.set('2026-11-01T01:00:00Z');
  await ok('POST', '/v1/billing-runs', { as_of: '2026-11-01T01:00:00Z' }, 200);
  [invoice] = (await ok('GET', '/v1/invoices?customer=acme', undefined, 200)).data;
  expect(invoice).toMatchObject({ status: 'finalized', total: '15.00' });
  // Part of it came by bank transfer: the portal asks for the rest.
  await ok('POST', `/v1/invoices/${invoice.id}/payments`, { amount: '5.00', reference: 'WIRE-1' });
  clock.set('2026-11-02T10:00:00Z');
  dashboard = await serveDashboard(outDir, stack.url);
}, 300_000);

afterAll(async () => {
  for (const context of contexts) await context.close();
  await chromium?.close();
  await dashboard?.close();
  await stack?.stop();
  await stripe?.stop();
});

describe('paying from the customer portal', () => {
  it('opens the hosted payment page for what is owed; paid there, the portal shows the invoice paid', async () => {
    const link = await ok('POST', '/v1/customers/acme/portal-links', { expires_in_minutes: 60 });
    const page = await freshPage();
    const checkout = page.waitForRequest((request) => request.url().startsWith(`${stripe.url}/pay/`));
    await page.goto(`${dashboard.url}/portal.html#${link.token}`);
    const row = page.locator('tr', { hasText: invoice.number });
    await expect.poll(() => row.textContent()).toContain('$10.00');
    const violations = await audit(page);
    expect(violations, violations.join('\n')).toEqual([]);
    await row.getByRole('button', { name: 'Pay now' }).click();
    const opened = await checkout;
    const sessionId = opened.url().split('/pay/')[1] ?? '';
    const session = stripe.sessions.get(sessionId);
    // What the invoice still owes (15.00 − 5.00), in cents, for this invoice and this customer.
    expect(session).toMatchObject({ amount_total: 1000, currency: 'usd', metadata: { invoice_id: invoice.id } });
    // The customer pays on the hosted page; Stripe's webhook tells the stack.
    stripe.payCheckoutSession(sessionId);
    await stripe.settled();
    expect(stripe.deliveries.map((d) => d.status)).toEqual([200]);
    const paid = await ok('GET', `/v1/invoices/${invoice.id}`, undefined, 200);
    expect(paid).toMatchObject({ status: 'paid', amount_paid: '15.00', amount_remaining: '0.00' });
    const back = await freshPage();
    await back.goto(`${dashboard.url}/portal.html#${link.token}`);
    const paidRow = back.locator('tr', { hasText: invoice.number });
    await expect.poll(() => paidRow.textContent()).toMatch(/paid/i);
    expect(await paidRow.getByRole('button', { name: 'Pay now' }).count()).toBe(0);
    expect(await audit(back)).toEqual([]);
  });
});
