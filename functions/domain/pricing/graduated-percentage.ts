import { ZERO } from '../decimal.js';
import { describeTierRange, fmt, type ModelResult, resolveQuantity } from './shared.js';
import type { GraduatedPercentagePrice, PriceInput, PriceLine } from './types.js';

/**
 * Graduated tiers over an amount: each reached tier charges its portion × ratePercent / 100 plus its
 * flat fee once. A tier is reached when the amount exceeds its lower bound; at amount 0 nothing is
 * charged unless flatFeeAtZeroUsage is true (then the first tier's flat fee).
 */
export function evaluateGraduatedPercentage(price: GraduatedPercentagePrice, input: PriceInput): ModelResult {
  const quantity = resolveQuantity(input, price.model);
  const lines: PriceLine[] = [];
  let from = ZERO;
  for (const [index, tier] of price.tiers.entries()) {
    if (index > 0 && !quantity.gt(from)) break;
    const top = tier.upTo === null || quantity.lt(tier.upTo) ? quantity : tier.upTo;
    const portion = top.minus(from);
    const chargeFlatFee = quantity.gt(0) || price.flatFeeAtZeroUsage === true;
    const flatFee = chargeFlatFee ? tier.flatFee : undefined;
    const usageAmount = portion.times(tier.ratePercent).dividedBy(100);
    const flatText = flatFee === undefined ? '' : ` + flat fee ${fmt(flatFee)}`;
    lines.push({
      kind: 'tier',
      description: `${describeTierRange(index, from, tier.upTo)}: ${fmt(tier.ratePercent)}% of ${fmt(portion)}${flatText}`,
      quantity: portion,
      ratePercent: tier.ratePercent,
      ...(flatFee === undefined ? {} : { flatFee }),
      preciseAmount: flatFee === undefined ? usageAmount : usageAmount.plus(flatFee),
      tier: { index, from, upTo: tier.upTo },
    });
    if (tier.upTo === null || quantity.lte(tier.upTo)) break;
    from = tier.upTo;
  }
  return { quantity, lines };
}
