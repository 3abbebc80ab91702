import type { Invoice } from '../domain/invoice.js';
import { type CreditNoteDeps, voidWithCreditNote } from './credit-notes.js';
import { deliveryRecord, withDeliveryRecord } from './deliver-invoice.js';
import { ConflictError } from './errors.js';
import type { Clock } from './ports/clock.js';
import type { DeliveryKind } from './ports/invoices.js';

/**
 * What can happen to a finalized invoice: it is voided (it keeps its number; the customer gets a
 * void notice) or its email is sent again (payments: functions/app/payments.ts). A void invoice is final: it cannot be paid,
 * voided again or resent. A paid invoice cannot be voided (money was received against it: that
 * takes a credit note, functions/app/credit-notes.ts).
 */
export interface InvoiceActionDeps {
  clock: Clock;
  invoices: {
    get(id: string): Promise<Invoice>;
    update(id: string, change: (current: Invoice) => Invoice): Promise<Invoice>;
    addToOutbox(invoiceId: string, kind: DeliveryKind, since: Date): Promise<void>;
  };
  /** Absent when delivery is not configured: the email stays owed in the outbox. */
  deliveryQueue?: { send(invoiceId: string, kind: DeliveryKind): Promise<void> };
}

function refuse(invoice: Invoice, action: 'void' | 'resend'): void {
  if (invoice.status === 'draft') {
    throw new ConflictError(
      `invoice ${invoice.id} is a draft (invoice grace period): finalize it first (POST /v1/invoices/${invoice.id}/finalize)`,
    );
  }
  if (invoice.status === 'void') {
    throw new ConflictError(
      `invoice ${invoice.number} was voided${invoice.voided ? ` at ${invoice.voided.at}` : ''}; a void invoice cannot be ${action === 'void' ? 'voided again' : 'resent'}`,
    );
  }
  if (action === 'void' && invoice.status === 'paid') {
    throw new ConflictError(
      `invoice ${invoice.number} is paid; a paid invoice cannot be voided: credit it instead (POST /v1/invoices/${invoice.id}/credit-notes with method credit_balance or refund)`,
    );
  }
}

/**
 * Owes an email (outbox) before the state change, so a crash in between never loses it (an email
 * owed for a change that did not happen is dropped by delivery), then hands it to the queue.
 */
async function owe(deps: InvoiceActionDeps, invoiceId: string, kind: DeliveryKind): Promise<void> {
  await deps.invoices.addToOutbox(invoiceId, kind, deps.clock());
}

/**
 * Voids the invoice and credits what its earlier credit notes left, in one transaction (see
 * {@link voidWithCreditNote}); the void notice and the credit note's email are owed.
 */
export async function voidInvoice(
  deps: InvoiceActionDeps & CreditNoteDeps,
  id: string,
  reason: string,
): Promise<Invoice> {
  refuse(await deps.invoices.get(id), 'void');
  const { invoice } = await voidWithCreditNote(deps, id, reason);
  return invoice;
}

/** Sends the invoice email again (a second email on purpose), or now if it is still pending. */
export async function resendInvoice(deps: InvoiceActionDeps, id: string): Promise<Invoice> {
  refuse(await deps.invoices.get(id), 'resend');
  await owe(deps, id, 'invoice');
  const pending = await deps.invoices.update(id, (current) => {
    refuse(current, 'resend');
    const record = deliveryRecord(current, 'invoice');
    // A send in progress (lease) finishes as it is; this request then only re-enqueues.
    if (record.status === 'pending') return current;
    return withDeliveryRecord(current, 'invoice', { status: 'pending', attempts: 0 });
  });
  await deps.deliveryQueue?.send(id, 'invoice');
  return pending;
}
