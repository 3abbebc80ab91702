import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { Decimal } from '../../domain/decimal.js';
import { parseBucketKey } from '../../domain/metering/buckets.js';
import { parseDimensionKey } from '../../domain/metering/ingest.js';
import { type Item, s } from './attributes.js';

/**
 * Counter items: one partition per (customer, event type); one item per 15-minute bucket
 * (`B#<bucket>`) holding the counters of every meter of the type and every dimension set, and one
 * derived item per local day and time zone (`R#<zone>#<date>`, a day rollup) holding the same
 * counters merged over the day.
 */
export const counterPartition = (customerId: string, eventType: string) =>
  `USAGE#${customerId}#T#${encodeURIComponent(eventType)}`;

export const counterItemKey = (customerId: string, eventType: string, bucket: string) => ({
  PK: s(counterPartition(customerId, eventType)),
  SK: s(`B#${bucket}`),
});

export const rollupSortKey = (zone: string, date: string) => `R#${zone}#${date}`;

/**
 * The fields of one counter inside its item: `c|<meter>|<field>|<dimension key>`. Meter keys hold no
 * `|`, and the dimension key comes last, so a name reads back unambiguously.
 */
export const FIELDS = {
  count: 'n',
  sum: 's',
  max: 'x',
  latest: 'l',
  latestTime: 'lt',
  latestKey: 'lk',
  weighted: 'w',
} as const;
export type Field = keyof typeof FIELDS;
const FIELD_OF = new Map<string, Field>(Object.entries(FIELDS).map(([field, code]) => [code, field as Field]));

export const fieldName = (meterKey: string, field: Field, dimensionKey: string) =>
  `c|${meterKey}|${FIELDS[field]}|${dimensionKey}`;

/** One counter as an item stores it: its meter, dimension key and raw fields. */
interface ItemCounter {
  meterKey: string;
  dimensionKey: string;
  fields: Partial<Record<Field, AttributeValue>>;
}

/** The counters an item holds (of one meter when `meterKey` is given), by `<meter>|<dimension key>`. */
function itemCounters(item: Item, meterKey?: string): Map<string, ItemCounter> {
  const prefix = meterKey === undefined ? 'c|' : `c|${meterKey}|`;
  const counters = new Map<string, ItemCounter>();
  for (const [name, value] of Object.entries(item)) {
    if (!name.startsWith(prefix)) continue;
    const [, meter, code] = name.split('|', 3);
    const field = FIELD_OF.get(code ?? '');
    if (meter === undefined || field === undefined) continue;
    const dimensionKey = name.slice(`c|${meter}|${code}|`.length);
    const id = `${meter}|${dimensionKey}`;
    let counter = counters.get(id);
    if (!counter) {
      counter = { meterKey: meter, dimensionKey, fields: {} };
      counters.set(id, counter);
    }
    counter.fields[field] = value;
  }
  return counters;
}

/** A counter as rating and the usage API read it. */
export interface StoredCounter {
  bucket: string;
  /** Set on a day rollup: the interval the row covers instead of its 15-minute bucket. */
  span?: { start: Date; end: Date };
  dimensions: Record<string, string>;
  count: number;
  sum: Decimal;
  max: Decimal | undefined;
  latest: Decimal | undefined;
  latestTime: number | undefined;
  latestKey: string | undefined;
  weighted: Decimal;
}

const decimal = (value: AttributeValue | undefined) => (value?.N === undefined ? undefined : new Decimal(value.N));

/** The counters of one meter that a counter item (bucket or day rollup) holds, one per dimension set. */
export function countersOf(item: Item, meterKey: string): StoredCounter[] {
  const bucket = item.bucket?.S ?? '';
  const spanEnd = item.span_end?.S;
  return [...itemCounters(item, meterKey).values()].map(({ dimensionKey, fields }) => ({
    bucket,
    ...(spanEnd ? { span: { start: parseBucketKey(bucket), end: parseBucketKey(spanEnd) } } : {}),
    dimensions: parseDimensionKey(dimensionKey),
    count: Number(fields.count?.N ?? 0),
    sum: decimal(fields.sum) ?? new Decimal(0),
    max: decimal(fields.max),
    latest: decimal(fields.latest),
    latestTime: fields.latestTime?.N === undefined ? undefined : Number(fields.latestTime.N),
    latestKey: fields.latestKey?.S,
    weighted: decimal(fields.weighted) ?? new Decimal(0),
  }));
}

/**
 * Merges bucket items into the counter attributes of one span starting at `start`: counts, sums and
 * weighted terms add up (a weighted term moves to the span's start: + sum × (bucket start − start)),
 * the larger max and the later latest win.
 */
export function mergeCounterItems(items: readonly Item[], start: Date): Item {
  const merged = new Map<string, ItemCounter>();
  for (const item of items) {
    const offset = parseBucketKey(item.bucket?.S ?? '').getTime() - start.getTime();
    for (const [id, counter] of itemCounters(item)) {
      const into = merged.get(id) ?? { meterKey: counter.meterKey, dimensionKey: counter.dimensionKey, fields: {} };
      merged.set(id, into);
      const a = into.fields;
      const b = counter.fields;
      const add = (x: AttributeValue | undefined, y: Decimal) => ({
        N: (decimal(x) ?? new Decimal(0)).plus(y).toString(),
      });
      if (b.count) a.count = add(a.count, new Decimal(b.count.N ?? 0));
      if (b.sum) a.sum = add(a.sum, decimal(b.sum) ?? new Decimal(0));
      // Only weighted_sum counters hold a weighted term (always, with their sum).
      if (b.weighted)
        a.weighted = add(
          a.weighted,
          (decimal(b.weighted) ?? new Decimal(0)).plus((decimal(b.sum) ?? new Decimal(0)).times(offset)),
        );
      const max = decimal(b.max);
      if (b.max && max && (!a.max || max.gt(decimal(a.max) ?? max))) a.max = b.max;
      if (b.latestTime) {
        const later =
          !a.latestTime ||
          Number(b.latestTime.N) > Number(a.latestTime.N) ||
          (Number(b.latestTime.N) === Number(a.latestTime.N) && (b.latestKey?.S ?? '') > (a.latestKey?.S ?? ''));
        if (later) {
          a.latestTime = b.latestTime;
          if (b.latestKey) a.latestKey = b.latestKey;
          if (b.latest) a.latest = b.latest;
        }
      }
    }
  }
  const attributes: Item = {};
  for (const { meterKey, dimensionKey, fields } of merged.values())
    for (const [field, value] of Object.entries(fields) as Array<[Field, AttributeValue]>)
      attributes[fieldName(meterKey, field, dimensionKey)] = value;
  return attributes;
}

/** Approximate stored size of an item in bytes (names plus values), to stay well under DynamoDB's 400 KB. */
export function itemSize(item: Item): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) size += name.length + (value.S?.length ?? value.N?.length ?? 8);
  return size;
}
