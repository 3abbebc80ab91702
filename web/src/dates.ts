/**
 * Calendar days (yyyy-mm-dd, as <input type="date"> gives them) to instants, in UTC or in a time zone.
 * Instants only: nothing here is displayed (format.ts formats).
 */
const DAY = 86_400_000;

const iso = (t: number) => new Date(t).toISOString().slice(0, 10);

/** "2026-03-31", 1 → "2026-04-01". */
export const addDays = (day: string, days: number): string => iso(Date.parse(`${day}T00:00:00Z`) + days * DAY);

export const isDay = (value: string): boolean =>
  /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));

/** Midnight UTC starting `day`. */
export const utcDayStart = (day: string): Date => new Date(`${day}T00:00:00Z`);

const partsFormats = new Map<string, Intl.DateTimeFormat>();
function wallClock(t: number, timeZone: string): Record<string, number> {
  let format = partsFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partsFormats.set(timeZone, format);
  }
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(new Date(t))) parts[part.type] = Number(part.value);
  return parts;
}

/** The zone's offset from UTC at instant `t`, in milliseconds. */
function offset(t: number, timeZone: string): number {
  const p = wallClock(t, timeZone);
  const asUtc = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  return asUtc - Math.floor(t / 1000) * 1000;
}

/** The instant `day` starts in `timeZone` (its local midnight). */
export function zonedDayStart(day: string, timeZone: string): Date {
  const wall = Date.parse(`${day}T00:00:00Z`);
  const guess = wall - offset(wall, timeZone);
  // Once more with the offset at the guess: right across a DST change.
  return new Date(wall - offset(guess, timeZone));
}

/** Today's date (yyyy-mm-dd) in `timeZone` (default UTC). */
export function today(timeZone = 'UTC', now = Date.now()): string {
  const p = wallClock(now, timeZone);
  return `${String(p.year).padStart(4, '0')}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** An IANA time zone this browser knows ("Europe/Berlin", "UTC"). */
export function isTimeZone(zone: string): boolean {
  if (zone.trim() === '' || zone !== zone.trim()) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The browser's own time zone, or UTC when it names none. */
export function browserTimeZone(): string {
  const zone = new Intl.DateTimeFormat().resolvedOptions().timeZone;
  return zone && isTimeZone(zone) ? zone : 'UTC';
}

const pad = (n: number | undefined, width = 2) => String(n ?? 0).padStart(width, '0');

/** The wall-clock minute of instant `t` in `timeZone`, as <input type="datetime-local"> takes it: "2026-03-03T17:30". */
export function zonedWallTime(t: number, timeZone: string): string {
  const p = wallClock(t, timeZone);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}

const WALL_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?$/;

/** A datetime-local value ("2026-03-03T17:30", seconds optional) that names a real calendar minute. */
export function isWallTime(value: string): boolean {
  const m = WALL_TIME.exec(value);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1).map((part) => Number(part ?? 0));
  const t = Date.UTC(year!, month! - 1, day!, hour!, minute!, second!);
  const d = new Date(t);
  return (
    year! >= 1970 &&
    d.getUTCFullYear() === year &&
    d.getUTCMonth() === month! - 1 &&
    d.getUTCDate() === day &&
    d.getUTCHours() === hour &&
    d.getUTCMinutes() === minute
  );
}

/**
 * The instant a wall-clock time (a datetime-local value) names in `timeZone`. Around a DST change a
 * skipped time is read with the offset in force next to it and a repeated one as one of its two instants.
 */
export function zonedInstant(wallTime: string, timeZone: string): Date {
  const [datePart, timePart = '00:00'] = wallTime.split('T');
  const wall = Date.parse(`${datePart}T${timePart.length === 5 ? `${timePart}:00` : timePart}Z`);
  const guess = wall - offset(wall, timeZone);
  return new Date(wall - offset(guess, timeZone));
}
