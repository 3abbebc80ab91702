import { amountPaidOf, amountRemainingOf, type PaymentStatus, paymentStatusOf } from './billing/payment.js';
import { formatLocalDate, localDateOf } from './billing/periods.js';
import { Decimal, ZERO } from './decimal.js';
import type { Invoice } from './invoice.js';

/**
 * Accounts receivable aging: what customers still owe, by how long it is overdue.
 *
 * An invoice's `dueDate` is a local date in its `timezone`. Days overdue = the local date of "as of" in
 * that zone minus the due date: an invoice due on 2026-11-15 in Europe/Berlin is 0 days overdue (still
 * `current`) until Berlin midnight ending the 15th, and 1 day overdue from then on, whatever the UTC
 * date. An "as of" given as a date instead of an instant is that local date in every zone ("as of the
 * end of business on that day, wherever the invoice was issued").
 *
 * Buckets: `current` (not yet overdue: ≤ 0 days), `1_30`, `31_60`, `61_90`, `over_90` (91 days and
 * more). Each invoice counts with what it still owes ({@link amountRemainingOf}): a partly paid invoice
 * with its remainder only; paid, void and draft invoices not at all. Amounts in different currencies are
 * never added: totals are per currency, and per customer per currency.
 */
export const AGING_BUCKETS = Object.freeze(['current', '1_30', '31_60', '61_90', 'over_90'] as const);
export type AgingBucket = (typeof AGING_BUCKETS)[number];

/** The day the report is as of: an instant (read in each invoice's zone) or a local date (the same everywhere). */
export type AsOf = { instant: Date } | { date: string };

