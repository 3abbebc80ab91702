import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactionCanceledException,
  type TransactWriteItem,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { CounterOverflowError, NotConfiguredError } from '../../app/errors.js';
import type { Clock } from '../../app/ports/clock.js';
import type {
  CancelCommitResult,
  Cancellation,
  EventReader,
  LevelSnapshot,
  StoredEvent,
} from '../../app/ports/usage.js';
import type { CounterRef } from '../../app/record-usage.js';
import { type LimitCharge, limitTotalKey } from '../../domain/billing/usage-limits.js';
import { Decimal } from '../../domain/decimal.js';
import { aggregationOf } from '../../domain/metering/aggregations/index.js';
import { bucketKey, parseBucketKey } from '../../domain/metering/buckets.js';
import {
  type CounterUpdate,
  type Floors,
  lateItems,
  noFloors,
  type UniqueMarker,
  type WriteChunk,
} from '../../domain/metering/coalesce.js';
import { UnknownCopyRate } from '../../domain/metering/dedupe.js';
import { eventKey, type UsageEvent } from '../../domain/metering/ingest.js';
import type { SnapshotBasis } from '../../domain/metering/level-snapshots.js';
import {
  ROLLUP_SETTLE_MS,
  type RollupSpan,
  revisionsText,
  rollupSpans,
  uncovered,
  utcDatesOf,
} from '../../domain/metering/rollups.js';
import type { ArchivedEvent } from '../s3/event-archive.js';
import {
  batchGet,
  batchPut,
  dec,
  type Item,
  int,
  n,
  queryAll,
  readStringMap,
  s,
  str,
  stringMap,
} from './attributes.js';
import {
  counterItemKey,
  counterPartition,
  countersOf,
  type Field,
  fieldName,
  itemSize,
  mergeCounterItems,
  rollupSortKey,
  type StoredCounter,
} from './counter-items.js';
import { customerKey } from './customers.js';
import { eventOfItem } from './event-stream.js';
import { SparseReads } from './sparse-reads.js';
import { TABLE } from './table.js';

export const eventItemKey = (source: string, id: string) => ({
  PK: s(`EVENT#${encodeURIComponent(source)}#${encodeURIComponent(id)}`),
  SK: s('EVENT'),
});
/** unique_count markers: one partition per (customer, meter). */
const markerPartition = (customerId: string, meterKey: string) => `USAGE#${customerId}#${meterKey}`;
/** Which UTC days of a month changed after rollups could be built: `d01`...`d31`, counters. */
export const lateItemKey = (customerId: string, month: string) => ({
  PK: s(`ROLLUP#${customerId}`),
  SK: s(`LATE#${month}`),
});
/** A (customer, meter, period) usage total under a hard limit: in the customer's partition. */
export const limitTotalItemKey = (customerId: string, meterKey: string, periodStart: string) => ({
  PK: customerKey(customerId).PK,
  SK: s(`LIMIT#${meterKey}#${periodStart}`),
});
/**
 * A range with at most this many bucket items is read from its buckets (one request); a busier one
 * from day rollups where whole days allow (one day of continuous usage is 96 buckets).
 */
const SPARSE_BUCKETS = 96;
/** A level snapshot larger than this is not kept (DynamoDB refuses items over 400 KB). */
const LEVEL_SNAPSHOT_MAX_BYTES = 350_000;

/**
 * Event identities this instance stored (or found stored) lately, answered as duplicates without a
 * read: at most this many, each for at most RECENT_EVENTS_MS (far inside the events' TTL).
 */
const MAX_RECENT_EVENTS = 50_000;
const RECENT_EVENTS_MS = 3_600_000;

/** At most this many busy-partition hints are kept per instance (then forgotten at once). */
const MAX_BUSY_HINTS = 50_000;

/** A day rollup larger than this stays in its buckets (DynamoDB's item limit is 400 KB). */
const MAX_ROLLUP_BYTES = 300_000;

export type CommitResult =
  | { ok: true; consumedWcu: number }
  | {
      ok: false;
      /** Events whose (source, id) is stored already: duplicates. */
      duplicates: UsageEvent[];
      /** Customers whose seal check failed (billed_through moved past an event, or the customer is gone). */
      sealedCustomers: string[];
      /** Customers of which a usage total would have passed its hard limit (another request used it meanwhile). */
      limitedCustomers: string[];
      /**
       * max/latest counters of items whose condition failed: some stored value already wins. Read
       * their stored values (`floors`) and retry.
       */
      contested: CounterRef[];
      /** Conflicts or throttling: the same write may pass later. */
      retryable: boolean;
      reasons: string[];
    };

const refOf = (counter: CounterUpdate): CounterRef => ({
  id: counter.id,
  customerId: counter.customerId,
  meterKey: counter.meter.key,
  eventType: counter.meter.eventType,
  bucket: counter.bucket,
  dimensionKey: counter.dimensionKey,
});

/** The tables of usage: counters and the rest in the billing table, raw events in their own. */
export interface UsageTables {
  table: string;
  events: string;
  /**
   * The billing table, where a release before the events table kept raw events: duplicates and
   * cancellations are looked for there too (for one acceptance window after upgrading).
   */
  legacyEvents?: string;
}

/** Where counters and raw events live. */
export class UsageStore {
  private readonly tableName: string;
  private readonly eventsTable: string;
  private readonly legacyEventsTable: string | undefined;

  constructor(
    private readonly client: DynamoDBClient,
    tables: UsageTables,
    /** Day rollups are built only for days that ended over an hour before now. */
    private readonly clock: Clock = () => new Date(),
    /** Where raw events are read from once written: the event archive (S3). */
    private readonly archive?: EventReader,
    /** Told what could not be done but changes nothing billed (a level snapshot not written). */
    private readonly warn?: (message: string, details: Record<string, unknown>) => void,
  ) {
    this.tableName = tables.table;
    this.eventsTable = tables.events;
    this.legacyEventsTable = tables.legacyEvents;
  }

