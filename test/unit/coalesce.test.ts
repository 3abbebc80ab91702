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
