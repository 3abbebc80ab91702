import type { CreditNote } from '../domain/billing/credit-note.js';
import {
  amountRemainingOf,
  applyPayment,
  type Payment,
  type PaymentAttempt,
  PaymentRefused,
  type Refund,
} from '../domain/billing/payment.js';
import type { Customer } from '../domain/customer.js';
import { Decimal } from '../domain/decimal.js';
import type { Invoice } from '../domain/invoice.js';
import { formatAmount } from '../domain/money.js';
import { ConflictError, PaymentProviderError, RefusedError } from './errors.js';
import type { Clock } from './ports/clock.js';
import type { DeliveryKind } from './ports/invoices.js';
import {
  type CollectResult,
  type PaymentProvider,
  type ProviderEvent,
  ProviderRejectedError,
  ProviderUnavailableError,
} from './ports/payments.js';

/**
 * Getting paid: payments recorded by hand (bank transfer, partial allowed, overpayment to the
 * customer balance), collection through the payment provider (an off-session charge at
 * finalization, a hosted page when there is no payment method, dunning's retries), the provider's
 * webhooks applied exactly once, and refunds of credit notes with method `refund`.
 */
export interface PaymentStorePort {
  apply(
    invoiceId: string,
    change: (current: Invoice) => { invoice: Invoice; payment?: Payment },
    event?: { provider: string; id: string; at: string },
  ): Promise<{ invoice: Invoice; payment?: Payment; duplicate: boolean }>;
  seen(provider: string, eventId: string): Promise<boolean>;
  markSeen(provider: string, eventId: string, at: string, note: string): Promise<void>;
}

export interface PaymentDeps {
  clock: Clock;
  invoices: {
    find(id: string): Promise<Invoice | undefined>;
    get(id: string): Promise<Invoice>;
    addToOutbox(id: string, kind: DeliveryKind, since: Date): Promise<void>;
    removeFromOutbox(id: string, kind: DeliveryKind): Promise<void>;
  };
  payments: PaymentStorePort;
  customers: { get(id: string): Promise<Customer> };
  creditNotes: {
    find(id: string): Promise<CreditNote | undefined>;
    update(id: string, change: (current: CreditNote) => CreditNote): Promise<CreditNote>;
  };
  /** Absent without STRIPE_SECRET_KEY: invoices are paid by hand only. */
  provider?: PaymentProvider;
  deliveryQueue?: { send(id: string, kind: DeliveryKind): Promise<void> };
}

function refused(error: unknown): never {
  if (error instanceof PaymentRefused)
    throw new RefusedError(
      error.code,
      error.message,
      error.code === 'currency_mismatch' ? 'unprocessable' : 'conflict',
    );
  throw error;
}

export interface ManualPayment {
  amount: Decimal;
  reference: string;
  method: string;
  receivedAt: Date;
}

/**
 * Records a payment received outside the provider (a bank transfer, say). Partial payments leave the
 * rest owed; what exceeds it goes to the customer balance. The same reference again with the same
 * amount changes nothing; a draft, a void or a paid invoice takes no manual payment (409).
 */
export async function recordManualPayment(
  deps: Pick<PaymentDeps, 'payments' | 'invoices'>,
  invoiceId: string,
  request: ManualPayment,
): Promise<{ invoice: Invoice; payment: Payment; duplicate: boolean }> {
  const id = `manual:${request.reference}`;
  let duplicate = false;
  try {
    const outcome = await deps.payments.apply(invoiceId, (current) => {
      const known = current.payments?.some((p) => p.id === id);
      if (!known && current.status !== 'finalized')
        throw new ConflictError(
          current.status === 'draft'
            ? `invoice ${current.id} is a draft (invoice grace period): finalize it first (POST /v1/invoices/${current.id}/finalize)`
            : `invoice ${current.number} is ${current.status}: it takes no payment${current.status === 'paid' ? ' (it is settled; to keep money received beyond it, credit the customer balance)' : ''}`,
        );
      const applied = applyPayment(current, paymentRequest(current, id, request));
      duplicate = applied.duplicate;
      return applied;
    });
    if (!outcome.payment) throw new Error('the payment was not recorded');
    return { invoice: outcome.invoice, payment: outcome.payment, duplicate };
  } catch (error) {
    refused(error);
  }
}

