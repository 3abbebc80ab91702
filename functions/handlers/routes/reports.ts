import { z } from 'zod';
import { upcomingInvoice } from '../../app/close-period.js';
import { ingestionReport } from '../../app/ingest-stats.js';
import { queryUsage } from '../../app/query-usage.js';
import {
  INVOICE_CSV_HEADER,
  invoiceCsvRow,
  type RevenueGroupBy,
  revenueReport,
  toCsv,
  upcomingReport,
} from '../../app/reports.js';
import type { Invoice } from '../../domain/invoice.js';
import { formatDecimal } from '../../domain/money.js';
import { json } from '../../http/respond.js';
import type { ApiResponse, Route } from '../../http/router.js';
import { InstantSchema, TimeZoneSchema } from '../../schemas/common.js';
import { CustomerIdSchema, MeterKeySchema } from '../../schemas/resources.js';
import type { ApiDeps } from '../deps.js';

const DAY_MS = 86_400_000;
/** The earliest instant a report defaults to: before any invoice this stack can have issued. */
const EPOCH = new Date('2000-01-01T00:00:00Z');

function rangeRefinement(maxDays: number) {
  return (query: { from?: Date; to?: Date }, ctx: z.RefinementCtx) => {
    if (query.from && query.to && query.to <= query.from)
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
    if (query.from && query.to && query.to.getTime() - query.from.getTime() > maxDays * DAY_MS)
      ctx.addIssue({ code: 'custom', path: ['to'], message: `the range may span at most ${maxDays} days` });
  };
}

const RevenueQuerySchema = z
  .object({
    from: InstantSchema,
    to: InstantSchema,
    group_by: z.enum(['month', 'plan', 'customer'], { message: 'must be month, plan or customer' }).default('month'),
    limit: z.coerce.number().int().min(1).max(10_000).optional(),
  })
  .strict()
  .superRefine(rangeRefinement(3700));

const IngestionQuerySchema = z
  .object({ from: InstantSchema, to: InstantSchema })
  .strict()
  .superRefine(rangeRefinement(400));

const UpcomingQuerySchema = z.object({ top: z.coerce.number().int().min(1).max(100).default(10) }).strict();

const InvoiceExportQuerySchema = z
  .object({
    from: InstantSchema.optional(),
    to: InstantSchema.optional(),
    customer: CustomerIdSchema.optional(),
    status: z.enum(['finalized', 'paid', 'void'], { message: 'must be finalized, paid or void' }).optional(),
  })
  .strict()
  .superRefine(rangeRefinement(3700));

const UsageExportQuerySchema = z
  .object({
    customer: CustomerIdSchema,
    meter: MeterKeySchema,
    from: InstantSchema,
    to: InstantSchema,
    granularity: z.enum(['hour', 'day', 'total'], { message: 'must be hour, day or total' }).default('day'),
    group_by: z.string().max(200).optional(),
    timezone: TimeZoneSchema.optional(),
  })
  .strict()
  .superRefine(rangeRefinement(400));

function csv(body: string, filename: string): ApiResponse {
  return {
    statusCode: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${filename}"`,
    },
    body,
  };
}

/**
 * Finance reports and CSV exports (admin). The CSV exports live under /v1/exports rather than as a
 * `format=csv` variant of GET /v1/invoices and GET /v1/customers/{id}/usage, whose query schemas are strict.
 */
