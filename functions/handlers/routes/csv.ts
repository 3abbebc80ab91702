import type { queryUsage } from '../../app/query-usage.js';
import { INVOICE_CSV_COLUMNS, invoiceCsvRow } from '../../app/reports.js';
import { toCsv } from '../../domain/csv.js';
import type { Invoice } from '../../domain/invoice.js';
import { formatDecimal } from '../../domain/money.js';
import type { ApiRequest, ApiResponse } from '../../http/router.js';
import type { ApiDeps } from '../deps.js';

/** `?format=csv|json` on list and usage routes; without it the Accept header decides (JSON unless it asks for text/csv). */
export function wantsCsv(request: Pick<ApiRequest, 'headers'>, format: 'json' | 'csv' | undefined): boolean {
  if (format) return format === 'csv';
  const accept = request.headers.accept ?? request.headers.Accept ?? '';
  return /(^|[\s,])text\/csv\b/i.test(accept);
}

export function csvResponse(body: string, filename: string): ApiResponse {
  return {
    statusCode: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${filename}"`,
    },
    body,
  };
}

export interface InvoiceFilter {
  customer?: string;
  status?: Invoice['status'];
  /** Issued at or after. */
  from?: Date;
  /** Issued before. */
  to?: Date;
}

const DAY_MS = 86_400_000;
/** Before any invoice this stack can have issued. */
const EPOCH = new Date('2000-01-01T00:00:00Z');

/** Every invoice matching the filter, oldest first (by issue instant, then number). */
export async function invoicesMatching(deps: ApiDeps, filter: InvoiceFilter): Promise<Invoice[]> {
  const from = filter.from ?? EPOCH;
  const to = filter.to ?? new Date(deps.clock().getTime() + DAY_MS);
  const invoices = filter.customer
    ? await deps.invoices.byCustomer(filter.customer)
    : await deps.revenue.invoicesIssued(from, to);
  return invoices
    .filter((invoice) => {
      const issued = Date.parse(invoice.issuedAt);
      return issued >= from.getTime() && issued < to.getTime() && (!filter.status || invoice.status === filter.status);
    })
    .sort((a, b) => a.issuedAt.localeCompare(b.issuedAt) || a.number.localeCompare(b.number));
}

export const invoicesCsv = (invoices: readonly Invoice[]) =>
  csvResponse(toCsv(INVOICE_CSV_COLUMNS, invoices.map(invoiceCsvRow)), 'invoices.csv');

/** A usage series as CSV: one row per point, one column per group-by dimension. */
export function usageCsv(usage: Awaited<ReturnType<typeof queryUsage>>): ApiResponse {
  const dimensionNames = [...new Set(usage.series.flatMap((point) => Object.keys(point.dimensions ?? {})))].sort();
  const rows = usage.series.map((point) => [
    usage.customerId,
    usage.meter.key,
    point.start.toISOString(),
    point.end.toISOString(),
    ...dimensionNames.map((name) => point.dimensions?.[name] ?? ''),
    formatDecimal(point.value),
    point.events,
  ]);
  return csvResponse(
    toCsv(
      [
        ...['customer', 'meter', 'start', 'end', ...dimensionNames].map((name) => ({ name })),
        { name: 'value', numeric: true },
        { name: 'events', numeric: true },
      ],
      rows,
    ),
    `usage-${usage.customerId}-${usage.meter.key}.csv`,
  );
}
