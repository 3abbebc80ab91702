import { Decimal, sum, ZERO } from '../decimal.js';
import type {
  CreditApplied,
  DiscountApplied,
  InvoiceLine,
  InvoiceTotals,
  LineShares,
  TaxBreakdown,
} from '../invoice.js';
import { allocate, formatAmount, roundMoney } from '../money.js';
import { type AppliedCoupon, afterInvoice, couponAllowance, couponOrder } from './coupon.js';
import { type CreditGrant, grantCovers, grantOrder } from './credit.js';

export type { CreditApplied, DiscountApplied, InvoiceTotals, LineShares, TaxBreakdown };

/** The VAT a line bears: EN 16931 category code, percent, and why when it is 0. */
export interface LineTax {
  category: string;
  rate: Decimal;
  reason?: string;
  /** Which rule chose it (a TaxRule of tax.ts): documents word the reason in their own language. */
  rule?: string;
  /** exempt: the customer's own reason. */
  exemption?: string;
}

export interface TotalsRequest {
  currency: string;
  planKey: string;
  /** The service period's end: which grants cover the invoice. */
  periodEnd: Date;
  lines: InvoiceLine[];
  /** The customer's active coupons, in any order. */
  coupons: AppliedCoupon[];
  /** The customer's grants, in any order. */
  grants: CreditGrant[];
  tax: LineTax;
  /** The customer's balance in the invoice's currency (credit notes): paid after tax. */
  balance?: Decimal;
}

export interface TotalsResult {
  lines: Array<InvoiceLine & LineShares>;
  totals: InvoiceTotals;
  discounts: DiscountApplied[];
  credits: CreditApplied[];
  taxBreakdown: TaxBreakdown[];
  /** Coupons this invoice used, as they stand after it (to be written with the invoice). */
  couponsAfter: AppliedCoupon[];
  /** Grants this invoice drew on, with what it drew. */
  grantsDrawn: Array<{ grant: CreditGrant; drawn: Decimal }>;
  /** What the invoice takes from the customer balance. */
  balanceDrawn: Decimal;
}

/**
 * At most this many coupons and grants change per invoice: their writes go into the invoice's own
 * transaction, which holds 100 items (series, invoice, outbox, revenue counters, one per coupon, two
 * per grant). What is beyond waits for the next invoice, in the same order.
 */
export const MAX_COUPONS_PER_INVOICE = 20;
export const MAX_GRANTS_PER_INVOICE = 30;

const lineMatches = (line: InvoiceLine, meters: string[] | undefined) =>
  !meters?.length || (line.meter !== undefined && meters.includes(line.meter));

/**
 * The invoice math after rating, in this order: lines → coupons (spread pro rata over the eligible
 * lines) → promotional credits (a price reduction, before tax) → tax per line (per category and rate,
 * on the taxable amounts) → paid credits (an advance payment, after tax) → the customer balance (credit
 * notes, after tax) → amount due.
 *
 * Every amount is in whole minor units of the currency; each total is computed once and split over
 * the lines in whole units ({@link allocate}), so the lines' shares always add up to the totals.
 * Nothing is ever taken below zero: a coupon or credit takes at most what is left of its lines.
 */
