import { Decimal } from '../decimal.js';
import { aggregationOf } from './aggregations/index.js';
import { type CounterUpdate, type MeasuredEvent, noFloors, planChunks } from './coalesce.js';
import { dimensionKey } from './ingest.js';
import type { Meter } from './meter.js';
import type { CounterRow, MarkerRow } from './usage-series.js';

export interface Mismatch {
  meter: string;
  bucket: string;
  dimensions: Record<string, string>;
  /**
   * `rollups`: the meter's total over the range from day rollups differs from the total from its buckets;
   * `level_snapshot`: a weighted_sum level snapshot (at `bucket`) differs from the history before it.
   */
  field: 'count' | 'sum' | 'weighted' | 'max' | 'latest' | 'unique_values' | 'rollups' | 'level_snapshot';
  expected: string;
  actual: string;
}

/** The counters the stored raw events imply: the same coalescing the ingest path uses, in one unbounded chunk. */
export function rebuildCounters(measured: readonly MeasuredEvent[]): {
  counters: CounterUpdate[];
  markers: Map<string, Set<string>>;
} {
  const [chunk] = planChunks(measured, Number.POSITIVE_INFINITY, noFloors());
  const markers = new Map<string, Set<string>>();
  for (const marker of chunk?.markers ?? []) {
    const id = `${marker.meter.key}\u0000${marker.bucket}\u0000${marker.dimensionKey}`;
    const values = markers.get(id) ?? new Set<string>();
    values.add(marker.value);
    markers.set(id, values);
  }
  return { counters: chunk?.counters ?? [], markers };
}

const text = (value: Decimal | number | undefined) => (value === undefined ? '-' : new Decimal(value).toString());

/** Compares one meter's stored counters and markers with the rebuilt ones, bucket by bucket. */
export function compareCounters(
  meter: Meter,
  expected: { counters: CounterUpdate[]; markers: Map<string, Set<string>> },
  stored: { counters: CounterRow[]; markers: MarkerRow[] },
): Mismatch[] {
  const aggregation = aggregationOf(meter.aggregation);
  const mismatches: Mismatch[] = [];
  const want = new Map<string, CounterUpdate>();
  for (const counter of expected.counters)
    if (counter.meter.key === meter.key) want.set(`${counter.bucket}\u0000${counter.dimensionKey}`, counter);
  const have = new Map<string, CounterRow>();
  for (const row of stored.counters) have.set(`${row.bucket}\u0000${dimensionKey(meter, row.dimensions)}`, row);

  for (const id of new Set([...want.keys(), ...have.keys()])) {
    const w = want.get(id);
    const h = have.get(id);
    const where = {
      meter: meter.key,
      bucket: w?.bucket ?? h?.bucket ?? '',
      dimensions: w?.dimensions ?? h?.dimensions ?? {},
    };
    const check = (field: Mismatch['field'], a: Decimal | number | undefined, b: Decimal | number | undefined) => {
      if (text(a) !== text(b)) mismatches.push({ ...where, field, expected: text(a), actual: text(b) });
    };
    check('count', w?.count ?? 0, h?.count ?? 0);
    for (const { field, expected: a, actual: b } of aggregation.checks(w, h)) check(field, a, b);
  }

  if (aggregation.markers) {
    const storedSets = new Map<string, Set<string>>();
    for (const marker of stored.markers) {
      const id = `${meter.key}\u0000${marker.bucket}\u0000${dimensionKey(meter, marker.dimensions)}`;
      const values = storedSets.get(id) ?? new Set<string>();
      values.add(marker.value);
      storedSets.set(id, values);
    }
    const ids = new Set([
      ...[...expected.markers.keys()].filter((id) => id.startsWith(`${meter.key}\u0000`)),
      ...storedSets.keys(),
    ]);
    for (const id of ids) {
      const a = [...(expected.markers.get(id) ?? [])].sort().join(',');
      const b = [...(storedSets.get(id) ?? [])].sort().join(',');
      if (a !== b)
        mismatches.push({
          meter: meter.key,
          bucket: id.split('\u0000')[1] ?? '',
          dimensions: {},
          field: 'unique_values',
          expected: a,
          actual: b,
        });
    }
  }
  return mismatches;
}
