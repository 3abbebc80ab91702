import { describe, expect, it } from 'vitest';
import { Decimal } from '../../functions/domain/decimal.js';
import { aggregationOf, emptyTally } from '../../functions/domain/metering/aggregations/index.js';
import { type CounterUpdate, noFloors } from '../../functions/domain/metering/coalesce.js';
import { AGGREGATIONS, type AggregationKind, type Meter } from '../../functions/domain/metering/meter.js';
import type { CounterRow } from '../../functions/domain/metering/usage-series.js';

const meterOf = (kind: AggregationKind): Meter => ({
  key: kind,
  name: kind,
  eventType: 'e',
  aggregation: kind,
  valueProperty: kind === 'count' ? undefined : 'v',
  groupBy: [],
  createdAt: '',
});

const counterOf = (kind: AggregationKind, id: string): CounterUpdate => ({
  id,
  customerId: 'acme',
  meter: meterOf(kind),
  bucket: '2026-11-10T10:00',
  dimensions: {},
  dimensionKey: '',
  count: 0,
});

/** Reads and coalesces events (value, time) into one counter update, as one chunk does; returns the marks. */
function coalesceAll(kind: AggregationKind, counter: CounterUpdate, events: Array<[unknown, number]>): string[] {
  const aggregation = aggregationOf(kind);
  const floors = noFloors();
  const marks: string[] = [];
  events.forEach(([raw, time], i) => {
    const reading = aggregation.read(raw, 'v');
    if (!reading.ok) throw new Error(reading.message);
    counter.count += 1;
    const mark = aggregation.coalesce(counter, reading, { time, tiebreak: `s\u0000e${i}`, floors });
    if (mark !== undefined) marks.push(mark);
  });
  return marks;
}

/** The stored counter item the adapter writes for an update (absent fields read back as the adapter does). */
function storedRow(counter: CounterUpdate): CounterRow {
  const row: CounterRow = {
    bucket: counter.bucket,
    dimensions: {},
    count: counter.count,
    sum: new Decimal(0),
    weighted: new Decimal(0),
    max: undefined,
    latest: undefined,
    latestTime: undefined,
    latestKey: undefined,
  };
  for (const write of aggregationOf(counter.meter.aggregation).writes(counter)) {
    switch (write.field) {
      case 'sum':
        row.sum = write.value;
        break;
      case 'weighted':
        row.weighted = write.value;
        break;
      case 'max':
        row.max = write.value;
        break;
      case 'latest':
        Object.assign(row, { latest: write.value, latestTime: write.time, latestKey: write.tiebreak });
        break;
      default: {
        const unreachable: never = write;
        throw new Error(`unknown counter write ${JSON.stringify(unreachable)}`);
      }
    }
  }
  return row;
}

const T = Date.parse('2026-11-10T10:00:00Z');

interface Case {
  kind: AggregationKind;
  /** Two buckets of events (raw value, time offset in seconds). */
  first: Array<[unknown, number]>;
  second: Array<[unknown, number]>;
  /** The fields the first bucket's update writes. */
  writes: Array<{ field: string; value: string }>;
  /** The quantity the first bucket alone reads back as, then both buckets merged. */
  firstQuantity: string;
  quantity: string;
}

const cases: Case[] = [
  {
    kind: 'count',
    first: [
      [undefined, 1],
      [undefined, 2],
    ],
    second: [[undefined, 900]],
    writes: [],
    firstQuantity: '2',
    quantity: '3',
  },
  {
    kind: 'sum',
    first: [
      ['1.5', 1],
      [2, 2],
      [{ text: '0.25' }, 3],
    ],
    second: [['1', 900]],
    writes: [{ field: 'sum', value: '3.75' }],
    firstQuantity: '3.75',
    quantity: '4.75',
  },
  {
    kind: 'max',
    first: [
      ['5', 1],
      ['9', 2],
      ['7', 3],
    ],
    second: [['8.5', 900]],
    writes: [{ field: 'max', value: '9' }],
    firstQuantity: '9',
    quantity: '9',
  },
  {
    kind: 'latest',
    // In arrival order, not time order: the value of the latest event by time wins.
    first: [
      ['10', 30],
      ['40', 60],
      ['20', 45],
    ],
    second: [['3', 900]],
    writes: [{ field: 'latest', value: '40' }],
    firstQuantity: '40',
    quantity: '3',
  },
  {
    kind: 'unique_count',
    first: [
      ['alice', 1],
      ['bob', 2],
      ['alice', 3],
    ],
    second: [
      ['bob', 900],
      [7, 901],
    ],
    writes: [],
    firstQuantity: '2',
    quantity: '3',
  },
  {
    kind: 'weighted_sum',
    // Signed changes of a level; weighted = Σ δ·(t − bucket start) in ms. The tally path reads back
    // the net change only (the quantities need the start level: see weighted-sum.test.ts).
    first: [
      ['5', 1],
      ['-2', 2],
      [{ text: '0.5' }, 3],
    ],
    second: [[-1, 900]],
    writes: [
      { field: 'sum', value: '3.5' },
      { field: 'weighted', value: '2500' },
    ],
    firstQuantity: '3.5',
    quantity: '2.5',
  },
];

