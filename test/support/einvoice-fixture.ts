import { oneOffLine } from '../../functions/domain/billing/charge.js';
import { applyCoupon } from '../../functions/domain/billing/coupon.js';
import type { CreditGrant } from '../../functions/domain/billing/credit.js';
import { type CreditNote, computeCreditNote } from '../../functions/domain/billing/credit-note.js';
import type { PlanVersion } from '../../functions/domain/billing/plan.js';
import { progressiveCreditLines } from '../../functions/domain/billing/progressive.js';
import { invoiceAmounts, rateSegment, type Segment } from '../../functions/domain/billing/rating.js';
import { customerTaxBuyer, taxTreatment } from '../../functions/domain/billing/tax.js';
import { Decimal } from '../../functions/domain/decimal.js';
import type { Invoice, InvoiceLine, Party } from '../../functions/domain/invoice.js';
import { NOVEMBER_2026, sampleInvoice } from './invoice-fixture.js';

/**
 * Invoices for e-invoice tests, made by the real domain code (rating, coupons, credits, tax rules)
 * for a German seller: only the frame (number, dates, parties) is written by hand.
 */

export const NOVEMBER: Segment = {
  start: new Date(NOVEMBER_2026.periodStart),
  end: new Date(NOVEMBER_2026.periodEnd),
  full: { start: new Date(NOVEMBER_2026.periodStart), end: new Date(NOVEMBER_2026.periodEnd) },
};

export const SELLER: Party = {
  name: 'Nordlicht Cloud GmbH',
  email: 'billing@nordlicht.example',
  address: { line1: 'Friedrichstraße 123', city: 'Berlin', postalCode: '10117', country: 'DE' },
  taxId: 'DE812345678',
  contactName: 'Buchhaltung',
  phone: '+49 30 1234567',
};

export const IBAN = 'DE89370400440532013000';

const d = (value: string) => new Decimal(value);

/** Business plan: 49 base fee in arrears, API requests graduated (10 000 for 5 flat, 0.002, 0.0015), storage per unit. */
export const BUSINESS_PLAN = {
  key: 'business',
  version: 3,
  name: 'Business',
  currency: 'EUR',
  interval: 'month',
  intervalCount: 1,
  baseFee: { amount: d('49'), timing: 'in_arrears' },
  charges: [
    {
      meter: 'api_requests',
      displayName: 'API requests',
      price: {
        model: 'graduated',
        tiers: [
          { upTo: d('10000'), unitPrice: d('0'), flatFee: d('5') },
          { upTo: d('100000'), unitPrice: d('0.002') },
          { upTo: null, unitPrice: d('0.0015') },
        ],
      },
    },
    { meter: 'storage_gb', displayName: 'Storage (GB)', price: { model: 'per_unit', unitPrice: d('0.125') } },
  ],
  lateUsage: 'reject',
} as unknown as PlanVersion;

export function grant(id: string, category: CreditGrant['category'], amount: string): CreditGrant {
  return {
    id,
    customerId: 'cus_mueller',
    name: category === 'paid' ? 'Prepaid credits' : 'Welcome credit',
    category,
    currency: 'EUR',
    amount,
    balance: amount,
    priority: 50,
    effectiveAt: '2026-10-01T00:00:00Z',
    createdAt: '2026-10-01T00:00:00Z',
    version: 1,
  } as CreditGrant;
}

export const AUTUMN_COUPON = applyCoupon(
  {
    code: 'HERBST10',
    name: 'Herbstrabatt',
    type: 'percentage',
    percent: '10',
    duration: 'once',
    redemptions: 0,
    createdAt: '2026-10-01T00:00:00Z',
  },
  new Date('2026-10-01T00:00:00Z'),
);

export interface BuyerFacts {
  name?: string;
  country: string;
  taxId?: string;
  exempt?: string;
  taxRate?: string;
  buyerReference?: string;
  city?: string;
  postalCode?: string;
}

export interface EInvoiceCase {
  buyer: BuyerFacts;
  coupon?: boolean;
  grants?: CreditGrant[];
  balance?: string;
  extraLines?: InvoiceLine[];
  locale?: string;
  iban?: boolean;
}

/** A one-off charge with its own VAT rate (7 %), billed on the period's invoice. */
export function reducedRateCharge(): InvoiceLine {
  return oneOffLine(
    {
      id: 'chg_books',
      customerId: 'cus_mueller',
      description: 'Handbuch (gedruckt)',
      quantity: '3',
      unitAmount: '12.50',
      currency: 'EUR',
      taxRate: '7',
      createdAt: '2026-11-10T00:00:00Z',
      status: 'pending',
    },
    NOVEMBER_2026,
  );
}

/** What an interim invoice of the period billed already, credited on the period's invoice. */
export function progressiveCredit(): InvoiceLine[] {
  return progressiveCreditLines(
    { invoices: [{ invoiceId: 'inv_interim', invoiceNumber: 'INV-2026-000040', amount: '150.00' }] } as never,
    'EUR',
    NOVEMBER_2026,
  );
}

