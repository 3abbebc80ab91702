import { publishCounts } from '../../adapters/metrics.js';
import { cancelEvents } from '../../app/cancel-events.js';
import { recordIngestStats } from '../../app/ingest-stats.js';
import { type Envelope, recordUsage } from '../../app/record-usage.js';
import { HttpError } from '../../http/errors.js';
import { json } from '../../http/respond.js';
import { type Route, routesFor } from '../../http/router.js';
import {
  CancelEventsResultSchema,
  CancelEventsSchema,
  IngestResultSchema,
  parseCloudEvent,
} from '../../schemas/events.js';
import type { ApiDeps } from '../deps.js';

const BATCH_TYPE = 'application/cloudevents-batch+json';

const route = routesFor<ApiDeps>();

/** HTTP status of a single event's cancel that was refused. */
const CANCEL_STATUS = { not_found: 404, too_old: 422, not_cancellable: 422, period_closed: 409 } as const;

/** Usage event ingestion (CloudEvents), each event counted exactly once; and cancellation, exactly once. */
export function eventRoutes(): Route<ApiDeps>[] {
  return [
    route({
      method: 'POST',
      path: '/v1/events',
      access: 'ingest',
      summary:
        'Ingest usage events (CloudEvents 1.0: one event, or a batch of up to 1,000); each is counted exactly once',
      rawBody: true,
      contentTypes: ['application/cloudevents+json', BATCH_TYPE],
      response: {
        status: 200,
        description:
          'the outcome of every event (rejected events do not fail the request, except one single event over a hard usage limit: 403 usage_limit_exceeded, or of a suspended customer: 403 customer_suspended)',
        schema: IngestResultSchema,
      },
      handle: async (request, deps) => {
        const { contentType, json: body } = request.body;
        const receivedAt = deps.clock();
        const items = Array.isArray(body) ? body : [body];
        if (contentType === BATCH_TYPE && !Array.isArray(body)) {
          throw new HttpError(400, 'invalid_batch', `a ${BATCH_TYPE} body must be a JSON array of events`);
        }
        if (items.length === 0) throw new HttpError(400, 'invalid_batch', 'the batch has no events');
        if (items.length > deps.config.maxBatchEvents) {
          throw new HttpError(
            413,
            'batch_too_large',
            `a batch holds at most ${deps.config.maxBatchEvents} events; got ${items.length}`,
          );
        }
        if (
          items.every(
            (item) => item === null || typeof item !== 'object' || Array.isArray(item) || !('specversion' in item),
          )
        ) {
          throw new HttpError(
            400,
            'not_cloudevents',
            'the body is not CloudEvents: each event needs specversion, id, source, type and subject',
          );
        }
        const envelopes: Envelope[] = items.map((raw, index) => {
          const parsed = parseCloudEvent(raw, index, receivedAt);
          return parsed.ok ? parsed : { ok: false, index, id: parsed.id, message: parsed.message };
        });
        const result = await recordUsage(
          {
            meters: deps.meters,
            customers: deps.customers,
            usage: deps.usage,
            clock: () => receivedAt,
            acceptanceWindowDays: deps.config.acceptanceWindowDays,
            futureToleranceMinutes: deps.config.futureToleranceMinutes,
          },
          envelopes,
        );
        // Best-effort statistics for the dashboard (never fails the request; not billing data).
        await recordIngestStats(deps, result.results, receivedAt, (error) =>
          process.emitWarning(`ingestion statistics not recorded: ${(error as Error).message}`),
        );
        publishCounts({
          EventsAccepted: result.accepted,
          EventsDuplicate: result.duplicates,
          EventsRejected: result.rejected,
        });
        // One event (not a batch) refused by a hard usage limit: the request itself fails (403), so a
        // client that posts events one by one sees it as it would any refusal. Batches keep the
        // per-event outcomes. Other per-event rejections of a single event still answer 200.
        const [only] = result.results;
        if (!Array.isArray(body) && only?.status === 'rejected' && only.code === 'usage_limit_exceeded') {
          throw new HttpError(403, 'usage_limit_exceeded', only.message, [{ path: '/data', message: only.message }]);
        }
        if (!Array.isArray(body) && only?.status === 'rejected' && only.code === 'customer_suspended') {
          throw new HttpError(403, 'customer_suspended', only.message, [{ path: '/subject', message: only.message }]);
        }
        return json(200, {
          accepted: result.accepted,
          duplicates: result.duplicates,
          rejected: result.rejected,
          results: result.results,
        });
      },
    }),
    route({
      method: 'POST',
      path: '/v1/events/cancel',
      access: 'ingest',
      summary:
        'Cancel accepted events ({source, id}, or {events: [...]} up to 100): each exactly once, its usage taken back at once',
      body: CancelEventsSchema,
      response: {
        status: 200,
        description:
          'one event: the cancelled event (404 not_found, 422 too_old or not_cancellable, 409 period_closed otherwise); a batch: every outcome',
        schema: CancelEventsResultSchema,
      },
      handle: async (request, deps) => {
        const { single, events } = request.body;
        const result = await cancelEvents(
          {
            meters: deps.meters,
            customers: deps.customers,
            usage: deps.usage,
            clock: deps.clock,
            acceptanceWindowDays: deps.config.acceptanceWindowDays,
          },
          events,
        );
        const wire = result.results.map((outcome) =>
          outcome.status === 'rejected'
            ? outcome
            : {
                index: outcome.index,
                source: outcome.source,
                id: outcome.id,
                status: outcome.status,
                customer: outcome.customer,
                time: outcome.time,
                cancelled_at: outcome.cancelledAt,
              },
        );
        if (single) {
          const [only] = wire;
          if (!only) throw new Error('a single cancel has one outcome');
          if (only.status === 'rejected')
            throw new HttpError(CANCEL_STATUS[only.code], only.code, only.message, [
              { path: '/id', message: only.message },
            ]);
          const { index: _index, ...cancelled } = only;
          return json(200, cancelled);
        }
        return json(200, {
          cancelled: result.cancelled,
          already_cancelled: result.alreadyCancelled,
          rejected: result.rejected,
          results: wire,
        });
      },
    }),
  ];
}
