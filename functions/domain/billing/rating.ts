import { Decimal, sum, ZERO } from '../decimal.js';
import type { InvoiceLine, PriceDetail } from '../invoice.js';
import { formatAmount, formatDecimal, roundMoney } from '../money.js';
import { evaluatePrice } from '../pricing/index.js';
import { toWireEvaluation } from '../pricing/serialize.js';
import type { PriceInput } from '../pricing/types.js';
import type { Period } from './periods.js';
import type { PlanVersion } from './plan.js';
import { REVERSE_CHARGE_NOTE } from './tax.js';

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
  /** Exclusive tax in percent; ignored under reverse charge. */
  taxRate?: Decimal;
  reverseCharge: boolean;
}

export interface RatedInvoice {
  lines: InvoiceLine[];
  subtotal: string;
  taxRate?: string;
  tax: string;
  total: string;
  reverseCharge: boolean;
  notes: string[];
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
 * Each line keeps its unrounded amount and its explanation; the subtotal is the sum of the rounded
 * lines, tax is the rounded subtotal × rate, the total their sum.
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

  const subtotal = sum(lines.map((line) => new Decimal(line.amount)));
  const notes: string[] = [];
  let tax = ZERO;
  let taxRate: string | undefined;
  if (request.reverseCharge) {
    notes.push(REVERSE_CHARGE_NOTE);
    taxRate = '0';
  } else if (request.taxRate) {
    tax = roundMoney(subtotal.times(request.taxRate).div(100), currency);
    taxRate = formatDecimal(request.taxRate);
  }
  return {
    lines,
    subtotal: formatAmount(subtotal, currency),
    ...(taxRate !== undefined ? { taxRate } : {}),
    tax: formatAmount(tax, currency),
    total: formatAmount(subtotal.plus(tax), currency),
    reverseCharge: request.reverseCharge,
    notes,
  };
}
