import { createHash } from 'node:crypto';
import type { BillingConfig } from '../config.js';
import { formatLocalDate, localDateOf } from '../domain/billing/periods.js';
import type { PlanVersion } from '../domain/billing/plan.js';
import { invoiceAmounts, type RatedInvoice, rateSegment, type Segment } from '../domain/billing/rating.js';
import { advance, type Subscription, toSegment } from '../domain/billing/subscription.js';
import { customerTaxBuyer, taxTreatment } from '../domain/billing/tax.js';
import type { Customer } from '../domain/customer.js';
import { DECIMAL_RANGE, Decimal } from '../domain/decimal.js';
import type { Invoice, Party } from '../domain/invoice.js';
import { BUCKET_MS } from '../domain/metering/buckets.js';
import type { Meter } from '../domain/metering/meter.js';
import { addDays } from '../domain/time/zone.js';
import { CreditsChangedError, isStorageError } from './errors.js';
import { parseOverride, toPlanVersion } from './plans.js';
import type { Clock } from './ports/clock.js';
import type { CreditsPort } from './ports/credits.js';
import type { CreditSpend, FinalizeOutcome } from './ports/invoices.js';
import type { StoredPlanVersion } from './ports/plans.js';
import type { BillingRun, RunResult } from './ports/runs.js';
import { type PriceInputOptions, priceInputFor, type UsageReader } from './usage-input.js';

export interface CloseDeps {
  config: Pick<BillingConfig, 'graceMinutes' | 'invoicePrefix' | 'invoicePadding' | 'seller'>;
  clock: Clock;
  plans: { get(key: string, version: number): Promise<StoredPlanVersion> };
  meters: { list(): Promise<Meter[]> };
  customers: { get(id: string): Promise<Customer> };
  subscriptions: {
    get(id: string): Promise<Subscription>;
    replace(previous: Subscription, next: Subscription): Promise<boolean>;
    due(
      endedBy: Date,
      limit: number,
      cursor?: string,
    ): Promise<{ items: Array<{ id: string; periodEnd: string }>; nextCursor?: string }>;
  };
  invoices: {
    finalize(
      draft: Omit<Invoice, 'number'>,
      formatNumber: (sequence: number) => string,
      spend?: CreditSpend,
    ): Promise<FinalizeOutcome>;
  };
  /** The customer's coupons and credit grants, as the invoice math takes them. */
  credits: Pick<CreditsPort, 'appliedCoupons' | 'grants'>;
  usage: UsageReader;
  seal(customerId: string, through: Date): Promise<void>;
  /** Hands a finalized invoice to delivery (SQS); the outbox sweep covers a lost hand-over. */
  enqueueDelivery?(invoice: Invoice): Promise<void>;
  runs: {
    put(run: BillingRun): Promise<void>;
    addResults(runId: string, results: RunResult[]): Promise<void>;
    find(id: string): Promise<BillingRun | undefined>;
  };
  /** Test hook: throws after the named step, to prove re-runs recover (crash injection). */
  crashAfter?: (step: 'seal' | 'invoice', subscriptionId: string) => void;
}

export type CloseOutcome =
  | { subscriptionId: string; status: 'invoiced'; invoiceId: string; invoiceNumber: string; created: boolean }
  | { subscriptionId: string; status: 'skipped'; reason: string }
  /** The period could not be rated: nothing was sealed or written; the next run tries again. */
  | { subscriptionId: string; status: 'failed'; code: 'rating_failed'; message: string };

export function invoiceIdFor(subscriptionId: string, segmentStart: string): string {
  return `in_${createHash('sha256').update(`${subscriptionId}|${segmentStart}`).digest('hex').slice(0, 24)}`;
}

