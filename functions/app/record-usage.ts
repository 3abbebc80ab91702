import { fitLimits, type LimitCharge, type LimitSchedule, limitCharges } from '../domain/billing/usage-limits.js';
import { type Decimal, ZERO } from '../domain/decimal.js';
import { aggregationOf, later } from '../domain/metering/aggregations/index.js';
import {
  counterId,
  type Floors,
  type MeasuredEvent,
  noFloors,
  planChunks,
  type WriteChunk,
} from '../domain/metering/coalesce.js';
import {
  type AcceptancePolicy,
  type CustomerState,
  checkSealed,
  checkTime,
  dimensionKey,
  eventKey,
  measure,
  type Rejection,
  type UsageEvent,
  usageMonthOf,
} from '../domain/metering/ingest.js';
import type { Meter } from '../domain/metering/meter.js';
import { CounterOverflowError, StorageUnavailableError } from './errors.js';
import type { Clock } from './ports/clock.js';

export type EventOutcome =
  | { index: number; id: string | undefined; status: 'accepted' }
  | { index: number; id: string | undefined; status: 'duplicate' }
  | { index: number; id: string | undefined; status: 'rejected'; code: string; message: string };

export interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: number;
  results: EventOutcome[];
  /** Write capacity the transactions consumed (for benchmarks). */
  consumedWcu: number;
}

export type CommitOutcome =
  | { ok: true; consumedWcu: number }
  | {
      ok: false;
      duplicates: UsageEvent[];
      sealedCustomers: string[];
      /** Customers of which a usage total would have passed its hard limit: re-read the totals, decide again. */
      limitedCustomers?: string[];
      /** max/latest counters of items whose condition failed: re-read what is stored, then retry. */
      contested: CounterRef[];
      retryable: boolean;
      reasons: string[];
    };

export interface RecordUsageDeps {
  meters: { byEventType(): Promise<Map<string, Meter[]>> };
  customers: { states(ids: readonly string[]): Promise<Map<string, CustomerState>> };
  usage: {
    /** `limits`: per customer with hard limits, the `usage_limits` text read (the transaction checks it is unchanged). */
    commit(
      chunk: WriteChunk,
      expiresAt: (event: UsageEvent) => number,
      receivedAt: Date,
      limits?: ReadonlyMap<string, string>,
      /** Per customer, the UTC months of its events in the chunk its item does not record yet (`usageMonths`). */
      newMonths?: ReadonlyMap<string, readonly string[]>,
      /**
       * Customers read without `usage_months`: their check also asks that the item still has none, so an
       * event never commits unrecorded once a conversion has started tracking the customer's months.
       */
      untracked?: ReadonlySet<string>,
    ): Promise<CommitOutcome>;
    /** What the stored max/latest counters hold already, so contributions that cannot win are left out up front. */
    floors(refs: readonly CounterRef[]): Promise<Floors>;
    /** Which of these events are stored already (exact: tells a re-sent copy from an event of a sealed period). */
    storedEvents?(events: ReadonlyArray<{ source: string; id: string }>): Promise<Set<string>>;
    /**
     * Which of these events are known to be stored, without necessarily reading (a hint, may miss
     * some: the write's own condition stays the guarantee, and a miss costs a cancelled transaction).
     */
    knownDuplicates?(events: ReadonlyArray<{ source: string; id: string }>): Promise<Set<string>>;
    /** The stored usage totals under hard limits (by `LimitCharge.key`; absent: 0). Read only for customers with hard limits. */
    limitTotals?(
      totals: ReadonlyArray<{ customerId: string; meterKey: string; periodStart: string }>,
    ): Promise<Map<string, Decimal>>;
  };
  clock: Clock;
  acceptanceWindowDays: number;
  futureToleranceMinutes: number;
}

export interface CounterRef {
  id: string;
  customerId: string;
  meterKey: string;
  eventType: string;
  bucket: string;
  dimensionKey: string;
}