  /** Counter partitions found busier than one page of buckets (see `counters`). */
  private readonly busy = new Set<string>();

  /** Set in a view from `batchingSparseReads`: sparse first reads go through it. */
  private sparseReads: { reads: SparseReads; presumedBusy: (customerId: string) => boolean } | undefined;

  /**
   * This store, except that the sparse first reads of `counters` and `markers` (a partition not
   * known busy, read whole while it fits in one page) issued together are batched into PartiQL
   * statements of up to 50 partitions (see SparseReads): for callers that rate many customers at
   * once (the estimates refresh). A customer `presumedBusy` (one with day rollups: it was found busy
   * before) is read alone, as here, so that a statement does not read a busy month whole. Busy
   * hints are shared with this store.
   */
  batchingSparseReads(presumedBusy: (customerId: string) => boolean = () => false, pageLimit?: number): UsageStore {
    const view = Object.create(this) as UsageStore;
    const single = (partition: string, from: string, to: string) => this.sparseRange(partition, from, to);
    view.sparseReads = {
      reads: new SparseReads(this.client, this.tableName, SPARSE_BUCKETS, single, pageLimit),
      presumedBusy,
    };
    return view;
  }

  /** `eventKey` → when it stops being trusted (ms): events known to be in the events table. */
  private readonly recent = new Map<string, number>();
  /** How often copies not known in memory turned up lately: whether to look events up before writing. */
  private readonly copyRate = new UnknownCopyRate();

  private remember(events: Iterable<{ source: string; id: string }>): void {
    const until = Date.now() + RECENT_EVENTS_MS;
    for (const event of events) {
      const key = eventKey(event);
      this.recent.delete(key);
      this.recent.set(key, until);
    }
    // Oldest first (insertion order): drop what is over the bound.
    for (const key of this.recent.keys()) {
      if (this.recent.size <= MAX_RECENT_EVENTS) break;
      this.recent.delete(key);
    }
  }

  /**
   * Which of these events are known to be stored: those this instance stored or found stored within
   * the last hour (an event item outlives that by the acceptance window; a cancelled one stays), and,
   * while copies it did not know are frequent (`readFirst`), the others as a consistent read finds
   * them. Otherwise a stored copy not known here is caught by the transaction's own condition
   * (`duplicates` of a failed commit). After an upgrade (`legacyEvents`) the billing table is read
   * too: nothing writes raw events there any more, so that read is exact.
   */
  async knownDuplicates(events: ReadonlyArray<{ source: string; id: string }>): Promise<Set<string>> {
    const now = Date.now();
    const known = new Set<string>();
    for (const event of events) {
      const key = eventKey(event);
      const until = this.recent.get(key);
      if (until === undefined) continue;
      if (until > now) known.add(key);
      else this.recent.delete(key);
    }
    const unknown = events.filter((event) => !known.has(eventKey(event)));
    const tables = [
      ...(this.copyRate.readFirst ? [this.eventsTable] : []),
      ...(this.legacyEventsTable === undefined ? [] : [this.legacyEventsTable]),
    ];
    let found = 0;
    for (const table of tables)
      for (const key of await this.storedIn(table, unknown)) {
        if (!known.has(key)) found++;
        known.add(key);
      }
    this.copyRate.observe(events.length, found);
    return known;
  }

  async commit(
    chunk: WriteChunk,
    expiresAt: (event: UsageEvent) => number,
    receivedAt: Date,
    limits: ReadonlyMap<string, string> = new Map(),
    /** Per customer, the UTC months of its events in the chunk that its item does not record yet. */
    newMonths: ReadonlyMap<string, readonly string[]> = new Map(),
    /** Customers read without `usage_months`: the check asks that they still have none. */
    untracked: ReadonlySet<string> = new Set(),
  ): Promise<CommitResult> {
    const items: TransactWriteItem[] = [];
    for (const { event } of chunk.events) items.push({ Put: this.eventPut(event, expiresAt(event), receivedAt) });
    const counterItems = [...chunk.items.values()];
    for (const counters of counterItems) items.push({ Update: this.itemUpdate(counters) });
    for (const marker of chunk.markers) items.push({ Put: this.markerPut(marker) });
    const late = lateItems(chunk);
    for (const mark of late) items.push({ Update: this.lateUpdate(mark) });
    const totals = [...chunk.limits.values()];
    for (const total of totals) items.push({ Update: this.limitUpdate(total) });
    const customers = [...chunk.customers.entries()];
    for (const [customerId, earliest] of customers) {
      // Not sealed past any event of the chunk, and no rollup built past an event not marked late.
      const unrolled = chunk.unrolled.get(customerId);
      const limitText = limits.get(customerId);
      const check = {
        TableName: this.tableName,
        Key: customerKey(customerId),
        ConditionExpression: `attribute_exists(PK) AND (attribute_not_exists(billed_through) OR billed_through <= :t)${
          unrolled ? ' AND (attribute_not_exists(rolled_through) OR rolled_through <= :u)' : ''
        } AND ${limitText === undefined ? 'attribute_not_exists(usage_limits)' : 'usage_limits = :l'}${
          untracked.has(customerId) ? ' AND attribute_not_exists(usage_months)' : ''
        }`,
        ExpressionAttributeValues: {
          ':t': n(earliest.getTime()),
          ...(unrolled ? { ':u': n(unrolled.getTime()) } : {}),
          ...(limitText === undefined ? {} : { ':l': s(limitText) }),
        },
      };
      // The first events of a month also record it on the customer (same condition, same capacity).
      const months = newMonths.get(customerId) ?? [];
      items.push(
        months.length === 0
          ? { ConditionCheck: check }
          : {
              Update: {
                ...check,
                UpdateExpression: 'ADD usage_months :m',
                ExpressionAttributeValues: { ...check.ExpressionAttributeValues, ':m': { SS: [...months] } },
              },
            },
      );
    }
    try {
      const result = await this.client.send(
        new TransactWriteItemsCommand({ TransactItems: items, ReturnConsumedCapacity: 'TOTAL' }),
      );
      const consumedWcu = (result.ConsumedCapacity ?? []).reduce((total, c) => total + (c.CapacityUnits ?? 0), 0);
      this.remember(chunk.events.map(({ event }) => event));
      return { ok: true, consumedWcu };
    } catch (error) {
      if (error instanceof Error && error.name === 'ValidationException' && /precision|overflow/i.test(error.message))
        throw new CounterOverflowError(error.message);
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      const failure: Extract<CommitResult, { ok: false }> = {
        ok: false,
        duplicates: [],
        sealedCustomers: [],
        limitedCustomers: [],
        contested: [],
        retryable: false,
        reasons: reasons.map((r) => r.Code ?? 'None'),
      };
      const eventsEnd = chunk.events.length;
      const itemsEnd = eventsEnd + counterItems.length;
      const markersEnd = itemsEnd + chunk.markers.length + late.length;
      const totalsEnd = markersEnd + totals.length;
      let understood = true;
      reasons.forEach((reason, index) => {
        const code = reason.Code ?? 'None';
        if (code === 'None') return;
        if (
          code === 'TransactionConflict' ||
          code === 'ThrottlingError' ||
          code === 'ProvisionedThroughputExceeded' ||
          code === 'RequestLimitExceeded'
        ) {
          failure.retryable = true;
          return;
        }
        if (code !== 'ConditionalCheckFailed') {
          understood = false;
          return;
        }
        if (index < eventsEnd) failure.duplicates.push(chunk.events[index]!.event);
        else if (index < itemsEnd) {
          // Only max/latest counters carry conditions; which of them lost, the stored values tell.
          for (const counter of counterItems[index - eventsEnd]!)
            if (aggregationOf(counter.meter.aggregation).floor !== undefined) failure.contested.push(refOf(counter));
        } else if (index >= totalsEnd) failure.sealedCustomers.push(customers[index - totalsEnd]![0]);
        else if (index >= markersEnd) failure.limitedCustomers.push(totals[index - markersEnd]!.customerId);
        else understood = false;
      });
      if (!understood) throw new Error(`transaction cancelled: ${failure.reasons.join(', ')}`, { cause: error });
      this.remember(failure.duplicates);
      this.copyRate.observe(0, failure.duplicates.length);
      return failure;
    }
  }

