/**
 * Wall-clock arithmetic in IANA time zones with Intl only (DST-aware, no dependency).
 */
export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday ... 6 = Saturday. */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

function formatter(zone: string): Intl.DateTimeFormat {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(zone, format);
  }
  return format;
}

/** Zones that are UTC under another name: their wall clock is the Date's own UTC fields. */
const UTC_ZONES = new Set(['UTC', 'Etc/UTC']);
/**
 * Recent answers of {@link localParts}: rating asks for the same instants again and again (period
 * and day edges of every subscription in a zone), and `formatToParts` is the dearest call of a rating.
 */
const partsCache = new Map<string, LocalParts>();
const PARTS_CACHE_SIZE = 20_000;

/** The wall-clock fields of an instant in a zone. */
export function localParts(instant: Date, zone: string): LocalParts {
  if (UTC_ZONES.has(zone))
    return {
      year: instant.getUTCFullYear(),
      month: instant.getUTCMonth() + 1,
      day: instant.getUTCDate(),
      hour: instant.getUTCHours(),
      minute: instant.getUTCMinutes(),
      second: instant.getUTCSeconds(),
      weekday: instant.getUTCDay(),
    };
  const key = `${zone}\u0000${instant.getTime()}`;
  const cached = partsCache.get(key);
  if (cached) return { ...cached };
  const parts = intlParts(instant, zone);
  if (partsCache.size >= PARTS_CACHE_SIZE) partsCache.clear();
  partsCache.set(key, parts);
  return { ...parts };
}

/** The wall-clock fields as Intl formats them (any IANA zone). */
export function intlParts(instant: Date, zone: string): LocalParts {
  const parts: Record<string, string> = {};
  for (const part of formatter(zone).formatToParts(instant)) parts[part.type] = part.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: WEEKDAYS[parts.weekday ?? 'Sun'] ?? 0,
  };
}

/** Offset of the zone from UTC at an instant, in minutes (Berlin in winter: 60). */
export function offsetMinutes(instant: Date, zone: string): number {
  const p = localParts(instant, zone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/**
 * The instant a wall-clock time happens in a zone. In a DST gap (the clock jumps) the time after the
 * gap is taken; in an overlap (the clock repeats) the earlier instant.
 */
export function zonedInstant(
  wall: { year: number; month: number; day: number; hour?: number; minute?: number },
  zone: string,
): Date {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour ?? 0, wall.minute ?? 0);
  const before = offsetMinutes(new Date(asUtc - 86_400_000), zone);
  const after = offsetMinutes(new Date(asUtc + 86_400_000), zone);
  const candidates = [...new Set([before, after])].map((offset) => asUtc - offset * 60_000);
  const exact = candidates.filter((t) => {
    const p = localParts(new Date(t), zone);
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) === asUtc;
  });
  if (exact.length > 0) return new Date(Math.min(...exact));
  // In a gap: the wall time does not exist; move forward by the jump.
  return new Date(asUtc - Math.min(before, after) * 60_000);
}

/** Start of the local day that contains the instant. */
export function startOfLocalDay(instant: Date, zone: string): Date {
  const p = localParts(instant, zone);
  return zonedInstant({ year: p.year, month: p.month, day: p.day }, zone);
}

/** Adds whole local days to a local date (calendar arithmetic, no time zone). */
export function addDays(date: { year: number; month: number; day: number }, days: number) {
  const t = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}
