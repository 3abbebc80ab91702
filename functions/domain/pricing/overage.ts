import { ZERO } from '../decimal.js';
import { fmt, type ModelResult, maxDecimal, minDecimal, resolveQuantity } from './shared.js';
import type { OveragePrice, PriceInput, PriceLine } from './types.js';

/** max(quantity − includedUnits, 0) × unitPrice; the included part is shown as its own zero line. */
export function evaluateOverage(price: OveragePrice, input: PriceInput): ModelResult {
  const quantity = resolveQuantity(input, price.model);
  const included = minDecimal(quantity, maxDecimal(price.includedUnits, ZERO));
  const overage = quantity.minus(included);
  const lines: PriceLine[] = [];
  if (price.includedUnits.gt(0)) {
    lines.push({
      kind: 'included',
      description: `${fmt(included)} of ${fmt(price.includedUnits)} included units`,
      quantity: included,
      freeQuantity: included,
      preciseAmount: ZERO,
    });
  }
  lines.push({
    kind: 'usage',
    description: `${fmt(overage)} units over the included ${fmt(price.includedUnits)} × ${fmt(price.unitPrice)}`,
    quantity: overage,
    unitPrice: price.unitPrice,
    preciseAmount: overage.times(price.unitPrice),
  });
  return { quantity, lines };
}
