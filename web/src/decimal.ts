/**
 * Exact arithmetic on the API's decimal strings, for the little the dashboard computes itself (what is
 * left to credit on an invoice line). Integers at a common scale (BigInt): never a JS float.
 */

const decimals = (value: string) => {
  const dot = value.indexOf('.');
  return dot < 0 ? 0 : value.length - dot - 1;
};

/** A decimal string as an integer at `scale` decimals. */
function scaled(value: string, scale: number): bigint {
  const text = value.trim();
  const negative = text.startsWith('-');
  const [whole = '0', fraction = ''] = text.replace(/^[-+]/, '').split('.');
  const digits = BigInt(`${whole || '0'}${fraction.padEnd(scale, '0')}`);
  return negative ? -digits : digits;
}

/** `from` − Σ `parts`, exactly, with as many decimals as the operand that has the most ("5.00" − "3" → "2.00"). */
export function minus(from: string, parts: readonly string[]): string {
  const scale = Math.max(decimals(from.trim()), ...parts.map((part) => decimals(part.trim())));
  const result = parts.reduce((left, part) => left - scaled(part, scale), scaled(from, scale));
  const negative = result < 0n;
  const digits = (negative ? -result : result).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

/** Whether a decimal string is greater than zero. */
export const isPositive = (value: string) => /[1-9]/.test(value) && !value.trim().startsWith('-');
