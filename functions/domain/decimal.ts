import { Decimal as DecimalJs } from 'decimal.js';

/**
 * The one Decimal constructor of the project. decimal.js defaults to 20 significant digits, which is
 * too few for money × large quantities; 60 digits keeps every sum and product of our inputs exact,
 * and `toString()` never switches to exponent notation inside that range.
 * Import `Decimal` from here, never from 'decimal.js' directly.
 */
export const Decimal = DecimalJs.clone({
  precision: 60,
  rounding: DecimalJs.ROUND_HALF_UP,
  toExpNeg: -60,
  toExpPos: 60,
});
export type Decimal = DecimalJs;
export const ZERO = new Decimal(0);

/** Sum of decimals; 0 for an empty list. */
export function sum(values: Iterable<Decimal>): Decimal {
  let total = ZERO;
  for (const value of values) total = total.plus(value);
  return total;
}

/**
 * The range every decimal the API takes must lie in (meter values, prices, quantities, amounts):
 * below 10^20 in magnitude, with at most 12 digits after the point. Inputs are checked against it
 * before any arithmetic, so no request can ask for a number with millions of digits; and a counter
 * adding up to a million such values stays within DynamoDB's 38 significant digits.
 */
export const DECIMAL_RANGE = Object.freeze({ maxIntegerDigits: 20, maxFractionDigits: 12 });

/** Why `value` lies outside {@link DECIMAL_RANGE} (a message naming the limit), or undefined when it fits. */
export function outOfRange(value: Decimal): string | undefined {
  if (!value.isFinite()) return 'must be a finite decimal';
  if (value.isZero()) return undefined;
  // e is the exponent of the most significant digit: 1234.5 → 3, 0.001 → -3.
  if (value.e >= DECIMAL_RANGE.maxIntegerDigits) {
    return `is too large: the limit is ${DECIMAL_RANGE.maxIntegerDigits} digits before the decimal point`;
  }
  if (value.decimalPlaces() > DECIMAL_RANGE.maxFractionDigits) {
    return `has too many decimal places: the limit is ${DECIMAL_RANGE.maxFractionDigits}`;
  }
  return undefined;
}
