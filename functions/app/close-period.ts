import { createHash } from 'node:crypto';
import type { BillingConfig } from '../config.js';
import { chargesFor, type OneOffCharge, oneOffLine } from '../domain/billing/charge.js';
import { formatLocalDate, gridPeriodContaining, localDateOf } from '../domain/billing/periods.js';
import type { PlanVersion } from '../domain/billing/plan.js';
import { type ProgressiveState, progressiveCreditLines } from '../domain/billing/progressive.js';
import { invoiceAmounts, type RatedInvoice, rateSegment, type Segment } from '../domain/billing/rating.js';
import { advance, gridOf, type Subscription, toSegment } from '../domain/billing/subscription.js';
import { customerTaxBuyer, taxTreatment } from '../domain/billing/tax.js';
import type { Customer } from '../domain/customer.js';
import { DECIMAL_RANGE, Decimal } from '../domain/decimal.js';
import type { Invoice, InvoiceLine, Party } from '../domain/invoice.js';
import { BUCKET_MS } from '../domain/metering/buckets.js';
import type { Meter } from '../domain/metering/meter.js';
import { formatAmount, formatDecimal } from '../domain/money.js';
import { evaluatePrice } from '../domain/pricing/index.js';
import { addDays } from '../domain/time/zone.js';
import { type CreditNoteDeps, creditLateUsage, type LateUsageCreditRequest } from './credit-notes.js';
import { ConflictError, CreditsChangedError, isStorageError } from './errors.js';
import { parseOverride, toPlanVersion } from './plans.js';
import type { ChargesPort } from './ports/charges.js';
import type { Clock } from './ports/clock.js';
import type { CreditsPort } from './ports/credits.js';
import type { BilledCharge, CreditSpend, FinalizeOutcome } from './ports/invoices.js';
import type { StoredPlanVersion } from './ports/plans.js';
import type { BillingRun, RunResult } from './ports/runs.js';
import { type PriceInputOptions, priceInputFor, type UsageReader } from './usage-input.js';
import { finalityOf } from './usage-levels.js';

export interface CloseDeps {
  config: Pick<
    BillingConfig,
    | 'graceMinutes'
    | 'invoiceGraceHours'
    | 'acceptanceWindowDays'
    | 'invoicePrefix'
    | 'invoicePadding'
    | 'creditNotePrefix'
    | 'seller'
  >;
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
    /** Writes or refreshes a draft (a finalized invoice of the same id is returned instead). */
    saveDraft(draft: Invoice): Promise<Invoice>;
    byCustomer(customerId: string): Promise<Invoice[]>;
    /** Where an earlier invoice's usage charges stand after late-usage adjustments. */
    billedCharges(invoiceId: string): Promise<Map<string, BilledCharge>>;
    /** The interim (progressive) invoices of a subscription's period so far. */
    progressive(subscriptionId: string, periodStart: string): Promise<ProgressiveState>;
  };
  /** The customer's pending one-off charges (billed on the next invoice in their currency). */
  charges: Pick<ChargesPort, 'pending'>;
  /**
   * The customer's balance per currency (credit notes: later invoices draw on it after tax), and credit
   * notes for the charges of earlier invoices that late usage or cancellations made cheaper.
   */
  creditNotes: CreditNoteDeps['creditNotes'] & {
    balances(customerId: string): Promise<Array<{ currency: string; amount: string; version: number }>>;
  };
  /** Hands a credit note's email to delivery (the outbox sweep covers it otherwise). */
  deliveryQueue?: CreditNoteDeps['deliveryQueue'];
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
  crashAfter?: (step: 'seal' | 'credits' | 'invoice', subscriptionId: string) => void;
}

export type CloseOutcome =
  | { subscriptionId: string; status: 'invoiced'; invoiceId: string; invoiceNumber: string; created: boolean }
  /** The invoice grace period is running: the invoice is a draft (no number) until `graceEndsAt`. */
  | { subscriptionId: string; status: 'drafted'; invoiceId: string; reason: string }
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

