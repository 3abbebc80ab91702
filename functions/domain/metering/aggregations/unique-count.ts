import { Decimal } from '../../decimal.js';
import { readLabel } from '../meter.js';
import type { Aggregation } from './aggregation.js';

/**
 * The number of distinct values (active users, distinct devices). Each distinct value of a bucket is
 * a marker item; the quantity counts distinct markers over the whole slot, not per bucket.
 */
export const uniqueCount: Aggregation = {
  kind: 'unique_count',
  reads: 'label',
  explanation: 'it counts distinct values',
  additive: false,
  sumsAmounts: false,
  markers: true,
  floor: undefined,
  read(raw, path) {
    const label = readLabel(raw, path);
    return label.ok ? { ok: true, label: label.value } : label;
  },
  coalesce: (_counter, { label }) => label ?? '',
  writes: () => [],
  raiseFloor: () => {},
  merge: () => {},
  quantity: (tally) => new Decimal(tally.uniques.size),
  checks: () => [],
};
