import type { AppliedCoupon } from '../../domain/billing/coupon.js';
import type { CreditGrant } from '../../domain/billing/credit.js';
import type { Decimal } from '../../domain/decimal.js';
import type { Invoice } from '../../domain/invoice.js';

/** Port: the invoice store's answers to the application (finalize, the delivery outbox). */

export type FinalizeOutcome = { invoice: Invoice; created: boolean };

/**
 * Which email is owed: the invoice itself, its void notice, or a credit note (`credit_note`: the
 * outbox entry and the queue message are keyed by the credit note's id instead of an invoice id).
 */
export type DeliveryKind = 'invoice' | 'void' | 'credit_note';

export interface OutboxEntry {
  /** The invoice id; for `credit_note`, the credit note id. */
  invoiceId: string;
  kind: DeliveryKind;
  /** When the email became owed. */
  since: string;
}

/** What a new invoice spends of the customer's coupons and grants: written in the invoice's transaction. */
export interface CreditSpend {
  couponsAfter: readonly AppliedCoupon[];
  grantsDrawn: ReadonlyArray<{ grant: CreditGrant; drawn: Decimal }>;
}
