import { Decimal, sum } from '../../functions/domain/decimal.js';
import type { Invoice, InvoiceLine, PriceDetail } from '../../functions/domain/invoice.js';
import { formatAmount } from '../../functions/domain/money.js';

/**
 * Realistic finalized invoices for document tests and benchmarks. `sampleInvoice()` is a German
 * customer billed in EUR for November 2026 (Europe/Berlin): a base fee and a graduated usage line
 * with its tier breakdown, 19 % VAT. Breakdown details have the shape the pricing engine puts on the
 * wire (snake_case, decimal strings).
 */

/** [2026-11-01, 2026-12-01) in Europe/Berlin (UTC+1 in November). */
export const NOVEMBER_2026 = Object.freeze({
  periodStart: '2026-10-31T23:00:00.000Z',
  periodEnd: '2026-11-30T23:00:00.000Z',
});

export function baseFeeLine(overrides: Partial<InvoiceLine> = {}): InvoiceLine {
  return {
    kind: 'base_fee',
    description: 'Business-Tarif – monatliche Grundgebühr',
    quantity: '1',
    unitPrice: '49.00',
    preciseAmount: '49',
    amount: '49.00',
    ...NOVEMBER_2026,
    details: [],
    ...overrides,
  };
}

/** API requests on a graduated price: 10 000 included for a flat 5, then 0.002, then 0.0015. */
export function graduatedUsageLine(overrides: Partial<InvoiceLine> = {}): InvoiceLine {
  const details: PriceDetail[] = [
    {
      kind: 'tier',
      description: 'Tier 1 (up to 10000): 10000 × 0 + flat fee 5',
      quantity: '10000',
      unit_price: '0',
      flat_fee: '5',
      precise_amount: '5',
      amount: '5.00',
      tier: { index: 0, from: '0', up_to: '10000' },
    },
    {
      kind: 'tier',
      description: 'Tier 2 (over 10000 up to 100000): 90000 × 0.002',
      quantity: '90000',
      unit_price: '0.002',
      precise_amount: '180',
      amount: '180.00',
      tier: { index: 1, from: '10000', up_to: '100000' },
    },
    {
      kind: 'tier',
      description: 'Tier 3 (over 100000): 1134567 × 0.0015',
      quantity: '1134567',
      unit_price: '0.0015',
      precise_amount: '1701.8505',
      amount: '1701.85',
      tier: { index: 2, from: '100000', up_to: null },
    },
  ];
  return {
    kind: 'usage',
    description: 'API-Aufrufe',
    meter: 'api_requests',
    quantity: '1234567',
    preciseAmount: '1886.8505',
    amount: '1886.85',
    ...NOVEMBER_2026,
    details,
    ...overrides,
  };
}

/** A matrix usage line: one group per region, one of them on a block-tiered nested price. */
export function matrixUsageLine(overrides: Partial<InvoiceLine> = {}): InvoiceLine {
  return {
    kind: 'usage',
    description: 'Speicher (GB-Monate)',
    meter: 'storage_gb_months',
    quantity: '950',
    preciseAmount: '11',
    amount: '11.00',
    ...NOVEMBER_2026,
    details: [
      {
        kind: 'group',
        description: 'region="eu": 500 units',
        quantity: '500',
        precise_amount: '5',
        amount: '5.00',
        events: 1,
        dimensions: { region: 'eu' },
        model: 'per_unit',
        lines: [
          {
            kind: 'usage',
            description: '500 × 0.01',
            quantity: '500',
            unit_price: '0.01',
            precise_amount: '5',
            amount: '5.00',
          },
        ],
      },
      {
        kind: 'group',
        description: 'region="us": 450 units',
        quantity: '450',
        precise_amount: '6',
        amount: '6.00',
        events: 1,
        dimensions: { region: 'us' },
        model: 'graduated',
        lines: [
          {
            kind: 'tier',
            description: 'Tier 1 (up to 100): 100 × 0.02',
            quantity: '100',
            unit_price: '0.02',
            precise_amount: '2',
            amount: '2.00',
            tier: { index: 0, from: '0', up_to: '100' },
          },
          {
            kind: 'tier',
            description: 'Tier 2 (over 100): 350 units in 4 blocks of 100 × 1',
            quantity: '350',
            precise_amount: '4',
            amount: '4.00',
            tier: { index: 1, from: '100', up_to: null },
            blocks: '4',
            block_size: '100',
            block_price: '1',
          },
        ],
      },
    ],
    ...overrides,
  };
}

