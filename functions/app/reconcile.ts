import { type Decimal, ZERO } from '../domain/decimal.js';
import { aggregationOf } from '../domain/metering/aggregations/index.js';
import { bucketKey, isBucketEdge, parseBucketKey } from '../domain/metering/buckets.js';
import type { MeasuredEvent } from '../domain/metering/coalesce.js';
import { measure } from '../domain/metering/ingest.js';
import type { Meter } from '../domain/metering/meter.js';
import { compareCounters, type Mismatch, rebuildCounters } from '../domain/metering/reconcile.js';
import { type CounterRow, type MarkerRow, usageSeries } from '../domain/metering/usage-series.js';
import { parseCloudEvent } from '../schemas/events.js';
import { parseJson } from '../schemas/json.js';
import { InvalidRequestError } from './errors.js';
import type { CounterReader, EventReader, LevelSnapshotStore } from './ports/usage.js';
import { startLevels } from './usage-levels.js';

export interface ReconcileDeps {
  meters: { list(): Promise<Meter[]> };
  customers: { get(id: string): Promise<{ id: string; timezone: string }> };
  usage: Pick<CounterReader, 'counters' | 'markers' | 'firstBucket'> & EventReader & Partial<LevelSnapshotStore>;
}

export interface ReconcileReport {
  customerId: string;
  from: Date;
  to: Date;
  events: number;
  meters: Array<{ meter: string; aggregation: string; fromEvents: Decimal; fromCounters: Decimal }>;
  mismatches: Mismatch[];
}

/**
 * Proves the counters from the stored raw events: rebuilds every counter bucket of [from, to) with
 * the ingest path's own measuring and coalescing, and compares field by field. A meter counts an
 * event only if it existed when the event was received.
 */
export async function reconcile(
  deps: ReconcileDeps,
  customerId: string,
  from: Date,
  to: Date,
): Promise<ReconcileReport> {
  for (const [name, time] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (!isBucketEdge(time)) throw new InvalidRequestError(`?${name}`, 'must fall on a 15-minute boundary');
  }
  const customer = await deps.customers.get(customerId);
  const meters = await deps.meters.list();
  const measured: MeasuredEvent[] = [];
  let events = 0;
  for await (const stored of deps.usage.events(customerId, from, to)) {
    events += 1;
    const parsed = parseCloudEvent(parseJson(stored.raw), events, new Date(stored.time));
    if (!parsed.ok) continue;
    const existing = meters.filter((m) => m.eventType === parsed.event.type && m.createdAt <= stored.receivedAt);
    const contributions = measure(parsed.event, existing);
    if (Array.isArray(contributions)) measured.push({ event: parsed.event, contributions });
  }
  const expected = rebuildCounters(measured);
  const fromBucket = bucketKey(from);
  const toBucket = bucketKey(to);
  const report: ReconcileReport = { customerId, from, to, events, meters: [], mismatches: [] };
  for (const meter of meters) {
    const [counters, markers] = await Promise.all([
      deps.usage.counters(customerId, meter, fromBucket, toBucket),
      aggregationOf(meter.aggregation).markers
        ? deps.usage.markers(customerId, meter.key, fromBucket, toBucket)
        : Promise.resolve([]),
    ]);
    report.mismatches.push(...compareCounters(meter, expected, { counters, markers }));
    const rebuiltRows: CounterRow[] = expected.counters
      .filter((c) => c.meter.key === meter.key)
      .map((c) => ({
        bucket: c.bucket,
        dimensions: c.dimensions,
        count: c.count,
        sum: c.sum ?? ZERO,
        weighted: c.weighted ?? ZERO,
        max: c.max,
        latest: c.latest?.value,
        latestTime: c.latest?.time,
        latestKey: c.latest?.tiebreak,
      }));
    const rebuiltMarkers: MarkerRow[] = [];
    for (const [id, values] of expected.markers) {
      const [meterKey, bucket] = id.split('\u0000');
      if (meterKey === meter.key)
        for (const value of values) rebuiltMarkers.push({ bucket: bucket ?? '', dimensions: {}, value });
    }
    // weighted_sum: both sides from the same (empty) start level: the changes inside the range are compared.
    const options = { from, to, granularity: 'total' as const, timeZone: 'UTC', per: meter.per, startLevels: [] };
    report.meters.push({
      meter: meter.key,
      aggregation: meter.aggregation,
      fromEvents: usageSeries(meter.aggregation, rebuiltRows, rebuiltMarkers, options)[0]!.value,
      fromCounters: usageSeries(meter.aggregation, counters, markers, options)[0]!.value,
    });
    // The day rollups rating reads (customer's zone) must say what the buckets say: counters, or the
    // distinct values of unique_count markers.
    const zoned = { ...options, timeZone: customer.timezone };
    const rollups = { timeZone: customer.timezone };
    const fromMarkers = aggregationOf(meter.aggregation).markers;
    const [rolledCounters, rolledMarkers] = await Promise.all([
      fromMarkers ? [] : deps.usage.counters(customerId, meter, fromBucket, toBucket, rollups),
      fromMarkers ? deps.usage.markers(customerId, meter.key, fromBucket, toBucket, rollups) : [],
    ]);
    const fromBuckets = usageSeries(meter.aggregation, counters, markers, zoned)[0]!.value;
    const fromRollups = usageSeries(meter.aggregation, rolledCounters, rolledMarkers, zoned)[0]!.value;
    if (!fromBuckets.eq(fromRollups))
      report.mismatches.push({
        meter: meter.key,
        bucket: '',
        dimensions: {},
        field: 'rollups',
        expected: fromBuckets.toString(),
        actual: fromRollups.toString(),
      });
    // weighted_sum: the newest level snapshot up to `to` must hold what the history before it adds up to.
    if (meter.aggregation === 'weighted_sum' && deps.usage.levelSnapshot)
      report.mismatches.push(...(await snapshotMismatches(deps.usage, customerId, meter, toBucket, customer.timezone)));
  }
  return report;
}

/** A level snapshot compared with the levels read from the whole history before it (mismatch `level_snapshot`). */
async function snapshotMismatches(
  usage: ReconcileDeps['usage'],
  customerId: string,
  meter: Meter,
  atOrBefore: string,
  timeZone: string,
): Promise<Mismatch[]> {
  const snapshot = await usage.levelSnapshot?.(customerId, meter, atOrBefore);
  if (!snapshot) return [];
  // Without finality, startLevels neither reads nor writes snapshots: the history from its first bucket.
  const history = await startLevels(usage, customerId, meter, parseBucketKey(snapshot.bucket), timeZone);
  const id = (dimensions: Record<string, string>) => JSON.stringify(Object.entries(dimensions).sort());
  const expected = new Map(history.map((level) => [id(level.dimensions), level]));
  const actual = new Map(snapshot.levels.map((level) => [id(level.dimensions), level]));
  const mismatches: Mismatch[] = [];
  for (const key of new Set([...expected.keys(), ...actual.keys()])) {
    const want = expected.get(key);
    const got = actual.get(key);
    if (want && got && want.level.eq(got.level)) continue;
    mismatches.push({
      meter: meter.key,
      bucket: snapshot.bucket,
      dimensions: (want ?? got)!.dimensions,
      field: 'level_snapshot',
      expected: want?.level.toString() ?? '0',
      actual: got?.level.toString() ?? '0',
    });
  }
  return mismatches;
}
