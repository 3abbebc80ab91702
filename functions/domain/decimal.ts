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
export type DecimalValue = DecimalJs.Value;

export const ZERO = new Decimal(0);

/** Sum of decimals; 0 for an empty list. */
export function sum(values: Iterable<Decimal>): Decimal {
  let total = ZERO;
  for (const value of values) total = total.plus(value);
  return total;
}