/**
 * Marks the invoice paid in full: a manual payment of what it still owes. The same request again
 * (same time and reference) answers the invoice as it is; another payment on a paid invoice is 409.
 */
export async function markInvoicePaid(
  deps: Pick<PaymentDeps, 'payments' | 'invoices'>,
  invoiceId: string,
  request: { paidAt: Date; reference: string },
): Promise<Invoice> {
  const paidAt = request.paidAt.toISOString();
  const current = await deps.invoices.get(invoiceId);
  if (current.status === 'paid') {
    if (current.payment?.paidAt === paidAt && current.payment.reference === request.reference) return current;
    throw new ConflictError(
      `invoice ${current.number} was marked paid already (at ${current.payment?.paidAt}, reference '${current.payment?.reference}')`,
    );
  }
  if (current.status === 'void')
    throw new ConflictError(
      `invoice ${current.number} was voided${current.voided ? ` at ${current.voided.at}` : ''}; a void invoice cannot be marked paid`,
    );
  const { invoice } = await recordManualPayment(deps, invoiceId, {
    amount: amountRemainingOf(current),
    reference: request.reference,
    method: 'bank_transfer',
    receivedAt: request.paidAt,
  });
  return invoice;
}

function paymentRequest(invoice: Invoice, id: string, request: ManualPayment) {
  return {
    id,
    source: 'manual' as const,
    method: request.method,
    amount: request.amount,
    currency: invoice.currency,
    reference: request.reference,
    receivedAt: request.receivedAt.toISOString(),
  };
}

/** The attempt recorded on the invoice (a newer state of the same attempt replaces it). */
function withAttempt(invoice: Invoice, attempt: PaymentAttempt): Invoice {
  const others = (invoice.paymentAttempts ?? []).filter((a) => a.id !== attempt.id);
  return { ...invoice, paymentAttempts: [...others, attempt] };
}

export type CollectOutcome =
  | { status: 'collected'; invoice: Invoice; result: CollectResult }
  | { status: 'skipped'; invoice?: Invoice; reason: string };

/**
 * Collects what a finalized invoice still owes through the provider: an off-session charge on the
 * customer's default payment method, else a hosted payment page (its URL on the invoice). `attempt`
 * (default: the charges tried so far) is part of the provider's idempotency key, so a redelivered
 * task never charges twice. A charge that succeeds at once is recorded as the payment right away;
 * its webhook then finds it recorded.
 */
