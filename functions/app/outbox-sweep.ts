import type { BillingConfig } from '../config.js';
import type { CreditNote } from '../domain/billing/credit-note.js';
import { stepKey } from '../domain/billing/dunning.js';
import { amountRemainingOf } from '../domain/billing/payment.js';
import type { Invoice } from '../domain/invoice.js';
import { parseDeliveryId } from '../domain/webhook-event.js';
import { deliveryRecord, reasonNotOwed } from './deliver-invoice.js';
import { reminderNotOwed } from './deliver-reminder.js';
import { parseReminderOutboxId } from './dunning.js';
import type { AlertEmails } from './ports/alerts.js';
import type { Clock } from './ports/clock.js';
import type { DeliveryKind, OutboxEntry } from './ports/invoices.js';
import type { WebhookDeps } from './webhooks.js';

/**
 * The outbox sweep: every email still owed after `outboxSweepAfterSeconds` is handed to the delivery
 * queue again, so a lost SQS message (or a local restart with an in-memory queue) never loses an
 * email. Entries whose email is not owed any more are cleared; an email that failed
 * `deliveryMaxAttempts` times is held (it sits in the DLQ; a resend starts it over).
 */
export interface SweepDeps {
  config: Pick<BillingConfig, 'outboxSweepAfterSeconds' | 'deliveryMaxAttempts'>;
  clock: Clock;
  invoices: {
    find(id: string): Promise<Invoice | undefined>;
    outbox(olderThan?: Date): Promise<OutboxEntry[]>;
    addToOutbox(invoiceId: string, kind: DeliveryKind, since: Date): Promise<void>;
    removeFromOutbox(invoiceId: string, kind: DeliveryKind): Promise<void>;
  };
  deliveryQueue: { send(invoiceId: string, kind: DeliveryKind): Promise<void> };
  /** Credit notes (their emails are owed as `credit_note` entries keyed by the note's id). */
  creditNotes?: { find(id: string): Promise<CreditNote | undefined> };
  /** Outbound webhooks (`webhook` entries: an event's fan-out, or one delivery). */
  webhooks?: Pick<WebhookDeps['webhooks'], 'findEvent' | 'findDelivery'>;
  /** Usage alerts (`alert` entries: the email of one firing). */
  alerts?: Pick<AlertEmails, 'findTrigger'>;
}

/** Why an owed email is not owed any more, else its attempts so far. */
async function owedState(deps: SweepDeps, entry: OutboxEntry): Promise<{ notOwed: true } | { attempts: number }> {
  if (entry.kind === 'webhook') {
    // A fan-out is owed until it ran; a delivery until it is delivered or dead (its entry's `since` is
    // its next attempt, so the sweep waits for the back-off). Without the webhooks: kept for a sweep that has them.
    if (!deps.webhooks) return { attempts: Number.POSITIVE_INFINITY };
    if (!parseDeliveryId(entry.invoiceId))
      return (await deps.webhooks.findEvent(entry.invoiceId)) ? { attempts: 0 } : { notOwed: true };
    const delivery = await deps.webhooks.findDelivery(entry.invoiceId);
    return delivery && (delivery.status === 'pending' || delivery.status === 'failed')
      ? { attempts: 0 }
      : { notOwed: true };
  }
  if (entry.kind === 'alert') {
    if (!deps.alerts) return { attempts: Number.POSITIVE_INFINITY };
    const trigger = await deps.alerts.findTrigger(entry.invoiceId);
    return trigger?.email.status === 'pending' ? { attempts: trigger.email.attempts } : { notOwed: true };
  }
  if (entry.kind === 'credit_note') {
    // Without the credit notes the entry is kept: another sweep that has them decides.
    if (!deps.creditNotes) return { attempts: Number.POSITIVE_INFINITY };
    const note = await deps.creditNotes.find(entry.invoiceId);
    if (!note || note.delivery.status === 'sent') return { notOwed: true };
    return { attempts: note.delivery.attempts };
  }
  if (entry.kind === 'reminder') {
    const parsed = parseReminderOutboxId(entry.invoiceId);
    const invoice = parsed && (await deps.invoices.find(parsed.invoiceId));
    if (!parsed || reminderNotOwed(invoice, parsed.key) !== undefined) return { notOwed: true };
    return { attempts: invoice?.dunning?.steps.find((r) => stepKey(r) === parsed.key)?.email?.attempts ?? 0 };
  }
  if (entry.kind === 'refund') {
    if (!deps.creditNotes) return { attempts: Number.POSITIVE_INFINITY };
    const note = await deps.creditNotes.find(entry.invoiceId);
    return note?.refund?.status === 'pending' ? { attempts: 0 } : { notOwed: true };
  }
  const invoice = await deps.invoices.find(entry.invoiceId);
  if (entry.kind === 'payment')
    // A failed collection is recorded by the task itself: what stays owed is one that could not reach the provider.
    return invoice && amountRemainingOf(invoice).gt(0) ? { attempts: 0 } : { notOwed: true };
  if (!invoice || reasonNotOwed(invoice, entry.kind) !== undefined) return { notOwed: true };
  return { attempts: deliveryRecord(invoice, entry.kind).attempts };
}

export interface SweepResult {
  requeued: number;
  cleared: number;
  held: number;
}

/** `all`: every owed email whatever its age (at start-up, when the queue may have been lost). */
export async function sweepOutbox(deps: SweepDeps, options: { all?: boolean } = {}): Promise<SweepResult> {
  const now = deps.clock();
  const olderThan = options.all ? undefined : new Date(now.getTime() - deps.config.outboxSweepAfterSeconds * 1000);
  const result: SweepResult = { requeued: 0, cleared: 0, held: 0 };
  // A webhook fan-out or an alert email is owed at once (a check without the queue, e.g. the scheduled
  // estimates refresh, hands neither over): due when its `since` has come; once handed over, its
  // `since` moves a sweep age ahead. Everything else waits the sweep age.
  const immediate = (entry: OutboxEntry) =>
    (entry.kind === 'webhook' && !parseDeliveryId(entry.invoiceId)) || entry.kind === 'alert';
  const due = (entry: OutboxEntry) =>
    immediate(entry) ? entry.since <= now.toISOString() : !olderThan || entry.since < olderThan.toISOString();
  for (const entry of (await deps.invoices.outbox()).filter(due)) {
    const state = await owedState(deps, entry);
    if ('notOwed' in state) {
      await deps.invoices.removeFromOutbox(entry.invoiceId, entry.kind);
      result.cleared++;
      continue;
    }
    if (state.attempts >= deps.config.deliveryMaxAttempts) {
      result.held++;
      continue;
    }
    // Restart the clock first, so the next sweep waits again before it sends another copy.
    await deps.invoices.addToOutbox(
      entry.invoiceId,
      entry.kind,
      immediate(entry) ? new Date(now.getTime() + deps.config.outboxSweepAfterSeconds * 1000) : now,
    );
    await deps.deliveryQueue.send(entry.invoiceId, entry.kind);
    result.requeued++;
  }
  return result;
}
