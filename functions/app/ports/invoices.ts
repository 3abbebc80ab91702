import type { OneOffCharge } from '../../domain/billing/charge.js';
import type { AppliedCoupon } from '../../domain/billing/coupon.js';
import type { CreditGrant } from '../../domain/billing/credit.js';
import type { Decimal } from '../../domain/decimal.js';
import type { Invoice } from '../../domain/invoice.js';

/** Port: the invoice store's answers to the application (finalize, the delivery outbox). */

export type FinalizeOutcome = { invoice: Invoice; created: boolean };

/**
 * Which email is owed: the invoice itself, its void notice, a credit note (`credit_note`: the
 * outbox entry and the queue message are keyed by the credit note's id instead of an invoice id), or
 * a dunning email (`reminder`, a reminder or final notice: keyed `<invoice id>~<after_days>:<action>`,
 * one entry per step).
 */
export type DeliveryKind = 'invoice' | 'void' | 'credit_note' | 'reminder';

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
}
