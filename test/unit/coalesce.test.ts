import { describe, expect, it } from 'vitest';
import { Decimal } from '../../functions/domain/decimal.js';
import { type MeasuredEvent, noFloors, planChunks, raiseFloor } from '../../functions/domain/metering/coalesce.js';
import { measure, type UsageEvent } from '../../functions/domain/metering/ingest.js';
import type { Meter } from '../../functions/domain/metering/meter.js';

const seats: Meter = {
  key: 'seats',
  name: 'Seats',
  eventType: 'seats',
  aggregation: 'max',
  valueProperty: 'n',
  groupBy: [],
  createdAt: '',
};
const storage: Meter = {
  key: 'gb',
  name: 'GB',
  eventType: 'seats',
  aggregation: 'latest',
  valueProperty: 'n',
  groupBy: [],
  createdAt: '',
};

function measured(id: string, n: string, time = '2026-11-10T10:01:00Z', meters: Meter[] = [seats]): MeasuredEvent {
  const event: UsageEvent = {
    index: 0,
    id,
    source: 's',
    type: 'seats',
    subject: 'acme',
    time: new Date(time),
    data: { n },
    raw: '{}',
  };
  const contributions = measure(event, meters);
  if (!Array.isArray(contributions)) throw new Error(contributions.message);
  return { event, contributions };
}

describe('coalescing max and latest counters', () => {
  it('keeps the largest value of a chunk in one update', () => {
    const [chunk] = planChunks([measured('a', '5'), measured('b', '9'), measured('c', '7')], 100, noFloors());
    expect(chunk?.counters).toHaveLength(1);
    expect(chunk?.counters[0]?.max?.toString()).toBe('9');
    expect(chunk?.counters[0]?.count).toBe(3);
  });

  it('after a max lost with 5, still writes a later 50 for the same counter', () => {
    const floors = noFloors();
    const [first] = planChunks([measured('a', '5')], 100, floors);
    raiseFloor(floors, first!.counters[0]!);
    const [retry] = planChunks([measured('b', '50'), measured('c', '3')], 100, floors);
    expect(retry?.counters[0]?.max?.toString()).toBe('50');
  });

  it('leaves out a max that cannot beat what is stored, but still counts the event', () => {
    const floors = noFloors();
    floors.max.set(planChunks([measured('x', '1')], 100, noFloors())[0]!.counters[0]!.id, new Decimal(10));
    const [chunk] = planChunks([measured('a', '10'), measured('b', '4')], 100, floors);
    expect(chunk?.counters[0]?.max).toBeUndefined();
    expect(chunk?.counters[0]?.count).toBe(2);
  });

  it('after a latest lost, still writes a later event for the same counter', () => {
    const floors = noFloors();
    const [first] = planChunks([measured('a', '1', '2026-11-10T10:01:00Z', [storage])], 100, floors);
    raiseFloor(floors, first!.counters[0]!);
    const [earlier] = planChunks([measured('b', '2', '2026-11-10T10:00:30Z', [storage])], 100, floors);
    expect(earlier?.counters[0]?.latest).toBeUndefined();
    const [later] = planChunks([measured('c', '3', '2026-11-10T10:02:00Z', [storage])], 100, floors);
    expect(later?.counters[0]?.latest?.value.toString()).toBe('3');
  });
});

describe('one counter item per customer, event type and bucket', () => {
  const byRegion: Meter = {
    ...seats,
    key: 'by-region',
    aggregation: 'count',
    valueProperty: undefined,
    groupBy: ['region'],
  };
  const inRegion = (id: string, region: string) => {
    const event = measured(id, '1', '2026-11-10T10:01:00Z', [seats, byRegion]);
    event.event.data = { n: '1', region };
    const contributions = measure(event.event, [seats, byRegion]);
    if (!Array.isArray(contributions)) throw new Error(contributions.message);
    return { event: event.event, contributions };
  };

  it('puts every meter and dimension value of a bucket into one item update', () => {
    const [chunk, ...rest] = planChunks(
      [inRegion('a', 'eu'), inRegion('b', 'us'), inRegion('c', 'eu')],
      100,
      noFloors(),
    );
    expect(rest).toHaveLength(0);
    expect(chunk?.counters).toHaveLength(3);
    expect(chunk?.items.size).toBe(1);
  });

  it('starts a new chunk when an item update would carry more counters than allowed', () => {
    const events = Array.from({ length: 50 }, (_, i) => inRegion(`e${i}`, `r${i}`));
    const chunks = planChunks(events, 100, noFloors(), { maxCountersPerItem: 40 });
    // Each event adds its own region's counter; the max counter is shared: 1 + 39 regions fit the first.
    expect(chunks.map((c) => [...c.items.values()][0]?.length)).toEqual([40, 12]);
    expect(chunks.map((c) => c.events.length)).toEqual([39, 11]);
  });
});
