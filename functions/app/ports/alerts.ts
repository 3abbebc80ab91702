import type { Alert, AlertTrigger } from '../../domain/alert.js';
import type { WebhookEvent } from '../../domain/webhook-event.js';

/** Port: the alert store (functions/adapters/dynamodb/alerts.ts). */

/** What a firing's transaction did: wrote the marker, found one (another check fired first), or found the alert deleted. */
export type FireOutcome =
  | { status: 'fired'; trigger: AlertTrigger }
  | { status: 'already_fired' }
  | { status: 'deleted' };

export interface AlertReader {
  list(customerId?: string): Promise<Alert[]>;
  find(id: string): Promise<Alert | undefined>;
  findTrigger(id: string): Promise<(AlertTrigger & { lease?: string }) | undefined>;
}

export interface AlertFiring extends AlertReader {
  fire(trigger: AlertTrigger, event: WebhookEvent): Promise<FireOutcome>;
}

export interface AlertEmails extends AlertReader {
  leaseEmail(id: string, now: Date, leaseMs: number): Promise<boolean>;
  recordEmail(id: string, change: { sentAt: string; messageId: string } | { failed: true }): Promise<void>;
}
