import { randomUUID } from 'node:crypto';
import type { BillingConfig } from '../config.js';
import type { CreditNote } from '../domain/billing/credit-note.js';
import { messageIdDomain, recordWithRetries } from './delivery-support.js';
import type { Clock } from './ports/clock.js';
import type { DeliveryKind } from './ports/invoices.js';
import type { Envelope, Mailer } from './ports/mailer.js';

/**
 * Delivery of a credit note's email, as deliverInvoice delivers an invoice's (the same outbox, queue,
 * lease and `sent` record; the record lives in the credit note): render, send through SES, record
 * `sent`, clear the outbox entry (`credit_note#<credit note id>`). Safe to repeat.
 */
export interface CreditNoteDeliveryDeps {
  config: Pick<BillingConfig, 'senderEmail'>;
  clock: Clock;
  creditNotes: {
    find(id: string): Promise<CreditNote | undefined>;
    update(id: string, change: (current: CreditNote) => CreditNote): Promise<CreditNote>;
  };
  invoices: { removeFromOutbox(invoiceId: string, kind: DeliveryKind): Promise<void> };
  composeCreditNote: (note: CreditNote, envelope: Envelope) => Promise<Buffer>;
  mailer: Mailer;
}

export type CreditNoteDeliveryOutcome =
  | { status: 'sent'; invoiceId: string; kind: DeliveryKind; messageId: string }
  | { status: 'skipped'; invoiceId: string; kind: DeliveryKind; reason: string };

/** Errors of delivery, shared with deliverInvoice (passed in to keep one class per error). */
export interface DeliveryErrors {
  undeliverable: (message: string) => Error;
  inProgress: (message: string) => Error;
  sendFailed: (message: string, cause: unknown) => Error;
  leaseMs: number;
}

class AlreadySent extends Error {}

export async function deliverCreditNote(
  deps: CreditNoteDeliveryDeps,
  id: string,
  errors: DeliveryErrors,
): Promise<CreditNoteDeliveryOutcome> {
  const kind: DeliveryKind = 'credit_note';
  const note = await deps.creditNotes.find(id);
  if (!note) throw errors.undeliverable(`no credit note with id '${id}'`);
  const skipped = async (reason: string): Promise<CreditNoteDeliveryOutcome> => {
    await deps.invoices.removeFromOutbox(id, kind);
    return { status: 'skipped', invoiceId: id, kind, reason };
  };
  if (note.delivery.status === 'sent') return skipped('the credit note email was sent already');
  const recipient = note.buyer.email?.trim();
  if (!recipient) throw errors.undeliverable(`credit note '${id}' has no buyer email address`);

  const token = randomUUID();
  let claimed: CreditNote;
  try {
    claimed = await deps.creditNotes.update(id, (current) => {
      if (current.delivery.status === 'sent') throw new AlreadySent();
      const lease = current.delivery.lease;
      if (lease && lease.until > deps.clock().toISOString())
        throw errors.inProgress(`the email of credit note '${id}' is being sent by another worker`);
      const until = new Date(deps.clock().getTime() + errors.leaseMs).toISOString();
      return { ...current, delivery: { ...current.delivery, lease: { token, until } } };
    });
  } catch (error) {
    if (error instanceof AlreadySent) return skipped('the credit note email was sent already');
    throw error;
  }

  const attempt = claimed.delivery.attempts + 1;
  let messageId: string;
  try {
    const raw = await deps.composeCreditNote(claimed, {
      from: deps.config.senderEmail,
      to: recipient,
      messageId: `<${claimed.id}.${kind}.${attempt}@${messageIdDomain(deps.config.senderEmail)}>`,
      date: deps.clock(),
    });
    messageId = await deps.mailer.send({ from: deps.config.senderEmail, to: [recipient], raw });
  } catch (error) {
    const message = (error as Error).message || String(error);
    await deps.creditNotes
      .update(id, (current) => {
        if (current.delivery.lease?.token !== token) return current;
        const { lease: _lease, ...rest } = current.delivery;
        return { ...current, delivery: { ...rest, attempts: rest.attempts + 1, lastError: message.slice(0, 500) } };
      })
      .catch(() => undefined);
    throw errors.sendFailed(`sending the email of credit note '${id}' failed: ${message}`, error);
  }

  const sentAt = deps.clock().toISOString();
  await recordWithRetries(() =>
    deps.creditNotes.update(id, (current) => {
      const { lease: _lease, lastError: _lastError, ...rest } = current.delivery;
      return {
        ...current,
        delivery: { ...rest, status: 'sent', messageId, sentAt, attempts: current.delivery.attempts + 1 },
      };
    }),
  );
  await recordWithRetries(() => deps.invoices.removeFromOutbox(id, kind));
  return { status: 'sent', invoiceId: id, kind, messageId };
}
