import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../functions/domain/decimal.js';
import { aggregationOf } from '../../functions/domain/metering/aggregations/index.js';
import { BUCKET_MS, bucketKey, parseBucketKey } from '../../functions/domain/metering/buckets.js';
import { type MeasuredEvent, noFloors, planChunks } from '../../functions/domain/metering/coalesce.js';
import { dimensionKey, measure, type UsageEvent } from '../../functions/domain/metering/ingest.js';
import type { Meter, WeightedPer } from '../../functions/domain/metering/meter.js';
import {
  localDays,
  RowStraddlesBoundaryError,
  type StartLevel,
  weightedSeries,
} from '../../functions/domain/metering/time-weighted.js';
import { type CounterRow, type Granularity, usageSeries } from '../../functions/domain/metering/usage-series.js';
import { localParts } from '../../functions/domain/time/zone.js';

const storage: Meter = {
  key: 'storage',
  name: 'Storage',
  eventType: 'storage.changed',
  aggregation: 'weighted_sum',
  valueProperty: 'gb',
  groupBy: ['region'],
  per: 'period',
  createdAt: '',
};

interface Change {
  time: string | number;
  delta: string;
  region?: string;
}

/**
 * The counter rows the store holds after ingesting the changes (in the order given): measured and
 * coalesced as the ingest path does, `maxOperations` per chunk, each chunk's updates ADDed to the rows.
 */
function store(changes: readonly Change[], maxOperations = 100): CounterRow[] {
  const measured: MeasuredEvent[] = changes.map((change, index) => {
    const event: UsageEvent = {
      index,
      id: `e${index}`,
      source: 's',
      type: storage.eventType,
      subject: 'acme',
      time: new Date(change.time),
      data: { gb: change.delta, ...(change.region ? { region: change.region } : {}) },
      raw: '{}',
    };
    const contributions = measure(event, [storage]);
    if (!Array.isArray(contributions)) throw new Error(contributions.message);
    return { event, contributions };
  });
  const rows = new Map<string, CounterRow>();
  for (const chunk of planChunks(measured, maxOperations, noFloors())) {
    for (const counter of chunk.counters) {
      const id = `${counter.bucket}\u0000${counter.dimensionKey}`;
      const row = rows.get(id) ?? {
        bucket: counter.bucket,
        dimensions: counter.dimensions,
        count: 0,
        sum: new Decimal(0),
        weighted: new Decimal(0),
        max: undefined,
        latest: undefined,
        latestTime: undefined,
        latestKey: undefined,
      };
      row.count += counter.count;
      for (const write of aggregationOf('weighted_sum').writes(counter)) {
        if (write.field === 'sum') row.sum = row.sum.plus(write.value);
        else if (write.field === 'weighted') row.weighted = row.weighted.plus(write.value);
        else throw new Error(`weighted_sum wrote ${write.field}`);
      }
      rows.set(id, row);
    }
  }
  return [...rows.values()];
}

/**
 * Rolls up the rows of the given local days (in `zone`) into one span row per day and dimension set,
 * as the store's per-day rollup does: sum and count add up, weighted moves to the day's start.
 */
function rollUp(rows: readonly CounterRow[], days: ReadonlyArray<{ start: number; end: number }>): CounterRow[] {
  const kept: CounterRow[] = [];
  const spans = new Map<string, CounterRow>();
  for (const row of rows) {
    const start = parseBucketKey(row.bucket).getTime();
    const day = days.find((d) => d.start <= start && start < d.end);
    if (!day) {
      kept.push(row);
      continue;
    }
    const id = `${day.start}\u0000${dimensionKey(storage, row.dimensions)}`;
    const span = spans.get(id) ?? {
      bucket: bucketKey(new Date(day.start)),
      span: { start: new Date(day.start), end: new Date(day.end) },
      dimensions: row.dimensions,
      count: 0,
      sum: new Decimal(0),
      weighted: new Decimal(0),
      max: undefined,
      latest: undefined,
      latestTime: undefined,
      latestKey: undefined,
    };
    span.count += row.count;
    span.sum = span.sum.plus(row.sum);
    span.weighted = span.weighted.plus(row.weighted).plus(row.sum.times(start - day.start));
    spans.set(id, span);
  }
  return [...kept, ...spans.values()];
}

