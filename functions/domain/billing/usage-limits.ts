import { Decimal } from '../decimal.js';
import type { Contribution, UsageEvent } from '../metering/ingest.js';
import { gridPeriodContaining, type Period, type PeriodGrid } from './periods.js';
import { advance, gridOf, type Subscription } from './subscription.js';

/** A usage limit of one meter per billing period: `hard` rejects what would pass it, soft only shows it. */
export interface UsageLimit {
  /** Non-negative decimal string. */
  limit: string;
  hard: boolean;
}

/** Usage limits per meter key (count and sum meters only). */
export type UsageLimits = Record<string, UsageLimit>;

/** Aggregations a usage limit can be set on: their usage only grows with each event. */
export const LIMITABLE_AGGREGATIONS = ['count', 'sum'] as const;

/**
 * What ingest needs to enforce a subscription's hard limits, denormalized onto the customer item
 * (`usage_limits`) whenever the subscription is created, updated or advanced: the hard limits and
 * how an event time maps to the billing period it counts in. Customers without hard limits carry
 * none and pay nothing for this at ingest.
 */
export interface LimitSchedule {
  subscriptionId: string;
  /** Hard limits per meter key (decimal strings). */
  hard: Record<string, string>;
  /** The current segment: events before its start count toward no limit. */
  start: string;
  end: string;
  /** The full period of the current segment (a cut segment keeps the period it belongs to). */
  fullStart: string;
  fullEnd: string;
  /** The grid of the periods after the current segment; absent when the subscription ends with it. */
  next?: PeriodGrid;
}

/** The schedule ingest enforces for a subscription, or undefined when it has no hard limit (or has ended). */
export function limitScheduleOf(subscription: Subscription): LimitSchedule | undefined {
  if (subscription.status !== 'active') return undefined;
  const hard = Object.fromEntries(
    Object.entries(subscription.usageLimits ?? {})
      .filter(([, limit]) => limit.hard)
      .map(([meter, limit]) => [meter, limit.limit]),
  );
  if (Object.keys(hard).length === 0) return undefined;
  return { subscriptionId: subscription.id, hard, ...limitWindowOf(subscription) };
}

/** How a subscription's event times map to billing periods for usage limits (see `limitPeriodOf`). */
export function limitWindowOf(
  subscription: Subscription,
): Pick<LimitSchedule, 'start' | 'end' | 'fullStart' | 'fullEnd' | 'next'> {
  const { current } = subscription;
  return {
    start: current.start,
    end: current.end,
    fullStart: current.fullStart,
    fullEnd: current.fullEnd,
    ...(subscription.endsAfterCurrent ? {} : { next: gridOf(advance(subscription, new Date(current.end))) }),
  };
}

/**
 * The billing period an instant counts in for usage limits: the current segment's full period, the
 * periods after it on the grid that follows it (so events of a period that has begun but is not
 * closed yet count toward that period at once), or none (before the subscription's segment, or
 * after its end).
 */
export function limitPeriodOf(
  schedule: Pick<LimitSchedule, 'start' | 'end' | 'fullStart' | 'fullEnd' | 'next'>,
  time: Date,
): Period | undefined {
  if (time < new Date(schedule.start)) return undefined;
  if (time < new Date(schedule.end)) return { start: new Date(schedule.fullStart), end: new Date(schedule.fullEnd) };
  if (!schedule.next) return undefined;
  const { start, end } = gridPeriodContaining(schedule.next, time);
  return { start, end };
}

/** What one event adds to one (customer, meter, period) usage total under a hard limit. */
export interface LimitCharge {
  /** Identifies the total: customer, meter and period start. */
  key: string;
  customerId: string;
  meterKey: string;
  periodStart: string;
  periodEnd: string;
  limit: Decimal;
  quantity: Decimal;
}

export const limitTotalKey = (customerId: string, meterKey: string, periodStart: string) =>
  `${customerId}\u0000${meterKey}\u0000${periodStart}`;

/**
 * The charges an event makes against the hard limits of its customer's schedule: one per limited
 * count (1) or sum (its value) meter among its contributions, for the period its time falls in.
 */
export function limitCharges(
  event: UsageEvent,
  contributions: readonly Contribution[],
  schedule: LimitSchedule,
): LimitCharge[] {
  const charges: LimitCharge[] = [];
  let period: Period | undefined | null = null;
  for (const { meter, value } of contributions) {
    if (!Object.hasOwn(schedule.hard, meter.key)) continue;
    if (meter.aggregation !== 'count' && meter.aggregation !== 'sum') continue;
    if (period === null) period = limitPeriodOf(schedule, event.time);
    if (!period) return [];
    const periodStart = period.start.toISOString();
    charges.push({
      key: limitTotalKey(event.subject, meter.key, periodStart),
      customerId: event.subject,
      meterKey: meter.key,
      periodStart,
      periodEnd: period.end.toISOString(),
      limit: new Decimal(schedule.hard[meter.key] ?? '0'),
      quantity: meter.aggregation === 'count' ? new Decimal(1) : (value ?? new Decimal(0)),
    });
  }
  return charges;
}

/**
 * Decides, in the given order, which items fit their hard limits: an item fits when every total it
 * charges stays at or below its limit after it (with the items that fit before it). An item that
 * does not fit adds nothing, so a smaller one after it may still fit. `used` holds the stored totals.
 */
export function fitLimits<T>(
  items: readonly T[],
  chargesOf: (item: T) => readonly LimitCharge[],
  used: ReadonlyMap<string, Decimal>,
): { fits: T[]; over: Array<{ item: T; charge: LimitCharge; used: Decimal }> } {
  const running = new Map(used);
  const fits: T[] = [];
  const over: Array<{ item: T; charge: LimitCharge; used: Decimal }> = [];
  for (const item of items) {
    const charges = chargesOf(item);
    const exceeded = charges.find((c) => (running.get(c.key) ?? new Decimal(0)).plus(c.quantity).gt(c.limit));
    if (exceeded) {
      over.push({ item, charge: exceeded, used: running.get(exceeded.key) ?? new Decimal(0) });
      continue;
    }
    for (const c of charges) running.set(c.key, (running.get(c.key) ?? new Decimal(0)).plus(c.quantity));
    fits.push(item);
  }
  return { fits, over };
}
