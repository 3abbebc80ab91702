import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isBucketEdge } from '../../functions/domain/metering/buckets.js';
import { snapshotHolds, snapshotPoint } from '../../functions/domain/metering/level-snapshots.js';
import { localParts } from '../../functions/domain/time/zone.js';

const DAY = 86_400_000;

describe('snapshotPoint', () => {
  it('is the local month start of the instant before which usage is final (window + a day)', () => {
    // Final before 2026-10-15T12:00Z: October 1 in Berlin (CEST) and in Kathmandu (+05:45).
    const finality = { now: new Date('2026-11-20T12:00:00Z'), acceptanceWindowDays: 35 };
    expect(snapshotPoint(new Date('2026-11-01T00:00:00Z'), 'Europe/Berlin', finality)).toEqual({
      at: new Date('2026-09-30T22:00:00Z'),
      basis: { kind: 'window', days: 35 },
    });
    expect(snapshotPoint(new Date('2026-11-01T00:00:00Z'), 'Asia/Kathmandu', finality)?.at).toEqual(
      new Date('2026-09-30T18:15:00Z'),
    );
  });

  it('is never after `from`, and a seal covering it makes it sealed', () => {
    const now = new Date('2026-11-20T12:00:00Z');
    const from = new Date('2026-08-10T00:00:00Z');
    expect(snapshotPoint(from, 'UTC', { now, acceptanceWindowDays: 35 })?.at).toEqual(new Date('2026-08-01T00:00:00Z'));
    // Sealed through November 1 (Berlin): the level at November 1 is final under any window.
    expect(
      snapshotPoint(new Date('2026-10-31T23:00:00Z'), 'Europe/Berlin', {
        now,
        acceptanceWindowDays: 400,
        sealedThrough: new Date('2026-10-31T23:00:00Z'),
      }),
    ).toEqual({ at: new Date('2026-10-31T23:00:00Z'), basis: { kind: 'sealed' } });
    // A seal before the month start the window allows does not make that snapshot sealed.
    expect(
      snapshotPoint(new Date('2026-11-01T00:00:00Z'), 'UTC', {
        now,
        acceptanceWindowDays: 35,
        sealedThrough: new Date('2026-09-15T00:00:00Z'),
      }),
    ).toEqual({ at: new Date('2026-10-01T00:00:00Z'), basis: { kind: 'window', days: 35 } });
  });

  it('for any instant, zone and window: a bucket edge, a local month start, before every limit', () => {
    const zones = [
      'UTC',
      'Europe/Berlin',
      'America/New_York',
      'Asia/Kathmandu',
      'Australia/Lord_Howe',
      'Pacific/Chatham',
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('2025-01-01'), max: Date.parse('2028-01-01') }),
        fc.integer({ min: 0, max: 400 * DAY }),
        fc.integer({ min: 1, max: 3650 }),
        fc.option(fc.integer({ min: 0, max: 500 * DAY })),
        fc.constantFrom(...zones),
        (now, back, window, sealedBack, zone) => {
          const from = new Date(now - back);
          const sealedThrough = sealedBack === null ? undefined : new Date(now - sealedBack);
          const point = snapshotPoint(from, zone, { now: new Date(now), acceptanceWindowDays: window, sealedThrough });
          if (!point) return;
          expect(isBucketEdge(point.at)).toBe(true);
          expect(point.at.getTime()).toBeLessThanOrEqual(from.getTime());
          const local = localParts(point.at, zone);
          expect([local.day, local.hour, local.minute]).toEqual([1, 0, 0]);
          if (point.basis.kind === 'sealed') expect(point.at.getTime()).toBeLessThanOrEqual(sealedThrough!.getTime());
          else expect(point.at.getTime()).toBeLessThanOrEqual(now - (window + 1) * DAY);
        },
      ),
    );
  });
});

describe('snapshotHolds', () => {
  it('holds sealed snapshots always, window ones while the window is no longer', () => {
    expect(snapshotHolds({ kind: 'sealed' }, 3650)).toBe(true);
    expect(snapshotHolds({ kind: 'window', days: 35 }, 35)).toBe(true);
    expect(snapshotHolds({ kind: 'window', days: 35 }, 7)).toBe(true);
    expect(snapshotHolds({ kind: 'window', days: 35 }, 36)).toBe(false);
  });
});
