import type { LimitCharge } from '../billing/usage-limits.js';
import type { Decimal } from '../decimal.js';
import { aggregationOf } from './aggregations/index.js';
import { type Contribution, dimensionKey, eventKey, type UsageEvent } from './ingest.js';
import type { Meter } from './meter.js';

/** The coalesced change to one counter item (customer, meter, bucket, dimensions). */
export interface CounterUpdate {
  id: string;
  customerId: string;
  meter: Meter;
  bucket: string;
  dimensions: Record<string, string>;
  dimensionKey: string;
  /** Events counted. */
  count: number;
  /** Sum of values (sum meters; weighted_sum: the net change of the level). */
  sum?: Decimal;
  /**
   * weighted_sum: Σ δ·(t − bucket start) over the events, t in epoch milliseconds. With `sum` it gives
   * the integral of the level over any interval that holds the bucket (see time-weighted.ts).
   */
  weighted?: Decimal;
  /** Largest value (max meters); dropped once the stored maximum is known to be at least this. */
  max?: Decimal;
  /** Value of the latest event (latest meters): ordered by event time, then by source and id. */
  latest?: { value: Decimal; time: number; tiebreak: string };
}

/** A distinct value seen by a unique_count meter in one bucket. Writing it twice is harmless. */
export interface UniqueMarker {
  id: string;
  customerId: string;
  meter: Meter;
  bucket: string;
  dimensions: Record<string, string>;
  dimensionKey: string;
  value: string;
}

export interface MeasuredEvent {
  event: UsageEvent;
  contributions: Contribution[];
  /** What it adds to usage totals under hard limits (customers with hard limits only). */
  limits?: LimitCharge[];
}

/** One TransactWriteItems: the events it stores, the counters it moves, the customers it checks. */
export interface WriteChunk {
  events: MeasuredEvent[];
  counters: CounterUpdate[];
  /** The counters by the item that holds them (`counterItemId`): one `Update` per item. */
  items: Map<string, CounterUpdate[]>;
  markers: UniqueMarker[];
  /** Per customer, the earliest event time in the chunk: the seal check is `billed_through <= it`. */
  customers: Map<string, Date>;
  /**
   * Per customer, the earliest time of its events at or after its rollup watermark (`rolledThrough`):
   * the seal check also asks `rolled_through <= it`. Absent when all its events are late.
   */
  unrolled: Map<string, Date>;
  /** Per customer, the UTC days ("2026-11-02") of its late events (before the watermark): marked changed. */
  late: Map<string, Set<string>>;
  /**
   * The usage totals under hard limits the chunk moves (`LimitCharge.key`), each with the chunk's
   * quantity: one conditional `ADD` per total. Empty for customers without hard limits.
   */
  limits: Map<string, LimitCharge>;
}

export interface PlanOptions {
  /** Most counters in one item update (the expressions of one update are limited to 4 KB). */
  maxCountersPerItem?: number;
  /** A customer's rollup watermark (`CustomerState.rolledThrough`); events before it are late. */
  rolledThrough?: (customerId: string) => Date | undefined;
}

/** The items that mark late days: one per customer and UTC month. */
export function lateItems(chunk: WriteChunk): Array<{ customerId: string; month: string; days: string[] }> {
  const items: Array<{ customerId: string; month: string; days: string[] }> = [];
  for (const [customerId, days] of chunk.late) {
    const byMonth = new Map<string, string[]>();
    for (const day of [...days].sort()) {
      const month = day.slice(0, 7);
      byMonth.set(month, [...(byMonth.get(month) ?? []), day]);
    }
    for (const [month, list] of byMonth) items.push({ customerId, month, days: list });
  }
  return items;
}

export function operationCount(chunk: WriteChunk): number {
  let lateMonths = 0;
  for (const days of chunk.late.values()) lateMonths += new Set([...days].map((day) => day.slice(0, 7))).size;
  return (
    chunk.events.length +
    chunk.items.size +
    chunk.markers.length +
    lateMonths +
    chunk.limits.size +
    chunk.customers.size
  );
}

/**
 * The item a counter lives in: every counter of one customer, event type and bucket (all meters of
 * the type, all dimension values) shares one item, so the events of a customer's bucket cost one write.
 */
export function counterItemId(customerId: string, eventType: string, bucket: string): string {
  return `${customerId}\u0000${eventType}\u0000${bucket}`;
}

/**
 * What is known about stored counters: their max is at least `max`, their latest is at least
 * `latest` (by event time, then source and id). A max or latest contribution that does not beat
 * the floor would only fail its condition, so it is left out; one that beats it is kept.
 */
export interface Floors {
  max: Map<string, Decimal>;
  latest: Map<string, { time: number; tiebreak: string }>;
}

export const noFloors = (): Floors => ({ max: new Map(), latest: new Map() });

/** Raises a floor after a max/latest condition failed with `value`: the stored one is at least that. */
export function raiseFloor(floors: Floors, counter: CounterUpdate): void {
  aggregationOf(counter.meter.aggregation).raiseFloor(floors, counter);
}

export function counterId(customerId: string, meterKey: string, bucket: string, dims: string): string {
  return `${customerId}\u0000${meterKey}\u0000${bucket}\u0000${dims}`;
}

