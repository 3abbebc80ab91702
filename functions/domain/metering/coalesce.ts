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
}

/** One TransactWriteItems: the events it stores, the counters it moves, the customers it checks. */
export interface WriteChunk {
  events: MeasuredEvent[];
  counters: CounterUpdate[];
  markers: UniqueMarker[];
  /** Per customer, the earliest event time in the chunk: the seal check is `billed_through <= it`. */
  customers: Map<string, Date>;
}

export function operationCount(chunk: WriteChunk): number {
  return chunk.events.length + chunk.counters.length + chunk.markers.length + chunk.customers.size;
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
  const earliest = chunk.customers.get(event.subject);
  if (!earliest || event.time < earliest) chunk.customers.set(event.subject, event.time);
}

/** The operations one event would add to a chunk that does not touch its counters yet (upper bound). */
function operationsOf(measured: MeasuredEvent): number {
  let operations = 1 + 1;
  for (const contribution of measured.contributions)
    operations += aggregationOf(contribution.meter.aggregation).markers ? 2 : 1;
  return operations;
}

/**
 * Packs measured events into transaction-sized chunks, coalescing all contributions to one counter
 * inside a chunk into one update. Events are grouped by customer first so that a customer's
 * counters land in as few chunks as possible.
 */
export function planChunks(measured: readonly MeasuredEvent[], maxOperations: number, floors: Floors): WriteChunk[] {
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
    for (const item of ordered) {
      if (!chunk || operationCount(chunk) + operationsOf(item) > maxOperations) {
        chunk = { events: [], counters: [], markers: [], customers: new Map() };
        counters = new Map();
        markers = new Map();
        chunks.push(chunk);
      }
      chunk.events.push(item);
      addContribution(chunk, counters, markers, item, floors);
    }
  }
  return chunks;
}
