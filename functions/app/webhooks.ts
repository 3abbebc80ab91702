import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { BillingConfig } from '../config.js';
import {
  isPrivateAddress,
  nextRetryDelay,
  parseDeliveryId,
  subscribes,
  type WebhookEvent,
  type WebhookPayload,
  webhookPayload,
  webhookUrlProblem,
} from '../domain/webhook-event.js';
import { ConflictError } from './errors.js';
import type { Clock } from './ports/clock.js';
import type { DeliveryKind } from './ports/invoices.js';
import type { WebhookDelivery, WebhookEndpoint } from './ports/webhooks.js';

/**
 * Outbound webhooks (Standard Webhooks), through the delivery queue as kind `webhook`:
 * - a message `<event id>` fans the event out: one delivery record and one message
 *   `<event id>~<endpoint id>` per subscribed endpoint;
 * - a message `<event id>~<endpoint id>` POSTs the event to that endpoint, signed with its secret
 *   (`webhook-id` = the event id, the same on every retry). 2xx: delivered. Else the attempt is
 *   logged and the message is retried after the next delay of `webhookRetrySeconds`; after the last
 *   the delivery is `dead` (manual retry through the API).
 * The delivery record makes it once per (event, endpoint) however often SQS hands the message over.
 */
export interface WebhookDeps {
  config: Pick<BillingConfig, 'webhookRetrySeconds' | 'webhookTimeoutMs' | 'webhookAllowPrivateUrls'>;
  clock: Clock;
  /**
   * The time signed into `webhook-timestamp`: the receiver compares it with its own clock (5 minutes'
   * tolerance), so it is the wall clock even where `clock` is a test's fake one.
   */
  wallClock?: Clock;
  webhooks: {
    findEvent(id: string): Promise<WebhookEvent | undefined>;
    findEndpoint(id: string): Promise<WebhookEndpoint | undefined>;
    listEndpoints(): Promise<WebhookEndpoint[]>;
    ensureDelivery(event: WebhookEvent, endpointId: string): Promise<WebhookDelivery>;
    findDelivery(id: string): Promise<WebhookDelivery | undefined>;
    updateDelivery(id: string, change: (current: WebhookDelivery) => WebhookDelivery): Promise<WebhookDelivery>;
    /** Whether the event was put on the bus already (a fan-out run again does not put it twice). */
    isPublished(eventId: string): Promise<boolean>;
    markPublished(eventId: string, at: Date): Promise<void>;
  };
  outbox: {
    addToOutbox(id: string, kind: DeliveryKind, since: Date): Promise<void>;
    removeFromOutbox(id: string, kind: DeliveryKind): Promise<void>;
  };
  queue: { send(id: string, kind: DeliveryKind, delaySeconds?: number): Promise<void> };
  /** Renders the event's resource as the API shows it. */
  render(event: WebhookEvent): unknown;
  /**
   * Also publishes every event, once per event at its fan-out (AWS: the EventBridge bus); absent:
   * webhooks only. A failure fails the fan-out, which the queue retries like any delivery.
   */
  publish?(payload: WebhookPayload): Promise<void>;
  /**
   * Every address a host name resolves to (the SSRF guard at delivery time; absent: names are not
   * resolved). Not used where `config.webhookAllowPrivateUrls`.
   */
  resolveHost?(hostname: string): Promise<string[]>;
  /** The HTTP client (tests may point it anywhere; default: global fetch). */
  fetch?: typeof fetch;
}

/** The endpoint did not take the event: retry after `retryInSeconds` (the queue's visibility). */
export class WebhookRetryError extends Error {
  constructor(
    message: string,
    readonly retryInSeconds: number,
  ) {
    super(message);
    this.name = 'WebhookRetryError';
  }
}

export type WebhookOutcome =
  | { status: 'fanned_out'; eventId: string; deliveries: number }
  | { status: 'delivered' | 'failed' | 'dead' | 'skipped'; deliveryId: string; detail: string };

/** A sender holds a delivery this long (longer than the POST's timeout). */
const LEASE_MS = 60_000;

type LeasedDelivery = WebhookDelivery & { lease?: { token: string; until: string } };

/**
 * The SSRF guard at delivery time (unless private URLs are allowed): the URL rule again (an endpoint
 * may predate it), then every address its host resolves to must be public. A refusal is a failed
 * attempt with its reason, on the delivery's normal schedule.
 */
