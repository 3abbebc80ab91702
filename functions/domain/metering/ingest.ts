import type { Decimal } from '../decimal.js';
import { aggregationOf } from './aggregations/index.js';
import { bucketKey, bucketStart } from './buckets.js';
import { type Meter, readLabel, readPath } from './meter.js';

/** A CloudEvent that passed structural validation. */
export interface UsageEvent {
  index: number;
  id: string;
  source: string;
  type: string;
  subject: string;
  time: Date;
  data: Record<string, unknown>;
  /** The event as JSON text, stored raw for audit and rebuilds. */
  raw: string;
}

export type RejectionCode =
  | 'invalid_event'
  | 'unknown_customer'
  | 'no_matching_meter'
  | 'invalid_value'
  | 'timestamp_in_future'
  | 'timestamp_too_old'
  | 'period_closed'
  | 'usage_limit_exceeded'
  | 'customer_suspended';

export interface Rejection {
  code: RejectionCode;
  message: string;
}

export interface CustomerState {
  id: string;
  /** Usage before this instant is sealed (billed): events for it are rejected. */
  billedThrough: Date | undefined;
  /**
   * Days before this instant may have day rollups: an event before it must mark its UTC day as
   * changed, in its own transaction, so that those rollups are rebuilt (see docs/storage.md).
   */
  rolledThrough?: Date | undefined;
  /**
   * The customer's hard usage limits as stored on its item (`usage_limits`, JSON text of a
   * `LimitSchedule`), or absent. Every ingest transaction checks that the item still holds exactly
   * this text, so no event commits against limits that changed after they were read.
   */
  limits?: string | undefined;
  /**
   * The UTC months (`yyyy-mm`) in which the customer has stored usage events, when its item tracks
   * them (customers created since 2026-12-03); absent for an untracked customer. Ingestion adds the
   * months of new events in the same transaction, so a reader may skip a customer with no month in
   * its range without reading counters.
   */
  usageMonths?: ReadonlySet<string> | undefined;
  /** Dunning suspended the customer: its events are refused (`customer_suspended`). */
  suspended?: boolean;
}

export interface AcceptancePolicy {
  now: Date;
  acceptanceWindowDays: number;
  futureToleranceMinutes: number;
}

/** What one event adds to one counter. */
export interface Contribution {
  meter: Meter;
  bucket: string;
  dimensions: Record<string, string>;
  value?: Decimal;
  label?: string;
}

export function eventKey(event: { source: string; id: string }): string {
  return `${event.source}\u0000${event.id}`;
}

export function checkTime(time: Date, policy: AcceptancePolicy): Rejection | undefined {
  const tolerance = policy.futureToleranceMinutes * 60_000;
  if (time.getTime() > policy.now.getTime() + tolerance) {
    return {
      code: 'timestamp_in_future',
      message: `time ${time.toISOString()} is more than ${policy.futureToleranceMinutes} minutes after the receipt time ${policy.now.toISOString()}`,
    };
  }
  const oldest = policy.now.getTime() - policy.acceptanceWindowDays * 86_400_000;
  if (time.getTime() < oldest) {
    return {
      code: 'timestamp_too_old',
      message: `time ${time.toISOString()} is older than the acceptance window of ${policy.acceptanceWindowDays} days`,
    };
  }
  return undefined;
}

export function checkSealed(time: Date, customer: CustomerState): Rejection | undefined {
  if (customer.billedThrough && time.getTime() < customer.billedThrough.getTime()) {
    return {
      code: 'period_closed',
      message: `usage before ${customer.billedThrough.toISOString()} is already billed for customer '${customer.id}'`,
    };
  }
  return undefined;
}

/**
 * Longest URL-encoded text of an event's dimension values (and unique value) for one meter: they
 * form the counter's sort key, which DynamoDB caps at 1,024 bytes (the rest of the key is short).
 */
export const MAX_COUNTER_KEY_TEXT = 900;

