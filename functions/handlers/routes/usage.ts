import { eventScanStart } from '../../adapters/dynamodb/event-stream.js';
import { billingConservation } from '../../app/conservation.js';
import { queryUsage } from '../../app/query-usage.js';
import { reconcile } from '../../app/reconcile.js';
import type { Decimal } from '../../domain/decimal.js';
import { formatDecimal } from '../../domain/money.js';
import { HttpError } from '../../http/errors.js';
import { json } from '../../http/respond.js';
import { type Route, routesFor } from '../../http/router.js';
import {
  ArchiveBackfillResultSchema,
  ArchiveBackfillSchema,
  ReconcileQuerySchema,
  ReconcileReportSchema,
  UsageQuerySchema,
  UsageSeriesSchema,
} from '../../schemas/usage.js';
import type { ApiDeps } from '../deps.js';
import { backfillRequestOf } from '../wiring/archive-backfill.js';
import { usageCsv, wantsCsv } from './csv.js';

const route = routesFor<ApiDeps>();

/** A customer's usage read from the counters, the counters checked against the raw events, and the archive of those repaired. */
export function usageRoutes(): Route<ApiDeps>[] {
  return [
    route({
      method: 'GET',
      path: '/v1/customers/{id}/usage',
      access: 'admin',
      summary:
        "A customer's usage of a meter, read straight from the counters (no lag); as CSV with ?format=csv or Accept: text/csv",
      query: UsageQuerySchema,
      response: { status: 200, description: 'the usage series (JSON; or CSV)', schema: UsageSeriesSchema },
      handle: async (request, deps) => {
        const { query } = request;
        const usage = await queryUsage(deps, {
          customerId: request.params.id,
          ...query,
          meterKey: query.meter,
          groupBy: query.group_by,
          timeZone: query.timezone,
        });
        if (wantsCsv(request, query.format)) return usageCsv(usage);
        return json(200, {
          customer: usage.customerId,
          meter: usage.meter.key,
          aggregation: usage.meter.aggregation,
          granularity: query.granularity,
          timezone: usage.timeZone,
          from: query.from.toISOString(),
          to: query.to.toISOString(),
          series: usage.series.map((point) => ({
            start: point.start.toISOString(),
            end: point.end.toISOString(),
            value: formatDecimal(point.value),
            events: point.events,
            dimensions: point.dimensions,
          })),
        });
      },
    }),
    route({
      method: 'GET',
      path: '/v1/reconcile',
      access: 'admin',
      summary: "Rebuild a customer's counters from the stored raw events and list every difference (0 expected)",
      query: ReconcileQuerySchema,
      response: { status: 200, description: 'the reconciliation report', schema: ReconcileReportSchema },
      handle: async (request, deps) => {
        const { query } = request;
        const [report, billing] = await Promise.all([
          reconcile(deps, query.customer, query.from, query.to),
          billingConservation(deps, query.customer, query.from, query.to),
        ]);
        const decimal = (value: Decimal) => formatDecimal(value);
        return json(200, {
          customer: report.customerId,
          from: report.from.toISOString(),
          to: report.to.toISOString(),
          events: report.events,
          mismatch_count: report.mismatches.length,
          meters: report.meters.map((m) => ({
            meter: m.meter,
            aggregation: m.aggregation,
            from_events: formatDecimal(m.fromEvents),
            from_counters: formatDecimal(m.fromCounters),
          })),
          mismatches: report.mismatches,
          billing: billing.meters.map((m) => ({
            meter: m.meter,
            accepted: decimal(m.accepted),
            invoiced: decimal(m.invoiced),
            adjusted: decimal(m.adjusted),
            awaiting_adjustment: decimal(m.awaitingAdjustment),
            unbilled: decimal(m.unbilled),
            voided: decimal(m.voided),
            unsubscribed: decimal(m.unsubscribed),
            periods: m.periods.map((p) => ({
              invoice_id: p.invoiceId,
              invoice_number: p.invoiceNumber,
              period_start: p.periodStart,
              period_end: p.periodEnd,
              accepted: decimal(p.accepted),
              invoiced: decimal(p.invoiced),
              adjusted: decimal(p.adjusted),
              awaiting_adjustment: decimal(p.awaitingAdjustment),
            })),
          })),
          billing_balanced: billing.balanced,
        });
      },
    }),
    route({
      method: 'POST',
      path: '/v1/event-archive/backfill',
      access: 'admin',
      summary:
        'Copy raw events from the events table to the event archive again (events it missed), part of the table per call; go on with the cursor it answers',
      body: ArchiveBackfillSchema,
      response: {
        status: 200,
        description: 'what this call did, and where to go on from',
        schema: ArchiveBackfillResultSchema,
      },
      handle: async (request, deps) => {
        if (!deps.archiveBackfill)
          throw new HttpError(
            501,
            'not_configured',
            'no event archive is configured here: there is nothing to backfill',
          );
        // A forged cursor is answered 400 here, not as the archiver's error (a 500 over Lambda's wire).
        eventScanStart(request.body.cursor);
        const result = await deps.archiveBackfill(backfillRequestOf(request.body));
        return json(200, {
          scanned: result.scanned,
          archived: result.archived,
          objects: result.objects,
          cursor: result.cursor ?? null,
        });
      },
    }),
  ];
}
