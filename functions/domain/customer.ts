import type { CustomerDunning } from './billing/dunning.js';
import { DOCUMENT_FORMATS, type DocumentFormat } from './document-format.js';

/**
 * How the customer wants its invoices: `pdf` (the default), or an e-invoice: XRechnung UBL or CII
 * (German public sector and B2B), ZUGFeRD (a PDF/A-3 with Factur-X EN 16931 XML inside).
 */
export const INVOICE_FORMATS = DOCUMENT_FORMATS;
export type InvoiceFormat = DocumentFormat;

export interface Address {
  line1: string;
  line2?: string;
  city: string;
  postalCode?: string;
  state?: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
}

export interface Customer {
  /** The sender's own id; CloudEvents `subject`. */
  id: string;
  name: string;
  email: string;
  currency: string;
  /** IANA time zone: periods and daily usage are computed in it. */
  timezone: string;
  locale: string;
  address?: Address;
  taxId?: string;
  /** Percent, decimal string ("19"). */
  taxRate?: string;
  /** Charged no VAT (category E); `taxExemptReason` says why and is printed on the invoice. */
  taxExempt?: boolean;
  /** Set exactly when `taxExempt` is true. */
  taxExemptReason?: string;
  /** The customer's reference for routing our invoices (Leitweg-ID of a German authority): e-invoice BT-10. */
  buyerReference?: string;
  /** Absent: `pdf`. */
  invoiceFormat?: InvoiceFormat;
  paymentTermsDays: number;
  /** Hours an invoice stays a draft after its period (absent: the plan's, else the global setting). */
  invoiceGraceHours?: number;
  /** The customer at the payment provider (Stripe `cus_…`): finalized invoices are collected from it. */
  paymentProviderId?: string;
  /** Set by the store once the customer was given a coupon or credit grant (not part of the profile). */
  creditsHeld?: boolean;
  /**
   * Set by the store (not part of the profile): the UTC months (`yyyy-mm`) with stored usage events,
   * for customers whose item tracks them (created since 2026-12-03); see `mayHaveUsage`.
   */
  usageMonths?: readonly string[];
  /**
   * Set by the store (not part of the profile): whether the customer was ever given a one-off charge,
   * for customers whose item tracks it (created since 2026-12-03; absent: unknown). `false`: no
   * pending charge can exist, so rating reads none.
   */
  oneOffCharges?: boolean;
  /** The customer's own dunning (absent: the configured default schedule). */
  dunning?: CustomerDunning;
  /**
   * Set by the store while dunning suspended the customer (not part of the profile): its events are
   * refused with `customer_suspended`.
   */
  suspended?: CustomerSuspension;
  createdAt: string;
  updatedAt: string;
}

/** Why and since when a customer's events are refused. */
export interface CustomerSuspension {
  at: string;
  invoiceId: string;
  reason: string;
}
