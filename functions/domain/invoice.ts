import type { CreditNoteSummary, LineCredited } from './billing/credit-note.js';
import type { InvoiceDunning } from './billing/dunning.js';
import type { Payment, PaymentAttempt, PaymentStatus, Refund } from './billing/payment.js';
import { ZERO } from './decimal.js';
import { formatAmount } from './money.js';
/**
 * A finalized invoice as stored and served. Amounts are decimal strings (exact, already rounded to
 * the currency's minor unit where named `amount`, `subtotal`, `tax`, `total`); `preciseAmount` keeps
 * the unrounded value. Everything needed to render it (PDF, email) is inside: rendering never looks
 * anything up, so the same invoice always renders the same document.
 */
export interface Party {
  name: string;
  email?: string;
  address?: {
    line1: string;
    line2?: string;
    city: string;
    postalCode?: string;
    state?: string;
    /** ISO 3166-1 alpha-2. */
    country: string;
  };
  /** VAT id, e.g. "DE123456789". */
  taxId?: string;
  /** Seller: contact person or department (e-invoice BT-41; absent: the seller's name). */
  contactName?: string;
  /** Seller: contact telephone (e-invoice BT-42, XRechnung requires it). */
  phone?: string;
  /** Electronic address for e-invoices (BT-34 / BT-49, scheme EM: an e-mail address); absent: `email`. */
  electronicAddress?: string;
  /** Buyer: the customer's reference for routing the invoice (Leitweg-ID; e-invoice BT-10). */
  buyerReference?: string;
}

/** One explained step of a price (tier, block, band, matrix cell...): the wire lines of the pricing engine. */
export interface PriceDetail {
  description: string;
  quantity: string;
  unit_price?: string;
  flat_fee?: string;
  precise_amount: string;
  amount: string;
  lines?: PriceDetail[];
  [key: string]: unknown;
}

export type InvoiceLineKind =
  | 'usage'
  | 'base_fee'
  | 'minimum_commitment'
  | 'one_off'
  | 'adjustment'
  /** Negative: what interim (progressive) invoices of the period billed already. */
  | 'progressive_credit';

/** An interim invoice of the period credited on a later invoice of the same period. */
export interface ProgressiveCreditFacts {
  invoiceId: string;
  invoiceNumber: string;
  /** What the interim invoice billed before tax (positive; the line's amount is its negative). */
  amount: string;
}

/** A one-off charge billed on this invoice (`POST /v1/customers/{id}/charges`). */
export interface OneOffFacts {
  /** The charge's id. */
  charge: string;
  /** The charge's own VAT rate (percent), used where the invoice's treatment is standard-rated VAT. */
  taxRate?: string;
}

/**
 * A late-usage adjustment: a charge of an earlier invoice rated again over its whole period with the
 * usage counted since (late events, cancellations). The line bills the difference.
 */
export interface AdjustmentFacts {
  /** The charge's name as the earlier invoice printed it. */
  name: string;
  invoiceId: string;
  invoiceNumber: string;
  /** The re-rated charge's meter and the earlier period. */
  meter: string;
  periodStart: string;
  periodEnd: string;
  /** The whole period rated now, and what was billed for it before this line (amounts rounded). */
  rerated: string;
  invoiced: string;
  reratedQuantity: string;
  invoicedQuantity: string;
}

/** What a base-fee line charges, as facts a document words in its own language. */
export interface BaseFeeFacts {
  /** The plan's display name ("Business"). */
  plan: string;
  timing: 'in_advance' | 'in_arrears';
  /** Share of the full period charged (10 decimal places): "1", or e.g. "0.5" when prorated. */
  prorationFactor: string;
}

/** What a minimum-commitment true-up line tops up: both amounts rounded to the currency's minor unit. */
export interface CommitmentFacts {
  /** The commitment for the line's period (prorated when the period is partial). */
  commitment: string;
  /** What the other lines billed before the true-up. */
  billed: string;
}

export interface InvoiceLine {
  kind: InvoiceLineKind;
  description: string;
  /** Meter key for usage lines. */
  meter?: string;
  quantity: string;
  /** Shown when the line has one price per unit. */
  unitPrice?: string;
  preciseAmount: string;
  amount: string;
  /** ISO instants of the service period this line covers. */
  periodStart: string;
  periodEnd: string;
  /** How the amount came about (tiers, blocks, bands...). */
  details: PriceDetail[];
  /**
   * Facts of a base-fee or true-up line, so documents word it in the customer's language (the
   * `description` is the API's English text). Invoices stored before these existed have none:
   * documents fall back to the description.
   */
  baseFee?: BaseFeeFacts;
  commitment?: CommitmentFacts;
  oneOff?: OneOffFacts;
  adjustment?: AdjustmentFacts;
  progressiveCredit?: ProgressiveCreditFacts;
}

/**
 * How to pay, as the seller configured it when the invoice was issued. Documents compose the
 * sentence in the invoice's language from the bank details, unless `text` holds the seller's own
 * wording for that language.
 */
export interface PaymentInstructions {
  accountHolder?: string;
  /** Electronic format, no spaces ("DE02100100100123456789"). */
  iban?: string;
  bic?: string;
  /** Free text per language ("en", "de") that replaces the composed sentence. */
  text?: Record<string, string>;
}

/** One line's shares of the invoice's totals, each rounded to the currency's minor unit. */
export interface LineShares {
  discount: string;
  promotionalCredits: string;
  taxableAmount: string;
  taxCategory: string;
  taxRate: string;
  tax: string;
  paidCredits: string;
  amountDue: string;
}

export interface DiscountApplied {
  coupon: string;
  name: string;
  amount: string;
}

export interface CreditApplied {
  grant: string;
  name: string;
  category: 'paid' | 'promotional';
  amount: string;
}

