import { Decimal } from '../../decimal.js';
import { parseBucketKey } from '../buckets.js';
import { type Aggregation, readChange } from './aggregation.js';

/**
 * A level over time (GB stored, seats held): each event carries a signed change δ of the level, and
 * the quantity integrates the level over the range (an average, GB-hours or seat-days, by the
 * meter's `per`). A counter keeps `sum` = Σδ and `weighted` = Σ δ·(t − bucket start) in ms, both
 * additive.
 *
 * The level at the start of a range is not in the counters, so the generic tally path cannot give
 * the quantity: `quantity` answers the net change of the level (Σδ) and the real quantities come
 * from `weightedSeries` (time-weighted.ts), which `usageSeries` delegates to for this kind.
 */
export const weightedSum: Aggregation = {
  kind: 'weighted_sum',
  reads: 'decimal',
  explanation: 'it integrates a level over time',
  additive: false,
  sumsAmounts: false,
  markers: false,
  floor: undefined,
  read: readChange,
  coalesce(counter, { value }, { time }) {
    const change = value ?? new Decimal(0);
    const offset = time - parseBucketKey(counter.bucket).getTime();
    counter.sum = (counter.sum ?? new Decimal(0)).plus(change);
    counter.weighted = (counter.weighted ?? new Decimal(0)).plus(change.times(offset));
    return undefined;
  },
  writes: (counter) => [
    ...(counter.sum ? [{ field: 'sum' as const, value: counter.sum }] : []),
    ...(counter.weighted ? [{ field: 'weighted' as const, value: counter.weighted }] : []),
  ],
  raiseFloor: () => {},
  merge(tally, row) {
    tally.sum = tally.sum.plus(row.sum);
  },
  quantity: (tally) => tally.sum,
  checks: (expected, stored) => [
    { field: 'sum', expected: expected?.sum ?? 0, actual: stored?.sum ?? 0 },
    { field: 'weighted', expected: expected?.weighted ?? 0, actual: stored?.weighted ?? 0 },
  ],
};