/** Already parsed envelopes: valid events, or the reason one is not a CloudEvent. */
export type Envelope =
  | { ok: true; event: UsageEvent }
  | { ok: false; index: number; id: string | undefined; message: string };

/** Most operations in one TransactWriteItems (DynamoDB's limit). */
export const MAX_TRANSACTION_OPERATIONS = 100;
/**
 * Most counters one item update carries: an expression is limited to 4 KB, and a latest counter's
 * condition takes about 75 characters of it.
 */
export const MAX_COUNTERS_PER_ITEM_UPDATE = 40;
const MAX_ATTEMPTS = 8;
/**
 * Attempts lost only to a hard limit's condition (another request took the room meanwhile) are
 * progress of someone else; they count toward this larger bound instead.
 */
const MAX_LIMIT_ATTEMPTS = 64;
/**
 * Customer groups of one request written in parallel. Two: fewer, fuller transactions cost less per
 * event, and concurrent requests keep the table busy anyway (bench/ingest, one machine: ratio 0.34
 * with 4 groups, 0.51 with 2).
 */
const PARALLEL_CHUNKS = 2;

/**
 * Counts each event exactly once: validation, customer and meter resolution, time checks, then
 * transactional writes of the raw event together with the coalesced counter updates it causes.
 * Duplicates (also racing copies) and sealed periods come back from the conditions of the
 * transaction itself; every event gets an outcome.
 */