/** A page of subscriptions whose current segment ended before `asOf - grace`. */
export async function findDueSubscriptions(
  deps: CloseDeps,
  asOf: Date,
  page: { cursor?: string; limit: number },
): Promise<{ items: Array<{ subscriptionId: string; periodEnd: string }>; nextCursor?: string }> {
  const endedBy = new Date(asOf.getTime() - deps.config.graceMinutes * 60_000);
  const due = await deps.subscriptions.due(endedBy, page.limit, page.cursor || undefined);
  return {
    items: due.items.map((item) => ({ subscriptionId: item.id, periodEnd: item.periodEnd })),
    ...(due.nextCursor ? { nextCursor: due.nextCursor } : {}),
  };
}

function sellerParty(config: CloseDeps['config']): Party {
  const { seller } = config;
  return {
    name: seller.name,
    ...(seller.email ? { email: seller.email } : {}),
    ...(seller.addressLine && seller.country
      ? {
          address: {
            line1: seller.addressLine,
            city: seller.city ?? '',
            ...(seller.postalCode ? { postalCode: seller.postalCode } : {}),
            country: seller.country,
          },
        }
      : {}),
    ...(seller.taxId ? { taxId: seller.taxId } : {}),
  };
}

function buyerParty(customer: Customer): Party {
  return {
    name: customer.name,
    email: customer.email,
    ...(customer.address ? { address: customer.address } : {}),
    ...(customer.taxId ? { taxId: customer.taxId } : {}),
  };
}

/** The plan a segment is rated with: its version, with the subscription's price overrides applied. */
async function ratingPlan(
  deps: Pick<CloseDeps, 'plans'>,
  subscription: Subscription,
  key: string,
  version: number,
): Promise<PlanVersion> {
  const plan = toPlanVersion(await deps.plans.get(key, version));
  return {
    ...plan,
    charges: plan.charges.map((charge) =>
      Object.hasOwn(subscription.priceOverrides, charge.meter)
        ? { ...charge, price: parseOverride(subscription.priceOverrides[charge.meter]) }
        : charge,
    ),
  };
}

/** Which base fees an invoice for `segment` carries: arrears → its own; advance → the next one (and its own on the first invoice). */
function baseFeePeriods(
  plan: PlanVersion,
  subscription: Subscription,
  segment: Segment,
  next: Subscription | undefined,
): Segment[] {
  if (!plan.baseFee) return [];
  if (plan.baseFee.timing === 'in_arrears') return [segment];
  const periods: Segment[] = subscription.current.index === 0 ? [segment] : [];
  if (next && next.status === 'active' && next.planKey === plan.key && next.planVersion === plan.version)
    periods.push(toSegment(next.current));
  return periods;
}

/** Rates `segment` of a subscription from the counters, up to `until` (the segment end, or now for a preview). */
export async function rateSubscription(
  deps: Pick<CloseDeps, 'plans' | 'meters' | 'usage' | 'config' | 'credits'>,
  subscription: Subscription,
  customer: Customer,
  until: Date,
  next: Subscription | undefined,
  options: PriceInputOptions = {},
): Promise<{ plan: PlanVersion; rated: RatedInvoice; segment: Segment }> {
  const plan = await ratingPlan(deps, subscription, subscription.current.planKey, subscription.current.planVersion);
  const segment = toSegment(subscription.current);
  const meters = new Map((await deps.meters.list()).map((m) => [m.key, m]));
  const usage = await Promise.all(
    plan.charges.map((charge) => {
      const meter = meters.get(charge.meter);
      if (!meter)
        throw new Error(`meter '${charge.meter}' of plan '${plan.key}' v${plan.version} does not exist any more`);
      return priceInputFor(
        deps.usage,
        customer.id,
        meter,
        charge.price,
        segment.start,
        until,
        subscription.timeZone,
        options,
      );
    }),
  );
  // Only customers given a coupon or grant have any to read (the store marks them).
  const [coupons, grants] = customer.creditsHeld
    ? await Promise.all([deps.credits.appliedCoupons(customer.id), deps.credits.grants(customer.id)])
    : [[], []];
  const rated = rateSegment({
    plan,
    segment,
    usage,
    meterNames: Object.fromEntries([...meters.values()].map((m) => [m.key, m.name])),
    baseFeePeriods: baseFeePeriods(plan, subscription, segment, next),
    tax: taxTreatment(deps.config.seller, customerTaxBuyer(customer)),
    coupons,
    grants,
  });
  return { plan, rated, segment };
}

