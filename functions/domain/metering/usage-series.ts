import { Decimal } from '../decimal.js';
import { addDays, localParts, startOfLocalDay, zonedInstant } from '../time/zone.js';
import { aggregationOf, emptyTally, type Tally } from './aggregations/index.js';
import { parseBucketKey } from './buckets.js';
import type { AggregationKind, WeightedPer } from './meter.js';
import { type StartLevel, weightedSeries } from './time-weighted.js';

export interface CounterRow {
  /** Key of the 15-minute bucket; of the bucket `span` starts in when the row has a span. */
  bucket: string;
  dimensions: Record<string, string>;
  count: number;
  sum: Decimal;
  /** weighted_sum: Σ δ·(t − start of the row's interval) in ms (0 for the other kinds). */
  weighted: Decimal;
  /**
   * The interval the row covers when it is not its 15-minute bucket (a weighted_sum rollup of one
   * local day). Only weightedSeries reads it.
   */
  span?: { start: Date; end: Date };
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
  tally: Tally;
}

export interface UsageSeriesOptions {
  from: Date;
  to: Date;
  granularity: Granularity;
  timeZone: string;
  groupBy?: string;
  /** weighted_sum: what the quantity is per (the meter's `per`; absent means `period`). Ignored otherwise. */
  per?: WeightedPer;
  /** weighted_sum (required): the level of each dimension set at `from`. Ignored otherwise. */
  startLevels?: ReadonlyArray<StartLevel>;
}

/**
 * Aggregates counter buckets into a series: per slot (clipped to [from, to)) and per value of the
 * `groupBy` dimension when given, merging and reading back each slot as the meter's aggregation does
 * (see aggregations/). A weighted_sum meter integrates its level instead (see `weightedSeries`).
 */
export function usageSeries(
  kind: AggregationKind,
  counters: readonly CounterRow[],
  markers: readonly MarkerRow[],
  options: UsageSeriesOptions,
): SeriesPoint[] {
  if (kind === 'weighted_sum') {
    if (!options.startLevels)
      throw new Error('usageSeries: a weighted_sum series needs the start levels (the level of each series at `from`)');
    return weightedSeries(counters, {
      from: options.from,
      to: options.to,
      granularity: options.granularity,
      timeZone: options.timeZone,
      ...(options.groupBy === undefined ? {} : { groupBy: options.groupBy }),
      per: options.per ?? 'period',
      startLevels: options.startLevels,
    });
  }
  const aggregation = aggregationOf(kind);
  const slots = new Map<string, Accumulator>();
  const accumulator = (bucket: string, dimensions: Record<string, string>): Accumulator => {
    const slot = slotOf(parseBucketKey(bucket), options.granularity, options.timeZone, options.from, options.to);
    const dims: Record<string, string> = {};
    if (options.groupBy !== undefined && dimensions[options.groupBy] !== undefined)
      dims[options.groupBy] = dimensions[options.groupBy]!;
    const id = `${slot.start.getTime()}\u0000${JSON.stringify(dims)}`;
    let acc = slots.get(id);
    if (!acc) {
      acc = { slot, dimensions: dims, tally: emptyTally() };
      slots.set(id, acc);
    }
    return acc;
  };
  for (const row of counters) {
    const { tally } = accumulator(row.bucket, row.dimensions);
    tally.events += row.count;
    aggregation.merge(tally, row);
  }
  for (const marker of markers) accumulator(marker.bucket, marker.dimensions).tally.uniques.add(marker.value);

  const points: SeriesPoint[] = [];
  for (const acc of slots.values()) {
    const start = new Date(Math.max(acc.slot.start.getTime(), options.from.getTime()));
    const end = new Date(Math.min(acc.slot.end.getTime(), options.to.getTime()));
    points.push({
      start,
      end,
      value: aggregation.quantity(acc.tally),
      events: acc.tally.events,
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

/** The quantity of one stored counter on its own (one bucket and dimension set). */
export function counterQuantity(kind: AggregationKind, row: CounterRow): Decimal {
  const aggregation = aggregationOf(kind);
  const tally = emptyTally();
  tally.events = row.count;
  aggregation.merge(tally, row);
  return aggregation.quantity(tally);
}
