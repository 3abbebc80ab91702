import { randomUUID } from 'node:crypto';
import type { BillingConfig } from '../config.js';
import type { Alert, AlertTrigger } from '../domain/alert.js';
import type { DeliveryErrors } from './deliver-credit-note.js';
import { messageIdDomain, recordWithRetries } from './delivery-support.js';
import type { AlertEmails } from './ports/alerts.js';
import type { Clock } from './ports/clock.js';
import type { DeliveryKind } from './ports/invoices.js';
import type { Envelope, Mailer } from './ports/mailer.js';

/** Delivery of an alert email (outbox kind `alert`, keyed `<alert id>~<period start>`). */
export interface AlertEmailDeps {
  config: Pick<BillingConfig, 'senderEmail'>;
  clock: Clock;
  alerts: AlertEmails;
  outbox: { removeFromOutbox(id: string, kind: DeliveryKind): Promise<void> };
  composeAlert: (alert: Alert, trigger: AlertTrigger, envelope: Envelope) => Promise<Buffer>;
  mailer: Mailer;
}

export type AlertEmailOutcome =
  | { status: 'sent'; invoiceId: string; kind: DeliveryKind; messageId: string }
  | { status: 'skipped'; invoiceId: string; kind: DeliveryKind; reason: string };

export async function deliverAlertEmail(
  deps: AlertEmailDeps,
  id: string,
  errors: DeliveryErrors,
): Promise<AlertEmailOutcome> {
  const kind: DeliveryKind = 'alert';
  const skipped = async (reason: string): Promise<AlertEmailOutcome> => {
    await deps.outbox.removeFromOutbox(id, kind);
    return { status: 'skipped', invoiceId: id, kind, reason };
  };
  const trigger = await deps.alerts.findTrigger(id);
  if (!trigger) return skipped('no such alert firing (the alert was deleted)');
  if (trigger.email.status !== 'pending') return skipped(`the alert email is ${trigger.email.status}`);
  const alert = await deps.alerts.find(trigger.alertId);
  if (!alert) return skipped('the alert was deleted');
  const recipient = trigger.email.to;
  if (!recipient) return skipped('the customer has no email address');
  if (!(await deps.alerts.leaseEmail(id, deps.clock(), errors.leaseMs))) {
    const current = await deps.alerts.findTrigger(id);
    if (current?.email.status !== 'pending') return skipped('the alert email was sent already');
    throw errors.inProgress(`the alert email ${id} is being sent by another worker`);
  }
  let messageId: string;
  try {
    const raw = await deps.composeAlert(alert, trigger, {
      from: deps.config.senderEmail,
      to: recipient,
      messageId: `<${randomUUID()}.alert.${trigger.email.attempts + 1}@${messageIdDomain(deps.config.senderEmail)}>`,
      date: deps.clock(),
    });
    messageId = await deps.mailer.send({ from: deps.config.senderEmail, to: [recipient], raw });
  } catch (error) {
    await deps.alerts.recordEmail(id, { failed: true }).catch(() => undefined);
    const message = (error as Error).message || String(error);
    throw errors.sendFailed(`sending the alert email ${id} failed: ${message}`, error);
  }
  const sentAt = deps.clock().toISOString();
  await recordWithRetries(() => deps.alerts.recordEmail(id, { sentAt, messageId }));
  await deps.outbox.removeFromOutbox(id, kind);
  return { status: 'sent', invoiceId: id, kind, messageId };
}