export async function recordUsage(deps: RecordUsageDeps, envelopes: readonly Envelope[]): Promise<IngestResult> {
  const now = deps.clock();
  const policy: AcceptancePolicy = {
    now,
    acceptanceWindowDays: deps.acceptanceWindowDays,
    futureToleranceMinutes: deps.futureToleranceMinutes,
  };
  const outcomes = new Map<number, EventOutcome>();
  const reject = (event: { index: number; id: string | undefined }, rejection: Rejection) =>
    outcomes.set(event.index, {
      index: event.index,
      id: event.id,
      status: 'rejected',
      code: rejection.code,
      message: rejection.message,
    });

  const valid: UsageEvent[] = [];
  for (const envelope of envelopes) {
    if (envelope.ok) valid.push(envelope.event);
    else reject(envelope, { code: 'invalid_event', message: envelope.message });
  }

  const [metersByType, customers] = await Promise.all([
    valid.length > 0 ? deps.meters.byEventType() : Promise.resolve(new Map<string, Meter[]>()),
    deps.customers.states([...new Set(valid.map((e) => e.subject))]),
  ]);

  const firstCopy = new Map<string, UsageEvent>();
  const measured: MeasuredEvent[] = [];
  /** Events of sealed periods: a re-sent copy of a stored event is a duplicate, not a rejection. */
  const sealed: Array<{ event: UsageEvent; rejection: Rejection }> = [];
  for (const event of valid) {
    const customer = customers.get(event.subject);
    const rejection: Rejection | undefined = !customer
      ? { code: 'unknown_customer', message: `no customer with id '${event.subject}'` }
      : customer.suspended
        ? {
            code: 'customer_suspended',
            message: `customer '${event.subject}' is suspended for an overdue invoice; its events are refused until it is paid`,
          }
        : (checkTime(event.time, policy) ?? checkSealed(event.time, customer));
    if (rejection?.code === 'period_closed') {
      sealed.push({ event, rejection });
      continue;
    }
    if (rejection) {
      reject(event, rejection);
      continue;
    }
    const contributions = measure(event, metersByType.get(event.type) ?? []);
    if (!Array.isArray(contributions)) {
      reject(event, contributions);
      continue;
    }
    const key = eventKey(event);
    if (firstCopy.has(key)) {
      outcomes.set(event.index, { index: event.index, id: event.id, status: 'duplicate' });
      continue;
    }
    firstCopy.set(key, event);
    measured.push({ event, contributions });
  }

  if (sealed.length > 0) {
    const stored = deps.usage.storedEvents
      ? await deps.usage.storedEvents(sealed.map(({ event }) => event))
      : new Set();
    for (const { event, rejection } of sealed) {
      if (stored.has(eventKey(event)))
        outcomes.set(event.index, { index: event.index, id: event.id, status: 'duplicate' });
      else reject(event, rejection);
    }
  }

  // Known duplicates (client retries this instance has seen stored, or looked up while unknown copies
  // are frequent) are answered before writing: each one would otherwise cancel the whole transaction it
  // sits in; the others are caught by the condition of the transaction itself. And what the stored max/latest counters hold (one read):
  // contributions that cannot beat them need no conditional write (which would cancel the whole
  // transaction and cost a retry).
  const refs = new Map<string, CounterRef>();
  for (const { event, contributions } of measured) {
    for (const c of contributions) {
      if (aggregationOf(c.meter.aggregation).floor === undefined) continue;
      const dims = dimensionKey(c.meter, c.dimensions);
      const id = counterId(event.subject, c.meter.key, c.bucket, dims);
      refs.set(id, {
        id,
        customerId: event.subject,
        meterKey: c.meter.key,
        eventType: c.meter.eventType,
        bucket: c.bucket,
        dimensionKey: dims,
      });
    }
  }
  const [stored, floors] = await Promise.all([
    deps.usage.knownDuplicates && measured.length > 0
      ? deps.usage.knownDuplicates(measured.map(({ event }) => event))
      : Promise.resolve(new Set<string>()),
    refs.size > 0 ? deps.usage.floors([...refs.values()]) : Promise.resolve(noFloors()),
  ]);
  for (let i = measured.length - 1; i >= 0; i--) {
    const { event } = measured[i]!;
    if (!stored.has(eventKey(event))) continue;
    outcomes.set(event.index, { index: event.index, id: event.id, status: 'duplicate' });
    measured.splice(i, 1);
  }
  // The table keeps an event as long as a copy of it could still be accepted (deduplication), plus a
  // day; the event archive (S3) keeps it for the retention.
  const expiresAt = (event: UsageEvent) =>
    Math.ceil((event.time.getTime() + (deps.acceptanceWindowDays + 1) * 86_400_000) / 1000);
  let consumedWcu = 0;

  // Hard usage limits: the schedules of the customers that have them, the totals known to be stored.
  const schedules = new Map<string, LimitSchedule>();
  const scheduleOf = (customerId: string): LimitSchedule | undefined => {
    const text = customers.get(customerId)?.limits;
    if (text === undefined) return undefined;
    let schedule = schedules.get(text);
    if (!schedule) {
      schedule = JSON.parse(text) as LimitSchedule;
      schedules.set(text, schedule);
    }
    return schedule;
  };
  const limitTexts = () => {
    const texts = new Map<string, string>();
    for (const [id, state] of customers) if (state.limits !== undefined) texts.set(id, state.limits);
    return texts;
  };
  /** Stored usage totals as last read or written by this request: never above what is stored. */
  const totals = new Map<string, Decimal>();
  /**
   * Charges each pending event of a customer with hard limits against them, in batch order, with the
   * totals stored (read once, and again after a limit's condition failed). Returns the events that
   * fit and those that would pass a limit; customers without hard limits pass through untouched.
   */
  const applyLimits = async (pending: MeasuredEvent[]) => {
    const limited: MeasuredEvent[] = [];
    const fits: MeasuredEvent[] = [];
    for (const item of pending) {
      const schedule = scheduleOf(item.event.subject);
      const charges = schedule ? limitCharges(item.event, item.contributions, schedule) : [];
      if (charges.length > 0) {
        item.limits = charges;
        limited.push(item);
      } else {
        delete item.limits;
        fits.push(item);
      }
    }
    if (limited.length === 0) return { fits, over: [] };
    const unknown = new Map<string, LimitCharge>();
    for (const item of limited) for (const c of item.limits ?? []) if (!totals.has(c.key)) unknown.set(c.key, c);
    if (unknown.size > 0) {
      if (!deps.usage.limitTotals) throw new Error('this usage store cannot read usage totals under hard limits');
      const stored = await deps.usage.limitTotals([...unknown.values()]);
      for (const key of unknown.keys()) totals.set(key, stored.get(key) ?? ZERO);
    }
    limited.sort((a, b) => a.event.index - b.event.index);
    const decided = fitLimits(limited, (item) => item.limits ?? [], totals);
    return { fits: [...fits, ...decided.fits], over: decided.over };
  };

  /** The months of a chunk's events its tracked customers do not record yet (see CustomerState.usageMonths). */
  const newMonths = (chunk: WriteChunk) => {
    const months = new Map<string, string[]>();
    for (const { event } of chunk.events) {
      const recorded = customers.get(event.subject)?.usageMonths;
      const month = usageMonthOf(event.time);
      if (recorded === undefined || recorded.has(month)) continue;
      const list = months.get(event.subject) ?? [];
      if (!list.includes(month)) list.push(month);
      months.set(event.subject, list);
    }
    return months;
  };

  const writeChunk = async (initial: MeasuredEvent[]) => {
    let pending = initial;
    let limitAttempts = 0;
    for (let attempt = 1; pending.length > 0; attempt++) {
      const { fits, over } = await applyLimits(pending);
      /** Customers with a chunk that failed in this attempt: their decisions are made again. */
      const unsettled = new Set<string>();
      let limitContended = false;
      const chunks = planChunks(fits, MAX_TRANSACTION_OPERATIONS, floors, {
        maxCountersPerItem: MAX_COUNTERS_PER_ITEM_UPDATE,
        rolledThrough: (id) => customers.get(id)?.rolledThrough,
      });
      const next: MeasuredEvent[] = [];
      let retryable = false;
      for (const chunk of chunks) {
        let result: CommitOutcome;
        const months = newMonths(chunk);
        const untracked = new Set([...chunk.customers.keys()].filter((id) => !customers.get(id)?.usageMonths));
        try {
          result = await deps.usage.commit(chunk, expiresAt, now, limitTexts(), months, untracked);
        } catch (error) {
          if (!(error instanceof CounterOverflowError)) throw error;
          for (const customerId of chunk.customers.keys()) unsettled.add(customerId);
          // One event alone: it is the one that overflows. Several: each is tried alone.
          if (chunk.events.length === 1) {
            const { event } = chunk.events[0]!;
            reject(event, {
              code: 'invalid_value',
              message: `a counter of this event (customer '${event.subject}', its hour) would pass the 38 significant digits a total may hold`,
            });
          } else for (const item of chunk.events) await writeChunk([item]);
          continue;
        }
        if (result.ok) {
          consumedWcu += result.consumedWcu;
          for (const [customerId, added] of months) {
            const state = customers.get(customerId);
            if (state?.usageMonths)
              customers.set(customerId, { ...state, usageMonths: new Set([...state.usageMonths, ...added]) });
          }
          for (const { event } of chunk.events)
            outcomes.set(event.index, { index: event.index, id: event.id, status: 'accepted' });
          for (const total of chunk.limits.values())
            totals.set(total.key, (totals.get(total.key) ?? ZERO).plus(total.quantity));
          continue;
        }
        for (const customerId of chunk.customers.keys()) unsettled.add(customerId);
        // A total under a hard limit moved meanwhile (another request): read the customer's totals again.
        const limitedCustomers = new Set(result.limitedCustomers ?? []);
        if (limitedCustomers.size > 0) {
          limitContended = true;
          for (const total of chunk.limits.values())
            if (limitedCustomers.has(total.customerId)) totals.delete(total.key);
        }
        const duplicates = new Set(result.duplicates.map((event) => event.index));
        for (const index of duplicates)
          outcomes.set(index, {
            index,
            id: chunk.events.find((m) => m.event.index === index)?.event.id,
            status: 'duplicate',
          });
        // A max/latest that lost: what is stored now becomes the floor; only contributions that beat it are retried.
        if (result.contested.length > 0) {
          mergeFloors(floors, await deps.usage.floors(result.contested));
        }
        // The customer check failed: sealed past an event, deleted, or its rollup watermark moved
        // (then its events before the watermark are planned again as late ones).
        let sealed = new Map<string, CustomerState>();
        if (result.sealedCustomers.length > 0) {
          sealed = await deps.customers.states(result.sealedCustomers);
          for (const [id, state] of sealed) customers.set(id, state);
        }
        for (const item of chunk.events) {
          if (duplicates.has(item.event.index)) continue;
          if (result.sealedCustomers.includes(item.event.subject)) {
            const customer = sealed.get(item.event.subject);
            const rejection = !customer
              ? { code: 'unknown_customer' as const, message: `no customer with id '${item.event.subject}'` }
              : checkSealed(item.event.time, customer);
            if (rejection) {
              reject(item.event, rejection);
              continue;
            }
          }
          next.push(item);
        }
        retryable ||= result.retryable || limitedCustomers.size > 0;
      }
      // An event that would pass a hard limit is rejected once the events before it are settled;
      // if a chunk of its customer failed, it is decided again with them.
      for (const { item, charge, used } of over) {
        if (unsettled.has(item.event.subject)) {
          next.push(item);
          continue;
        }
        reject(item.event, {
          code: 'usage_limit_exceeded',
          message: `meter '${charge.meterKey}': ${charge.quantity.toFixed()} more would pass the hard limit of ${charge.limit.toFixed()} for the period from ${charge.periodStart} (used: ${used.toFixed()})`,
        });
      }
      pending = next;
      if (limitContended) limitAttempts += 1;
      if (pending.length > 0 && (attempt - limitAttempts >= MAX_ATTEMPTS || attempt >= MAX_LIMIT_ATTEMPTS)) {
        throw new StorageUnavailableError(
          `could not store ${pending.length} events after ${attempt} attempts; retry the request`,
        );
      }
      if (pending.length > 0 && retryable) await sleep(Math.min(2000, 25 * 2 ** attempt) * Math.random());
    }
  };

  // Each customer's events stay in one group, so parallel groups never touch the same counter.
  const groups = groupForParallelWrites(measured, PARALLEL_CHUNKS);
  await Promise.all(groups.map((group) => writeChunk(group)));

  const results = envelopes
    .map((envelope) => (envelope.ok ? envelope.event.index : envelope.index))
    .map(
      (index) =>
        outcomes.get(index) ?? {
          index,
          id: undefined,
          status: 'rejected' as const,
          code: 'internal',
          message: 'not processed',
        },
    );
  return {
    accepted: results.filter((r) => r.status === 'accepted').length,
    duplicates: results.filter((r) => r.status === 'duplicate').length,
    rejected: results.filter((r) => r.status === 'rejected').length,
    results,
    consumedWcu,
  };
}

function groupForParallelWrites(measured: readonly MeasuredEvent[], groups: number): MeasuredEvent[][] {
  const byCustomer = new Map<string, MeasuredEvent[]>();
  for (const item of measured) {
    const list = byCustomer.get(item.event.subject);
    if (list) list.push(item);
    else byCustomer.set(item.event.subject, [item]);
  }
  const buckets: MeasuredEvent[][] = Array.from({ length: groups }, () => []);
  const sorted = [...byCustomer.values()].sort((a, b) => b.length - a.length);
  for (const list of sorted) {
    const smallest = buckets.reduce((min, bucket) => (bucket.length < min.length ? bucket : min));
    smallest.push(...list);
  }
  return buckets.filter((bucket) => bucket.length > 0);
}

/** Raises each floor of `into` to what `stored` says is stored (floors only go up). */
function mergeFloors(into: Floors, stored: Floors): void {
  for (const [id, max] of stored.max) {
    const floor = into.max.get(id);
    if (!floor || max.gt(floor)) into.max.set(id, max);
  }
  for (const [id, latest] of stored.latest) {
    const floor = into.latest.get(id);
    if (!floor || later(latest, floor)) into.latest.set(id, latest);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
