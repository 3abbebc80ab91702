import { randomUUID } from 'node:crypto';
import type { BillingConfig } from '../config.js';
import type { Invoice } from '../domain/invoice.js';
import { type AlertEmailDeps, deliverAlertEmail } from './deliver-alert.js';
import { type CreditNoteDeliveryDeps, deliverCreditNote } from './deliver-credit-note.js';
import { deliverReminder, type ReminderDeliveryDeps } from './deliver-reminder.js';
import { messageIdDomain, recordWithRetries } from './delivery-support.js';
import type { Clock } from './ports/clock.js';
import type { DeliveryKind, InvoiceEmailKind, PaymentTaskKind } from './ports/invoices.js';
import type { InvoiceMessageComposer, Mailer } from './ports/mailer.js';
import { deliverWebhook, type WebhookDeps } from './webhooks.js';

/**
 * Delivery of one owed email (the invoice, or the notice that it was voided): render the PDF and the
 * HTML/text bodies, send one raw MIME message through SES, record `sent` with SES's message id, and
 * clear the outbox entry. Safe to call any number of times for the same email (SQS delivers at least
 * once, the outbox sweep re-enqueues): what was sent is skipped, and a lease on the invoice keeps two
 * concurrent callers from both sending.
 */

/** Delivery bookkeeping of one email, stored in the invoice document. */
export type DeliveryRecord = Invoice['delivery'] & {
  /** Held while one caller sends; expires so a crashed sender does not block the email for ever. */
  lease?: { token: string; until: string };
};

/** The invoice as stored, with the void notice's own delivery record beside the invoice email's. */
export type StoredInvoice = Omit<Invoice, 'delivery'> & { delivery: DeliveryRecord; voidNotice?: DeliveryRecord };

export interface DeliverDeps {
  config: Pick<BillingConfig, 'senderEmail'>;
  clock: Clock;
  invoices: {
    find(id: string): Promise<Invoice | undefined>;
    update(id: string, change: (current: Invoice) => Invoice): Promise<Invoice>;
    removeFromOutbox(invoiceId: string, kind: DeliveryKind): Promise<void>;
  };
  /** Renders the message (PDF, HTML, text, MIME): injected, so the sweep and the API carry no renderer. */
  compose: InvoiceMessageComposer;
  mailer: Mailer;
  /** Credit notes and their renderer: `credit_note` emails (absent: they cannot be delivered here). */
  creditNotes?: CreditNoteDeliveryDeps['creditNotes'];
  composeCreditNote?: CreditNoteDeliveryDeps['composeCreditNote'];
  /** Runs `payment` and `refund` tasks (functions/app/payments.ts runPaymentTask); absent: they cannot run here. */
  paymentTasks?: (kind: PaymentTaskKind, id: string) => Promise<{ status: string; detail: string }>;
  /** Outbound webhooks (`webhook`; absent: they cannot be delivered here). */
  webhooks?: WebhookDeps;
  /** Renders dunning emails (`reminder`; absent: they cannot be delivered here). */
  composeReminder?: ReminderDeliveryDeps['composeReminder'];
  /** Usage alerts and their email renderer (`alert`; absent: they cannot be delivered here). */
  alerts?: AlertEmailDeps['alerts'];
  composeAlert?: AlertEmailDeps['composeAlert'];
}

export type DeliveryOutcome =
  | { status: 'sent'; invoiceId: string; kind: DeliveryKind; messageId: string }
  /** A payment task ran (a charge, a hosted page, a refund at the provider). */
  | { status: 'done'; invoiceId: string; kind: DeliveryKind; detail: string }
  | { status: 'skipped'; invoiceId: string; kind: DeliveryKind; reason: string };

/** The message can never be delivered as it is (no such invoice, no recipient): it ends in the DLQ. */
export class UndeliverableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UndeliverableError';
  }
}

/** Another caller is sending this email right now; retry later (then it is sent, and skipped). */
export class DeliveryInProgressError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeliveryInProgressError';
  }
}