const at = (iso: string) => new Date(iso);
const values = (points: ReturnType<typeof weightedSeries>) =>
  points.map((p) => ({ start: p.start.toISOString(), value: p.value.toString(), events: p.events }));
const level = (text: string, dimensions: Record<string, string> = {}): StartLevel => ({
  dimensions,
  level: new Decimal(text),
});

describe('weighted_sum: hand computations', () => {
  it('averages 10 GB for the first half of November and 20 GB for the second half to 15', () => {
    const rows = store([
      { time: '2026-11-01T00:00:00Z', delta: '10' },
      { time: '2026-11-16T00:00:00Z', delta: '10' },
    ]);

    const [total] = weightedSeries(rows, {
      from: at('2026-11-01T00:00:00Z'),
      to: at('2026-12-01T00:00:00Z'),
      granularity: 'total',
      timeZone: 'UTC',
      per: 'period',
      startLevels: [],
    });

    expect(total?.value.toString()).toBe('15');
    expect(total?.events).toBe(2);
  });

  it('carries a start level in: 10 GB held since October, 10 more from the 16th', () => {
    const rows = store([{ time: '2026-11-16T00:00:00Z', delta: '10' }]);

    const options = {
      from: at('2026-11-01T00:00:00Z'),
      to: at('2026-12-01T00:00:00Z'),
      granularity: 'total' as const,
      timeZone: 'UTC',
      startLevels: [level('10')],
    };

    expect(weightedSeries(rows, { ...options, per: 'period' })[0]?.value.toString()).toBe('15');
    // 10 GB × 720 h + 10 GB × 360 h.
    expect(weightedSeries(rows, { ...options, per: 'hour' })[0]?.value.toString()).toBe('10800');
    expect(weightedSeries(rows, { ...options, per: 'day' })[0]?.value.toString()).toBe('450');
  });

  it('integrates GB-hours exactly across the 25-hour day of the Berlin DST end', () => {
    // 2026-10-25 in Berlin: 00:00 CEST (22:00Z the day before) to 24:00 CET (23:00Z), 25 hours.
    const rows = store([{ time: '2026-10-25T12:00:00Z', delta: '1' }]);

    const [day] = weightedSeries(rows, {
      from: at('2026-10-24T22:00:00Z'),
      to: at('2026-10-25T23:00:00Z'),
      granularity: 'day',
      timeZone: 'Europe/Berlin',
      per: 'hour',
      startLevels: [level('2')],
    });

    // 2 GB × 25 h + 1 GB × 11 h.
    expect(day?.value.toString()).toBe('61');
    expect([day?.start.toISOString(), day?.end.toISOString()]).toEqual([
      '2026-10-24T22:00:00.000Z',
      '2026-10-25T23:00:00.000Z',
    ]);
  });

  it('counts a seat held for the whole 25-hour day as one seat-day, half of it as half', () => {
    const options = {
      from: at('2026-10-23T22:00:00Z'),
      to: at('2026-10-26T23:00:00Z'),
      granularity: 'day' as const,
      timeZone: 'Europe/Berlin',
      per: 'day' as const,
    };

    const held = weightedSeries([], { ...options, startLevels: [level('1')] });
    const half = weightedSeries(store([{ time: '2026-10-25T10:30:00Z', delta: '1' }]), {
      ...options,
      startLevels: [],
    });

    expect(values(held)).toEqual([
      { start: '2026-10-23T22:00:00.000Z', value: '1', events: 0 },
      { start: '2026-10-24T22:00:00.000Z', value: '1', events: 0 },
      { start: '2026-10-25T23:00:00.000Z', value: '1', events: 0 },
    ]);
    // Held from 11:30 CET to midnight: 12.5 of the day's 25 hours.
    expect(values(half)).toEqual([
      { start: '2026-10-24T22:00:00.000Z', value: '0.5', events: 1 },
      { start: '2026-10-25T23:00:00.000Z', value: '1', events: 0 },
    ]);
    expect(
      weightedSeries([], { ...options, granularity: 'total', startLevels: [level('1')] })[0]?.value.toString(),
    ).toBe('3');
  });

  it('counts a seat held for the 23-hour day of the New York DST start as one seat-day', () => {
    // 2026-03-08 in New York: 00:00 EST (05:00Z) to 24:00 EDT (04:00Z the next day), 23 hours.
    const [day] = weightedSeries([], {
      from: at('2026-03-08T05:00:00Z'),
      to: at('2026-03-09T04:00:00Z'),
      granularity: 'total',
      timeZone: 'America/New_York',
      per: 'day',
      startLevels: [level('3')],
    });

    expect(day?.value.toString()).toBe('3');
  });

  it('bills a local month from its edges: changes before it are in the start level, changes after it left out', () => {
    // November in Berlin: 2026-10-31T23:00Z to 2026-11-30T23:00Z.
    const rows = store([
      { time: '2026-10-31T22:50:00Z', delta: '5' },
      { time: '2026-10-31T23:00:00Z', delta: '1' },
      { time: '2026-11-30T22:59:59.999Z', delta: '-1' },
      { time: '2026-11-30T23:00:00Z', delta: '100' },
    ]);

    const [total] = weightedSeries(rows, {
      from: at('2026-10-31T23:00:00Z'),
      to: at('2026-11-30T23:00:00Z'),
      granularity: 'total',
      timeZone: 'Europe/Berlin',
      per: 'day',
      startLevels: [level('5')],
    });

    // 5 seats for 30 days + 1 seat for 30 days less one millisecond of a 24-hour day.
    expect(total?.value.toString()).toBe('179.999999988426');
    expect(total?.events).toBe(2);
  });

  it('reads changes in any order, negative ones included', () => {
    const rows = store([
      { time: '2026-11-10T10:10:00Z', delta: '5' },
      { time: '2026-11-10T10:05:00Z', delta: '-2' },
      { time: '2026-11-10T10:00:00Z', delta: '1' },
    ]);
    const options = {
      from: at('2026-11-10T10:00:00Z'),
      to: at('2026-11-10T10:15:00Z'),
      granularity: 'total' as const,
      timeZone: 'UTC',
      startLevels: [],
    };

    // 1 for 5 minutes, -1 for 5 minutes, 4 for 5 minutes.
    expect(weightedSeries(rows, { ...options, per: 'period' })[0]?.value.toString()).toBe('1.333333333333');
    expect(weightedSeries(rows, { ...options, per: 'hour' })[0]?.value.toString()).toBe('0.333333333333');
    expect(rows).toHaveLength(1);
    expect(rows[0]?.sum.toString()).toBe('4');
  });

  it('rounds to 12 decimal places, half to even', () => {
    const options = {
      from: at('2026-11-10T10:00:00Z'),
      to: at('2026-11-10T10:30:00Z'),
      granularity: 'total' as const,
      timeZone: 'UTC',
      per: 'period' as const,
    };
    const halfTheTime = (delta: string) => store([{ time: '2026-11-10T10:15:00Z', delta }]);

    expect(weightedSeries(halfTheTime('0.000000000001'), { ...options, startLevels: [] })[0]?.value.toString()).toBe(
      '0',
    );
    expect(weightedSeries(halfTheTime('0.000000000003'), { ...options, startLevels: [] })[0]?.value.toString()).toBe(
      '0.000000000002',
    );
  });

  it('sums the start levels of the dimension sets in a group and splits by the group_by value', () => {
    const rows = store([
      { time: '2026-11-01T12:00:00Z', delta: '2', region: 'eu' },
      { time: '2026-11-01T18:00:00Z', delta: '-1', region: 'us' },
    ]);
    const options = {
      from: at('2026-11-01T00:00:00Z'),
      to: at('2026-11-02T00:00:00Z'),
      granularity: 'total' as const,
      timeZone: 'UTC',
      per: 'hour' as const,
      startLevels: [level('1', { region: 'eu', tier: 'hot' }), level('1', { region: 'eu', tier: 'cold' })],
    };

    const split = weightedSeries(rows, { ...options, groupBy: 'region' });
    const whole = weightedSeries(rows, options);

    expect(split.map((p) => [p.dimensions, p.value.toString()])).toEqual([
      [{ region: 'eu' }, '72'], // 2 × 24 h + 2 × 12 h
      [{ region: 'us' }, '-6'],
    ]);
    expect(whole.map((p) => p.value.toString())).toEqual(['66']);
  });

  it('shows every hour at a non-zero level, and leaves out hours at zero without changes', () => {
    const rows = store([
      { time: '2026-11-10T10:30:00Z', delta: '4' },
      { time: '2026-11-10T12:00:00Z', delta: '-4' },
    ]);

    const points = weightedSeries(rows, {
      from: at('2026-11-10T09:00:00Z'),
      to: at('2026-11-10T14:00:00Z'),
      granularity: 'hour',
      timeZone: 'Europe/Berlin',
      per: 'hour',
      startLevels: [],
    });

    expect(values(points)).toEqual([
      { start: '2026-11-10T10:00:00.000Z', value: '2', events: 1 },
      { start: '2026-11-10T11:00:00.000Z', value: '4', events: 0 },
      { start: '2026-11-10T12:00:00.000Z', value: '0', events: 1 },
    ]);
  });

  it('refuses a day span row it would have to cut into hours', () => {
    const days = localDays(Date.parse('2026-11-10T00:00:00Z'), Date.parse('2026-11-11T00:00:00Z'), 'UTC');
    const rows = rollUp(store([{ time: '2026-11-10T10:30:00Z', delta: '4' }]), days);

    const series = (granularity: Granularity) =>
      weightedSeries(rows, {
        from: at('2026-11-10T00:00:00Z'),
        to: at('2026-11-11T00:00:00Z'),
        granularity,
        timeZone: 'UTC',
        per: 'hour',
        startLevels: [],
      });

    expect(() => series('hour')).toThrow(RowStraddlesBoundaryError);
    expect(series('day').map((p) => p.value.toString())).toEqual(['54']);
  });

  it('is what usageSeries answers for a weighted_sum meter, which needs the start levels', () => {
    const rows = store([{ time: '2026-11-16T00:00:00Z', delta: '10' }]);
    const options = {
      from: at('2026-11-01T00:00:00Z'),
      to: at('2026-12-01T00:00:00Z'),
      granularity: 'day' as const,
      timeZone: 'Europe/Berlin',
    };

    expect(usageSeries('weighted_sum', rows, [], { ...options, per: 'day', startLevels: [level('10')] })).toEqual(
      weightedSeries(rows, { ...options, per: 'day', startLevels: [level('10')] }),
    );
    expect(() => usageSeries('weighted_sum', rows, [], options)).toThrow(/start levels/);
  });
});