function addContribution(
  chunk: WriteChunk,
  counters: Map<string, CounterUpdate>,
  markers: Map<string, UniqueMarker>,
  measured: MeasuredEvent,
  floors: Floors,
  rolledThrough: Date | undefined,
): void {
  const { event } = measured;
  for (const contribution of measured.contributions) {
    const { meter } = contribution;
    const dims = dimensionKey(meter, contribution.dimensions);
    const id = counterId(event.subject, meter.key, contribution.bucket, dims);
    let counter = counters.get(id);
    if (!counter) {
      counter = {
        id,
        customerId: event.subject,
        meter,
        bucket: contribution.bucket,
        dimensions: contribution.dimensions,
        dimensionKey: dims,
        count: 0,
      };
      counters.set(id, counter);
      chunk.counters.push(counter);
      const itemId = counterItemId(event.subject, meter.eventType, contribution.bucket);
      const item = chunk.items.get(itemId);
      if (item) item.push(counter);
      else chunk.items.set(itemId, [counter]);
    }
    counter.count += 1;
    const label = aggregationOf(meter.aggregation).coalesce(counter, contribution, {
      time: event.time.getTime(),
      tiebreak: eventKey(event),
      floors,
    });
    if (label !== undefined) {
      const markerId = `${id}\u0000${label}`;
      if (!markers.has(markerId)) {
        const marker: UniqueMarker = {
          id: markerId,
          customerId: event.subject,
          meter,
          bucket: contribution.bucket,
          dimensions: contribution.dimensions,
          dimensionKey: dims,
          value: label,
        };
        markers.set(markerId, marker);
        chunk.markers.push(marker);
      }
    }
  }
  for (const charge of measured.limits ?? []) {
    const total = chunk.limits.get(charge.key);
    if (total) total.quantity = total.quantity.plus(charge.quantity);
    else chunk.limits.set(charge.key, { ...charge });
  }
  const earliest = chunk.customers.get(event.subject);
  if (!earliest || event.time < earliest) chunk.customers.set(event.subject, event.time);
  if (rolledThrough && event.time < rolledThrough) {
    const days = chunk.late.get(event.subject) ?? new Set<string>();
    days.add(event.time.toISOString().slice(0, 10));
    chunk.late.set(event.subject, days);
  } else {
    const unrolled = chunk.unrolled.get(event.subject);
    if (!unrolled || event.time < unrolled) chunk.unrolled.set(event.subject, event.time);
  }
}

/**
 * The operations one event would add to a chunk (upper bound): itself, its counter item, its
 * markers, its customer's check and, when late, the item marking its day.
 */
function operationsOf(measured: MeasuredEvent, late: boolean): number {
  let operations = 1 + 1 + 1 + (late ? 1 : 0) + (measured.limits?.length ?? 0);
  for (const contribution of measured.contributions)
    if (aggregationOf(contribution.meter.aggregation).markers) operations += 1;
  return operations;
}

/** Whether adding the event would put more than `limit` counters into one item update of the chunk. */
function overfills(chunk: WriteChunk, counters: Map<string, CounterUpdate>, measured: MeasuredEvent, limit: number) {
  if (!Number.isFinite(limit)) return false;
  // Nearly always: even if every contribution were a new counter, its item stays within the limit.
  const [first] = measured.contributions;
  const itemId = first && counterItemId(measured.event.subject, first.meter.eventType, first.bucket);
  if ((chunk.items.get(itemId ?? '')?.length ?? 0) + measured.contributions.length <= limit) return false;
  const added = new Map<string, number>();
  for (const contribution of measured.contributions) {
    const { meter } = contribution;
    const id = counterId(
      measured.event.subject,
      meter.key,
      contribution.bucket,
      dimensionKey(meter, contribution.dimensions),
    );
    if (counters.has(id)) continue;
    const itemId = counterItemId(measured.event.subject, meter.eventType, contribution.bucket);
    const count = (added.get(itemId) ?? chunk.items.get(itemId)?.length ?? 0) + 1;
    if (count > limit) return true;
    added.set(itemId, count);
  }
  return false;
}

/**
 * Packs measured events into transaction-sized chunks, coalescing all contributions to one counter
 * inside a chunk into one update, and the counters of one item into one item update (at most
 * `maxCountersPerItem` of them: the expressions of one update are limited to 4 KB). Events are
 * grouped by customer first so that a customer's counters land in as few chunks as possible.
 */
export function planChunks(
  measured: readonly MeasuredEvent[],
  maxOperations: number,
  floors: Floors,
  options: PlanOptions = {},
): WriteChunk[] {
  const maxCountersPerItem = options.maxCountersPerItem ?? Number.POSITIVE_INFINITY;
  const byCustomer = new Map<string, MeasuredEvent[]>();
  for (const item of measured) {
    const list = byCustomer.get(item.event.subject);
    if (list) list.push(item);
    else byCustomer.set(item.event.subject, [item]);
  }
  const chunks: WriteChunk[] = [];
  let chunk: WriteChunk | undefined;
  let counters = new Map<string, CounterUpdate>();
  let markers = new Map<string, UniqueMarker>();
  for (const events of byCustomer.values()) {
    // In time order, a customer's events of one bucket sit together and share one counter update.
    const ordered = [...events].sort((a, b) => a.event.time.getTime() - b.event.time.getTime());
    const rolledThrough = options.rolledThrough?.(events[0]!.event.subject);
    for (const item of ordered) {
      const late = rolledThrough !== undefined && item.event.time < rolledThrough;
      if (
        !chunk ||
        operationCount(chunk) + operationsOf(item, late) > maxOperations ||
        overfills(chunk, counters, item, maxCountersPerItem)
      ) {
        chunk = {
          events: [],
          counters: [],
          items: new Map(),
          markers: [],
          customers: new Map(),
          unrolled: new Map(),
          late: new Map(),
          limits: new Map(),
        };
        counters = new Map();
        markers = new Map();
        chunks.push(chunk);
      }
      chunk.events.push(item);
      addContribution(chunk, counters, markers, item, floors, rolledThrough);
    }
  }
  return chunks;
}