/** A per-unit usage line (no informative breakdown). */
export function perUnitLine(index: number, overrides: Partial<InvoiceLine> = {}): InvoiceLine {
  const quantity = new Decimal(1000 + index * 37);
  const unitPrice = new Decimal('0.0125');
  const precise = quantity.times(unitPrice);
  return {
    kind: 'usage',
    description: `Workload ${String(index + 1).padStart(2, '0')} – compute minutes`,
    meter: `compute_minutes_${index + 1}`,
    quantity: quantity.toFixed(),
    unitPrice: unitPrice.toFixed(),
    preciseAmount: precise.toFixed(),
    amount: formatAmount(precise, 'EUR'),
    ...NOVEMBER_2026,
    details: [
      {
        kind: 'usage',
        description: `${quantity.toFixed()} × ${unitPrice.toFixed()}`,
        quantity: quantity.toFixed(),
        unit_price: unitPrice.toFixed(),
        precise_amount: precise.toFixed(),
        amount: formatAmount(precise, 'EUR'),
      },
    ],
    ...overrides,
  };
}

/**
 * Subtotal, tax and total recomputed from the lines (tax rounded half up to the currency's minor unit;
 * no tax when reverse charge applies or no rate is set), so a variant stays arithmetically consistent.
 */
export function withTotals(invoice: Invoice): Invoice {
  const subtotal = sum(invoice.lines.map((line) => new Decimal(line.amount)));
  const rate = invoice.reverseCharge || invoice.taxRate === undefined ? new Decimal(0) : new Decimal(invoice.taxRate);
  const tax = new Decimal(formatAmount(subtotal.times(rate).dividedBy(100), invoice.currency));
  return {
    ...invoice,
    subtotal: formatAmount(subtotal, invoice.currency),
    tax: formatAmount(tax, invoice.currency),
    total: formatAmount(subtotal.plus(tax), invoice.currency),
  };
}

/**
 * A finalized German invoice: EUR, locale "de", Europe/Berlin, 19 % VAT, base fee + graduated usage.
 * Subtotal 1935.85, tax 367.81, total 2303.66. Overrides replace top-level fields as given (totals are
 * not recomputed; wrap in {@link withTotals} when changing lines or tax).
 */
export function sampleInvoice(overrides: Partial<Invoice> = {}): Invoice {
  const base: Invoice = {
    id: 'inv_01JCX7Z8Q4M5N6P7R8S9T0V1W2',
    number: 'INV-2026-000042',
    series: 'INV-2026',
    status: 'finalized',
    customerId: 'cus_mueller',
    subscriptionId: 'sub_mueller_business',
    planKey: 'business',
    planVersion: 3,
    currency: 'EUR',
    locale: 'de',
    timezone: 'Europe/Berlin',
    issueDate: '2026-12-01',
    dueDate: '2026-12-15',
    issuedAt: '2026-12-01T06:00:00.000Z',
    ...NOVEMBER_2026,
    seller: {
      name: 'Nordlicht Cloud GmbH',
      email: 'billing@nordlicht.example',
      address: { line1: 'Friedrichstraße 123', city: 'Berlin', postalCode: '10117', country: 'DE' },
      taxId: 'DE812345678',
    },
    buyer: {
      name: 'Müller & Söhne Maschinenbau KG',
      email: 'buchhaltung@mueller-soehne.example',
      address: { line1: 'Isarstraße 7', line2: 'Gebäude B', city: 'München', postalCode: '80469', country: 'DE' },
      taxId: 'DE298765432',
    },
    lines: [baseFeeLine(), graduatedUsageLine()],
    subtotal: '1935.85',
    taxRate: '19',
    tax: '367.81',
    total: '2303.66',
    reverseCharge: false,
    notes: [
      'Bitte überweisen Sie den Betrag unter Angabe der Rechnungsnummer auf IBAN DE89 3704 0044 0532 0130 00 (BIC COBADEFFXXX).',
    ],
    paymentTermsDays: 14,
    delivery: { status: 'pending', attempts: 0 },
  };
  return { ...base, ...overrides };
}

