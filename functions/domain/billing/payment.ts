import { Decimal } from '../decimal.js';
import type { Invoice } from '../invoice.js';
import { formatAmount, minorUnits } from '../money.js';

/**
 * Payments received against an invoice (a card charge through the payment provider, a bank transfer
 * recorded by hand), partial ones included, and what an invoice still owes.
 *
 * An invoice is owed its `amountDue` (after credits and the balance; lowered by `reduce_amount_due`
 * credit notes). Payments add to `amountPaid`; once nothing remains the invoice is `paid`. Money
 * received beyond what remains (an overpayment, a payment on an invoice paid or voided meanwhile)
 * goes to the customer balance, so nothing received is ever lost.
 */

/** `provider`: collected by the payment provider (Stripe); `manual`: recorded by a person (bank transfer, cash, cheque). */
export type PaymentSource = 'provider' | 'manual';
export const MANUAL_PAYMENT_METHODS = Object.freeze(['bank_transfer', 'cash', 'check', 'other'] as const);
export type ManualPaymentMethod = (typeof MANUAL_PAYMENT_METHODS)[number];

export interface Payment {
  /** The provider's id (a Stripe PaymentIntent `pi_…`), or `manual:<reference>`: the same payment is recorded once. */
  id: string;
  source: PaymentSource;
  /** card, sepa_debit, bank_transfer, cash, … */
  method: string;
  /** In the invoice's currency, decimal string: all that was received, the overpayment included. */
  amount: string;
  /** What went to the invoice (the rest, `overpaid`, to the customer balance). */
  applied: string;
  overpaid: string;
  /** The bank reference, or the provider's id. */
  reference: string;
  receivedAt: string;
}

/**
 * Where collecting an invoice stands: `pending` (nothing received, no attempt failed), `processing`
 * (a charge is on its way), `payment_failed` (the last attempt failed; dunning retries), `partially_paid`,
 * `paid`. Absent on invoices from before payments: read {@link paymentStatusOf}.
 */
export type PaymentStatus = 'pending' | 'processing' | 'payment_failed' | 'partially_paid' | 'paid';

/** One try at collecting: an off-session charge, or a hosted payment page (its `url`) when the customer has no payment method on file. */
export interface PaymentAttempt {
  /** The provider's id (PaymentIntent or Checkout Session). */
  id: string;
  kind: 'charge' | 'payment_link';
  at: string;
  status: 'processing' | 'requires_action' | 'succeeded' | 'failed' | 'open';
  amount: string;
  url?: string;
  error?: string;
}

/** A refund paid out (credit notes with method `refund`) or reported by the provider. */
export interface Refund {
  /** The provider's refund id (`re_…`), or `manual:<reference>`. */
  id: string;
  amount: string;
  status: 'pending' | 'succeeded' | 'failed';
  at: string;
  creditNoteId?: string;
  paymentId?: string;
  reference?: string;
}

export function amountPaidOf(invoice: Invoice): Decimal {
  if (invoice.amountPaid !== undefined) return new Decimal(invoice.amountPaid);
  // Marked paid before partial payments existed: it was paid in full.
  return invoice.status === 'paid' ? new Decimal(invoice.amountDue ?? invoice.total) : new Decimal(0);
}

/** What the invoice still owes (0 for drafts, void and paid invoices). */
export function amountRemainingOf(invoice: Invoice): Decimal {
  if (invoice.status !== 'finalized') return new Decimal(0);
  return Decimal.max(0, new Decimal(invoice.amountDue ?? invoice.total).minus(amountPaidOf(invoice)));
}

export function paymentStatusOf(invoice: Invoice): PaymentStatus {
  if (invoice.status === 'paid') return 'paid';
  if (invoice.paymentStatus) return invoice.paymentStatus;
  return amountPaidOf(invoice).gt(0) ? 'partially_paid' : 'pending';
}

/** Why a payment cannot be recorded (the route answers 409/422 with it). */
export class PaymentRefused extends Error {
  constructor(
    readonly code: 'invoice_not_payable' | 'payment_conflict' | 'currency_mismatch',
    message: string,
  ) {
    super(message);
    this.name = 'PaymentRefused';
  }
}

export interface PaymentRequest {
  id: string;
  source: PaymentSource;
  method: string;
  amount: Decimal;
  currency: string;
  reference: string;
  receivedAt: string;
}

/**
 * The invoice after a payment, and what of it goes to the customer balance. Recording the same
 * payment id again changes nothing (`duplicate`). Money received for an invoice that is no longer
 * owed (paid meanwhile, voided) is all overpayment: it is kept on the balance, never dropped. A draft
 * takes no payment.
 */
export function applyPayment(
  invoice: Invoice,
  request: PaymentRequest,
): { invoice: Invoice; payment: Payment; duplicate: boolean } {
  const existing = invoice.payments?.find((p) => p.id === request.id);
  if (existing) {
    if (!new Decimal(existing.amount).eq(request.amount))
      throw new PaymentRefused(
        'payment_conflict',
        `payment '${request.reference}' was recorded already on invoice ${invoice.number} with amount ${existing.amount}`,
      );
    return { invoice, payment: existing, duplicate: true };
  }
  if (invoice.status === 'draft')
    throw new PaymentRefused('invoice_not_payable', `invoice ${invoice.id} is a draft: finalize it first`);
  if (request.currency.toUpperCase() !== invoice.currency)
    throw new PaymentRefused(
      'currency_mismatch',
      `the payment is in ${request.currency.toUpperCase()}, invoice ${invoice.number} in ${invoice.currency}`,
    );
  const currency = invoice.currency;
  const remaining = amountRemainingOf(invoice);
  const applied = Decimal.min(remaining, request.amount);
  const overpaid = request.amount.minus(applied);
  const payment: Payment = {
    id: request.id,
    source: request.source,
    method: request.method,
    amount: formatAmount(request.amount, currency),
    applied: formatAmount(applied, currency),
    overpaid: formatAmount(overpaid, currency),
    reference: request.reference,
    receivedAt: request.receivedAt,
  };
  const paid = amountPaidOf(invoice).plus(applied);
  const settles = invoice.status === 'finalized' && applied.eq(remaining);
  const next: Invoice = {
    ...invoice,
    payments: [...(invoice.payments ?? []), payment],
    amountPaid: formatAmount(paid, currency),
    ...(invoice.status === 'finalized'
      ? settles
        ? {
            status: 'paid' as const,
            paymentStatus: 'paid' as const,
            payment: { paidAt: request.receivedAt, reference: request.reference },
          }
        : { paymentStatus: paid.gt(0) ? ('partially_paid' as const) : paymentStatusOf(invoice) }
      : {}),
  };
  return { invoice: next, payment, duplicate: false };
}

/** An amount in the currency's smallest unit (cents; yen as is), as payment providers take it. */
export function toMinorUnits(amount: Decimal, currency: string): number {
  const minor = amount.times(new Decimal(10).pow(minorUnits(currency)));
  if (!minor.isInteger()) throw new RangeError(`${amount.toString()} ${currency} is not a whole number of minor units`);
  return minor.toNumber();
}

export function fromMinorUnits(minor: number | string, currency: string): Decimal {
  return new Decimal(minor).div(new Decimal(10).pow(minorUnits(currency)));
}
