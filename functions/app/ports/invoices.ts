import type { OneOffCharge } from '../../domain/billing/charge.js';
import type { AppliedCoupon } from '../../domain/billing/coupon.js';
import type { CreditGrant } from '../../domain/billing/credit.js';
import type { ProgressiveState } from '../../domain/billing/progressive.js';
import type { Decimal } from '../../domain/decimal.js';
import type { Invoice } from '../../domain/invoice.js';

/** Port: the invoice store's answers to the application (finalize, the delivery outbox). */

export type FinalizeOutcome = { invoice: Invoice; created: boolean };

/**
 * What is owed: the invoice's email, its void notice, a credit note's email (`credit_note`: the
 * outbox entry and the queue message are keyed by the credit note's id instead of an invoice id), a
 * dunning email (`reminder`, a reminder or final notice: keyed `<invoice id>~<after_days>:<action>`,
 * one entry per step), a payment task, or an outbound webhook (`webhook`: keyed by the event id for its
 * fan-out, `<event id>~<endpoint id>` for its delivery to one endpoint; functions/app/webhooks.ts), or a
 * usage alert's email (`alert`: keyed `<alert id>~<period start>`; functions/app/alerts.ts).
 */
export type DeliveryKind = 'invoice' | 'void' | 'credit_note' | 'reminder' | 'webhook' | 'alert' | PaymentTaskKind;

/** The emails of an invoice itself (each has its delivery record on the invoice). */
export type InvoiceEmailKind = 'invoice' | 'void';

/**
 * Work owed to the payment provider, through the same outbox and queue as the emails: `payment`
 * collects a finalized invoice (keyed by the invoice id), `refund` pays out a credit note with method
 * `refund` (keyed by the note's id).
 */
export type PaymentTaskKind = 'payment' | 'refund';
export const PAYMENT_TASK_KINDS: readonly PaymentTaskKind[] = Object.freeze(['payment', 'refund']);

export interface OutboxEntry {
  /** The invoice id; for `credit_note`, the credit note id. */
  invoiceId: string;
  kind: DeliveryKind;
  /** When the email became owed. */
  since: string;
}

/**
 * What an earlier invoice's charge is billed at now: its usage line, plus the late-usage adjustments
 * since (`version` 0: none yet). Stored beside that invoice; moved by the invoice that adjusts it.
 */
export interface BilledCharge {
  invoiceId: string;
  meter: string;
  quantity: string;
  amount: string;
  version: number;
}

/**
 * What a new invoice changes besides itself, written in the invoice's transaction: the customer's
 * coupons and grants it spends, the one-off charges it bills, the earlier charges it adjusts.
 */
export interface CreditSpend {
  couponsAfter: readonly AppliedCoupon[];
  grantsDrawn: ReadonlyArray<{ grant: CreditGrant; drawn: Decimal }>;
  charges?: readonly OneOffCharge[];
  adjusted?: readonly BilledCharge[];
  /** What the invoice draws from the customer balance, read at `version`. */
  balance?: { currency: string; version: number; drawn: Decimal };
  /**
   * An interim (progressive) invoice: the period's marker moves from `previous` (the state it was
   * computed from; another interim invoice written since cancels the transaction) to level `index`,
   * adding this invoice and what it billed (`amount`, net).
   */
  progressive?: ProgressiveMark;
}

/** The marker of a period's interim invoices, moved by the interim invoice's transaction. */
export interface ProgressiveMark {
  subscriptionId: string;
  periodStart: string;
  previous: ProgressiveState;
  index: number;
  amount: string;
}
