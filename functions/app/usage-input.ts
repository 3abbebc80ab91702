import { type Decimal, ZERO } from '../domain/decimal.js';
import { aggregationOf } from '../domain/metering/aggregations/index.js';
import { bucketKey, parseBucketKey } from '../domain/metering/buckets.js';
import { eventKey, mayHaveUsage, measure } from '../domain/metering/ingest.js';
import type { Finality } from '../domain/metering/level-snapshots.js';
import type { Meter } from '../domain/metering/meter.js';
import { type CounterRow, counterQuantity, type MarkerRow, usageSeries } from '../domain/metering/usage-series.js';
import type { Price, PriceInput, UsageRecord } from '../domain/pricing/types.js';
import { parseCloudEvent } from '../schemas/events.js';
import { parseJson } from '../schemas/json.js';
import { ArchiveBehindError } from './errors.js';
import type { CounterReader, EventReader, LevelSnapshotStore, StoredEvent } from './ports/usage.js';
import { levelsOf, startLevels } from './usage-levels.js';

/** What rating reads: counters, markers, raw events (percentage prices), and level snapshots where kept. */
export interface UsageReader extends CounterReader, EventReader, Partial<LevelSnapshotStore> {}

/**
 * `reader`, except that a customer whose item records its usage months (`monthsOf`) and has none in a
 * range is answered without a read: no counters, markers or events there, no history at all when it
 * records no month. Exact, since ingestion records an event's month in the event's own transaction;
 * untracked customers (`undefined`) are always read. The estimates refresh reads the customers of
 * every active subscription anyway, so quiet ones cost no counter query.
 */
export function skippingQuietCustomers<R extends UsageReader>(
  reader: R,
  monthsOf: (customerId: string) => ReadonlySet<string> | undefined,
): R {
  const overrides: Pick<UsageReader, 'counters' | 'markers' | 'firstBucket' | 'events'> = {
    counters: (customerId, meter, fromBucket, toBucket, rollups) =>
      mayHaveUsage(monthsOf(customerId), fromBucket, toBucket)
        ? reader.counters(customerId, meter, fromBucket, toBucket, rollups)
        : Promise.resolve([]),
    markers: (customerId, meterKey, fromBucket, toBucket, rollups) =>
      mayHaveUsage(monthsOf(customerId), fromBucket, toBucket)
        ? reader.markers(customerId, meterKey, fromBucket, toBucket, rollups)
        : Promise.resolve([]),
    firstBucket: (customerId, eventType) =>
      monthsOf(customerId)?.size === 0 ? Promise.resolve(undefined) : reader.firstBucket(customerId, eventType),
    events: (customerId, from, to) =>
      mayHaveUsage(monthsOf(customerId), from.toISOString(), to.toISOString())
        ? reader.events(customerId, from, to)
        : noEvents(),
  };
  // No usage ever: no level to carry in, and no snapshot of one to read.
  const snapshots = reader as Partial<LevelSnapshotStore>;
  const { levelSnapshot } = snapshots;
  if (levelSnapshot)
    Object.assign(overrides, {
      levelSnapshot: ((customerId, meter, atOrBefore) =>
        monthsOf(customerId)?.size === 0
          ? Promise.resolve(undefined)
          : levelSnapshot.call(reader, customerId, meter, atOrBefore)) satisfies LevelSnapshotStore['levelSnapshot'],
    });
  return Object.assign(Object.create(reader) as R, overrides);
}

async function* noEvents(): AsyncIterable<StoredEvent> {}

function needs(price: Price): 'records' | 'events' | 'quantity' {
  if (price.model === 'matrix' || price.model === 'time_of_use') return 'records';
  if (price.model === 'percentage') return 'events';
  return 'quantity';
}

export interface PriceInputOptions {
  /**
   * The close of a sealed period: per-event amounts (percentage) are read only once the event archive
   * holds every event the counters count; until then {@link ArchiveBehindError}. Estimates and
   * previews read what the archive holds (it trails the counters by about a second).
   */
  complete?: boolean;
  /** What decides which usage is final: with it, weighted_sum levels are read from and kept as snapshots. */
  finality?: Finality;
}

/**
 * What a charge's price needs, read from the counters of [from, to): a quantity (the meter's
 * aggregate), usage records per dimension set (matrix) or per 15-minute bucket (time_of_use), or
 * per-event amounts in event order from the archived raw events (percentage).
 */
