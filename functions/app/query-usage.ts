import { aggregationOf } from '../domain/metering/aggregations/index.js';
import { bucketKey, isBucketEdge } from '../domain/metering/buckets.js';
import type { Meter } from '../domain/metering/meter.js';
import { type Granularity, type SeriesPoint, usageSeries } from '../domain/metering/usage-series.js';
import { InvalidRequestError } from './errors.js';
import type { Clock } from './ports/clock.js';
import type { CounterReader, LevelSnapshotStore } from './ports/usage.js';
import { finalityOf, startLevels } from './usage-levels.js';

export interface QueryUsageDeps {
  meters: { get(key: string): Promise<Meter> };
  customers: { get(id: string): Promise<{ id: string; timezone: string; billedThrough?: string | undefined }> };
  usage: CounterReader & Partial<LevelSnapshotStore>;
  /** With both, weighted_sum levels are read from and kept as monthly snapshots (see startLevels). */
  clock?: Clock;
  config?: { acceptanceWindowDays: number };
}

export interface UsageQuery {
  customerId: string;
  meterKey: string;
  from: Date;
  to: Date;
  granularity: Granularity;
  groupBy?: string;
  timeZone?: string;
}

/** Reads the counters of [from, to) and aggregates them per hour/day (in the customer's zone) or in total. */
export async function queryUsage(
  deps: QueryUsageDeps,
  query: UsageQuery,
): Promise<{ customerId: string; meter: Meter; timeZone: string; series: SeriesPoint[] }> {
  const [customer, meter] = await Promise.all([deps.customers.get(query.customerId), deps.meters.get(query.meterKey)]);
  for (const [name, time] of [
    ['from', query.from],
    ['to', query.to],
  ] as const) {
    if (!isBucketEdge(time))
      throw new InvalidRequestError(
        `?${name}`,
        'must fall on a 15-minute boundary (usage is counted in 15-minute buckets)',
      );
  }
  if (query.groupBy !== undefined && !meter.groupBy.includes(query.groupBy)) {
    throw new InvalidRequestError(
      '?group_by',
      `meter '${meter.key}' groups by ${meter.groupBy.length ? meter.groupBy.join(', ') : 'nothing'}; '${query.groupBy}' is not one of them`,
    );
  }
  const fromBucket = bucketKey(query.from);
  const toBucket = bucketKey(query.to);
  // An aggregation that keeps markers reads its quantity back from them alone.
  const fromMarkers = aggregationOf(meter.aggregation).markers;
  const timeZone = query.timeZone ?? customer.timezone;
  // Days and totals read whole local days as day rollups; hours need the buckets.
  const rollups = query.granularity === 'hour' ? undefined : { timeZone };
  const [counters, markers] = await Promise.all([
    fromMarkers ? Promise.resolve([]) : deps.usage.counters(customer.id, meter, fromBucket, toBucket, rollups),
    fromMarkers ? deps.usage.markers(customer.id, meter.key, fromBucket, toBucket, rollups) : Promise.resolve([]),
  ]);
  const finality =
    deps.clock && deps.config ? finalityOf(deps.clock(), deps.config.acceptanceWindowDays, customer) : undefined;
  const levels = await startLevels(deps.usage, customer.id, meter, query.from, timeZone, finality);
  const series = usageSeries(meter.aggregation, counters, markers, {
    per: meter.per,
    startLevels: levels,
    from: query.from,
    to: query.to,
    granularity: query.granularity,
    timeZone,
    groupBy: query.groupBy,
  });
  return { customerId: customer.id, meter, timeZone, series };
}
