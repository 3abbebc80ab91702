import { creditedAmounts } from './billing/credit-note.js';
import { Decimal } from './decimal.js';
import type { Invoice } from './invoice.js';

/**
 * What invoices add to the revenue figures. A void invoice adds only to `voids`: it keeps its number
 * but no longer counts as revenue. `paid` is the part of `total` received (all of it once paid).
 */
export interface RevenueAmounts {
  count: number;
  subtotal: Decimal;
  tax: Decimal;
  total: Decimal;
  paid: Decimal;
  voids: number;
}

export const NO_REVENUE: RevenueAmounts = Object.freeze({
  count: 0,
  subtotal: new Decimal(0),
  tax: new Decimal(0),
  total: new Decimal(0),
  paid: new Decimal(0),
  voids: 0,
});

/**
 * What an invoice adds: its amounts less what its credit notes took back (a credit note lowers the
 * revenue of its invoice's issue day, month and customer). A void invoice adds only to `voids`, so the
 * credit note of a void removes nothing twice. `paid` stays what was received.
 */
export function contribution(invoice: Invoice): RevenueAmounts {
  // A draft is not revenue yet: it counts from its finalization.
  if (invoice.status === 'draft') return NO_REVENUE;
  if (invoice.status === 'void') return { ...NO_REVENUE, voids: 1 };
  const credited = creditedAmounts(invoice);
  return {
    count: 1,
    subtotal: new Decimal(invoice.subtotal).minus(credited.subtotal),
    tax: new Decimal(invoice.tax).minus(credited.tax),
    total: new Decimal(invoice.total).minus(credited.total),
    // A paid invoice counts its total; a partly paid one what it received so far.
    paid: invoice.status === 'paid' ? new Decimal(invoice.total) : new Decimal(invoice.amountPaid ?? 0),
    voids: 0,
  };
}

export function plus(a: RevenueAmounts, b: RevenueAmounts): RevenueAmounts {
  return {
    count: a.count + b.count,
    subtotal: a.subtotal.plus(b.subtotal),
    tax: a.tax.plus(b.tax),
    total: a.total.plus(b.total),
    paid: a.paid.plus(b.paid),
    voids: a.voids + b.voids,
  };
}

/**
 * What the revenue counters must change by when an invoice goes from `before` (absent: it is new) to
 * `after`. Undefined when nothing counted changed (a delivery update, say).
 */
export function revenueChange(before: Invoice | undefined, after: Invoice): RevenueAmounts | undefined {
  const was = before ? contribution(before) : NO_REVENUE;
  const is = contribution(after);
  const change: RevenueAmounts = {
    count: is.count - was.count,
    subtotal: is.subtotal.minus(was.subtotal),
    tax: is.tax.minus(was.tax),
    total: is.total.minus(was.total),
    paid: is.paid.minus(was.paid),
    voids: is.voids - was.voids,
  };
  const unchanged =
    change.count === 0 &&
    change.voids === 0 &&
    change.subtotal.isZero() &&
    change.tax.isZero() &&
    change.total.isZero() &&
    change.paid.isZero();
  return unchanged ? undefined : change;
}

export type RevenueGroupBy = 'month' | 'plan' | 'customer';

/** Revenue of one group (a UTC month, a plan, a customer) in one currency: from counters or from invoices. */
export interface RevenueRow {
  key: string;
  label: string;
  currency: string;
  amounts: RevenueAmounts;
}

/** The month an invoice's revenue belongs to: the UTC calendar month of its issue instant. */
export const revenueMonth = (issuedAt: string) => new Date(issuedAt).toISOString().slice(0, 7);

export function invoiceRow(invoice: Invoice, groupBy: RevenueGroupBy): RevenueRow {
  const amounts = contribution(invoice);
  switch (groupBy) {
    case 'month': {
      const month = revenueMonth(invoice.issuedAt);
      return { key: month, label: month, currency: invoice.currency, amounts };
    }
    case 'plan':
      return { key: invoice.planKey, label: invoice.planKey, currency: invoice.currency, amounts };
    case 'customer':
      return {
        key: invoice.customerId,
        label: invoice.buyer.name || invoice.customerId,
        currency: invoice.currency,
        amounts,
      };
  }
}

const DAY_MS = 86_400_000;

export type CounterUnit = 'day' | 'month' | 'year';

/** The start of the UTC day, month or year at or after `at`. */
export function ceilUtc(at: Date, unit: CounterUnit): Date {
  const floor = floorUtc(at, unit);
  if (floor.getTime() === at.getTime()) return floor;
  switch (unit) {
    case 'day':
      return new Date(floor.getTime() + DAY_MS);
    case 'month':
      return new Date(Date.UTC(floor.getUTCFullYear(), floor.getUTCMonth() + 1, 1));
    case 'year':
      return new Date(Date.UTC(floor.getUTCFullYear() + 1, 0, 1));
  }
}

/** The start of the UTC day, month or year that holds `at`. */
export function floorUtc(at: Date, unit: CounterUnit): Date {
  switch (unit) {
    case 'day':
      return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
    case 'month':
      return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
    case 'year':
      return new Date(Date.UTC(at.getUTCFullYear(), 0, 1));
  }
}

/**
 * Splits [from, to) into whole UTC days, months or years, which the revenue counters answer, and the ragged
 * edges before and after them, which are read from the invoices themselves. `whole` is absent when
 * no whole unit fits.
 */
export function splitRange(
  from: Date,
  to: Date,
  unit: CounterUnit,
): { whole?: { from: Date; to: Date }; edges: Array<{ from: Date; to: Date }> } {
  const start = ceilUtc(from, unit);
  const end = floorUtc(to, unit);
  if (start.getTime() >= end.getTime()) return { edges: from < to ? [{ from, to }] : [] };
  const edges = [
    { from, to: start },
    { from: end, to },
  ].filter((edge) => edge.from.getTime() < edge.to.getTime());
  return { whole: { from: start, to: end }, edges };
}

/** The UTC months (yyyy-mm) that start in [from, to); both ends are month starts. */
export function monthsBetween(from: Date, to: Date): string[] {
  const months: string[] = [];
  for (let at = floorUtc(from, 'month'); at < to; at = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1)))
    months.push(at.toISOString().slice(0, 7));
  return months;
}

/** The UTC years (yyyy) that start in [from, to); both ends are year starts. */
export function yearsBetween(from: Date, to: Date): string[] {
  const years: string[] = [];
  for (let year = from.getUTCFullYear(); Date.UTC(year, 0, 1) < to.getTime(); year++) years.push(String(year));
  return years;
}
