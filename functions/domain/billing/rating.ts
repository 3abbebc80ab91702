import { Decimal, sum, ZERO } from '../decimal.js';
import type {
  CreditApplied,
  DiscountApplied,
  Invoice,
  InvoiceLine,
  InvoiceTotals,
  LineShares,
  PriceDetail,
  TaxBreakdown,
} from '../invoice.js';
import { formatAmount, formatDecimal } from '../money.js';
import { evaluatePrice } from '../pricing/index.js';
import { toWireEvaluation } from '../pricing/serialize.js';
import type { PriceInput } from '../pricing/types.js';
import type { AppliedCoupon } from './coupon.js';
import type { CreditGrant } from './credit.js';
import type { Period } from './periods.js';
import type { PlanVersion } from './plan.js';
import { REVERSE_CHARGE_NOTE } from './tax.js';
import { invoiceTotals, type LineTax } from './totals.js';

/** A stretch of service: `start`..`end` inside the regular period `full` (equal to it unless partial). */
export interface Segment extends Period {
  full: Period;
}

export interface RatingRequest {
  plan: PlanVersion;
  /** The service period whose usage this invoice bills. */
  segment: Segment;
  /** Usage per charge (same order as plan.charges), already read from the counters for the segment. */
  usage: PriceInput[];
  /** Meter names, for line descriptions. */
  meterNames: Record<string, string>;
  /**
   * Base fee periods this invoice charges: the segment itself for fees in arrears; for fees in
   * advance, the following segment (and, on the first invoice, the segment itself too).
   */
  baseFeePeriods: Segment[];
  /** The VAT treatment of the customer (exclusive tax; category AE is the reverse charge). */
  tax: LineTax;
  /** The customer's active coupons and credit grants: what comes off the lines (none when absent). */
  coupons?: AppliedCoupon[];
  grants?: CreditGrant[];
  /**
   * Lines billed beside the plan's (one-off charges, late-usage adjustments): after the minimum
   * commitment, which they do not count toward.
   */
  extraLines?: InvoiceLine[];
  /** The customer balance in the plan's currency: pays what is left after tax. */
  balance?: Decimal;
}

export interface RatedInvoice extends InvoiceTotals {
  lines: Array<InvoiceLine & LineShares>;
  taxRate: string;
  reverseCharge: boolean;
  notes: string[];
  discounts: DiscountApplied[];
  credits: CreditApplied[];
  taxBreakdown: TaxBreakdown[];
  /** What the invoice does to the coupons and grants, written with it. */
  couponsAfter: AppliedCoupon[];
  grantsDrawn: Array<{ grant: CreditGrant; drawn: Decimal }>;
  balanceDrawn: Decimal;
}

/** Share of the full period a segment covers: elapsed time over full time (exact decimal). */
export function prorationFactor(segment: Segment): Decimal {
  const full = segment.full.end.getTime() - segment.full.start.getTime();
  const covered = segment.end.getTime() - segment.start.getTime();
  if (full <= 0 || covered >= full) return new Decimal(1);
  return new Decimal(covered).div(full);
}

function detailsOf(lines: ReturnType<typeof toWireEvaluation>['lines']): PriceDetail[] {
  return lines as unknown as PriceDetail[];
}

/**
 * Rates one segment of a subscription: a pure function of (plan version, usage, periods, tax).
 * Each line keeps its unrounded amount and its explanation; coupons, credits and tax follow in the
 * order of {@link invoiceTotals}.
 */
