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

/**
 * What one rollup covers: a whole local day (`key` = its date), or, in a day not over yet, one hour
 * of it (`key` = "<date>#<bucket key of the hour's start>", sorting right after the day's own key).
 */
export interface RollupSpan {
  key: string;
  start: Date;
  end: Date;
  /** The local day the span is part of. */
  day: LocalDay;
}

const HOUR_MS = 3_600_000;

/**
 * The rollup spans of [from, to) in a zone that ended by `settled`: each local day wholly inside the
 * range that is over by then; of the other days (not over yet, or cut by the range), the hours
 * wholly inside the range that are (hours counted from the day's start: local hours, also in zones
 * 30 or 45 minutes off the hour).
 */
export function rollupSpans(from: Date, to: Date, zone: string, settled: Date): RollupSpan[] {
  const spans: RollupSpan[] = [];
  for (const day of localDaysOverlapping(from, to, zone)) {
    if (day.start >= from && day.end <= to && day.end <= settled) {
      spans.push({ key: day.date, start: day.start, end: day.end, day });
      continue;
    }
    const last = Math.min(day.end.getTime(), to.getTime(), settled.getTime());
    for (let start = day.start.getTime(); start + HOUR_MS <= last; start += HOUR_MS) {
      if (start < from.getTime()) continue;
      const hour = new Date(start);
      spans.push({
        key: `${day.date}#${hour.toISOString().slice(0, 16)}Z`,
        start: hour,
        end: new Date(start + HOUR_MS),
        day,
      });
    }
  }
  return spans;
}

/** The local days of `zone` that overlap [from, to), in order. */
function localDaysOverlapping(from: Date, to: Date, zone: string): LocalDay[] {
  const days: LocalDay[] = [];
  for (let start = startOfLocalDay(from, zone); start < to; ) {
    const p = localParts(start, zone);
    const end = zonedInstant(addDays(p, 1), zone);
    days.push({ date: isoDate(p), start, end });
    start = end;
  }
  return days;
}

/** Rollups cover only spans that ended at least this long ago (live events never count as late). */
export const ROLLUP_SETTLE_MS = 3_600_000;

const isoDate = (d: { year: number; month: number; day: number }) =>
  `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;

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