export async function priceInputFor(
  reader: UsageReader,
  customerId: string,
  meter: Meter,
  price: Price,
  from: Date,
  to: Date,
  timeZone: string,
  options: PriceInputOptions = {},
): Promise<PriceInput> {
  const kind = needs(price);
  if (kind === 'events') {
    // Archived events the meter would count, received before its creation or not: never fewer than
    // the counters' count once the archive is complete.
    const found: Array<{ source: string; id: string; amount?: Decimal }> = [];
    for await (const stored of reader.events(customerId, from, to)) {
      const parsed = parseCloudEvent(parseJson(stored.raw), 0, new Date(stored.time));
      if (!parsed.ok || parsed.event.type !== meter.eventType) continue;
      const contributions = measure(parsed.event, [meter]);
      if (!Array.isArray(contributions)) continue;
      const { source, id } = parsed.event;
      found.push({
        source,
        id,
        ...(stored.receivedAt >= meter.createdAt ? { amount: contributions[0]?.value ?? ZERO } : {}),
      });
    }
    // A close leaves out the events cancelled meanwhile whose cancellation the archive does not hold yet.
    const cancelled = options.complete && reader.cancelled ? await reader.cancelled(found) : new Set<string>();
    const kept = found.filter((event) => !cancelled.has(eventKey(event)));
    const archived = kept.length;
    const amounts = kept.flatMap((event) => (event.amount ? [event.amount] : []));
    if (options.complete) {
      const rows = await reader.counters(customerId, meter, bucketKey(from), bucketKey(to), { timeZone });
      const counted = rows.reduce((total, row) => total + row.count, 0);
      if (archived < counted) throw new ArchiveBehindError(customerId, meter.key, archived, counted);
    }
    return { events: amounts, timeZone };
  }
  const fromBucket = bucketKey(from);
  const toBucket = bucketKey(to);
  const aggregation = aggregationOf(meter.aggregation);
  // An aggregation that keeps markers reads its quantity back from them alone.
  const fromMarkers = aggregation.markers;
  // Time-of-use bands apply to each bucket's local time; every other price reads whole days as day rollups.
  const nestedTimeOfUse = JSON.stringify(price).includes('"time_of_use"');
  const perBucket = price.model === 'time_of_use' || (nestedTimeOfUse && aggregation.additive);
  const [counters, markers] = await Promise.all([
    fromMarkers
      ? Promise.resolve([])
      : reader.counters(customerId, meter, fromBucket, toBucket, perBucket ? undefined : { timeZone }),
    fromMarkers
      ? reader.markers(customerId, meter.key, fromBucket, toBucket, perBucket ? undefined : { timeZone })
      : Promise.resolve([]),
  ]);
  // weighted_sum: the level carried into the period (nothing else needs one).
  const levels = await startLevels(reader, customerId, meter, from, timeZone, options.finality);
  const series = { from, to, granularity: 'total' as const, timeZone, per: meter.per };
  if (kind === 'quantity') {
    const [total] = usageSeries(meter.aggregation, counters, markers, { ...series, startLevels: levels });
    return { quantity: total?.value ?? ZERO, timeZone };
  }
  if (price.model === 'time_of_use') {
    // One record per bucket and dimension set: bands are applied to each bucket's local time.
    const records: UsageRecord[] = counters.map((row) => ({
      dimensions: row.dimensions,
      time: parseBucketKey(row.bucket),
      quantity: counterQuantity(meter.aggregation, row),
    }));
    return { usage: records, timeZone };
  }
  // matrix: one record per dimension set, aggregated over the whole period (nested time_of_use gets buckets).
  if (perBucket) {
    return {
      usage: counters.map((row) => ({
        dimensions: row.dimensions,
        time: parseBucketKey(row.bucket),
        quantity: counterQuantity(meter.aggregation, row),
      })),
      timeZone,
    };
  }
  const groups = new Map<
    string,
    { dimensions: Record<string, string>; counters: CounterRow[]; markers: MarkerRow[] }
  >();
  const groupOf = (dimensions: Record<string, string>) => {
    const id = JSON.stringify(Object.entries(dimensions).sort());
    let group = groups.get(id);
    if (!group) {
      group = { dimensions, counters: [], markers: [] };
      groups.set(id, group);
    }
    return group;
  };
  for (const row of counters) groupOf(row.dimensions).counters.push(row);
  for (const marker of markers) groupOf(marker.dimensions).markers.push(marker);
  // A level carried in bills its dimension set also without a change in the period.
  for (const level of levels) groupOf(level.dimensions);
  const records: UsageRecord[] = [...groups.values()].map((group) => ({
    dimensions: group.dimensions,
    quantity:
      usageSeries(meter.aggregation, group.counters, group.markers, {
        ...series,
        startLevels: levelsOf(levels, group.dimensions),
      })[0]?.value ?? ZERO,
  }));
  return { usage: records, timeZone };
}
