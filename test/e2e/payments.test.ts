/// <reference lib="dom" />
import { rmSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StripeStandIn } from '../../local/stripe-stand-in.js';
import { SELLER_ENV, startTestStack, type TestClock, type TestStack, testClock } from '../support/stack.js';
import { launchChromium } from './browser.js';
import { serveDashboard } from './serve.js';
import { audit, buildDashboard, formatMoney } from './support.js';

/**
 * Getting paid in the dashboard: a partial payment recorded by hand from an invoice's details (a bad
 * amount refused at its field first), the rest paid, the refund of a refund credit note recorded on
 * the customer page, the customer's Stripe customer id set and removed, and "Collect now" on an
 * invoice of a customer whose card is declined (the Stripe stand-in behind the official SDK). October
 * is closed at 01:00 on November 1st into finalized invoices (no grace period, no delivery: nothing
 * is collected by itself).
 */

let stack: TestStack;
let clock: TestClock;
let stripe: StripeStandIn;
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

beforeAll(async () => {
  chromium = await launchChromium();
  outDir = await buildDashboard('dashboard-payments-');
  clock = testClock('2026-10-01T00:00:00Z');
  stripe = new StripeStandIn({ now: clock });
  // Stripe promises no order between a webhook and its call's answer: here every webhook comes first.
  stripe.webhooksBeforeAnswer = true;
  await stripe.start();
  stack = await startTestStack({
    clock,
    env: {
      ...SELLER_ENV,
      BILLING_GRACE_MINUTES: '0',
      STRIPE_SECRET_KEY: 'sk_test_e2e_payments',
      STRIPE_WEBHOOK_SECRET: 'whsec_e2e_payments_0123456789',
      STRIPE_API_URL: stripe.url,
    },
  });
  const declined = stripe.addCustomer({ payment_method: 'pm_card_chargeDeclined' });
  await ok('POST', '/v1/meters', { key: 'units', name: 'Units', event_type: 'unit.used', aggregation: 'count' });
  await ok('POST', '/v1/plans', {
    key: 'basic',
    name: 'Basic',
    currency: 'USD',
    interval: 'month',
    base_fee: { amount: '10.00', timing: 'in_arrears' },
    charges: [{ meter: 'units', display_name: 'Units', price: { model: 'per_unit', unit_price: '1' } }],
  });
  for (const [id, name, stripeId] of [
    ['payer', 'Payer Co', undefined],
    ['decliner', 'Decliner Co', declined],
  ] as const) {
    await ok('POST', '/v1/customers', {
      id,
      name,
      email: `${id}@example.com`,
      currency: 'USD',
      timezone: 'UTC',
      // Outside the EU: no VAT, so the total is the net.
      address: { line1: '1 Main St', city: 'Austin', country: 'US' },
      ...(stripeId ? { stripe_customer_id: stripeId } : {}),
    });
    await ok('POST', '/v1/subscriptions', { id: `sub-${id}`, customer: id, plan: 'basic', start_date: '2026-10-01' });
  }
  clock.set('2026-10-10T00:00:00Z');
  await units('payer', 5, '2026-10-10T00:00:00Z');
  await units('decliner', 2, '2026-10-10T00:00:00Z');
  clock.set('2026-11-01T01:00:00Z');
  const run = await ok('POST', '/v1/billing-runs', { as_of: '2026-11-01T01:00:00Z' }, 200);
  expect(run.status, JSON.stringify(run)).toBe('succeeded');
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
  await stripe?.stop();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

async function showInvoicesOf(customer: string) {
  await page.goto(`${dashboard.url}/#/invoices`);
  await page.getByRole('heading', { name: 'Invoices', level: 1 }).waitFor();
  await page.getByLabel('Customer id').fill(customer);
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
}

async function openDetails(invoice: { id: string; number: string }) {
  const row = page.locator(`tbody tr[data-id="${invoice.id}"]`);
  await row.getByRole('button', { name: `Details of invoice ${invoice.number}` }).click();
  const dialog = page.getByRole('dialog');
  const payments = dialog.getByTestId('invoice-payments');
  await payments.waitFor();
  return { row, dialog, payments };
}

describe('a payment recorded by hand', () => {
  it('refuses a bad amount at its field, then records a partial payment: partially paid, less remaining', async () => {
    const invoice = await invoiceOf('payer');
    expect(invoice).toMatchObject({
      status: 'finalized',
      total: '15.00',
      amount_paid: '0.00',
      amount_remaining: '15.00',
      payment_status: 'pending',
    });
    expect(invoice.collection).toBeUndefined();
    await showInvoicesOf('payer');
    const { row, dialog, payments } = await openDetails(invoice);
    expect(await payments.getAttribute('data-payment-status')).toBe('pending');
    expect(await payments.getByTestId('amount-remaining').textContent()).toBe(formatMoney('15.00', 'USD'));
    // Prefilled with what is owed; no Stripe collection for this customer.
    expect(await dialog.getByLabel('Amount (USD)').inputValue()).toBe('15.00');
    expect(await dialog.getByRole('button', { name: 'Collect now' }).count()).toBe(0);

    await dialog.getByLabel('Amount (USD)').fill('-5');
    await dialog.getByLabel('Reference', { exact: true }).fill('wire-1');
    await dialog.getByRole('button', { name: 'Record payment' }).click();
    const refused = await stack.call('POST', `/v1/invoices/${invoice.id}/payments`, {
      amount: '-5',
      reference: 'wire-1',
      method: 'bank_transfer',
    });
    expect(refused.status).toBe(400);
    const detail = refused.body.error.details.find((d: any) => d.path === '/amount');
    expect(detail?.message).toBeTruthy();
    await expect.poll(() => dialog.getByTestId('record-payment-amount-error').textContent()).toBe(detail.message);
    expect(await dialog.getByLabel('Amount (USD)').getAttribute('aria-invalid')).toBe('true');
    expect(await dialog.getByLabel('Reference', { exact: true }).getAttribute('aria-invalid')).toBeNull();
    expect(await dialog.getByTestId('record-payment-error').textContent()).toBe(
      'The API refused the payment: see the fields marked above.',
    );
    expect(await audit(page)).toEqual([]);
    expect((await invoiceOf('payer')).payments).toBeUndefined();

    await dialog.getByLabel('Amount (USD)').fill('5');
    await dialog.getByLabel('Method').selectOption('check');
    await dialog.getByRole('button', { name: 'Record payment' }).click();
    await expect.poll(() => payments.getAttribute('data-payment-status')).toBe('partially_paid');
    expect(await payments.getAttribute('data-amount-remaining')).toBe('10.00');
    expect(await payments.getAttribute('data-amount-paid')).toBe('5.00');
    expect(await payments.getByTestId('amount-remaining').textContent()).toBe(formatMoney('10.00', 'USD'));
    const recorded = payments.locator('tr[data-testid="payment"]');
    expect(await recorded.count()).toBe(1);
    expect(await recorded.getAttribute('data-reference')).toBe('wire-1');
    expect(await recorded.getAttribute('data-applied')).toBe('5.00');
    expect(await recorded.textContent()).toContain('Check');
    expect(await recorded.textContent()).toContain('Recorded by hand');
    // A new form for the rest.
    expect(await dialog.getByLabel('Amount (USD)').inputValue()).toBe('10.00');
    expect(await dialog.getByLabel('Reference', { exact: true }).inputValue()).toBe('');
    expect(await dialog.getByRole('status').filter({ hasText: 'Payment of' }).textContent()).toBe(
      `Payment of ${formatMoney('5.00', 'USD')} recorded: ${formatMoney('10.00', 'USD')} remains.`,
    );
    expect(await audit(page)).toEqual([]);
    const stored = await invoiceOf('payer');
    expect(stored).toMatchObject({ status: 'finalized', amount_paid: '5.00', payment_status: 'partially_paid' });
    expect(stored.payments).toMatchObject([{ reference: 'wire-1', method: 'check', amount: '5.00', source: 'manual' }]);

    // The list marks the invoice as partly paid, with what is left.
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);
    const badge = row.getByTestId('payment-status');
    await expect.poll(() => badge.getAttribute('data-status')).toBe('partially_paid');
    expect(await badge.getByTestId('amount-remaining').getAttribute('data-amount')).toBe('10.00');
    expect(await audit(page)).toEqual([]);
    // "Mark paid" would record the rest: it says what is still owed.
    await row.getByRole('button', { name: 'Mark paid' }).click();
    await expect.poll(() => dialog.textContent()).toContain(`still owed ${formatMoney('10.00', 'USD')}`);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
  });

  it('pays the rest: the invoice is paid and takes no more payments', async () => {
    const invoice = await invoiceOf('payer');
    const { row, dialog, payments } = await openDetails(invoice);
    expect(await dialog.getByLabel('Amount (USD)').inputValue()).toBe('10.00');
    // The first payment's reference with another amount: a conflict, shown as the API says it.
    await dialog.getByLabel('Reference', { exact: true }).fill('wire-1');
    await dialog.getByRole('button', { name: 'Record payment' }).click();
    const conflict = await stack.call('POST', `/v1/invoices/${invoice.id}/payments`, {
      amount: '10.00',
      reference: 'wire-1',
    });
    expect(conflict.status).toBe(409);
    await expect.poll(() => dialog.getByTestId('record-payment-error').textContent()).toBe(conflict.body.error.message);
    // The same payment again: recorded before, nothing new.
    await dialog.getByLabel('Amount (USD)').fill('5');
    await dialog.getByRole('button', { name: 'Record payment' }).click();
    await expect
      .poll(() => dialog.getByRole('status').filter({ hasText: 'recorded already' }).textContent())
      .toBe('Payment wire-1 was recorded already: nothing changed.');
    expect(await payments.locator('tr[data-testid="payment"]').count()).toBe(1);
    expect(await payments.getAttribute('data-amount-remaining')).toBe('10.00');

    await dialog.getByLabel('Amount (USD)').fill('10.00');
    await dialog.getByLabel('Reference', { exact: true }).fill('wire-2');
    await dialog.getByRole('button', { name: 'Record payment' }).click();
    await expect.poll(() => payments.getAttribute('data-payment-status')).toBe('paid');
    expect(await dialog.getByTestId('invoice-detail').getAttribute('data-status')).toBe('paid');
    expect(await payments.getAttribute('data-amount-remaining')).toBe('0.00');
    expect(await payments.locator('tr[data-testid="payment"]').count()).toBe(2);
    expect(await dialog.getByRole('button', { name: 'Record payment' }).count()).toBe(0);
    expect(await audit(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await expect.poll(() => row.getAttribute('data-status')).toBe('paid');
    expect(await row.getByTestId('payment-status').count()).toBe(0);
    // Paid in full: no more "Mark paid".
    expect(await row.getByRole('button', { name: 'Mark paid' }).count()).toBe(0);
    expect(await invoiceOf('payer')).toMatchObject({ status: 'paid', amount_paid: '15.00', payment_status: 'paid' });
  });
});

describe('a refund paid out by hand', () => {
  it('records the refund of a pending refund credit note on the customer page', async () => {
    const invoice = await invoiceOf('payer');
    const note = await ok('POST', `/v1/invoices/${invoice.id}/credit-notes`, {
      reason: 'Outage on October 10',
      method: 'refund',
      lines: [{ line: 1, amount: '2' }],
    });
    // Paid by bank transfer: nothing to refund at Stripe, a person pays it out.
    expect(note.refund).toMatchObject({ status: 'pending', amount: '2.00' });

    await page.goto(`${dashboard.url}/#/customers/payer`);
    await page.getByRole('heading', { name: 'Payer Co' }).waitFor();
    const row = page.locator(`#customer-credit-notes tr[data-testid="credit-note"][data-number="${note.number}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-refund')).toBe('pending');
    expect(await row.getByTestId('refund-status').getAttribute('data-amount')).toBe('2.00');
    expect(await row.textContent()).toContain('Refund');
    await row.getByRole('button', { name: `Record refund of credit note ${note.number}` }).click();
    const card = page.locator('#customer-credit-notes');
    await card.getByLabel('Refund reference').fill('refund-wire-1');
    expect(await audit(page)).toEqual([]);
    await card.getByRole('button', { name: 'Record refund', exact: true }).click();
    await expect.poll(() => row.getAttribute('data-refund')).toBe('succeeded');
    expect(await row.getByTestId('refund-status').textContent()).toContain('refund-wire-1');
    expect(await card.getByRole('status').textContent()).toBe(
      `Refund of credit note ${note.number} recorded (refund-wire-1).`,
    );
    expect(await row.getByRole('button', { name: /Record refund of/ }).count()).toBe(0);
    const stored = await ok('GET', `/v1/credit-notes/${note.id}`, undefined, 200);
    expect(stored.refund).toMatchObject({ status: 'succeeded', reference: 'refund-wire-1', amount: '2.00' });

    // The invoice's details show the note's refund too.
    await showInvoicesOf('payer');
    const { dialog } = await openDetails(invoice);
    const listed = dialog.locator(`tr[data-testid="credit-note"][data-number="${note.number}"]`);
    await expect.poll(() => listed.getAttribute('data-refund')).toBe('succeeded');
    expect(await audit(page)).toEqual([]);
    await page.keyboard.press('Escape');
  });
});

describe("the customer's Stripe customer id", () => {
  it('refuses a malformed id at its field, saves one and removes it', async () => {
    await page.goto(`${dashboard.url}/#/customers/payer`);
    await page.getByRole('heading', { name: 'Payer Co' }).waitFor();
    const card = page.locator('#customer-payment-collection');
    const shown = card.getByTestId('stripe-customer');
    expect(await shown.getAttribute('data-value')).toBe('');
    await card.getByLabel('Stripe customer id').fill('not-a-stripe-id');
    await card.getByRole('button', { name: 'Save' }).click();
    const refused = await stack.call('PATCH', '/v1/customers/payer', { stripe_customer_id: 'not-a-stripe-id' });
    expect(refused.status).toBe(400);
    const detail = refused.body.error.details.find((d: any) => d.path === '/stripe_customer_id');
    await expect.poll(() => card.getByTestId('stripe-customer-id-error').textContent()).toBe(detail.message);
    expect(await card.getByLabel('Stripe customer id').getAttribute('aria-invalid')).toBe('true');
    expect(await audit(page)).toEqual([]);

    await card.getByLabel('Stripe customer id').fill('cus_E2eTest123');
    await card.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => shown.getAttribute('data-value')).toBe('cus_E2eTest123');
    expect((await ok('GET', '/v1/customers/payer', undefined, 200)).stripe_customer_id).toBe('cus_E2eTest123');

    await card.getByRole('button', { name: 'Remove' }).click();
    await expect.poll(() => shown.getAttribute('data-value')).toBe('');
    expect(await card.getByLabel('Stripe customer id').inputValue()).toBe('');
    expect((await ok('GET', '/v1/customers/payer', undefined, 200)).stripe_customer_id).toBeUndefined();
  });
});

describe('collecting through Stripe', () => {
  it("shows the declined card's error after Collect now, and the failed attempt", async () => {
    const invoice = await invoiceOf('decliner');
    expect(invoice).toMatchObject({ status: 'finalized', total: '12.00', collection: 'automatic' });
    expect(invoice.payment_attempts).toBeUndefined();
    await showInvoicesOf('decliner');
    const { row, dialog, payments } = await openDetails(invoice);
    expect(await payments.textContent()).toContain('collected through Stripe');
    await dialog.getByRole('button', { name: 'Collect now' }).click();
    const error = dialog.getByTestId('collect-error');
    await error.waitFor();
    expect(await error.textContent()).toBe(
      `The charge of ${formatMoney('12.00', 'USD')} failed: Your card was declined.`,
    );
    await expect.poll(() => payments.getAttribute('data-payment-status')).toBe('payment_failed');
    const attempt = payments.locator('tr[data-testid="payment-attempt"]');
    expect(await attempt.count()).toBe(1);
    expect(await attempt.getAttribute('data-status')).toBe('failed');
    expect(await attempt.getByTestId('attempt-error').textContent()).toBe('Your card was declined.');
    expect(await audit(page)).toEqual([]);
    const stored = await invoiceOf('decliner');
    expect(stored).toMatchObject({ status: 'finalized', payment_status: 'payment_failed', amount_remaining: '12.00' });
    expect(stored.payment_attempts).toMatchObject([{ kind: 'charge', status: 'failed' }]);
    expect(stripe.requests.some((r) => r.path === '/v1/payment_intents')).toBe(true);

    await page.keyboard.press('Escape');
    await expect.poll(() => row.getByTestId('payment-status').getAttribute('data-status')).toBe('payment_failed');
  });

  it("shows the API's refusal when the customer has no Stripe customer any more", async () => {
    await ok('PATCH', '/v1/customers/decliner', { stripe_customer_id: null }, 200);
    const invoice = await invoiceOf('decliner');
    await showInvoicesOf('decliner');
    const { dialog } = await openDetails(invoice);
    await dialog.getByRole('button', { name: 'Collect now' }).click();
    const refused = await stack.call('POST', `/v1/invoices/${invoice.id}/collect`);
    expect(refused.status).toBe(409);
    await expect
      .poll(() => dialog.getByTestId('collect-error').textContent())
      .toBe(`${refused.body.error.message} (${refused.body.error.code})`);
    expect(await audit(page)).toEqual([]);
    await page.keyboard.press('Escape');
  });
});
