import { ZERO } from '../decimal.js';
import { countBlocks, fmt, type ModelResult, maxDecimal, minDecimal, resolveQuantity } from './shared.js';
import type { PackagePrice, PriceInput, PriceLine } from './types.js';

/**
 * packages = ceil (or floor) of max(quantity − freeUnits, 0) / packageSize; amount = packages × packagePrice.
 * The free part is shown as its own zero line.
 */
export function evaluatePackage(price: PackagePrice, input: PriceInput): ModelResult {
  const quantity = resolveQuantity(input, price.model);
  const freeUnits = maxDecimal(price.freeUnits ?? ZERO, ZERO);
  const free = minDecimal(quantity, freeUnits);
  const billable = quantity.minus(free);
  const rounding = price.rounding ?? 'up';
  const packages = countBlocks(billable, price.packageSize, rounding);
  const lines: PriceLine[] = [];
  if (freeUnits.gt(0)) {
    lines.push({
      kind: 'included',
      description: `${fmt(free)} of ${fmt(freeUnits)} free units`,
      quantity: free,
      freeQuantity: free,
      preciseAmount: ZERO,
    });
  }
  lines.push({
    kind: 'usage',
    description: `${fmt(billable)} units in ${fmt(packages)} package${packages.eq(1) ? '' : 's'} of ${fmt(price.packageSize)} (partial packages rounded ${rounding}) × ${fmt(price.packagePrice)}`,
    quantity: billable,
    blocks: packages,
    blockSize: price.packageSize,
    blockPrice: price.packagePrice,
    preciseAmount: packages.times(price.packagePrice),
  });
  return { quantity, lines };
}
