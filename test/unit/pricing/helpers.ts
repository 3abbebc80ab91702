import { expect } from 'vitest';
import { Decimal } from '../../../functions/domain/decimal.js';
import { formatDecimal } from '../../../functions/domain/money.js';
import { evaluatePrice } from '../../../functions/domain/pricing/index.js';
import type {
  Price,
  PriceEvaluation,
  PriceInput,
  PriceLine,
  UsageRecord,
} from '../../../functions/domain/pricing/types.js';
import { PriceSchema } from '../../../functions/schemas/price-model.js';

export const d = (value: string | number): Decimal => new Decimal(value);

/** A domain price from its JSON form (the same path the API takes). */
export function price(wire: unknown): Price {
  return PriceSchema.parse(wire);
}

/** Prices a quantity given as a decimal string. */
export function evaluateQuantity(wire: unknown, quantity: string): PriceEvaluation {
  return checked(evaluatePrice(price(wire), { quantity: d(quantity) }));
}

export function evaluate(wire: unknown, input: PriceInput): PriceEvaluation {
  return checked(evaluatePrice(price(wire), input));
}

/** Every evaluation in these tests also asserts the invariant: lines sum to the total, at every level. */
export function checked(evaluation: PriceEvaluation): PriceEvaluation {
  expect(formatDecimal(sumLines(evaluation.lines))).toBe(formatDecimal(evaluation.preciseAmount));
  assertNestedSums(evaluation.lines);
  return evaluation;
}

function assertNestedSums(lines: readonly PriceLine[]): void {
  for (const line of lines) {
    if (line.lines !== undefined) {
      expect(formatDecimal(sumLines(line.lines))).toBe(formatDecimal(line.preciseAmount));
      assertNestedSums(line.lines);
    }
  }
}

export function sumLines(lines: readonly PriceLine[]): Decimal {
  return lines.reduce((total, line) => total.plus(line.preciseAmount), d(0));
}

export const total = (evaluation: PriceEvaluation): string => formatDecimal(evaluation.preciseAmount);

/** [preciseAmount, quantity] of each top-level line, as strings. */
export const lineAmounts = (evaluation: PriceEvaluation): string[] =>
  evaluation.lines.map((line) => formatDecimal(line.preciseAmount));

export function usage(quantity: string, dimensions: Record<string, string> = {}, time?: string): UsageRecord {
  return { dimensions, quantity: d(quantity), ...(time === undefined ? {} : { time: new Date(time) }) };
}

export const events = (...amounts: string[]): Decimal[] => amounts.map(d);