/**
 * Turns one event into the counter contributions it causes, or the reason it is rejected.
 * Every meter of the event's type must be able to read the event; otherwise nothing counts.
 */
export function measure(event: UsageEvent, meters: readonly Meter[]): Contribution[] | Rejection {
  if (meters.length === 0) {
    return { code: 'no_matching_meter', message: `no meter counts events of type '${event.type}'` };
  }
  const bucket = bucketKey(bucketStart(event.time));
  const contributions: Contribution[] = [];
  for (const meter of meters) {
    const entries: Array<[string, string]> = [];
    for (const path of meter.groupBy) {
      const raw = readPath(event.data, path);
      if (raw === undefined || raw === null) continue;
      const label = readLabel(raw, path);
      if (!label.ok) return { code: label.code, message: `meter '${meter.key}': ${label.message}` };
      entries.push([path, label.value]);
    }
    // fromEntries defines own properties, also for names such as "__proto__".
    const contribution: Contribution = { meter, bucket, dimensions: Object.fromEntries(entries) };
    const aggregation = aggregationOf(meter.aggregation);
    if (aggregation.reads !== 'nothing') {
      const path = meter.valueProperty ?? '';
      const reading = aggregation.read(readPath(event.data, path), path);
      if (!reading.ok) return { code: reading.code, message: `meter '${meter.key}': ${reading.message}` };
      if (reading.value !== undefined) contribution.value = reading.value;
      if (reading.label !== undefined) contribution.label = reading.label;
    }
    const keyLength =
      dimensionKey(meter, contribution.dimensions).length +
      (contribution.label === undefined ? 0 : encodeURIComponent(contribution.label).length);
    if (keyLength > MAX_COUNTER_KEY_TEXT) {
      return {
        code: 'invalid_event',
        message: `meter '${meter.key}': the dimension values are too long together (${keyLength} characters URL-encoded; at most ${MAX_COUNTER_KEY_TEXT})`,
      };
    }
    contributions.push(contribution);
  }
  return contributions;
}

/** A dimension value or path in a key: URI-encoded, and `~` (which encodeURIComponent keeps) escaped, since `~` marks a missing value. */
const keyPart = (text: string) => encodeURIComponent(text).replaceAll('~', '%7E');

/** Canonical text of a dimension set, in the meter's group_by order ("model=gpt%204|region=~"; `~`: missing). */
export function dimensionKey(meter: Meter, dimensions: Record<string, string>): string {
  return meter.groupBy
    .map((path) => `${keyPart(path)}=${Object.hasOwn(dimensions, path) ? keyPart(dimensions[path] ?? '') : '~'}`)
    .join('|');
}

/** The dimension set a `dimensionKey` stands for (missing values left out). */
export function parseDimensionKey(key: string): Record<string, string> {
  const entries: Array<[string, string]> = [];
  if (key === '') return {};
  for (const part of key.split('|')) {
    const at = part.indexOf('=');
    const value = part.slice(at + 1);
    if (value !== '~') entries.push([decodeURIComponent(part.slice(0, at)), decodeURIComponent(value)]);
  }
  // fromEntries defines own properties, also for names such as "__proto__".
  return Object.fromEntries(entries);
}

/** The UTC month (`yyyy-mm`) of an instant: what a customer's `usageMonths` records of its events. */
export const usageMonthOf = (time: Date): string => time.toISOString().slice(0, 7);

/**
 * Whether a customer whose item tracks its usage months (`months`) may have usage between two
 * instants or bucket keys (ISO-prefixed: `2026-11-02T08:15Z`): some recorded month lies between
 * their months, both included (the month of an exclusive end too: it only ever reads more). An
 * untracked customer (`undefined`) may always have usage.
 */
export function mayHaveUsage(months: ReadonlySet<string> | undefined, from: string, to: string): boolean {
  if (months === undefined) return true;
  const first = from.slice(0, 7);
  const last = to.slice(0, 7);
  for (const month of months) if (month >= first && month <= last) return true;
  return false;
}