export async function collectInvoice(
  deps: PaymentDeps,
  invoiceId: string,
  options: { attempt?: number } = {},
): Promise<CollectOutcome> {
  const invoice = await deps.invoices.find(invoiceId);
  if (!invoice) return { status: 'skipped', reason: `no invoice with id '${invoiceId}'` };
  const remaining = amountRemainingOf(invoice);
  if (invoice.status !== 'finalized' || remaining.lte(0))
    return {
      status: 'skipped',
      invoice,
      reason: `invoice ${invoice.number || invoice.id} owes nothing (${invoice.status})`,
    };
  if (!deps.provider) return { status: 'skipped', invoice, reason: 'no payment provider is configured' };
  const customer = await deps.customers.get(invoice.customerId);
  if (!customer.paymentProviderId)
    return { status: 'skipped', invoice, reason: `customer ${customer.id} has no stripe_customer_id` };
  const attempt = options.attempt ?? (invoice.paymentAttempts ?? []).length;
  const amount = formatAmount(remaining, invoice.currency);
  let result: CollectResult;
  try {
    result = await deps.provider.collect({
      invoiceId: invoice.id,
      invoiceNumber: invoice.number,
      providerCustomerId: customer.paymentProviderId,
      amount,
      currency: invoice.currency,
      attempt,
      description: `Invoice ${invoice.number}`,
    });
  } catch (error) {
    // Refused for good (no such customer, say): recorded as a failed try, for dunning and a person to see.
    if (!(error instanceof ProviderRejectedError)) throw error;
    result = { kind: 'charge', id: `rejected-${invoice.id}-${attempt}`, status: 'failed', error: error.message };
  }
  const at = deps.clock().toISOString();
  const recorded: PaymentAttempt =
    result.kind === 'charge'
      ? {
          id: result.id,
          kind: 'charge',
          at,
          status: result.status,
          amount,
          ...(result.error ? { error: result.error } : {}),
        }
      : { id: result.id, kind: 'payment_link', at, status: 'open', amount, url: result.url };
  const { invoice: after } = await deps.payments.apply(invoice.id, (current) => {
    const tried = withAttempt(current, recorded);
    if (result.kind === 'charge' && result.status === 'succeeded') {
      try {
        return applyPayment(tried, {
          id: result.id,
          source: 'provider',
          method: 'card',
          amount: new Decimal(amount),
          currency: current.currency,
          reference: result.id,
          receivedAt: at,
        });
      } catch (error) {
        if (error instanceof PaymentRefused) return { invoice: tried };
        throw error;
      }
    }
    if (current.status !== 'finalized') return { invoice: tried };
    const paymentStatus =
      result.kind === 'payment_link'
        ? current.paymentStatus
        : result.status === 'failed'
          ? ('payment_failed' as const)
          : ('processing' as const);
    return { invoice: paymentStatus ? { ...tried, paymentStatus } : tried };
  });
  return { status: 'collected', invoice: after, result };
}

/** `POST /v1/invoices/{id}/collect`: collects now (the same as at finalization, or a retry). */
export async function collectNow(deps: PaymentDeps, invoiceId: string): Promise<Invoice> {
  if (!deps.provider)
    throw new RefusedError(
      'payments_not_configured',
      'no payment provider is configured (set STRIPE_SECRET_KEY): record payments by hand (POST /v1/invoices/{id}/payments)',
      'conflict',
    );
  try {
    const outcome = await collectInvoice(deps, invoiceId);
    if (outcome.status === 'skipped') throw new ConflictError(outcome.reason);
    return outcome.invoice;
  } catch (error) {
    if (error instanceof ProviderUnavailableError) throw new PaymentProviderError(error.message, { cause: error });
    throw error;
  }
}

export type WebhookOutcome =
  | { status: 'applied'; eventId: string; invoiceId: string }
  | { status: 'duplicate'; eventId: string }
  | { status: 'ignored'; eventId: string; reason: string };

/**
 * Applies a verified provider event once: a succeeded payment pays (partial payments leave the rest
 * owed; money beyond it goes to the balance), a failed one marks the invoice `payment_failed`, a
 * refund is recorded on the invoice and on the credit note it paid out. The event's marker is written
 * with the change, so a replayed event is answered `duplicate` and changes nothing.
 */
