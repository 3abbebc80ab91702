import { Decimal } from '../../decimal.js';
import { type Aggregation, later, readAmount } from './aggregation.js';

/** The value of the latest event, by event time, then by source and id (a gauge reading). */
export const latest: Aggregation = {
  kind: 'latest',
  reads: 'decimal',
  explanation: 'it keeps the value of the latest event',
  additive: false,
  sumsAmounts: false,
  markers: false,
  floor: 'latest',
  read: readAmount,
  coalesce(counter, { value }, { time, tiebreak, floors }) {
    if (!value) return undefined;
    const candidate = { value, time, tiebreak };
    if (later(candidate, counter.latest) && later(candidate, floors.latest.get(counter.id))) counter.latest = candidate;
    return undefined;
  },
  writes: (counter) => (counter.latest ? [{ field: 'latest', ...counter.latest }] : []),
  raiseFloor(floors, counter) {
    if (counter.latest && later(counter.latest, floors.latest.get(counter.id))) {
      floors.latest.set(counter.id, { time: counter.latest.time, tiebreak: counter.latest.tiebreak });
    }
  },
  merge(tally, row) {
    if (row.latest === undefined || row.latestTime === undefined) return;
    const candidate = { value: row.latest, time: row.latestTime, key: row.latestKey ?? '' };
    const current = tally.latest;
    if (
      !current ||
      later({ time: candidate.time, tiebreak: candidate.key }, { time: current.time, tiebreak: current.key })
    )
      tally.latest = candidate;
  },
  quantity: (tally) => tally.latest?.value ?? new Decimal(0),
  checks: (expected, stored) => [{ field: 'latest', expected: expected?.latest?.value, actual: stored?.latest }],
};
