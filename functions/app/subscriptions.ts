import { randomUUID } from 'node:crypto';
import { type LocalDate, localDateOf } from '../domain/billing/periods.js';
import { advance, cutCurrentSegment, gridOf, type Subscription, segmentFrom } from '../domain/billing/subscription.js';
import { LIMITABLE_AGGREGATIONS, type UsageLimits } from '../domain/billing/usage-limits.js';
import type { Meter } from '../domain/metering/meter.js';
import { zonedInstant } from '../domain/time/zone.js';
import { ConflictError, InvalidInputError } from './errors.js';
import { checkPriceAgainstMeter, parseOverride, toPlanVersion } from './plans.js';
import type { Clock } from './ports/clock.js';
import type { StoredPlanVersion } from './ports/plans.js';

export interface SubscriptionDeps {
  plans: {
    latest(key: string): Promise<StoredPlanVersion>;
    get(key: string, version: number): Promise<StoredPlanVersion>;
  };
  meters: { list(): Promise<Meter[]> };
  customers: { get(id: string): Promise<{ id: string; timezone: string; currency: string }> };
  subscriptions: {
    create(subscription: Subscription): Promise<void>;
    get(id: string): Promise<Subscription>;
    replace(previous: Subscription, next: Subscription): Promise<boolean>;
  };
  clock: Clock;
}

export interface CreateSubscriptionInput {
  id?: string;
  customer: string;
  plan: string;
  planVersion?: number;
  /** Local date (YYYY-MM-DD, in the customer's time zone) or an instant. */
  startDate: string;
  /** Local date whose day of month (or weekday) anchors the periods; default the start date. */
  billingAnchor?: string;
  priceOverrides?: Record<string, unknown>;
  /** Usage limits per meter key (validated in shape; the meters are checked here). */
  usageLimits?: UsageLimits;
}

function instantOf(text: string, timeZone: string): Date {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const [year, month, day] = text.split('-').map(Number) as [number, number, number];
    return zonedInstant({ year, month, day }, timeZone);
  }
  return new Date(text);
}

async function planFor(deps: SubscriptionDeps, key: string, version?: number) {
  const stored = version === undefined ? await deps.plans.latest(key) : await deps.plans.get(key, version);
  return toPlanVersion(stored);
}

async function checkOverrides(
  deps: SubscriptionDeps,
  overrides: Record<string, unknown>,
  chargeMeters: string[],
): Promise<void> {
  const meters = new Map((await deps.meters.list()).map((m) => [m.key, m]));
  const problems: Array<{ path: string; message: string }> = [];
  for (const [meterKey, wire] of Object.entries(overrides)) {
    const meter = meters.get(meterKey);
    if (!chargeMeters.includes(meterKey) || !meter) {
      problems.push({
        path: `/price_overrides/${meterKey}`,
        message: `the plan has no charge for meter '${meterKey}'`,
      });
      continue;
    }
    problems.push(...checkPriceAgainstMeter(parseOverride(wire), meter, `/price_overrides/${meterKey}`));
  }
  if (problems.length > 0) throw new InvalidInputError(problems, 'the price overrides do not fit the plan');
}

/** Every limited meter exists and aggregates with count or sum; otherwise 400 naming the field. */
async function checkUsageLimits(deps: SubscriptionDeps, limits: UsageLimits): Promise<void> {
  const entries = Object.entries(limits);
  if (entries.length === 0) return;
  const meters = new Map((await deps.meters.list()).map((m) => [m.key, m]));
  const problems: Array<{ path: string; message: string }> = [];
  for (const [meterKey] of entries) {
    const meter = meters.get(meterKey);
    if (!meter) problems.push({ path: `/usage_limits/${meterKey}`, message: `there is no meter '${meterKey}'` });
    else if (!(LIMITABLE_AGGREGATIONS as readonly string[]).includes(meter.aggregation))
      problems.push({
        path: `/usage_limits/${meterKey}`,
        message: `meter '${meterKey}' aggregates with ${meter.aggregation}; usage limits apply to count and sum meters only`,
      });
  }
  if (problems.length > 0) throw new InvalidInputError(problems, 'the usage limits do not fit the meters');
}

/** Own entries only, in a fresh object (the wire map may name any key). */
const ownLimits = (limits: UsageLimits | undefined): UsageLimits =>
  Object.fromEntries(Object.entries(limits ?? {}).map(([meter, { limit, hard }]) => [meter, { limit, hard }]));

