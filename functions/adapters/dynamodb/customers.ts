import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  TransactionCanceledException,
  type TransactWriteItem,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { AlreadyExistsError, NotFoundError } from '../../app/errors.js';
import type { Customer, CustomerSuspension } from '../../domain/customer.js';
import type { CustomerState } from '../../domain/metering/ingest.js';
import { batchGet, doc, type Item, int, n, queryAll, queryPages, s } from './attributes.js';
import { decodeCursor, encodeCursor, type Page } from './cursor.js';
import { TABLE } from './table.js';
import { eventsIfEnabled, eventsWrites, newWebhookEvent } from './webhooks.js';

/**
 * A customer as stored: the profile, and what other writes keep on its item: `billedThrough` (the seal),
 * `creditsHeld` (see {@link Customer}; the credit store sets it) and `suspended` (dunning; its own
 * attribute, JSON, with a marker item `SUSPENDED` / `CUSTOMER#<id>` so a run finds them without a scan).
 */
export type StoredCustomer = Customer & {
  billedThrough?: string;
  /** The customer's rollup watermark: set once some usage of it was read from day rollups (it was busy). */
  rolledThrough?: string;
};

export const customerKey = (id: string) => ({ PK: s(`CUSTOMER#${id}`), SK: s('CUSTOMER') });

/**
 * `usage_months` (a string set, which cannot be empty) starts with this placeholder: the item tracks
 * its usage months from its creation on; ingestion ADDs the UTC month of each stored event to it.
 */
export const USAGE_MONTHS_PLACEHOLDER = '-';
/**
 * In `usage_months` while a customer created before the set existed (2026-12-03) is being converted
 * (see backfillUsageMonths): ingestion already records the months of new events, but the months before
 * are not all in the set yet, so readers treat the customer as untracked until this mark is removed.
 */
export const USAGE_MONTHS_UNKNOWN = '~';

/**
 * Sets a flag of the customer item (`credits_held`, `one_off_charges`) in the transaction of what it
 * flags; the customer must exist (the transaction is cancelled otherwise).
 */
export function flagCustomer(
  tableName: string,
  customerId: string,
  attribute: 'credits_held' | 'one_off_charges',
): TransactWriteItem {
  return {
    Update: {
      TableName: tableName,
      Key: customerKey(customerId),
      UpdateExpression: 'SET #flag = :yes',
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeNames: { '#flag': attribute },
      ExpressionAttributeValues: { ':yes': { BOOL: true } },
    },
  };
}

/**
 * The usage months an item records (without the marks), or undefined when they are not all known: no
 * set (a customer from before 2026-12-03), or one still being converted (`~`). What readers go by.
 */
function usageMonthsOf(item: Item): string[] | undefined {
  const set = item.usage_months?.SS;
  return set === undefined || set.includes(USAGE_MONTHS_UNKNOWN) ? undefined : recordedMonths(set);
}

const recordedMonths = (set: readonly string[]) =>
  set.filter((month) => month !== USAGE_MONTHS_PLACEHOLDER && month !== USAGE_MONTHS_UNKNOWN).sort();
const searchText = (customer: Customer) => [customer.id, customer.name, customer.email].join('\n').toLowerCase();

