import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredEmail } from '../../local/ses-local.js';
import { eventually } from '../support/eventually.js';
import { SELLER_ENV, startTestStack, type TestClock, type TestStack, testClock } from '../support/stack.js';

/**
 * E-invoices through the HTTP API on a real stack: invoices from a real close for each tax category
 * (standard, reverse charge, exempt, outside the scope), fetched as XRechnung UBL, XRechnung CII and
 * ZUGFeRD; a credit note; the customer's invoice_format deciding the email attachment and the
 * default format; the portal; hostile input. The XML is read back here (totals equal the invoice's);
 * the official EN 16931 rules are run over such files in development (docs/einvoice.md).
 */
let stack: TestStack;
let clock: TestClock;
let seq = 0;

async function ok(method: string, path: string, body?: unknown, status = 201) {
  const response = await stack.call(method, path, body);
  expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBe(status);
  return response.body;
}

const CUSTOMERS: Record<string, Record<string, unknown>> = {
  // Domestic B2B: standard rate (S, 19 %); XRechnung CII by email, with a Leitweg-ID.
  'c-de': {
    address: { line1: 'Am Markt 1', city: 'Köln', postal_code: '50667', country: 'DE' },
    tax_id: 'DE987654321',
    invoice_format: 'xrechnung-cii',
    buyer_reference: '05315000-12345-67',
  },
  // EU B2B across the border: reverse charge (AE).
  'c-rc': {
    address: { line1: '1 rue de Rivoli', city: 'Paris', postal_code: '75001', country: 'FR' },
    tax_id: 'FR40303265045',
    invoice_format: 'xrechnung-ubl',
  },
  // Exempt (E) with the customer's reason; ZUGFeRD by email.
  'c-ex': {
    address: { line1: 'Hauptstr. 5', city: 'Bonn', postal_code: '53111', country: 'DE' },
    tax_exempt: true,
    tax_exempt_reason: 'Steuerbefreit nach § 4 Nr. 21 UStG',
    invoice_format: 'zugferd',
  },
  // Outside the EU: not subject to German VAT (O).
  'c-us': { address: { line1: '1 Main St', city: 'Austin', postal_code: '78701', country: 'US' } },
  // No format asked for: the PDF.
  'c-plain': { address: { line1: 'Torstr. 9', city: 'Berlin', postal_code: '10119', country: 'DE' } },
};
const invoices: Record<string, any> = {};

const emailsTo = async (address: string): Promise<StoredEmail[]> =>
  (await stack.delivery!.ses.emails()).filter((email) => email.destination.to.some((to) => to.includes(address)));

/** GET a document's bytes (the API answers documents base64-encoded through API Gateway). */
async function fetchDocument(path: string, token?: string) {
  const response = await fetch(`${stack.url}${path}`, {
    headers: { authorization: `Bearer ${token ?? stack.adminKey}` },
  });
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    disposition: response.headers.get('content-disposition') ?? '',
    body: Buffer.from(await response.arrayBuffer()),
  };
}

