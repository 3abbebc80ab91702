import {
  type DynamoDBClient,
  TransactionCanceledException,
  type TransactWriteItem,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { CounterOverflowError } from '../../app/errors.js';
import type { CounterRef } from '../../app/record-usage.js';
import { Decimal } from '../../domain/decimal.js';
import { aggregationOf } from '../../domain/metering/aggregations/index.js';
import {
  type CounterUpdate,
  type Floors,
  noFloors,
  type UniqueMarker,
  type WriteChunk,
} from '../../domain/metering/coalesce.js';
import { eventKey, type UsageEvent } from '../../domain/metering/ingest.js';
import {
  batchGet,
  dec,
  type Item,
  int,
  n,
  queryAll,
  queryPages,
  readStringMap,
  s,
  str,
  stringMap,
} from './attributes.js';
import { customerKey } from './customers.js';
import { TABLE } from './table.js';

export const eventItemKey = (source: string, id: string) => ({
  PK: s(`EVENT#${encodeURIComponent(source)}#${encodeURIComponent(id)}`),
  SK: s('EVENT'),
});
const usagePartition = (customerId: string, meterKey: string) => `USAGE#${customerId}#${meterKey}`;

export type CommitResult =
  | { ok: true; consumedWcu: number }
  | {
      ok: false;
      /** Events whose (source, id) is stored already: duplicates. */
      duplicates: UsageEvent[];
      /** Customers whose seal check failed (billed_through moved past an event, or the customer is gone). */
      sealedCustomers: string[];
      /** max/latest updates that lost against the stored value: drop them and retry. */
      settledMax: string[];
      settledLatest: string[];
      /** Conflicts or throttling: the same write may pass later. */
      retryable: boolean;
      reasons: string[];
    };

/** Where counters and raw events live. */
export class UsageStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  /**
   * Writes one chunk atomically: each raw event (attribute_not_exists: exactly once), the coalesced
   * counter updates, the unique-value markers, and a seal check per customer.
   */
  async commit(chunk: WriteChunk, expiresAt: (event: UsageEvent) => number, receivedAt: Date): Promise<CommitResult> {
    const items: TransactWriteItem[] = [];
    for (const { event } of chunk.events) items.push({ Put: this.eventPut(event, expiresAt(event), receivedAt) });
    for (const counter of chunk.counters) items.push({ Update: this.counterUpdate(counter) });
    for (const marker of chunk.markers) items.push({ Put: this.markerPut(marker) });
    const customers = [...chunk.customers.entries()];
    for (const [customerId, earliest] of customers) {
      items.push({
        ConditionCheck: {
          TableName: this.tableName,
          Key: customerKey(customerId),
          ConditionExpression:
            'attribute_exists(PK) AND (attribute_not_exists(billed_through) OR billed_through <= :t)',
          ExpressionAttributeValues: { ':t': n(earliest.getTime()) },
        },
      });
    }
    try {
      const result = await this.client.send(
        new TransactWriteItemsCommand({ TransactItems: items, ReturnConsumedCapacity: 'TOTAL' }),
      );
      const consumedWcu = (result.ConsumedCapacity ?? []).reduce((total, c) => total + (c.CapacityUnits ?? 0), 0);
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
        settledMax: [],
        settledLatest: [],
        retryable: false,
        reasons: reasons.map((r) => r.Code ?? 'None'),
      };
      const eventsEnd = chunk.events.length;
      const countersEnd = eventsEnd + chunk.counters.length;
      const markersEnd = countersEnd + chunk.markers.length;
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
        else if (index < countersEnd) {
          const counter = chunk.counters[index - eventsEnd]!;
          // The update's condition guards the aggregation's floor (an update without one cannot fail).
          const floor = aggregationOf(counter.meter.aggregation).floor;
          switch (floor) {
            case 'max':
              failure.settledMax.push(counter.id);
              break;
            case 'latest':
            case undefined:
              failure.settledLatest.push(counter.id);
              break;
            default: {
              const unreachable: never = floor;
              throw new Error(`unknown floor ${JSON.stringify(unreachable)}`);
            }
          }
        } else if (index >= markersEnd) failure.sealedCustomers.push(customers[index - markersEnd]![0]);
        else understood = false;
      });
      if (!understood) throw new Error(`transaction cancelled: ${failure.reasons.join(', ')}`, { cause: error });
      return failure;
    }
  }

  private eventPut(event: UsageEvent, expiresAt: number, receivedAt: Date) {
    return {
      TableName: this.tableName,
      Item: {
        ...eventItemKey(event.source, event.id),
        [TABLE.gsi1.partitionKey]: s(`EVENTS#${event.subject}`),
        [TABLE.gsi1.sortKey]: s(`${event.time.toISOString()}#${event.source}#${event.id}`),
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

  private counterUpdate(counter: CounterUpdate) {
    const names: Record<string, string> = {
      '#count': 'count',
      '#c': 'customer',
      '#m': 'meter',
      '#b': 'bucket',
      '#d': 'dims',
    };
    const values: Item = {
      ':count': n(counter.count),
      ':c': s(counter.customerId),
      ':m': s(counter.meter.key),
      ':b': s(counter.bucket),
      ':d': stringMap(counter.dimensions),
    };
    const add = ['#count :count'];
    const set = ['#c = :c', '#m = :m', '#b = :b', '#d = :d'];
    let condition: string | undefined;
    for (const write of aggregationOf(counter.meter.aggregation).writes(counter)) {
      switch (write.field) {
        case 'sum':
          names['#sum'] = 'sum';
          values[':sum'] = n(write.value);
          add.push('#sum :sum');
          break;
        case 'weighted':
          names['#weighted'] = 'weighted';
          values[':weighted'] = n(write.value);
          add.push('#weighted :weighted');
          break;
        case 'max':
          names['#max'] = 'max';
          values[':max'] = n(write.value);
          set.push('#max = :max');
          condition = 'attribute_not_exists(#max) OR #max < :max';
          break;
        case 'latest':
          Object.assign(names, { '#lv': 'latest', '#lt': 'latest_time', '#lk': 'latest_key' });
          Object.assign(values, { ':lv': n(write.value), ':lt': n(write.time), ':lk': s(write.tiebreak) });
          set.push('#lv = :lv', '#lt = :lt', '#lk = :lk');
          condition = 'attribute_not_exists(#lt) OR #lt < :lt OR (#lt = :lt AND #lk < :lk)';
          break;
        default: {
          const unreachable: never = write;
          throw new Error(`unknown counter write ${JSON.stringify(unreachable)}`);
        }
      }
    }
    return {
      TableName: this.tableName,
      Key: {
        PK: s(usagePartition(counter.customerId, counter.meter.key)),
        SK: s(`B#${counter.bucket}#${counter.dimensionKey}`),
      },
      UpdateExpression: `ADD ${add.join(', ')} SET ${set.join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ...(condition ? { ConditionExpression: condition } : {}),
    };
  }

  private markerPut(marker: UniqueMarker) {
    return {
      TableName: this.tableName,
      Item: {
        PK: s(usagePartition(marker.customerId, marker.meter.key)),
        SK: s(`U#${marker.bucket}#${marker.dimensionKey}#${encodeURIComponent(marker.value)}`),
        bucket: s(marker.bucket),
        dims: stringMap(marker.dimensions),
        value: s(marker.value),
      },
    };
  }

  /** Keys (`eventKey`) of the given events that are stored already (consistent BatchGetItem per 100). */
  async storedEvents(events: ReadonlyArray<{ source: string; id: string }>): Promise<Set<string>> {
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
    for (const item of await batchGet(this.client, this.tableName, keys, { consistentRead: true, projection: 'PK' })) {
      const key = byPk.get(item.PK?.S ?? '');
      if (key) found.add(key);
    }
    return found;
  }

  /** The stored max/latest of the given counters (one consistent BatchGetItem per 100). */
  async floors(refs: CounterRef[]): Promise<Floors> {
    const floors = noFloors();
    const byKey = new Map<string, CounterRef>();
    const keyOf = (pk: string, sk: string) => `${pk}\u0000${sk}`;
    const keys = refs.map((ref) => {
      const key = { PK: s(usagePartition(ref.customerId, ref.meterKey)), SK: s(`B#${ref.bucket}#${ref.dimensionKey}`) };
      byKey.set(keyOf(key.PK.S ?? '', key.SK.S ?? ''), ref);
      return key;
    });
    const items = await batchGet(this.client, this.tableName, keys, {
      consistentRead: true,
      projection: 'PK, SK, #max, latest_time, latest_key',
      names: { '#max': 'max' },
    });
    for (const item of items) {
      const ref = byKey.get(keyOf(item.PK?.S ?? '', item.SK?.S ?? ''));
      if (!ref) continue;
      const max = dec(item, 'max');
      if (max) floors.max.set(ref.id, max);
      const time = int(item, 'latest_time');
      if (time !== undefined) floors.latest.set(ref.id, { time, tiebreak: str(item, 'latest_key') ?? '' });
    }
    return floors;
  }

  /** Counter items of [fromBucket, toBucket) (bucket keys), strongly consistent: an accepted event is visible at once. */
  async counters(customerId: string, meterKey: string, fromBucket: string, toBucket: string): Promise<StoredCounter[]> {
    const items = await this.queryRange(customerId, meterKey, `B#${fromBucket}`, `B#${toBucket}`);
    return items.map((item) => ({
      bucket: str(item, 'bucket') ?? '',
      dimensions: readStringMap(item, 'dims'),
      count: int(item, 'count') ?? 0,
      sum: dec(item, 'sum') ?? new Decimal(0),
      weighted: dec(item, 'weighted') ?? new Decimal(0),
      max: dec(item, 'max'),
      latest: dec(item, 'latest'),
      latestTime: int(item, 'latest_time'),
      latestKey: str(item, 'latest_key'),
    }));
  }

  /** unique_count markers of [fromBucket, toBucket). */
  async markers(customerId: string, meterKey: string, fromBucket: string, toBucket: string): Promise<StoredMarker[]> {
    const items = await this.queryRange(customerId, meterKey, `U#${fromBucket}`, `U#${toBucket}`);
    return items.map((item) => ({
      bucket: str(item, 'bucket') ?? '',
      dimensions: readStringMap(item, 'dims'),
      value: str(item, 'value') ?? '',
    }));
  }

  private async queryRange(customerId: string, meterKey: string, from: string, to: string): Promise<Item[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': s(usagePartition(customerId, meterKey)), ':from': s(from), ':to': s(to) },
      ConsistentRead: true,
    });
    // BETWEEN is inclusive; the range is half-open [from, to): drop items of the `to` bucket.
    return items.filter((item) => (item.SK?.S ?? '') < to);
  }

  /** Stored raw events of a customer with from <= time < to (GSI1, in time order). */
  async *events(
    customerId: string,
    from: Date,
    to: Date,
  ): AsyncGenerator<{ raw: string; time: string; receivedAt: string }> {
    const pages = queryPages(this.client, {
      TableName: this.tableName,
      IndexName: TABLE.gsi1.name,
      KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': s(`EVENTS#${customerId}`),
        ':from': s(from.toISOString()),
        ':to': s(to.toISOString()),
      },
    });
    for await (const page of pages) {
      for (const item of page) {
        const time = str(item, 'time') ?? '';
        if (time >= to.toISOString()) continue;
        yield { raw: str(item, 'raw') ?? '{}', time, receivedAt: str(item, 'received_at') ?? '' };
      }
    }
  }
}

export interface StoredCounter {
  bucket: string;
  dimensions: Record<string, string>;
  count: number;
  sum: Decimal;
  weighted: Decimal;
  max: Decimal | undefined;
  latest: Decimal | undefined;
  latestTime: number | undefined;
  latestKey: string | undefined;
}

export interface StoredMarker {
  bucket: string;
  dimensions: Record<string, string>;
  value: string;
}
