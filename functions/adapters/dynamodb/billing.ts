import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { AlreadyExistsError, ConflictError, NotFoundError } from '../../app/errors.js';
import type { DeliveryKind, FinalizeOutcome, OutboxEntry } from '../../app/ports/invoices.js';
import type { StoredPlanVersion } from '../../app/ports/plans.js';
import type { BillingRun, RunResult } from '../../app/ports/runs.js';
import type { Subscription } from '../../domain/billing/subscription.js';
import type { Invoice } from '../../domain/invoice.js';
import { NO_REVENUE, revenueChange } from '../../domain/revenue.js';
import { batchPut, doc, type Item, int, n, queryAll, s } from './attributes.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { customerKey } from './entities.js';
import { revenueCounterUpdates } from './revenue.js';
import { TABLE } from './table.js';

const pad = (version: number) => String(version).padStart(6, '0');

export class PlanStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  /** Writes a new version; fails if that version exists (a concurrent edit): versions never change. */
  async put(plan: StoredPlanVersion): Promise<void> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            PK: s(`PLAN#${plan.key}`),
            SK: s(`V#${pad(plan.version)}`),
            [TABLE.gsi1.partitionKey]: s('PLANS'),
            [TABLE.gsi1.sortKey]: s(`${plan.key}#${pad(plan.version)}`),
            doc: s(JSON.stringify(plan)),
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw plan.version === 1
          ? new AlreadyExistsError(
              `a plan with key '${plan.key}' exists already; add a version with POST /v1/plans/${plan.key}/versions`,
            )
          : new ConflictError(
              `version ${plan.version} of plan '${plan.key}' was just written by another request; retry`,
            );
      }
      throw error;
    }
  }

  async latest(key: string): Promise<StoredPlanVersion> {
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': s(`PLAN#${key}`) },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const item = page.Items?.[0];
    if (!item) throw new NotFoundError(`no plan with key '${key}'`);
    return doc<StoredPlanVersion>(item);
  }

  async get(key: string, version: number): Promise<StoredPlanVersion> {
    const result = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: { PK: s(`PLAN#${key}`), SK: s(`V#${pad(version)}`) },
        ConsistentRead: true,
      }),
    );
    if (!result.Item) throw new NotFoundError(`plan '${key}' has no version ${version}`);
    return doc<StoredPlanVersion>(result.Item);
  }

  async versions(key: string): Promise<StoredPlanVersion[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': s(`PLAN#${key}`) },
      ConsistentRead: true,
    });
    if (items.length === 0) throw new NotFoundError(`no plan with key '${key}'`);
    return items.map((item) => doc<StoredPlanVersion>(item));
  }

  /** The latest version of every plan. */
  async list(): Promise<StoredPlanVersion[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      IndexName: TABLE.gsi1.name,
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': s('PLANS') },
    });
    const latest = new Map<string, StoredPlanVersion>();
    for (const plan of items.map((item) => doc<StoredPlanVersion>(item))) {
      const current = latest.get(plan.key);
      if (!current || current.version < plan.version) latest.set(plan.key, plan);
    }
    return [...latest.values()];
  }
}

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

export class SubscriptionStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  /** Creates the subscription and marks it as the customer's one active subscription, atomically. */
  async create(subscription: Subscription): Promise<void> {
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
                UpdateExpression: 'SET active_subscription = :id',
                ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(active_subscription)',
                ExpressionAttributeValues: { ':id': s(subscription.id) },
              },
            },
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
   * Returns false when it lost the race. Ending a subscription frees the customer's active slot.
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
    if (previous.status === 'active' && next.status === 'ended') {
      items.push({
        Update: {
          TableName: this.tableName,
          Key: customerKey(next.customerId),
          UpdateExpression: 'REMOVE active_subscription',
          ConditionExpression: 'active_subscription = :id',
          ExpressionAttributeValues: { ':id': s(next.id) },
        },
      });
    }
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

function invoiceItem(invoice: Invoice): Item {
  return {
    PK: s(`INVOICE#${invoice.id}`),
    SK: s('INVOICE'),
    doc: s(JSON.stringify(invoice)),
    status: s(invoice.status),
    delivery_status: s(invoice.delivery.status),
    [TABLE.gsi1.partitionKey]: s('INVOICES'),
    [TABLE.gsi1.sortKey]: s(`${invoice.issuedAt}#${invoice.id}`),
    [TABLE.gsi2.partitionKey]: s(`CUST#${invoice.customerId}`),
    [TABLE.gsi2.sortKey]: s(`INV#${invoice.issuedAt}#${invoice.id}`),
  };
}

function outboxItem(invoiceId: string, kind: DeliveryKind, since: string): Item {
  return { PK: s('OUTBOX'), SK: s(`${kind}#${invoiceId}`), invoice_id: s(invoiceId), kind: s(kind), since: s(since) };
}

