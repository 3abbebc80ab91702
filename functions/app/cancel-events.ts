import { type LimitSchedule, limitCharges } from '../domain/billing/usage-limits.js';
import { type Decimal, ZERO } from '../domain/decimal.js';
import { planCancellation } from '../domain/metering/cancel.js';
import { type CustomerState, checkSealed, eventKey, measure } from '../domain/metering/ingest.js';
import type { Meter } from '../domain/metering/meter.js';
import { parseCloudEvent } from '../schemas/events.js';
import { parseJson } from '../schemas/json.js';
import { StorageUnavailableError } from './errors.js';
import type { Clock } from './ports/clock.js';
import type { CancelCommitResult, Cancellation, LimitGiveBack, RawEventRecord } from './ports/usage.js';

/** Why an event was not cancelled. */
export type CancelRejectionCode = 'not_found' | 'too_old' | 'not_cancellable' | 'period_closed';

export type CancelOutcome =
  | {
      index: number;
      source: string;
      id: string;
      status: 'cancelled' | 'already_cancelled';
      customer: string;
      time: string;
      cancelledAt: string;
    }
  | { index: number; source: string; id: string; status: 'rejected'; code: CancelRejectionCode; message: string };

export interface CancelResult {
  cancelled: number;
  alreadyCancelled: number;
  rejected: number;
  results: CancelOutcome[];
}

export interface CancelEventsDeps {
  meters: { list(): Promise<Meter[]> };
  customers: { states(ids: readonly string[]): Promise<Map<string, CustomerState>> };
  usage: {
    /** The raw event items still in the table, by `eventKey` (consistent). */
    rawEvents(events: ReadonlyArray<{ source: string; id: string }>): Promise<Map<string, RawEventRecord>>;
    cancel(cancellation: Cancellation): Promise<CancelCommitResult>;
    limitTotals(
      totals: ReadonlyArray<{ customerId: string; meterKey: string; periodStart: string }>,
    ): Promise<Map<string, Decimal>>;
  };
  clock: Clock;
  acceptanceWindowDays: number;
}

/** At most this many events in one cancel request. */
export const MAX_CANCEL_EVENTS = 100;
const MAX_ATTEMPTS = 8;
/** Customers whose cancellations run at once (one customer's run one after the other: they share items). */
const PARALLEL_CUSTOMERS = 4;

/**
 * Cancels accepted events, each exactly once and in one transaction with its counters: the raw event
 * stays in the table marked cancelled (a re-sent copy is still a duplicate), and every counter it
 * moved is moved back by its own contribution, measured again from the stored raw event with the
 * meters that existed when it was received (as reconcile measures it). Only events counted by
 * additive meters (count, sum, weighted_sum) can be cancelled. Every event gets an outcome.
 */
export async function cancelEvents(
  deps: CancelEventsDeps,
  refs: ReadonlyArray<{ source: string; id: string }>,
): Promise<CancelResult> {
  const now = deps.clock();
  const [meters, firstRead] = await Promise.all([deps.meters.list(), deps.usage.rawEvents(refs)]);
  const outcomes: CancelOutcome[] = new Array(refs.length);

  // One queue per customer (the event's, as stored); events not in the table need no transaction.
  const queues = new Map<string, number[]>();
  const used = new Set<string>();
  refs.forEach((ref, index) => {
    const stored = firstRead.get(eventKey(ref));
    const queue = stored?.customer ?? '';
    queues.set(queue, [...(queues.get(queue) ?? []), index]);
  });
  const cancelOne = async (index: number) => {
    const ref = refs[index]!;
    const key = eventKey(ref);
    // The batch read serves the first copy of an identity; a later copy reads what the first left.
    const known = used.has(key) ? undefined : { stored: firstRead.get(key) };
    used.add(key);
    outcomes[index] = await cancelWithRetries(deps, meters, now, index, ref, known);
  };
  const lists = [...queues.values()];
  let next = 0;
  const worker = async () => {
    while (next < lists.length) {
      const list = lists[next++]!;
      for (const index of list) await cancelOne(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_CUSTOMERS, lists.length) }, worker));

  return {
    cancelled: outcomes.filter((o) => o.status === 'cancelled').length,
    alreadyCancelled: outcomes.filter((o) => o.status === 'already_cancelled').length,
    rejected: outcomes.filter((o) => o.status === 'rejected').length,
    results: outcomes,
  };
}