  private eventPut(event: UsageEvent, expiresAt: number, receivedAt: Date) {
    return {
      TableName: this.eventsTable,
      Item: {
        ...eventItemKey(event.source, event.id),
        customer: s(event.subject),
        type: s(event.type),
        time: s(event.time.toISOString()),
        received_at: s(receivedAt.toISOString()),
        raw: s(event.raw),
        [TABLE.ttlAttribute]: n(expiresAt),
      },
      ConditionExpression: 'attribute_not_exists(PK)',
    };
  }

  /** One update of a counter item: ADD for counts and sums, SET on a condition for max and latest (all must hold). */
  private itemUpdate(counters: readonly CounterUpdate[]) {
    const first = counters[0]!;
    const names: Record<string, string> = { '#b': 'bucket' };
    const values: Item = { ':b': s(first.bucket) };
    const add: string[] = [];
    const set = ['#b = :b'];
    const conditions: string[] = [];
    let next = 0;
    const name = (counter: CounterUpdate, field: Field) => {
      const placeholder = `#f${next++}`;
      names[placeholder] = fieldName(counter.meter.key, field, counter.dimensionKey);
      return placeholder;
    };
    const value = (attribute: AttributeValue) => {
      const placeholder = `:v${next++}`;
      values[placeholder] = attribute;
      return placeholder;
    };
    for (const counter of counters) {
      add.push(`${name(counter, 'count')} ${value(n(counter.count))}`);
      for (const write of aggregationOf(counter.meter.aggregation).writes(counter)) {
        switch (write.field) {
          case 'sum':
            add.push(`${name(counter, 'sum')} ${value(n(write.value))}`);
            break;
          case 'weighted':
            add.push(`${name(counter, 'weighted')} ${value(n(write.value))}`);
            break;
          case 'max': {
            const field = name(counter, 'max');
            const v = value(n(write.value));
            set.push(`${field} = ${v}`);
            conditions.push(`(attribute_not_exists(${field}) OR ${field} < ${v})`);
            break;
          }
          case 'latest': {
            const [lv, lt, lk] = [name(counter, 'latest'), name(counter, 'latestTime'), name(counter, 'latestKey')];
            const [vv, vt, vk] = [value(n(write.value)), value(n(write.time)), value(s(write.tiebreak))];
            set.push(`${lv} = ${vv}`, `${lt} = ${vt}`, `${lk} = ${vk}`);
            conditions.push(`(attribute_not_exists(${lt}) OR ${lt} < ${vt} OR (${lt} = ${vt} AND ${lk} < ${vk}))`);
            break;
          }
          default: {
            const unreachable: never = write;
            throw new Error(`unknown counter write ${JSON.stringify(unreachable)}`);
          }
        }
      }
    }
    return {
      TableName: this.tableName,
      Key: counterItemKey(first.customerId, first.meter.eventType, first.bucket),
      UpdateExpression: `ADD ${add.join(', ')} SET ${set.join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ...(conditions.length > 0 ? { ConditionExpression: conditions.join(' AND ') } : {}),
    };
  }

  /**
   * Adds a chunk's quantity to a usage total under a hard limit, only if the total stays within the
   * limit: the check and the counting commit together, so racing requests cannot pass it.
   */
  private limitUpdate(total: LimitCharge) {
    return {
      TableName: this.tableName,
      Key: limitTotalItemKey(total.customerId, total.meterKey, total.periodStart),
      UpdateExpression: 'ADD #u :q SET #m = :m, #ps = :ps, #pe = :pe',
      // Also for the first charge of a period: never more than the limit, whatever the caller decided.
      ConditionExpression: '(attribute_not_exists(#u) AND :q <= :limit) OR #u <= :room',
      ExpressionAttributeNames: { '#u': 'used', '#m': 'meter', '#ps': 'period_start', '#pe': 'period_end' },
      ExpressionAttributeValues: {
        ':q': n(total.quantity),
        ':room': n(total.limit.minus(total.quantity)),
        ':limit': n(total.limit),
        ':m': s(total.meterKey),
        ':ps': s(total.periodStart),
        ':pe': s(total.periodEnd),
      },
    };
  }

  /** Adds usage counted before a hard limit was set to its total (no condition: the limit is in force already). */
  async addToLimitTotal(
    total: { customerId: string; meterKey: string; periodStart: string; periodEnd: string },
    quantity: Decimal,
  ): Promise<void> {
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: limitTotalItemKey(total.customerId, total.meterKey, total.periodStart),
        UpdateExpression: 'ADD #u :q SET #m = :m, #ps = :ps, #pe = :pe',
        ExpressionAttributeNames: { '#u': 'used', '#m': 'meter', '#ps': 'period_start', '#pe': 'period_end' },
        ExpressionAttributeValues: {
          ':q': n(quantity),
          ':m': s(total.meterKey),
          ':ps': s(total.periodStart),
          ':pe': s(total.periodEnd),
        },
      }),
    );
  }

  /** The stored usage totals under hard limits (`limitTotalKey`; consistent BatchGetItem per 100); absent: 0. */
  async limitTotals(
    totals: ReadonlyArray<{ customerId: string; meterKey: string; periodStart: string }>,
  ): Promise<Map<string, Decimal>> {
    const keys = new Map<string, ReturnType<typeof limitTotalItemKey>>();
    for (const total of totals)
      keys.set(
        limitTotalKey(total.customerId, total.meterKey, total.periodStart),
        limitTotalItemKey(total.customerId, total.meterKey, total.periodStart),
      );
    const found = new Map<string, Decimal>();
    if (keys.size === 0) return found;
    for (const item of await batchGet(this.client, this.tableName, [...keys.values()], { consistentRead: true })) {
      const customerId = (item.PK?.S ?? '').slice('CUSTOMER#'.length);
      const meterKey = str(item, 'meter') ?? '';
      const periodStart = str(item, 'period_start') ?? '';
      found.set(limitTotalKey(customerId, meterKey, periodStart), dec(item, 'used') ?? new Decimal(0));
    }
    return found;
  }

  /** Marks UTC days of a month as changed after their rollups may have been built (a late event). */
  private lateUpdate(mark: { customerId: string; month: string; days: string[] }) {
    return {
      TableName: this.tableName,
      Key: lateItemKey(mark.customerId, mark.month),
      UpdateExpression: `ADD ${mark.days.map((_, i) => `#d${i} :one`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(mark.days.map((day, i) => [`#d${i}`, `d${day.slice(8, 10)}`])),
      ExpressionAttributeValues: { ':one': n(1) },
    };
  }

  private markerPut(marker: UniqueMarker) {
    return {
      TableName: this.tableName,
      Item: {
        PK: s(markerPartition(marker.customerId, marker.meter.key)),
        SK: s(`U#${marker.bucket}#${marker.dimensionKey}#${encodeURIComponent(marker.value)}`),
        bucket: s(marker.bucket),
        dims: stringMap(marker.dimensions),
        value: s(marker.value),
      },
    };
  }

  /**
   * The raw event items of the given identities still in the table (consistent BatchGetItem per 100),
   * by `eventKey`, with `cancelledAt` when cancelled. An event older than the acceptance window plus a
   * day has left the table (TTL).
   */
  async rawEvents(events: ReadonlyArray<{ source: string; id: string }>): Promise<Map<string, ArchivedEvent>> {
    const keys = new Map<string, ReturnType<typeof eventItemKey>>();
    for (const event of events) {
      const key = eventItemKey(event.source, event.id);
      keys.set(key.PK.S ?? '', key);
    }
    const found = new Map<string, ArchivedEvent>();
    if (keys.size === 0) return found;
    for (const table of this.eventTables()) {
      const wanted = [...keys.values()].filter((key) => !found.has(key.PK.S ?? ''));
      if (wanted.length === 0) break;
      for (const item of await batchGet(this.client, table, wanted, { consistentRead: true })) {
        const event = eventOfItem(item as Record<string, { S?: string }>, `table ${table}`);
        if (event) found.set(item.PK?.S ?? '', event);
      }
    }
    return new Map([...found.values()].map((event) => [eventKey(event), event]));
  }

  /** Where raw events are: the events table, then (after an upgrade) the billing table. */
  private eventTables(): string[] {
    return this.legacyEventsTable === undefined ? [this.eventsTable] : [this.eventsTable, this.legacyEventsTable];
  }

  /** The table that holds this raw event (the events table unless only the legacy table has it). */
  private async eventTableOf(source: string, id: string): Promise<string> {
    if (this.legacyEventsTable === undefined) return this.eventsTable;
    const found = await this.client.send(
      new GetItemCommand({
        TableName: this.eventsTable,
        Key: eventItemKey(source, id),
        ConsistentRead: true,
        ProjectionExpression: 'PK',
      }),
    );
    return found.Item ? this.eventsTable : this.legacyEventsTable;
  }

  /**
   * Cancels one stored event in one transaction: the event item gets `cancelled_at` (on: it exists and
   * is not cancelled, so an event is cancelled at most once and a re-sent copy stays a duplicate), its
   * negated counter updates are added (`chunk`, from `planCancellation`), its UTC day is marked when it
   * is late (before the rollup watermark), each usage total under a hard limit gets back what the event
   * charged (on `used >= :q`), and the customer is checked as ingest checks it: not sealed past the
   * event, its watermark not moved past an event not marked late, its hard limits the ones read.
   */
  async cancel(cancellation: Cancellation): Promise<CancelCommitResult> {
    const { chunk } = cancellation;
    const items: TransactWriteItem[] = [
      {
        Update: {
          TableName: await this.eventTableOf(cancellation.source, cancellation.id),
          Key: eventItemKey(cancellation.source, cancellation.id),
          UpdateExpression: 'SET cancelled_at = :c',
          ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(cancelled_at)',
          ExpressionAttributeValues: { ':c': s(cancellation.cancelledAt.toISOString()) },
        },
      },
    ];
    const counterItems = [...chunk.items.values()];
    for (const counters of counterItems) items.push({ Update: this.itemUpdate(counters) });
    const late = lateItems(chunk);
    for (const mark of late) items.push({ Update: this.lateUpdate(mark) });
    for (const total of cancellation.limits)
      items.push({
        Update: {
          TableName: this.tableName,
          Key: limitTotalItemKey(total.customerId, total.meterKey, total.periodStart),
          UpdateExpression: 'ADD #u :back',
          ConditionExpression: '#u >= :q',
          ExpressionAttributeNames: { '#u': 'used' },
          ExpressionAttributeValues: { ':back': n(total.quantity.negated()), ':q': n(total.quantity) },
        },
      });
    const unrolled = chunk.unrolled.get(cancellation.customerId);
    const { limitText } = cancellation;
    items.push({
      ConditionCheck: {
        TableName: this.tableName,
        Key: customerKey(cancellation.customerId),
        ConditionExpression: `attribute_exists(PK) AND (attribute_not_exists(billed_through) OR billed_through <= :t)${
          unrolled ? ' AND (attribute_not_exists(rolled_through) OR rolled_through <= :u)' : ''
        } AND ${limitText === undefined ? 'attribute_not_exists(usage_limits)' : 'usage_limits = :l'}`,
        ExpressionAttributeValues: {
          ':t': n(cancellation.time.getTime()),
          ...(unrolled ? { ':u': n(unrolled.getTime()) } : {}),
          ...(limitText === undefined ? {} : { ':l': s(limitText) }),
        },
      },
    });
    try {
      await this.client.send(new TransactWriteItemsCommand({ TransactItems: items }));
      return { ok: true };
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = (error.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
      const failure = { ok: false as const, event: false, customer: false, limits: false, retryable: false, reasons };
      const limitsStart = 1 + counterItems.length + late.length;
      let understood = true;
      reasons.forEach((code, index) => {
        if (code === 'None') return;
        if (
          code === 'TransactionConflict' ||
          code === 'ThrottlingError' ||
          code === 'ProvisionedThroughputExceeded' ||
          code === 'RequestLimitExceeded'
        ) {
          failure.retryable = true;
          return;
        }
        if (code !== 'ConditionalCheckFailed') understood = false;
        else if (index === 0) failure.event = true;
        else if (index === items.length - 1) failure.customer = true;
        else if (index >= limitsStart) failure.limits = true;
        else understood = false;
      });
      if (!understood) throw new Error(`cancellation cancelled: ${reasons.join(', ')}`, { cause: error });
      return failure;
    }
  }

  /** Keys (`eventKey`) of the given events that are stored already (consistent BatchGetItem per 100). */
  async storedEvents(events: ReadonlyArray<{ source: string; id: string }>): Promise<Set<string>> {
    const found = new Set<string>();
    for (const table of this.eventTables()) for (const key of await this.storedIn(table, events)) found.add(key);
    return found;
  }

  private async storedIn(table: string, events: ReadonlyArray<{ source: string; id: string }>): Promise<Set<string>> {
    const found = new Set<string>();
    const byPk = new Map<string, string>();
    // One key per event (BatchGetItem refuses a request that names an item twice).
    const keys: Array<ReturnType<typeof eventItemKey>> = [];
    for (const event of events) {
      const key = eventItemKey(event.source, event.id);
      if (byPk.has(key.PK.S ?? '')) continue;
      byPk.set(key.PK.S ?? '', eventKey(event));
      keys.push(key);
    }
    if (keys.length === 0) return found;
    for (const item of await batchGet(this.client, table, keys, { consistentRead: true, projection: 'PK' })) {
      const key = byPk.get(item.PK?.S ?? '');
      if (key) found.add(key);
    }
    return found;
  }

  /** The stored max/latest of the given counters (their items, one consistent BatchGetItem per 100). */
  async floors(refs: readonly CounterRef[]): Promise<Floors> {
    const floors = noFloors();
    const byItem = new Map<string, { key: ReturnType<typeof counterItemKey>; refs: CounterRef[] }>();
    for (const ref of refs) {
      const key = counterItemKey(ref.customerId, ref.eventType, ref.bucket);
      const id = `${key.PK.S}\u0000${key.SK.S}`;
      const entry = byItem.get(id);
      if (entry) entry.refs.push(ref);
      else byItem.set(id, { key, refs: [ref] });
    }
    const items = await batchGet(
      this.client,
      this.tableName,
      [...byItem.values()].map((entry) => entry.key),
      { consistentRead: true },
    );
    for (const item of items) {
      for (const ref of byItem.get(`${item.PK?.S}\u0000${item.SK?.S}`)?.refs ?? []) {
        const max = dec(item, fieldName(ref.meterKey, 'max', ref.dimensionKey));
        if (max) floors.max.set(ref.id, max);
        const time = int(item, fieldName(ref.meterKey, 'latestTime', ref.dimensionKey));
        if (time !== undefined)
          floors.latest.set(ref.id, {
            time,
            tiebreak: str(item, fieldName(ref.meterKey, 'latestKey', ref.dimensionKey)) ?? '',
          });
      }
    }
    return floors;
  }

  /**
   * One meter's counters of [fromBucket, toBucket) (bucket keys), strongly consistent: an accepted
   * event is visible at once. Read from the items of the meter's event type. With `rollups`, a busy
   * range comes as one row per rollup span and dimension set (`span` set): the local days of that zone
   * wholly inside it that ended over an hour ago, and the hours of the others that did (see
   * `rollupSpans`), built from the buckets the first time they are read; the rest from buckets.
   */
  async counters(
    customerId: string,
    meter: { key: string; eventType: string },
    fromBucket: string,
    toBucket: string,
    rollups?: { timeZone: string },
  ): Promise<StoredCounter[]> {
    const partition = counterPartition(customerId, meter.eventType);
    const from = parseBucketKey(fromBucket);
    const to = parseBucketKey(toBucket);
    if (!rollups) return this.bucketCounters(partition, meter.key, [{ start: from, end: to }]);
    // Sparse usage: the buckets of the whole range fit in one page; day rollups would cost more
    // requests. A partition found busy once is read from rollups directly (a hint, kept per instance:
    // both ways read the same counters).
    if (!this.busy.has(partition)) {
      const items = await this.sparseFirst(customerId, partition, `B#${fromBucket}`, `B#${toBucket}`);
      if (items) return items.flatMap((item) => countersOf(item, meter.key));
      if (this.busy.size >= MAX_BUSY_HINTS) this.busy.clear();
      this.busy.add(partition);
    }
    const settled = this.clock().getTime() - ROLLUP_SETTLE_MS;
    const spans = rollupSpans(from, to, rollups.timeZone, new Date(settled));
    if (spans.length === 0) return this.bucketCounters(partition, meter.key, [{ start: from, end: to }]);

    // The buckets around the spans (ragged edges, the last hour) are read at the same time as the
    // rollups; a span left without a rollup (too large to roll up) is read from its buckets after.
    const [spanItems, edges] = await Promise.all([
      this.rollupItems(customerId, partition, rollups.timeZone, spans),
      this.bucketCounters(partition, meter.key, uncovered(from, to, spans)),
    ]);
    const rows = edges;
    for (const span of spans) {
      const item = spanItems.get(span.key);
      if (item) rows.push(...countersOf(item, meter.key));
    }
    const bare = spans.filter((span) => !spanItems.has(span.key));
    if (bare.length > 0) rows.push(...(await this.bucketCounters(partition, meter.key, bare)));
    return rows;
  }

  /** A partition's items of [from, to) if they fit in one page of `SPARSE_BUCKETS`, batched where this is a batching view. */
  private sparseFirst(customerId: string, partition: string, from: string, to: string): Promise<Item[] | undefined> {
    const batching = this.sparseReads;
    return batching && !batching.presumedBusy(customerId)
      ? batching.reads.read(partition, from, to)
      : this.sparseRange(partition, from, to);
  }

  /** The items of [from, to) if they fit in one page of `SPARSE_BUCKETS`; undefined if there are more. */
  private async sparseRange(partition: string, from: string, to: string): Promise<Item[] | undefined> {
    const firstPage = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': s(partition), ':from': s(from), ':to': s(to) },
        ConsistentRead: true,
        Limit: SPARSE_BUCKETS,
      }),
    );
    if (firstPage.LastEvaluatedKey) return undefined;
    return (firstPage.Items ?? []).filter((item) => (item.SK?.S ?? '') < to);
  }