export class InvoiceStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async find(id: string): Promise<Invoice | undefined> {
    const result = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: { PK: s(`INVOICE#${id}`), SK: s('INVOICE') },
        ConsistentRead: true,
      }),
    );
    return result.Item ? doc<Invoice>(result.Item) : undefined;
  }

  async get(id: string): Promise<Invoice> {
    const invoice = await this.find(id);
    if (!invoice) throw new NotFoundError(`no invoice with id '${id}'`);
    return invoice;
  }

  /**
   * Writes the invoice with the next number of its series in ONE transaction: the series counter
   * moves only if the invoice is written, so a failure never burns a number (gapless). If the
   * invoice exists already (a re-run), the stored one is returned and no number is taken.
   */
  async finalize(draft: Omit<Invoice, 'number'>, formatNumber: (sequence: number) => string): Promise<FinalizeOutcome> {
    const seriesKey = { PK: s(`SERIES#${draft.series}`), SK: s('SERIES') };
    for (let attempt = 0; attempt < 20; attempt++) {
      const existing = await this.find(draft.id);
      if (existing) return { invoice: existing, created: false };
      const series = await this.client.send(
        new GetItemCommand({ TableName: this.tableName, Key: seriesKey, ConsistentRead: true }),
      );
      const last = series.Item ? (int(series.Item, 'last') ?? 0) : 0;
      const invoice: Invoice = { ...draft, number: formatNumber(last + 1) };
      try {
        await this.client.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              {
                Update: {
                  TableName: this.tableName,
                  Key: seriesKey,
                  UpdateExpression: 'SET #last = :next',
                  ConditionExpression: last === 0 ? 'attribute_not_exists(#last)' : '#last = :last',
                  ExpressionAttributeNames: { '#last': 'last' },
                  ExpressionAttributeValues: { ':next': n(last + 1), ...(last === 0 ? {} : { ':last': n(last) }) },
                },
              },
              {
                Put: {
                  TableName: this.tableName,
                  Item: invoiceItem(invoice),
                  ConditionExpression: 'attribute_not_exists(PK)',
                },
              },
              // Transactional outbox: the email is owed from the moment the invoice exists.
              { Put: { TableName: this.tableName, Item: outboxItem(invoice.id, 'invoice', invoice.issuedAt) } },
              // Revenue counters: counted once, with the invoice.
              ...revenueCounterUpdates(this.tableName, invoice, revenueChange(undefined, invoice) ?? NO_REVENUE),
            ],
          }),
        );
        return { invoice, created: true };
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        // Someone took the number or wrote this invoice: read again and retry.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * (attempt + 1)));
      }
    }
    throw new ConflictError(`could not allocate an invoice number in series '${draft.series}'; retry`);
  }

  /**
   * Changes an invoice (status, delivery) if nobody changed it meanwhile; retries on a lost race. A
   * change of status moves the revenue counters in the same transaction.
   */
  async update(id: string, change: (current: Invoice) => Invoice): Promise<Invoice> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const current = await this.get(id);
      const next = change(current);
      if (next === current) return current;
      const put = {
        TableName: this.tableName,
        Item: invoiceItem(next),
        ConditionExpression: 'doc = :current',
        ExpressionAttributeValues: { ':current': s(JSON.stringify(current)) },
      };
      const revenue = revenueChange(current, next);
      try {
        if (revenue)
          await this.client.send(
            new TransactWriteItemsCommand({
              TransactItems: [{ Put: put }, ...revenueCounterUpdates(this.tableName, next, revenue)],
            }),
          );
        else await this.client.send(new PutItemCommand(put));
        return next;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException || error instanceof TransactionCanceledException))
          throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * (attempt + 1)));
      }
    }
    throw new ConflictError(`invoice '${id}' keeps changing; retry`);
  }

  /** Records that an email is owed for an invoice (a void notice, a resend). */
  async addToOutbox(invoiceId: string, kind: DeliveryKind, since: Date): Promise<void> {
    await this.client.send(
      new PutItemCommand({ TableName: this.tableName, Item: outboxItem(invoiceId, kind, since.toISOString()) }),
    );
  }

  /** The email was sent: nothing is owed any more. */
  async removeFromOutbox(invoiceId: string, kind: DeliveryKind): Promise<void> {
    await this.client.send(
      new DeleteItemCommand({ TableName: this.tableName, Key: { PK: s('OUTBOX'), SK: s(`${kind}#${invoiceId}`) } }),
    );
  }

  /** Emails owed since before `olderThan` (the outbox sweep re-enqueues them). */
  async outbox(olderThan?: Date): Promise<OutboxEntry[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': s('OUTBOX') },
      ConsistentRead: true,
    });
    return items
      .map((item) => ({
        invoiceId: item.invoice_id?.S ?? '',
        kind: (item.kind?.S ?? 'invoice') as DeliveryKind,
        since: item.since?.S ?? '',
      }))
      .filter((entry) => !olderThan || entry.since < olderThan.toISOString());
  }

  async byCustomer(customerId: string): Promise<Invoice[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      IndexName: TABLE.gsi2.name,
      KeyConditionExpression: 'GSI2PK = :pk AND begins_with(GSI2SK, :inv)',
      ExpressionAttributeValues: { ':pk': s(`CUST#${customerId}`), ':inv': s('INV#') },
      ScanIndexForward: false,
    });
    return items.map((item) => doc<Invoice>(item));
  }

  async list(limit: number, cursor?: string): Promise<{ items: Invoice[]; nextCursor?: string }> {
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: TABLE.gsi1.name,
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': s('INVOICES') },
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: decodeCursor(cursor, { PK: true, SK: true, GSI1PK: 'INVOICES', GSI1SK: true }),
      }),
    );
    return {
      items: (page.Items ?? []).map((item) => doc<Invoice>(item)),
      ...(page.LastEvaluatedKey ? { nextCursor: encodeCursor(page.LastEvaluatedKey) } : {}),
    };
  }
}

