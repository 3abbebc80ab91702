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

/** Reads the stored raw events of a customer, in time order. */
export interface EventReader {
  events(customerId: string, from: Date, to: Date): AsyncIterable<{ raw: string; time: string; receivedAt: string }>;
}
