import { Decimal, ZERO } from '../decimal.js';
import { addDays, localParts, startOfLocalDay, zonedInstant } from '../time/zone.js';
import { BUCKET_MS, parseBucketKey } from './buckets.js';
import type { WeightedPer } from './meter.js';
import type { CounterRow, Granularity, SeriesPoint } from './usage-series.js';

/** Decimal places of a weighted_sum quantity; rounded half-even (banker's rounding). */
export const WEIGHTED_DECIMAL_PLACES = 12;

const HOUR_MS = 3_600_000;

/** The level of one dimension set at the start of the range (what the counters before `from` add up to). */
export interface StartLevel {
  dimensions: Record<string, string>;
  level: Decimal;
}

export interface WeightedSeriesOptions {
  from: Date;
  to: Date;
  granularity: Granularity;
  timeZone: string;
  groupBy?: string;
  per: WeightedPer;
  startLevels: ReadonlyArray<StartLevel>;
}

/**
 * A counter row whose interval crosses a boundary the series must cut at (a slot, a local day for
 * `per: 'day'`, or the range itself): the integral on either side of the cut cannot be known from it.
 * Ask for finer rows (15-minute buckets) around such boundaries.
 */
export class RowStraddlesBoundaryError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RowStraddlesBoundaryError';
  }
}

interface Interval {
  start: number;
  end: number;
}

/** Start of the local hour (in the zone) that holds the instant. */
function startOfLocalHour(time: number, zone: string): number {
  const p = localParts(new Date(time), zone);
  return time - p.minute * 60_000 - p.second * 1000 - (((time % 1000) + 1000) % 1000);
}

/** The whole local days (in the zone) that overlap [from, to), unclipped. */
export function localDays(from: number, to: number, zone: string): Interval[] {
  const days: Interval[] = [];
  let start = startOfLocalDay(new Date(from), zone).getTime();
  while (start < to) {
    const end = zonedInstant(addDays(localParts(new Date(start), zone), 1), zone).getTime();
    days.push({ start, end });
    start = end;
  }
  return days;
}

/** The whole local hours (in the zone) that overlap [from, to), unclipped. */
function localHours(from: number, to: number, zone: string): Interval[] {
  const hours: Interval[] = [];
  let start = startOfLocalHour(from, zone);
  while (start < to) {
    // An hour is one hour long, but for a zone whose offset moves by half an hour.
    const end = startOfLocalHour(start + HOUR_MS, zone);
    hours.push({ start, end });
    start = end;
  }
  return hours;
}

const clip = (interval: Interval, from: number, to: number): Interval => ({
  start: Math.max(interval.start, from),
  end: Math.min(interval.end, to),
});

/** The interval a row covers: its span, else its 15-minute bucket. */
function rowInterval(row: CounterRow): Interval {
  if (row.span) return { start: row.span.start.getTime(), end: row.span.end.getTime() };
  const start = parseBucketKey(row.bucket).getTime();
  return { start, end: start + BUCKET_MS };
}

/** The dimensions a row or start level counts under: the `groupBy` value, or one group when absent. */
function groupDimensions(dimensions: Record<string, string>, groupBy: string | undefined): Record<string, string> {
  const dims: Record<string, string> = {};
  if (groupBy !== undefined && dimensions[groupBy] !== undefined) dims[groupBy] = dimensions[groupBy];
  return dims;
}

/** A stretch of the range inside one slot and (for `per: 'day'`) one local day. */
interface Piece extends Interval {
  slot: number;
  /** Length of the whole local day the piece lies in (ms); for `per: 'day'` only. */
  dayLength: number;
}

interface Group {
  dimensions: Record<string, string>;
  startLevel: Decimal;
  /** Rows per piece index. */
  rows: Map<number, CounterRow[]>;
}

/**
 * The series of a weighted_sum meter: per slot (local hour or day in `timeZone`, or the whole range,
 * clipped to [from, to)) and per value of `groupBy` (one group when absent), the level integrated over
 * the slot as `per` says:
 *
 * - `period`: the time-weighted average level over the slot (integral ÷ slot length),
 * - `hour`: the integral in level-hours (GB-hours),
 * - `day`: Σ over the local days d overlapping the slot of (integral over d ∩ slot) ÷ (length of d):
 *   a seat held for a whole 23- or 25-hour day is one seat-day.
 *
 * The level starts at the group's start level (the sum of the `startLevels` of the dimension sets in
 * the group) and carries from slot to slot in time order. Over a stretch [a, b) it is
 * L(a)·(b − a) + Σ over the rows in [a, b) of (sum·(b − row start) − weighted), exactly.
 *
 * Rows entirely before `from` or from `to` on are left out (the start level holds the former). A row
 * that crosses `from`, `to`, a slot edge or (for `per: 'day'`) a local midnight throws
 * `RowStraddlesBoundaryError`: 15-minute rows never do, a span row of one local day does only under
 * `granularity: 'hour'` or in another zone.
 *
 * Points: for `hour` and `day`, one per slot and group in which the group has rows or starts at a
 * non-zero level (a slot at level zero without rows is left out, as the other kinds leave out slots
 * without counters); for `total`, one per group with rows or a non-zero start level, and a single
 * zero point when there is none. Values are rounded to 12 decimal places, half-even; `events` is the
 * sum of the rows' counts. Sorted by start, then dimensions.
 */
