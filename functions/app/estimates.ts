import type { Subscription } from '../domain/billing/subscription.js';
import { Decimal } from '../domain/decimal.js';
import { isStorageError } from './errors.js';
import type { Clock } from './ports/clock.js';
import { money } from './reports.js';

/**
 * What each customer's current period would bill if it closed now: the upcoming invoice of every
 * active subscription, rated from the counters by a refresh (on a schedule, after a billing run, or
 * on request) and stored, so that the overview and the customer list read it instead of rating
 * 10,000 subscriptions per page load. Estimates are never billed from: the close rates again.
 */
export interface Estimate {
  customer: string;
  name: string;
  subscription: string;
  plan: string;
  plan_version: number;
  currency: string;
  period_start: string;
  period_end: string;
  /** Usage is counted up to here (the end of the current 15-minute bucket, or the period end). */
  usage_through: string;
  /** Usage so far per meter of the plan's charges, as the upcoming invoice lines show it. */
  usage: Array<{ meter: string; quantity: string }>;
  subtotal: string;
  total: string;
  /** The refresh this estimate belongs to. */
  as_of: string;
}

export interface UpcomingReport {
  /** When the estimates were rated. */
  as_of: string;
  /** How long rating every active subscription took, in milliseconds. */
  duration_ms: number;
  /** Per currency: the sum of the upcoming invoices of all active subscriptions. */
  totals: Array<{ currency: string; count: number; subtotal: string; total: string }>;
  /** The largest upcoming invoices (per currency, total descending). */
  top: Estimate[];
  subscriptions: number;
  /**
   * Subscriptions that could not be rated, left out of the sums: `rating_failed` (a plan or usage
   * problem, named in `error`) or `storage_unavailable` (passing: the next refresh tries again).
   */
  failed: Array<{
    subscription: string;
    customer: string;
    code: 'rating_failed' | 'storage_unavailable';
    error: string;
  }>;
}

export interface EstimateDeps {
  clock: Clock;
  activeSubscriptions(): Promise<Subscription[]>;
  rate(subscription: Subscription): Promise<Omit<Estimate, 'as_of'>>;
  estimates: {
    putAll(estimates: readonly Estimate[]): Promise<void>;
    putSnapshot(snapshot: UpcomingReport): Promise<void>;
  };
}

/** Runs `task` over `items` with at most `concurrency` in flight. */
export async function mapLimit<T, R>(items: readonly T[], concurrency: number, task: (item: T) => Promise<R>) {
  const results: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      try {
        results[i] = { status: 'fulfilled', value: await task(items[i]!) };
      } catch (reason) {
        results[i] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

/** Keeps the `top` largest estimates of each currency (the input is sorted by currency, then total descending). */
function topPerCurrency(sorted: readonly Estimate[], top: number): Estimate[] {
  const kept = new Map<string, number>();
  return sorted.filter((estimate) => {
    const count = kept.get(estimate.currency) ?? 0;
    kept.set(estimate.currency, count + 1);
    return count < top;
  });
}

const FAILED_KEPT = 100;
/** How many of the largest estimates per currency the stored snapshot keeps. */
export const SNAPSHOT_TOP = 100;

/** Estimates handed to the store at a time during a refresh. */
const WRITE_BATCH = 200;

/**
 * Rates every active subscription's current period, stores each customer's estimate, then the
 * snapshot of the totals. A subscription that cannot be rated is listed in `failed`, not summed.
 * Ratings run `concurrency` at a time: with 200 in flight the usage store gathers their reads into
 * requests of 50 customers, several at once (on AWS a request's pages come 10 items at a time, one
 * after the other; see estimateDeps).
 */
export async function refreshEstimates(deps: EstimateDeps, concurrency = 200): Promise<UpcomingReport> {
  const started = deps.clock();
  const wallStarted = performance.now();
  const asOf = started.toISOString();
  const subscriptions = await deps.activeSubscriptions();
  // Estimates are stored while the rest is rated (one writer, WRITE_BATCH at a time): rating is the
  // function's CPU, storing is DynamoDB's, so the two overlap instead of following each other.
  let written: Promise<void> = Promise.resolve();
  let batch: Estimate[] = [];
  const flush = () => {
    const estimates = batch;
    batch = [];
    if (estimates.length > 0) written = written.then(() => deps.estimates.putAll(estimates));
    written.catch(() => undefined);
  };
  const settled = await mapLimit(subscriptions, concurrency, async (subscription) => {
    const value = await deps.rate(subscription);
    batch.push({ ...value, as_of: asOf });
    if (batch.length >= WRITE_BATCH) flush();
    return value;
  });
  flush();
  const totals = new Map<string, { count: number; subtotal: Decimal; total: Decimal }>();
  const rated: Estimate[] = [];
  const failed: UpcomingReport['failed'] = [];
  settled.forEach((result, i) => {
    const subscription = subscriptions[i]!;
    if (result.status === 'rejected') {
      failed.push({ subscription: subscription.id, customer: subscription.customerId, ...failure(result.reason) });
      return;
    }
    const estimate = { ...result.value, as_of: asOf };
    rated.push(estimate);
    const sums = totals.get(estimate.currency) ?? { count: 0, subtotal: new Decimal(0), total: new Decimal(0) };
    sums.count++;
    sums.subtotal = sums.subtotal.plus(estimate.subtotal);
    sums.total = sums.total.plus(estimate.total);
    totals.set(estimate.currency, sums);
  });
  await written;
  rated.sort(
    (a, b) =>
      a.currency.localeCompare(b.currency) ||
      new Decimal(b.total).comparedTo(a.total) ||
      a.customer.localeCompare(b.customer),
  );
  const snapshot: UpcomingReport = {
    as_of: asOf,
    duration_ms: Math.round(performance.now() - wallStarted),
    totals: [...totals.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([currency, sums]) => ({
        currency,
        count: sums.count,
        subtotal: money(sums.subtotal, currency),
        total: money(sums.total, currency),
      })),
    top: topPerCurrency(rated, SNAPSHOT_TOP),
    subscriptions: subscriptions.length,
    failed: failed.slice(0, FAILED_KEPT),
  };
  await deps.estimates.putSnapshot(snapshot);
  return snapshot;
}

/**
 * Why a subscription could not be rated, in words fit for the dashboard: the rating's own message,
 * or, for storage errors (whose raw text is meant for operators, not users), a plain sentence.
 */
function failure(reason: unknown): Pick<UpcomingReport['failed'][number], 'code' | 'error'> {
  if (isStorageError(reason)) {
    return { code: 'storage_unavailable', error: 'the store could not be read; the next refresh tries again' };
  }
  return { code: 'rating_failed', error: reason instanceof Error ? reason.message : String(reason) };
}

/** The stored snapshot as the report shows it: the `top` largest per currency. */
export function upcomingView(snapshot: UpcomingReport, top: number): UpcomingReport {
  return { ...snapshot, top: topPerCurrency(snapshot.top, top) };
}

/**
 * An estimate older than the latest snapshot is of a customer that had no active subscription in that
 * refresh: not shown. A newer one is from a refresh that has not finished (or failed before its
 * snapshot): still the latest figure for that customer, so it is shown with its own `as_of`.
 */
export const isCurrent = (estimate: Estimate, snapshot: UpcomingReport | undefined) =>
  snapshot !== undefined && estimate.as_of >= snapshot.as_of;
