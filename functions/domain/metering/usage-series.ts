import { Decimal } from '../decimal.js';
import { addDays, localParts, startOfLocalDay, zonedInstant } from '../time/zone.js';
import { parseBucketKey } from './buckets.js';
import type { Aggregation } from './meter.js';

export interface CounterRow {
  bucket: string;
  dimensions: Record<string, string>;
  count: number;
  sum: Decimal;
  max: Decimal | undefined;
  latest: Decimal | undefined;
  latestTime: number | undefined;
  latestKey: string | undefined;
}

export interface MarkerRow {
  bucket: string;
  dimensions: Record<string, string>;
  value: string;
}

export type Granularity = 'hour' | 'day' | 'total';

export interface SeriesPoint {
  start: Date;
  end: Date;
  value: Decimal;
  /** Events counted in the slot. */
  events: number;
  dimensions: Record<string, string>;
}

interface Slot {
  start: Date;
  end: Date;
}

/** The slot (hour or day in the zone, or the whole range) a bucket falls in. */
function slotOf(bucketStart: Date, granularity: Granularity, zone: string, from: Date, to: Date): Slot {
  if (granularity === 'total') return { start: from, end: to };
  if (granularity === 'hour') {
    const minute = localParts(bucketStart, zone).minute;
    const start = new Date(bucketStart.getTime() - minute * 60_000);
    return { start, end: new Date(start.getTime() + 3_600_000) };
  }
  const start = startOfLocalDay(bucketStart, zone);
  const p = localParts(start, zone);
  const next = addDays(p, 1);
  return { start, end: zonedInstant(next, zone) };
}

interface Accumulator {
  slot: Slot;
  dimensions: Record<string, string>;
  events: number;
  sum: Decimal;
  max?: Decimal;
  latest?: { value: Decimal; time: number; key: string };
  uniques: Set<string>;
}

/**
 * Aggregates counter buckets into a series: per slot (clipped to [from, to)) and per value of the
 * `groupBy` dimension when given. sum and count add, max takes the largest, latest the value of the
 * latest event, unique_count counts distinct values over the whole slot (not per bucket).
 */
export function usageSeries(
  aggregation: Aggregation,
  counters: readonly CounterRow[],
  markers: readonly MarkerRow[],
  options: { from: Date; to: Date; granularity: Granularity; timeZone: string; groupBy?: string },
): SeriesPoint[] {
  const slots = new Map<string, Accumulator>();
  const accumulator = (bucket: string, dimensions: Record<string, string>): Accumulator => {
    const slot = slotOf(parseBucketKey(bucket), options.granularity, options.timeZone, options.from, options.to);
    const dims: Record<string, string> = {};
    if (options.groupBy !== undefined && dimensions[options.groupBy] !== undefined)
      dims[options.groupBy] = dimensions[options.groupBy]!;
    const id = `${slot.start.getTime()}\u0000${JSON.stringify(dims)}`;
    let acc = slots.get(id);
    if (!acc) {
      acc = { slot, dimensions: dims, events: 0, sum: new Decimal(0), uniques: new Set() };
      slots.set(id, acc);
    }
    return acc;
  };
  for (const row of counters) {
    const acc = accumulator(row.bucket, row.dimensions);
    acc.events += row.count;
    acc.sum = acc.sum.plus(row.sum);
    if (row.max && (!acc.max || row.max.gt(acc.max))) acc.max = row.max;
    if (row.latest && row.latestTime !== undefined) {
      const key = row.latestKey ?? '';
      const current = acc.latest;
      if (!current || row.latestTime > current.time || (row.latestTime === current.time && key > current.key)) {
        acc.latest = { value: row.latest, time: row.latestTime, key };
      }
    }
  }
  for (const marker of markers) accumulator(marker.bucket, marker.dimensions).uniques.add(marker.value);

  const points: SeriesPoint[] = [];
  for (const acc of slots.values()) {
    const start = new Date(Math.max(acc.slot.start.getTime(), options.from.getTime()));
    const end = new Date(Math.min(acc.slot.end.getTime(), options.to.getTime()));
    points.push({
      start,
      end,
      value: aggregateValue(aggregation, acc),
      events: acc.events,
      dimensions: acc.dimensions,
    });
  }
  if (options.granularity === 'total' && points.length === 0) {
    points.push({ start: options.from, end: options.to, value: new Decimal(0), events: 0, dimensions: {} });
  }
  return points.sort(
    (a, b) =>
      a.start.getTime() - b.start.getTime() || JSON.stringify(a.dimensions).localeCompare(JSON.stringify(b.dimensions)),
  );
}

function aggregateValue(aggregation: Aggregation, acc: Accumulator): Decimal {
  switch (aggregation) {
    case 'count':
      return new Decimal(acc.events);
    case 'sum':
      return acc.sum;
    case 'max':
      return acc.max ?? new Decimal(0);
    case 'latest':
      return acc.latest?.value ?? new Decimal(0);
    case 'unique_count':
      return new Decimal(acc.uniques.size);
  }
}
