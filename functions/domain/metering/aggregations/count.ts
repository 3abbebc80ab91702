import { Decimal } from '../../decimal.js';
import type { Aggregation } from './aggregation.js';

/** Counts events; reads no value. */
export const count: Aggregation = {
  kind: 'count',
  reads: 'nothing',
  explanation: 'it counts events',
  additive: true,
  sumsAmounts: false,
  markers: false,
  floor: undefined,
  read: () => ({ ok: true }),
  coalesce: () => undefined,
  writes: () => [],
  raiseFloor: () => {},
  merge: () => {},
  quantity: (tally) => new Decimal(tally.events),
  checks: () => [],
};