export function weightedSeries(rows: readonly CounterRow[], options: WeightedSeriesOptions): SeriesPoint[] {
  const from = options.from.getTime();
  const to = options.to.getTime();
  const zone = options.timeZone;

  let slots: Interval[];
  if (options.granularity === 'total') slots = [{ start: from, end: Math.max(from, to) }];
  else
    slots = (options.granularity === 'hour' ? localHours(from, to, zone) : localDays(from, to, zone)).map((slot) =>
      clip(slot, from, to),
    );

  const days = options.per === 'day' ? localDays(from, to, zone) : [];
  const pieces = cutIntoPieces(slots, days, from, to);

  const groups = new Map<string, Group>();
  const groupOf = (dimensions: Record<string, string>): Group => {
    const dims = groupDimensions(dimensions, options.groupBy);
    const id = JSON.stringify(dims);
    let group = groups.get(id);
    if (!group) {
      group = { dimensions: dims, startLevel: ZERO, rows: new Map() };
      groups.set(id, group);
    }
    return group;
  };
  for (const { dimensions, level } of options.startLevels) {
    const group = groupOf(dimensions);
    group.startLevel = group.startLevel.plus(level);
  }
  for (const row of rows) {
    const interval = rowInterval(row);
    if (interval.end <= from || interval.start >= to) continue;
    const index = pieceOf(pieces, interval.start);
    const piece = index === undefined ? undefined : pieces[index];
    if (index === undefined || !piece || interval.end > piece.end) {
      throw new RowStraddlesBoundaryError(
        `the counter row of ${new Date(interval.start).toISOString()} to ${new Date(interval.end).toISOString()} ` +
          `crosses an edge of the range, a slot or a local day in ${zone}; read 15-minute rows there`,
      );
    }
    const group = groupOf(row.dimensions);
    const list = group.rows.get(index);
    if (list) list.push(row);
    else group.rows.set(index, [row]);
  }

  const points: SeriesPoint[] = [];
  for (const group of groups.values()) {
    const totals = slots.map(() => ({ quantity: ZERO, events: 0, touched: false }));
    let level = group.startLevel;
    pieces.forEach((piece, index) => {
      const total = totals[piece.slot]!;
      const pieceRows = group.rows.get(index) ?? [];
      if (pieceRows.length > 0 || !level.isZero()) total.touched = true;
      let integral = level.times(piece.end - piece.start);
      for (const row of pieceRows) {
        const rowStart = rowInterval(row).start;
        integral = integral.plus(row.sum.times(piece.end - rowStart)).minus(row.weighted);
        level = level.plus(row.sum);
        total.events += row.count;
      }
      // per period and hour divide the slot's whole integral at the end; per day divides each day's part.
      total.quantity = total.quantity.plus(options.per === 'day' ? integral.div(piece.dayLength) : integral);
    });
    if (options.granularity === 'total' && pieces.length === 0) {
      // An empty range: no time to integrate over; the group still shows when it has a level.
      if (!group.startLevel.isZero()) totals[0]!.touched = true;
    }
    totals.forEach((total, slot) => {
      if (!total.touched) return;
      const { start, end } = slots[slot]!;
      points.push({
        start: new Date(start),
        end: new Date(end),
        value: quantityOf(total.quantity, options.per, end - start),
        events: total.events,
        dimensions: group.dimensions,
      });
    });
  }
  if (options.granularity === 'total' && points.length === 0) {
    points.push({ start: options.from, end: options.to, value: new Decimal(0), events: 0, dimensions: {} });
  }
  return points.sort(
    (a, b) =>
      a.start.getTime() - b.start.getTime() || JSON.stringify(a.dimensions).localeCompare(JSON.stringify(b.dimensions)),
  );
}

/** The rounded quantity of a slot from its integral (ms; for per day already in days). */
function quantityOf(accumulated: Decimal, per: WeightedPer, slotLength: number): Decimal {
  let quantity: Decimal;
  switch (per) {
    case 'period':
      quantity = slotLength > 0 ? accumulated.div(slotLength) : ZERO;
      break;
    case 'hour':
      quantity = accumulated.div(HOUR_MS);
      break;
    case 'day':
      quantity = accumulated;
      break;
    default: {
      const unreachable: never = per;
      throw new Error(`unknown per ${JSON.stringify(unreachable)}`);
    }
  }
  const rounded = quantity.toDecimalPlaces(WEIGHTED_DECIMAL_PLACES, Decimal.ROUND_HALF_EVEN);
  // -0 is 0.
  return rounded.isZero() ? new Decimal(0) : rounded;
}

/** Cuts [from, to) at every slot edge and local midnight; each piece knows its slot and its day's length. */
function cutIntoPieces(slots: readonly Interval[], days: readonly Interval[], from: number, to: number): Piece[] {
  const edges = new Set<number>();
  for (const slot of slots) edges.add(slot.start).add(slot.end);
  for (const day of days) for (const edge of [day.start, day.end]) if (edge > from && edge < to) edges.add(edge);
  const sorted = [...edges].filter((edge) => edge >= from && edge <= to).sort((a, b) => a - b);
  const pieces: Piece[] = [];
  let slot = 0;
  let day = 0;
  for (let i = 0; i + 1 < sorted.length; i++) {
    const start = sorted[i]!;
    const end = sorted[i + 1]!;
    while (slot + 1 < slots.length && slots[slot]!.end <= start) slot++;
    while (day + 1 < days.length && days[day]!.end <= start) day++;
    const d = days[day];
    pieces.push({ start, end, slot, dayLength: d ? d.end - d.start : 0 });
  }
  return pieces;
}

/** Index of the piece that holds the instant (binary search), or undefined outside them. */
function pieceOf(pieces: readonly Piece[], time: number): number | undefined {
  let low = 0;
  let high = pieces.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const piece = pieces[middle]!;
    if (time < piece.start) high = middle - 1;
    else if (time >= piece.end) low = middle + 1;
    else return middle;
  }
  return undefined;
}