export function invoiceTotals(request: TotalsRequest): TotalsResult {
  const { currency } = request;
  const amounts = request.lines.map((line) => new Decimal(line.amount));
  // Only a progressive credit (what interim invoices of the period billed already) is negative: it
  // takes nothing of coupons, credits or the balance, and it bears tax (negative) in its own group.
  const crediting = request.lines.map((line) => line.kind === 'progressive_credit');
  if (amounts.some((amount, i) => (crediting[i] ? amount.isPositive() && !amount.isZero() : amount.isNegative())))
    throw new RangeError('invoice lines are never negative before discounts, credits and tax');
  const left = [...amounts];
  const discount = request.lines.map(() => ZERO);
  const promotional = request.lines.map(() => ZERO);
  const paid = request.lines.map(() => ZERO);

  /** Takes up to `wanted` (rounded) off the lines `eligible` selects, pro rata to what they have left. */
  const take = (wanted: Decimal, eligible: boolean[], into: Decimal[]): Decimal => {
    const weights = left.map((amount, i) => (eligible[i] && !crediting[i] ? amount : ZERO));
    // Never more than the invoice has left net of its progressive credits.
    const available = Decimal.min(sum(weights), Decimal.max(ZERO, sum(left)));
    const taken = Decimal.min(roundMoney(wanted, currency), available);
    if (taken.lte(0)) return ZERO;
    allocate(taken, weights, currency).forEach((share, i) => {
      left[i] = (left[i] ?? ZERO).minus(share);
      into[i] = (into[i] ?? ZERO).plus(share);
    });
    return taken;
  };

  const discounts: DiscountApplied[] = [];
  const couponsAfter: AppliedCoupon[] = [];
  const active = [...request.coupons].filter((c) => c.status === 'active').sort(couponOrder);
  for (const coupon of active) {
    if (couponsAfter.length >= MAX_COUPONS_PER_INVOICE) break;
    const plans = coupon.appliesTo?.plans;
    if (plans?.length && !plans.includes(request.planKey)) continue;
    if (coupon.type === 'fixed_amount' && coupon.currency !== currency) continue;
    const eligible = request.lines.map((line) => lineMatches(line, coupon.appliesTo?.meters));
    if (!eligible.some(Boolean)) continue;
    const wanted =
      coupon.type === 'percentage'
        ? Decimal.min(sum(left.filter((_, i) => eligible[i] && !crediting[i])), Decimal.max(ZERO, sum(left))).times(
            new Decimal(coupon.percent ?? 0).div(100),
          )
        : couponAllowance(coupon);
    const given = take(wanted, eligible, discount);
    couponsAfter.push(afterInvoice(coupon, given));
    if (given.gt(0)) discounts.push({ coupon: coupon.id, name: coupon.name, amount: formatAmount(given, currency) });
  }

  const credits: CreditApplied[] = [];
  const grantsDrawn: Array<{ grant: CreditGrant; drawn: Decimal }> = [];
  const covering = request.grants
    .filter((g) => g.currency === currency && grantCovers(g, request.periodEnd))
    .sort(grantOrder);
  const draw = (grant: CreditGrant, into: Decimal[]) => {
    if (grantsDrawn.length >= MAX_GRANTS_PER_INVOICE) return;
    const eligible = request.lines.map((line) => lineMatches(line, grant.appliesTo?.meters));
    const drawn = take(new Decimal(grant.balance), eligible, into);
    if (drawn.lte(0)) return;
    grantsDrawn.push({ grant, drawn });
    credits.push({
      grant: grant.id,
      name: grant.name,
      category: grant.category,
      amount: formatAmount(drawn, currency),
    });
  };
  for (const grant of covering.filter((g) => g.category === 'promotional')) draw(grant, promotional);

  // Tax per category and rate on the taxable amounts (each group rounded once), split back over its lines.
  const taxable = [...left];
  const tax = request.lines.map(() => ZERO);
  const lineTaxes = request.lines.map((line) => lineTaxOf(line, request.tax));
  const groups = new Map<string, { tax: LineTax; members: number[] }>();
  lineTaxes.forEach((lineTax, i) => {
    const key = `${lineTax.category}|${lineTax.rate.toFixed()}`;
    const group = groups.get(key) ?? { tax: lineTax, members: [] };
    group.members.push(i);
    groups.set(key, group);
  });
  // The invoice's own treatment first (also when no line bears it), then the lines' own rates by rate.
  const mainKey = `${request.tax.category}|${request.tax.rate.toFixed()}`;
  if (!groups.has(mainKey)) groups.set(mainKey, { tax: request.tax, members: [] });
  const ordered = [...groups.entries()].sort(([a, x], [b, y]) =>
    a === mainKey ? -1 : b === mainKey ? 1 : x.tax.rate.comparedTo(y.tax.rate) || (a < b ? -1 : 1),
  );
  let groupTaxable = ZERO;
  let groupTax = ZERO;
  const taxBreakdown: TaxBreakdown[] = [];
  for (const [key, group] of ordered) {
    const weights = group.members.map((i) => taxable[i] ?? ZERO);
    const base = sum(weights);
    const due = roundMoney(base.times(group.tax.rate).div(100), currency);
    // A progressive credit gives back the tax of what it credits; the lines bear the rest.
    let rest = due;
    group.members.forEach((i, j) => {
      const weight = weights[j] ?? ZERO;
      if (!weight.isNegative()) return;
      const share = roundMoney(weight.times(group.tax.rate).div(100), currency);
      tax[i] = share;
      left[i] = (left[i] ?? ZERO).plus(share);
      rest = rest.minus(share);
    });
    const positive = weights.map((weight) => (weight.isNegative() ? ZERO : weight));
    if (sum(positive).gt(0) && rest.gt(0)) {
      allocate(rest, positive, currency).forEach((share, j) => {
        const i = group.members[j] ?? 0;
        if (weights[j]?.isNegative()) return;
        tax[i] = share;
        left[i] = (left[i] ?? ZERO).plus(share);
      });
    }
    groupTaxable = groupTaxable.plus(base);
    groupTax = groupTax.plus(due);
    if (key !== mainKey && base.isZero()) continue;
    const { category, rate, reason, rule, exemption } = group.tax;
    taxBreakdown.push({
      category,
      rate: rate.toFixed(),
      taxableAmount: formatAmount(base, currency),
      tax: formatAmount(due, currency),
      ...(reason ? { reason } : {}),
      ...(rule ? { rule } : {}),
      ...(exemption ? { exemption } : {}),
    });
  }

  for (const grant of covering.filter((g) => g.category === 'paid')) draw(grant, paid);

  // The customer balance (credit notes) pays what is left after tax, like an advance payment.
  const fromBalance = request.lines.map(() => ZERO);
  const balanceDrawn = request.balance
    ? take(
        new Decimal(request.balance),
        request.lines.map(() => true),
        fromBalance,
      )
    : ZERO;

  const money = (value: Decimal) => formatAmount(value, currency);
  const lines = request.lines.map((line, i) => ({
    ...line,
    discount: money(discount[i] ?? ZERO),
    promotionalCredits: money(promotional[i] ?? ZERO),
    taxableAmount: money(taxable[i] ?? ZERO),
    taxCategory: lineTaxes[i]?.category ?? request.tax.category,
    taxRate: (lineTaxes[i]?.rate ?? request.tax.rate).toFixed(),
    tax: money(tax[i] ?? ZERO),
    paidCredits: money(paid[i] ?? ZERO),
    amountDue: money(
      (taxable[i] ?? ZERO)
        .plus(tax[i] ?? ZERO)
        .minus(paid[i] ?? ZERO)
        .minus(fromBalance[i] ?? ZERO),
    ),
  }));
  const subtotal = sum(amounts);
  const discountTotal = sum(discount);
  const promotionalTotal = sum(promotional);
  const paidTotal = sum(paid);
  const total = groupTaxable.plus(groupTax);
  return {
    lines,
    totals: {
      subtotal: money(subtotal),
      discountTotal: money(discountTotal),
      promotionalCredits: money(promotionalTotal),
      taxableAmount: money(groupTaxable),
      tax: money(groupTax),
      total: money(total),
      paidCredits: money(paidTotal),
      creditsApplied: money(promotionalTotal.plus(paidTotal)),
      balanceApplied: money(balanceDrawn),
      amountDue: money(total.minus(paidTotal).minus(balanceDrawn)),
    },
    discounts,
    credits,
    taxBreakdown,
    couponsAfter,
    grantsDrawn,
    balanceDrawn,
  };
}

/**
 * The VAT of one line: the invoice's treatment, except that a one-off charge with its own rate bears
 * that rate where the treatment is standard-rated VAT (a reverse charge, an exemption or a sale outside
 * the scope stays as it is for every line).
 */
export function lineTaxOf(line: InvoiceLine, treatment: LineTax): LineTax {
  const own = line.oneOff?.taxRate;
  if (own === undefined || treatment.category !== 'S') return treatment;
  const rate = new Decimal(own);
  return rate.isZero() ? { category: 'Z', rate, reason: 'zero-rated item' } : { category: 'S', rate };
}