const DAY_MS = 86_400_000;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 0000-01-01 of a `YYYY-MM-DD` (proleptic Gregorian, as `Date.UTC` counts). */
function dayNumber(localDate: string): number {
  const match = LOCAL_DATE.exec(localDate);
  if (!match) throw new RangeError(`not a local date (YYYY-MM-DD): ${JSON.stringify(localDate)}`);
  const date = new Date(0);
  date.setUTCFullYear(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return Math.round(date.getTime() / DAY_MS);
}

/** The local date (YYYY-MM-DD) that "as of" is in `timeZone`. */
export function asOfLocalDate(asOf: AsOf, timeZone: string): string {
  return 'date' in asOf ? asOf.date : formatLocalDate(localDateOf(asOf.instant, timeZone));
}

/** Local date of `asOf` in `timeZone` minus `dueDate`, in whole days (negative: not due yet). */
export function daysOverdue(dueDate: string, asOf: AsOf, timeZone: string): number {
  return dayNumber(asOfLocalDate(asOf, timeZone)) - dayNumber(dueDate);
}

export function agingBucketOf(days: number): AgingBucket {
  if (days <= 0) return 'current';
  if (days <= 30) return '1_30';
  if (days <= 60) return '31_60';
  if (days <= 90) return '61_90';
  return 'over_90';
}

/** One open invoice, aged. Amounts are exact Decimals in the invoice's currency (already rounded on the invoice). */
export interface AgedInvoice {
  invoice: Invoice;
  daysOverdue: number;
  bucket: AgingBucket;
  amountDue: Decimal;
  amountPaid: Decimal;
  amountRemaining: Decimal;
  paymentStatus: PaymentStatus;
}

export type BucketAmounts = Record<AgingBucket, Decimal>;

/** What is outstanding in one currency: the total and its split over the buckets (they add up to the total). */
export interface AgingTotals {
  currency: string;
  /** Open invoices counted. */
  count: number;
  total: Decimal;
  buckets: BucketAmounts;
}

export interface CustomerAging extends AgingTotals {
  customerId: string;
  /** The buyer's name on the customer's most recently issued open invoice. */
  customerName?: string;
}

export interface ReceivablesReport {
  asOf: AsOf;
  /** Sorted by currency code. */
  currencies: AgingTotals[];
  /** Sorted by currency, then total outstanding (largest first), then customer id. */
  customers: CustomerAging[];
  /** Most overdue first (then oldest due date, then number). */
  invoices: AgedInvoice[];
}

export interface ReceivablesFilter {
  currency?: string;
  customerId?: string;
}

const noAmounts = (): BucketAmounts => ({
  current: ZERO,
  '1_30': ZERO,
  '31_60': ZERO,
  '61_90': ZERO,
  over_90: ZERO,
});

/** An open invoice as of a day; undefined when it owes nothing (paid, void, draft, or settled by payments). */
export function ageInvoice(invoice: Invoice, asOf: AsOf): AgedInvoice | undefined {
  const amountRemaining = amountRemainingOf(invoice);
  if (!amountRemaining.gt(0)) return undefined;
  const days = daysOverdue(invoice.dueDate, asOf, invoice.timezone);
  return {
    invoice,
    daysOverdue: days,
    bucket: agingBucketOf(days),
    amountDue: new Decimal(invoice.amountDue ?? invoice.total),
    amountPaid: amountPaidOf(invoice),
    amountRemaining,
    paymentStatus: paymentStatusOf(invoice),
  };
}

function add(totals: AgingTotals, aged: AgedInvoice): void {
  totals.count += 1;
  totals.total = totals.total.plus(aged.amountRemaining);
  totals.buckets[aged.bucket] = totals.buckets[aged.bucket].plus(aged.amountRemaining);
}

/** The aging report of `invoices` (typically the receivables index) as of a day, optionally for one currency or customer. */
export function receivablesReport(
  invoices: readonly Invoice[],
  asOf: AsOf,
  filter: ReceivablesFilter = {},
): ReceivablesReport {
  const aged: AgedInvoice[] = [];
  const seen = new Set<string>();
  for (const invoice of invoices) {
    if (seen.has(invoice.id)) continue;
    if (filter.currency !== undefined && invoice.currency !== filter.currency) continue;
    if (filter.customerId !== undefined && invoice.customerId !== filter.customerId) continue;
    const entry = ageInvoice(invoice, asOf);
    if (!entry) continue;
    seen.add(invoice.id);
    aged.push(entry);
  }
  aged.sort(
    (a, b) =>
      b.daysOverdue - a.daysOverdue ||
      a.invoice.dueDate.localeCompare(b.invoice.dueDate) ||
      a.invoice.number.localeCompare(b.invoice.number) ||
      a.invoice.id.localeCompare(b.invoice.id),
  );

  const currencies = new Map<string, AgingTotals>();
  const customers = new Map<string, CustomerAging & { latestIssue: string }>();
  for (const entry of aged) {
    const { currency, customerId } = entry.invoice;
    let byCurrency = currencies.get(currency);
    if (!byCurrency) {
      byCurrency = { currency, count: 0, total: ZERO, buckets: noAmounts() };
      currencies.set(currency, byCurrency);
    }
    add(byCurrency, entry);
    const key = `${currency}\u0000${customerId}`;
    let byCustomer = customers.get(key);
    if (!byCustomer) {
      byCustomer = { customerId, currency, count: 0, total: ZERO, buckets: noAmounts(), latestIssue: '' };
      customers.set(key, byCustomer);
    }
    add(byCustomer, entry);
    const name = entry.invoice.buyer?.name;
    if (name && entry.invoice.issuedAt >= byCustomer.latestIssue) {
      byCustomer.customerName = name;
      byCustomer.latestIssue = entry.invoice.issuedAt;
    }
  }

  return {
    asOf,
    currencies: [...currencies.values()].sort((a, b) =>
      a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0,
    ),
    customers: [...customers.values()]
      .map(({ latestIssue: _, ...customer }) => customer)
      .sort(
        (a, b) =>
          (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0) ||
          b.total.comparedTo(a.total) ||
          (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0),
      ),
    invoices: aged,
  };
}
