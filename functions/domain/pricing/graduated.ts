import { ZERO } from '../decimal.js';
import { describeTierRange, type ModelResult, resolveQuantity } from './shared.js';
import { tierUsage, withFlatFee } from './tiers.js';
import type { GraduatedPrice, PriceInput, PriceLine } from './types.js';

/**
 * Tier i covers (upTo[i-1], upTo[i]]. Every tier the quantity reaches (quantity > its lower bound) prices
 * its own portion and adds its flat fee once. At quantity 0 only the first tier's flat fee is charged,
 * unless flatFeeAtZeroUsage is false. One line per reached tier.
 */
export function evaluateGraduated(price: GraduatedPrice, input: PriceInput): ModelResult {
  const quantity = resolveQuantity(input, price.model);
  const lines: PriceLine[] = [];
  let from = ZERO;
  for (const [index, tier] of price.tiers.entries()) {
    if (index > 0 && !quantity.gt(from)) break;
    const top = tier.upTo === null || quantity.lt(tier.upTo) ? quantity : tier.upTo;
    const portion = top.minus(from);
    const usage = tierUsage(tier, portion);
    const chargeFlatFee = quantity.gt(0) || price.flatFeeAtZeroUsage !== false;
    const flatFee = chargeFlatFee ? tier.flatFee : undefined;
    lines.push({
      kind: 'tier',
      description: `${describeTierRange(index, from, tier.upTo)}: ${withFlatFee(usage.text, flatFee)}`,
      quantity: portion,
      ...(usage.unitPrice === undefined ? {} : { unitPrice: usage.unitPrice }),
      ...(flatFee === undefined ? {} : { flatFee }),
      preciseAmount: flatFee === undefined ? usage.preciseAmount : usage.preciseAmount.plus(flatFee),
      tier: { index, from, upTo: tier.upTo },
      ...(usage.blocks === undefined
        ? {}
        : { blocks: usage.blocks, blockSize: usage.blockSize, blockPrice: usage.blockPrice }),
    });
    if (tier.upTo === null || quantity.lte(tier.upTo)) break;
    from = tier.upTo;
  }
  return { quantity, lines };
}
