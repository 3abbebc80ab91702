import { type Decimal, sum, ZERO } from '../decimal.js';
import { InvalidPriceError } from './errors.js';
import { evaluateGraduated } from './graduated.js';
import { evaluateGraduatedPercentage } from './graduated-percentage.js';
import { evaluateMatrix } from './matrix.js';
import { evaluateOverage } from './overage.js';
import { evaluatePackage } from './package.js';
import { evaluatePerUnit } from './per-unit.js';
import { evaluatePercentage } from './percentage.js';
import { fmt, type ModelResult } from './shared.js';
import { evaluateTimeOfUse } from './time-of-use.js';
import type { Price, PriceEvaluation, PriceInput, PriceLine } from './types.js';
import { evaluateVolume } from './volume.js';

export { InvalidPriceError, PriceInputError, UnpricedUsageError } from './errors.js';
export { toWireEvaluation, type WireEvaluation, type WirePriceLine } from './serialize.js';
export * from './types.js';

function evaluateModel(price: Price, input: PriceInput): ModelResult {
  switch (price.model) {
    case 'per_unit':
      return evaluatePerUnit(price, input);
    case 'package':
      return evaluatePackage(price, input);
    case 'graduated':
      return evaluateGraduated(price, input);
    case 'volume':
      return evaluateVolume(price, input);
    case 'overage':
      return evaluateOverage(price, input);
    case 'graduated_percentage':
      return evaluateGraduatedPercentage(price, input);
    case 'percentage':
      return evaluatePercentage(price, input);
    case 'matrix':
      return evaluateMatrix(price, input, evaluatePrice);
    case 'time_of_use':
      return evaluateTimeOfUse(price, input, evaluatePrice);
    default: {
      const unknown: never = price;
      throw new InvalidPriceError(`unknown price model ${JSON.stringify((unknown as { model?: unknown }).model)}`);
    }
  }
}

/** The line that raises the total to the minimum spend or caps it at the maximum spend, if any. */
function spendLimitLine(price: Price, modelTotal: Decimal): PriceLine | undefined {
  const { minimumSpend, maximumSpend } = price;
  if (minimumSpend !== undefined && modelTotal.lt(minimumSpend)) {
    return {
      kind: 'minimum_spend',
      description: `raised from ${fmt(modelTotal)} to the minimum spend ${fmt(minimumSpend)}`,
      quantity: ZERO,
      preciseAmount: minimumSpend.minus(modelTotal),
    };
  }
  if (maximumSpend !== undefined && modelTotal.gt(maximumSpend)) {
    return {
      kind: 'maximum_spend',
      description: `capped from ${fmt(modelTotal)} at the maximum spend ${fmt(maximumSpend)}`,
      quantity: ZERO,
      preciseAmount: maximumSpend.minus(modelTotal),
    };
  }
  return undefined;
}

/**
 * Prices `input` with `price`: exact (never rounded) amounts, one line per explained part. The
 * evaluation's preciseAmount is always the sum of its top-level lines' preciseAmount.
 * Throws PriceInputError when the input lacks what the model needs.
 */
export function evaluatePrice(price: Price, input: PriceInput): PriceEvaluation {
  const result = evaluateModel(price, input);
  const modelTotal = sum(result.lines.map((line) => line.preciseAmount));
  const limit = spendLimitLine(price, modelTotal);
  const lines = limit === undefined ? result.lines : [...result.lines, limit];
  return {
    preciseAmount: limit === undefined ? modelTotal : modelTotal.plus(limit.preciseAmount),
    quantity: result.quantity,
    lines,
  };
}
