/// <reference lib="dom" />
import { rmSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SELLER_ENV, startTestStack, type TestClock, type TestStack, testClock } from '../support/stack.js';
import { launchChromium } from './browser.js';
import { serveDashboard } from './serve.js';
import { audit, buildDashboard, formatMoney } from './support.js';

/**
 * Credit notes in the dashboard: a partial credit note to the customer balance issued from an invoice
 * (an over-credit refused at its line first), the invoice's credited total, the balance and its ledger
 * on the customer page, and the full credit note of a void invoice. The stack's clock is a test clock:
 * October is closed at 01:00 on November 1st into finalized invoices (no grace period).
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

const invoicesOf = async (customer: string) =>
  (await ok('GET', `/v1/invoices?customer=${customer}`, undefined, 200)).data as any[];

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
  outDir = await buildDashboard('dashboard-credit-notes-');
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
      // Outside the EU: no VAT, so a note's total is its net.
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
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

const REASON = 'Outage on October 10';

async function showInvoicesOf(customer: string) {
  await page.goto(`${dashboard.url}/#/invoices`);
  await page.getByRole('heading', { name: 'Invoices', level: 1 }).waitFor();
  await page.getByLabel('Customer id').fill(customer);
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
}

describe('a credit note issued from an invoice', () => {
  it('credits part of a line to the balance and shows the note, its totals and the credited total', async () => {
    const [invoice] = await invoicesOf('acme');
    expect(invoice).toMatchObject({ status: 'finalized', total: '15.00' });
    expect(invoice.lines.map((l: any) => [l.kind, l.amount])).toEqual([
      ['base_fee', '10.00'],
      ['usage', '5.00'],
    ]);
    await showInvoicesOf('acme');
    const row = page.locator(`tbody tr[data-id="${invoice.id}"]`);
    await row.getByRole('button', { name: `Credit note for invoice ${invoice.number}` }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('heading', { name: `Credit note for invoice ${invoice.number}` }).waitFor();
    const line2 = dialog.locator('tr[data-line="2"]');
    await line2.waitFor();
    expect(await line2.getAttribute('data-left')).toBe('5.00');
    expect(await dialog.getByLabel('Credit to balance').isChecked()).toBe(true);
    // Finalized (unpaid): the amount due may be reduced too.
    expect(await dialog.getByLabel('Reduce amount due').isDisabled()).toBe(false);

    await dialog.getByLabel('Credit on line 2 (USD)').fill('3');
    await dialog.getByLabel('Reason').fill(REASON);
    await dialog.getByRole('button', { name: 'Issue credit note' }).click();
    const issued = dialog.getByTestId('credit-note-issued');
    await issued.waitFor();
    const [note] = (await ok('GET', `/v1/invoices/${invoice.id}/credit-notes`, undefined, 200)).data;
    expect(note).toMatchObject({
      method: 'credit_balance',
      reason: REASON,
      subtotal: '3.00',
      tax: '0.00',
      total: '3.00',
    });
    expect(note.number).toMatch(/^CN-2026-\d{6}$/);
    expect(await issued.getAttribute('data-number')).toBe(note.number);
    expect(await dialog.getByRole('status').textContent()).toBe(
      `Credit note ${note.number} issued (credit to balance).`,
    );
    expect(await dialog.getByTestId('credit-note-total').textContent()).toBe(formatMoney('3.00', 'USD'));
    // The form is gone: focus is on what was done, still in the dialog.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent))
      .toBe(`Credit note ${note.number} issued (credit to balance).`);
    await expect.poll(() => dialog.getByTestId('issued-credited-total').getAttribute('data-amount')).toBe('3.00');
    expect(await audit(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);

    // The list marks the invoice as credited; its details list the note.
    await expect.poll(() => row.getByTestId('credited').getAttribute('data-amount')).toBe('3.00');
    await row.getByRole('button', { name: `Details of invoice ${invoice.number}` }).click();
    const notes = dialog.getByTestId('invoice-credit-notes');
    await notes.waitFor();
    const listed = notes.locator('tr[data-testid="credit-note"]');
    expect(await listed.count()).toBe(1);
    expect(await listed.getAttribute('data-number')).toBe(note.number);
    expect(await listed.textContent()).toContain('Credit to balance');
    await listed.getByRole('button', { name: `PDF of credit note ${note.number}` }).waitFor();
    expect(await dialog.getByTestId('invoice-credited-total').textContent()).toBe(
      `Credited in total: ${formatMoney('3.00', 'USD')}`,
    );
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);
  });

  it('refuses an over-credit at the line field, with what is left after the earlier note', async () => {
    const [invoice] = await invoicesOf('acme');
    const row = page.locator(`tbody tr[data-id="${invoice.id}"]`);
    await row.getByRole('button', { name: `Credit note for invoice ${invoice.number}` }).click();
    const dialog = page.getByRole('dialog');
    const line2 = dialog.locator('tr[data-line="2"]');
    await line2.waitFor();
    expect(await line2.getAttribute('data-left')).toBe('2.00');
    expect(await dialog.locator('tr[data-line="1"]').getAttribute('data-left')).toBe('10.00');

    // Line 1 is fine; line 2 (the second of the request) asks more than is left.
    await dialog.getByLabel('Credit on line 1 (USD)').fill('1');
    await dialog.getByLabel('Credit on line 2 (USD)').fill('5');
    await dialog.getByLabel('Reason').fill(REASON);
    await dialog.getByRole('button', { name: 'Issue credit note' }).click();
    const refused = await stack.call('POST', `/v1/invoices/${invoice.id}/credit-notes`, {
      reason: REASON,
      method: 'credit_balance',
      lines: [
        { line: 1, amount: '1' },
        { line: 2, amount: '5' },
      ],
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('over_credit');
    const detail = refused.body.error.details.find((d: any) => d.path === '/lines/1/amount');
    expect(detail.message).toContain('left to credit');
    await expect.poll(() => dialog.locator('#credit-line-2-amount-error').textContent()).toBe(detail.message);
    expect(await dialog.getByLabel('Credit on line 2 (USD)').getAttribute('aria-invalid')).toBe('true');
    expect(await dialog.getByLabel('Credit on line 1 (USD)').getAttribute('aria-invalid')).toBeNull();
    expect(await dialog.getByTestId('credit-note-error').textContent()).toBe(
      'The API refused the credit note: see the fields marked above.',
    );
    expect(await audit(page)).toEqual([]);
    // Nothing was issued.
    expect((await ok('GET', `/v1/invoices/${invoice.id}/credit-notes`, undefined, 200)).data).toHaveLength(1);

    // The shortcut fills what is left.
    await line2.getByRole('button', { name: 'Full line 2: credit all that is left' }).click();
    expect(await dialog.getByLabel('Credit on line 2 (USD)').inputValue()).toBe('2.00');
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);
  });
});

describe('the customer balance and credit notes on the customer page', () => {
  it('shows the balance per currency, its ledger and the credit notes', async () => {
    const [note] = (await ok('GET', '/v1/credit-notes?customer=acme', undefined, 200)).data;
    const [invoice] = await invoicesOf('acme');
    const balance = await ok('GET', '/v1/customers/acme/balance', undefined, 200);
    expect(balance.balances).toEqual([{ currency: 'USD', amount: '3.00' }]);
    await page.goto(`${dashboard.url}/#/customers/acme`);
    await page.getByRole('heading', { name: 'Acme Co' }).waitFor();
    const card = page.locator('#customer-balance');
    const amount = card.getByTestId('balance-amount');
    await amount.waitFor();
    expect(await amount.getAttribute('data-currency')).toBe('USD');
    expect(await amount.getAttribute('data-amount')).toBe('3.00');
    expect(await amount.textContent()).toBe(formatMoney('3.00', 'USD'));
    const entries = card.locator('[data-testid="balance-ledger"] tbody tr');
    expect(await entries.count()).toBe(balance.ledger.length);
    const entry = card.locator('[data-testid="balance-ledger"] tbody tr[data-type="credit_note"]');
    expect(await entry.getAttribute('data-amount')).toBe('3.00');
    expect(await entry.textContent()).toContain(note.number);
    expect(await entry.textContent()).toContain(invoice.number);
    expect(await entry.textContent()).toContain('Credit note');

    const notes = page.locator('#customer-credit-notes tr[data-testid="credit-note"]');
    await notes.first().waitFor();
    expect(await notes.count()).toBe(1);
    expect(await notes.getAttribute('data-number')).toBe(note.number);
    expect(await notes.textContent()).toContain(invoice.number);
    expect(await notes.textContent()).toContain(formatMoney('3.00', 'USD'));
    await notes.getByRole('button', { name: `PDF of credit note ${note.number}` }).waitFor();
    expect(await audit(page)).toEqual([]);
  });
});

describe('a void invoice', () => {
  it('is credited in full by a credit note, listed in its details and on the customer page', async () => {
    const [invoice] = await invoicesOf('bolt');
    expect(invoice).toMatchObject({ status: 'finalized', total: '13.00' });
    await showInvoicesOf('bolt');
    const row = page.locator(`tbody tr[data-id="${invoice.id}"]`);
    await row.getByRole('button', { name: 'Void' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Reason').fill('Wrong customer');
    await dialog.getByRole('button', { name: 'Void invoice' }).click();
    await expect.poll(() => row.getAttribute('data-status')).toBe('void');
    const [note] = (await ok('GET', `/v1/invoices/${invoice.id}/credit-notes`, undefined, 200)).data;
    expect(note).toMatchObject({ total: '13.00', void: true });
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'voided' }).textContent())
      .toBe(`Invoice ${invoice.number} voided and credited in full by ${note.number}; the customer will be notified.`);
    expect(await row.getByTestId('credited').getAttribute('data-amount')).toBe('13.00');
    // A void invoice takes no more credit notes.
    expect(await row.getByRole('button', { name: /Credit note/ }).count()).toBe(0);

    await row.getByRole('button', { name: `Details of invoice ${invoice.number}` }).click();
    const listed = dialog.getByTestId('invoice-credit-notes').locator('tr[data-testid="credit-note"]');
    await listed.waitFor();
    expect(await listed.getAttribute('data-number')).toBe(note.number);
    expect(await listed.getAttribute('data-method')).toBe(note.method);
    expect(await dialog.getByTestId('invoice-credited-total').getAttribute('data-amount')).toBe('13.00');
    expect(await dialog.getByRole('button', { name: 'Credit note', exact: true }).count()).toBe(0);
    await page.keyboard.press('Escape');

    await page.goto(`${dashboard.url}/#/customers/bolt`);
    await page.getByRole('heading', { name: 'Bolt Co' }).waitFor();
    const onPage = page.locator('#customer-credit-notes tr[data-testid="credit-note"]');
    await onPage.first().waitFor();
    expect(await onPage.getAttribute('data-number')).toBe(note.number);
    expect(await onPage.textContent()).toContain(invoice.number);
  });
});

describe('a paid invoice and the next invoice', () => {
  it('offers no reduction of the amount due on a paid invoice (opened from its details)', async () => {
    const [invoice] = await invoicesOf('acme');
    await ok(
      'POST',
      `/v1/invoices/${invoice.id}/mark-paid`,
      { paid_at: '2026-11-01T01:00:00Z', reference: 'wire-1' },
      200,
    );
    await showInvoicesOf('acme');
    const row = page.locator(`tbody tr[data-id="${invoice.id}"]`);
    expect(await row.getAttribute('data-status')).toBe('paid');
    await row.getByRole('button', { name: `Details of invoice ${invoice.number}` }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Credit note', exact: true }).click();
    await dialog.getByRole('heading', { name: `Credit note for invoice ${invoice.number}` }).waitFor();
    await dialog.locator('tr[data-line="1"]').waitFor();
    expect(await dialog.getByLabel('Reduce amount due').isDisabled()).toBe(true);
    expect(await dialog.getByLabel('Refund').isDisabled()).toBe(false);
    // Focus is in the dialog, on its first field.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('credit-line-1-amount');
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);
  });

  it('shows the balance drawn by the next invoice in the ledger', async () => {
    clock.set('2026-12-01T01:00:00Z');
    await ok('POST', '/v1/billing-runs', { as_of: '2026-12-01T01:00:00Z' }, 200);
    const november = (await invoicesOf('acme')).find((i) => i.period_start.startsWith('2026-11'));
    expect(november).toMatchObject({ total: '10.00', balance_applied: '3.00', amount_due: '7.00' });
    const balance = await ok('GET', '/v1/customers/acme/balance', undefined, 200);
    await page.goto(`${dashboard.url}/#/customers/acme`);
    await page.getByRole('heading', { name: 'Acme Co' }).waitFor();
    const drawn = page.locator('#customer-balance [data-testid="balance-ledger"] tbody tr[data-type="invoice"]');
    await drawn.waitFor();
    expect(await drawn.getAttribute('data-amount')).toBe('-3.00');
    expect(await drawn.textContent()).toContain(november.number);
    expect(await drawn.textContent()).toContain('Drawn by invoice');
    const amounts = page.locator('#customer-balance [data-testid="balance-amount"]');
    expect(await amounts.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-amount')))).toEqual(
      balance.balances.map((b: any) => b.amount),
    );
  });
});
