import { refreshEstimates, upcomingView } from '../../app/estimates.js';
import { ingestionReport } from '../../app/ingest-stats.js';
import { queryUsage } from '../../app/query-usage.js';
import { revenueReport } from '../../app/reports.js';
import { json } from '../../http/respond.js';
import { type Route, routesFor } from '../../http/router.js';
import {
  IngestionQuerySchema,
  IngestionReportSchema,
  InvoiceExportQuerySchema,
  RevenueQuerySchema,
  RevenueReportSchema,
  UpcomingQuerySchema,
  UpcomingReportSchema,
  UsageExportQuerySchema,
} from '../../schemas/reports.js';
import type { ApiDeps } from '../deps.js';
import { estimateDeps } from '../estimate-deps.js';
import { invoicesCsv, invoicesMatching, usageCsv } from './csv.js';

const route = routesFor<ApiDeps>();

/**
 * Finance reports and CSV exports (admin). The same CSV is served by GET /v1/invoices and GET
 * /v1/customers/{id}/usage with `?format=csv` or `Accept: text/csv`; /v1/exports/* are plain download links.
 */
export function reportRoutes(): Route<ApiDeps>[] {
  return [
    route({
      method: 'GET',
      path: '/v1/reports/revenue',
      access: 'admin',
      summary:
        'Revenue invoiced in [from, to) by issue instant, per UTC month, plan or customer and currency (void invoices excluded); read from revenue counters',
      query: RevenueQuerySchema,
      response: { status: 200, description: 'the revenue report', schema: RevenueReportSchema },
      handle: async (request, deps) => {
        const { query } = request;
        const groupBy = query.group_by;
        const rows = await deps.revenue.rows(query.from, query.to, groupBy, deps.clock());
        return json(200, revenueReport(rows, query.from, query.to, groupBy, query.limit));
      },
    }),
    route({
      method: 'GET',
      path: '/v1/reports/ingestion',
      access: 'admin',
      summary:
        'Events accepted, duplicate and rejected (by code) per UTC day of receipt: best-effort statistics, not billing data',
      query: IngestionQuerySchema,
      response: { status: 200, description: 'the ingestion report', schema: IngestionReportSchema },
      handle: async (request, deps) => {
        const { query } = request;
        return json(200, await ingestionReport(deps, query.from, query.to));
      },
    }),
    route({
      method: 'GET',
      path: '/v1/reports/upcoming',
      access: 'admin',
      summary:
        'What is about to be billed: the upcoming invoices of all active subscriptions summed per currency, from the latest refresh of the estimates (rated now if there is none yet)',
      query: UpcomingQuerySchema,
      response: { status: 200, description: 'the upcoming report', schema: UpcomingReportSchema },
      handle: async (request, deps) => {
        const { query } = request;
        const snapshot = (await deps.estimates.snapshot()) ?? (await refreshEstimates(estimateDeps(deps)));
        return json(200, upcomingView(snapshot, query.top));
      },
    }),
    route({
      method: 'POST',
      path: '/v1/reports/upcoming/refresh',
      access: 'admin',
      summary:
        "Rate every active subscription's current period and store the estimates (also runs on a schedule). Where a refresher is configured (AWS, npm start) it runs in the background: 202 with the current as_of, and GET /v1/reports/upcoming shows a later as_of when it is done; otherwise 200 with the new report.",
      query: UpcomingQuerySchema,
      response: {
        status: 200,
        description: 'the new upcoming report (202: the refresh was started)',
        schema: UpcomingReportSchema,
      },
      handle: async (request, deps) => {
        const { query } = request;
        if (deps.estimatesRefresh) {
          const previous = await deps.estimates.snapshot();
          await deps.estimatesRefresh.trigger();
          return json(202, { refreshing: true, as_of: previous?.as_of ?? null });
        }
        return json(200, upcomingView(await refreshEstimates(estimateDeps(deps)), query.top));
      },
    }),
    route({
      method: 'GET',
      path: '/v1/exports/invoices.csv',
      access: 'admin',
      summary: 'Invoices as CSV (one row per invoice), issued in [from, to), by customer and status',
      query: InvoiceExportQuerySchema,
      response: { status: 200, description: 'CSV, RFC 4180', mediaType: 'text/csv' },
      handle: async (request, deps) => invoicesCsv(await invoicesMatching(deps, request.query)),
    }),
    route({
      method: 'GET',
      path: '/v1/exports/usage.csv',
      access: 'admin',
      summary: "A customer's usage of a meter as CSV (the same numbers as GET /v1/customers/{id}/usage)",
      query: UsageExportQuerySchema,
      response: { status: 200, description: 'CSV, RFC 4180', mediaType: 'text/csv' },
      handle: async (request, deps) => {
        const { query } = request;
        const usage = await queryUsage(deps, {
          customerId: query.customer,
          meterKey: query.meter,
          from: query.from,
          to: query.to,
          granularity: query.granularity,
          groupBy: query.group_by,
          timeZone: query.timezone,
        });
        return usageCsv(usage);
      },
    }),
  ];
}