  /** The first bucket key holding counters of a customer's event type, if any. */
  async firstBucket(customerId: string, eventType: string): Promise<string | undefined> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :b)',
        ExpressionAttributeValues: { ':pk': s(counterPartition(customerId, eventType)), ':b': s('B#') },
        ConsistentRead: true,
        Limit: 1,
        ProjectionExpression: 'SK',
      }),
    );
    const sortKey = result.Items?.[0]?.SK?.S;
    return sortKey === undefined ? undefined : sortKey.slice('B#'.length);
  }

  /**
   * The UTC months (`yyyy-mm`) in which a customer has counter items of these event types, from the
   * first bucket of each to `now`: one query per type and month (a one-off, for backfillUsageMonths).
   * Every stored event adds to a counter item of its type and bucket, so these are its events' months.
   */
  async monthsWithCounters(customerId: string, eventTypes: readonly string[], now: Date): Promise<string[]> {
    const months = new Set<string>();
    const last = now.toISOString().slice(0, 7);
    for (const eventType of eventTypes) {
      const first = await this.firstBucket(customerId, eventType);
      if (first === undefined) continue;
      const partition = counterPartition(customerId, eventType);
      for (let month = first.slice(0, 7); month <= last; month = nextMonth(month)) {
        if (months.has(month)) continue;
        const found = await this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'PK = :pk AND begins_with(SK, :month)',
            ExpressionAttributeValues: { ':pk': s(partition), ':month': s(`B#${month}`) },
            ConsistentRead: true,
            Limit: 1,
            ProjectionExpression: 'SK',
          }),
        );
        if ((found.Items ?? []).length > 0) months.add(month);
      }
    }
    return [...months].sort();
  }

  /** The meter's newest level snapshot at or before `atOrBefore`: `L#<meter>#<bucket>` in the counter partition. */
  async levelSnapshot(
    customerId: string,
    meter: { key: string; eventType: string },
    atOrBefore: string,
  ): Promise<LevelSnapshot | undefined> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': s(counterPartition(customerId, meter.eventType)),
          ':from': s(`L#${meter.key}#`),
          ':to': s(`L#${meter.key}#${atOrBefore}`),
        },
        ScanIndexForward: false,
        ConsistentRead: true,
        Limit: 1,
      }),
    );
    const item = result.Items?.[0];
    if (!item) return undefined;
    const basis: SnapshotBasis =
      str(item, 'basis') === 'sealed' ? { kind: 'sealed' } : { kind: 'window', days: int(item, 'window_days') ?? 0 };
    const levels = (item.levels?.L ?? []).map((entry) => {
      const fields = entry.M ?? {};
      return { dimensions: readStringMap(fields, 'd'), level: dec(fields, 'l') ?? new Decimal(0) };
    });
    return { bucket: str(item, 'bucket') ?? '', basis, levels };
  }

  /**
   * Writes a level snapshot. One whose item would come near DynamoDB's 400 KB (tens of thousands of
   * dimension sets) is not kept: the levels are then read from the history, as without snapshots. A
   * write that fails is told to `warn` and not thrown: it changes nothing billed.
   */
  async putLevelSnapshot(
    customerId: string,
    meter: { key: string; eventType: string },
    snapshot: LevelSnapshot,
  ): Promise<void> {
    const item: Item = {
      PK: s(counterPartition(customerId, meter.eventType)),
      SK: s(`L#${meter.key}#${snapshot.bucket}`),
      bucket: s(snapshot.bucket),
      basis: s(snapshot.basis.kind),
      ...(snapshot.basis.kind === 'window' ? { window_days: n(snapshot.basis.days) } : {}),
      levels: { L: snapshot.levels.map((level) => ({ M: { d: stringMap(level.dimensions), l: n(level.level) } })) },
    };
    // The JSON of the attribute values is larger than DynamoDB's count of the item: a safe measure.
    if (Buffer.byteLength(JSON.stringify(item)) > LEVEL_SNAPSHOT_MAX_BYTES) return;
    try {
      await this.client.send(new PutItemCommand({ TableName: this.tableName, Item: item }));
    } catch (error) {
      // Levels stay exact without it (read from the history); the next reading writes it again.
      this.warn?.('a level snapshot could not be written; the next reading tries again', {
        customer: customerId,
        meter: meter.key,
        bucket: snapshot.bucket,
        error,
      });
    }
  }

  private async bucketCounters(
    partition: string,
    meterKey: string,
    ranges: ReadonlyArray<{ start: Date; end: Date }>,
  ): Promise<StoredCounter[]> {
    const items = await Promise.all(
      ranges.map((range) => this.queryRange(partition, `B#${bucketKey(range.start)}`, `B#${bucketKey(range.end)}`)),
    );
    return items.flat().flatMap((item) => countersOf(item, meterKey));
  }

  /**
   * The valid day rollups of `days` (by date), building the missing or outdated ones. A rollup is
   * valid while the late-day marks it recorded are still the current ones. To build: move the
   * customer's `rolled_through` past the days first (from then on, ingest marks an event before it
   * as late in the event's own transaction), then read the marks, then the buckets.
   */
  private async rollupItems(
    customerId: string,
    partition: string,
    zone: string,
    days: readonly RollupSpan[],
    kind: RollupKind = COUNTER_ROLLUPS,
  ): Promise<Map<string, Item>> {
    const first = days[0]!;
    const last = days[days.length - 1]!;
    const [marks, stored] = await Promise.all([
      this.lateMarks(customerId, first.start, last.end),
      this.queryRange(partition, rollupSortKey(zone, first.day.date), `${rollupSortKey(zone, last.day.date)}~`),
    ]);
    const valid = new Map<string, Item>();
    const bySortKey = new Map(stored.map((item) => [item.SK?.S ?? '', item]));
    const missing: RollupSpan[] = [];
    for (const day of days) {
      const item = bySortKey.get(rollupSortKey(zone, day.key));
      if (item && str(item, 'revs') === revisionsText(utcDatesOf(day.start, day.end), marks)) valid.set(day.key, item);
      else missing.push(day);
    }
    if (missing.length === 0) return valid;

    const through = missing[missing.length - 1]!.end;
    if (!(await this.advanceRolledThrough(customerId, through))) return valid;
    const current = await this.lateMarks(customerId, missing[0]!.start, through);
    const buckets = await this.queryRange(
      partition,
      `${kind.prefix}${bucketKey(missing[0]!.start)}`,
      `${kind.prefix}${bucketKey(through)}`,
    );
    const built: Item[] = [];
    for (const day of missing) {
      const from = `${kind.prefix}${bucketKey(day.start)}`;
      const to = `${kind.prefix}${bucketKey(day.end)}`;
      const inDay = buckets.filter((item) => (item.SK?.S ?? '') >= from && (item.SK?.S ?? '') < to);
      const item: Item = {
        PK: s(partition),
        SK: s(rollupSortKey(zone, day.key)),
        bucket: s(bucketKey(day.start)),
        span_end: s(bucketKey(day.end)),
        revs: s(revisionsText(utcDatesOf(day.start, day.end), current)),
        ...kind.merge(inDay, day.start),
        // An hour's rollup serves only while its day is not over: then the day's own takes over.
        ...(day.key === day.day.date
          ? {}
          : { [TABLE.ttlAttribute]: n(Math.ceil(day.day.end.getTime() / 1000) + 2 * 86_400) }),
      };
      valid.set(day.key, item);
      // A day too large for one item stays in its buckets (read from them each time).
      if (itemSize(item) <= MAX_ROLLUP_BYTES) built.push(item);
      else valid.delete(day.key);
    }
    await batchPut(this.client, this.tableName, built, 4);
    return valid;
  }

  /** The late-day marks of a customer over [start, end): per UTC date, how often it was marked. */
  private async lateMarks(customerId: string, start: Date, end: Date): Promise<Map<string, number>> {
    const months = [...new Set(utcDatesOf(start, end).map((date) => date.slice(0, 7)))];
    const items = await batchGet(
      this.client,
      this.tableName,
      months.map((month) => lateItemKey(customerId, month)),
      { consistentRead: true },
    );
    const marks = new Map<string, number>();
    for (const item of items) {
      const month = (item.SK?.S ?? '').slice('LATE#'.length);
      for (const [name, value] of Object.entries(item))
        if (/^d\d\d$/.test(name)) marks.set(`${month}-${name.slice(1)}`, Number(value.N ?? 0));
    }
    return marks;
  }

  /** Moves the customer's rollup watermark forward to `through` (never back); false if the customer is gone. */
  private async advanceRolledThrough(customerId: string, through: Date): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: customerKey(customerId),
          UpdateExpression: 'SET rolled_through = :t',
          ConditionExpression: 'attribute_exists(PK) AND (attribute_not_exists(rolled_through) OR rolled_through < :t)',
          ExpressionAttributeValues: { ':t': n(through.getTime()) },
        }),
      );
      return true;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const state = await this.client.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: customerKey(customerId),
          ConsistentRead: true,
          ProjectionExpression: 'rolled_through',
        }),
      );
      // Already at or past `through`: fine. Gone: no rollups.
      return state.Item !== undefined;
    }
  }

  /**
   * unique_count markers of [fromBucket, toBucket). With `rollups`, whole local days of that zone (and
   * the hours of a day not over, as for counters) may come from marker rollups: one marker per distinct
   * value and dimension set of the span, its bucket the span's first. Sparse ranges (one page of
   * markers) are read from their buckets.
   */
  async markers(
    customerId: string,
    meterKey: string,
    fromBucket: string,
    toBucket: string,
    rollups?: { timeZone: string },
  ): Promise<StoredMarker[]> {
    const partition = markerPartition(customerId, meterKey);
    const from = parseBucketKey(fromBucket);
    const to = parseBucketKey(toBucket);
    if (!rollups) return this.bucketMarkers(partition, [{ start: from, end: to }]);
    if (!this.busy.has(partition)) {
      const items = await this.sparseFirst(customerId, partition, `U#${fromBucket}`, `U#${toBucket}`);
      if (items) return items.map(markerOf);
      if (this.busy.size >= MAX_BUSY_HINTS) this.busy.clear();
      this.busy.add(partition);
    }
    const spans = rollupSpans(from, to, rollups.timeZone, new Date(this.clock().getTime() - ROLLUP_SETTLE_MS));
    if (spans.length === 0) return this.bucketMarkers(partition, [{ start: from, end: to }]);
    const [spanItems, edges] = await Promise.all([
      this.rollupItems(customerId, partition, rollups.timeZone, spans, MARKER_ROLLUPS),
      this.bucketMarkers(partition, uncovered(from, to, spans)),
    ]);
    const rows = edges;
    for (const span of spans) {
      const item = spanItems.get(span.key);
      if (item) rows.push(...rolledUpMarkers(item));
    }
    const bare = spans.filter((span) => !spanItems.has(span.key));
    if (bare.length > 0) rows.push(...(await this.bucketMarkers(partition, bare)));
    return rows;
  }

  private async bucketMarkers(
    partition: string,
    ranges: ReadonlyArray<{ start: Date; end: Date }>,
  ): Promise<StoredMarker[]> {
    const items = await Promise.all(
      ranges.map((range) => this.queryRange(partition, `U#${bucketKey(range.start)}`, `U#${bucketKey(range.end)}`)),
    );
    return items.flat().map(markerOf);
  }

  private async queryRange(partition: string, from: string, to: string): Promise<Item[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': s(partition), ':from': s(from), ':to': s(to) },
      ConsistentRead: true,
    });
    // BETWEEN is inclusive; the range is half-open [from, to): drop items of the `to` bucket.
    return items.filter((item) => (item.SK?.S ?? '') < to);
  }

  /** Which of these events are cancelled in the table (the archive may not hold the cancellation yet). */
  async cancelled(events: ReadonlyArray<{ source: string; id: string }>): Promise<Set<string>> {
    const stored = await this.rawEvents(events);
    return new Set([...stored].filter(([, event]) => event.cancelledAt !== undefined).map(([key]) => key));
  }

  /**
   * The raw events of a customer with from <= time < to, from the event archive: the table keeps an
   * event only for deduplication (no index by customer), the table's stream copies it to the archive.
   */
  events(customerId: string, from: Date, to: Date): AsyncIterable<StoredEvent> {
    if (!this.archive)
      throw new NotConfiguredError(
        'no event archive is configured here (BILLING_ARCHIVE_BUCKET): reconcile and percentage prices read raw events from it',
      );
    return this.archive.events(customerId, from, to);
  }
}