/** A finalized invoice for November 2026 rated from usage (1 234 567 API requests, 800 GB). */
export function ratedInvoice(facts: EInvoiceCase): Invoice {
  const buyer = facts.buyer;
  const rated = rateSegment({
    plan: BUSINESS_PLAN,
    segment: NOVEMBER,
    usage: [{ quantity: d('1234567') }, { quantity: d('800') }],
    meterNames: {},
    baseFeePeriods: [NOVEMBER],
    tax: taxTreatment(
      { country: 'DE', taxId: SELLER.taxId },
      customerTaxBuyer({
        address: { line1: 'x', city: 'y', country: buyer.country },
        ...(buyer.taxId ? { taxId: buyer.taxId } : {}),
        ...(buyer.exempt ? { taxExempt: true, taxExemptReason: buyer.exempt } : {}),
        ...(buyer.taxRate ? { taxRate: buyer.taxRate } : {}),
      }),
    ),
    coupons: facts.coupon ? [AUTUMN_COUPON] : [],
    grants: facts.grants ?? [],
    ...(facts.extraLines ? { extraLines: facts.extraLines } : {}),
    ...(facts.balance ? { balance: d(facts.balance) } : {}),
  });
  return sampleInvoice({
    locale: facts.locale ?? 'de',
    seller: SELLER,
    buyer: {
      name: buyer.name ?? 'Müller & Söhne Maschinenbau KG',
      email: 'buchhaltung@mueller-soehne.example',
      address: {
        line1: 'Isarstraße 7',
        city: buyer.city ?? 'München',
        postalCode: buyer.postalCode ?? '80469',
        country: buyer.country,
      },
      ...(buyer.taxId ? { taxId: buyer.taxId } : {}),
      ...(buyer.buyerReference ? { buyerReference: buyer.buyerReference } : {}),
    },
    ...invoiceAmounts(rated),
    ...(facts.iban === false
      ? {}
      : { paymentInstructions: { accountHolder: 'Nordlicht Cloud GmbH', iban: IBAN, bic: 'COBADEFFXXX' } }),
  });
}

/** The cases every e-invoice format is checked with: one per tax category, several rates, credits. */
export function eInvoiceCases(): Record<string, Invoice> {
  return {
    standard: ratedInvoice({
      buyer: { country: 'DE', taxId: 'DE298765432', buyerReference: '991-01234-56' },
      coupon: true,
    }),
    reverseCharge: ratedInvoice({
      buyer: {
        name: 'Alpenblick Software GmbH',
        country: 'AT',
        taxId: 'ATU12345678',
        city: 'Wien',
        postalCode: '1070',
      },
      locale: 'de-AT',
    }),
    exempt: ratedInvoice({ buyer: { country: 'DE', exempt: 'gemeinnützig (§ 4 Nr. 22 UStG)' } }),
    outsideEu: ratedInvoice({
      buyer: { name: 'Acme Robotics, Inc.', country: 'US', city: 'Austin', postalCode: '78701' },
      locale: 'en',
      coupon: true,
    }),
    zeroRated: ratedInvoice({ buyer: { country: 'DE', taxRate: '0' }, locale: 'en' }),
    severalRates: ratedInvoice({
      buyer: { country: 'DE', taxId: 'DE298765432' },
      coupon: true,
      extraLines: [reducedRateCharge()],
    }),
    prepaid: ratedInvoice({
      buyer: { country: 'DE' },
      grants: [grant('g_promo', 'promotional', '20'), grant('g_paid', 'paid', '500')],
      balance: '100',
      extraLines: progressiveCredit(),
    }),
    noBankAccount: ratedInvoice({ buyer: { country: 'DE' }, iban: false }),
  };
}

/** A credit note of the standard invoice: its second line (usage) in part, its base fee in full. */
export function creditNoteOf(invoice: Invoice, method: CreditNote['method'] = 'credit_balance'): CreditNote {
  const outcome = computeCreditNote(invoice, {
    lines: [
      { line: 1, amount: d(invoice.lines[0]?.taxableAmount ?? '0') },
      { line: 2, amount: d('100') },
    ],
    method,
  });
  if (!outcome.ok) throw new Error(outcome.refusal.message);
  return {
    id: 'cn_01',
    number: 'CN-2026-000007',
    series: 'CN-2026',
    invoiceId: invoice.id,
    invoiceNumber: invoice.number,
    customerId: invoice.customerId,
    currency: invoice.currency,
    locale: invoice.locale,
    timezone: invoice.timezone,
    issuedAt: '2026-12-10T09:00:00.000Z',
    issueDate: '2026-12-10',
    reason: 'Service outage on 2026-11-20',
    method,
    ...outcome.amounts,
    seller: invoice.seller,
    buyer: invoice.buyer,
    delivery: { status: 'pending', attempts: 0 },
  };
}
