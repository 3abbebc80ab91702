import { Decimal } from '../../decimal.js';
import { type Aggregation, readAmount } from './aggregation.js';

/** Adds up the events' values (an amount, tokens, bytes...). */
export const sum: Aggregation = {
  kind: 'sum',
  reads: 'decimal',
  explanation: 'it adds up the values',
  additive: true,
  sumsAmounts: true,
  markers: false,
  floor: undefined,
  read: readAmount,
  coalesce(counter, { value }) {
    counter.sum = (counter.sum ?? new Decimal(0)).plus(value ?? 0);
    return undefined;
  },
  writes: (counter) => (counter.sum ? [{ field: 'sum', value: counter.sum }] : []),
  raiseFloor: () => {},
  merge(tally, row) {
    tally.sum = tally.sum.plus(row.sum);
  },
  quantity: (tally) => tally.sum,
  checks: (expected, stored) => [{ field: 'sum', expected: expected?.sum ?? 0, actual: stored?.sum ?? 0 }],
};