export function reportRoutes(): Route<ApiDeps>[] {
  return [
    {
      method: 'GET',
      path: '/v1/reports/revenue',
      access: 'admin',
      summary:
        'Revenue invoiced in [from, to) by issue instant, per UTC month, plan or customer and currency (void invoices excluded); read from revenue counters',
      query: RevenueQuerySchema,
      handle: async (request, deps) => {
        const query = request.query as z.output<typeof RevenueQuerySchema>;
        const groupBy = query.group_by as RevenueGroupBy;
        const rows = await deps.revenue.rows(query.from, query.to, groupBy);
        return json(200, revenueReport(rows, query.from, query.to, groupBy, query.limit));
      },
    },
    {
      method: 'GET',
      path: '/v1/reports/ingestion',
      access: 'admin',
      summary:
        'Events accepted, duplicate and rejected (by code) per UTC day of receipt: best-effort statistics, not billing data',
      query: IngestionQuerySchema,
      handle: async (request, deps) => {
        const query = request.query as z.output<typeof IngestionQuerySchema>;
        return json(200, await ingestionReport(deps, query.from, query.to));
      },
    },
    {
      method: 'GET',
      path: '/v1/reports/upcoming',
      access: 'admin',
      summary: "What is about to be billed: every active subscription's current period rated live, summed per currency",
      query: UpcomingQuerySchema,
      handle: async (request, deps) => {
        const query = request.query as z.output<typeof UpcomingQuerySchema>;
        const report = await upcomingReport(
          {
            clock: deps.clock,
            activeSubscriptions: async () => {
              const ids = await deps.subscriptions.activeIds();
              return Promise.all(ids.map((id) => deps.subscriptions.get(id)));
            },
            rate: async (subscription) => {
              const { plan, rated, segment } = await upcomingInvoice(deps, subscription);
              return {
                customer: subscription.customerId,
                currency: plan.currency,
                subtotal: rated.subtotal,
                total: rated.total,
                period_end: segment.end.toISOString(),
              };
            },
          },
          query.top,
        );
        return json(200, report);
      },
    },
    {
      method: 'GET',
      path: '/v1/exports/invoices.csv',
      access: 'admin',
      summary: 'Invoices as CSV (one row per invoice), issued in [from, to), by customer and status',
      query: InvoiceExportQuerySchema,
      response: { status: 200, description: 'CSV, RFC 4180', mediaType: 'text/csv' },
      handle: async (request, deps) => {
        const query = request.query as z.output<typeof InvoiceExportQuerySchema>;
        const from = query.from ?? EPOCH;
        const to = query.to ?? new Date(deps.clock().getTime() + DAY_MS);
        const invoices: Invoice[] = query.customer
          ? await deps.invoices.byCustomer(query.customer)
          : await deps.revenue.invoicesIssued(from, to);
        const rows = invoices
          .filter((invoice) => {
            const issued = Date.parse(invoice.issuedAt);
            return (
              issued >= from.getTime() && issued < to.getTime() && (!query.status || invoice.status === query.status)
            );
          })
          .sort((a, b) => a.issuedAt.localeCompare(b.issuedAt) || a.number.localeCompare(b.number))
          .map(invoiceCsvRow);
        return csv(toCsv(INVOICE_CSV_HEADER, rows), 'invoices.csv');
      },
    },
    {
      method: 'GET',
      path: '/v1/exports/usage.csv',
      access: 'admin',
      summary: "A customer's usage of a meter as CSV (the same numbers as GET /v1/customers/{id}/usage)",
      query: UsageExportQuerySchema,
      response: { status: 200, description: 'CSV, RFC 4180', mediaType: 'text/csv' },
      handle: async (request, deps) => {
        const query = request.query as z.output<typeof UsageExportQuerySchema>;
        const usage = await queryUsage(deps, {
          customerId: query.customer,
          meterKey: query.meter,
          from: query.from,
          to: query.to,
          granularity: query.granularity,
          groupBy: query.group_by,
          timeZone: query.timezone,
        });
        const dimensionNames = [
          ...new Set(usage.series.flatMap((point) => Object.keys(point.dimensions ?? {}))),
        ].sort();
        const rows = usage.series.map((point) => [
          usage.customerId,
          usage.meter.key,
          point.start.toISOString(),
          point.end.toISOString(),
          ...dimensionNames.map((name) => point.dimensions?.[name] ?? ''),
          formatDecimal(point.value),
          point.events,
        ]);
        return csv(
          toCsv(['customer', 'meter', 'start', 'end', ...dimensionNames, 'value', 'events'], rows),
          `usage-${usage.customerId}-${usage.meter.key}.csv`,
        );
      },
    },
  ];
}