async function refusedTarget(deps: WebhookDeps, raw: string): Promise<string | undefined> {
  if (deps.config.webhookAllowPrivateUrls) return undefined;
  const problem = webhookUrlProblem(raw);
  if (problem) return `refused: the URL ${problem}`;
  const hostname = new URL(raw).hostname;
  // An IP literal was judged by the URL rule; a name is judged by what it resolves to now.
  if (!deps.resolveHost || hostname.startsWith('[') || /^[\d.]+$/.test(hostname)) return undefined;
  let addresses: string[];
  try {
    addresses = await deps.resolveHost(hostname);
  } catch (failure) {
    return `could not resolve ${hostname}: ${(failure as Error).message}`.slice(0, 300);
  }
  const privateOnes = addresses.filter(isPrivateAddress);
  if (addresses.length === 0) return `could not resolve ${hostname}`;
  if (privateOnes.length > 0)
    return `refused: ${hostname} resolves to a loopback, private or link-local address (${privateOnes.join(', ')})`.slice(
      0,
      300,
    );
  return undefined;
}

export async function deliverWebhook(deps: WebhookDeps, id: string): Promise<WebhookOutcome> {
  const parsed = parseDeliveryId(id);
  return parsed ? deliverToEndpoint(deps, id) : fanOut(deps, id);
}

async function fanOut(deps: WebhookDeps, eventId: string): Promise<WebhookOutcome> {
  const event = await deps.webhooks.findEvent(eventId);
  if (!event) {
    await deps.outbox.removeFromOutbox(eventId, 'webhook');
    return { status: 'fanned_out', eventId, deliveries: 0 };
  }
  let count = 0;
  for (const endpoint of await deps.webhooks.listEndpoints()) {
    // Only endpoints that existed when the event happened (a new endpoint gets no old events).
    if (!subscribes(endpoint.events, event.type) || endpoint.createdAt > event.createdAt) continue;
    const delivery = await deps.webhooks.ensureDelivery(event, endpoint.id);
    if (delivery.status === 'pending' && delivery.attempts.length === 0) {
      await deps.queue.send(delivery.id, 'webhook');
      count++;
    }
  }
  // Once per event, not per endpoint; the mark keeps a fan-out that runs again (a lost removal, a
  // duplicate message, the sweep) from putting it twice, short of a crash between put and mark.
  if (deps.publish && !(await deps.webhooks.isPublished(event.id))) {
    await deps.publish(webhookPayload(event, deps.render(event)));
    await deps.webhooks.markPublished(event.id, deps.clock());
  }
  await deps.outbox.removeFromOutbox(eventId, 'webhook');
  return { status: 'fanned_out', eventId, deliveries: count };
}

