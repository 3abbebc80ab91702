import { describe, expect, it } from 'vitest';
import { mayHaveUsage, usageMonthOf } from '../../functions/domain/metering/ingest.js';

describe('usage months', () => {
  it('are the UTC month of the event time', () => {
    expect(usageMonthOf(new Date('2026-10-31T23:59:59.999Z'))).toBe('2026-10');
    expect(usageMonthOf(new Date('2026-11-01T00:00:00+01:00'))).toBe('2026-10');
    expect(usageMonthOf(new Date('2026-11-01T00:00:00Z'))).toBe('2026-11');
  });

  it.each([
    // months, from, to, may have usage
    [undefined, '2026-11-01T00:00Z', '2026-12-01T00:00Z', true],
    [[], '2026-11-01T00:00Z', '2026-12-01T00:00Z', false],
    [['2026-10'], '2026-11-01T00:00Z', '2026-12-01T00:00Z', false],
    [['2026-11'], '2026-11-01T00:00Z', '2026-12-01T00:00Z', true],
    // A local month in a zone east of UTC starts in the previous UTC month.
    [['2026-10'], '2026-10-31T23:00Z', '2026-11-30T23:00Z', true],
    // The month of an exclusive end is included (reads more, never less).
    [['2026-12'], '2026-11-01T00:00Z', '2026-12-01T00:00Z', true],
    [['2026-12'], '2026-11-01T00:00:00.000Z', '2026-11-30T00:00:00.000Z', false],
    [['2025-01', '2027-01'], '2026-01-01T00:00Z', '2026-12-31T00:00Z', false],
  ] as const)('%j between %s and %s: %s', (months, from, to, expected) => {
    expect(mayHaveUsage(months === undefined ? undefined : new Set(months), from, to)).toBe(expected);
  });
});