/**
 * Closes the current segment of one subscription if it is due: seal the customer's usage up to
 * the segment end, rate it, finalize the invoice (number allocated in the invoice's own
 * transaction), advance the subscription, hand the invoice to delivery. Every step is idempotent:
 * a re-run after a crash anywhere yields the same invoice with the same number.
 */
export async function closeSubscriptionPeriod(
  deps: CloseDeps,
  subscriptionId: string,
  asOf: Date,
): Promise<CloseOutcome> {
  const subscription = await deps.subscriptions.get(subscriptionId);
  const endedBy = new Date(asOf.getTime() - deps.config.graceMinutes * 60_000);
  if (subscription.status !== 'active')
    return { subscriptionId, status: 'skipped', reason: 'the subscription has ended' };
  if (new Date(subscription.current.end) > endedBy)
    return { subscriptionId, status: 'skipped', reason: 'the current period is not due yet' };

  const customer = await deps.customers.get(subscription.customerId);
  const segmentEnd = new Date(subscription.current.end);
  // Never seal a period that cannot be rated: its customer would be locked out of billing. Rate it
  // once before sealing (and again after, as late events may still arrive until the seal).
  const unrateable = await ratingProblem(deps, subscription, customer, segmentEnd);
  if (unrateable !== undefined) {
    return { subscriptionId, status: 'failed', code: 'rating_failed', message: unrateable };
  }
  await deps.seal(customer.id, segmentEnd);
  deps.crashAfter?.('seal', subscriptionId);

  const now = deps.clock();
  const next = advance(subscription, now);
  let finalized: FinalizeOutcome | undefined;
  // Coupons and grants are spent in the invoice's transaction; if another invoice of the customer spent
  // them first, that transaction is cancelled and the invoice is computed again from what is left.
  for (let attempt = 0; !finalized; attempt++) {
    try {
      finalized = await finalizeInvoice(deps, subscription, customer, next, now);
    } catch (error) {
      if (!(error instanceof CreditsChangedError) || attempt >= 9) throw error;
    }
  }
  const { invoice, created } = finalized;
  deps.crashAfter?.('invoice', subscriptionId);

  // Advance only from the state we rated; if another run advanced it already, that is fine.
  await deps.subscriptions.replace(subscription, next);
  if (created || invoice.delivery.status === 'pending') await deps.enqueueDelivery?.(invoice);
  return {
    subscriptionId,
    status: 'invoiced',
    invoiceId: invoice.id,
    invoiceNumber: invoice.number,
    created,
  };
}

/** Rates the sealed segment (with the customer's coupons, grants and tax) and writes its invoice. */
async function finalizeInvoice(
  deps: CloseDeps,
  subscription: Subscription,
  customer: Customer,
  next: Subscription | undefined,
  now: Date,
): Promise<FinalizeOutcome> {
  const segmentEnd = new Date(subscription.current.end);
  // Sealed: every event of the period is counted; percentage prices wait for the archive to hold them all.
  const { plan, rated } = await rateSubscription(deps, subscription, customer, segmentEnd, next, { complete: true });
  const issueDate = localDateOf(now, subscription.timeZone);
  const dueDate = addDays(issueDate, customer.paymentTermsDays);
  const series = deps.config.invoicePrefix.replaceAll('{YYYY}', String(issueDate.year));
  const { paymentInstructions } = deps.config.seller;
  const draft: Omit<Invoice, 'number'> = {
    id: invoiceIdFor(subscription.id, subscription.current.start),
    series,
    status: 'finalized',
    customerId: customer.id,
    subscriptionId: subscription.id,
    planKey: plan.key,
    planVersion: plan.version,
    currency: plan.currency,
    locale: customer.locale,
    timezone: subscription.timeZone,
    issueDate: formatLocalDate(issueDate),
    dueDate: formatLocalDate(dueDate),
    issuedAt: now.toISOString(),
    periodStart: subscription.current.start,
    periodEnd: subscription.current.end,
    seller: sellerParty(deps.config),
    buyer: buyerParty(customer),
    ...invoiceAmounts(rated),
    ...(paymentInstructions ? { paymentInstructions } : {}),
    paymentTermsDays: customer.paymentTermsDays,
    delivery: { status: 'pending', attempts: 0 },
  };
  return deps.invoices.finalize(
    draft,
    (sequence) => `${series}${String(sequence).padStart(deps.config.invoicePadding, '0')}`,
    { couponsAfter: rated.couponsAfter, grantsDrawn: rated.grantsDrawn },
  );
}