/** SES did not take the email; nothing was sent, retry later. */
export class EmailSendError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'EmailSendError';
  }
}

/** How long a sender holds an email: longer than rendering plus an SES call with its timeouts. */
export const DELIVERY_LEASE_MS = 120_000;

class AlreadySent extends Error {}

export function deliveryRecord(invoice: Invoice, kind: InvoiceEmailKind): DeliveryRecord {
  const stored = invoice as StoredInvoice;
  return kind === 'invoice' ? stored.delivery : (stored.voidNotice ?? { status: 'pending', attempts: 0 });
}

export function withDeliveryRecord(invoice: Invoice, kind: InvoiceEmailKind, record: DeliveryRecord): Invoice {
  const stored = invoice as StoredInvoice;
  const next: StoredInvoice = kind === 'invoice' ? { ...stored, delivery: record } : { ...stored, voidNotice: record };
  return next as Invoice;
}

/** Why the email is not (any more) owed, or undefined when it is. */
export function reasonNotOwed(invoice: Invoice, kind: InvoiceEmailKind): string | undefined {
  const record = deliveryRecord(invoice, kind);
  if (kind === 'invoice') {
    if (record.status === 'sent') return 'the invoice email was sent already';
    if (invoice.status === 'void') return 'the invoice was voided before its email went out';
    return undefined;
  }
  if (invoice.status !== 'void') return 'the invoice is not void';
  if (record.status === 'sent') return 'the void notice was sent already';
  return undefined;
}

/** Retry delay of a failed delivery: base × 2^(receives - 1) seconds, at most `max`. */
export function retryDelaySeconds(receiveCount: number, baseSeconds: number, maxSeconds: number): number {
  const exponent = Math.max(0, Math.min(30, receiveCount - 1));
  return Math.min(maxSeconds, baseSeconds * 2 ** exponent);
}

function withoutLease(record: DeliveryRecord): DeliveryRecord {
  const { lease: _lease, ...rest } = record;
  return rest;
}

