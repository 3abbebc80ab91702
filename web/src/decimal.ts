import { Decimal as DecimalJs } from 'decimal.js';

/**
 * Exact arithmetic on the API's decimal strings, for the little the dashboard computes itself (what is
 * left to credit on an invoice line): decimal.js with the API's precision, never a JS float.
 */
const Decimal = DecimalJs.clone({ precision: 60 });

/** Digits after the decimal point as written ("5.00" → 2). */
const places = (text: string) => {
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.trim().length - dot - 1;
};

/** `from` − Σ `parts`, exactly, with as many decimals as the operand that has the most ("5.00" − "3" → "2.00"). */
export function minus(from: string, parts: readonly string[]): string {
  const scale = Math.max(places(from), ...parts.map(places));
  return parts.reduce((left, part) => left.minus(part), new Decimal(from)).toFixed(scale);
}

/** Whether a decimal string is greater than zero. */
export const isPositive = (value: string) => new Decimal(value).gt(0);
