import { randomBytes } from 'node:crypto';
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type TransactWriteItem,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { ConflictError, NotFoundError } from '../../app/errors.js';
import type {
  WebhookAttempt,
  WebhookDelivery,
  WebhookDeliveryStatus,
  WebhookEndpoint,
} from '../../app/ports/webhooks.js';
import { paymentStatusOf } from '../../domain/billing/payment.js';
import type { Subscription } from '../../domain/billing/subscription.js';
import type { Invoice } from '../../domain/invoice.js';
import {
  deliveryId,
  type WebhookEvent,
  type WebhookEventType,
  type WebhookResourceKind,
  webhookEvent,
} from '../../domain/webhook-event.js';
import { doc, type Item, queryAll, s } from './attributes.js';
import { outboxItem } from './invoices.js';
import { TABLE } from './table.js';

/**
 * Outbound webhooks: endpoints (`WHENDPOINT#<id>`), events (`WHEVENT#<id>`, written in the transaction
 * of the change they report, with their outbox entry `OUTBOX` / `webhook#<event id>`) and one delivery
 * record per (event, endpoint) (`WHDELIVERY#<event id>~<endpoint id>`, listed per endpoint through GSI2).
 */

export type { WebhookAttempt, WebhookDelivery, WebhookDeliveryStatus, WebhookEndpoint };

/** At most this many attempts are kept in a delivery's log (the newest). */
const ATTEMPT_LOG = 50;

const endpointKey = (id: string) => ({ PK: s(`WHENDPOINT#${id}`), SK: s('WHENDPOINT') });
const eventKey = (id: string) => ({ PK: s(`WHEVENT#${id}`), SK: s('WHEVENT') });
const deliveryKey = (id: string) => ({ PK: s(`WHDELIVERY#${id}`), SK: s('WHDELIVERY') });

export const newEventId = () => `evt_${randomBytes(12).toString('hex')}`;

/** A new event of a change (id and time made here). */
export function newWebhookEvent(
  type: WebhookEventType,
  at: string,
  resourceKind: WebhookResourceKind,
  resource: unknown,
): WebhookEvent {
  return webhookEvent(newEventId(), type, at, resourceKind, resource);
}

/**
 * The writes that store an event and make its delivery owed: add them to the transaction of the change
 * the event reports (two items). Events are written whether or not any endpoint exists (simple, and an
 * endpoint added later can be sent old events by replay); the fan-out finds no endpoint and stops.
 */