export async function createSubscription(
  deps: SubscriptionDeps,
  input: CreateSubscriptionInput,
): Promise<Subscription> {
  const customer = await deps.customers.get(input.customer);
  const plan = await planFor(deps, input.plan, input.planVersion);
  if (plan.currency !== customer.currency) {
    throw new InvalidInputError([
      {
        path: '/plan',
        message: `plan '${plan.key}' bills in ${plan.currency} but customer '${customer.id}' pays in ${customer.currency}`,
      },
    ]);
  }
  await checkOverrides(
    deps,
    input.priceOverrides ?? {},
    plan.charges.map((c) => c.meter),
  );
  const usageLimits = ownLimits(input.usageLimits);
  await checkUsageLimits(deps, usageLimits);
  const start = instantOf(input.startDate, customer.timezone);
  const anchor: LocalDate = localDateOf(
    input.billingAnchor ? instantOf(input.billingAnchor, customer.timezone) : start,
    customer.timezone,
  );
  const now = deps.clock().toISOString();
  const grid = { anchor, interval: plan.interval, intervalCount: plan.intervalCount };
  const subscription: Subscription = {
    id: input.id ?? `sub_${randomUUID().replaceAll('-', '').slice(0, 20)}`,
    customerId: customer.id,
    status: 'active',
    planKey: plan.key,
    planVersion: plan.version,
    priceOverrides: input.priceOverrides ?? {},
    ...(Object.keys(usageLimits).length > 0 ? { usageLimits } : {}),
    timeZone: customer.timezone,
    grid,
    current: segmentFrom({ ...grid, timeZone: customer.timezone }, start, plan, 0),
    createdAt: now,
    updatedAt: now,
  };
  await deps.subscriptions.create(subscription);
  return subscription;
}

async function mutate(
  deps: SubscriptionDeps,
  id: string,
  change: (current: Subscription) => Subscription | Promise<Subscription>,
): Promise<Subscription> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const current = await deps.subscriptions.get(id);
    if (current.status !== 'active') throw new ConflictError(`subscription '${id}' has ended`);
    const next = { ...(await change(current)), updatedAt: deps.clock().toISOString() };
    if (next.updatedAt === current.updatedAt)
      next.updatedAt = new Date(deps.clock().getTime() + attempt + 1).toISOString();
    if (await deps.subscriptions.replace(current, next)) return next;
  }
  throw new ConflictError(`subscription '${id}' keeps changing; retry`);
}

/**
 * Replaces the subscription's usage limits (an empty map removes them). Hard limits take effect for
 * ingest at once: the customer's copy changes in the same transaction as the subscription.
 */
export async function setUsageLimits(deps: SubscriptionDeps, id: string, limits: UsageLimits): Promise<Subscription> {
  const usageLimits = ownLimits(limits);
  await checkUsageLimits(deps, usageLimits);
  return mutate(deps, id, (current) => {
    const next: Subscription = { ...current, usageLimits };
    if (Object.keys(usageLimits).length === 0) delete next.usageLimits;
    return next;
  });
}

/** Cancels now (the current segment ends at the current 15-minute bucket and is invoiced) or at the period end. */
export async function cancelSubscription(
  deps: SubscriptionDeps,
  id: string,
  at: 'now' | 'period_end',
): Promise<Subscription> {
  return mutate(deps, id, (current) => {
    const next: Subscription = { ...current, endsAfterCurrent: true, canceledAt: deps.clock().toISOString() };
    delete next.pendingChange;
    return at === 'now' ? cutCurrentSegment(next, deps.clock()) : next;
  });
}

/**
 * Changes the plan now (the current segment ends at the current 15-minute bucket, is invoiced on
 * the old plan with its base fee prorated, and the rest of the period runs on the new plan,
 * prorated too) or at the end of the period.
 */
export async function changePlan(
  deps: SubscriptionDeps,
  id: string,
  planKey: string,
  planVersion: number | undefined,
  at: 'now' | 'period_end',
): Promise<Subscription> {
  const plan = await planFor(deps, planKey, planVersion);
  return mutate(deps, id, async (current) => {
    const customer = await deps.customers.get(current.customerId);
    if (plan.currency !== customer.currency) {
      throw new InvalidInputError([
        {
          path: '/plan',
          message: `plan '${plan.key}' bills in ${plan.currency} but the customer pays in ${customer.currency}`,
        },
      ]);
    }
    await checkOverrides(
      deps,
      current.priceOverrides,
      plan.charges.map((c) => c.meter),
    );
    const reanchor = plan.interval !== current.grid.interval || plan.intervalCount !== current.grid.intervalCount;
    const pending = {
      planKey: plan.key,
      planVersion: plan.version,
      interval: plan.interval,
      intervalCount: plan.intervalCount,
      reanchor,
    };
    if (at === 'period_end') return { ...current, pendingChange: pending };
    const cut = cutCurrentSegment(current, deps.clock());
    if (cut.current.end === current.current.start) {
      // Nothing of the segment has passed yet: switch its plan in place.
      const switched: Subscription = { ...current, planKey: plan.key, planVersion: plan.version };
      if (reanchor)
        switched.grid = {
          anchor: localDateOf(new Date(current.current.start), current.timeZone),
          interval: plan.interval,
          intervalCount: plan.intervalCount,
        };
      switched.current = segmentFrom(gridOf(switched), new Date(current.current.start), plan, current.current.index);
      return switched;
    }
    return { ...cut, pendingChange: pending };
  });
}

export { advance };
