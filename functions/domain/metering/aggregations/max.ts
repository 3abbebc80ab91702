import { Decimal } from '../../decimal.js';
import { type Aggregation, readAmount } from './aggregation.js';

/** The largest value of the events (peak seats, peak storage). */
export const max: Aggregation = {
  kind: 'max',
  reads: 'decimal',
  explanation: 'it keeps the largest value',
  additive: false,
  sumsAmounts: false,
  markers: false,
  floor: 'max',
  read: readAmount,
  coalesce(counter, { value }, { floors }) {
    if (value && (!counter.max || value.gt(counter.max))) {
      const floor = floors.max.get(counter.id);
      if (!floor || value.gt(floor)) counter.max = value;
    }
    return undefined;
  },
  writes: (counter) => (counter.max ? [{ field: 'max', value: counter.max }] : []),
  raiseFloor(floors, counter) {
    if (!counter.max) return;
    const floor = floors.max.get(counter.id);
    if (!floor || counter.max.gt(floor)) floors.max.set(counter.id, counter.max);
  },
  merge(tally, row) {
    if (row.max && (!tally.max || row.max.gt(tally.max))) tally.max = row.max;
  },
  quantity: (tally) => tally.max ?? new Decimal(0),
  checks: (expected, stored) => [{ field: 'max', expected: expected?.max, actual: stored?.max }],
};
