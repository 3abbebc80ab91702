import { ZERO } from '../decimal.js';
import { InvalidPriceError } from './errors.js';
import { describeTierRange, type ModelResult, resolveQuantity } from './shared.js';
import { tierUsage, withFlatFee } from './tiers.js';
import type { PriceInput, VolumePrice } from './types.js';

/**
 * The whole quantity at the single tier that contains it (quantity <= upTo; 0 falls in the first
 * tier), plus that tier's flat fee (at quantity 0 only if flatFeeAtZeroUsage is not false). Block
 * tiers round the whole quantity up to started blocks.
 */
export function evaluateVolume(price: VolumePrice, input: PriceInput): ModelResult {
  const quantity = resolveQuantity(input, price.model);
  let from = ZERO;
  let index = 0;
  for (const tier of price.tiers) {
    if (tier.upTo === null || quantity.lte(tier.upTo) || index === price.tiers.length - 1) break;
    from = tier.upTo;
    index += 1;
  }
  const tier = price.tiers[index];
  if (tier === undefined) throw new InvalidPriceError('a volume price needs at least one tier');
  const usage = tierUsage(tier, quantity);
  const flatFee = quantity.gt(0) || price.flatFeeAtZeroUsage !== false ? tier.flatFee : undefined;
  return {
    quantity,
    lines: [
      {
        kind: 'tier',
        description: `${describeTierRange(index, from, tier.upTo)}, all units: ${withFlatFee(usage.text, flatFee)}`,
        quantity,
        ...(usage.unitPrice === undefined ? {} : { unitPrice: usage.unitPrice }),
        ...(flatFee === undefined ? {} : { flatFee }),
        preciseAmount: flatFee === undefined ? usage.preciseAmount : usage.preciseAmount.plus(flatFee),
        tier: { index, from, upTo: tier.upTo },
        ...(usage.blocks === undefined
          ? {}
          : { blocks: usage.blocks, blockSize: usage.blockSize, blockPrice: usage.blockPrice }),
      },
    ],
  };
}
