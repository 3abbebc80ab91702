/**
 * Display formatting. Amounts and quantities arrive as exact decimal strings and are handed to
 * Intl.NumberFormat AS STRINGS (ES2023 Intl.NumberFormat v3 formats a decimal string exactly): they
 * never pass through a JS float on their way to the screen. Floats are used only for chart geometry.
 */
const locale = () => navigator.language || 'en-US';
const cache = new Map<string, Intl.NumberFormat>();

function formatter(key: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const format = cache.get(key) ?? new Intl.NumberFormat(locale(), options);
  cache.set(key, format);
  return format;
}

type Decimalish = `${number}` | string;

/** "1234.5", "EUR" → "€1,234.50" (the currency's own minor digits; more if the value has more). */
export function money(amount: Decimalish, currency: string): string {
  const digits = fractionDigits(amount);
  const base =
    formatter(`cur:${currency}`, { style: 'currency', currency }).resolvedOptions().minimumFractionDigits ?? 2;
  return formatter(`cur:${currency}:${Math.max(base, digits)}`, {
    style: 'currency',
    currency,
    minimumFractionDigits: base,
    maximumFractionDigits: Math.max(base, Math.min(digits, 20)),
  }).format(amount as Intl.StringNumericLiteral);
}

/** A quantity, exact: every digit the API sent, grouped for reading. */
export function quantity(value: Decimalish): string {
  return formatter('qty', { maximumFractionDigits: 20 }).format(value as Intl.StringNumericLiteral);
}

export function integer(value: number): string {
  return formatter('int', { maximumFractionDigits: 0 }).format(value);
}

function fractionDigits(value: string): number {
  const dot = value.indexOf('.');
  return dot < 0 ? 0 : value.length - dot - 1;
}

/** For chart geometry only: never displayed. */
export const plotNumber = (value: string): number => Number(value);

/** A local date (yyyy-mm-dd) as it is, or an instant in `timeZone` (the customer's; default the browser's). */
export function date(iso: string, options: { time?: boolean; timeZone?: string } = {}): string {
  const localDate = iso.length === 10;
  return new Intl.DateTimeFormat(locale(), {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    ...(options.time ? { hour: '2-digit', minute: '2-digit', timeZoneName: 'short' } : {}),
    timeZone: localDate ? 'UTC' : options.timeZone,
  }).format(new Date(localDate ? `${iso}T00:00:00Z` : iso));
}

/** A service period [start, end) as first and last day in the customer's time zone. */
export function period(start: string, end: string, timeZone?: string): string {
  const last = new Date(Date.parse(end) - 1).toISOString();
  return `${date(start, { timeZone })} – ${date(last, { timeZone })}`;
}

export function monthLabel(yyyyMm: string): string {
  const d = new Date(`${yyyyMm}-01T00:00:00Z`);
  const month = new Intl.DateTimeFormat(locale(), { month: 'short', timeZone: 'UTC' }).format(d);
  return `${month} ’${yyyyMm.slice(2, 4)}`;
}