export function eventWrites(tableName: string, event: WebhookEvent): TransactWriteItem[] {
  return [
    {
      Put: {
        TableName: tableName,
        Item: { ...eventKey(event.id), type: s(event.type), doc: s(JSON.stringify(event)) },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    },
    { Put: { TableName: tableName, Item: outboxItem(event.id, 'webhook', event.createdAt) } },
  ];
}

function deliveryItem(delivery: WebhookDelivery): Item {
  return {
    ...deliveryKey(delivery.id),
    doc: s(JSON.stringify(delivery)),
    status: s(delivery.status),
    version: { N: String(delivery.version) },
    [TABLE.gsi2.partitionKey]: s(`WHENDPOINT#${delivery.endpointId}`),
    [TABLE.gsi2.sortKey]: s(`DLV#${delivery.createdAt}#${delivery.eventId}`),
  };
}

export class WebhookStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async createEndpoint(input: { url: string; events: string[]; description?: string }): Promise<WebhookEndpoint> {
    const endpoint: WebhookEndpoint = {
      id: `we_${randomBytes(8).toString('hex')}`,
      url: input.url,
      events: input.events,
      ...(input.description === undefined ? {} : { description: input.description }),
      createdAt: this.clock().toISOString(),
      secret: `whsec_${randomBytes(24).toString('base64')}`,
    };
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: {
          ...endpointKey(endpoint.id),
          [TABLE.gsi1.partitionKey]: s('WHENDPOINTS'),
          [TABLE.gsi1.sortKey]: s(`${endpoint.createdAt}#${endpoint.id}`),
          doc: s(JSON.stringify(endpoint)),
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
    return endpoint;
  }

  async findEndpoint(id: string): Promise<WebhookEndpoint | undefined> {
    const result = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: endpointKey(id), ConsistentRead: true }),
    );
    return result.Item ? doc<WebhookEndpoint>(result.Item) : undefined;
  }

  async getEndpoint(id: string): Promise<WebhookEndpoint> {
    const endpoint = await this.findEndpoint(id);
    if (!endpoint) throw new NotFoundError(`no webhook endpoint with id '${id}'`);
    return endpoint;
  }

  /** Every endpoint, oldest first. */
  async listEndpoints(): Promise<WebhookEndpoint[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      IndexName: TABLE.gsi1.name,
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': s('WHENDPOINTS') },
    });
    return items.map((item) => doc<WebhookEndpoint>(item));
  }

  async deleteEndpoint(id: string): Promise<WebhookEndpoint> {
    try {
      const result = await this.client.send(
        new DeleteItemCommand({
          TableName: this.tableName,
          Key: endpointKey(id),
          ConditionExpression: 'attribute_exists(PK)',
          ReturnValues: 'ALL_OLD',
        }),
      );
      return doc<WebhookEndpoint>(result.Attributes as Item);
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException)
        throw new NotFoundError(`no webhook endpoint with id '${id}'`);
      throw error;
    }
  }

  async findEvent(id: string): Promise<WebhookEvent | undefined> {
    const result = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: eventKey(id), ConsistentRead: true }),
    );
    return result.Item ? doc<WebhookEvent>(result.Item) : undefined;
  }

  /** Whether the event was put on the event bus already (`published_at` on its item). */
  async isPublished(id: string): Promise<boolean> {
    const result = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: eventKey(id),
        ConsistentRead: true,
        ProjectionExpression: 'published_at',
      }),
    );
    return result.Item?.published_at !== undefined;
  }

  async markPublished(id: string, at: Date): Promise<void> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: eventKey(id),
          UpdateExpression: 'SET published_at = :at',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: { ':at': s(at.toISOString()) },
        }),
      );
    } catch (error) {
      // The event is gone (nothing left to mark).
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /** Writes an event and its outbox entry on their own (a change with no transaction of its own). */
  async recordEvent(event: WebhookEvent): Promise<void> {
    const [put, outbox] = eventWrites(this.tableName, event);
    await this.client.send(new PutItemCommand(put!.Put!));
    await this.client.send(new PutItemCommand(outbox!.Put!));
  }

  async findDelivery(id: string): Promise<WebhookDelivery | undefined> {
    const result = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: deliveryKey(id), ConsistentRead: true }),
    );
    return result.Item ? doc<WebhookDelivery>(result.Item) : undefined;
  }

  async getDelivery(id: string): Promise<WebhookDelivery> {
    const delivery = await this.findDelivery(id);
    if (!delivery) throw new NotFoundError(`no webhook delivery with id '${id}'`);
    return delivery;
  }

  /**
   * The delivery of an event to an endpoint, created with its outbox entry when it does not exist yet
   * (a fan-out run twice creates it once); returns the stored one.
   */
  async ensureDelivery(event: WebhookEvent, endpointId: string): Promise<WebhookDelivery> {
    const id = deliveryId(event.id, endpointId);
    const existing = await this.findDelivery(id);
    if (existing) return existing;
    const delivery: WebhookDelivery = {
      id,
      eventId: event.id,
      eventType: event.type,
      endpointId,
      status: 'pending',
      createdAt: event.createdAt,
      failures: 0,
      attempts: [],
      version: 1,
    };
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: deliveryItem(delivery),
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: outboxItem(id, 'webhook', this.clock().toISOString()),
        }),
      );
      return delivery;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return this.getDelivery(id);
      throw error;
    }
  }

  /** Changes a delivery if nobody changed it meanwhile; `change` returning the same object writes nothing. */
  async updateDelivery(id: string, change: (current: WebhookDelivery) => WebhookDelivery): Promise<WebhookDelivery> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const current = await this.getDelivery(id);
      const changed = change(current);
      if (changed === current) return current;
      const next = { ...changed, attempts: changed.attempts.slice(-ATTEMPT_LOG), version: current.version + 1 };
      try {
        await this.client.send(
          new PutItemCommand({
            TableName: this.tableName,
            Item: deliveryItem(next),
            ConditionExpression: 'version = :v',
            ExpressionAttributeValues: { ':v': { N: String(current.version) } },
          }),
        );
        return next;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    throw new ConflictError(`webhook delivery '${id}' keeps changing; retry`);
  }

  /** The delivery log of an endpoint, newest first. */
  async deliveries(endpointId: string, limit = 100): Promise<WebhookDelivery[]> {
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: TABLE.gsi2.name,
        KeyConditionExpression: 'GSI2PK = :pk AND begins_with(GSI2SK, :dlv)',
        ExpressionAttributeValues: { ':pk': s(`WHENDPOINT#${endpointId}`), ':dlv': s('DLV#') },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (page.Items ?? []).map((item) => doc<WebhookDelivery>(item));
  }
}

