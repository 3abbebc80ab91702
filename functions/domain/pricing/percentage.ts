import { Decimal, ZERO } from '../decimal.js';
import { fmt, type ModelResult, minDecimal, resolveEvents } from './shared.js';
import type { PercentagePrice, PriceInput, PriceLine } from './types.js';

interface EventShare {
  /** The event's amount not covered by the free allowance. */
  paid: Decimal;
  /** False when the free allowance covers the whole event. */
  paying: boolean;
}

/**
 * Walks the events in order through the free allowance. The allowance is the first `freeEvents` events
 * and/or the first `freeAmount` of the amount; with both set it ends with whichever runs out first.
 * An event is paying unless the allowance covers it entirely.
 */
function applyAllowance(price: PercentagePrice, events: readonly Decimal[]): EventShare[] {
  const hasAllowance = price.freeEvents !== undefined || price.freeAmount !== undefined;
  let remainingEvents = price.freeEvents ?? Number.POSITIVE_INFINITY;
  let remainingAmount: Decimal | undefined = price.freeAmount;
  return events.map((amount) => {
    const inAllowance = hasAllowance && remainingEvents > 0 && (remainingAmount === undefined || remainingAmount.gt(0));
    if (!inAllowance) return { paid: amount, paying: true };
    remainingEvents -= 1;
    const covered = remainingAmount === undefined ? amount : minDecimal(amount, remainingAmount);
    if (remainingAmount !== undefined) remainingAmount = remainingAmount.minus(covered);
    const paid = amount.minus(covered);
    return { paid, paying: !paid.isZero() };
  });
}

/**
 * Lago's percentage model over per-event amounts: ratePercent of (total − free amount), plus
 * fixedFeePerEvent per paying event (none when the total is 0). With perEventMin / perEventMax each
 * paying event is priced on its own (its paid part × rate + fixed fee, clamped to [min, max]); events
 * the allowance covers entirely cost 0. Lines: the percentage, the fixed fees, and the clamping
 * adjustments, so every part of the total is visible.
 */
export function evaluatePercentage(price: PercentagePrice, input: PriceInput): ModelResult {
  const events = resolveEvents(input, price.model);
  const total = events.reduce((acc, amount) => acc.plus(amount), ZERO);
  const shares = applyAllowance(price, events);
  const paidTotal = shares.reduce((acc, share) => acc.plus(share.paid), ZERO);
  const freeAmount = total.minus(paidTotal);
  const rate = price.ratePercent.dividedBy(100);
  const perEvent = price.perEventMin !== undefined || price.perEventMax !== undefined;
  const payingEvents = shares.filter((share) => share.paying).length;
  const feeEvents = perEvent || !total.isZero() ? payingEvents : 0;

  const lines: PriceLine[] = [];
  const freeText = freeAmount.isZero() ? '' : ` (${fmt(total)} minus ${fmt(freeAmount)} free)`;
  lines.push({
    kind: 'percentage',
    description: `${fmt(price.ratePercent)}% of ${fmt(paidTotal)}${freeText} over ${events.length} event${events.length === 1 ? '' : 's'}`,
    quantity: total,
    ...(price.freeEvents !== undefined || price.freeAmount !== undefined ? { freeQuantity: freeAmount } : {}),
    ratePercent: price.ratePercent,
    events: events.length,
    preciseAmount: paidTotal.times(rate),
  });
  const fixedFee = price.fixedFeePerEvent;
  if (fixedFee !== undefined) {
    lines.push({
      kind: 'fixed_fee',
      description: `${feeEvents} paying event${feeEvents === 1 ? '' : 's'} × fixed fee ${fmt(fixedFee)}`,
      quantity: new Decimal(feeEvents),
      unitPrice: fixedFee,
      events: feeEvents,
      preciseAmount: fixedFee.times(feeEvents),
    });
  }
  if (perEvent) lines.push(...clampLines(price, shares, rate));
  return { quantity: total, lines };
}

/** The per-event minimum / maximum adjustments: Σ (limit − event price) over the events clamped. */
function clampLines(price: PercentagePrice, shares: readonly EventShare[], rate: Decimal): PriceLine[] {
  const { perEventMin: min, perEventMax: max } = price;
  let raised = 0;
  let raisedBy = ZERO;
  let capped = 0;
  let cappedBy = ZERO;
  for (const share of shares) {
    if (!share.paying) continue;
    const eventPrice = share.paid.times(rate).plus(price.fixedFeePerEvent ?? ZERO);
    if (min !== undefined && eventPrice.lt(min)) {
      raised += 1;
      raisedBy = raisedBy.plus(min.minus(eventPrice));
    } else if (max !== undefined && eventPrice.gt(max)) {
      capped += 1;
      cappedBy = cappedBy.plus(max.minus(eventPrice));
    }
  }
  const lines: PriceLine[] = [];
  if (min !== undefined && raised > 0) {
    lines.push({
      kind: 'per_event_minimum',
      description: `${raised} event${raised === 1 ? '' : 's'} raised to the per-event minimum ${fmt(min)}`,
      quantity: new Decimal(raised),
      events: raised,
      unitPrice: min,
      preciseAmount: raisedBy,
    });
  }
  if (max !== undefined && capped > 0) {
    lines.push({
      kind: 'per_event_maximum',
      description: `${capped} event${capped === 1 ? '' : 's'} capped at the per-event maximum ${fmt(max)}`,
      quantity: new Decimal(capped),
      events: capped,
      unitPrice: max,
      preciseAmount: cappedBy,
    });
  }
  return lines;
}
