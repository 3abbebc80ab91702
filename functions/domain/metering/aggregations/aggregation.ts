import { Decimal } from '../../decimal.js';
import type { CounterUpdate, Floors } from '../coalesce.js';
import { type AggregationKind, readDecimal, readSignedDecimal } from '../meter.js';
import type { CounterRow } from '../usage-series.js';

/** What one event gives a meter: being counted (nothing read), a decimal, or a distinct label. */
export type Reading =
  | { ok: true; value?: Decimal; label?: string }
  | { ok: false; code: 'invalid_value' | 'invalid_event'; message: string };

/** Where the contribution being coalesced sits in event order (time, then source and id). */
export interface CoalesceContext {
  time: number;
  tiebreak: string;
  /** What the stored counters are known to hold already (see `Floors`). */
  floors: Floors;
}

/**
 * One field a counter update writes besides `count`, as data: the DynamoDB adapter turns each into
 * its expression (`sum`, `weighted`: ADD; `max`: SET when larger; `latest`: SET when later by time,
 * then tiebreak).
 */
export type CounterWrite =
  | { field: 'sum'; value: Decimal }
  | { field: 'weighted'; value: Decimal }
  | { field: 'max'; value: Decimal }
  | { field: 'latest'; value: Decimal; time: number; tiebreak: string };

/** A stored field one aggregation checks when the counters are rebuilt from the raw events. */
export interface FieldCheck {
  field: 'sum' | 'weighted' | 'max' | 'latest';
  expected: Decimal | number | undefined;
  actual: Decimal | number | undefined;
}

/** Counters (and distinct values) merged across buckets and series, before they become one quantity. */
export interface Tally {
  events: number;
  sum: Decimal;
  max?: Decimal;
  latest?: { value: Decimal; time: number; key: string };
  uniques: Set<string>;
}

/**
 * Everything that differs between the aggregations of a meter, in the pure domain. One file per
 * aggregation implements it; `aggregationOf` (index.ts) picks the one of a meter.
 */
export interface Aggregation {
  readonly kind: AggregationKind;
  /** What the meter reads from `data.<value_property>`: nothing (it counts events), a decimal, or a label. */
  readonly reads: 'nothing' | 'decimal' | 'label';
  /** What the meter does, in the words of the API's messages ("it counts events"). */
  readonly explanation: string;
  /** Quantities of parts (buckets, dimension values) add up to the quantity of the whole. */
  readonly additive: boolean;
  /** The quantity is a total of per-event amounts (what percentage prices need). */
  readonly sumsAmounts: boolean;
  /** Keeps one marker item per distinct value; its quantity reads back from the markers, not the counters. */
  readonly markers: boolean;
  /**
   * The stored field its counter update is conditional on (`max`, `latest`): a contribution that
   * cannot beat what is stored is left out instead of failing the transaction.
   */
  readonly floor: 'max' | 'latest' | undefined;

  /** Reads one event's value at `path` (unused by aggregations that read nothing). */
  read(raw: unknown, path: string): Reading;
  /** Folds one more contribution into its counter update (count is done); returns a distinct value to mark. */
  coalesce(
    counter: CounterUpdate,
    reading: { value?: Decimal; label?: string },
    context: CoalesceContext,
  ): string | undefined;
  /** The fields the counter update writes besides `count`. */
  writes(counter: CounterUpdate): CounterWrite[];
  /** After the conditional write of `counter` failed: what is stored is at least what it tried to write. */
  raiseFloor(floors: Floors, counter: CounterUpdate): void;
  /** Merges one stored counter into a tally (events are merged by the caller). */
  merge(tally: Tally, row: CounterRow): void;
  /** The quantity a tally stands for. */
  quantity(tally: Tally): Decimal;
  /** The fields to compare between a counter rebuilt from raw events and the stored one. */
  checks(expected: CounterUpdate | undefined, stored: CounterRow | undefined): FieldCheck[];
}

/** Later in event order: by time, then by tiebreak (source and id). `b` undefined: nothing to beat. */
export function later(
  a: { time: number; tiebreak: string },
  b: { time: number; tiebreak: string } | undefined,
): boolean {
  return !b || a.time > b.time || (a.time === b.time && a.tiebreak > b.tiebreak);
}

/** Reads a decimal value (sum, max, latest): within the API's range and never negative (see `readDecimal`). */
export function readAmount(raw: unknown, path: string): Reading {
  const result = readDecimal(raw, path);
  return result.ok ? { ok: true, value: result.value } : { ok: false, code: 'invalid_value', message: result.message };
}

/** Reads a signed decimal value (weighted_sum: a change of a level); see `readSignedDecimal`. */
export function readChange(raw: unknown, path: string): Reading {
  const result = readSignedDecimal(raw, path);
  return result.ok ? { ok: true, value: result.value } : { ok: false, code: 'invalid_value', message: result.message };
}

export const emptyTally = (): Tally => ({ events: 0, sum: new Decimal(0), uniques: new Set() });