/**
 * Why the current segment cannot be rated (a plan whose meter is gone, an override that no longer
 * parses, usage the price cannot take), or undefined when it can. Storage failures are not an
 * answer: they propagate, so the workflow retries the step.
 */
const MAX_INVOICE_AMOUNT = new Decimal(10).pow(DECIMAL_RANGE.maxIntegerDigits);

async function ratingProblem(
  deps: CloseDeps,
  subscription: Subscription,
  customer: Customer,
  segmentEnd: Date,
): Promise<string | undefined> {
  try {
    const { rated } = await rateSubscription(
      deps,
      subscription,
      customer,
      segmentEnd,
      advance(subscription, deps.clock()),
    );
    // An amount the books cannot hold (revenue totals are stored as numbers of 38 significant digits).
    const amounts: Array<[string, string]> = [
      ['the total', rated.total],
      ...rated.lines.map((line, i): [string, string] => [`line ${i + 1}`, line.amount]),
    ];
    for (const [what, amount] of amounts) {
      if (new Decimal(amount).abs().gte(MAX_INVOICE_AMOUNT))
        return `${what} (${amount}) is too large: invoice amounts stay below 10^${DECIMAL_RANGE.maxIntegerDigits}`;
    }
    return undefined;
  } catch (error) {
    if (isStorageError(error)) throw error;
    return error instanceof Error ? error.message : String(error);
  }
}

/** The current segment rated live from the counters: the invoice as it would read now. */
export async function upcomingInvoice(
  deps: Pick<CloseDeps, 'plans' | 'meters' | 'usage' | 'config' | 'clock' | 'customers' | 'credits'>,
  subscription: Subscription,
) {
  const customer = await deps.customers.get(subscription.customerId);
  const now = deps.clock();
  const segmentEnd = new Date(subscription.current.end);
  // Up to the end of the current 15-minute bucket, so usage of the last minutes is included.
  const bucketEnd = new Date((Math.floor(now.getTime() / BUCKET_MS) + 1) * BUCKET_MS);
  const until = bucketEnd < segmentEnd ? bucketEnd : segmentEnd;
  const next = advance(subscription, now);
  const { plan, rated, segment } = await rateSubscription(deps, subscription, customer, until, next);
  return { plan, rated, segment, until, customer };
}

/**
 * Step 3 of the workflow, once per page: keeps the page's outcomes; the run is finished when no
 * page follows. Returns the cursor of the next page.
 */
export async function recordRun(
  deps: Pick<CloseDeps, 'runs' | 'clock'>,
  runId: string,
  asOf: Date,
  results: RunResult[],
  nextCursor: string | undefined,
): Promise<{ cursor: string; more: boolean }> {
  await deps.runs.addResults(runId, results);
  const more = Boolean(nextCursor);
  if (!more) {
    const existing = await deps.runs.find(runId);
    await deps.runs.put({
      id: runId,
      asOf: asOf.toISOString(),
      status: 'succeeded',
      startedAt: existing?.startedAt ?? deps.clock().toISOString(),
      finishedAt: deps.clock().toISOString(),
      results: [],
    });
  }
  return { cursor: nextCursor ?? '', more };
}
