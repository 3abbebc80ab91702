/// <reference lib="dom" />
import { rmSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SELLER_ENV, startTestStack, type TestClock, type TestStack, testClock } from '../support/stack.js';
import { launchChromium } from './browser.js';
import { serveDashboard } from './serve.js';
import { audit, buildDashboard, formatMoney } from './support.js';

/**
 * Changing invoices in the dashboard: a draft of the invoice grace period reviewed (a one-off line added
 * and taken off again, finalized early), one-off charges on the customer page, a void invoice issued
 * again. The stack's clock is a test clock: October is closed at 01:00 on November 1st, within
 * Grace Co's 48 hours of grace (its invoice stays a draft) and after Plain Co's none (finalized).
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
  outDir = await buildDashboard('dashboard-drafts-');
  clock = testClock('2026-10-01T00:00:00Z');
  stack = await startTestStack({ clock, env: { ...SELLER_ENV, BILLING_GRACE_MINUTES: '0' } });
  await ok('POST', '/v1/meters', { key: 'units', name: 'Units', event_type: 'unit.used', aggregation: 'count' });
  await ok('POST', '/v1/plans', {
    key: 'graced',
    name: 'Graced',
    currency: 'USD',
    interval: 'month',
    base_fee: { amount: '10.00', timing: 'in_arrears' },
    charges: [{ meter: 'units', display_name: 'Units', price: { model: 'per_unit', unit_price: '1' } }],
  });
  for (const [id, name, grace] of [
    ['grace', 'Grace Co', 48],
    ['plain', 'Plain Co', 0],
  ] as const) {
    await ok('POST', '/v1/customers', {
      id,
      name,
      email: `${id}@example.com`,
      currency: 'USD',
      timezone: 'UTC',
      // Outside the EU: no VAT, so the totals are the lines.
      address: { line1: '1 Main St', city: 'Austin', country: 'US' },
      invoice_grace_hours: grace,
    });
    await ok('POST', '/v1/subscriptions', { id: `sub-${id}`, customer: id, plan: 'graced', start_date: '2026-10-01' });
  }
  clock.set('2026-10-10T00:00:00Z');
  await units('grace', 5, '2026-10-10T00:00:00Z');
  await units('plain', 3, '2026-10-10T00:00:00Z');
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

describe('a draft invoice in the dashboard', () => {
  it('lists the draft without a number, by the draft status filter, with the end of its grace period', async () => {
    const [draft] = await invoicesOf('grace');
    expect(draft).toMatchObject({ status: 'draft', number: '', grace_ends_at: '2026-11-03T00:00:00.000Z' });
    await page.getByRole('link', { name: 'Invoices' }).click();
    await page.getByLabel('Status').selectOption('draft');
    await page.getByRole('button', { name: 'Apply' }).click();
    const row = page.locator(`tbody tr[data-id="${draft.id}"]`);
    // The filtered list replaces the whole one (which has the draft too): wait for it.
    await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
    await row.waitFor();
    expect(await row.getAttribute('data-status')).toBe('draft');
    expect(await row.getByTestId('draft-number').textContent()).toMatch(/^Draft · finalized Nov 3, 2026/);
    expect(await row.locator('.badge').textContent()).toBe('draft');
  });

  it('adds a one-off line (naming a refused field), shows the new total, takes the line off again', async () => {
    const [draft] = await invoicesOf('grace');
    await page.getByRole('button', { name: 'Review the draft invoice of Grace Co' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('heading', { name: 'Draft invoice for Grace Co' }).waitFor();
    const total = () => dialog.getByTestId('invoice-total').locator('[data-amount]').getAttribute('data-amount');
    expect(await total()).toBe(draft.total);
    expect(draft.total).toBe('15.00');
    await dialog.getByRole('button', { name: 'Preview PDF' }).waitFor();

    // A negative unit amount: the API's own message under the field.
    const form = dialog.getByRole('form', { name: 'Add a one-off line' });
    await form.getByLabel('Description').fill('Onboarding workshop');
    await form.getByLabel('Quantity').fill('2');
    await form.getByLabel('Unit amount (USD)').fill('-150');
    await form.getByRole('button', { name: 'Add line' }).click();
    const refused = await stack.call('POST', `/v1/invoices/${draft.id}/lines`, {
      description: 'Onboarding workshop',
      quantity: '2',
      unit_amount: '-150',
    });
    expect(refused.status).toBe(400);
    const detail = refused.body.error.details.find((d: any) => d.path === '/unit_amount');
    await expect.poll(() => dialog.locator('#draft-line-unit-amount-error').textContent()).toBe(detail.message);
    expect(await form.getByLabel('Unit amount (USD)').getAttribute('aria-invalid')).toBe('true');
    expect(await audit(page)).toEqual([]);

    await form.getByLabel('Unit amount (USD)').fill('150');
    await form.getByRole('button', { name: 'Add line' }).click();
    const line = dialog.locator('tr[data-kind="one_off"]');
    await line.waitFor();
    await expect.poll(total).toBe('315.00');
    expect(await line.textContent()).toContain('one-off');
    expect(await line.textContent()).toContain('Onboarding workshop');
    const live = await ok('GET', `/v1/invoices/${draft.id}`, undefined, 200);
    expect(live.total).toBe('315.00');
    expect(await dialog.getByTestId('invoice-total').textContent()).toBe(formatMoney('315.00', 'USD'));
    expect(await audit(page)).toEqual([]);

    await line.getByRole('button', { name: 'Remove line Onboarding workshop' }).click();
    await expect.poll(() => line.count()).toBe(0);
    await expect.poll(total).toBe('15.00');
    expect((await ok('GET', `/v1/invoices/${draft.id}`, undefined, 200)).lines.map((l: any) => l.kind)).toEqual([
      'base_fee',
      'usage',
    ]);
  });

  it('finalizes the draft after a confirmation and shows its number', async () => {
    const [draft] = await invoicesOf('grace');
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Finalize now' }).click();
    // Asked first: nothing happened yet.
    await dialog.getByRole('group', { name: /Finalize the draft now/ }).waitFor();
    // Focus moves to the answer in an effect after the question renders: wait for it (a busy machine lags).
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Finalize');
    expect((await ok('GET', `/v1/invoices/${draft.id}`, undefined, 200)).status).toBe('draft');
    await dialog.getByRole('button', { name: 'Finalize', exact: true }).click();
    await expect.poll(() => dialog.getByTestId('invoice-detail').getAttribute('data-status')).toBe('finalized');
    const [finalized] = await invoicesOf('grace');
    expect(finalized.status).toBe('finalized');
    expect(finalized.number).toMatch(/^INV-2026-\d{6}$/);
    await dialog.getByRole('heading', { name: `Invoice ${finalized.number}` }).waitFor();
    expect(await dialog.getByRole('status').textContent()).toBe(`Invoice ${finalized.number} finalized.`);
    expect(await dialog.getByRole('form', { name: 'Add a one-off line' }).count()).toBe(0);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);
    // The draft filter finds nothing now.
    await expect.poll(() => page.getByText('No invoices.').count()).toBe(1);
  });
});

describe('a void invoice issued again', () => {
  it('voids an invoice, issues it again under a new number and links the two', async () => {
    const [original] = await invoicesOf('plain');
    expect(original.status).toBe('finalized');
    await page.getByLabel('Status').selectOption('');
    await page.getByLabel('Customer id').fill('plain');
    await page.getByRole('button', { name: 'Apply' }).click();
    const row = page.locator(`tbody tr[data-id="${original.id}"]`);
    await row.getByRole('button', { name: 'Void' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Reason').fill('Wrong plan');
    await dialog.getByRole('button', { name: 'Void invoice' }).click();
    await expect.poll(() => row.getAttribute('data-status')).toBe('void');

    await row.getByRole('button', { name: `Issue invoice ${original.number} again` }).click();
    await dialog.getByRole('button', { name: 'Issue again' }).click();
    await expect.poll(async () => (await invoicesOf('plain')).length).toBe(2);
    const again = (await invoicesOf('plain')).find((i) => i.id !== original.id);
    expect(again).toMatchObject({ kind: 'reissue', reissue_of: original.id });
    expect(again.number).toMatch(/^INV-2026-\d{6}$/);
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'issued again' }).textContent())
      .toBe(`Invoice ${original.number} issued again as ${again.number}.`);
    await expect.poll(() => row.getByTestId('reissued-as').textContent()).toBe(`issued again as ${again.number}`);
    expect(await row.getByRole('button', { name: /Issue invoice .* again/ }).count()).toBe(0);
    const newRow = page.locator(`tbody tr[data-id="${again.id}"]`);
    expect(await newRow.getByTestId('reissue-of').textContent()).toBe(`re-issue of ${original.number}`);

    // The details of each name the other.
    await newRow.getByRole('button', { name: `Details of invoice ${again.number}` }).click();
    await expect.poll(() => dialog.getByTestId('detail-reissue-of').getAttribute('data-number')).toBe(original.number);
    expect(await dialog.getByTestId('detail-reissue-of').textContent()).toBe(`Re-issue of ${original.number}`);
    await page.keyboard.press('Escape');
    await row.getByRole('button', { name: `Details of invoice ${original.number}` }).click();
    await expect.poll(() => dialog.getByTestId('detail-reissued-as').getAttribute('data-number')).toBe(again.number);
    await page.keyboard.press('Escape');
  });
});

describe('one-off charges on the customer page', () => {
  it('adds a charge for the next invoice (naming a refused field), removes it, and invoices one at once', async () => {
    await page.goto(`${dashboard.url}/#/customers/grace`);
    await page.getByRole('heading', { name: 'Grace Co' }).waitFor();
    expect(await page.locator('.page-head').textContent()).toContain('invoices stay drafts for 48 h');
    const card = page.locator('#one-off-charges');
    await card.getByText('No one-off charges.').waitFor();
    const form = card.getByRole('form', { name: 'New one-off charge' });

    // No description: the API's own message under the field.
    await form.getByLabel('Unit amount (USD)').fill('25');
    await form.getByRole('button', { name: 'Add charge' }).click();
    const refused = await stack.call('POST', '/v1/customers/grace/charges', {
      description: '',
      quantity: '1',
      unit_amount: '25',
    });
    expect(refused.status).toBe(400);
    const detail = refused.body.error.details.find((d: any) => d.path === '/description');
    await expect.poll(() => card.locator('#charge-description-error').textContent()).toBe(detail.message);
    expect(await audit(page)).toEqual([]);

    await form.getByLabel('Description').fill('Printed manual');
    await form.getByLabel('VAT rate (%)').fill('7');
    await form.getByRole('button', { name: 'Add charge' }).click();
    await expect
      .poll(() => card.getByRole('status').textContent())
      .toBe(`Charged ${formatMoney('25', 'USD')}: billed on the next invoice.`);
    const [pending] = (await ok('GET', '/v1/customers/grace/charges', undefined, 200)).data;
    expect(pending).toMatchObject({ description: 'Printed manual', status: 'pending', amount: '25.00', tax_rate: '7' });
    const pendingRow = card.locator(`tr[data-charge="${pending.id}"]`);
    expect(await pendingRow.getAttribute('data-status')).toBe('pending');
    expect(await pendingRow.textContent()).toContain('VAT 7 %');

    await pendingRow.getByRole('button', { name: 'Remove charge Printed manual' }).click();
    await expect.poll(() => pendingRow.count()).toBe(0);
    expect((await ok('GET', '/v1/customers/grace/charges', undefined, 200)).data).toEqual([]);

    await form.getByLabel('Description').fill('Setup fee');
    await form.getByLabel('Quantity').fill('1');
    await form.getByLabel('Unit amount (USD)').fill('499');
    await form.getByLabel('Invoice now').check();
    await form.getByRole('button', { name: 'Add charge' }).click();
    await expect.poll(() => card.getByRole('status').textContent()).toContain('issued');
    const [billed] = (await ok('GET', '/v1/customers/grace/charges', undefined, 200)).data;
    expect(billed.status).toBe('billed');
    const invoice = (await invoicesOf('grace')).find((i) => i.id === billed.invoice_id);
    expect(invoice.kind).toBe('one_off');
    expect(await card.getByRole('status').textContent()).toBe(
      `Charged ${formatMoney('499', 'USD')}: invoice ${invoice.number || '(draft)'} issued.`,
    );
    const billedRow = card.locator(`tr[data-charge="${billed.id}"]`);
    expect(await billedRow.getAttribute('data-status')).toBe('billed');
    await expect.poll(() => billedRow.getByTestId('charge-invoice').textContent()).toBe(`on invoice ${invoice.number}`);
    expect(await billedRow.getByRole('button', { name: /Remove/ }).count()).toBe(0);
    // The new invoice is in the customer's list.
    await page.locator(`#customer-invoices li[data-id="${invoice.id}"]`).waitFor();
  });
});

describe('late usage on a draft', () => {
  it('explains an adjustment line: the earlier period re-rated, what was invoiced, on which invoice', async () => {
    const october = (await invoicesOf('grace')).find((i) => i.kind === 'subscription');
    // Two October events arrive after October was invoiced; November closes into a draft.
    clock.set('2026-11-02T00:00:00Z');
    await units('grace', 2, '2026-10-31T12:00:00Z');
    clock.set('2026-12-01T01:00:00Z');
    await ok('POST', '/v1/billing-runs', { as_of: '2026-12-01T01:00:00Z' }, 200);
    const november = (await invoicesOf('grace')).find((i) => i.status === 'draft');
    const adjustment = november.lines.find((l: any) => l.kind === 'adjustment');
    expect(adjustment.adjustment).toMatchObject({ invoice_number: october.number, rerated: '7.00', invoiced: '5.00' });

    await page.goto(`${dashboard.url}/#/invoices`);
    await page.getByLabel('Status').selectOption('draft');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('button', { name: 'Review the draft invoice of Grace Co' }).click();
    const dialog = page.getByRole('dialog');
    const line = dialog.locator('tr[data-kind="adjustment"]');
    await line.waitFor();
    const note = line.getByTestId('adjustment-note');
    expect(await note.getAttribute('data-invoice')).toBe(october.number);
    expect(await note.textContent()).toBe(
      `Late usage of units for invoice ${october.number}: re-rated now ${formatMoney('7', 'USD')} (7), invoiced ` +
        `${formatMoney('5', 'USD')} (5)`,
    );
    // The line's own description names the period.
    expect(await line.textContent()).toContain(adjustment.description);
    expect(await line.textContent()).toContain('adjustment');
    expect(await audit(page)).toEqual([]);
    await page.keyboard.press('Escape');
  });
});
