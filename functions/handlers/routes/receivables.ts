import { type CsvColumn, toCsv } from '../../domain/csv.js';
import { formatAmount } from '../../domain/money.js';
import {
  AGING_BUCKETS,
  type AgedInvoice,
  type AgingBucket,
  type AgingTotals,
  type AsOf,
  type ReceivablesReport,
  receivablesReport,
} from '../../domain/receivables.js';
import { json } from '../../http/respond.js';
import type { ApiResponse } from '../../http/router.js';
import { type Route, routesFor } from '../../http/router.js';
import { AGING_BUCKET_NAMES, ReceivablesQuerySchema, ReceivablesReportSchema } from '../../schemas/receivables.js';
import type { ApiDeps } from '../deps.js';
import { csvResponse, wantsCsv } from './csv.js';

const route = routesFor<ApiDeps>();

/** The wire name of each bucket: the column that holds it (`1_30` → `days_1_30`). */
const BUCKET_NAME: Readonly<Record<AgingBucket, (typeof AGING_BUCKET_NAMES)[number]>> = Object.freeze({
  current: 'current',
  '1_30': 'days_1_30',
  '31_60': 'days_31_60',
  '61_90': 'days_61_90',
  over_90: 'days_over_90',
});

const asOfJson = (asOf: AsOf) => ('date' in asOf ? asOf.date : asOf.instant.toISOString());

function amountsJson(totals: AgingTotals) {
  const money = (value: Parameters<typeof formatAmount>[0]) => formatAmount(value, totals.currency);
  return {
    count: totals.count,
    total: money(totals.total),
    ...(Object.fromEntries(
      AGING_BUCKETS.map((bucket) => [BUCKET_NAME[bucket], money(totals.buckets[bucket])]),
    ) as Record<(typeof AGING_BUCKET_NAMES)[number], string>),
  };
}

function invoiceJson(aged: AgedInvoice) {
  const { invoice } = aged;
  const money = (value: Parameters<typeof formatAmount>[0]) => formatAmount(value, invoice.currency);
  return {
    id: invoice.id,
    number: invoice.number,
    customer_id: invoice.customerId,
    ...(invoice.buyer?.name ? { customer_name: invoice.buyer.name } : {}),
    currency: invoice.currency,
    issue_date: invoice.issueDate,
    due_date: invoice.dueDate,
    timezone: invoice.timezone,
    days_overdue: aged.daysOverdue,
    bucket: BUCKET_NAME[aged.bucket],
    amount_due: money(aged.amountDue),
    amount_paid: money(aged.amountPaid),
    amount_remaining: money(aged.amountRemaining),
    payment_status: aged.paymentStatus,
  };
}

export function receivablesJson(report: ReceivablesReport) {
  return {
    as_of: asOfJson(report.asOf),
    currencies: report.currencies.map((totals) => ({ currency: totals.currency, ...amountsJson(totals) })),
    customers: report.customers.map((customer) => ({
      customer_id: customer.customerId,
      ...(customer.customerName ? { customer_name: customer.customerName } : {}),
      currency: customer.currency,
      ...amountsJson(customer),
    })),
    invoices: report.invoices.map(invoiceJson),
  };
}

export const RECEIVABLES_CSV_COLUMNS: readonly CsvColumn[] = Object.freeze([
  { name: 'customer_id' },
  { name: 'customer_name' },
  { name: 'currency' },
  { name: 'invoices', numeric: true },
  { name: 'total', numeric: true },
  ...AGING_BUCKET_NAMES.map((name) => ({ name, numeric: true })),
]);

/** One row per customer and currency, the bucket columns as in the JSON (`as_of` is in the file name). */
export function receivablesCsv(report: ReceivablesReport): ApiResponse {
  const rows = report.customers.map((customer) => {
    const amounts = amountsJson(customer);
    return [
      customer.customerId,
      customer.customerName,
      customer.currency,
      amounts.count,
      amounts.total,
      ...AGING_BUCKET_NAMES.map((name) => amounts[name]),
    ];
  });
  const day = 'date' in report.asOf ? report.asOf.date : report.asOf.instant.toISOString().slice(0, 10);
  return csvResponse(toCsv(RECEIVABLES_CSV_COLUMNS, rows), `receivables-${day}.csv`);
}

/** Accounts receivable aging (admin), beside the other finance reports. */
export function receivableRoutes(): Route<ApiDeps>[] {
  return [
    route({
      method: 'GET',
      path: '/v1/reports/receivables',
      access: 'admin',
      summary:
        "Accounts receivable aging: what open invoices still owe as of an instant or date (default now), by days overdue (current, 1-30, 31-60, 61-90, over 90; in each invoice's time zone), per currency and per customer and currency; as CSV (one row per customer and currency) with ?format=csv or Accept: text/csv",
      query: ReceivablesQuerySchema,
      response: { status: 200, description: 'the aging report (JSON; or CSV)', schema: ReceivablesReportSchema },
      handle: async (request, deps) => {
        const { query } = request;
        const asOf: AsOf = query.as_of ?? { instant: deps.clock() };
        const report = receivablesReport(await deps.invoices.receivables(), asOf, {
          ...(query.currency ? { currency: query.currency } : {}),
          ...(query.customer ? { customerId: query.customer } : {}),
        });
        if (wantsCsv(request, query.format)) return receivablesCsv(report);
        return json(200, receivablesJson(report));
      },
    }),
  ];
}
