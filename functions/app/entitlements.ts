import type { Subscription } from '../domain/billing/subscription.js';
import { limitPeriodOf, limitTotalKey, limitWindowOf } from '../domain/billing/usage-limits.js';
import { Decimal, ZERO } from '../domain/decimal.js';
import { bucketKey } from '../domain/metering/buckets.js';
import type { Meter } from '../domain/metering/meter.js';
import type { Clock } from './ports/clock.js';
import type { CounterReader } from './ports/usage.js';

export interface EntitlementsDeps {
  customers: { get(id: string): Promise<{ id: string }> };
  subscriptions: { byCustomer(customerId: string): Promise<Subscription[]> };
  meters: { list(): Promise<Meter[]> };
  usage: Pick<CounterReader, 'counters'> & {
    limitTotals(
      totals: ReadonlyArray<{ customerId: string; meterKey: string; periodStart: string }>,
    ): Promise<Map<string, Decimal>>;
  };
  clock: Clock;
}

export interface Entitlement {
  meter: string;
  limit: Decimal;
  hard: boolean;
  usage: Decimal;
  /** limit - usage: negative when a soft limit is passed (a hard limit never is). */
  remaining: Decimal;
  periodStart: Date;
  periodEnd: Date;
}

/**
 * The usage limits of a customer's active subscription with the usage of the period that holds
 * now, live. A hard limit's usage is its usage total (what ingest checks, in the same transaction
 * that counts); a soft limit's is read from the counters of the period.
 */
export async function entitlements(
  deps: EntitlementsDeps,
  customerId: string,
): Promise<{ subscriptionId?: string; items: Entitlement[] }> {
  await deps.customers.get(customerId);
  const active = (await deps.subscriptions.byCustomer(customerId)).filter((s) => s.status === 'active');
  const subscription = active[0];
  if (!subscription?.usageLimits || Object.keys(subscription.usageLimits).length === 0)
    return { ...(subscription ? { subscriptionId: subscription.id } : {}), items: [] };

  const { period, from } = limitPeriodNow(subscription, deps.clock());
  const periodStart = period.start.toISOString();
  const limits = Object.entries(subscription.usageLimits).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const meters = new Map((await deps.meters.list()).map((m) => [m.key, m]));
  const hardOnes = limits
    .filter(([, limit]) => limit.hard)
    .map(([meterKey]) => ({ customerId, meterKey, periodStart }));
  const totals = hardOnes.length > 0 ? await deps.usage.limitTotals(hardOnes) : new Map<string, Decimal>();

  const items = await Promise.all(
    limits.map(async ([meterKey, { limit: limitText, hard }]): Promise<Entitlement> => {
      const limit = new Decimal(limitText);
      let usage = ZERO;
      const meter = meters.get(meterKey);
      if (hard) usage = totals.get(limitTotalKey(customerId, meterKey, periodStart)) ?? ZERO;
      else if (meter) usage = await countedUsage(deps, subscription, meter, from, period.end);
      return {
        meter: meterKey,
        limit,
        hard,
        usage,
        remaining: limit.minus(usage),
        periodStart: period.start,
        periodEnd: period.end,
      };
    }),
  );
  return { subscriptionId: subscription.id, items };
}

/** The limit period that holds `now`, and where its usage starts (the subscription's start when later). */
function limitPeriodNow(subscription: Subscription, now: Date): { period: { start: Date; end: Date }; from: Date } {
  const { current } = subscription;
  const window = limitWindowOf(subscription);
  // Before the subscription starts or after it ends: the current segment's period.
  const period = limitPeriodOf(window, now) ?? { start: new Date(current.fullStart), end: new Date(current.fullEnd) };
  // Usage counts from the subscription's start, also when it started inside the period.
  const from =
    current.index === 0 &&
    period.start.getTime() === Date.parse(current.fullStart) &&
    Date.parse(current.start) > period.start.getTime()
      ? new Date(current.start)
      : period.start;
  return { period, from };
}

/** What the counters hold of a count or sum meter in [from, to). */
async function countedUsage(
  deps: Pick<EntitlementsDeps, 'usage'>,
  subscription: Subscription,
  meter: Meter,
  from: Date,
  to: Date,
): Promise<Decimal> {
  const rows = await deps.usage.counters(subscription.customerId, meter, bucketKey(from), bucketKey(to), {
    timeZone: subscription.timeZone,
  });
  let usage = ZERO;
  for (const row of rows) usage = usage.plus(meter.aggregation === 'count' ? row.count : row.sum);
  return usage;
}

export interface LimitSeedDeps extends Pick<EntitlementsDeps, 'meters' | 'clock'> {
  usage: EntitlementsDeps['usage'] & {
    addToLimitTotal(
      total: { customerId: string; meterKey: string; periodStart: string; periodEnd: string },
      quantity: Decimal,
    ): Promise<void>;
  };
}

/**
 * A hard limit set on a period already under way counts the usage of that period so far: once the
 * limit is in force (the customer item carries it, so every ingest transaction from then on adds to
 * the total), what the counters hold beyond the total is added to it. The total is read before the
 * counters, so an event counted in between is added twice at worst: a race makes the limit bite a
 * little early, never late.
 */
export async function seedLimitTotals(deps: LimitSeedDeps, subscription: Subscription, meterKeys: readonly string[]) {
  if (meterKeys.length === 0) return;
  const { period, from } = limitPeriodNow(subscription, deps.clock());
  const periodStart = period.start.toISOString();
  const customerId = subscription.customerId;
  const totals = await deps.usage.limitTotals(meterKeys.map((meterKey) => ({ customerId, meterKey, periodStart })));
  const meters = new Map((await deps.meters.list()).map((m) => [m.key, m]));
  for (const meterKey of meterKeys) {
    const meter = meters.get(meterKey);
    if (!meter) continue;
    const counted = await countedUsage(deps, subscription, meter, from, period.end);
    const missing = counted.minus(totals.get(limitTotalKey(customerId, meterKey, periodStart)) ?? ZERO);
    if (missing.gt(0))
      await deps.usage.addToLimitTotal(
        { customerId, meterKey, periodStart, periodEnd: period.end.toISOString() },
        missing,
      );
  }
}

/** The meters that have a hard limit in `after` and had none in `before`. */
export function newHardLimits(before: Subscription | undefined, after: Subscription): string[] {
  return Object.entries(after.usageLimits ?? {})
    .filter(([meter, limit]) => limit.hard && !before?.usageLimits?.[meter]?.hard)
    .map(([meter]) => meter);
}