/** A run is one item plus one item per outcome (a run may close any number of subscriptions). */
export class RunStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  /** Writes the run's own item (status, times); outcomes are added with addResults. */
  async put(run: BillingRun): Promise<void> {
    const { results: _outcomes, ...head } = run;
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: {
          PK: s(`RUN#${run.id}`),
          SK: s('RUN'),
          doc: s(JSON.stringify(head)),
          [TABLE.gsi1.partitionKey]: s('RUNS'),
          [TABLE.gsi1.sortKey]: s(`${run.startedAt}#${run.id}`),
        },
      }),
    );
    if (run.results.length > 0) await this.addResults(run.id, run.results);
  }

  /** Adds outcomes; keyed by subscription and outcome, so writing the same page twice changes nothing. */
  async addResults(runId: string, results: RunResult[]): Promise<void> {
    await batchPut(
      this.client,
      this.tableName,
      results.map((result) => ({
        PK: s(`RUN#${runId}`),
        SK: s(`R#${result.subscription_id}#${result.invoice_id ?? result.status}`),
        doc: s(JSON.stringify(result)),
      })),
    );
  }

  /** The most recent runs, newest first, each with its outcomes. */
  async recent(limit: number): Promise<BillingRun[]> {
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: TABLE.gsi1.name,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': TABLE.gsi1.partitionKey },
        ExpressionAttributeValues: { ':pk': s('RUNS') },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    const ids = (page.Items ?? []).map((item) => item.PK?.S?.slice('RUN#'.length) ?? '').filter((id) => id !== '');
    const runs = await Promise.all(ids.map((id) => this.find(id)));
    return runs.filter((run): run is BillingRun => run !== undefined);
  }

  /**
   * Marks a run that is still `running` as `interrupted`; false when it is not running any more
   * (it finished meanwhile: the write is conditional on the item being what was read).
   */
  async interrupt(id: string, at: Date, reason: string): Promise<boolean> {
    const read = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: { PK: s(`RUN#${id}`), SK: s('RUN') },
        ConsistentRead: true,
      }),
    );
    const previous = read.Item?.doc?.S;
    if (!read.Item || previous === undefined) return false;
    const head = JSON.parse(previous) as Omit<BillingRun, 'results'>;
    if (head.status !== 'running') return false;
    const next: Omit<BillingRun, 'results'> = {
      ...head,
      status: 'interrupted',
      finishedAt: at.toISOString(),
      error: reason,
    };
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: { ...read.Item, doc: s(JSON.stringify(next)) },
          ConditionExpression: 'doc = :previous',
          ExpressionAttributeValues: { ':previous': s(previous) },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async find(id: string): Promise<BillingRun | undefined> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': s(`RUN#${id}`) },
      ConsistentRead: true,
    });
    const head = items.find((item) => item.SK?.S === 'RUN');
    if (!head) return undefined;
    const results = items.filter((item) => item.SK?.S?.startsWith('R#')).map((item) => doc<RunResult>(item));
    return { ...doc<Omit<BillingRun, 'results'>>(head), results };
  }
}

/** Moves a customer's seal forward (never back): from now on ingest rejects events before `through`. */
export async function sealCustomer(
  client: DynamoDBClient,
  tableName: string,
  customerId: string,
  through: Date,
): Promise<void> {
  try {
    await client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: customerKey(customerId),
        UpdateExpression: 'SET billed_through = :t',
        ConditionExpression: 'attribute_exists(PK) AND (attribute_not_exists(billed_through) OR billed_through < :t)',
        ExpressionAttributeValues: { ':t': n(through.getTime()) },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}