async function deliverToEndpoint(deps: WebhookDeps, id: string): Promise<WebhookOutcome> {
  const skipped = async (detail: string): Promise<WebhookOutcome> => {
    await deps.outbox.removeFromOutbox(id, 'webhook');
    return { status: 'skipped', deliveryId: id, detail };
  };
  const delivery = await deps.webhooks.findDelivery(id);
  if (!delivery) return skipped('no such delivery');
  if (delivery.status !== 'pending' && delivery.status !== 'failed')
    return skipped(`the delivery is ${delivery.status}`);
  // Too early (a retry's message arrives at most 15 minutes later): back to the queue until it is due.
  const waitMs = delivery.nextAttemptAt ? Date.parse(delivery.nextAttemptAt) - deps.clock().getTime() : 0;
  if (waitMs > 0)
    throw new WebhookRetryError(
      `webhook delivery '${id}' is due at ${delivery.nextAttemptAt}`,
      Math.ceil(waitMs / 1000),
    );
  const endpoint = await deps.webhooks.findEndpoint(delivery.endpointId);
  const event = await deps.webhooks.findEvent(delivery.eventId);
  if (!endpoint || !event) {
    await deps.webhooks.updateDelivery(id, (current) =>
      current.status === 'pending' || current.status === 'failed' ? { ...current, status: 'canceled' } : current,
    );
    return skipped(endpoint ? 'the event is gone' : 'the endpoint was deleted');
  }

  // The lease: from here until the outcome is recorded nobody else POSTs this delivery.
  const token = randomUUID();
  let taken = false;
  await deps.webhooks.updateDelivery(id, (current: LeasedDelivery) => {
    taken = false;
    if (current.status !== 'pending' && current.status !== 'failed') return current;
    if (current.lease && current.lease.until > deps.clock().toISOString()) return current;
    taken = true;
    return { ...current, lease: { token, until: new Date(deps.clock().getTime() + LEASE_MS).toISOString() } };
  });
  if (!taken) {
    const current = await deps.webhooks.findDelivery(id);
    if (current && (current.status === 'pending' || current.status === 'failed'))
      throw new WebhookRetryError(`webhook delivery '${id}' is being sent by another worker`, 30);
    return skipped(`the delivery is ${current?.status ?? 'gone'}`);
  }

  const body = JSON.stringify(webhookPayload(event, deps.render(event)));
  const signedAt = (deps.wallClock ?? (() => new Date()))();
  const signature = new Webhook(endpoint.secret).sign(event.id, signedAt, body);
  const started = Date.now();
  let statusCode: number | undefined;
  let error: string | undefined = await refusedTarget(deps, endpoint.url);
  if (error === undefined)
    try {
      const response = await (deps.fetch ?? fetch)(endpoint.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'billing-webhooks/1',
          'webhook-id': event.id,
          'webhook-timestamp': String(Math.floor(signedAt.getTime() / 1000)),
          'webhook-signature': signature,
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(deps.config.webhookTimeoutMs),
      });
      statusCode = response.status;
      await response.body?.cancel().catch(() => undefined);
      if (statusCode < 200 || statusCode >= 300) error = `HTTP ${statusCode}`;
    } catch (failure) {
      const cause = (failure as Error).cause as Error | undefined;
      error = (
        (failure as Error).name === 'TimeoutError' ? 'timed out' : (cause?.message ?? (failure as Error).message)
      ).slice(0, 300);
    }
  const attempt = {
    at: deps.clock().toISOString(),
    ...(statusCode === undefined ? {} : { statusCode }),
    ...(error === undefined ? {} : { error }),
    durationMs: Date.now() - started,
  };

  const recorded = await deps.webhooks.updateDelivery(id, (current: LeasedDelivery) => {
    const { lease: _lease, nextAttemptAt: _next, ...rest } = current;
    if (current.lease?.token !== token) return current;
    if (error === undefined)
      return { ...rest, status: 'delivered', attempts: [...current.attempts, attempt], deliveredAt: attempt.at };
    const failures = current.failures + 1;
    const delay = nextRetryDelay(deps.config.webhookRetrySeconds, failures);
    return delay === undefined
      ? { ...rest, status: 'dead', failures, attempts: [...current.attempts, attempt] }
      : {
          ...rest,
          status: 'failed',
          failures,
          attempts: [...current.attempts, attempt],
          nextAttemptAt: new Date(deps.clock().getTime() + delay * 1000).toISOString(),
        };
  });
  if (recorded.status === 'delivered' || recorded.status === 'dead') {
    await deps.outbox.removeFromOutbox(id, 'webhook');
    return { status: recorded.status, deliveryId: id, detail: error ?? `HTTP ${statusCode}` };
  }
  const delay = nextRetryDelay(deps.config.webhookRetrySeconds, recorded.failures) ?? 0;
  // The sweep waits for the retry too: the entry is owed from the next attempt on.
  await deps.outbox.addToOutbox(id, 'webhook', new Date(deps.clock().getTime() + delay * 1000));
  // A fresh message per retry, so the schedule does not spend the queue's maxReceiveCount: it shows up
  // after min(delay, 15 min) and waits out the rest (WebhookRetryError above) with its visibility.
  await deps.queue.send(id, 'webhook', delay);
  return { status: 'failed', deliveryId: id, detail: error ?? 'failed' };
}

/** Manual retry of a failed or dead delivery: owed again, from a fresh schedule. */
export async function retryWebhookDelivery(
  deps: Pick<WebhookDeps, 'clock' | 'webhooks' | 'outbox' | 'queue'>,
  id: string,
): Promise<WebhookDelivery> {
  const retried = await deps.webhooks.updateDelivery(id, (current) => {
    if (current.status !== 'dead' && current.status !== 'failed')
      throw new ConflictError(
        `webhook delivery '${id}' is ${current.status}: only a failed or dead one can be retried`,
      );
    const { nextAttemptAt: _next, ...rest } = current;
    return { ...rest, status: 'pending', failures: 0 };
  });
  if (retried.status !== 'pending') return retried;
  await deps.outbox.addToOutbox(id, 'webhook', deps.clock());
  await deps.queue.send(id, 'webhook');
  return retried;
}
