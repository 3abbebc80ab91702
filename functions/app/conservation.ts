import type { Subscription } from '../domain/billing/subscription.js';
import { Decimal, sum, ZERO } from '../domain/decimal.js';
import type { Invoice } from '../domain/invoice.js';
import { aggregationOf } from '../domain/metering/aggregations/index.js';
import type { Meter } from '../domain/metering/meter.js';
import type { BilledCharge } from './ports/invoices.js';
import { priceInputFor, type UsageReader } from './usage-input.js';

export interface ConservationDeps {
  meters: { list(): Promise<Meter[]> };
  subscriptions: { byCustomer(customerId: string): Promise<Subscription[]> };
  invoices: {
    byCustomer(customerId: string): Promise<Invoice[]>;
    billedCharges(invoiceId: string): Promise<Map<string, BilledCharge>>;
  };
  usage: UsageReader;
}

/** One invoiced period of one meter: what the counters hold now against what was billed for it. */
export interface BilledPeriod {
  invoiceId: string;
  invoiceNumber: string;
  periodStart: string;
  periodEnd: string;
  /** The meter's usage in the period, from the counters now (late events and cancellations included). */
  accepted: Decimal;
  /** The quantity of the invoice's usage line. */
  invoiced: Decimal;
  /** What later invoices (adjustment lines) and credit notes changed it by. */
  adjusted: Decimal;
  /** accepted − invoiced − adjusted: what the next invoice adjusts (0 once it has). */
  awaitingAdjustment: Decimal;
}

export interface MeterConservation {
  meter: string;
  /** The meter's usage over [from, to) from the counters, read in one go. */
  accepted: Decimal;
  invoiced: Decimal;
  adjusted: Decimal;
  awaitingAdjustment: Decimal;
  /** Usage of periods not invoiced yet (current periods, drafts) inside [from, to). */
  unbilled: Decimal;
  /** Usage of void periods not issued again. */
  voided: Decimal;
  /** Usage in [from, to) outside every period a subscription of the customer covered (never negative). */
  unsubscribed: Decimal;
  periods: BilledPeriod[];
}

const PER_UNIT_ZERO = { model: 'per_unit', unitPrice: ZERO } as const;

/**
 * Conservation of usage through billing, per additive meter (count, sum) of the customer: every unit
 * accepted in [from, to) is invoiced, adjusted since, awaiting its adjustment on the next invoice, in a
 * period not invoiced yet, in a void period, or outside any subscription. `accepted` is read over the whole range at once;
 * the parts are read per period and from the invoices, so a lost or doubled unit shows as a difference
 * (`balanced: false`). Invoiced periods count when they lie inside [from, to).
 */
export async function billingConservation(
  deps: ConservationDeps,
  customerId: string,
  from: Date,
  to: Date,
): Promise<{ meters: MeterConservation[]; balanced: boolean }> {
  const [meters, subscriptions, invoices] = await Promise.all([
    deps.meters.list(),
    deps.subscriptions.byCustomer(customerId),
    deps.invoices.byCustomer(customerId),
  ]);
  const billed = [...invoices]
    .sort((a, b) => a.periodStart.localeCompare(b.periodStart))
    .filter(
      (i) =>
        (i.status === 'finalized' || i.status === 'paid') &&
        i.kind !== 'one_off' &&
        // An interim invoice's usage is billed again (and its amount credited) by the period's own invoice.
        i.kind !== 'progressive' &&
        Date.parse(i.periodStart) >= from.getTime() &&
        Date.parse(i.periodEnd) <= to.getTime(),
    );
  const marks = new Map(
    await Promise.all(billed.map(async (i) => [i.id, await deps.invoices.billedCharges(i.id)] as const)),
  );
  const quantity = async (meter: Meter, start: Date, end: Date) =>
    start >= end
      ? ZERO
      : ((await priceInputFor(deps.usage, customerId, meter, PER_UNIT_ZERO, start, end, 'UTC')).quantity ?? ZERO);
  // The current periods (and the periods of drafts) of the customer's subscriptions, inside the range.
  const open = subscriptions
    .filter((s) => s.status === 'active')
    .map((s) => ({
      start: new Date(Math.max(Date.parse(s.current.start), from.getTime())),
      end: new Date(Math.min(Date.parse(s.current.end), to.getTime())),
    }));
  // Void periods not issued again: accepted, deliberately not billed.
  const voided = invoices
    .filter(
      (i) =>
        i.status === 'void' &&
        i.kind !== 'one_off' &&
        i.kind !== 'progressive' &&
        !i.reissuedAs &&
        Date.parse(i.periodStart) >= from.getTime() &&
        Date.parse(i.periodEnd) <= to.getTime(),
    )
    .map((i) => ({ start: new Date(i.periodStart), end: new Date(i.periodEnd) }));

  const result: MeterConservation[] = [];
  let balanced = true;
  for (const meter of meters.filter((m) => aggregationOf(m.aggregation).additive && m.aggregation !== 'weighted_sum')) {
    const periods: BilledPeriod[] = [];
    for (const invoice of billed) {
      const line = invoice.lines.find((l) => l.kind === 'usage' && l.meter === meter.key);
      if (!line) continue;
      const accepted = await quantity(meter, new Date(invoice.periodStart), new Date(invoice.periodEnd));
      const invoiced = new Decimal(line.quantity);
      const mark = marks.get(invoice.id)?.get(meter.key);
      const adjusted = mark ? new Decimal(mark.quantity).minus(invoiced) : ZERO;
      periods.push({
        invoiceId: invoice.id,
        invoiceNumber: invoice.number,
        periodStart: invoice.periodStart,
        periodEnd: invoice.periodEnd,
        accepted,
        invoiced,
        adjusted,
        awaitingAdjustment: accepted.minus(invoiced).minus(adjusted),
      });
    }
    const unbilled = sum(await Promise.all(open.map((p) => quantity(meter, p.start, p.end))));
    const voidedUsage = sum(await Promise.all(voided.map((p) => quantity(meter, p.start, p.end))));
    const accepted = await quantity(meter, from, to);
    const covered = sum(periods.map((p) => p.accepted))
      .plus(unbilled)
      .plus(voidedUsage);
    const row: MeterConservation = {
      meter: meter.key,
      accepted,
      invoiced: sum(periods.map((p) => p.invoiced)),
      adjusted: sum(periods.map((p) => p.adjusted)),
      awaitingAdjustment: sum(periods.map((p) => p.awaitingAdjustment)),
      unbilled,
      voided: voidedUsage,
      unsubscribed: accepted.minus(covered),
      periods,
    };
    if (row.unsubscribed.isNegative()) balanced = false;
    result.push(row);
  }
  return { meters: result, balanced };
}
