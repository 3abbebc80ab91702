import type { Decimal } from '../domain/decimal.js';
import { BUCKET_MS, bucketKey, parseBucketKey } from '../domain/metering/buckets.js';
import { type Finality, snapshotHolds, snapshotPoint } from '../domain/metering/level-snapshots.js';
import type { Meter } from '../domain/metering/meter.js';
import type { StartLevel } from '../domain/metering/time-weighted.js';
import type { CounterRow } from '../domain/metering/usage-series.js';
import type { CounterReader, LevelSnapshotStore } from './ports/usage.js';

export type LevelReader = Pick<CounterReader, 'firstBucket' | 'counters'> & Partial<LevelSnapshotStore>;

const dimensionsId = (dimensions: Record<string, string>) => JSON.stringify(Object.entries(dimensions).sort());

const rowEnd = (row: CounterRow) => row.span?.end.getTime() ?? parseBucketKey(row.bucket).getTime() + BUCKET_MS;

/** Adds `level` to the level of its dimension set. */
function add(levels: Map<string, StartLevel>, dimensions: Record<string, string>, level: Decimal) {
  const id = dimensionsId(dimensions);
  const known = levels.get(id);
  if (known) known.level = known.level.plus(level);
  else levels.set(id, { dimensions, level });
}

const nonZero = (levels: Map<string, StartLevel>) => [...levels.values()].filter((level) => !level.level.isZero());

/**
 * The level of a weighted_sum meter at `from`, per dimension set: every change before it added up
 * (read as day rollups where whole days allow). Empty for other aggregations. Once the periods
 * before `from` are sealed, nothing can change it: a close rates the same level every time.
 *
 * With `finality` and a reader that keeps level snapshots, the sum starts from the newest snapshot at
 * or before `from` that still holds, and a snapshot is taken at the start of a local month whose
 * history is final (see snapshotPoint): a rating then reads one snapshot and at most a month of day
 * rollups, however long the history. A snapshot that cannot be written (throttled) is left for the
 * next reading; the levels are exact either way.
 */
export async function startLevels(
  reader: LevelReader,
  customerId: string,
  meter: Meter,
  from: Date,
  timeZone: string,
  finality?: Finality,
): Promise<StartLevel[]> {
  if (meter.aggregation !== 'weighted_sum') return [];
  const fromBucket = bucketKey(from);
  const snapshots = finality && reader.levelSnapshot && reader.putLevelSnapshot ? reader : undefined;
  const found = snapshots ? await snapshots.levelSnapshot?.(customerId, meter, fromBucket) : undefined;
  const snapshot = found && finality && snapshotHolds(found.basis, finality.acceptanceWindowDays) ? found : undefined;
  const levels = new Map<string, StartLevel>();
  for (const level of snapshot?.levels ?? []) add(levels, level.dimensions, level.level);
  const start = snapshot?.bucket ?? (await reader.firstBucket(customerId, meter.eventType));
  if (start === undefined || start >= fromBucket) return nonZero(levels);
  const rows = await reader.counters(customerId, meter, start, fromBucket, { timeZone });
  for (const row of rows) add(levels, row.dimensions, row.sum);

  // A newer snapshot: the levels at the start of the latest month that is final, from the same rows.
  const point = finality && snapshots && snapshotPoint(from, timeZone, finality);
  if (point && bucketKey(point.at) > start) {
    const at = point.at.getTime();
    const before = new Map<string, StartLevel>();
    for (const level of snapshot?.levels ?? []) add(before, level.dimensions, level.level);
    let cut = true;
    for (const row of rows) {
      const rowStart = parseBucketKey(row.bucket).getTime();
      if (rowEnd(row) <= at) add(before, row.dimensions, row.sum);
      else if (rowStart < at) cut = false;
    }
    if (cut)
      await snapshots
        .putLevelSnapshot?.(customerId, meter, {
          bucket: bucketKey(point.at),
          basis: point.basis,
          levels: nonZero(before),
        })
        .catch(() => undefined);
  }
  return nonZero(levels);
}

/** What makes a customer's usage final at `now`: the acceptance window, and its seal if it has one. */
export function finalityOf(
  now: Date,
  acceptanceWindowDays: number,
  customer: { billedThrough?: string | undefined },
): Finality {
  return {
    now,
    acceptanceWindowDays,
    ...(customer.billedThrough ? { sealedThrough: new Date(customer.billedThrough) } : {}),
  };
}

/** The start levels of one dimension set. */
export function levelsOf(levels: readonly StartLevel[], dimensions: Record<string, string>): StartLevel[] {
  const id = dimensionsId(dimensions);
  return levels.filter((level) => dimensionsId(level.dimensions) === id);
}
