import {
  type DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { AlreadyExistsError, ConflictError, NotFoundError } from '../../app/errors.js';
import type { Subscription } from '../../domain/billing/subscription.js';
import { limitScheduleOf } from '../../domain/billing/usage-limits.js';
import { doc, type Item, queryAll, s } from './attributes.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { customerKey } from './customers.js';
import { TABLE } from './table.js';
import { eventsIfEnabled, eventsWrites, newWebhookEvent, subscriptionChangeEvents } from './webhooks.js';

// Subscriptions and their current period.
function subscriptionItem(subscription: Subscription): Item {
  return {
    PK: s(`SUB#${subscription.id}`),
    SK: s('SUB'),
    doc: s(JSON.stringify(subscription)),
    updated_at: s(subscription.updatedAt),
    [TABLE.gsi2.partitionKey]: s(`CUST#${subscription.customerId}`),
    [TABLE.gsi2.sortKey]: s(`SUB#${subscription.createdAt}#${subscription.id}`),
    // Only active subscriptions are in the "due" index, ordered by the end of their current segment.
    ...(subscription.status === 'active'
      ? {
          [TABLE.gsi1.partitionKey]: s('SUBDUE'),
          [TABLE.gsi1.sortKey]: s(`${subscription.current.end}#${subscription.id}`),
        }
      : {}),
  };
}

/** What ingest enforces (`LimitSchedule`, JSON text), kept on the customer item as `usage_limits`; undefined: none. */
const limitsText = (subscription: Subscription) => {
  const schedule = limitScheduleOf(subscription);
  return schedule ? JSON.stringify(schedule) : undefined;
};

export class SubscriptionStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  /**
   * Creates the subscription and marks it as the customer's one active subscription, atomically,
   * with its hard usage limits for ingest (`usage_limits`).
   */
  async create(subscription: Subscription): Promise<void> {
    const limits = limitsText(subscription);
    const events = await eventsIfEnabled(this.client, this.tableName, [
      newWebhookEvent('subscription.created', subscription.createdAt, 'subscription', subscription),
    ]);
    try {
      await this.client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: subscriptionItem(subscription),
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            {
              Update: {
                TableName: this.tableName,
                Key: customerKey(subscription.customerId),
                UpdateExpression: `SET active_subscription = :id${limits === undefined ? ' REMOVE usage_limits' : ', usage_limits = :l'}`,
                ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(active_subscription)',
                ExpressionAttributeValues: {
                  ':id': s(subscription.id),
                  ...(limits === undefined ? {} : { ':l': s(limits) }),
                },
              },
            },
            // Last: the cancellation reasons above are read by position.
            ...eventsWrites(this.tableName, events),
          ],
        }),
      );
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const [sub, customer] = (error.CancellationReasons ?? []).map((r) => r.Code);
      if (sub === 'ConditionalCheckFailed')
        throw new AlreadyExistsError(`a subscription with id '${subscription.id}' exists already`);
      if (customer === 'ConditionalCheckFailed') {
        const result = await this.client.send(
          new GetItemCommand({
            TableName: this.tableName,
            Key: customerKey(subscription.customerId),
            ConsistentRead: true,
          }),
        );
        if (!result.Item) throw new NotFoundError(`no customer with id '${subscription.customerId}'`);
        throw new ConflictError(
          `customer '${subscription.customerId}' already has the active subscription '${result.Item.active_subscription?.S}'; change its plan instead (POST /v1/subscriptions/{id}/change-plan)`,
        );
      }
      throw error;
    }
  }

  async get(id: string): Promise<Subscription> {
    const result = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: { PK: s(`SUB#${id}`), SK: s('SUB') },
        ConsistentRead: true,
      }),
    );
    if (!result.Item) throw new NotFoundError(`no subscription with id '${id}'`);
    return doc<Subscription>(result.Item);
  }

  async byCustomer(customerId: string): Promise<Subscription[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      IndexName: TABLE.gsi2.name,
      KeyConditionExpression: 'GSI2PK = :pk AND begins_with(GSI2SK, :sub)',
      ExpressionAttributeValues: { ':pk': s(`CUST#${customerId}`), ':sub': s('SUB#') },
    });
    return items.map((item) => doc<Subscription>(item));
  }

  /**
   * Saves a new state if nobody changed the subscription since `previous` was read (optimistic).
   * Returns false when it lost the race. Ending a subscription frees the customer's active slot. When
   * the hard usage limits ingest enforces change (limits edited, period advanced, plan changed, ended),
   * the customer's copy (`usage_limits`) changes in the same transaction.
   */
  async replace(previous: Subscription, next: Subscription): Promise<boolean> {
    const put = {
      Put: {
        TableName: this.tableName,
        Item: subscriptionItem(next),
        ConditionExpression: 'updated_at = :prev',
        ExpressionAttributeValues: { ':prev': s(previous.updatedAt) },
      },
    };
    const items = [put] as NonNullable<ConstructorParameters<typeof TransactWriteItemsCommand>[0]['TransactItems']>;
    const [before, after] = [limitsText(previous), limitsText(next)];
    if (previous.status === 'active' && next.status === 'ended') {
      items.push({
        Update: {
          TableName: this.tableName,
          Key: customerKey(next.customerId),
          UpdateExpression: `REMOVE active_subscription${before === undefined ? '' : ', usage_limits'}`,
          ConditionExpression: 'active_subscription = :id',
          ExpressionAttributeValues: { ':id': s(next.id) },
        },
      });
    } else if (before !== after) {
      items.push({
        Update: {
          TableName: this.tableName,
          Key: customerKey(next.customerId),
          UpdateExpression: after === undefined ? 'REMOVE usage_limits' : 'SET usage_limits = :l',
          ConditionExpression: 'attribute_exists(PK)',
          ...(after === undefined ? {} : { ExpressionAttributeValues: { ':l': s(after) } }),
        },
      });
    }
    items.push(
      ...eventsWrites(
        this.tableName,
        await eventsIfEnabled(this.client, this.tableName, subscriptionChangeEvents(previous, next)),
      ),
    );
    try {
      await this.client.send(new TransactWriteItemsCommand({ TransactItems: items }));
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException) return false;
      throw error;
    }
  }

  /** Ids of all active subscriptions (the "due" index holds exactly the active ones). */
  async activeIds(): Promise<string[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      IndexName: TABLE.gsi1.name,
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': s('SUBDUE') },
      ProjectionExpression: 'GSI1SK',
    });
    return items.map((item) => (item.GSI1SK?.S ?? '').split('#')[1] ?? '');
  }

  /** All active subscriptions, read from the "due" index (projection ALL) in one paged Query. */
  async active(): Promise<Subscription[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      IndexName: TABLE.gsi1.name,
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': s('SUBDUE') },
    });
    return items.map((item) => doc<Subscription>(item));
  }

  /** A page of active subscriptions whose current segment ended at or before `endedBy`, in end order. */
  async due(
    endedBy: Date,
    limit: number,
    cursor?: string,
  ): Promise<{ items: Array<{ id: string; periodEnd: string }>; nextCursor?: string }> {
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: TABLE.gsi1.name,
        KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK <= :to',
        ExpressionAttributeValues: { ':pk': s('SUBDUE'), ':to': s(`${endedBy.toISOString()}#\uffff`) },
        Limit: limit,
        ExclusiveStartKey: decodeCursor(cursor, {
          PK: true,
          SK: true,
          GSI1PK: 'SUBDUE',
          GSI1SK: (sortKey) => sortKey <= `${endedBy.toISOString()}#\uffff`,
        }),
      }),
    );
    const items = (page.Items ?? []).map((item) => {
      const [periodEnd = '', id = ''] = (item.GSI1SK?.S ?? '').split('#');
      return { id, periodEnd };
    });
    return {
      items,
      ...(page.LastEvaluatedKey ? { nextCursor: encodeCursor(page.LastEvaluatedKey) } : {}),
    };
  }
}