export async function applyProviderEvent(deps: PaymentDeps, event: ProviderEvent): Promise<WebhookOutcome> {
  const provider = deps.provider?.name ?? 'stripe';
  const at = deps.clock().toISOString();
  if (event.type === 'ignored')
    return { status: 'ignored', eventId: event.id, reason: `${event.providerType} is not acted on` };
  if (await deps.payments.seen(provider, event.id)) return { status: 'duplicate', eventId: event.id };
  const invoiceId = event.invoiceId;
  const invoice = invoiceId ? await deps.invoices.find(invoiceId) : undefined;
  if (!invoice) {
    await deps.payments.markSeen(provider, event.id, at, `no invoice for ${event.type}`);
    return { status: 'ignored', eventId: event.id, reason: `no invoice '${invoiceId ?? '?'}'` };
  }
  const marker = { provider, id: event.id, at };
  if (event.type === 'refunded') {
    // The credit notes first: each update is idempotent, and a crash before the invoice's write
    // leaves the event unmarked, so the provider's retry finishes it.
    for (const refund of event.refunds) {
      if (!refund.creditNoteId) continue;
      const note = await deps.creditNotes.find(refund.creditNoteId);
      if (!note?.refund) continue;
      await deps.creditNotes.update(note.id, (current) =>
        current.refund && current.refund.status !== refund.status
          ? {
              ...current,
              refund: {
                ...current.refund,
                status: refund.status === 'pending' ? 'requested' : refund.status,
                id: refund.id,
                // The webhook may land before the refund call's own write: it names the payment too.
                paymentId: event.paymentId,
                at: event.at,
              },
            }
          : current,
      );
    }
  }
  const outcome = await deps.payments.apply(
    invoice.id,
    (current) => {
      switch (event.type) {
        case 'payment_succeeded': {
          const attempts = (current.paymentAttempts ?? []).map((a) =>
            a.id === event.paymentId ? { ...a, status: 'succeeded' as const } : a,
          );
          try {
            return applyPayment(
              { ...current, ...(attempts.length > 0 ? { paymentAttempts: attempts } : {}) },
              {
                id: event.paymentId,
                source: 'provider',
                method: event.method,
                amount: new Decimal(event.amount),
                currency: event.currency,
                reference: event.paymentId,
                receivedAt: event.at,
              },
            );
          } catch (error) {
            // Another currency than the invoice's: kept out of the books, marked so it is not retried.
            if (error instanceof PaymentRefused) return { invoice: current };
            throw error;
          }
        }
        case 'payment_failed': {
          const known = current.paymentAttempts?.find((a) => a.id === event.paymentId);
          const tried = withAttempt(current, {
            ...(known ?? {
              id: event.paymentId,
              kind: 'charge' as const,
              amount: formatAmount(amountRemainingOf(current), current.currency),
            }),
            at: event.at,
            status: 'failed',
            error: event.error,
          });
          // A failure reported after the invoice was paid (another way) changes nothing owed.
          return { invoice: current.status === 'finalized' ? { ...tried, paymentStatus: 'payment_failed' } : tried };
        }
        case 'refunded': {
          const refunds: Refund[] = [...(current.refunds ?? [])];
          for (const refund of event.refunds) {
            const index = refunds.findIndex((r) => r.id === refund.id);
            const entry: Refund = {
              id: refund.id,
              amount: refund.amount,
              status: refund.status,
              at: event.at,
              paymentId: event.paymentId,
              ...(refund.creditNoteId ? { creditNoteId: refund.creditNoteId } : {}),
            };
            if (index >= 0) refunds[index] = { ...refunds[index], ...entry };
            else refunds.push(entry);
          }
          return { invoice: { ...current, refunds } };
        }
      }
    },
    marker,
  );
  if (outcome.duplicate) return { status: 'duplicate', eventId: event.id };
  return { status: 'applied', eventId: event.id, invoiceId: invoice.id };
}

export type RefundOutcome =
  | { status: 'requested' | 'succeeded' | 'failed'; note: CreditNote }
  | { status: 'skipped'; reason: string };

/**
 * Pays out a credit note with method `refund` through the provider, against the invoice's provider
 * payment (the idempotency key is the note's id: asked twice, refunded once). Without a provider
 * payment (the invoice was paid by bank transfer) the refund stays `pending` for a person to pay out
 * and record (`POST /v1/credit-notes/{id}/refund`).
 */
