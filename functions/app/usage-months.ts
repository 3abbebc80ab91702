import type { Meter } from '../domain/metering/meter.js';
import type { Clock } from './ports/clock.js';

/** What converting older customers needs (the DynamoDB `CustomerStore` and `UsageStore`). */
export interface UsageMonthsBackfillDeps {
  clock: Clock;
  meters: { list(): Promise<Meter[]> };
  customers: {
    startUsageMonths(id: string): Promise<boolean>;
    completeUsageMonths(id: string, months: readonly string[]): Promise<boolean>;
    settleOneOffCharges(id: string): Promise<boolean>;
  };
  usage: { monthsWithCounters(customerId: string, eventTypes: readonly string[], now: Date): Promise<string[]> };
}

/** At most this many customers are converted per call (one estimates refresh). */
export const BACKFILL_PER_REFRESH = 100;

/**
 * Gives customers created before 2026-12-03 what newer ones carry from their creation: the UTC months
 * of their usage (`usage_months`) and whether they ever had a one-off charge (`one_off_charges`), so
 * the estimates refresh skips their quiet months and their charges as it does for newer ones. Per
 * customer whose months are not known (`usageMonths` absent):
 *
 * 1. the item gets the set {`-`, `~`}: ingestion records the months of new events from now on, and a
 *    request that read the customer before fails its customer check and reads it again;
 * 2. the months of the counters the customer has are added, then `~` is removed: readers trust the set.
 *
 * A customer found in the middle (an interrupted run, or another refresh) is completed the same way:
 * both steps are idempotent. And `one_off_charges` is set from whether a charge item exists, only while
 * absent (a charge created meanwhile sets it true in its own transaction). Returns how many customers
 * it worked on.
 */
export async function backfillUsageMonths(
  deps: UsageMonthsBackfillDeps,
  customers: ReadonlyArray<{ id: string; usageMonths?: readonly string[]; oneOffCharges?: boolean }>,
): Promise<number> {
  const pending = customers
    .filter((customer) => customer.usageMonths === undefined || customer.oneOffCharges === undefined)
    .slice(0, BACKFILL_PER_REFRESH);
  if (pending.length === 0) return 0;
  const eventTypes = [...new Set((await deps.meters.list()).map((meter) => meter.eventType))];
  for (const customer of pending) {
    if (customer.usageMonths === undefined) {
      await deps.customers.startUsageMonths(customer.id);
      const months = await deps.usage.monthsWithCounters(customer.id, eventTypes, deps.clock());
      await deps.customers.completeUsageMonths(customer.id, months);
    }
    if (customer.oneOffCharges === undefined) await deps.customers.settleOneOffCharges(customer.id);
  }
  return pending.length;
}
