import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eInvoiceModel, renderEInvoiceXml } from '../../functions/adapters/documents/einvoice/index.js';
import { xrechnungGaps } from '../../functions/domain/einvoice.js';
import { SELLER_ENV, startTestStack, type TestStack, testClock } from '../support/stack.js';

/** A finalized invoice of the real close, as an e-invoice: the parties' snapshot carries what XRechnung needs. */
let stack: TestStack;
let invoiceId: string;

async function ok(method: string, path: string, body?: unknown, status = 201) {
  const response = await stack.call(method, path, body);
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  return response.body;
}

beforeAll(async () => {
  const clock = testClock('2026-10-01T00:00:00Z');
  stack = await startTestStack({
    clock,
    env: {
      ...SELLER_ENV,
      BILLING_SELLER_POSTAL_CODE: '10119',
      BILLING_SELLER_EMAIL: 'billing@meterly.example',
      BILLING_SELLER_PHONE: '+49 30 1234567',
      BILLING_SELLER_CONTACT: 'Accounts',
      BILLING_PAYMENT_IBAN: 'DE89370400440532013000',
    },
  });
  await ok('POST', '/v1/meters', { key: 'api', name: 'API calls', event_type: 'api.call', aggregation: 'count' });
  await ok('POST', '/v1/plans', {
    key: 'pro',
    name: 'Pro',
    currency: 'EUR',
    interval: 'month',
    base_fee: { amount: '10.00', timing: 'in_arrears' },
    charges: [{ meter: 'api', display_name: 'API calls', price: { model: 'per_unit', unit_price: '0.25' } }],
  });
  await ok('POST', '/v1/customers', {
    id: 'amt',
    name: 'Bezirksamt Mitte',
    email: 'rechnung@bezirksamt.example',
    currency: 'EUR',
    timezone: 'Europe/Berlin',
    locale: 'de',
    address: { line1: 'Karl-Marx-Allee 31', city: 'Berlin', postal_code: '10178', country: 'DE' },
    buyer_reference: '11001-12345-67',
    invoice_format: 'xrechnung-cii',
  });
  await ok('POST', '/v1/subscriptions', { id: 'sub-amt', customer: 'amt', plan: 'pro', start_date: '2026-10-01' });
  clock.set('2026-10-20T12:00:00Z');
  const events = Array.from({ length: 40 }, (_, i) => ({
    specversion: '1.0',
    id: `amt-${i}`,
    source: 'test',
    type: 'api.call',
    subject: 'amt',
    time: '2026-10-15T10:00:00Z',
  }));
  const ingest = await stack.call('POST', '/v1/events', events, { contentType: 'application/cloudevents-batch+json' });
  expect(ingest.status, JSON.stringify(ingest.body)).toBeLessThan(300);
  clock.set('2026-11-01T02:00:00Z');
  const run = await ok('POST', '/v1/billing-runs', { as_of: '2026-11-01T02:00:00Z' }, 200);
  expect(run.status, JSON.stringify(run)).toBe('succeeded');
  const [invoice] = (await ok('GET', '/v1/invoices?customer=amt', undefined, 200)).data;
  invoiceId = invoice.id;
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

describe('a finalized invoice as XRechnung', () => {
  it('snapshots the Leitweg-ID and the seller contact into its parties, and shows them', async () => {
    const invoice = await stack.deps.invoices.get(invoiceId);
    expect(invoice.buyer).toMatchObject({ buyerReference: '11001-12345-67', email: 'rechnung@bezirksamt.example' });
    expect(invoice.seller).toMatchObject({
      phone: '+49 30 1234567',
      contactName: 'Accounts',
      electronicAddress: 'billing@meterly.example',
    });
    const shown = await ok('GET', `/v1/invoices/${invoiceId}`, undefined, 200);
    expect(shown.buyer.buyer_reference).toBe('11001-12345-67');
    expect(shown.seller.phone).toBe('+49 30 1234567');
  });

  it('lacks nothing XRechnung demands, and its XML states the totals and the Leitweg-ID', async () => {
    const invoice = await stack.deps.invoices.get(invoiceId);
    expect(xrechnungGaps(eInvoiceModel({ kind: 'invoice', invoice }))).toEqual([]);
    for (const format of ['xrechnung-ubl', 'xrechnung-cii'] as const) {
      const xml = renderEInvoiceXml({ kind: 'invoice', invoice }, format);
      expect(xml).toContain('11001-12345-67');
      expect(xml).toContain('DE89370400440532013000');
      expect(xml).toContain(`>${invoice.total}<`);
      expect(xml).toContain(`>${invoice.tax}<`);
    }
  });
});
