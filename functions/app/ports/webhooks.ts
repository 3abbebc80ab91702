import type { WebhookEventType } from '../../domain/webhook-event.js';

/** Port: what the webhook store keeps of endpoints and deliveries (functions/adapters/dynamodb/webhooks.ts). */

export interface WebhookEndpoint {
  id: string;
  url: string;
  events: string[];
  description?: string;
  createdAt: string;
  /** `whsec_` + base64 of 24 random bytes: the signing key (stored, as signing needs it; shown once). */
  secret: string;
}

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed' | 'dead' | 'canceled';

export interface WebhookAttempt {
  at: string;
  /** The HTTP status the endpoint answered (absent: no answer). */
  statusCode?: number;
  error?: string;
  durationMs: number;
}

export interface WebhookDelivery {
  /** `<event id>~<endpoint id>`. */
  id: string;
  eventId: string;
  eventType: WebhookEventType;
  endpointId: string;
  status: WebhookDeliveryStatus;
  createdAt: string;
  /** Failed attempts since the delivery was created or manually retried (drives the schedule). */
  failures: number;
  attempts: WebhookAttempt[];
  nextAttemptAt?: string;
  deliveredAt?: string;
  /** Optimistic lock. */
  version: number;
}
