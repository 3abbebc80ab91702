import { aggregationOf } from './aggregations/index.js';
import { type MeasuredEvent, noFloors, planChunks, type WriteChunk } from './coalesce.js';
import type { AggregationKind } from './meter.js';

/** An event a meter counted in a way that cannot be taken back (max, latest, unique_count). */
export interface NotCancellable {
  code: 'not_cancellable';
  message: string;
  meter: string;
  aggregation: AggregationKind;
}

/**
 * Whether an aggregation's counters can take one event back by adding its negated contribution:
 * counts, sums and weighted terms are plain sums (count, sum, weighted_sum). A max or latest does
 * not remember what it replaced, and a unique_count marker may stand for other events too.
 */
export function cancellable(kind: AggregationKind): boolean {
  const aggregation = aggregationOf(kind);
  return aggregation.floor === undefined && !aggregation.markers;
}

/**
 * The counter updates that take one accepted event back: the ingest path's own coalescing of the
 * event (its contributions measured with the meters that existed when it was received), every count,
 * sum and weighted term negated. `rolledThrough` is the customer's rollup watermark: an event before
 * it marks its UTC day (`WriteChunk.late`), as a late event does, so day rollups over it are rebuilt.
 * Hard-limit totals are not in the chunk (the caller decides what they give back).
 */
export function planCancellation(measured: MeasuredEvent, rolledThrough?: Date): WriteChunk | NotCancellable {
  for (const { meter } of measured.contributions) {
    if (!cancellable(meter.aggregation))
      return {
        code: 'not_cancellable',
        meter: meter.key,
        aggregation: meter.aggregation,
        message: `meter '${meter.key}' (${meter.aggregation}) counted this event, and a ${meter.aggregation} cannot take an event back: only events counted by count, sum and weighted_sum meters can be cancelled`,
      };
  }
  const [chunk] = planChunks(
    [{ event: measured.event, contributions: measured.contributions }],
    Number.POSITIVE_INFINITY,
    noFloors(),
    {
      rolledThrough: () => rolledThrough,
    },
  );
  if (!chunk) throw new Error('an event always plans one chunk');
  for (const counter of chunk.counters) {
    counter.count = -counter.count;
    if (counter.sum) counter.sum = counter.sum.negated();
    if (counter.weighted) counter.weighted = counter.weighted.negated();
  }
  return chunk;
}