/** The text of the first element with this (prefixed) name. */
function first(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}(?:\\s[^>]*)?>([^<]*)</${name}>`).exec(xml)?.[1];
}

/** The files embedded in a PDF, by name. */
async function attachmentsOf(pdf: Buffer): Promise<Record<string, Buffer>> {
  const document = await getDocument({ data: new Uint8Array(pdf), isEvalSupported: false, verbosity: 0 }).promise;
  try {
    const found = ((await document.getAttachments()) ?? {}) as Record<
      string,
      { filename: string; content: Uint8Array }
    >;
    return Object.fromEntries(Object.values(found).map((file) => [file.filename, Buffer.from(file.content)]));
  } finally {
    await document.destroy();
  }
}

/** What the XML says the invoice totals are, in either syntax. */
function totalsOf(xml: string) {
  if (xml.includes('CrossIndustryInvoice'))
    return {
      net: first(xml, 'ram:TaxBasisTotalAmount'),
      tax: first(xml, 'ram:TaxTotalAmount'),
      total: first(xml, 'ram:GrandTotalAmount'),
      due: first(xml, 'ram:DuePayableAmount'),
      number: first(xml, 'ram:ID'),
      categories: [...xml.matchAll(/<ram:CategoryCode>([A-Z]+)<\/ram:CategoryCode>/g)].map((m) => m[1]),
    };
  return {
    net: first(xml, 'cbc:TaxExclusiveAmount'),
    tax: first(xml, 'cbc:TaxAmount'),
    total: first(xml, 'cbc:TaxInclusiveAmount'),
    due: first(xml, 'cbc:PayableAmount'),
    number: first(xml, 'cbc:ID'),
    categories: [...xml.matchAll(/<cac:ClassifiedTaxCategory>\s*<cbc:ID>([A-Z]+)<\/cbc:ID>/g)].map((m) => m[1]),
  };
}

beforeAll(async () => {
  clock = testClock('2026-10-01T00:00:00Z');
  stack = await startTestStack({
    clock,
    env: {
      ...SELLER_ENV,
      BILLING_SELLER_POSTAL_CODE: '10115',
      BILLING_SELLER_EMAIL: 'rechnung@meterly.example',
      BILLING_SELLER_PHONE: '+49 30 1234567',
      BILLING_SELLER_CONTACT: 'Buchhaltung',
      BILLING_PAYMENT_IBAN: 'DE89370400440532013000',
      BILLING_PAYMENT_BIC: 'COBADEFFXXX',
      BILLING_SENDER_EMAIL: 'billing@meterly.example',
    },
    delivery: { pollIntervalMs: 50, sweepIntervalSeconds: 0 },
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
  for (const [id, fields] of Object.entries(CUSTOMERS)) {
    await ok('POST', '/v1/customers', {
      id,
      name: `Kunde ${id}`,
      email: `${id}@example.com`,
      currency: 'EUR',
      timezone: 'Europe/Berlin',
      locale: 'de',
      ...fields,
    });
    await ok('POST', '/v1/subscriptions', { id: `sub-${id}`, customer: id, plan: 'pro', start_date: '2026-10-01' });
  }
  // A draft: this customer's invoices wait 48 hours before they are finalized.
  await ok('POST', '/v1/customers', {
    id: 'c-draft',
    name: 'Kunde c-draft',
    email: 'c-draft@example.com',
    currency: 'EUR',
    timezone: 'Europe/Berlin',
    invoice_grace_hours: 48,
  });
  await ok('POST', '/v1/subscriptions', {
    id: 'sub-c-draft',
    customer: 'c-draft',
    plan: 'pro',
    start_date: '2026-10-01',
  });
  clock.set('2026-10-20T12:00:00Z');
  const events = [...Object.keys(CUSTOMERS), 'c-draft'].flatMap((subject) =>
    Array.from({ length: 37 }, () => ({
      specversion: '1.0',
      id: `${subject}-${seq++}`,
      source: 'test',
      type: 'api.call',
      subject,
      time: '2026-10-15T10:00:00Z',
    })),
  );
  const response = await stack.call('POST', '/v1/events', events, {
    contentType: 'application/cloudevents-batch+json',
  });
  expect(response.status, JSON.stringify(response.body)).toBeLessThan(300);
  clock.set('2026-11-01T02:00:00Z');
  const run = await ok('POST', '/v1/billing-runs', { as_of: '2026-11-01T02:00:00Z' }, 200);
  expect(run.status, JSON.stringify(run)).toBe('succeeded');
  for (const id of [...Object.keys(CUSTOMERS), 'c-draft']) {
    const [invoice] = (await ok('GET', `/v1/invoices?customer=${id}`, undefined, 200)).data;
    invoices[id] = invoice;
  }
  clock.set('2026-11-02T09:00:00Z');
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

describe('e-invoices', () => {
  it.each([
    ['c-de', 'S'],
    ['c-rc', 'AE'],
    ['c-ex', 'E'],
    ['c-us', 'O'],
  ])('%s (%s): XRechnung UBL and CII say what the invoice says', async (customer, category) => {
    const invoice = invoices[customer];
    expect(invoice.status).toBe('finalized');
    for (const format of ['xrechnung-ubl', 'xrechnung-cii']) {
      const document = await fetchDocument(`/v1/invoices/${invoice.id}/einvoice?format=${format}`);
      expect(document.status, document.body.toString()).toBe(200);
      expect(document.type).toMatch(/^application\/xml/);
      expect(document.disposition).toContain(`${invoice.number}.xml`);
      const xml = document.body.toString('utf8');
      expect(xml).toContain(format === 'xrechnung-ubl' ? '<Invoice' : 'CrossIndustryInvoice');
      expect(xml).toContain('urn:xeinkauf.de:kosit:xrechnung_3.0');
      const totals = totalsOf(xml);
      expect(totals).toMatchObject({ net: invoice.subtotal, tax: invoice.tax, total: invoice.total });
      expect(totals.categories.length).toBeGreaterThan(0);
      expect(new Set(totals.categories)).toEqual(new Set([category]));
      expect(xml).toContain(invoice.number);
      expect(xml).toContain('DE89370400440532013000');
    }
  });

  it('ZUGFeRD: a PDF/A-3 with the CII XML (Factur-X EN 16931) inside, its totals the invoice', async () => {
    const invoice = invoices['c-de'];
    const document = await fetchDocument(`/v1/invoices/${invoice.id}/einvoice?format=zugferd`);
    expect(document.status).toBe(200);
    expect(document.type).toBe('application/pdf');
    expect(document.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(document.body.toString('latin1')).toContain('pdfaid:part');
    const files = await attachmentsOf(document.body);
    const xml = files['factur-x.xml']?.toString('utf8');
    expect(xml).toBeDefined();
    expect(xml).toContain('urn:cen.eu:en16931:2017');
    expect(totalsOf(xml!)).toMatchObject({ net: invoice.subtotal, tax: invoice.tax, total: invoice.total });
  });

  it("without ?format, the customer's invoice_format (else XRechnung UBL); the Leitweg-ID is BT-10", async () => {
    const cii = await fetchDocument(`/v1/invoices/${invoices['c-de'].id}/einvoice`);
    expect(cii.body.toString()).toContain('CrossIndustryInvoice');
    expect(first(cii.body.toString(), 'ram:BuyerReference')).toBe('05315000-12345-67');
    const ubl = await fetchDocument(`/v1/invoices/${invoices['c-plain'].id}/einvoice`);
    expect(ubl.body.toString()).toContain('<Invoice');
  });

  it('a credit note is an e-invoice too: type 381, naming the invoice it corrects, its own totals', async () => {
    const invoice = invoices['c-de'];
    const line = invoice.lines.findIndex((l: any) => l.kind === 'usage') + 1;
    const note = await ok('POST', `/v1/invoices/${invoice.id}/credit-notes`, {
      lines: [{ line, amount: '2.50' }],
      reason: 'Outage',
      method: 'credit_balance',
    });
    for (const format of ['xrechnung-ubl', 'xrechnung-cii']) {
      const document = await fetchDocument(`/v1/credit-notes/${note.id}/einvoice?format=${format}`);
      expect(document.status, document.body.toString()).toBe(200);
      const xml = document.body.toString('utf8');
      expect(xml).toContain(format === 'xrechnung-ubl' ? '<CreditNote' : '381');
      expect(xml).toContain(invoice.number);
      expect(xml).toContain(note.number);
      expect(totalsOf(xml)).toMatchObject({ net: note.subtotal, tax: note.tax, total: note.total });
    }
  });

  it('emails attach what the customer asked for: XRechnung XML, ZUGFeRD PDF, or the PDF', async () => {
    const attachmentsTo = async (customer: string) => {
      const [email] = await eventually(`the email to ${customer}`, async () => {
        const found = await emailsTo(`${customer}@example.com`);
        return found.length > 0 ? found : undefined;
      });
      return email!.attachments;
    };
    const cii = await attachmentsTo('c-de');
    expect(cii).toHaveLength(1);
    expect(cii[0]).toMatchObject({ filename: `${invoices['c-de'].number}.xml` });
    expect(Buffer.from(cii[0]!.content, 'base64').toString()).toContain('CrossIndustryInvoice');
    const zugferd = await attachmentsTo('c-ex');
    expect(zugferd[0]).toMatchObject({ filename: `${invoices['c-ex'].number}.pdf`, contentType: 'application/pdf' });
    const files = await attachmentsOf(Buffer.from(zugferd[0]!.content, 'base64'));
    expect(Object.keys(files)).toEqual(['factur-x.xml']);
    const pdf = await attachmentsTo('c-plain');
    expect(pdf[0]).toMatchObject({ filename: `${invoices['c-plain'].number}.pdf`, contentType: 'application/pdf' });
    expect(await attachmentsOf(Buffer.from(pdf[0]!.content, 'base64'))).toEqual({});
  });

  it('the portal serves its own invoices as e-invoices, and no other customer’s', async () => {
    const { token } = await ok('POST', '/v1/customers/c-rc/portal-links', {});
    const own = await fetchDocument(`/v1/portal/invoices/${invoices['c-rc'].id}/einvoice`, token);
    expect(own.status).toBe(200);
    expect(own.body.toString()).toContain('<Invoice');
    const other = await fetchDocument(`/v1/portal/invoices/${invoices['c-de'].id}/einvoice`, token);
    expect(other.status).toBe(404);
  });

  it('a draft has no e-invoice yet (409), and nothing changes', async () => {
    const draft = invoices['c-draft'];
    expect(draft.status).toBe('draft');
    const response = await stack.call('GET', `/v1/invoices/${draft.id}/einvoice?format=xrechnung-ubl`);
    expect(response.status).toBe(409);
    expect(JSON.stringify(response.body)).toMatch(/draft/);
    expect((await stack.call('GET', `/v1/invoices/${draft.id}`)).body.status).toBe('draft');
  });

  it.each([
    ['format=docx', '?/format'],
    ['format=', '?/format'],
    ['format=XRECHNUNG-UBL', '?/format'],
    ['format=xrechnung-ubl%00', '?/format'],
    ['format=%ED%A0%80', ''],
    ['constructor=1', ''],
    ['format=xrechnung-ubl&format=zugferd', ''],
    [`format=${'x'.repeat(5000)}`, ''],
  ])('hostile query #%# is refused with 4xx naming the problem, and the invoice is unchanged', async (query, field) => {
    const invoice = invoices['c-de'];
    const before = (await stack.call('GET', `/v1/invoices/${invoice.id}`)).body;
    const response = await stack.call('GET', `/v1/invoices/${invoice.id}/einvoice?${query}`);
    expect(response.status, JSON.stringify(response.body)).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    if (field) expect(JSON.stringify(response.body)).toContain(field);
    expect((await stack.call('GET', `/v1/invoices/${invoice.id}`)).body).toEqual(before);
  });

  it('a __proto__ query key is dropped before validation: never 5xx, nothing changes', async () => {
    const invoice = invoices['c-de'];
    const before = (await stack.call('GET', `/v1/invoices/${invoice.id}`)).body;
    const response = await stack.call('GET', `/v1/invoices/${invoice.id}/einvoice?__proto__=1&format=xrechnung-ubl`);
    expect(response.status).toBeLessThan(500);
    expect((await stack.call('GET', `/v1/invoices/${invoice.id}`)).body).toEqual(before);
  });

  it('unknown documents are 404, with or without a format', async () => {
    for (const path of [
      '/v1/invoices/inv_nope/einvoice',
      '/v1/invoices/inv_nope/einvoice?format=zugferd',
      '/v1/credit-notes/cn_nope/einvoice?format=xrechnung-cii',
    ])
      expect((await stack.call('GET', path)).status, path).toBe(404);
  });
});
