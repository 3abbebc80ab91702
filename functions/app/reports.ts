import type { CsvColumn } from '../domain/csv.js';
import type { Decimal } from '../domain/decimal.js';
import type { Invoice } from '../domain/invoice.js';
import { minorUnits } from '../domain/money.js';
import { NO_REVENUE, plus, type RevenueAmounts, type RevenueGroupBy, type RevenueRow } from '../domain/revenue.js';

export type { RevenueGroupBy } from '../domain/revenue.js';

export interface RevenueGroup {
  /** yyyy-mm (the UTC month of the issue instant), plan key or customer id. */
  key: string;
  /** What a person reads: the customer's name, the plan key, the month. */
  label: string;
  currency: string;
  count: number;
  subtotal: string;
  tax: string;
  total: string;
  /** Of `total`, what is marked paid. */
  paid: string;
  outstanding: string;
}

export interface RevenueReport {
  from: string;
  to: string;
  group_by: RevenueGroupBy;
  /** Sorted by key for months; by currency, then total descending, for plans and customers. */
  groups: RevenueGroup[];
  /** Per currency over all groups. */
  totals: Array<Omit<RevenueGroup, 'key' | 'label'>>;
  /** Void invoices issued in the range: left out of every sum. */
  void_count: number;
}

/** Invoice amounts are rounded to the minor unit already, so their sums are exact at that scale: nothing is rounded here. */
export const money = (amount: Decimal, currency: string) => amount.toFixed(minorUnits(currency));

const wire = (currency: string, sums: RevenueAmounts) => ({
  currency,
  count: sums.count,
  subtotal: money(sums.subtotal, currency),
  tax: money(sums.tax, currency),
  total: money(sums.total, currency),
  paid: money(sums.paid, currency),
  outstanding: money(sums.total.minus(sums.paid), currency),
});

/**
 * The revenue report from rows of revenue (counters for whole days and months, invoices for the
 * ragged edges of the range): summed per group and currency. Exact decimals; void invoices are only counted.
 */
export function revenueReport(
  rows: readonly RevenueRow[],
  from: Date,
  to: Date,
  groupBy: RevenueGroupBy,
  limit?: number,
): RevenueReport {
  const groups = new Map<string, RevenueRow>();
  const totals = new Map<string, RevenueAmounts>();
  let voidCount = 0;
  for (const row of rows) {
    voidCount += row.amounts.voids;
    totals.set(row.currency, plus(totals.get(row.currency) ?? NO_REVENUE, row.amounts));
    const id = `${row.key}\u0000${row.currency}`;
    const group = groups.get(id);
    groups.set(id, group ? { ...group, label: row.label, amounts: plus(group.amounts, row.amounts) } : row);
  }
  const sorted = [...groups.values()]
    // A group whose every invoice is void has no revenue: it is only in void_count.
    .filter((group) => group.amounts.count > 0)
    .sort((a, b) =>
      groupBy === 'month'
        ? a.key.localeCompare(b.key) || a.currency.localeCompare(b.currency)
        : a.currency.localeCompare(b.currency) ||
          b.amounts.total.comparedTo(a.amounts.total) ||
          a.key.localeCompare(b.key),
    );
  const limited =
    limit === undefined || groupBy === 'month'
      ? sorted
      : [...new Set(sorted.map((g) => g.currency))].flatMap((currency) =>
          sorted.filter((g) => g.currency === currency).slice(0, limit),
        );
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    group_by: groupBy,
    groups: limited.map((group) => ({ key: group.key, label: group.label, ...wire(group.currency, group.amounts) })),
    totals: [...totals.entries()]
      .filter(([, sums]) => sums.count > 0)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([currency, sums]) => wire(currency, sums)),
    void_count: voidCount,
  };
}

/** The columns of the invoices CSV; the amounts and the plan version are numeric (kept as numbers). */
export const INVOICE_CSV_COLUMNS: readonly CsvColumn[] = [
  { name: 'number' },
  { name: 'id' },
  { name: 'status' },
  { name: 'customer' },
  { name: 'buyer_name' },
  { name: 'plan' },
  { name: 'plan_version', numeric: true },
  { name: 'currency' },
  { name: 'issue_date' },
  { name: 'due_date' },
  { name: 'period_start' },
  { name: 'period_end' },
  { name: 'subtotal', numeric: true },
  { name: 'tax_rate', numeric: true },
  { name: 'tax', numeric: true },
  { name: 'total', numeric: true },
  { name: 'paid_at' },
  { name: 'payment_reference' },
  { name: 'voided_at' },
];

/** One invoice as a row of `INVOICE_CSV_COLUMNS`. */
export function invoiceCsvRow(invoice: Invoice): string[] {
  return [
    invoice.number,
    invoice.id,
    invoice.status,
    invoice.customerId,
    invoice.buyer.name,
    invoice.planKey,
    String(invoice.planVersion),
    invoice.currency,
    invoice.issueDate,
    invoice.dueDate,
    invoice.periodStart,
    invoice.periodEnd,
    invoice.subtotal,
    invoice.taxRate ?? '',
    invoice.tax,
    invoice.total,
    invoice.payment?.paidAt ?? '',
    invoice.payment?.reference ?? '',
    invoice.voided?.at ?? '',
  ];
}