/** The sample in US English and dollars, for a US customer, without VAT. */
export function usdInvoice(overrides: Partial<Invoice> = {}): Invoice {
  return withTotals(
    sampleInvoice({
      currency: 'USD',
      locale: 'en',
      timezone: 'America/New_York',
      periodStart: '2026-11-01T04:00:00.000Z',
      periodEnd: '2026-12-01T05:00:00.000Z',
      lines: [
        baseFeeLine({
          description: 'Business plan – monthly base fee',
          periodStart: '2026-11-01T04:00:00.000Z',
          periodEnd: '2026-12-01T05:00:00.000Z',
        }),
        graduatedUsageLine({
          description: 'API requests',
          periodStart: '2026-11-01T04:00:00.000Z',
          periodEnd: '2026-12-01T05:00:00.000Z',
        }),
      ],
      buyer: {
        name: 'Acme Robotics, Inc.',
        email: 'ap@acme.example',
        address: { line1: '500 Congress Ave', city: 'Austin', state: 'TX', postalCode: '78701', country: 'US' },
      },
      taxRate: undefined,
      notes: ['Pay by ACH to account 000123456789, routing 021000021, quoting the invoice number.'],
      ...overrides,
    }),
  );
}

/** A Japanese-yen invoice (no minor unit). */
export function jpyInvoice(overrides: Partial<Invoice> = {}): Invoice {
  return withTotals(
    sampleInvoice({
      currency: 'JPY',
      locale: 'en',
      timezone: 'Asia/Tokyo',
      periodStart: '2026-10-31T15:00:00.000Z',
      periodEnd: '2026-11-30T15:00:00.000Z',
      taxRate: '10',
      lines: [
        baseFeeLine({
          description: 'Business plan – monthly base fee',
          unitPrice: '9800',
          preciseAmount: '9800',
          amount: '9800',
          periodStart: '2026-10-31T15:00:00.000Z',
          periodEnd: '2026-11-30T15:00:00.000Z',
        }),
        {
          kind: 'usage',
          description: 'API requests',
          meter: 'api_requests',
          quantity: '250000',
          unitPrice: '0.15',
          preciseAmount: '37500',
          amount: '37500',
          periodStart: '2026-10-31T15:00:00.000Z',
          periodEnd: '2026-11-30T15:00:00.000Z',
          details: [],
        },
      ],
      ...overrides,
    }),
  );
}

/** An intra-EU B2B invoice to an Austrian company: reverse charge, no VAT, in de-AT. */
export function reverseChargeInvoice(overrides: Partial<Invoice> = {}): Invoice {
  return withTotals(
    sampleInvoice({
      locale: 'de-AT',
      buyer: {
        name: 'Alpenblick Software GmbH',
        address: { line1: 'Mariahilfer Straße 50', city: 'Wien', postalCode: '1070', country: 'AT' },
        taxId: 'ATU12345678',
      },
      reverseCharge: true,
      taxRate: undefined,
      ...overrides,
    }),
  );
}

/** The sample, voided after issue. */
export function voidInvoice(overrides: Partial<Invoice> = {}): Invoice {
  return sampleInvoice({
    status: 'void',
    voided: { at: '2026-12-03T09:30:00.000Z', reason: 'Falscher Rechnungsempfänger' },
    ...overrides,
  });
}

/** The sample with `count` lines: a base fee, the graduated and matrix lines, then per-unit lines. */
export function invoiceWithLines(count: number, overrides: Partial<Invoice> = {}): Invoice {
  const lines: InvoiceLine[] = [baseFeeLine(), graduatedUsageLine(), matrixUsageLine()].slice(0, count);
  for (let index = 0; lines.length < count; index++) lines.push(perUnitLine(index));
  return withTotals(sampleInvoice({ lines, ...overrides }));
}