describe('one module per aggregation', () => {
  it('has a module for every aggregation a meter can have, and a case for each here', () => {
    expect(AGGREGATIONS.map((kind) => aggregationOf(kind).kind)).toEqual([...AGGREGATIONS]);
    expect(cases.map((c) => c.kind).sort()).toEqual([...AGGREGATIONS].sort());
  });

  it.each(cases)('$kind reads events, coalesces them into one update and reads the counters back', (c) => {
    const aggregation = aggregationOf(c.kind);
    const first = counterOf(c.kind, 'b1');
    const second = counterOf(c.kind, 'b2');
    const marks = [
      ...coalesceAll(
        c.kind,
        first,
        c.first.map(([raw, s]) => [raw, T + s * 1000]),
      ),
      ...coalesceAll(
        c.kind,
        second,
        c.second.map(([raw, s]) => [raw, T + s * 1000]),
      ),
    ];

    expect(first.count).toBe(c.first.length);
    expect(aggregation.writes(first).map((w) => ({ field: w.field, value: w.value.toString() }))).toEqual(c.writes);

    const alone = emptyTally();
    alone.events = first.count;
    aggregation.merge(alone, storedRow(first));
    for (const mark of marks.slice(0, aggregation.markers ? c.first.length : 0)) alone.uniques.add(mark);
    expect(aggregation.quantity(alone).toString()).toBe(c.firstQuantity);

    const both = emptyTally();
    for (const row of [storedRow(first), storedRow(second)]) {
      both.events += row.count;
      aggregation.merge(both, row);
    }
    for (const mark of marks) both.uniques.add(mark);
    expect(aggregation.quantity(both).toString()).toBe(c.quantity);
  });

  it.each(['sum', 'max', 'latest'] as const)('%s refuses a negative value and a missing one', (kind) => {
    const aggregation = aggregationOf(kind);
    expect(aggregation.read('-1', 'v')).toEqual({
      ok: false,
      code: 'invalid_value',
      message: 'data.v = -1 must not be negative',
    });
    expect(aggregation.read(undefined, 'v')).toEqual({
      ok: false,
      code: 'invalid_value',
      message: 'data.v is missing',
    });
    expect(aggregation.read('-0', 'v')).toEqual({ ok: true, value: new Decimal(0) });
  });

  it('weighted_sum reads signed changes within the decimal range, -0 as 0', () => {
    const aggregation = aggregationOf('weighted_sum');
    expect(aggregation.read('-1.5', 'v')).toEqual({ ok: true, value: new Decimal('-1.5') });
    expect(aggregation.read(-2, 'v')).toEqual({ ok: true, value: new Decimal(-2) });
    expect(aggregation.read('-0', 'v')).toEqual({ ok: true, value: new Decimal(0) });
    expect(aggregation.read('-0.0000000000001', 'v')).toEqual({
      ok: false,
      code: 'invalid_value',
      message: 'data.v = -0.0000000000001 has too many decimal places: the limit is 12',
    });
    expect(aggregation.read(undefined, 'v')).toEqual({
      ok: false,
      code: 'invalid_value',
      message: 'data.v is missing',
    });
  });

  it('unique_count reads labels: numbers as text, objects refused', () => {
    const aggregation = aggregationOf('unique_count');
    expect(aggregation.read(42, 'v')).toEqual({ ok: true, label: '42' });
    expect(aggregation.read({ a: 1 }, 'v')).toMatchObject({ ok: false, code: 'invalid_value' });
  });

  it('count reads nothing, whatever the event holds', () => {
    expect(aggregationOf('count').read('-1', 'v')).toEqual({ ok: true });
  });

  it('max and latest leave out what cannot beat the stored floor, and raise it after a lost write', () => {
    const floors = noFloors();
    floors.max.set('m', new Decimal(10));
    const max = counterOf('max', 'm');
    aggregationOf('max').coalesce(max, { value: new Decimal(9) }, { time: T, tiebreak: 'a', floors });
    expect(aggregationOf('max').writes(max)).toEqual([]);
    aggregationOf('max').coalesce(max, { value: new Decimal(11) }, { time: T, tiebreak: 'b', floors });
    aggregationOf('max').raiseFloor(floors, max);
    expect(floors.max.get('m')?.toString()).toBe('11');

    floors.latest.set('l', { time: T + 1000, tiebreak: 'z' });
    const latest = counterOf('latest', 'l');
    aggregationOf('latest').coalesce(latest, { value: new Decimal(1) }, { time: T, tiebreak: 'a', floors });
    expect(aggregationOf('latest').writes(latest)).toEqual([]);
    aggregationOf('latest').coalesce(latest, { value: new Decimal(2) }, { time: T + 1000, tiebreak: 'zz', floors });
    aggregationOf('latest').raiseFloor(floors, latest);
    expect(floors.latest.get('l')).toEqual({ time: T + 1000, tiebreak: 'zz' });
  });

  it('says which parts add up, which quantities are amounts and what a meter rebuilds and checks', () => {
    const facts = AGGREGATIONS.map((kind) => {
      const a = aggregationOf(kind);
      return [kind, a.reads, a.additive, a.sumsAmounts, a.markers, a.floor ?? '-'];
    });
    expect(facts).toEqual([
      ['count', 'nothing', true, false, false, '-'],
      ['sum', 'decimal', true, true, false, '-'],
      ['max', 'decimal', false, false, false, 'max'],
      ['latest', 'decimal', false, false, false, 'latest'],
      ['unique_count', 'label', false, false, true, '-'],
      ['weighted_sum', 'decimal', false, false, false, '-'],
    ]);
    expect(aggregationOf('count').explanation).toBe('it counts events');
  });
});
