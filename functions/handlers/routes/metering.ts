import type { z } from 'zod';
import { publishCounts } from '../../adapters/metrics.js';
import { isCurrent } from '../../app/estimates.js';
import { recordIngestStats } from '../../app/ingest-stats.js';
import { queryUsage } from '../../app/query-usage.js';
import { reconcile } from '../../app/reconcile.js';
import { type Envelope, recordUsage } from '../../app/record-usage.js';
import type { Address, Customer } from '../../domain/customer.js';
import { formatDecimal } from '../../domain/money.js';
import { HttpError } from '../../http/errors.js';
import { json } from '../../http/respond.js';
import { type Route, routesFor } from '../../http/router.js';
import { CreateApiKeySchema } from '../../schemas/api-keys.js';
import { CreateCustomerSchema, CustomerListQuerySchema, UpdateCustomerSchema } from '../../schemas/customers.js';
import { parseCloudEvent } from '../../schemas/events.js';
import { CreateMeterSchema } from '../../schemas/meters.js';
import { ReconcileQuerySchema, UsageQuerySchema } from '../../schemas/usage.js';
import type { ApiDeps } from '../deps.js';
import { usageCsv, wantsCsv } from './csv.js';
import { apiKeyJson, customerJson, meterJson } from './wire.js';

type AddressInput = z.output<typeof CreateCustomerSchema>['address'];

function toAddress(input: NonNullable<AddressInput>): Address {
  return {
    line1: input.line1,
    ...(input.line2 ? { line2: input.line2 } : {}),
    city: input.city,
    ...(input.postal_code ? { postalCode: input.postal_code } : {}),
    ...(input.state ? { state: input.state } : {}),
    country: input.country,
  };
}

const BATCH_TYPE = 'application/cloudevents-batch+json';

const route = routesFor<ApiDeps>();

