import { Decimal } from './decimal.js';

/**
 * ISO 4217 minor units (digits after the decimal point) of the currencies we bill in.
 * Source: the ISO 4217 list maintained by SIX (table A.1). A currency missing here is rejected rather
 * than guessed, because a wrong exponent silently bills 100× too much or too little.
 */
const MINOR_UNITS: Readonly<Record<string, number>> = Object.freeze({
  // 2 digits
  AED: 2,
  ARS: 2,
  AUD: 2,
  BGN: 2,
  BRL: 2,
  CAD: 2,
  CHF: 2,
  CNY: 2,
  COP: 2,
  CZK: 2,
  DKK: 2,
  EGP: 2,
  EUR: 2,
  GBP: 2,
  HKD: 2,
  HUF: 2,
  IDR: 2,
  ILS: 2,
  INR: 2,
  MAD: 2,
  MXN: 2,
  MYR: 2,
  NGN: 2,
  NOK: 2,
  NZD: 2,
  PEN: 2,
  PHP: 2,
  PKR: 2,
  PLN: 2,
  RON: 2,
  RSD: 2,
  SAR: 2,
  SEK: 2,
  SGD: 2,
  THB: 2,
  TRY: 2,
  TWD: 2,
  UAH: 2,
  USD: 2,
  ZAR: 2,
  // 0 digits
  CLP: 0,
  ISK: 0,
  JPY: 0,
  KRW: 0,
  PYG: 0,
  UGX: 0,
  VND: 0,
  XAF: 0,
  XOF: 0,
  // 3 digits
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
});

/** Currency codes (upper case ISO 4217) that {@link minorUnits} knows, sorted. */
export const SUPPORTED_CURRENCIES: readonly string[] = Object.freeze(Object.keys(MINOR_UNITS).sort());

/**
 * How an amount is rounded to the currency's minor unit.
 * `half_up`: ties away from zero (commercial rounding, the default); `half_even`: ties to the even
 * digit (banker's rounding); `up`: always away from zero; `down`: always toward zero (truncation).
 */
export const ROUNDING_MODES = Object.freeze(['half_up', 'half_even', 'up', 'down'] as const);
export type RoundingMode = (typeof ROUNDING_MODES)[number];

export const DEFAULT_ROUNDING_MODE: RoundingMode = 'half_up';

type DecimalRounding = Parameters<Decimal['toDecimalPlaces']>[1];

const DECIMAL_ROUNDING: Readonly<Record<RoundingMode, DecimalRounding>> = Object.freeze({
  half_up: Decimal.ROUND_HALF_UP,
  half_even: Decimal.ROUND_HALF_EVEN,
  up: Decimal.ROUND_UP,
  down: Decimal.ROUND_DOWN,
});

export class UnknownCurrencyError extends Error {
  readonly currency: string;
  constructor(currency: string, options?: ErrorOptions) {
    super(`unknown currency ${JSON.stringify(currency)}; supported: ${SUPPORTED_CURRENCIES.join(', ')}`, options);
    this.name = 'UnknownCurrencyError';
    this.currency = currency;
  }
}

export function isKnownCurrency(code: string): boolean {
  return Object.hasOwn(MINOR_UNITS, code);
}

/** Digits after the decimal point of `code` (JPY 0, EUR 2, BHD 3). Throws {@link UnknownCurrencyError}. */
export function minorUnits(code: string): number {
  const digits = isKnownCurrency(code) ? MINOR_UNITS[code] : undefined;
  if (digits === undefined) throw new UnknownCurrencyError(code);
  return digits;
}

/** Rounds an exact amount to the currency's minor unit. Never returns negative zero. */
export function roundMoney(amount: Decimal, currency: string, mode: RoundingMode = DEFAULT_ROUNDING_MODE): Decimal {
  const rounded = amount.toDecimalPlaces(minorUnits(currency), DECIMAL_ROUNDING[mode]);
  return rounded.isZero() ? new Decimal(0) : rounded;
}

/**
 * The amount rounded to the currency's minor unit, as a plain decimal string with exactly that many
 * digits: "51.23" (USD), "5" (JPY), "1.235" (BHD). Wire and invoice form of money.
 */
export function formatAmount(amount: Decimal, currency: string, mode: RoundingMode = DEFAULT_ROUNDING_MODE): string {
  return roundMoney(amount, currency, mode).toFixed(minorUnits(currency));
}

/** The exact value as a plain decimal string: no exponent, no trailing zeros ("51.2345", "0", "1000"). */
export function formatDecimal(value: Decimal): string {
  return value.isZero() ? '0' : value.toFixed();
}

/**
 * Splits `total` (already rounded to the currency's minor unit, ≥ 0) over `weights` (≥ 0) in proportion,
 * in whole minor units, so the shares add up to `total` exactly: each share is rounded down, and the
 * units left go one each to the largest remainders (ties to the earlier weight). All-zero weights
 * split nothing: every share is 0 and `total` must be 0.
 */
export function allocate(total: Decimal, weights: readonly Decimal[], currency: string): Decimal[] {
  const unit = new Decimal(10).pow(-minorUnits(currency));
  const units = total.div(unit);
  const weightSum = weights.reduce((acc, w) => acc.plus(w), new Decimal(0));
  if (weightSum.isZero()) {
    if (!units.isZero()) throw new RangeError('cannot allocate a non-zero amount over zero weights');
    return weights.map(() => new Decimal(0));
  }
  const exact = weights.map((w) => units.times(w).div(weightSum));
  const floors = exact.map((e) => e.floor());
  let left = units.minus(floors.reduce((acc, f) => acc.plus(f), new Decimal(0))).toNumber();
  const order = exact
    .map((e, index) => ({ index, remainder: e.minus(floors[index] ?? 0) }))
    .sort((a, b) => b.remainder.comparedTo(a.remainder) || a.index - b.index);
  for (const { index } of order) {
    if (left <= 0) break;
    floors[index] = (floors[index] ?? new Decimal(0)).plus(1);
    left -= 1;
  }
  return floors.map((f) => f.times(unit));
}
