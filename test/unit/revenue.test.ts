import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { revenueReport } from '../../functions/app/reports.js';
import type { Invoice } from '../../functions/domain/invoice.js';
import {
  contribution,
  invoiceRow,
  monthsBetween,
  NO_REVENUE,
  plus,
  revenueChange,
  splitRange,
  yearsBetween,
} from '../../functions/domain/revenue.js';
import { sampleInvoice } from '../support/invoice-fixture.js';

const at = (iso: string) => new Date(iso);

describe('splitRange', () => {
  it('keeps whole UTC days for the counters and leaves the ragged edges to the invoices', () => {
    expect(splitRange(at('2026-03-15T10:00:00Z'), at('2026-03-18T06:00:00Z'), 'day')).toEqual({
      whole: { from: at('2026-03-16T00:00:00Z'), to: at('2026-03-18T00:00:00Z') },
      edges: [
        { from: at('2026-03-15T10:00:00Z'), to: at('2026-03-16T00:00:00Z') },
        { from: at('2026-03-18T00:00:00Z'), to: at('2026-03-18T06:00:00Z') },
      ],
    });
  });

  it('has no edges when the range is aligned, and no whole unit when none fits', () => {
    expect(splitRange(at('2026-01-01T00:00:00Z'), at('2027-01-01T00:00:00Z'), 'month')).toEqual({
      whole: { from: at('2026-01-01T00:00:00Z'), to: at('2027-01-01T00:00:00Z') },
      edges: [],
    });
    expect(splitRange(at('2026-03-15T00:00:00Z'), at('2026-04-10T00:00:00Z'), 'month')).toEqual({
      edges: [{ from: at('2026-03-15T00:00:00Z'), to: at('2026-04-10T00:00:00Z') }],
    });
    expect(splitRange(at('2025-12-15T00:00:00Z'), at('2027-02-01T00:00:00Z'), 'year')).toEqual({
      whole: { from: at('2026-01-01T00:00:00Z'), to: at('2027-01-01T00:00:00Z') },
      edges: [
        { from: at('2025-12-15T00:00:00Z'), to: at('2026-01-01T00:00:00Z') },
        { from: at('2027-01-01T00:00:00Z'), to: at('2027-02-01T00:00:00Z') },
      ],
    });
    expect(yearsBetween(at('2025-01-01T00:00:00Z'), at('2027-01-01T00:00:00Z'))).toEqual(['2025', '2026']);
    expect(monthsBetween(at('2025-11-01T00:00:00Z'), at('2026-02-01T00:00:00Z'))).toEqual([
      '2025-11',
      '2025-12',
      '2026-01',
    ]);
  });

  it('covers every instant of the range exactly once', () => {
    const instant = fc.integer({ min: Date.parse('2025-01-01'), max: Date.parse('2027-12-31') });
    fc.assert(
      fc.property(
        instant,
        instant,
        instant,
        fc.constantFrom('day' as const, 'month' as const, 'year' as const),
        (a, b, probe, unit) => {
          const [from, to] = a <= b ? [a, b] : [b, a];
          const { whole, edges } = splitRange(new Date(from), new Date(to), unit);
          const parts = [...(whole ? [whole] : []), ...edges];
          const holding = parts.filter((p) => p.from.getTime() <= probe && probe < p.to.getTime()).length;
          expect(holding).toBe(from <= probe && probe < to ? 1 : 0);
        },
      ),
      { seed: 7, numRuns: 500 },
    );
  });
});

describe('revenue changes', () => {
  const finalized = sampleInvoice({ status: 'finalized' });

  it('moves only paid when an invoice is paid, and takes everything back into voids when voided', () => {
    const paid = revenueChange(finalized, { ...finalized, status: 'paid' })!;
    expect(paid.count).toBe(0);
    expect(paid.total.isZero()).toBe(true);
    expect(paid.paid.toFixed(2)).toBe(finalized.total);
    const voided = revenueChange(finalized, { ...finalized, status: 'void' })!;
    expect(voided.count).toBe(-1);
    expect(voided.voids).toBe(1);
    expect(voided.total.negated().toFixed(2)).toBe(finalized.total);
    expect(revenueChange(finalized, { ...finalized, delivery: { status: 'sent', attempts: 1 } })).toBeUndefined();
  });

  it('adds up, over any sequence of status changes, to what the last state contributes', () => {
    const status = fc.constantFrom<Invoice['status']>('finalized', 'paid', 'void');
    fc.assert(
      fc.property(fc.array(status, { maxLength: 6 }), (steps) => {
        let current: Invoice | undefined;
        let counted = NO_REVENUE;
        for (const next of [finalized, ...steps.map((s) => ({ ...finalized, status: s }))]) {
          counted = plus(counted, revenueChange(current, next) ?? NO_REVENUE);
          current = next;
        }
        const expected = contribution(current!);
        expect(counted.count).toBe(expected.count);
        expect(counted.voids).toBe(expected.voids);
        expect(counted.total.equals(expected.total)).toBe(true);
        expect(counted.paid.equals(expected.paid)).toBe(true);
      }),
      { seed: 11, numRuns: 200 },
    );
  });

  it('groups by the UTC month of the issue instant, whatever the customer’s local date', () => {
    const late = sampleInvoice({ issuedAt: '2026-03-31T23:30:00.000Z', issueDate: '2026-04-01' });
    expect(invoiceRow(late, 'month').key).toBe('2026-03');
    const report = revenueReport(
      [invoiceRow(late, 'month'), invoiceRow({ ...late, status: 'void' }, 'month')],
      at('2026-03-01T00:00:00Z'),
      at('2026-04-01T00:00:00Z'),
      'month',
    );
    expect(report.groups).toHaveLength(1);
    expect(report.groups[0]).toMatchObject({ key: '2026-03', count: 1, total: late.total });
    expect(report.void_count).toBe(1);
  });
});