/** The UTC month after `yyyy-mm`. */
function nextMonth(month: string): string {
  const [year, number] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, number, 1)).toISOString().slice(0, 7);
}

/** How rollups of one kind of item are built: the sort key prefix of its bucket items, and their merge. */
interface RollupKind {
  prefix: 'B#' | 'U#';
  merge(items: readonly Item[], start: Date): Item;
}

const COUNTER_ROLLUPS: RollupKind = { prefix: 'B#', merge: mergeCounterItems };

/**
 * unique_count marker rollups: `values`, the span's distinct values per dimension set as JSON text
 * (`[{"d": dimensions, "v": [values, sorted]}]`); a value may be any string, the empty one too.
 */
const MARKER_ROLLUPS: RollupKind = {
  prefix: 'U#',
  merge: (items) => {
    const groups = new Map<string, { d: Record<string, string>; v: Set<string> }>();
    for (const item of items) {
      const marker = markerOf(item);
      const id = JSON.stringify(Object.entries(marker.dimensions).sort());
      const group = groups.get(id) ?? { d: marker.dimensions, v: new Set<string>() };
      group.v.add(marker.value);
      groups.set(id, group);
    }
    const values = [...groups.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, group]) => ({ d: group.d, v: [...group.v].sort() }));
    return { values: s(JSON.stringify(values)) };
  },
};

function markerOf(item: Item): StoredMarker {
  return {
    bucket: str(item, 'bucket') ?? '',
    dimensions: readStringMap(item, 'dims'),
    value: str(item, 'value') ?? '',
  };
}

/** The markers a marker rollup stands for: one per distinct value and dimension set, at the span's first bucket. */
function rolledUpMarkers(item: Item): StoredMarker[] {
  const bucket = str(item, 'bucket') ?? '';
  const groups = JSON.parse(str(item, 'values') ?? '[]') as Array<{ d: Record<string, string>; v: string[] }>;
  return groups.flatMap((group) => group.v.map((value) => ({ bucket, dimensions: group.d, value })));
}

export interface StoredMarker {
  bucket: string;
  dimensions: Record<string, string>;
  value: string;
}