/** The scenarios of the property: three local days around a DST change. */
const SCENARIOS = [
  { zone: 'Europe/Berlin', firstDay: '2026-10-24T00:00:00+02:00', days: 3 }, // fall back (25 h)
  { zone: 'Europe/Berlin', firstDay: '2026-03-28T00:00:00+01:00', days: 3 }, // spring forward (23 h)
  { zone: 'America/New_York', firstDay: '2026-10-31T00:00:00-04:00', days: 3 }, // fall back
  { zone: 'America/New_York', firstDay: '2026-03-07T00:00:00-05:00', days: 3 }, // spring forward
] as const;

const partsCache = new Map<string, ReturnType<typeof localParts>>();
/** localParts, remembered (Intl is slow, and the brute force asks for every bucket many times). */
function partsAt(time: number, zone: string): ReturnType<typeof localParts> {
  const key = `${zone}\u0000${time}`;
  let parts = partsCache.get(key);
  if (!parts) {
    parts = localParts(new Date(time), zone);
    partsCache.set(key, parts);
  }
  return parts;
}

/** Brute force: integrates the level straight from the sorted changes, bucket by bucket. */
function bruteForce(
  changes: ReadonlyArray<{ time: number; delta: Decimal; region: string }>,
  startLevel: Map<string, Decimal>,
  range: { from: number; to: number; zone: string; granularity: Granularity; per: WeightedPer; groupBy: boolean },
): Array<{ start: string; group: string; value: string; events: number }> {
  const dayKey = (t: number) => {
    const p = partsAt(t, range.zone);
    return `${p.year}-${p.month}-${p.day}`;
  };
  // The instant the local hour starts (the repeated hour of a fall-back day is two hours).
  const hourKey = (t: number) => String(t - partsAt(t, range.zone).minute * 60_000);
  // The length of each local day, counted in buckets over a wide window.
  const dayLength = new Map<string, number>();
  for (let t = range.from - 2 * 86_400_000; t < range.to + 2 * 86_400_000; t += BUCKET_MS)
    dayLength.set(dayKey(t), (dayLength.get(dayKey(t)) ?? 0) + BUCKET_MS);

  const groupOf = (region: string) => (range.groupBy ? region : '');
  const groups = new Set<string>();
  const level = new Map<string, Decimal>();
  for (const [region, value] of startLevel) {
    groups.add(groupOf(region));
    level.set(groupOf(region), (level.get(groupOf(region)) ?? new Decimal(0)).plus(value));
  }
  const sorted = [...changes].sort((a, b) => a.time - b.time);
  for (const change of sorted) {
    if (change.time < range.from) {
      // Before the range: part of the start level.
      level.set(groupOf(change.region), (level.get(groupOf(change.region)) ?? new Decimal(0)).plus(change.delta));
    }
    if (change.time >= range.from && change.time < range.to) groups.add(groupOf(change.region));
  }
  // Per group: per slot, the integral per local day (ms) and whether it is shown.
  const slots = new Map<
    string,
    { start: number; end: number; group: string; byDay: Map<string, Decimal>; events: number; shown: boolean }
  >();
  for (const group of groups) {
    let current = level.get(group) ?? new Decimal(0);
    const inGroup = sorted.filter((c) => groupOf(c.region) === group && c.time >= range.from && c.time < range.to);
    let next = 0;
    for (let u = range.from; u < range.to; u += BUCKET_MS) {
      const slotKey = range.granularity === 'total' ? 'all' : range.granularity === 'day' ? dayKey(u) : hourKey(u);
      const id = `${slotKey}\u0000${group}`;
      const slot = slots.get(id) ?? { start: u, end: u, group, byDay: new Map(), events: 0, shown: false };
      slot.end = u + BUCKET_MS;
      let integral = new Decimal(0);
      let t = u;
      if (!current.isZero()) slot.shown = true;
      while (next < inGroup.length && inGroup[next]!.time < u + BUCKET_MS) {
        const change = inGroup[next]!;
        integral = integral.plus(current.times(change.time - t));
        t = change.time;
        current = current.plus(change.delta);
        slot.events += 1;
        slot.shown = true;
        next++;
      }
      integral = integral.plus(current.times(u + BUCKET_MS - t));
      slot.byDay.set(dayKey(u), (slot.byDay.get(dayKey(u)) ?? new Decimal(0)).plus(integral));
      slots.set(id, slot);
    }
  }
  const points = [...slots.values()]
    .filter((slot) => slot.shown)
    .map((slot) => {
      let value = new Decimal(0);
      if (range.per === 'day') {
        for (const [day, integral] of slot.byDay) value = value.plus(integral.div(dayLength.get(day)!));
      } else {
        let integral = new Decimal(0);
        for (const part of slot.byDay.values()) integral = integral.plus(part);
        value = integral.div(range.per === 'hour' ? 3_600_000 : slot.end - slot.start);
      }
      const rounded = value.toDecimalPlaces(12, Decimal.ROUND_HALF_EVEN);
      return {
        start: new Date(slot.start).toISOString(),
        group: slot.group,
        value: (rounded.isZero() ? new Decimal(0) : rounded).toString(),
        events: slot.events,
      };
    });
  if (range.granularity === 'total' && points.length === 0)
    points.push({ start: new Date(range.from).toISOString(), group: '', value: '0', events: 0 });
  return points.sort((a, b) => a.start.localeCompare(b.start) || a.group.localeCompare(b.group));
}

