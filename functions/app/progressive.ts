import { createHash } from 'node:crypto';
import { formatLocalDate, localDateOf } from '../domain/billing/periods.js';
import { billedEarly, levelReached, progressiveCreditLines, usageBill } from '../domain/billing/progressive.js';
import type { Subscription } from '../domain/billing/subscription.js';
import { customerTaxBuyer, REVERSE_CHARGE_NOTE, taxTreatment } from '../domain/billing/tax.js';
import { invoiceTotals } from '../domain/billing/totals.js';
import type { Invoice } from '../domain/invoice.js';
import { formatAmount } from '../domain/money.js';
import { addDays } from '../domain/time/zone.js';
import { buyerParty, type CloseDeps, plainLine, sellerParty, upcomingInvoice } from './close-period.js';
import { CreditsChangedError } from './errors.js';

export type ThresholdDeps = Pick<
  CloseDeps,
  'plans' | 'meters' | 'usage' | 'config' | 'clock' | 'customers' | 'credits' | 'invoices' | 'enqueueDelivery'
>;

export type ThresholdOutcome =
  | {
      subscriptionId: string;
      status: 'invoiced';
      invoiceId: string;
      invoiceNumber: string;
      /** False when another check had written this interim invoice already. */
      created: boolean;
      level: number;
      usageAmount: string;
    }
  | { subscriptionId: string; status: 'none'; reason: string; usageAmount?: string };

/** The id of the interim invoice of a subscription's period at a threshold level: the same for every check. */
export const progressiveInvoiceId = (subscriptionId: string, periodStart: string, level: number) =>
  `in_${createHash('sha256').update(`progressive|${subscriptionId}|${periodStart}|${level}`).digest('hex').slice(0, 24)}`;

/**
 * Progressive billing: rates the subscription's current period live (as the upcoming invoice does)
 * and, when its usage charges reached a threshold level not invoiced yet, issues an interim invoice
 * (kind `progressive`, numbered in the same series, emailed and collected like any other) for the
 * usage so far less what the period's earlier interim invoices billed. Once per level and period:
 * the invoice id is derived from (subscription, period, level) and the period's marker moves in the
 * invoice's own transaction, so racing checks write one invoice; a check that lost to another level
 * computes again from the new marker.
 */
export async function checkThresholds(
  deps: ThresholdDeps,
  subscription: Subscription,
  now: Date = deps.clock(),
): Promise<ThresholdOutcome> {
  const subscriptionId = subscription.id;
  if (subscription.status !== 'active') return { subscriptionId, status: 'none', reason: 'the subscription has ended' };
  if (now < new Date(subscription.current.start))
    return { subscriptionId, status: 'none', reason: 'the period has not started' };
  if (now >= new Date(subscription.current.end))
    return { subscriptionId, status: 'none', reason: 'the period has ended: its own invoice bills it' };
  for (let attempt = 0; ; attempt++) {
    try {
      return await checkOnce(deps, subscription, now);
    } catch (error) {
      if (!(error instanceof CreditsChangedError) || attempt >= 4) throw error;
    }
  }
}

async function checkOnce(deps: ThresholdDeps, subscription: Subscription, now: Date): Promise<ThresholdOutcome> {
  const subscriptionId = subscription.id;
  const { plan, rated, until, customer } = await upcomingInvoice(deps, subscription);
  if (!plan.progressiveBilling) return { subscriptionId, status: 'none', reason: 'the plan has no thresholds' };
  const usageLines = rated.lines.filter((line) => line.kind === 'usage').map(plainLine);
  const usageAmount = usageBill(usageLines);
  const usage = formatAmount(usageAmount, plan.currency);
  const level = levelReached(plan.progressiveBilling, usageAmount);
  const periodStart = subscription.current.start;
  const state = await deps.invoices.progressive(subscriptionId, periodStart);
  if (!level || level.index <= state.index)
    return { subscriptionId, status: 'none', reason: 'no new threshold reached', usageAmount: usage };
  const net = usageAmount.minus(billedEarly(state));
  if (net.lte(0)) return { subscriptionId, status: 'none', reason: 'nothing left to bill early', usageAmount: usage };

  const period = { periodStart, periodEnd: subscription.current.end };
  const tax = taxTreatment(deps.config.seller, customerTaxBuyer(customer));
  const { totals, lines, discounts, credits, taxBreakdown } = invoiceTotals({
    currency: plan.currency,
    planKey: plan.key,
    periodEnd: new Date(subscription.current.end),
    lines: [...usageLines, ...progressiveCreditLines(state, plan.currency, period)],
    // Coupons, grants and the balance are the period's own invoice's to apply.
    coupons: [],
    grants: [],
    tax,
  });
  const issueDate = localDateOf(now, subscription.timeZone);
  const series = deps.config.invoicePrefix.replaceAll('{YYYY}', String(issueDate.year));
  const { paymentInstructions } = deps.config.seller;
  const reverseCharge = tax.category === 'AE';
  const threshold = formatAmount(level.threshold, plan.currency);
  const draft: Omit<Invoice, 'number'> = {
    id: progressiveInvoiceId(subscriptionId, periodStart, level.index),
    kind: 'progressive',
    progressive: { index: level.index, threshold },
    series,
    status: 'finalized',
    customerId: customer.id,
    subscriptionId,
    planKey: plan.key,
    planVersion: plan.version,
    currency: plan.currency,
    locale: customer.locale,
    timezone: subscription.timeZone,
    issueDate: formatLocalDate(issueDate),
    dueDate: formatLocalDate(addDays(issueDate, customer.paymentTermsDays)),
    issuedAt: now.toISOString(),
    ...period,
    seller: sellerParty(deps.config),
    buyer: buyerParty(customer),
    lines,
    ...totals,
    taxRate: tax.rate.toFixed(),
    discounts,
    credits,
    taxBreakdown,
    reverseCharge,
    notes: [
      `Interim invoice: the usage of this period through ${until.toISOString()} reached ${threshold} ${plan.currency}; the period's invoice credits it.`,
      ...(reverseCharge ? [REVERSE_CHARGE_NOTE] : []),
    ],
    ...(paymentInstructions ? { paymentInstructions } : {}),
    paymentTermsDays: customer.paymentTermsDays,
    ...(customer.paymentProviderId ? { collection: 'automatic' as const } : {}),
    delivery: { status: 'pending', attempts: 0 },
  };
  const { invoice, created } = await deps.invoices.finalize(
    draft,
    (sequence) => `${series}${String(sequence).padStart(deps.config.invoicePadding, '0')}`,
    {
      couponsAfter: [],
      grantsDrawn: [],
      progressive: { subscriptionId, periodStart, previous: state, index: level.index, amount: totals.subtotal },
    },
  );
  if (created) await deps.enqueueDelivery?.(invoice);
  return {
    subscriptionId,
    status: 'invoiced',
    invoiceId: invoice.id,
    invoiceNumber: invoice.number,
    created,
    level: level.index,
    usageAmount: usage,
  };
}
