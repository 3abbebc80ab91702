import type { Subscription } from '../domain/billing/subscription.js';
import { Decimal } from '../domain/decimal.js';
import type { Invoice } from '../domain/invoice.js';
import { minorUnits } from '../domain/money.js';

export type RevenueGroupBy = 'month' | 'plan' | 'customer';

export interface RevenueGroup {
  /** yyyy-mm (issue month, in the customer's time zone), plan key or customer id. */
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

interface Sums {
  key: string;
  label: string;
  currency: string;
  count: number;
  subtotal: Decimal;
  tax: Decimal;
  total: Decimal;
  paid: Decimal;
}

const fresh = (key: string, label: string, currency: string): Sums => ({
  key,
  label,
  currency,
  count: 0,
  subtotal: new Decimal(0),
  tax: new Decimal(0),
  total: new Decimal(0),
  paid: new Decimal(0),
});

function add(sums: Sums, invoice: Invoice): void {
  sums.count++;
  sums.subtotal = sums.subtotal.plus(invoice.subtotal);
  sums.tax = sums.tax.plus(invoice.tax);
  sums.total = sums.total.plus(invoice.total);
  if (invoice.status === 'paid') sums.paid = sums.paid.plus(invoice.total);
}

/** Invoice amounts are rounded to the minor unit already, so their sums are exact at that scale: nothing is rounded here. */
export const money = (amount: Decimal, currency: string) => amount.toFixed(minorUnits(currency));

const wire = (sums: Sums) => ({
  currency: sums.currency,
  count: sums.count,
  subtotal: money(sums.subtotal, sums.currency),
  tax: money(sums.tax, sums.currency),
  total: money(sums.total, sums.currency),
  paid: money(sums.paid, sums.currency),
  outstanding: money(sums.total.minus(sums.paid), sums.currency),
});

function groupOf(invoice: Invoice, groupBy: RevenueGroupBy): { key: string; label: string } {
  switch (groupBy) {
    case 'month':
      return { key: invoice.issueDate.slice(0, 7), label: invoice.issueDate.slice(0, 7) };
    case 'plan':
      return { key: invoice.planKey, label: invoice.planKey };
    case 'customer':
      return { key: invoice.customerId, label: invoice.buyer.name || invoice.customerId };
  }
}

/** Revenue invoiced in [from, to) (by issue instant), per group and currency, void invoices excluded. Exact decimals. */
export function revenueReport(
  invoices: readonly Invoice[],
  from: Date,
  to: Date,
  groupBy: RevenueGroupBy,
  limit?: number,
): RevenueReport {
  const groups = new Map<string, Sums>();
  const totals = new Map<string, Sums>();
  let voidCount = 0;
  for (const invoice of invoices) {
    const issued = Date.parse(invoice.issuedAt);
    if (issued < from.getTime() || issued >= to.getTime()) continue;
    if (invoice.status === 'void') {
      voidCount++;
      continue;
    }
    const { key, label } = groupOf(invoice, groupBy);
    const id = `${key}\u0000${invoice.currency}`;
    const group = groups.get(id) ?? fresh(key, label, invoice.currency);
    groups.set(id, group);
    add(group, invoice);
    const total = totals.get(invoice.currency) ?? fresh('', '', invoice.currency);
    totals.set(invoice.currency, total);
    add(total, invoice);
  }
  const sorted = [...groups.values()].sort((a, b) =>
    groupBy === 'month'
      ? a.key.localeCompare(b.key) || a.currency.localeCompare(b.currency)
      : a.currency.localeCompare(b.currency) || b.total.comparedTo(a.total) || a.key.localeCompare(b.key),
  );
  const limited =
    limit === undefined
      ? sorted
      : groupBy === 'month'
        ? sorted
        : [...new Set(sorted.map((g) => g.currency))].flatMap((currency) =>
            sorted.filter((g) => g.currency === currency).slice(0, limit),
          );
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    group_by: groupBy,
    groups: limited.map((group) => ({ key: group.key, label: group.label, ...wire(group) })),
    totals: [...totals.values()].sort((a, b) => a.currency.localeCompare(b.currency)).map(wire),
    void_count: voidCount,
  };
}

