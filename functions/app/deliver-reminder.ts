import { randomUUID } from 'node:crypto';
import type { BillingConfig } from '../config.js';
import { type DunningEmail, type DunningRecord, stepKey } from '../domain/billing/dunning.js';
import { amountRemainingOf } from '../domain/billing/payment.js';
import type { Invoice } from '../domain/invoice.js';
import type { DeliveryErrors } from './deliver-credit-note.js';
import { messageIdDomain, recordWithRetries } from './delivery-support.js';
import { parseReminderOutboxId } from './dunning.js';
import type { Clock } from './ports/clock.js';
import type { DeliveryKind } from './ports/invoices.js';
import type { Envelope, Mailer } from './ports/mailer.js';

/**
 * Delivery of a dunning email (a reminder or the final notice), as deliverInvoice delivers the
 * invoice's: the same outbox, queue, lease and `sent` record; the record lives on the invoice's
 * dunning step (`email`). The outbox id is `<invoice id>~<after_days>:<action>`. Safe to repeat. Not
 * owed any more once the invoice was paid, credited or voided: a customer who paid gets no reminder.
 */
export interface ReminderDeliveryDeps {
  config: Pick<BillingConfig, 'senderEmail'>;
  clock: Clock;
  invoices: {
    find(id: string): Promise<Invoice | undefined>;
    update(id: string, change: (current: Invoice) => Invoice): Promise<Invoice>;
    removeFromOutbox(invoiceId: string, kind: DeliveryKind): Promise<void>;
  };
  composeReminder: (invoice: Invoice, step: DunningRecord, envelope: Envelope) => Promise<Buffer>;
  mailer: Mailer;
}

export type ReminderDeliveryOutcome =
  | { status: 'sent'; invoiceId: string; kind: DeliveryKind; messageId: string }
  | { status: 'skipped'; invoiceId: string; kind: DeliveryKind; reason: string };

type LeasedEmail = DunningEmail & { lease?: { token: string; until: string } };

class NotOwed extends Error {}

function stepOf(invoice: Invoice, key: string): DunningRecord | undefined {
  return invoice.dunning?.steps.find((r) => stepKey(r) === key);
}

/** Why the step's email is not (any more) owed, or undefined when it is. */
export function reminderNotOwed(invoice: Invoice | undefined, key: string): string | undefined {
  if (!invoice) return 'no such invoice';
  const step = stepOf(invoice, key);
  if (step?.status !== 'done' || !step.email) return 'the dunning step is not recorded';
  if (step.email.status === 'sent') return 'the dunning email was sent already';
  if (amountRemainingOf(invoice).lte(0)) return 'the invoice owes nothing any more';
  return undefined;
}

function withEmail(invoice: Invoice, key: string, email: LeasedEmail): Invoice {
  const steps = (invoice.dunning?.steps ?? []).map((r) => (stepKey(r) === key ? { ...r, email } : r));
  return { ...invoice, dunning: { steps } };
}

export async function deliverReminder(
  deps: ReminderDeliveryDeps,
  outboxId: string,
  errors: DeliveryErrors,
): Promise<ReminderDeliveryOutcome> {
  const kind: DeliveryKind = 'reminder';
  const parsed = parseReminderOutboxId(outboxId);
  if (!parsed) throw errors.undeliverable(`'${outboxId}' does not name a dunning step`);
  const { invoiceId, key } = parsed;
  const skipped = async (reason: string): Promise<ReminderDeliveryOutcome> => {
    await deps.invoices.removeFromOutbox(outboxId, kind);
    return { status: 'skipped', invoiceId: outboxId, kind, reason };
  };
  const invoice = await deps.invoices.find(invoiceId);
  const notOwed = reminderNotOwed(invoice, key);
  if (!invoice || notOwed) return skipped(notOwed ?? 'no such invoice');
  const recipient = invoice.buyer.email?.trim();
  if (!recipient) throw errors.undeliverable(`invoice '${invoiceId}' has no buyer email address`);

  const token = randomUUID();
  let claimed: Invoice;
  try {
    claimed = await deps.invoices.update(invoiceId, (current) => {
      if (reminderNotOwed(current, key)) throw new NotOwed();
      const email = stepOf(current, key)?.email as LeasedEmail;
      if (email.lease && email.lease.until > deps.clock().toISOString())
        throw errors.inProgress(`the dunning email ${outboxId} is being sent by another worker`);
      const until = new Date(deps.clock().getTime() + errors.leaseMs).toISOString();
      return withEmail(current, key, { ...email, lease: { token, until } });
    });
  } catch (error) {
    if (error instanceof NotOwed)
      return skipped(reminderNotOwed(await deps.invoices.find(invoiceId), key) ?? 'not owed any more');
    throw error;
  }

  const step = stepOf(claimed, key) as DunningRecord;
  const attempt = (step.email?.attempts ?? 0) + 1;
  let messageId: string;
  try {
    const raw = await deps.composeReminder(claimed, step, {
      from: deps.config.senderEmail,
      to: recipient,
      messageId: `<${claimed.id}.${key.replace(':', '-')}.${attempt}@${messageIdDomain(deps.config.senderEmail)}>`,
      date: deps.clock(),
    });
    messageId = await deps.mailer.send({ from: deps.config.senderEmail, to: [recipient], raw });
  } catch (error) {
    const message = (error as Error).message || String(error);
    await deps.invoices
      .update(invoiceId, (current) => {
        const email = stepOf(current, key)?.email as LeasedEmail | undefined;
        if (email?.lease?.token !== token) return current;
        const { lease: _lease, ...rest } = email;
        return withEmail(current, key, { ...rest, attempts: rest.attempts + 1, lastError: message.slice(0, 500) });
      })
      .catch(() => undefined);
    throw errors.sendFailed(`sending the dunning email ${outboxId} failed: ${message}`, error);
  }

  const sentAt = deps.clock().toISOString();
  await recordWithRetries(() =>
    deps.invoices.update(invoiceId, (current) => {
      const email = (stepOf(current, key)?.email ?? { status: 'pending', attempts: 0 }) as LeasedEmail;
      const { lease: _lease, lastError: _lastError, ...rest } = email;
      return withEmail(current, key, { ...rest, status: 'sent', messageId, sentAt, attempts: email.attempts + 1 });
    }),
  );
  await recordWithRetries(() => deps.invoices.removeFromOutbox(outboxId, kind));
  return { status: 'sent', invoiceId: outboxId, kind, messageId };
}