export function sellerParty(config: CloseDeps['config']): Party {
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
    ...(seller.contactName ? { contactName: seller.contactName } : {}),
    ...(seller.phone ? { phone: seller.phone } : {}),
    ...(seller.electronicAddress ? { electronicAddress: seller.electronicAddress } : {}),
  };
}

export function buyerParty(customer: Customer): Party {
  return {
    name: customer.name,
    email: customer.email,
    ...(customer.address ? { address: customer.address } : {}),
    ...(customer.taxId ? { taxId: customer.taxId } : {}),
    ...(customer.buyerReference ? { buyerReference: customer.buyerReference } : {}),
  };
}

/**
 * Plan versions parsed, per stored object: a store that answers the same object again (the estimates
 * refresh reads each version once for thousands of subscriptions) has it parsed once. Versions never
 * change, and the parsed plan is only read.
 */
const parsedPlans = new WeakMap<StoredPlanVersion, PlanVersion>();

function parsedPlan(stored: StoredPlanVersion): PlanVersion {
  let plan = parsedPlans.get(stored);
  if (!plan) {
    plan = toPlanVersion(stored);
    parsedPlans.set(stored, plan);
  }
  return plan;
}

/** The plan a segment is rated with: its version, with the subscription's price overrides applied. */
async function ratingPlan(
  deps: Pick<CloseDeps, 'plans'>,
  subscription: Subscription,
  key: string,
  version: number,
): Promise<PlanVersion> {
  const plan = parsedPlan(await deps.plans.get(key, version));
  if (Object.keys(subscription.priceOverrides).length === 0) return plan;
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

/** What an invoice bills beside the plan's lines, and what pays it beyond coupons and grants. */
export interface InvoiceExtras {
  /** One-off charges and late-usage adjustments. */
  lines?: InvoiceLine[];
  /** The customer balance in the plan's currency. */
  balance?: Decimal;
}

/** A customer as read from the store: with its seal (`billed_through`), if it has one. */
type SealedCustomer = Customer & { billedThrough?: string | undefined };

/** Rates `segment` of a subscription from the counters, up to `until` (the segment end, or now for a preview). */
export async function rateSubscription(
  deps: Pick<CloseDeps, 'plans' | 'meters' | 'usage' | 'config' | 'credits' | 'clock'>,
  subscription: Subscription,
  customer: SealedCustomer,
  until: Date,
  next: Subscription | undefined,
  options: PriceInputOptions = {},
  /** What the invoice bills beside the plan's lines, given the plan (its currency). */
  extrasFor: (plan: PlanVersion) => Promise<InvoiceExtras> = async () => ({}),
): Promise<{ plan: PlanVersion; rated: RatedInvoice; segment: Segment }> {
  const plan = await ratingPlan(deps, subscription, subscription.current.planKey, subscription.current.planVersion);
  const extras = await extrasFor(plan);
  const segment = toSegment(subscription.current);
  const meters = new Map((await deps.meters.list()).map((m) => [m.key, m]));
  const finality = finalityOf(deps.clock(), deps.config.acceptanceWindowDays, customer);
  const usage = await Promise.all(
    plan.charges.map((charge) =>
      priceInputFor(
        deps.usage,
        customer.id,
        meterOf(meters, plan, charge.meter),
        charge.price,
        segment.start,
        until,
        subscription.timeZone,
        { finality, ...options },
      ),
    ),
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
    ...(extras.lines ? { extraLines: extras.lines } : {}),
    ...(extras.balance ? { balance: extras.balance } : {}),
  });
  return { plan, rated, segment };
}

function meterOf(meters: Map<string, Meter>, plan: PlanVersion, key: string): Meter {
  const meter = meters.get(key);
  if (!meter) throw new Error(`meter '${key}' of plan '${plan.key}' v${plan.version} does not exist any more`);
  return meter;
}

