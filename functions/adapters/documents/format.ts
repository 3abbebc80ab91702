import { Decimal } from '../../domain/decimal.js';
import type { Party } from '../../domain/invoice.js';
import { minorUnits } from '../../domain/money.js';
import { isLanguage, type Language, type Messages, messagesFor } from './messages.js';

export { LANGUAGES, type Language, type Messages } from './messages.js';

/**
 * Locale-aware formatting of the values printed on invoice documents, through Intl only.
 * Amounts stay decimal strings until the very end: Intl.NumberFormat formats a decimal string
 * exactly (ES2023 "Intl mathematical values"), so no digit is lost to binary floating point.
 */

export class DocumentFormatError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DocumentFormatError';
  }
}

/** The document's language (message catalogue) and the Intl locale its values are formatted in. */
export interface DocumentLocale {
  /** Intl locale: the requested one when its language has a catalogue ("de-AT"), else "en". */
  locale: string;
  language: Language;
}

const FALLBACK: DocumentLocale = Object.freeze({ locale: 'en', language: 'en' });
const resolvedLocales = new Map<string, DocumentLocale>();

/**
 * "de-AT" → { locale: "de-AT", language: "de" }; "fr", "xx", "" or a malformed tag → English.
 * A locale whose language has no catalogue falls back entirely to "en", so labels and numbers never
 * mix two languages.
 */
export function resolveLocale(requested: string): DocumentLocale {
  const cached = resolvedLocales.get(requested);
  if (cached !== undefined) return cached;
  let resolved = FALLBACK;
  try {
    const canonical = Intl.getCanonicalLocales(requested)[0];
    const language = canonical?.split('-')[0]?.toLowerCase();
    if (canonical !== undefined && isLanguage(language)) {
      resolved = { locale: Intl.NumberFormat.supportedLocalesOf(canonical)[0] ?? language, language };
    }
  } catch {
    resolved = FALLBACK;
  }
  resolvedLocales.set(requested, resolved);
  return resolved;
}

/** The message catalogue for a locale ("de-AT" → German, unknown → English). */
export function messages(locale: string): Messages {
  return messagesFor(resolveLocale(locale).language);
}

const DECIMAL_PATTERN = /^[+-]?\d+(?:\.\d+)?$/;
const MAX_FRACTION_DIGITS = 20;

type NumericString = Intl.StringNumericLiteral;

function requireDecimal(value: string, what: string): NumericString {
  if (!DECIMAL_PATTERN.test(value))
    throw new DocumentFormatError(`${what} must be a decimal string, got ${JSON.stringify(value)}`);
  return value as NumericString;
}

function fractionDigits(value: string): number {
  const point = value.indexOf('.');
  return point === -1 ? 0 : value.length - point - 1;
}

const numberFormats = new Map<string, Intl.NumberFormat>();

function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = numberFormats.get(key);
  if (format === undefined) {
    format = new Intl.NumberFormat(locale, options);
    numberFormats.set(key, format);
  }
  return format;
}

/**
 * "1234.56" EUR de → "1.234,56 €"; "1234.56" USD en → "$1,234.56"; "1234" JPY en → "¥1,234".
 * At least the currency's minor unit digits are shown, and every digit of the string is kept (a unit
 * price "0.0015" stays "0,0015 €"): nothing is rounded here. Separators may be no-break spaces.
 * Throws DocumentFormatError for a non-decimal string and UnknownCurrencyError for an unknown currency.
 */
export function formatMoney(amount: string, currency: string, locale: string): string {
  const value = requireDecimal(amount, 'amount');
  const minimum = minorUnits(currency);
  const maximum = Math.min(MAX_FRACTION_DIGITS, Math.max(minimum, fractionDigits(value)));
  const options: Intl.NumberFormatOptions = {
    style: 'currency',
    currency,
    minimumFractionDigits: minimum,
    maximumFractionDigits: maximum,
  };
  return numberFormat(resolveLocale(locale).locale, options).format(value);
}

/** "1234567.125" de → "1.234.567,125": grouped, every fraction digit kept (up to 20). */
export function formatQuantity(quantity: string, locale: string): string {
  const value = requireDecimal(quantity, 'quantity');
  const options: Intl.NumberFormatOptions = { maximumFractionDigits: MAX_FRACTION_DIGITS };
  return numberFormat(resolveLocale(locale).locale, options).format(value);
}

