import { addDays, localParts, zonedInstant } from '../time/zone.js';

export type Interval = 'day' | 'week' | 'month' | 'year';

export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

export interface PeriodGrid {
  /** Local date the periods are anchored on (its day of month is kept: 31 → Feb 28/29 → Mar 31). */
  anchor: LocalDate;
  interval: Interval;
  intervalCount: number;
  timeZone: string;
}

export interface Period {
  start: Date;
  end: Date;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The local date of grid boundary k (k may be negative). Month ends clamp to the anchor's day. */
export function boundaryDate(grid: PeriodGrid, k: number): LocalDate {
  const { anchor, interval, intervalCount } = grid;
  switch (interval) {
    case 'day':
      return addDays(anchor, k * intervalCount);
    case 'week':
      return addDays(anchor, 7 * k * intervalCount);
    case 'month':
    case 'year': {
      const months = (interval === 'year' ? 12 : 1) * k * intervalCount;
      const index = anchor.year * 12 + (anchor.month - 1) + months;
      const year = Math.floor(index / 12);
      const month = (index % 12) + 1;
      return { year, month, day: Math.min(anchor.day, daysInMonth(year, month)) };
    }
  }
}

/** Boundary k as an instant: local midnight of its date in the grid's time zone. */
export function boundary(grid: PeriodGrid, k: number): Date {
  return zonedInstant(boundaryDate(grid, k), grid.timeZone);
}

/** The regular period of the grid that contains `instant`. */
export function gridPeriodContaining(grid: PeriodGrid, instant: Date): Period & { index: number } {
  // Estimate k from the average length, then walk to the exact period.
  const approxDays = { day: 1, week: 7, month: 30.436875, year: 365.2425 }[grid.interval] * grid.intervalCount;
  const origin = boundary(grid, 0);
  let k = Math.floor((instant.getTime() - origin.getTime()) / (approxDays * 86_400_000));
  while (boundary(grid, k) > instant) k -= 1;
  while (boundary(grid, k + 1) <= instant) k += 1;
  return { index: k, start: boundary(grid, k), end: boundary(grid, k + 1) };
}

export function localDateOf(instant: Date, timeZone: string): LocalDate {
  const p = localParts(instant, timeZone);
  return { year: p.year, month: p.month, day: p.day };
}

export function formatLocalDate(date: LocalDate): string {
  return `${String(date.year).padStart(4, '0')}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}
