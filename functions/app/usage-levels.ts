import { bucketKey } from '../domain/metering/buckets.js';
import type { Meter } from '../domain/metering/meter.js';
import type { StartLevel } from '../domain/metering/time-weighted.js';
import type { CounterReader } from './ports/usage.js';

export type LevelReader = Pick<CounterReader, 'firstBucket' | 'counters'>;

const dimensionsId = (dimensions: Record<string, string>) => JSON.stringify(Object.entries(dimensions).sort());

/**
 * The level of a weighted_sum meter at `from`, per dimension set: every change before it added up
 * (read as day rollups where whole days allow). Empty for other aggregations. Once the periods
 * before `from` are sealed, nothing can change it: a close rates the same level every time.
 */
export async function startLevels(
  reader: LevelReader,
  customerId: string,
  meter: Meter,
  from: Date,
  timeZone: string,
): Promise<StartLevel[]> {
  if (meter.aggregation !== 'weighted_sum') return [];
  const first = await reader.firstBucket(customerId, meter.eventType);
  const fromBucket = bucketKey(from);
  if (first === undefined || first >= fromBucket) return [];
  const levels = new Map<string, StartLevel>();
  for (const row of await reader.counters(customerId, meter, first, fromBucket, { timeZone })) {
    const id = dimensionsId(row.dimensions);
    const level = levels.get(id);
    if (level) level.level = level.level.plus(row.sum);
    else levels.set(id, { dimensions: row.dimensions, level: row.sum });
  }
  return [...levels.values()].filter((level) => !level.level.isZero());
}

/** The start levels of one dimension set. */
export function levelsOf(levels: readonly StartLevel[], dimensions: Record<string, string>): StartLevel[] {
  const id = dimensionsId(dimensions);
  return levels.filter((level) => dimensionsId(level.dimensions) === id);
}