export async function deliverInvoice(
  deps: DeliverDeps,
  request: { invoiceId: string; kind: DeliveryKind },
): Promise<DeliveryOutcome> {
  const { invoiceId, kind } = request;
  if (kind === 'credit_note') {
    const { creditNotes, composeCreditNote } = deps;
    if (!creditNotes || !composeCreditNote)
      throw new UndeliverableError('this delivery function was not given the credit notes');
    return deliverCreditNote({ ...deps, creditNotes, composeCreditNote }, invoiceId, {
      undeliverable: (message) => new UndeliverableError(message),
      inProgress: (message) => new DeliveryInProgressError(message),
      sendFailed: (message, cause) => new EmailSendError(message, { cause }),
      leaseMs: DELIVERY_LEASE_MS,
    });
  }
  if (kind === 'reminder') {
    const { composeReminder } = deps;
    if (!composeReminder) throw new UndeliverableError('this delivery function was not given the reminder renderer');
    return deliverReminder({ ...deps, composeReminder }, invoiceId, {
      undeliverable: (message) => new UndeliverableError(message),
      inProgress: (message) => new DeliveryInProgressError(message),
      sendFailed: (message, cause) => new EmailSendError(message, { cause }),
      leaseMs: DELIVERY_LEASE_MS,
    });
  }
  if (kind === 'alert') {
    const { alerts, composeAlert } = deps;
    if (!alerts || !composeAlert) throw new UndeliverableError('this delivery function was not given the alerts');
    return deliverAlertEmail({ ...deps, alerts, composeAlert, outbox: deps.invoices }, invoiceId, {
      undeliverable: (message) => new UndeliverableError(message),
      inProgress: (message) => new DeliveryInProgressError(message),
      sendFailed: (message, cause) => new EmailSendError(message, { cause }),
      leaseMs: DELIVERY_LEASE_MS,
    });
  }
  if (kind === 'webhook') {
    if (!deps.webhooks) throw new UndeliverableError('this delivery function was not given the webhooks');
    const outcome = await deliverWebhook(deps.webhooks, invoiceId);
    return { status: 'done', invoiceId, kind, detail: outcome.status };
  }
  if (kind === 'payment' || kind === 'refund') {
    if (!deps.paymentTasks) throw new UndeliverableError('this delivery function was not given the payment provider');
    const outcome = await deps.paymentTasks(kind, invoiceId);
    return outcome.status === 'skipped'
      ? { status: 'skipped', invoiceId, kind, reason: outcome.detail }
      : { status: 'done', invoiceId, kind, detail: outcome.detail };
  }
  const invoice = await deps.invoices.find(invoiceId);
  if (!invoice) throw new UndeliverableError(`no invoice with id '${invoiceId}'`);
  const skipped = async (reason: string): Promise<DeliveryOutcome> => {
    await deps.invoices.removeFromOutbox(invoiceId, kind);
    return { status: 'skipped', invoiceId, kind, reason };
  };
  const notOwed = reasonNotOwed(invoice, kind);
  if (notOwed) return skipped(notOwed);
  const recipient = invoice.buyer.email?.trim();
  if (!recipient) throw new UndeliverableError(`invoice '${invoiceId}' has no buyer email address`);

  // Take the lease: from here until `sent` is recorded (or the send failed) nobody else sends it.
  const token = randomUUID();
  let claimed: Invoice;
  try {
    claimed = await deps.invoices.update(invoiceId, (current) => {
      const record = deliveryRecord(current, kind);
      if (reasonNotOwed(current, kind)) throw new AlreadySent();
      if (record.lease && record.lease.until > deps.clock().toISOString()) {
        throw new DeliveryInProgressError(
          `the ${kind} email of invoice '${invoiceId}' is being sent by another worker`,
        );
      }
      const until = new Date(deps.clock().getTime() + DELIVERY_LEASE_MS).toISOString();
      return withDeliveryRecord(current, kind, { ...record, lease: { token, until } });
    });
  } catch (error) {
    if (error instanceof AlreadySent) {
      const current = await deps.invoices.find(invoiceId);
      return skipped((current && reasonNotOwed(current, kind)) ?? 'not owed any more');
    }
    throw error;
  }

  const attempt = deliveryRecord(claimed, kind).attempts + 1;
  let messageId: string;
  try {
    const raw = await deps.compose(claimed, kind, {
      from: deps.config.senderEmail,
      to: recipient,
      messageId: `<${claimed.id}.${kind}.${attempt}@${messageIdDomain(deps.config.senderEmail)}>`,
      date: deps.clock(),
    });
    messageId = await deps.mailer.send({ from: deps.config.senderEmail, to: [recipient], raw });
  } catch (error) {
    const message = (error as Error).message || String(error);
    // Nothing was sent: give the lease back and keep the error (best effort; the lease expires anyway).
    await deps.invoices
      .update(invoiceId, (current) => {
        const record = deliveryRecord(current, kind);
        if (record.lease?.token !== token) return current;
        return withDeliveryRecord(current, kind, {
          ...withoutLease(record),
          attempts: record.attempts + 1,
          lastError: message.slice(0, 500),
        });
      })
      .catch(() => undefined);
    throw new EmailSendError(`sending the ${kind} email of invoice '${invoiceId}' failed: ${message}`, {
      cause: error,
    });
  }

  // SES took it: record `sent` (retried hard: failing here is the one way to send a second email).
  const sentAt = deps.clock().toISOString();
  await recordWithRetries(() =>
    deps.invoices.update(invoiceId, (current) => {
      const record = deliveryRecord(current, kind);
      const { lastError: _lastError, ...rest } = withoutLease(record);
      return withDeliveryRecord(current, kind, {
        ...rest,
        status: 'sent',
        messageId,
        sentAt,
        attempts: record.attempts + 1,
      });
    }),
  );
  await recordWithRetries(() => deps.invoices.removeFromOutbox(invoiceId, kind));
  return { status: 'sent', invoiceId, kind, messageId };
}