/**
 * The events of an invoice changing from `current` to `next` (paid, payment failed, voided), to be
 * written in the transaction of the change. A draft's first save and the finalize write their own.
 */
export function invoiceChangeEvents(current: Invoice, next: Invoice, at: string): WebhookEvent[] {
  const events: WebhookEvent[] = [];
  const before = paymentStatusOf(current);
  const after = paymentStatusOf(next);
  if (after === 'paid' && before !== 'paid') events.push(newWebhookEvent('invoice.paid', at, 'invoice', next));
  if (after === 'payment_failed' && before !== 'payment_failed')
    events.push(newWebhookEvent('invoice.payment_failed', at, 'invoice', next));
  if (next.status === 'void' && current.status !== 'void')
    events.push(newWebhookEvent('invoice.voided', at, 'invoice', next));
  return events;
}

/** The writes of several events (two items each). */
export const eventsWrites = (tableName: string, events: readonly WebhookEvent[]) =>
  events.flatMap((event) => eventWrites(tableName, event));

/** The clients of deployments with an event bus: every event is written there ({@link recordAllEvents}). */
const allEventsRecorded = new WeakSet<DynamoDBClient>();

/**
 * Makes every store on this client write every change's event, endpoint or not (the deployment has an
 * event bus, which receives them all). Called once by the composition root on the client it makes.
 */
export function recordAllEvents(client: DynamoDBClient): void {
  allEventsRecorded.add(client);
}

/**
 * Whether events are written: always where the deployment has an event bus ({@link recordAllEvents}),
 * else only while a webhook endpoint exists (a deployment without webhooks pays nothing for them; an
 * endpoint receives the events after its creation anyway). One read of the endpoint listing (GSI1),
 * made only by changes that have an event to report.
 */
export async function webhooksEnabled(client: DynamoDBClient, tableName: string): Promise<boolean> {
  if (allEventsRecorded.has(client)) return true;
  const page = await client.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: TABLE.gsi1.name,
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': s('WHENDPOINTS') },
      Limit: 1,
      ProjectionExpression: 'PK',
    }),
  );
  return (page.Items ?? []).length > 0;
}

/** The events of a change, or none when no endpoint exists. */
export async function eventsIfEnabled(
  client: DynamoDBClient,
  tableName: string,
  events: readonly WebhookEvent[],
): Promise<WebhookEvent[]> {
  if (events.length === 0 || !(await webhooksEnabled(client, tableName))) return [];
  return [...events];
}

/**
 * The events of a subscription changing: `subscription.canceled` when it is canceled (or ends without
 * having been canceled before), `subscription.changed` when its plan, its pending change, its prices
 * or its usage limits change (not when a period merely advances).
 */
export function subscriptionChangeEvents(previous: Subscription, next: Subscription): WebhookEvent[] {
  const at = next.updatedAt;
  if ((!previous.canceledAt && next.canceledAt) || (previous.status === 'active' && next.status === 'ended'))
    return previous.canceledAt
      ? []
      : [newWebhookEvent('subscription.canceled', next.canceledAt ?? at, 'subscription', next)];
  const terms = (subscription: Subscription) =>
    JSON.stringify([
      subscription.planKey,
      subscription.planVersion,
      subscription.pendingChange ?? null,
      subscription.priceOverrides,
      subscription.usageLimits ?? null,
      subscription.endsAfterCurrent ?? false,
    ]);
  return terms(previous) === terms(next) ? [] : [newWebhookEvent('subscription.changed', at, 'subscription', next)];
}
