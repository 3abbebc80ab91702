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
  markers(customerId: string, meterKey: string, fromBucket: string, toBucket: string): Promise<MarkerRow[]>;
  /** The first bucket holding any counter of a customer's event type (its history starts there). */
  firstBucket(customerId: string, eventType: string): Promise<string | undefined>;
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
}
