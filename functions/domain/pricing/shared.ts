import { type Decimal, sum } from '../decimal.js';
import { formatDecimal } from '../money.js';
import { PriceInputError } from './errors.js';
import type { Price, PriceEvaluation, PriceInput, PriceLine, PriceModel } from './types.js';

/** What a model computes; the dispatcher adds the total and the spend limits. */
export interface ModelResult {
  quantity: Decimal;
  lines: PriceLine[];
}

/** Evaluates a nested price (matrix entries, time bands) with the full dispatcher. */
export type EvaluateNested = (price: Price, input: PriceInput) => PriceEvaluation;

function requireNonNegative(value: Decimal, what: string, model: PriceModel): Decimal {
  if (value.isNegative() && !value.isZero()) {
    throw new PriceInputError(`the ${model} model cannot price a negative ${what} (${formatDecimal(value)})`);
  }
  if (!value.isFinite()) throw new PriceInputError(`the ${model} model cannot price a non-finite ${what}`);
  return value;
}

/** The quantity a quantity-based model prices: `quantity`, else the sum of `usage`, else the sum of `events`. */
export function resolveQuantity(input: PriceInput, model: PriceModel): Decimal {
  if (input.quantity !== undefined) return requireNonNegative(input.quantity, 'quantity', model);
  if (input.usage !== undefined) {
    for (const record of input.usage) requireNonNegative(record.quantity, 'usage quantity', model);
    return sum(input.usage.map((record) => record.quantity));
  }
  if (input.events !== undefined) {
    for (const event of input.events) requireNonNegative(event, 'event amount', model);
    return sum(input.events);
  }
  throw new PriceInputError(`the ${model} model needs a quantity, usage records or events`);
}

/** Per-event amounts: `events`, else each usage record as an event, else `quantity` as one event. */
export function resolveEvents(input: PriceInput, model: PriceModel): Decimal[] {
  const events =
    input.events ??
    input.usage?.map((record) => record.quantity) ??
    (input.quantity === undefined ? undefined : [input.quantity]);
  if (events === undefined) throw new PriceInputError(`the ${model} model needs events, usage records or a quantity`);
  for (const event of events) requireNonNegative(event, 'event amount', model);
  return events;
}

export function maxDecimal(a: Decimal, b: Decimal): Decimal {
  return a.gte(b) ? a : b;
}

export function minDecimal(a: Decimal, b: Decimal): Decimal {
  return a.lte(b) ? a : b;
}

/** Short plain text of a decimal for descriptions. */
export const fmt = formatDecimal;

/** "Tier 2 (over 5 up to 10)", "Tier 3 (over 10)", "Tier 1 (up to 5)". */
export function describeTierRange(index: number, from: Decimal, upTo: Decimal | null): string {
  const lower = index === 0 || from.isZero() ? '' : `over ${fmt(from)}`;
  const upper = upTo === null ? '' : `up to ${fmt(upTo)}`;
  const range = [lower, upper].filter((part) => part !== '').join(' ');
  return `Tier ${index + 1} (${range === '' ? 'any quantity' : range})`;
}

/** Whole blocks of `size` in `quantity` (quantity >= 0, size > 0), partial blocks counted (`up`) or dropped (`down`). Exact. */
export function countBlocks(quantity: Decimal, size: Decimal, rounding: 'up' | 'down'): Decimal {
  const whole = quantity.dividedToIntegerBy(size);
  if (rounding === 'down' || quantity.minus(whole.times(size)).isZero()) return whole;
  return whole.plus(1);
}