export class CustomerStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    /** When webhook events of changes happen (their `created_at`). */
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Creates the customer with its `customer.created` webhook event, in one transaction. */
  async create(customer: Customer): Promise<void> {
    try {
      await this.client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  ...customerKey(customer.id),
                  [TABLE.gsi1.partitionKey]: s('CUSTOMERS'),
                  [TABLE.gsi1.sortKey]: s(customer.id),
                  doc: s(JSON.stringify(customer)),
                  search_text: s(searchText(customer)),
                  usage_months: { SS: [USAGE_MONTHS_PLACEHOLDER] },
                  one_off_charges: { BOOL: false },
                },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            ...eventsWrites(
              this.tableName,
              await eventsIfEnabled(this.client, this.tableName, [
                newWebhookEvent('customer.created', this.clock().toISOString(), 'customer', customer),
              ]),
            ),
          ],
        }),
      );
    } catch (error) {
      if (
        error instanceof TransactionCanceledException &&
        error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed'
      )
        throw new AlreadyExistsError(`a customer with id '${customer.id}' exists already`);
      throw error;
    }
  }

  async get(id: string): Promise<StoredCustomer> {
    const result = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: customerKey(id), ConsistentRead: true }),
    );
    if (!result.Item) throw new NotFoundError(`no customer with id '${id}'`);
    return customerOf(result.Item);
  }

  /** Many customers at once, as `get` reads them (BatchGetItem, strongly consistent); unknown ids are absent. */
  async getMany(ids: readonly string[]): Promise<Map<string, StoredCustomer>> {
    const items = await batchGet(this.client, this.tableName, [...new Set(ids)].map(customerKey), {
      consistentRead: true,
    });
    return new Map(items.map(customerOf).map((customer) => [customer.id, customer]));
  }

  /**
   * Replaces the profile document; `billed_through` is untouched (sealing owns it). A change writes its
   * `customer.updated` webhook event in the same transaction.
   */
  async update(id: string, change: (current: Customer) => Customer): Promise<Customer> {
    const current = await this.get(id);
    const {
      billedThrough: _sealed,
      rolledThrough: _rolled,
      creditsHeld: _held,
      suspended: _suspended,
      usageMonths: _months,
      oneOffCharges: _charges,
      ...profile
    } = current;
    const next = change(profile);
    const unchanged = JSON.stringify(next) === JSON.stringify(profile);
    try {
      await this.client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: customerKey(id),
                UpdateExpression: 'SET doc = :doc, search_text = :search',
                ConditionExpression: 'doc = :current',
                ExpressionAttributeValues: {
                  ':doc': s(JSON.stringify(next)),
                  ':search': s(searchText(next)),
                  ':current': s(JSON.stringify(profile)),
                },
              },
            },
            ...eventsWrites(
              this.tableName,
              await eventsIfEnabled(
                this.client,
                this.tableName,
                unchanged
                  ? []
                  : [
                      newWebhookEvent('customer.updated', this.clock().toISOString(), 'customer', {
                        ...current,
                        ...next,
                      }),
                    ],
              ),
            ),
          ],
        }),
      );
    } catch (error) {
      if (error instanceof TransactionCanceledException) return this.update(id, change);
      throw error;
    }
    return next;
  }

  async list(limit: number, cursor?: string): Promise<Page<Customer>> {
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: TABLE.gsi1.name,
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': s('CUSTOMERS') },
        Limit: limit,
        ExclusiveStartKey: decodeCursor(cursor, { PK: true, SK: true, GSI1PK: 'CUSTOMERS', GSI1SK: true }),
      }),
    );
    return {
      items: (page.Items ?? []).map(customerOf),
      nextCursor: encodeCursor(page.LastEvaluatedKey),
    };
  }

  /**
   * Customers whose id, name or email contains `q` (any case), in id order: the whole customer index
   * is read with a filter (one page of 1 MB per request), so this costs about one read unit per 8 KB
   * of customers; the first `limit` matches are returned, `truncated` when there are more.
   */
  async search(q: string, limit: number): Promise<Page<Customer> & { truncated: boolean }> {
    const needle = q.toLowerCase();
    const matches: Customer[] = [];
    const pages = queryPages(this.client, {
      TableName: this.tableName,
      IndexName: TABLE.gsi1.name,
      KeyConditionExpression: 'GSI1PK = :pk',
      // Items written before the search attribute existed: the document itself (exact case).
      FilterExpression: 'contains(search_text, :needle) OR (attribute_not_exists(search_text) AND contains(doc, :q))',
      ExpressionAttributeValues: { ':pk': s('CUSTOMERS'), ':needle': s(needle), ':q': s(q) },
    });
    for await (const page of pages) {
      matches.push(...page.map(customerOf));
      if (matches.length > limit) break;
    }
    return { items: matches.slice(0, limit), nextCursor: undefined, truncated: matches.length > limit };
  }

  /**
   * Suspends a customer (dunning): its events are refused from now on. A customer suspended already
   * keeps its first suspension (answers false).
   */
  async suspend(id: string, suspension: CustomerSuspension): Promise<boolean> {
    try {
      await this.client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: customerKey(id),
                UpdateExpression: 'SET suspended = :s',
                ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(suspended)',
                ExpressionAttributeValues: { ':s': s(JSON.stringify(suspension)) },
              },
            },
            { Put: { TableName: this.tableName, Item: suspendedMarker(id, suspension) } },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        await this.get(id); // unknown customer: NotFoundError
        return false;
      }
      throw error;
    }
  }

  /** Lifts a suspension; answers the one lifted (undefined: the customer was not suspended). */
  async unsuspend(id: string): Promise<CustomerSuspension | undefined> {
    const current = await this.get(id);
    if (!current.suspended) return undefined;
    try {
      await this.client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: customerKey(id),
                UpdateExpression: 'REMOVE suspended',
                ConditionExpression: 'suspended = :s',
                ExpressionAttributeValues: { ':s': s(JSON.stringify(current.suspended)) },
              },
            },
            { Delete: { TableName: this.tableName, Key: suspendedMarkerKey(id) } },
          ],
        }),
      );
      return current.suspended;
    } catch (error) {
      if (error instanceof TransactionCanceledException) return this.unsuspend(id);
      throw error;
    }
  }

  /**
   * Names another overdue invoice in a suspension whose invoice was paid while another one still
   * suspends the customer (answers false when the suspension changed meanwhile).
   */
  async moveSuspension(id: string, from: CustomerSuspension, to: CustomerSuspension): Promise<boolean> {
    try {
      await this.client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: customerKey(id),
                UpdateExpression: 'SET suspended = :to',
                ConditionExpression: 'suspended = :from',
                ExpressionAttributeValues: { ':to': s(JSON.stringify(to)), ':from': s(JSON.stringify(from)) },
              },
            },
            { Put: { TableName: this.tableName, Item: suspendedMarker(id, to) } },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException) return false;
      throw error;
    }
  }

  /** The suspended customers (their ids and suspensions), from the marker items. */
  async suspended(): Promise<Array<{ customerId: string; suspension: CustomerSuspension }>> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': s('SUSPENDED') },
      ConsistentRead: true,
    });
    return items.map((item) => ({
      customerId: (item.SK?.S ?? '').slice('CUSTOMER#'.length),
      suspension: JSON.parse(item.suspension?.S ?? '{}') as CustomerSuspension,
    }));
  }

  /**
   * Conversion of a customer from before 2026-12-03, step 1: its item gets `usage_months` = {`-`, `~`}
   * if it has none. From then on ingestion records the months of new events (and a request that read
   * the customer without the set fails its customer check and reads it again). False if the item
   * already had a set (or is gone).
   */
  async startUsageMonths(id: string): Promise<boolean> {
    return this.conditionalUpdate(id, {
      UpdateExpression: 'SET usage_months = :marks',
      ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(usage_months)',
      ExpressionAttributeValues: { ':marks': { SS: [USAGE_MONTHS_PLACEHOLDER, USAGE_MONTHS_UNKNOWN] } },
    });
  }

  /**
   * Step 2: the months found in the customer's counters are added, then the `~` mark is removed (two
   * updates: one expression cannot both add to and delete from a set), each only while the mark is
   * there. Readers trust the set from then on.
   */
  async completeUsageMonths(id: string, months: readonly string[]): Promise<boolean> {
    const whileMarked = { ConditionExpression: 'contains(usage_months, :mark)' };
    const mark = { ':mark': s(USAGE_MONTHS_UNKNOWN) };
    if (months.length > 0) {
      const added = await this.conditionalUpdate(id, {
        ...whileMarked,
        UpdateExpression: 'ADD usage_months :months',
        ExpressionAttributeValues: { ...mark, ':months': { SS: [...months] } },
      });
      if (!added) return false;
    }
    return this.conditionalUpdate(id, {
      ...whileMarked,
      UpdateExpression: 'DELETE usage_months :unknown',
      ExpressionAttributeValues: { ...mark, ':unknown': { SS: [USAGE_MONTHS_UNKNOWN] } },
    });
  }

  /**
   * `one_off_charges` = false for a customer from before 2026-12-03 that has no one-off charge item,
   * only while the flag is absent: a charge created meanwhile sets it true in its own transaction.
   */
  async settleOneOffCharges(id: string): Promise<boolean> {
    const charges = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :charge)',
        ExpressionAttributeValues: { ':pk': customerKey(id).PK, ':charge': s('CHARGE#') },
        ConsistentRead: true,
        Limit: 1,
        ProjectionExpression: 'SK',
      }),
    );
    return this.conditionalUpdate(id, {
      UpdateExpression: 'SET one_off_charges = :flag',
      ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(one_off_charges)',
      ExpressionAttributeValues: { ':flag': { BOOL: (charges.Items ?? []).length > 0 } },
    });
  }

  /** One conditional update of the customer item: false when its condition does not hold. */
  private async conditionalUpdate(
    id: string,
    update: Pick<UpdateItemCommandInput, 'UpdateExpression' | 'ConditionExpression' | 'ExpressionAttributeValues'>,
  ): Promise<boolean> {
    try {
      await this.client.send(new UpdateItemCommand({ TableName: this.tableName, Key: customerKey(id), ...update }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** Seal state of many customers at once (BatchGetItem, strongly consistent); unknown ids are absent. */
  async states(ids: readonly string[]): Promise<Map<string, CustomerState>> {
    const items = await batchGet(this.client, this.tableName, ids.map(customerKey), {
      consistentRead: true,
      projection: 'PK, billed_through, rolled_through, usage_limits, suspended, usage_months',
    });
    const instant = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms));
    return new Map(
      items.map((item) => {
        const id = (item.PK?.S ?? '').slice('CUSTOMER#'.length);
        return [
          id,
          {
            id,
            billedThrough: instant(int(item, 'billed_through')),
            rolledThrough: instant(int(item, 'rolled_through')),
            ...(item.usage_limits?.S === undefined ? {} : { limits: item.usage_limits.S }),
            ...(item.suspended?.S === undefined ? {} : { suspended: true }),
            // Ingestion records new months whenever the set exists, also while it is being converted.
            ...(item.usage_months?.SS === undefined
              ? {}
              : { usageMonths: new Set(recordedMonths(item.usage_months.SS)) }),
          },
        ];
      }),
    );
  }
}

/** A stored customer: its profile document, and the seal when there is one. */
function customerOf(item: Item): StoredCustomer {
  const billedThrough = int(item, 'billed_through');
  const rolledThrough = int(item, 'rolled_through');
  return {
    ...doc<Customer>(item),
    ...(billedThrough !== undefined ? { billedThrough: new Date(billedThrough).toISOString() } : {}),
    ...(rolledThrough !== undefined ? { rolledThrough: new Date(rolledThrough).toISOString() } : {}),
    ...(item.credits_held?.BOOL ? { creditsHeld: true } : {}),
    ...(item.suspended?.S ? { suspended: JSON.parse(item.suspended.S) as CustomerSuspension } : {}),
    ...(item.usage_months?.SS ? { usageMonths: usageMonthsOf(item) } : {}),
    ...(item.one_off_charges?.BOOL === undefined ? {} : { oneOffCharges: item.one_off_charges.BOOL }),
  };
}

const suspendedMarkerKey = (id: string) => ({ PK: s('SUSPENDED'), SK: s(`CUSTOMER#${id}`) });
const suspendedMarker = (id: string, suspension: CustomerSuspension): Item => ({
  ...suspendedMarkerKey(id),
  suspension: s(JSON.stringify(suspension)),
});

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