/** One subscription's upcoming invoice, as far as the upcoming report needs it. */
export interface UpcomingSummary {
  customer: string;
  currency: string;
  subtotal: string;
  total: string;
  period_end: string;
}

export interface UpcomingReport {
  as_of: string;
  /** Per currency: the sum of the upcoming invoices of all active subscriptions. */
  totals: Array<{ currency: string; count: number; subtotal: string; total: string }>;
  /** The largest upcoming invoices (per currency, total descending). */
  top: UpcomingSummary[];
  subscriptions: number;
  /** Subscriptions that could not be rated (e.g. a plan problem); left out of the sums. */
  failed: Array<{ subscription: string; error: string }>;
}

export interface UpcomingDeps {
  activeSubscriptions(): Promise<Subscription[]>;
  rate(subscription: Subscription): Promise<UpcomingSummary>;
  clock: () => Date;
}

/** Runs `task` over `items` with at most `concurrency` in flight. */
export async function mapLimit<T, R>(items: readonly T[], concurrency: number, task: (item: T) => Promise<R>) {
  const results: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      try {
        results[i] = { status: 'fulfilled', value: await task(items[i]!) };
      } catch (reason) {
        results[i] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

/** What is about to be billed this period: every active subscription's current period rated live, summed per currency. */
export async function upcomingReport(deps: UpcomingDeps, top = 10, concurrency = 16): Promise<UpcomingReport> {
  const subscriptions = await deps.activeSubscriptions();
  const settled = await mapLimit(subscriptions, concurrency, (subscription) => deps.rate(subscription));
  const totals = new Map<string, { count: number; subtotal: Decimal; total: Decimal }>();
  const rated: UpcomingSummary[] = [];
  const failed: UpcomingReport['failed'] = [];
  settled.forEach((result, i) => {
    if (result.status === 'rejected') {
      failed.push({ subscription: subscriptions[i]!.id, error: (result.reason as Error)?.message ?? 'failed' });
      return;
    }
    const summary = result.value;
    rated.push(summary);
    const sums = totals.get(summary.currency) ?? { count: 0, subtotal: new Decimal(0), total: new Decimal(0) };
    sums.count++;
    sums.subtotal = sums.subtotal.plus(summary.subtotal);
    sums.total = sums.total.plus(summary.total);
    totals.set(summary.currency, sums);
  });
  rated.sort((a, b) => a.currency.localeCompare(b.currency) || new Decimal(b.total).comparedTo(a.total));
  const topByCurrency = [...new Set(rated.map((r) => r.currency))].flatMap((currency) =>
    rated.filter((r) => r.currency === currency).slice(0, top),
  );
  return {
    as_of: deps.clock().toISOString(),
    totals: [...totals.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([currency, sums]) => ({
        currency,
        count: sums.count,
        subtotal: money(sums.subtotal, currency),
        total: money(sums.total, currency),
      })),
    top: topByCurrency,
    subscriptions: subscriptions.length,
    failed,
  };
}

/** RFC 4180 CSV: fields quoted when they hold a comma, quote or line break; CRLF line ends. */
export function toCsv(
  header: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<string | number | undefined>>,
): string {
  const field = (value: string | number | undefined) => {
    const text = value === undefined ? '' : String(value);
    // A leading =, +, - or @ would be a formula in a spreadsheet: prefix a quote (OWASP CSV injection).
    const safe = /^[=+\-@\t\r]/.test(text) && !/^-?\d/.test(text) ? `'${text}` : text;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return `${[header, ...rows].map((row) => row.map(field).join(',')).join('\r\n')}\r\n`;
}

export const INVOICE_CSV_HEADER = [
  'number',
  'id',
  'status',
  'customer',
  'buyer_name',
  'plan',
  'plan_version',
  'currency',
  'issue_date',
  'due_date',
  'period_start',
  'period_end',
  'subtotal',
  'tax_rate',
  'tax',
  'total',
  'paid_at',
  'payment_reference',
  'voided_at',
] as const;

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
