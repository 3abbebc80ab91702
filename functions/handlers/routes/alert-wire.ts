import type { AlertEventResource } from '../../app/alerts.js';
import type { Alert, AlertTrigger } from '../../domain/alert.js';

/** Usage alerts on the wire (the API and the webhook events): no schema, no route, so the delivery function carries none. */

export function alertTriggerJson(trigger: AlertTrigger) {
  return {
    period_start: trigger.periodStart,
    period_end: trigger.periodEnd,
    value: trigger.value,
    threshold: trigger.threshold,
    triggered_at: trigger.triggeredAt,
    event_id: trigger.eventId,
    email: {
      status: trigger.email.status,
      ...(trigger.email.to ? { to: trigger.email.to } : {}),
      ...(trigger.email.sentAt ? { sent_at: trigger.email.sentAt } : {}),
    },
    ...(trigger.email.status === 'none' ? { note: 'the customer has no email address: webhook only' } : {}),
  };
}

function alertFieldsJson(alert: Alert) {
  return {
    id: alert.id,
    customer_id: alert.customerId,
    ...(alert.subscriptionId ? { subscription_id: alert.subscriptionId } : {}),
    kind: alert.kind,
    ...(alert.meter ? { meter: alert.meter } : {}),
    threshold: alert.threshold,
    ...(alert.currency ? { currency: alert.currency } : {}),
    ...(alert.name ? { name: alert.name } : {}),
    created_at: alert.createdAt,
  };
}

/** An alert as the API shows it, with its firings (newest first). */
export function alertJson(alert: Alert, triggers: readonly AlertTrigger[]) {
  const [last] = triggers;
  return {
    ...alertFieldsJson(alert),
    triggers: triggers.map(alertTriggerJson),
    ...(last ? { last_triggered_at: last.triggeredAt } : {}),
  };
}

/** The `data` of `usage.alert_triggered` / `credits.balance_low`: the alert and this firing. */
export function alertEventJson(resource: AlertEventResource) {
  return { alert: alertFieldsJson(resource.alert), trigger: alertTriggerJson(resource.trigger) };
}