export function meteringRoutes(): Route<ApiDeps>[] {
  return [
    route({
      method: 'POST',
      path: '/v1/meters',
      access: 'admin',
      summary: 'Create a meter: which event type it counts and how',
      body: CreateMeterSchema,
      response: { status: 201, description: 'the meter' },
      handle: async (request, deps) => {
        const { body } = request;
        const meter = {
          key: body.key,
          name: body.name,
          eventType: body.event_type,
          aggregation: body.aggregation,
          ...(body.value_property ? { valueProperty: body.value_property } : {}),
          groupBy: body.group_by,
          createdAt: deps.clock().toISOString(),
        };
        await deps.meters.create(meter);
        return json(201, meterJson(meter));
      },
    }),
    route({
      method: 'GET',
      path: '/v1/meters',
      access: 'admin',
      summary: 'List meters',
      handle: async (_request, deps) => json(200, { data: (await deps.meters.list()).map(meterJson) }),
    }),
    route({
      method: 'GET',
      path: '/v1/meters/{key}',
      access: 'admin',
      summary: 'Get a meter',
      handle: async (request, deps) => json(200, meterJson(await deps.meters.get(request.params.key))),
    }),
    route({
      method: 'POST',
      path: '/v1/customers',
      access: 'admin',
      summary: 'Create a customer (its id is the CloudEvents subject)',
      body: CreateCustomerSchema,
      response: { status: 201, description: 'the customer' },
      handle: async (request, deps) => {
        const { body } = request;
        const now = deps.clock().toISOString();
        const customer: Customer = {
          id: body.id,
          name: body.name,
          email: body.email,
          currency: body.currency,
          timezone: body.timezone,
          locale: body.locale,
          ...(body.address ? { address: toAddress(body.address) } : {}),
          ...(body.tax_id ? { taxId: body.tax_id } : {}),
          ...(body.tax_rate ? { taxRate: formatDecimal(body.tax_rate) } : {}),
          paymentTermsDays: body.payment_terms_days ?? 14,
          createdAt: now,
          updatedAt: now,
        };
        await deps.customers.create(customer);
        return json(201, customerJson(customer));
      },
    }),
    route({
      method: 'GET',
      path: '/v1/customers',
      access: 'admin',
      summary:
        "List customers (paginated with cursor), or search them (q: part of the id, name or email, any case; the first `limit` matches, `truncated` when there are more); with include=estimate, each with its current period's usage and estimated bill from the latest refresh",
      query: CustomerListQuerySchema,
      handle: async (request, deps) => {
        const { query } = request;
        const page: { items: Customer[]; nextCursor?: string; truncated?: boolean } = query.q
          ? await deps.customers.search(query.q, query.limit)
          : await deps.customers.list(query.limit, query.cursor);
        const more = {
          ...(page.nextCursor ? { next_cursor: page.nextCursor } : {}),
          ...(query.q ? { truncated: page.truncated === true } : {}),
        };
        if (query.include === 'estimate') {
          const [snapshot, estimates] = await Promise.all([
            deps.estimates.snapshot(),
            deps.estimates.forCustomers(page.items.map((customer) => customer.id)),
          ]);
          return json(200, {
            data: page.items.map((customer) => {
              const estimate = estimates.get(customer.id);
              return {
                ...customerJson(customer),
                estimate: estimate && isCurrent(estimate, snapshot) ? estimate : null,
              };
            }),
            estimates_as_of: snapshot?.as_of ?? null,
            ...more,
          });
        }
        return json(200, { data: page.items.map(customerJson), ...more });
      },
    }),
    route({
      method: 'GET',
      path: '/v1/customers/{id}',
      access: 'admin',
      summary: 'Get a customer',
      handle: async (request, deps) => json(200, customerJson(await deps.customers.get(request.params.id))),
    }),
    route({
      method: 'PATCH',
      path: '/v1/customers/{id}',
      access: 'admin',
      summary: 'Change a customer (null removes an optional field)',
      body: UpdateCustomerSchema,
      handle: async (request, deps) => {
        const { body } = request;
        const updated = await deps.customers.update(request.params.id, (current) => {
          const next: Customer = { ...current, updatedAt: deps.clock().toISOString() };
          if (body.name !== undefined) next.name = body.name;
          if (body.email !== undefined) next.email = body.email;
          if (body.currency !== undefined) next.currency = body.currency;
          if (body.timezone !== undefined) next.timezone = body.timezone;
          if (body.locale !== undefined) next.locale = body.locale;
          if (body.payment_terms_days !== undefined) next.paymentTermsDays = body.payment_terms_days;
          if (body.address === null) delete next.address;
          else if (body.address) next.address = toAddress(body.address);
          if (body.tax_id === null) delete next.taxId;
          else if (body.tax_id) next.taxId = body.tax_id;
          if (body.tax_rate === null) delete next.taxRate;
          else if (body.tax_rate) next.taxRate = formatDecimal(body.tax_rate);
          return next;
        });
        return json(200, customerJson(updated));
      },
    }),
    route({
      method: 'POST',
      path: '/v1/api-keys',
      access: 'admin',
      summary: 'Create an API key; the key is shown once (stored as a SHA-256 hash)',
      body: CreateApiKeySchema,
      response: { status: 201, description: 'the key record and, this once, the key' },
      handle: async (request, deps) => {
        const { body } = request;
        const { record, secret } = await deps.apiKeys.create(body.name, body.scope);
        return json(201, { ...apiKeyJson(record), key: secret });
      },
    }),
    route({
      method: 'GET',
      path: '/v1/api-keys',
      access: 'admin',
      summary: 'List API keys (never the keys themselves)',
      handle: async (_request, deps) => json(200, { data: (await deps.apiKeys.list()).map(apiKeyJson) }),
    }),
    route({
      method: 'DELETE',
      path: '/v1/api-keys/{id}',
      access: 'admin',
      summary: 'Revoke an API key',
      handle: async (request, deps) => json(200, apiKeyJson(await deps.apiKeys.revoke(request.params.id))),
    }),
    route({
      method: 'POST',
      path: '/v1/events',
      access: 'ingest',
      summary:
        'Ingest usage events (CloudEvents 1.0: one event, or a batch of up to 1,000); each is counted exactly once',
      rawBody: true,
      contentTypes: ['application/cloudevents+json', BATCH_TYPE],
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
            eventRetentionDays: deps.config.eventRetentionDays,
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
        return json(200, {
          accepted: result.accepted,
          duplicates: result.duplicates,
          rejected: result.rejected,
          results: result.results,
        });
      },
    }),
    route({
      method: 'GET',
      path: '/v1/customers/{id}/usage',
      access: 'admin',
      summary:
        "A customer's usage of a meter, read straight from the counters (no lag); as CSV with ?format=csv or Accept: text/csv",
      query: UsageQuerySchema,
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
      handle: async (request, deps) => {
        const { query } = request;
        const report = await reconcile(deps, query.customer, query.from, query.to);
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
        });
      },
    }),
  ];
}