async function cancelWithRetries(
  deps: CancelEventsDeps,
  meters: readonly Meter[],
  now: Date,
  index: number,
  ref: { source: string; id: string },
  known: { stored: RawEventRecord | undefined } | undefined,
): Promise<CancelOutcome> {
  const reject = (code: CancelRejectionCode, message: string): CancelOutcome => ({
    index,
    source: ref.source,
    id: ref.id,
    status: 'rejected',
    code,
    message,
  });
  let read = known;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const stored = read ? read.stored : (await deps.usage.rawEvents([ref])).get(eventKey(ref));
    read = undefined;
    if (!stored)
      return reject(
        'not_found',
        `no accepted event with source '${ref.source}' and id '${ref.id}' (an event leaves the table a day after its acceptance window of ${deps.acceptanceWindowDays} days)`,
      );
    const done = { index, source: ref.source, id: ref.id, customer: stored.customer, time: stored.time };
    if (stored.cancelledAt !== undefined)
      return { ...done, status: 'already_cancelled', cancelledAt: stored.cancelledAt };
    const time = new Date(stored.time);
    if (time.getTime() < now.getTime() - deps.acceptanceWindowDays * 86_400_000)
      return reject(
        'too_old',
        `the event's time ${stored.time} is older than the acceptance window of ${deps.acceptanceWindowDays} days: it can no longer be cancelled`,
      );
    const customer = (await deps.customers.states([stored.customer])).get(stored.customer);
    if (!customer) return reject('not_found', `the event's customer '${stored.customer}' no longer exists`);
    const sealed = checkSealed(time, customer);
    if (sealed) return reject('period_closed', `${sealed.message}: the event can no longer be cancelled`);

    const parsed = parseCloudEvent(parseJson(stored.raw), index, time);
    if (!parsed.ok) throw new Error(`stored event ${eventKey(ref)} does not parse: ${parsed.message}`);
    const existing = meters.filter((m) => m.eventType === stored.type && m.createdAt <= stored.receivedAt);
    const contributions = measure(parsed.event, existing);
    // No meter of the event's type existed when it was received (by the clocks): none counted it.
    if (!Array.isArray(contributions))
      return reject(
        'not_cancellable',
        `no meter counted the event when it was received at ${stored.receivedAt} (${contributions.message}): there is nothing to take back`,
      );
    const chunk = planCancellation({ event: parsed.event, contributions }, customer.rolledThrough);
    if ('code' in chunk) return reject('not_cancellable', chunk.message);

    const limits = await givenBack(deps, customer, parsed.event, contributions);
    const cancelledAt = deps.clock();
    const result = await deps.usage.cancel({
      source: ref.source,
      id: ref.id,
      customerId: stored.customer,
      time,
      cancelledAt,
      chunk,
      limits,
      limitText: customer.limits,
    });
    if (result.ok) return { ...done, status: 'cancelled', cancelledAt: cancelledAt.toISOString() };
    // Whatever failed (the event cancelled or gone meanwhile, the customer sealed or its watermark
    // moved, a total changed), the next attempt reads it all again and decides again.
    if (result.retryable && !result.event && !result.customer && !result.limits)
      await sleep(Math.min(2000, 25 * 2 ** attempt) * Math.random());
  }
  throw new StorageUnavailableError(
    `could not cancel event '${ref.id}' of '${ref.source}' after ${MAX_ATTEMPTS} attempts; retry the request`,
  );
}

/**
 * What the event gives back to its customer's usage totals under hard limits: what it charges them
 * by the current schedule, but never more than a total holds (a limit set after the event was
 * counted may not hold it).
 */
async function givenBack(
  deps: CancelEventsDeps,
  customer: CustomerState,
  event: Parameters<typeof limitCharges>[0],
  contributions: Parameters<typeof limitCharges>[1],
): Promise<LimitGiveBack[]> {
  if (customer.limits === undefined) return [];
  const charges = limitCharges(event, contributions, JSON.parse(customer.limits) as LimitSchedule);
  if (charges.length === 0) return [];
  const totals = await deps.usage.limitTotals(charges);
  const back: LimitGiveBack[] = [];
  for (const charge of charges) {
    const held = totals.get(charge.key) ?? ZERO;
    const quantity = charge.quantity.lt(held) ? charge.quantity : held;
    if (quantity.gt(0))
      back.push({
        customerId: charge.customerId,
        meterKey: charge.meterKey,
        periodStart: charge.periodStart,
        quantity,
      });
  }
  return back;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
