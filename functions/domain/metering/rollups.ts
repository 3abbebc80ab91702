import { addDays, localParts, startOfLocalDay, zonedInstant } from '../time/zone.js';

/**
 * Day rollups: the counters of one local day (in one time zone) merged into one item, so that a
 * month is read as ~30 items instead of 2,976 buckets. They are derived (built by readers from the
 * buckets), never written by ingest; see docs/storage.md for how a late event invalidates one.
 */

/** A local calendar day: its date in the zone and the instants it spans. */
export interface LocalDay {
  date: string;
  start: Date;
  end: Date;
}

/** Rollups are built only for days that ended at least this long ago (live events never count as late). */
export const ROLLUP_SETTLE_MS = 3_600_000;

const isoDate = (d: { year: number; month: number; day: number }) =>
  `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;

/** The local days of `zone` that lie wholly inside [from, to), in order. */
export function localDaysWithin(from: Date, to: Date, zone: string): LocalDay[] {
  const days: LocalDay[] = [];
  let start = startOfLocalDay(from, zone);
  if (start < from) {
    const p = localParts(start, zone);
    start = zonedInstant(addDays(p, 1), zone);
  }
  while (start < to) {
    const p = localParts(start, zone);
    const end = zonedInstant(addDays(p, 1), zone);
    if (end > to) break;
    days.push({ date: isoDate(p), start, end });
    start = end;
  }
  return days;
}

/** The UTC dates ("2026-11-02") an interval overlaps: a late event marks the UTC date of its time. */
export function utcDatesOf(start: Date, end: Date): string[] {
  const dates: string[] = [];
  for (
    let t = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate());
    t < end.getTime();
    t += 86_400_000
  )
    dates.push(new Date(t).toISOString().slice(0, 10));
  return dates;
}

/** The revision text a rollup records and is checked against: "2026-11-01=0,2026-11-02=3". */
export function revisionsText(dates: readonly string[], marks: ReadonlyMap<string, number>): string {
  return dates.map((date) => `${date}=${marks.get(date) ?? 0}`).join(',');
}

/** [from, to) minus the given sorted, disjoint intervals inside it: the parts still to read from buckets. */
export function uncovered(from: Date, to: Date, covered: ReadonlyArray<{ start: Date; end: Date }>) {
  const parts: Array<{ start: Date; end: Date }> = [];
  let cursor = from;
  for (const interval of covered) {
    if (interval.start > cursor) parts.push({ start: cursor, end: interval.start });
    if (interval.end > cursor) cursor = interval.end;
  }
  if (cursor < to) parts.push({ start: cursor, end: to });
  return parts;
}
