import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boundary, gridPeriodContaining, type PeriodGrid } from '../../functions/domain/billing/periods.js';
import { intlParts, localParts } from '../../functions/domain/time/zone.js';

const monthly = (anchor: string, timeZone = 'UTC', intervalCount = 1): PeriodGrid => {
  const [year, month, day] = anchor.split('-').map(Number) as [number, number, number];
  return { anchor: { year, month, day }, interval: 'month', intervalCount, timeZone };
};

describe('billing period grid', () => {
  it('clamps a 31st anchor to month ends and returns to the 31st', () => {
    const grid = monthly('2026-01-31');
    expect([0, 1, 2, 3, 4].map((k) => boundary(grid, k).toISOString().slice(0, 10))).toEqual([
      '2026-01-31',
      '2026-02-28',
      '2026-03-31',
      '2026-04-30',
      '2026-05-31',
    ]);
    expect(boundary(monthly('2028-01-31'), 1).toISOString().slice(0, 10)).toBe('2028-02-29');
  });

  it('starts periods at local midnight across the DST change', () => {
    const grid = monthly('2026-10-01', 'Europe/Berlin');
    expect(boundary(grid, 0).toISOString()).toBe('2026-09-30T22:00:00.000Z');
    expect(boundary(grid, 1).toISOString()).toBe('2026-10-31T23:00:00.000Z');
  });

  it('starts periods at local midnight in a half-hour zone', () => {
    const grid = monthly('2026-11-01', 'Asia/Kolkata');
    expect(boundary(grid, 0).toISOString()).toBe('2026-10-31T18:30:00.000Z');
    expect(boundary(grid, 1).toISOString()).toBe('2026-11-30T18:30:00.000Z');
  });

  it('finds the period containing an instant, exactly at and just before a boundary', () => {
    const grid = monthly('2026-01-15', 'UTC');
    expect(gridPeriodContaining(grid, new Date('2026-03-15T00:00:00Z'))).toMatchObject({ index: 2 });
    expect(gridPeriodContaining(grid, new Date('2026-03-14T23:59:59.999Z'))).toMatchObject({ index: 1 });
    expect(gridPeriodContaining(grid, new Date('2025-12-20T00:00:00Z'))).toMatchObject({ index: -1 });
  });

  it('handles weekly, daily and yearly grids', () => {
    const weekly: PeriodGrid = {
      anchor: { year: 2026, month: 11, day: 2 },
      interval: 'week',
      intervalCount: 2,
      timeZone: 'UTC',
    };
    expect(boundary(weekly, 1).toISOString().slice(0, 10)).toBe('2026-11-16');
    const yearly: PeriodGrid = {
      anchor: { year: 2024, month: 2, day: 29 },
      interval: 'year',
      intervalCount: 1,
      timeZone: 'UTC',
    };
    expect(boundary(yearly, 1).toISOString().slice(0, 10)).toBe('2025-02-28');
    expect(boundary(yearly, 4).toISOString().slice(0, 10)).toBe('2028-02-29');
  });
});

describe('localParts', () => {
  it('reads UTC from the Date itself, as Intl would', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2200-01-01T00:00:00Z'), noInvalidDate: true }),
        fc.constantFrom('UTC', 'Etc/UTC'),
        (instant, zone) => {
          expect(localParts(instant, zone)).toEqual(intlParts(instant, zone));
        },
      ),
    );
  });

  it('answers a zone the same from its cache, and a changed copy leaves the cache alone', () => {
    const instant = new Date('2026-03-29T01:30:00Z');
    const first = localParts(instant, 'Europe/Berlin');
    first.hour = 99;
    expect(localParts(instant, 'Europe/Berlin')).toEqual(intlParts(instant, 'Europe/Berlin'));
    expect(localParts(instant, 'Europe/Berlin').hour).toBe(3);
  });
});