/** Hours the invoice of a subscription's period stays a draft: the customer's, else the plan's, else the global setting. */
export function invoiceGraceHours(config: CloseDeps['config'], plan: PlanVersion, customer: Customer): number {
  return customer.invoiceGraceHours ?? plan.invoiceGraceHours ?? config.invoiceGraceHours;
}

export interface CloseOptions {
  /** Finalize now, even inside the invoice grace period (a draft finalized early). */
  finalizeNow?: boolean;
}

/**
 * Closes the current segment of one subscription if it is due. Inside the invoice grace period the
 * invoice is a draft, refreshed from the counters at every run (late events count into it). Then:
 * seal the customer's usage up to the segment end (plans with `late_usage: reject`), rate it with
 * the one-off charges and late-usage adjustments, finalize the invoice (number allocated in the
 * invoice's own transaction), advance the subscription, hand the invoice to delivery. Every step is
 * idempotent: a re-run after a crash anywhere yields the same invoice with the same number.
 */
export async function closeSubscriptionPeriod(
  deps: CloseDeps,
  subscriptionId: string,
  asOf: Date,
  options: CloseOptions = {},
): Promise<CloseOutcome> {
  const subscription = await deps.subscriptions.get(subscriptionId);
  const endedBy = options.finalizeNow ? asOf : new Date(asOf.getTime() - deps.config.graceMinutes * 60_000);
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
  const plan = await ratingPlan(deps, subscription, subscription.current.planKey, subscription.current.planVersion);
  const graceEndsAt = new Date(segmentEnd.getTime() + invoiceGraceHours(deps.config, plan, customer) * 3_600_000);
  if (!options.finalizeNow && asOf < graceEndsAt) {
    const draft = await saveDraft(deps, subscription, customer, graceEndsAt);
    if (draft.status === 'draft')
      return {
        subscriptionId,
        status: 'drafted',
        invoiceId: draft.id,
        reason: `the invoice is a draft until ${graceEndsAt.toISOString()} (invoice grace period)`,
      };
  }
  // A plan that rejects late usage seals the period: events before its end are refused from now on.
  if (plan.lateUsage === 'reject') await deps.seal(customer.id, segmentEnd);
  deps.crashAfter?.('seal', subscriptionId);

  const now = deps.clock();
  const next = advance(subscription, now);
  let finalized: FinalizeOutcome | undefined;
  // Coupons, grants, one-off charges and adjusted charges are changed in the invoice's transaction; if
  // another invoice (or a removal) changed them first, that transaction is cancelled and the invoice is
  // computed again from what is left.
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

/** Everything an invoice of the subscription's current segment is made of, rated now. */
interface InvoiceDraft {
  draft: Omit<Invoice, 'number'>;
  spend: CreditSpend;
  /** Earlier charges re-rated lower: credited before the invoice is written. */
  credits: LateUsageCreditRequest[];
}

/**
 * The invoice of the subscription's current segment as it reads now: the plan's lines from the
 * counters, the pending one-off charges, the late-usage adjustments of earlier invoices, coupons,
 * grants, the customer balance and tax. `complete`: the period is closed (percentage prices wait for
 * the archive to hold every event).
 */
async function composeInvoice(
  deps: CloseDeps,
  subscription: Subscription,
  customer: Customer,
  next: Subscription | undefined,
  now: Date,
  status: 'draft' | 'finalized',
  reissue?: Invoice,
): Promise<InvoiceDraft> {
  const segmentEnd = new Date(subscription.current.end);
  const period = { periodStart: subscription.current.start, periodEnd: subscription.current.end };
  const late = reissue
    ? {
        lines: reissue.lines.filter((l) => l.kind === 'one_off' || l.kind === 'adjustment').map(plainLine),
        marks: [],
        credits: [],
      }
    : await lateUsage(deps, subscription, customer);
  // A voided period issued again bills the same one-off and adjustment lines (without their shares);
  // a period's own invoice bills the pending charges and the adjustments of the earlier invoices. The
  // customer balance pays the total after tax (a draft shows what it would take).
  let charges: OneOffCharge[] = [];
  let balance: { currency: string; amount: string; version: number } | undefined;
  const { plan, rated } = await rateSubscription(
    deps,
    subscription,
    customer,
    segmentEnd,
    next,
    { complete: status === 'finalized' },
    async ({ currency }) => {
      const [pending, balances, early] = await Promise.all([
        reissue || customer.oneOffCharges === false ? [] : deps.charges.pending(customer.id),
        deps.creditNotes.balances(customer.id),
        billedEarlyInPeriod(deps, subscription, customer),
      ]);
      charges = chargesFor(pending, currency);
      balance = balances.find((b) => b.currency === currency);
      return {
        lines: [
          ...charges.map((charge) => oneOffLine(charge, period)),
          ...late.lines,
          // What the period's interim (progressive) invoices billed already.
          ...progressiveCreditLines(early, currency, period),
        ],
        ...(balance && new Decimal(balance.amount).gt(0) ? { balance: new Decimal(balance.amount) } : {}),
      };
    },
  );
  const { currency } = plan;
  const issueDate = localDateOf(now, subscription.timeZone);
  const dueDate = addDays(issueDate, customer.paymentTermsDays);
  const series = deps.config.invoicePrefix.replaceAll('{YYYY}', String(issueDate.year));
  const { paymentInstructions } = deps.config.seller;
  const draft: Omit<Invoice, 'number'> = {
    id: reissue ? reissueIdFor(reissue) : invoiceIdFor(subscription.id, subscription.current.start),
    kind: reissue ? 'reissue' : 'subscription',
    ...(reissue ? { reissueOf: reissue.id } : {}),
    series,
    status,
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
    ...period,
    seller: sellerParty(deps.config),
    buyer: buyerParty(customer),
    ...invoiceAmounts(rated),
    ...(paymentInstructions ? { paymentInstructions } : {}),
    paymentTermsDays: customer.paymentTermsDays,
    ...(customer.paymentProviderId ? { collection: 'automatic' as const } : {}),
    delivery: { status: 'pending', attempts: 0 },
  };
  return {
    draft,
    spend: {
      couponsAfter: rated.couponsAfter,
      grantsDrawn: rated.grantsDrawn,
      charges,
      adjusted: late.marks,
      ...(balance && rated.balanceDrawn.gt(0)
        ? { balance: { currency, version: balance.version, drawn: rated.balanceDrawn } }
        : {}),
    },
    credits: late.credits,
  };
}

/** The period's interim (progressive) invoices the period's own invoice credits: all but the voided ones. */
async function billedEarlyInPeriod(
  deps: CloseDeps,
  subscription: Subscription,
  customer: Customer,
): Promise<ProgressiveState> {
  const state = await deps.invoices.progressive(subscription.id, subscription.current.start);
  if (state.invoices.length === 0) return state;
  const voided = new Set(
    (await deps.invoices.byCustomer(customer.id)).filter((i) => i.status === 'void').map((i) => i.id),
  );
  return { ...state, invoices: state.invoices.filter((billed) => !voided.has(billed.invoiceId)) };
}

/** A line as rating takes it: without the shares of the invoice it was on. */
export function plainLine(line: Invoice['lines'][number]): InvoiceLine {
  const {
    discount: _discount,
    promotionalCredits: _promotional,
    taxableAmount: _taxable,
    taxCategory: _category,
    taxRate: _rate,
    tax: _tax,
    paidCredits: _paid,
    amountDue: _due,
    ...plain
  } = line;
  return plain;
}

/** The id of the invoice that issues a voided period again (one per voided invoice). */
export function reissueIdFor(voided: Pick<Invoice, 'id'>): string {
  return `in_${createHash('sha256').update(`reissue|${voided.id}`).digest('hex').slice(0, 24)}`;
}

/**
 * Issues a voided period again: its plan lines rated again from the counters as they are now (late
 * events and cancellations included), its one-off and adjustment lines as they were, the customer's
 * coupons, grants and balance as they are now; a new number. Once per voided invoice: a repeat
 * returns the same new invoice.
 */
export async function reissueInvoice(deps: CloseDeps, voided: Invoice): Promise<Invoice> {
  if (voided.status !== 'void')
    throw new ConflictError(
      `invoice ${voided.number || voided.id} is ${voided.status}: only a void invoice is issued again`,
    );
  if (voided.kind === 'one_off')
    throw new ConflictError(`invoice ${voided.number} bills one-off charges only: create the charges again instead`);
  if (voided.kind === 'progressive')
    throw new ConflictError(`invoice ${voided.number} is an interim invoice: the period's own invoice bills its usage`);
  const subscription = await deps.subscriptions.get(voided.subscriptionId);
  const customer = await deps.customers.get(subscription.customerId);
  const full = gridPeriodContaining(gridOf(subscription), new Date(voided.periodStart));
  const first = voided.lines.some(
    (l) => l.kind === 'base_fee' && l.periodStart === voided.periodStart && l.baseFee?.timing === 'in_advance',
  );
  const past: Subscription = {
    ...subscription,
    status: 'active',
    planKey: voided.planKey,
    planVersion: voided.planVersion,
    current: {
      start: voided.periodStart,
      end: voided.periodEnd,
      fullStart: full.start.toISOString(),
      fullEnd: full.end.toISOString(),
      planKey: voided.planKey,
      planVersion: voided.planVersion,
      index: first ? 0 : 1,
    },
  };
  delete past.pendingChange;
  delete past.endsAfterCurrent;
  const now = deps.clock();
  let finalized: FinalizeOutcome | undefined;
  for (let attempt = 0; !finalized; attempt++) {
    try {
      const { draft, spend } = await composeInvoice(deps, past, customer, advance(past, now), now, 'finalized', voided);
      finalized = await deps.invoices.finalize(
        draft,
        (sequence) => `${draft.series}${String(sequence).padStart(deps.config.invoicePadding, '0')}`,
        spend,
      );
    } catch (error) {
      if (!(error instanceof CreditsChangedError) || attempt >= 9) throw error;
    }
  }
  if (finalized.created || finalized.invoice.delivery.status === 'pending')
    await deps.enqueueDelivery?.(finalized.invoice);
  return finalized.invoice;
}

/** Writes (or refreshes) the draft of the current segment's invoice, rated from the counters as they are now. */
async function saveDraft(
  deps: CloseDeps,
  subscription: Subscription,
  customer: Customer,
  graceEndsAt: Date,
): Promise<Invoice> {
  const now = deps.clock();
  const { draft } = await composeInvoice(deps, subscription, customer, advance(subscription, now), now, 'draft');
  return deps.invoices.saveDraft({ ...draft, number: '', graceEndsAt: graceEndsAt.toISOString() });
}

/**
 * A draft as it reads now (late events, one-off lines added or removed since it was saved), without
 * writing anything: what `GET /v1/invoices/{id}` and its PDF show during the grace period.
 */
export async function previewDraft(deps: CloseDeps, draft: Invoice): Promise<Invoice> {
  const subscription = await deps.subscriptions.get(draft.subscriptionId);
  if (subscription.current.start !== draft.periodStart) return draft;
  const customer = await deps.customers.get(subscription.customerId);
  const now = deps.clock();
  const { draft: fresh } = await composeInvoice(deps, subscription, customer, advance(subscription, now), now, 'draft');
  return { ...fresh, number: '', ...(draft.graceEndsAt ? { graceEndsAt: draft.graceEndsAt } : {}) };
}

/**
 * Writes the draft again after one of its one-off lines was added or removed (a draft whose period
 * was finalized meanwhile is left as it is).
 */
export async function refreshDraft(deps: CloseDeps, draft: Invoice): Promise<Invoice> {
  const fresh = await previewDraft(deps, draft);
  return fresh === draft ? draft : deps.invoices.saveDraft(fresh);
}

/** Finalizes a draft now (before its grace period ends): the close of its subscription, at once. */
export async function finalizeDraft(deps: CloseDeps, draft: Invoice): Promise<CloseOutcome> {
  if (draft.status !== 'draft')
    throw new ConflictError(`invoice ${draft.number || draft.id} is ${draft.status}: only a draft can be finalized`);
  return closeSubscriptionPeriod(deps, draft.subscriptionId, deps.clock(), { finalizeNow: true });
}

/** Rates the segment (with the customer's coupons, grants, charges, adjustments and tax) and writes its invoice. */
async function finalizeInvoice(
  deps: CloseDeps,
  subscription: Subscription,
  customer: Customer,
  next: Subscription | undefined,
  now: Date,
): Promise<FinalizeOutcome> {
  const first = await composeInvoice(deps, subscription, customer, next, now, 'finalized');
  // Earlier charges now cheaper: credit notes first (to the customer balance, which this invoice may use).
  for (const credit of first.credits) await creditLateUsage(deps, credit);
  if (first.credits.length > 0) deps.crashAfter?.('credits', subscription.id);
  const { draft, spend } =
    first.credits.length > 0 ? await composeInvoice(deps, subscription, customer, next, now, 'finalized') : first;
  return deps.invoices.finalize(
    draft,
    (sequence) => `${draft.series}${String(sequence).padStart(deps.config.invoicePadding, '0')}`,
    spend,
  );
}

/**
 * Late usage: the earlier invoices of the subscription that may still have received events (their
 * period ended less than the acceptance window before the previous check), each usage charge rated
 * again over its whole period from the counters and compared with what was billed for it so far.
 * A difference up is an adjustment line on this invoice; a difference down is credited (a credit note).
 */
async function lateUsage(
  deps: CloseDeps,
  subscription: Subscription,
  customer: SealedCustomer,
): Promise<{ lines: InvoiceLine[]; marks: BilledCharge[]; credits: LateUsageCreditRequest[] }> {
  const current = invoiceIdFor(subscription.id, subscription.current.start);
  const earlier = (await deps.invoices.byCustomer(customer.id)).filter(
    (invoice) =>
      invoice.subscriptionId === subscription.id &&
      invoice.kind !== 'one_off' &&
      // An interim invoice's usage is the period's own invoice's to settle.
      invoice.kind !== 'progressive' &&
      invoice.id !== current &&
      (invoice.status === 'finalized' || invoice.status === 'paid'),
  );
  // Checked last when the previous invoice of the subscription was issued: an invoice whose period
  // ended more than the acceptance window before that check cannot have received anything since.
  const lastCheck = Math.max(0, ...earlier.map((invoice) => Date.parse(invoice.issuedAt)));
  const windowMs = deps.config.acceptanceWindowDays * 86_400_000;
  const open = earlier.filter((invoice) => Date.parse(invoice.periodEnd) + windowMs > lastCheck);
  const lines: InvoiceLine[] = [];
  const marks: BilledCharge[] = [];
  const credits: LateUsageCreditRequest[] = [];
  if (open.length === 0) return { lines, marks, credits };
  const meters = new Map((await deps.meters.list()).map((m) => [m.key, m]));
  for (const invoice of open) {
    const plan = await ratingPlan(deps, subscription, invoice.planKey, invoice.planVersion);
    const billed = await deps.invoices.billedCharges(invoice.id);
    for (const charge of plan.charges) {
      const index = invoice.lines.findIndex((line) => line.kind === 'usage' && line.meter === charge.meter);
      const line = invoice.lines[index];
      if (!line) continue;
      const input = await priceInputFor(
        deps.usage,
        customer.id,
        meterOf(meters, plan, charge.meter),
        charge.price,
        new Date(invoice.periodStart),
        new Date(invoice.periodEnd),
        invoice.timezone,
        { complete: true, finality: finalityOf(deps.clock(), deps.config.acceptanceWindowDays, customer) },
      );
      const evaluation = evaluatePrice(charge.price, input);
      const rerated = new Decimal(formatAmount(evaluation.preciseAmount, invoice.currency));
      const quantity = evaluation.quantity;
      const mark = billed.get(charge.meter) ?? {
        invoiceId: invoice.id,
        meter: charge.meter,
        quantity: line.quantity,
        amount: line.amount,
        version: 0,
      };
      const difference = rerated.minus(mark.amount);
      if (difference.isZero() && quantity.eq(mark.quantity)) continue;
      marks.push(mark);
      if (difference.gt(0)) {
        lines.push({
          kind: 'adjustment',
          description: `${line.description}, period ${invoice.periodStart.slice(0, 10)}–${invoice.periodEnd.slice(0, 10)} re-rated: now ${formatAmount(rerated, invoice.currency)}, invoiced ${mark.amount}`,
          meter: charge.meter,
          quantity: formatDecimal(quantity.minus(mark.quantity)),
          preciseAmount: formatDecimal(difference),
          amount: formatAmount(difference, invoice.currency),
          periodStart: invoice.periodStart,
          periodEnd: invoice.periodEnd,
          details: [],
          adjustment: {
            name: line.description,
            invoiceId: invoice.id,
            invoiceNumber: invoice.number,
            meter: charge.meter,
            periodStart: invoice.periodStart,
            periodEnd: invoice.periodEnd,
            rerated: formatAmount(rerated, invoice.currency),
            invoiced: mark.amount,
            reratedQuantity: formatDecimal(quantity),
            invoicedQuantity: mark.quantity,
          },
        });
      } else if (difference.lt(0)) {
        credits.push({
          key: `${invoice.id}|${charge.meter}|${mark.version}`,
          invoiceId: invoice.id,
          line: index + 1,
          amount: formatAmount(difference.neg(), invoice.currency),
          reason: `${line.description}, period ${invoice.periodStart.slice(0, 10)}–${invoice.periodEnd.slice(0, 10)} re-rated: now ${formatAmount(rerated, invoice.currency)}, invoiced ${mark.amount}`,
        });
      }
      // What the charge stands at once this invoice is written (the mark moves in its transaction).
      marks[marks.length - 1] = {
        ...mark,
        quantity: formatDecimal(quantity),
        amount: formatAmount(rerated, invoice.currency),
      };
    }
  }
  return { lines, marks, credits };
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

/**
 * The current segment rated live from the counters: the invoice as it would read now, with the pending
 * one-off charges when `deps.charges` is given (the API and the estimates refresh; not read for a
 * customer whose item says it never had one).
 */
export async function upcomingInvoice(
  deps: Pick<CloseDeps, 'plans' | 'meters' | 'usage' | 'config' | 'clock' | 'customers' | 'credits'> &
    Partial<Pick<CloseDeps, 'charges'>> & {
      /** With it, the period's interim (progressive) invoices are credited as the close will. */
      invoices?: Pick<CloseDeps['invoices'], 'progressive'>;
    },
  subscription: Subscription,
) {
  const customer = await deps.customers.get(subscription.customerId);
  const now = deps.clock();
  const segmentEnd = new Date(subscription.current.end);
  // Up to the end of the current 15-minute bucket, so usage of the last minutes is included.
  const bucketEnd = new Date((Math.floor(now.getTime() / BUCKET_MS) + 1) * BUCKET_MS);
  const until = bucketEnd < segmentEnd ? bucketEnd : segmentEnd;
  const next = advance(subscription, now);
  const period = { periodStart: subscription.current.start, periodEnd: subscription.current.end };
  const { charges, invoices } = deps;
  const { plan, rated, segment } = await rateSubscription(deps, subscription, customer, until, next, {}, async (p) => ({
    lines: [
      ...(charges && customer.oneOffCharges !== false
        ? chargesFor(await charges.pending(customer.id), p.currency).map((c) => oneOffLine(c, period))
        : []),
      ...(invoices && p.progressiveBilling
        ? progressiveCreditLines(await invoices.progressive(subscription.id, period.periodStart), p.currency, period)
        : []),
    ],
  }));
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