/** A percent given in percent ("19", "2.5"): "19 %" (de), "2.5%" (en). */
export function formatPercent(percent: string, locale: string): string {
  const value = requireDecimal(percent, 'percent');
  const fraction = new Decimal(value).dividedBy(100).toFixed() as NumericString;
  const options: Intl.NumberFormatOptions = { style: 'percent', maximumFractionDigits: MAX_FRACTION_DIGITS };
  return numberFormat(resolveLocale(locale).locale, options).format(fraction);
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function dateFormat(locale: string, timeZone: string): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}`;
  let format = dateFormats.get(key);
  if (format === undefined) {
    try {
      format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone });
    } catch (error) {
      throw new DocumentFormatError(`unknown time zone ${JSON.stringify(timeZone)}`, { cause: error });
    }
    dateFormats.set(key, format);
  }
  return format;
}

/** A calendar date as the UTC midnight that starts it, to be formatted in UTC. */
function calendarDate(value: string): Date | undefined {
  const match = DATE_ONLY.exec(value);
  if (match === null) return undefined;
  const [, year, month, day] = match;
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (date.toISOString().slice(0, 10) !== value) throw new DocumentFormatError(`invalid date ${JSON.stringify(value)}`);
  return date;
}

function instant(value: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new DocumentFormatError(`invalid date or instant ${JSON.stringify(value)}`);
  return date;
}

function formatDay(date: Date, isCalendarDate: boolean, locale: string, timeZone: string): string {
  return dateFormat(resolveLocale(locale).locale, isCalendarDate ? 'UTC' : timeZone).format(date);
}

/**
 * A date in the document's locale: "01.11.2026" (de), "Nov 1, 2026" (en).
 * A calendar date "YYYY-MM-DD" is printed as is (it already is local to the customer); an ISO instant
 * is printed as the day it falls on in `timeZone`.
 */
export function formatDate(value: string, locale: string, timeZone: string): string {
  const date = calendarDate(value);
  return date === undefined
    ? formatDay(instant(value), false, locale, timeZone)
    : formatDay(date, true, locale, timeZone);
}

/**
 * A service period [start, end) as first and last day included: ["2026-11-01T00:00+01:00",
 * "2026-12-01T00:00+01:00") in Europe/Berlin → "01.11.2026 – 30.11.2026". The end is exclusive: an end
 * at local midnight does not include that day. Accepts instants or calendar dates for both ends.
 */
export function formatPeriod(start: string, end: string, locale: string, timeZone: string): string {
  const startDate = calendarDate(start);
  const endDate = calendarDate(end);
  const first = startDate ?? instant(start);
  const exclusiveEnd = endDate ?? instant(end);
  // The last day included is the day of the last instant before the exclusive end.
  const lastIncluded = new Date(exclusiveEnd.getTime() - (endDate === undefined ? 1 : DAY_MS));
  const firstText = formatDay(first, startDate !== undefined, locale, timeZone);
  if (lastIncluded.getTime() < first.getTime()) return firstText;
  const lastText = formatDay(lastIncluded, endDate !== undefined, locale, timeZone);
  return firstText === lastText ? firstText : `${firstText} – ${lastText}`;
}

/** Countries whose postal addresses put the postal code after city and state ("Austin, TX 78701"). */
const CITY_FIRST = new Set(['US', 'CA', 'AU']);
const regionNames = new Map<string, Intl.DisplayNames>();

/** The name of an ISO 3166-1 alpha-2 country in the document's language ("DE" → "Deutschland"). */
export function formatCountry(country: string, locale: string): string {
  const { locale: resolved } = resolveLocale(locale);
  let names = regionNames.get(resolved);
  if (names === undefined) {
    names = new Intl.DisplayNames(resolved, { type: 'region', fallback: 'code' });
    regionNames.set(resolved, names);
  }
  try {
    return names.of(country.toUpperCase()) ?? country;
  } catch {
    return country;
  }
}

/** A postal address as printed lines, the country written out in the document's language. */
export function formatAddress(address: NonNullable<Party['address']>, locale: string): string[] {
  const lines = [address.line1];
  if (address.line2 !== undefined && address.line2 !== '') lines.push(address.line2);
  const postalCode = address.postalCode ?? '';
  const state = address.state ?? '';
  const cityLine = CITY_FIRST.has(address.country.toUpperCase())
    ? `${address.city}${state === '' ? '' : `, ${state}`} ${postalCode}`
    : `${postalCode} ${address.city}${state === '' ? '' : `, ${state}`}`;
  lines.push(cityLine.trim(), formatCountry(address.country, locale));
  return lines;
}
