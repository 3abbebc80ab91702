import { Decimal, sum, ZERO } from '../decimal.js';
import type { InvoiceLine } from '../invoice.js';
import { formatAmount, formatDecimal } from '../money.js';
import type { ProgressiveBilling } from './plan.js';

/**
 * Progressive (threshold) billing: a plan may invoice early when the period's running usage bill
 * (the usage charges so far, before discounts and tax) reaches a threshold. Each interim invoice bills
 * the usage so far less what earlier interim invoices of the period billed; the period's final invoice
 * credits them all (one negative `progressive_credit` line each), so the period bills its usage once.
 */

/** What an interim invoice of the period billed (net, before tax): read back from its marker. */
export interface ProgressiveBilled {
  invoiceId: string;
  invoiceNumber: string;
  /** The threshold level (1-based over the period) the invoice billed. */
  index: number;
  amount: string;
}

/** The period's interim invoices so far (the marker beside the subscription). */
export interface ProgressiveState {
  /** The last threshold level invoiced (0: none). */
  index: number;
  invoices: ProgressiveBilled[];
}

export const NO_PROGRESSIVE: ProgressiveState = Object.freeze({ index: 0, invoices: [] }) as ProgressiveState;

/** At most this many thresholds per plan. */
export const MAX_THRESHOLDS = 10;

/**
 * How many threshold levels `usageAmount` has reached, and the highest of them: the fixed thresholds
 * at or below it, then, for a recurring last threshold of amount r after the fixed level B (0 when it
 * is the only one), every B + k·r at or below it. `undefined` when none is reached.
 */
export function levelReached(
  billing: ProgressiveBilling | undefined,
  usageAmount: Decimal,
): { index: number; threshold: Decimal } | undefined {
  if (!billing || billing.thresholds.length === 0) return undefined;
  const fixed = billing.thresholds.filter((t) => !t.recurring).map((t) => t.amount);
  const recurring = billing.thresholds.find((t) => t.recurring)?.amount;
  let index = 0;
  let threshold = ZERO;
  for (const amount of fixed) {
    if (amount.gt(usageAmount)) break;
    index++;
    threshold = amount;
  }
  if (recurring?.gt(0)) {
    const base = fixed.length > 0 ? (fixed[fixed.length - 1] as Decimal) : ZERO;
    if (index === fixed.length && usageAmount.gte(base.plus(recurring))) {
      const times = usageAmount.minus(base).div(recurring).floor();
      index += times.toNumber();
      threshold = base.plus(recurring.times(times));
    }
  }
  return index === 0 ? undefined : { index, threshold };
}

/** The usage charges of rated lines: what thresholds are compared with. */
export function usageBill(lines: readonly InvoiceLine[]): Decimal {
  return sum(lines.filter((line) => line.kind === 'usage').map((line) => new Decimal(line.amount)));
}

/** What the period's interim invoices billed so far (net). */
export function billedEarly(state: ProgressiveState): Decimal {
  return sum(state.invoices.map((billed) => new Decimal(billed.amount)));
}

/** One negative line per interim invoice of the period: what a later invoice of the period credits. */
export function progressiveCreditLines(
  state: ProgressiveState,
  currency: string,
  period: { periodStart: string; periodEnd: string },
): InvoiceLine[] {
  return state.invoices
    .filter((billed) => new Decimal(billed.amount).gt(0))
    .map((billed) => {
      const credit = new Decimal(billed.amount).neg();
      return {
        kind: 'progressive_credit',
        description: `Billed earlier this period: ${billed.invoiceNumber}`,
        quantity: '1',
        preciseAmount: formatDecimal(credit),
        amount: formatAmount(credit, currency),
        ...period,
        details: [],
        progressiveCredit: {
          invoiceId: billed.invoiceId,
          invoiceNumber: billed.invoiceNumber,
          amount: formatAmount(new Decimal(billed.amount), currency),
        },
      } satisfies InvoiceLine;
    });
}
