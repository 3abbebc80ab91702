/**
 * Outbound webhook events (Standard Webhooks): the event types, the envelope and which endpoint wants
 * which event. Pure: ids and times come in as arguments.
 */

export const WEBHOOK_EVENT_TYPES = [
  'invoice.draft_created',
  'invoice.finalized',
  'invoice.paid',
  'invoice.payment_failed',
  'invoice.voided',
  'credit_note.created',
  'customer.created',
  'customer.updated',
  'subscription.created',
  'subscription.changed',
  'subscription.canceled',
  'usage.alert_triggered',
  'credits.balance_low',
  'billing_run.completed',
  'billing_run.failed',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** What an event is about: the resource kind decides how `data` is shown (as the API shows it). */
export type WebhookResourceKind = 'invoice' | 'credit_note' | 'customer' | 'subscription' | 'billing_run' | 'alert';

/** An event as stored: the resource in its internal form (rendered for the wire at delivery time). */
export interface WebhookEvent {
  /** `evt_` + 24 hex digits: the `webhook-id` of every delivery of this event, retries included. */
  id: string;
  type: WebhookEventType;
  createdAt: string;
  resourceKind: WebhookResourceKind;
  resource: unknown;
}

/** The JSON body POSTed to an endpoint. */
export interface WebhookPayload {
  id: string;
  type: WebhookEventType;
  created_at: string;
  data: unknown;
}

export const EVENT_ID_PATTERN = /^evt_[0-9a-f]{24}$/;

const RESOURCE_OF: Record<string, WebhookResourceKind> = {
  invoice: 'invoice',
  credit_note: 'credit_note',
  customer: 'customer',
  subscription: 'subscription',
  billing_run: 'billing_run',
  // usage.alert_triggered, credits.balance_low: the alert and its firing.
  usage: 'alert',
  credits: 'alert',
};

export function resourceKindOf(type: WebhookEventType): WebhookResourceKind | undefined {
  return RESOURCE_OF[type.slice(0, type.indexOf('.'))];
}

/** The event of a change: `id` is `evt_` + 24 hex digits made by the caller. */
export function webhookEvent(
  id: string,
  type: WebhookEventType,
  createdAt: string,
  resourceKind: WebhookResourceKind,
  resource: unknown,
): WebhookEvent {
  return { id, type, createdAt, resourceKind, resource };
}

/** The envelope, with the resource rendered as the API shows it. */
export function webhookPayload(event: WebhookEvent, data: unknown): WebhookPayload {
  return { id: event.id, type: event.type, created_at: event.createdAt, data };
}

/** Whether an endpoint subscribed to `events` (`*`: every type) wants an event of `type`. */
export function subscribes(events: readonly string[], type: WebhookEventType): boolean {
  return events.includes('*') || events.includes(type);
}

/** The delivery id of an event to one endpoint (also its queue message id). */
export const deliveryId = (eventId: string, endpointId: string) => `${eventId}~${endpointId}`;

export function parseDeliveryId(id: string): { eventId: string; endpointId: string } | undefined {
  const at = id.indexOf('~');
  if (at <= 0 || at === id.length - 1) return undefined;
  return { eventId: id.slice(0, at), endpointId: id.slice(at + 1) };
}

/**
 * The retry schedule: the delay before attempt n+1 after n failed ones (`delays[n-1]`); after the last
 * delay's attempt fails the delivery is dead.
 */
export function nextRetryDelay(delays: readonly number[], failedAttempts: number): number | undefined {
  return delays[failedAttempts - 1];
}

/** The URL rule: https, or http to localhost / 127.0.0.1 (local receivers, tests). */
export function webhookUrlProblem(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.username || url.password) return 'must not carry credentials';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && (url.hostname === 'localhost' || url.hostname === '127.0.0.1')) return undefined;
  return 'must be https (http only for localhost or 127.0.0.1)';
}
