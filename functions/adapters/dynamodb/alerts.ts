import { randomBytes } from 'node:crypto';
import {
  BatchWriteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { ConflictError, NotFoundError } from '../../app/errors.js';
import type { FireOutcome } from '../../app/ports/alerts.js';
import {
  type Alert,
  type AlertTrigger,
  MAX_ALERTS_PER_CUSTOMER,
  TRIGGERS_SHOWN,
  triggerId,
} from '../../domain/alert.js';
import type { WebhookEvent } from '../../domain/webhook-event.js';
import { doc, type Item, n, queryAll, s } from './attributes.js';
import { outboxItem } from './invoices.js';
import { TABLE } from './table.js';
import { eventWrites } from './webhooks.js';

/**
 * Usage alerts: the alert (`ALERT#<id>` / `ALERT`, listed per customer through GSI1 `ALERTS` /
 * `<customer>#<created>#<id>`), its firings (`ALERT#<id>` / `FIRED#<period start>`: the once-per-period
 * marker, written with condition attribute_not_exists in one transaction with the webhook event, its
 * outbox entry and the email's outbox entry `OUTBOX` / `alert#<alert id>~<period start>`), and a count
 * per customer (`ALERTCOUNT#<customer>`) that caps how many alerts a customer has.
 */
const alertKey = (id: string) => ({ PK: s(`ALERT#${id}`), SK: s('ALERT') });
const triggerKey = (alertId: string, periodStart: string) => ({
  PK: s(`ALERT#${alertId}`),
  SK: s(`FIRED#${periodStart}`),
});
const countKey = (customerId: string) => ({ PK: s(`ALERTCOUNT#${customerId}`), SK: s('ALERTCOUNT') });

/** The reasons of a canceled transaction, as codes (`None` for the items that were fine). */
const reasonsOf = (error: TransactionCanceledException) => (error.CancellationReasons ?? []).map((r) => r.Code ?? '');

export class AlertStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  /** Stores a new alert; a customer with {@link MAX_ALERTS_PER_CUSTOMER} alerts gets a ConflictError. */
  async create(input: Omit<Alert, 'id'>): Promise<Alert> {
    const alert: Alert = { id: `al_${randomBytes(8).toString('hex')}`, ...input };
    try {
      await this.client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  ...alertKey(alert.id),
                  [TABLE.gsi1.partitionKey]: s('ALERTS'),
                  [TABLE.gsi1.sortKey]: s(`${alert.customerId}#${alert.createdAt}#${alert.id}`),
                  doc: s(JSON.stringify(alert)),
                },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            {
              Update: {
                TableName: this.tableName,
                Key: countKey(alert.customerId),
                UpdateExpression: 'ADD alerts :one',
                ConditionExpression: 'attribute_not_exists(alerts) OR alerts < :max',
                ExpressionAttributeValues: { ':one': n(1), ':max': n(MAX_ALERTS_PER_CUSTOMER) },
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (error instanceof TransactionCanceledException && reasonsOf(error)[1] === 'ConditionalCheckFailed')
        throw new ConflictError(
          `customer '${alert.customerId}' has ${MAX_ALERTS_PER_CUSTOMER} alerts already (the limit); delete one first`,
        );
      throw error;
    }
    return alert;
  }

  async find(id: string): Promise<Alert | undefined> {
    const result = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: alertKey(id), ConsistentRead: true }),
    );
    return result.Item ? doc<Alert>(result.Item) : undefined;
  }

  async get(id: string): Promise<Alert> {
    const alert = await this.find(id);
    if (!alert) throw new NotFoundError(`no alert with id '${id}'`);
    return alert;
  }

  /** A customer's alerts, oldest first (every customer's when `customerId` is absent). */
  async list(customerId?: string): Promise<Alert[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      IndexName: TABLE.gsi1.name,
      KeyConditionExpression:
        customerId === undefined ? 'GSI1PK = :pk' : 'GSI1PK = :pk AND begins_with(GSI1SK, :customer)',
      ExpressionAttributeValues: {
        ':pk': s('ALERTS'),
        ...(customerId === undefined ? {} : { ':customer': s(`${customerId}#`) }),
      },
    });
    const alerts = items.map((item) => doc<Alert>(item));
    // A customer id that begins like another one followed by '#' is not that customer.
    return customerId === undefined ? alerts : alerts.filter((alert) => alert.customerId === customerId);
  }

  /** The firings of an alert, newest first. */
  async triggers(alertId: string, limit = TRIGGERS_SHOWN): Promise<AlertTrigger[]> {
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :fired)',
        ExpressionAttributeValues: { ':pk': s(`ALERT#${alertId}`), ':fired': s('FIRED#') },
        ScanIndexForward: false,
        Limit: limit,
        ConsistentRead: true,
      }),
    );
    return (page.Items ?? []).map((item) => doc<AlertTrigger>(item));
  }

  async findTrigger(id: string): Promise<(AlertTrigger & { lease?: string }) | undefined> {
    const at = id.indexOf('~');
    if (at <= 0) return undefined;
    const result = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: triggerKey(id.slice(0, at), id.slice(at + 1)),
        ConsistentRead: true,
      }),
    );
    if (!result.Item) return undefined;
    const trigger = doc<AlertTrigger>(result.Item);
    const lease = result.Item.lease_until?.S;
    return lease ? { ...trigger, lease } : trigger;
  }

  /** Deletes an alert (its firings with it); what it already fired stays delivered. */
  async delete(id: string): Promise<Alert> {
    const alert = await this.get(id);
    try {
      await this.client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Delete: { TableName: this.tableName, Key: alertKey(id), ConditionExpression: 'attribute_exists(PK)' } },
            {
              Update: {
                TableName: this.tableName,
                Key: countKey(alert.customerId),
                UpdateExpression: 'ADD alerts :minus',
                ConditionExpression: 'alerts > :zero',
                ExpressionAttributeValues: { ':minus': n(-1), ':zero': n(0) },
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (error instanceof TransactionCanceledException && reasonsOf(error)[0] === 'ConditionalCheckFailed')
        throw new NotFoundError(`no alert with id '${id}'`);
      throw error;
    }
    const fired = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :fired)',
      ExpressionAttributeValues: { ':pk': s(`ALERT#${id}`), ':fired': s('FIRED#') },
      ProjectionExpression: 'PK, SK',
    });
    for (let i = 0; i < fired.length; i += 25) {
      const chunk = fired.slice(i, i + 25);
      await this.client.send(
        new BatchWriteItemCommand({
          RequestItems: {
            [this.tableName]: chunk.map((item) => ({ DeleteRequest: { Key: { PK: item.PK!, SK: item.SK! } } })),
          },
        }),
      );
    }
    return alert;
  }

  /**
   * Fires an alert once for a period: the marker (condition: none yet for this alert and period), a
   * check that the alert still exists, the webhook event with its outbox entry and, when the customer
   * has an email address, the email's outbox entry, in ONE transaction. A racing check that wrote the
   * marker first makes this one `already_fired`.
   */
  async fire(trigger: AlertTrigger, event: WebhookEvent): Promise<FireOutcome> {
    const id = triggerId(trigger.alertId, trigger.periodStart);
    const items = [
      {
        Put: {
          TableName: this.tableName,
          Item: { ...triggerKey(trigger.alertId, trigger.periodStart), doc: s(JSON.stringify(trigger)) } as Item,
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      {
        ConditionCheck: {
          TableName: this.tableName,
          Key: alertKey(trigger.alertId),
          ConditionExpression: 'attribute_exists(PK)',
        },
      },
      ...eventWrites(this.tableName, event),
      ...(trigger.email.status === 'pending'
        ? [{ Put: { TableName: this.tableName, Item: outboxItem(id, 'alert', trigger.triggeredAt) } }]
        : []),
    ];
    for (let attempt = 0; ; attempt++) {
      try {
        await this.client.send(new TransactWriteItemsCommand({ TransactItems: items }));
        return { status: 'fired', trigger };
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const [marker, exists, event] = reasonsOf(error);
        // The event's id is derived from the alert and the period: it exists only if this firing happened.
        if (marker === 'ConditionalCheckFailed' || event === 'ConditionalCheckFailed')
          return { status: 'already_fired' };
        if (exists === 'ConditionalCheckFailed') return { status: 'deleted' };
        // A transaction conflict with a racing check: try again (its marker then decides).
        if (attempt >= 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * (attempt + 1)));
      }
    }
  }

  /**
   * Takes the email of a firing for `leaseMs` (false when it is not owed or another sender holds it).
   */
  async leaseEmail(id: string, now: Date, leaseMs: number): Promise<boolean> {
    const at = id.indexOf('~');
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: triggerKey(id.slice(0, at), id.slice(at + 1)),
          UpdateExpression: 'SET lease_until = :until',
          ConditionExpression:
            'attribute_exists(PK) AND attribute_not_exists(email_sent) AND (attribute_not_exists(lease_until) OR lease_until < :now)',
          ExpressionAttributeValues: {
            ':until': s(new Date(now.getTime() + leaseMs).toISOString()),
            ':now': s(now.toISOString()),
          },
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  /** Records the email of a firing: sent (with SES's message id), or a failed attempt (the lease is let go). */
  async recordEmail(id: string, change: { sentAt: string; messageId: string } | { failed: true }): Promise<void> {
    const current = await this.findTrigger(id);
    if (!current) return;
    const { lease: _lease, ...trigger } = current;
    const email: AlertTrigger['email'] =
      'failed' in change
        ? { ...trigger.email, attempts: trigger.email.attempts + 1 }
        : {
            ...trigger.email,
            status: 'sent',
            sentAt: change.sentAt,
            messageId: change.messageId,
            attempts: trigger.email.attempts + 1,
          };
    const at = id.indexOf('~');
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: triggerKey(id.slice(0, at), id.slice(at + 1)),
        UpdateExpression:
          'failed' in change
            ? 'SET doc = :doc REMOVE lease_until'
            : 'SET doc = :doc, email_sent = :yes REMOVE lease_until',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: {
          ':doc': s(JSON.stringify({ ...trigger, email })),
          ...('failed' in change ? {} : { ':yes': s(change.sentAt) }),
        },
      }),
    );
  }
}
