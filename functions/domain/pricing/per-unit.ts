import { fmt, type ModelResult, resolveQuantity } from './shared.js';
import type { PerUnitPrice, PriceInput } from './types.js';

/** quantity × unitPrice. */
export function evaluatePerUnit(price: PerUnitPrice, input: PriceInput): ModelResult {
  const quantity = resolveQuantity(input, price.model);
  return {
    quantity,
    lines: [
      {
        kind: 'usage',
        description: `${fmt(quantity)} × ${fmt(price.unitPrice)}`,
        quantity,
        unitPrice: price.unitPrice,
        preciseAmount: quantity.times(price.unitPrice),
      },
    ],
  };
}
