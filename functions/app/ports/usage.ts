import type { Decimal } from '../../domain/decimal.js';
import type { WriteChunk } from '../../domain/metering/coalesce.js';
import type { SnapshotBasis } from '../../domain/metering/level-snapshots.js';
import type { StartLevel } from '../../domain/metering/time-weighted.js';
import type { CounterRow, MarkerRow } from '../../domain/metering/usage-series.js';

/** Reads a meter's counters and unique_count markers (the DynamoDB `UsageStore`). */
export interface CounterReader {
  /**
   * The meter's counters of [fromBucket, toBucket), strongly consistent. With `rollups`, whole local
   * days of that zone may come as one row per day (`span`), from day rollups.
   */
  counters(
    customerId: string,
    meter: { key: string; eventType: string },
    fromBucket: string,
    toBucket: string,
    rollups?: { timeZone: string },
  ): Promise<CounterRow[]>;
  /**
   * unique_count markers of [fromBucket, toBucket), strongly consistent. With `rollups`, whole local days
   * of that zone may come as one marker per distinct value and dimension set (at the day's first bucket).
   */
  markers(
    customerId: string,
    meterKey: string,
    fromBucket: string,
    toBucket: string,
    rollups?: { timeZone: string },
  ): Promise<MarkerRow[]>;
  /** The first bucket holding any counter of a customer's event type (its history starts there). */
  firstBucket(customerId: string, eventType: string): Promise<string | undefined>;
}

/**
 * The levels of a weighted_sum meter at a bucket edge (every change before it, per dimension set, zero
 * levels left out), kept so that a rating reads one month of history at most, not all of it.
 */
export interface LevelSnapshot {
  /** Key of the bucket the snapshot is taken at the start of. */
  bucket: string;
  basis: SnapshotBasis;
  levels: StartLevel[];
}

/** Keeps level snapshots (the DynamoDB `UsageStore`). */
export interface LevelSnapshotStore {
  /** The meter's newest snapshot at or before `atOrBefore` (a bucket key), strongly consistent. */
  levelSnapshot(
    customerId: string,
    meter: { key: string; eventType: string },
    atOrBefore: string,
  ): Promise<LevelSnapshot | undefined>;
  /** Writes a snapshot (a later one of the same bucket replaces it: both hold). */
  putLevelSnapshot(
    customerId: string,
    meter: { key: string; eventType: string },
    snapshot: LevelSnapshot,
  ): Promise<void>;
}

/** A raw event as accepted: the CloudEvent as JSON text, its time and when it was received (ISO instants). */
export interface StoredEvent {
  raw: string;
  time: string;
  receivedAt: string;
}

/**
 * Reads the raw events of a customer with from <= time < to, each once, in time order: from the event
 * archive (S3), which the table's stream fills a moment after each commit.
 */
export interface EventReader {
  events(customerId: string, from: Date, to: Date): AsyncIterable<StoredEvent>;
  /**
   * Which of these events the table knows as cancelled (by `eventKey`): the archive learns of a
   * cancellation a moment after it is committed, the table at once.
   */
  cancelled?(events: ReadonlyArray<{ source: string; id: string }>): Promise<Set<string>>;
}

/** A raw event item still in the table (kept for deduplication until its acceptance window is over). */
export interface RawEventRecord {
  source: string;
  id: string;
  customer: string;
  type: string;
  /** ISO instant the event is counted at. */
  time: string;
  /** ISO instant it was accepted. */
  receivedAt: string;
  /** The CloudEvent as JSON text. */
  raw: string;
  /** ISO instant it was cancelled, if it was. */
  cancelledAt?: string;
}

/** What a cancelled event gives back to one usage total under a hard limit. */
export interface LimitGiveBack {
  customerId: string;
  meterKey: string;
  periodStart: string;
  quantity: Decimal;
}

/** One event's cancellation, written in one transaction (`UsageStore.cancel`). */
export interface Cancellation {
  source: string;
  id: string;
  customerId: string;
  /** The event's time (the customer check: not sealed past it). */
  time: Date;
  cancelledAt: Date;
  /** The negated counter updates (`planCancellation`), with the late-day marks of a late event. */
  chunk: WriteChunk;
  limits: readonly LimitGiveBack[];
  /** The customer's `usage_limits` text as read; undefined: it had none. */
  limitText: string | undefined;
}

/** How a cancellation's transaction ended. */
export type CancelCommitResult =
  | { ok: true }
  | {
      ok: false;
      /** The event item's condition failed: it is gone (TTL) or cancelled already. Read it again. */
      event: boolean;
      /** The customer check failed: sealed past the event, its rollup watermark or hard limits moved, or gone. */
      customer: boolean;
      /** A usage total holds less than it was to give back (another cancel meanwhile): read the totals again. */
      limits: boolean;
      /** Conflicts or throttling: the same write may pass later. */
      retryable: boolean;
      reasons: string[];
    };
