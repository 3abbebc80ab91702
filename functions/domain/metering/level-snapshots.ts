import { localParts, zonedInstant } from '../time/zone.js';
import { isBucketEdge } from './buckets.js';

/**
 * Why the levels of a snapshot cannot change any more: the customer's seal (`billed_through`) lies at or
 * after its instant, and ingestion and cancellation refuse events before the seal; or the instant was
 * more than the acceptance window (`days`) plus a day in the past when it was taken, and both refuse
 * events older than the window.
 */
export type SnapshotBasis = { kind: 'sealed' } | { kind: 'window'; days: number };

/** What decides which usage is final: the clock, the acceptance window and the customer's seal. */
export interface Finality {
  now: Date;
  acceptanceWindowDays: number;
  sealedThrough?: Date | undefined;
}

const DAY_MS = 86_400_000;

/**
 * Where the level of a weighted_sum meter can be kept as a snapshot when the level at `from` is read:
 * the start of the local month of `from`, or of the last instant before which usage is final if that is
 * earlier. The margin of a day beyond the window covers an ingestion that checked an event's time just
 * before the window moved past it and commits a moment later. Undefined when that month start is not a
 * 15-minute bucket edge (no real zone since 1970 has such offsets).
 */
export function snapshotPoint(
  from: Date,
  timeZone: string,
  finality: Finality,
): { at: Date; basis: SnapshotBasis } | undefined {
  const byWindow = finality.now.getTime() - (finality.acceptanceWindowDays + 1) * DAY_MS;
  const sealed = finality.sealedThrough?.getTime();
  const final = Math.max(byWindow, sealed ?? Number.NEGATIVE_INFINITY);
  const limit = new Date(Math.min(from.getTime(), final));
  const local = localParts(limit, timeZone);
  const at = zonedInstant({ year: local.year, month: local.month, day: 1 }, timeZone);
  if (at.getTime() > limit.getTime() || !isBucketEdge(at)) return undefined;
  const basis: SnapshotBasis =
    sealed !== undefined && at.getTime() <= sealed
      ? { kind: 'sealed' }
      : { kind: 'window', days: finality.acceptanceWindowDays };
  return { at, basis };
}

/**
 * Whether a snapshot still holds: a sealed one always; one taken under an acceptance window as long
 * as the window is no longer than it was (a longer window lets older events in).
 */
export function snapshotHolds(basis: SnapshotBasis, acceptanceWindowDays: number): boolean {
  return basis.kind === 'sealed' || basis.days >= acceptanceWindowDays;
}