export function rateSegment(request: RatingRequest): RatedInvoice {
  const { plan, segment } = request;
  const currency = plan.currency;
  const lines: InvoiceLine[] = [];
  const periodOf = (s: Segment) => ({ periodStart: s.start.toISOString(), periodEnd: s.end.toISOString() });

  for (const fee of request.baseFeePeriods) {
    if (!plan.baseFee) break;
    const factor = prorationFactor(fee);
    const precise = plan.baseFee.amount.times(factor);
    const partial = !factor.eq(1);
    lines.push({
      kind: 'base_fee',
      description: `${plan.name} base fee${partial ? ` (prorated ${formatDecimal(factor.times(100).toDecimalPlaces(4))}% of the period)` : ''}${plan.baseFee.timing === 'in_advance' ? ', in advance' : ''}`,
      quantity: formatDecimal(partial ? factor.toDecimalPlaces(10) : new Decimal(1)),
      unitPrice: formatDecimal(plan.baseFee.amount),
      preciseAmount: formatDecimal(precise),
      amount: formatAmount(precise, currency),
      ...periodOf(fee),
      details: [],
      baseFee: {
        plan: plan.name,
        timing: plan.baseFee.timing,
        prorationFactor: formatDecimal(factor.toDecimalPlaces(10)),
      },
    });
  }

  plan.charges.forEach((charge, index) => {
    const evaluation = evaluatePrice(charge.price, request.usage[index] ?? { quantity: ZERO });
    const wire = toWireEvaluation(evaluation, currency);
    const unitPrice = charge.price.model === 'per_unit' ? formatDecimal(charge.price.unitPrice) : undefined;
    lines.push({
      kind: 'usage',
      description: charge.displayName ?? request.meterNames[charge.meter] ?? charge.meter,
      meter: charge.meter,
      quantity: formatDecimal(evaluation.quantity),
      ...(unitPrice ? { unitPrice } : {}),
      preciseAmount: formatDecimal(evaluation.preciseAmount),
      amount: formatAmount(evaluation.preciseAmount, currency),
      ...periodOf(segment),
      details: detailsOf(wire.lines),
    });
  });

  if (plan.minimumCommitment) {
    const commitment = plan.minimumCommitment.times(prorationFactor(segment));
    const billed = sum(lines.map((line) => new Decimal(line.preciseAmount)));
    if (billed.lt(commitment)) {
      const shortfall = commitment.minus(billed);
      const facts = { commitment: formatAmount(commitment, currency), billed: formatAmount(billed, currency) };
      lines.push({
        kind: 'minimum_commitment',
        description: `Minimum commitment true-up (commitment ${facts.commitment}, billed ${facts.billed})`,
        quantity: '1',
        preciseAmount: formatDecimal(shortfall),
        amount: formatAmount(shortfall, currency),
        ...periodOf(segment),
        details: [],
        commitment: facts,
      });
    }
  }

  const extra = capProgressiveCredits(request.extraLines ?? [], lines, currency);
  lines.push(...extra.lines);
  const { capped } = extra;
  const { totals, ...applied } = invoiceTotals({
    currency,
    planKey: plan.key,
    periodEnd: segment.end,
    lines,
    coupons: request.coupons ?? [],
    grants: request.grants ?? [],
    tax: request.tax,
    ...(request.balance ? { balance: request.balance } : {}),
  });
  const reverseCharge = request.tax.category === 'AE';
  // The reason of a 0% rate travels in the tax breakdown (documents word it in their language); the
  // reverse-charge note stays a note too, as on every invoice before the tax rules.
  const notes = reverseCharge ? [REVERSE_CHARGE_NOTE] : [];
  if (capped) notes.push(PROGRESSIVE_CAPPED_NOTE);
  return { ...totals, ...applied, taxRate: request.tax.rate.toFixed(), reverseCharge, notes };
}

/** Printed when the period's charges came out below what its interim invoices billed. */
export const PROGRESSIVE_CAPPED_NOTE =
  'The interim invoices of this period billed more than its charges now come to (usage was cancelled since): only the charges are credited here; the difference is owed to the customer (issue a credit note for it).';

/**
 * The extra lines with the progressive credits cut down (last first) so that they never credit more
 * than the other lines bill: an invoice is never negative.
 */
export function capProgressiveCredits(
  extra: readonly InvoiceLine[],
  planLines: readonly InvoiceLine[],
  currency: string,
): { lines: InvoiceLine[]; capped: boolean } {
  const isCredit = (line: InvoiceLine) => line.kind === 'progressive_credit';
  const billed = sum([...planLines, ...extra].filter((l) => !isCredit(l)).map((l) => new Decimal(l.amount)));
  let room = billed;
  let capped = false;
  const kept = extra.map((line) => {
    if (!isCredit(line)) return line;
    const credit = new Decimal(line.amount).neg();
    if (credit.lte(room)) {
      room = room.minus(credit);
      return line;
    }
    const allowed = room;
    room = ZERO;
    capped = true;
    return { ...line, preciseAmount: formatDecimal(allowed.neg()), amount: formatAmount(allowed.neg(), currency) };
  });
  return { lines: kept.filter((line) => !isCredit(line) || !new Decimal(line.amount).isZero()), capped };
}

/** What an invoice keeps of its rating: the lines with their shares, the totals and what made them. */
export function invoiceAmounts(rated: RatedInvoice) {
  return {
    lines: rated.lines,
    subtotal: rated.subtotal,
    discountTotal: rated.discountTotal,
    promotionalCredits: rated.promotionalCredits,
    taxableAmount: rated.taxableAmount,
    taxRate: rated.taxRate,
    tax: rated.tax,
    total: rated.total,
    paidCredits: rated.paidCredits,
    creditsApplied: rated.creditsApplied,
    ...(new Decimal(rated.balanceApplied).gt(0) ? { balanceApplied: rated.balanceApplied } : {}),
    amountDue: rated.amountDue,
    discounts: rated.discounts,
    credits: rated.credits,
    taxBreakdown: rated.taxBreakdown,
    reverseCharge: rated.reverseCharge,
    notes: rated.notes,
  } satisfies Partial<Invoice>;
}
