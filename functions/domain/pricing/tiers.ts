import { type Decimal, ZERO } from '../decimal.js';
import { countBlocks, fmt } from './shared.js';
import type { PriceLine, Tier } from './types.js';

/** Price of `quantity` units at one tier, without its flat fee; block tiers count started blocks. */
export function tierUsage(
  tier: Tier,
  quantity: Decimal,
): Pick<PriceLine, 'unitPrice' | 'blocks' | 'blockSize' | 'blockPrice' | 'preciseAmount'> & { text: string } {
  if (tier.blockSize !== undefined) {
    const blocks = countBlocks(quantity, tier.blockSize, 'up');
    return {
      blocks,
      blockSize: tier.blockSize,
      blockPrice: tier.blockPrice,
      preciseAmount: blocks.times(tier.blockPrice),
      text: `${fmt(quantity)} units in ${fmt(blocks)} block${blocks.eq(1) ? '' : 's'} of ${fmt(tier.blockSize)} × ${fmt(tier.blockPrice)}`,
    };
  }
  if (tier.unitPrice === undefined) {
    return { preciseAmount: ZERO, text: `${fmt(quantity)} units (no unit price)` };
  }
  return {
    unitPrice: tier.unitPrice,
    preciseAmount: quantity.times(tier.unitPrice),
    text: `${fmt(quantity)} × ${fmt(tier.unitPrice)}`,
  };
}

export function withFlatFee(text: string, flatFee: Decimal | undefined): string {
  return flatFee === undefined ? text : `${text} + flat fee ${fmt(flatFee)}`;
}