export async function refundCreditNote(deps: PaymentDeps, creditNoteId: string): Promise<RefundOutcome> {
  const note = await deps.creditNotes.find(creditNoteId);
  if (!note?.refund) return { status: 'skipped', reason: `credit note '${creditNoteId}' owes no refund` };
  if (note.refund.status !== 'pending')
    return { status: 'skipped', reason: `its refund is ${note.refund.status} already` };
  if (!deps.provider) return { status: 'skipped', reason: 'no payment provider is configured: refund by hand' };
  const invoice = await deps.invoices.get(note.invoiceId);
  const payment = [...(invoice.payments ?? [])]
    .reverse()
    .find((p) => p.source === 'provider' && new Decimal(p.amount).gte(note.refund?.amount ?? '0'));
  if (!payment)
    return {
      status: 'skipped',
      reason: `invoice ${invoice.number} has no provider payment of at least ${note.refund.amount}: refund by hand`,
    };
  let result: { id: string; status: 'pending' | 'succeeded' | 'failed'; error?: string };
  try {
    result = await deps.provider.refund({
      paymentId: payment.id,
      amount: note.refund.amount,
      currency: note.currency,
      creditNoteId: note.id,
      invoiceId: invoice.id,
    });
  } catch (error) {
    if (!(error instanceof ProviderRejectedError)) throw error;
    result = { id: '', status: 'failed', error: error.message };
  }
  const status = result.status === 'pending' ? 'requested' : result.status;
  const updated = await deps.creditNotes.update(note.id, (current) =>
    current.refund?.status === 'pending'
      ? {
          ...current,
          refund: {
            ...current.refund,
            status,
            ...(result.id ? { id: result.id } : {}),
            paymentId: payment.id,
            at: deps.clock().toISOString(),
            ...(result.error ? { error: result.error } : {}),
          },
        }
      : current,
  );
  return { status, note: updated };
}

/** A refund paid out by hand (bank transfer back): recorded with its reference. */
export async function recordManualRefund(
  deps: Pick<PaymentDeps, 'creditNotes' | 'clock'>,
  creditNoteId: string,
  request: { reference: string; refundedAt?: Date },
): Promise<CreditNote> {
  const note = await deps.creditNotes.find(creditNoteId);
  if (!note) throw new ConflictError(`no credit note '${creditNoteId}'`);
  return deps.creditNotes.update(creditNoteId, (current) => {
    if (!current.refund)
      throw new ConflictError(`credit note ${current.number} has method ${current.method}: it owes no refund`);
    if (current.refund.status === 'succeeded') {
      if (current.refund.reference === request.reference) return current;
      throw new ConflictError(
        `the refund of credit note ${current.number} was recorded already (${current.refund.reference ?? current.refund.id})`,
      );
    }
    if (current.refund.status === 'requested')
      throw new ConflictError(
        `the refund of credit note ${current.number} is with the payment provider (${current.refund.id}); its webhook records it`,
      );
    return {
      ...current,
      refund: {
        ...current.refund,
        status: 'succeeded',
        reference: request.reference,
        at: (request.refundedAt ?? deps.clock()).toISOString(),
      },
    };
  });
}

/**
 * The payment tasks of the outbox queue: `payment` collects an invoice, `refund` pays out a credit
 * note. Done (or not owed any more): the outbox entry is cleared. A provider error is thrown, so the
 * queue retries it with back-off (and the sweep hands it over again).
 */
export async function runPaymentTask(
  deps: PaymentDeps,
  kind: 'payment' | 'refund',
  id: string,
): Promise<{ status: string; detail: string }> {
  if (kind === 'payment') {
    const outcome = await collectInvoice(deps, id);
    await deps.invoices.removeFromOutbox(id, kind);
    return outcome.status === 'skipped'
      ? { status: 'skipped', detail: outcome.reason }
      : { status: 'done', detail: `${outcome.result.kind} ${outcome.result.id}` };
  }
  const outcome = await refundCreditNote(deps, id);
  await deps.invoices.removeFromOutbox(id, kind);
  return outcome.status === 'skipped'
    ? { status: 'skipped', detail: outcome.reason }
    : { status: 'done', detail: `refund ${outcome.status}` };
}