describe('weighted_sum: the series is the brute-force integral of the changes', () => {
  const deltaArbitrary = fc
    .tuple(fc.integer({ min: -50_000, max: 50_000 }), fc.constantFrom('', '.5', '.25', '.125'))
    .map(([units, fraction]) => new Decimal(units).div(1000).plus(fraction ? new Decimal(`0${fraction}`) : 0));

  it('for every per, granularity, zone and order, with some days rolled up into span rows', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SCENARIOS),
        // The range: whole local days, trimmed by some buckets at either end.
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 0, max: 8 }),
        fc.array(
          fc.record({
            offset: fc.integer({ min: -6 * 3_600_000, max: (3 * 24 + 6) * 3_600_000 }),
            delta: deltaArbitrary,
            region: fc.constantFrom('eu', 'us'),
          }),
          { maxLength: 40 },
        ),
        fc.record({ eu: deltaArbitrary, us: deltaArbitrary }),
        fc.integer({ min: 3, max: 40 }),
        fc.boolean(),
        (scenario, trimStart, trimEnd, raw, starts, maxOperations, groupBy) => {
          const dayStart = Date.parse(scenario.firstDay);
          const days = localDays(dayStart, dayStart + scenario.days * 86_400_000 - 7_200_000, scenario.zone);
          const from = days[0]!.start + trimStart * BUCKET_MS;
          const to = days[days.length - 1]!.end - trimEnd * BUCKET_MS;
          const changes = raw.map((c) => ({ time: dayStart + c.offset, delta: c.delta, region: c.region }));
          const rows = store(
            changes.map((c) => ({ time: c.time, delta: c.delta.toString(), region: c.region })),
            maxOperations,
          );
          const startLevel = new Map(Object.entries(starts).map(([region, value]) => [region, new Decimal(value)]));
          // weightedSeries gets the level at `from`: the start levels plus every change before it.
          const levelsAtFrom: StartLevel[] = [...startLevel].map(([region, value]) => ({
            dimensions: { region },
            level: value,
          }));
          for (const change of changes)
            if (change.time < from) levelsAtFrom.push({ dimensions: { region: change.region }, level: change.delta });
          // Roll up the local days that lie wholly inside the range, for the day and total series.
          const inside = days.filter((d) => d.start >= from && d.end <= to);
          const rolled = rollUp(rows, inside);

          for (const per of ['period', 'hour', 'day'] as const) {
            for (const granularity of ['hour', 'day', 'total'] as const) {
              const points = weightedSeries(granularity === 'hour' ? rows : rolled, {
                from: new Date(from),
                to: new Date(to),
                granularity,
                timeZone: scenario.zone,
                per,
                startLevels: levelsAtFrom,
                ...(groupBy ? { groupBy: 'region' } : {}),
              });
              const expected = bruteForce(changes, startLevel, {
                from,
                to,
                zone: scenario.zone,
                granularity,
                per,
                groupBy,
              });
              expect(
                points.map((p) => ({
                  start: p.start.toISOString(),
                  group: p.dimensions.region ?? '',
                  value: p.value.toString(),
                  events: p.events,
                })),
              ).toEqual(expected);
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  }, 120_000);
});