export interface TaxBreakdown {
  category: string;
  rate: string;
  taxableAmount: string;
  tax: string;
  reason?: string;
  /** The tax rule that chose the rate (see functions/domain/billing/tax.ts). */
  rule?: string;
  /** exempt: the customer's own reason, printed in any language. */
  exemption?: string;
}

export interface InvoiceTotals {
  subtotal: string;
  discountTotal: string;
  promotionalCredits: string;
  taxableAmount: string;
  tax: string;
  total: string;
  paidCredits: string;
  creditsApplied: string;
  /** What the customer balance (credit notes) paid of the total. */
  balanceApplied: string;
  amountDue: string;
}

/** `draft`: during the invoice grace period, without a number; it becomes `finalized` with its number. */
export type InvoiceStatus = 'draft' | 'finalized' | 'paid' | 'void';
/**
 * `subscription`: a period's invoice; `one_off`: one-off charges invoiced at once; `reissue`: a voided
 * period invoiced again; `progressive`: an interim invoice of a period whose usage crossed a threshold.
 */
export type InvoiceKind = 'subscription' | 'one_off' | 'reissue' | 'progressive';
export type DeliveryStatus = 'pending' | 'sent';

export interface Invoice {
  id: string;
  /** Gapless per series, e.g. "INV-2026-000001"; empty while a draft. */
  number: string;
  /** Absent on invoices from before: `subscription`. */
  kind?: InvoiceKind;
  series: string;
  status: InvoiceStatus;
  customerId: string;
  subscriptionId: string;
  planKey: string;
  planVersion: number;
  currency: string;
  /** BCP 47 locale the documents are written in ("en", "de"). */
  locale: string;
  timezone: string;
  /** Local dates (YYYY-MM-DD) in the customer's time zone. */
  issueDate: string;
  dueDate: string;
  issuedAt: string;
  /** ISO instants: the service period. */
  periodStart: string;
  periodEnd: string;
  seller: Party;
  buyer: Party;
  lines: Array<InvoiceLine & Partial<LineShares>>;
  subtotal: string;
  /** Percent ("19"); absent when no tax applies. */
  taxRate?: string;
  tax: string;
  total: string;
  reverseCharge: boolean;
  /**
   * What came off the subtotal and what pays the total (invoices issued before coupons and credits have
   * none: read them as no discount, no credits, amount due = total). See {@link invoiceTotalsOf}.
   */
  discountTotal?: string;
  promotionalCredits?: string;
  taxableAmount?: string;
  paidCredits?: string;
  creditsApplied?: string;
  /** What the invoice drew from the customer's balance (its finalize wrote the draw); a void gives it back. */
  balanceApplied?: string;
  amountDue?: string;
  discounts?: DiscountApplied[];
  credits?: CreditApplied[];
  taxBreakdown?: TaxBreakdown[];
  /** Free-text notes printed on the invoice (reverse-charge wording; payment instructions on invoices issued before `paymentInstructions`). */
  notes: string[];
  /** Bank transfer details printed on the documents, in the invoice's language. */
  paymentInstructions?: PaymentInstructions;
  paymentTermsDays: number;
  delivery: { status: DeliveryStatus; messageId?: string; sentAt?: string; attempts: number; lastError?: string };
  voided?: { at: string; reason: string };
  /** A draft: when its grace ends and the close finalizes it. */
  graceEndsAt?: string;
  /** A voided invoice issued again: the new invoice's id (and, on the new one, the voided one's). */
  reissuedAs?: string;
  reissueOf?: string;
  /** Set when the invoice became paid: when, and the reference of the payment that settled it. */
  payment?: { paidAt: string; reference: string };
  /** Payments received, oldest first (see functions/domain/billing/payment.ts); absent before the first. */
  payments?: Payment[];
  /** Σ of the payments' `applied` amounts (absent: none, or marked paid in full before partial payments). */
  amountPaid?: string;
  paymentStatus?: PaymentStatus;
  /**
   * `automatic`: collected through the payment provider (the customer had a provider customer id when
   * the invoice was made): its finalization owes a `payment` task in the same transaction.
   */
  collection?: 'automatic';
  /** Tries at collecting through the payment provider, oldest first. */
  paymentAttempts?: PaymentAttempt[];
  /** Refunds paid out against the invoice (credit notes with method `refund`, or reported by the provider). */
  refunds?: Refund[];
  /** The credit notes issued against the invoice, oldest first (see functions/domain/billing/credit-note.ts). */
  creditNotes?: CreditNoteSummary[];
  /** Σ of the credit notes' totals. */
  creditedTotal?: string;
  /** Net and tax credited so far per line (aligned with `lines`): what later credit notes start from. */
  creditedLines?: LineCredited[];
  /** The dunning steps recorded while the invoice was overdue (see functions/domain/billing/dunning.ts). */
  dunning?: InvoiceDunning;
  /** A `progressive` invoice: which threshold (1-based, over the period) it billed, and at what level. */
  progressive?: { index: number; threshold: string };
}

/** The invoice's totals, also for invoices issued before discounts and credits existed. */
export function invoiceTotalsOf(invoice: Invoice): InvoiceTotals {
  const zero = formatAmount(ZERO, invoice.currency);
  return {
    subtotal: invoice.subtotal,
    discountTotal: invoice.discountTotal ?? zero,
    promotionalCredits: invoice.promotionalCredits ?? zero,
    taxableAmount: invoice.taxableAmount ?? invoice.subtotal,
    tax: invoice.tax,
    total: invoice.total,
    paidCredits: invoice.paidCredits ?? zero,
    creditsApplied: invoice.creditsApplied ?? zero,
    balanceApplied: invoice.balanceApplied ?? zero,
    amountDue: invoice.amountDue ?? invoice.total,
  };
}
