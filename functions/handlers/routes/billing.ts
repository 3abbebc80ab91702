import { upcomingInvoice } from '../../app/close-period.js';
import { NotFoundError } from '../../app/errors.js';
import { createPlan, createPlanVersion } from '../../app/plans.js';
import { recentRuns, startRun } from '../../app/runs.js';
import { cancelSubscription, changePlan, createSubscription } from '../../app/subscriptions.js';
import { HttpError } from '../../http/errors.js';
import { json } from '../../http/respond.js';
import { type Route, routesFor } from '../../http/router.js';
import { RunListQuerySchema, StartRunSchema } from '../../schemas/billing-runs.js';
import { InvoiceListQuerySchema } from '../../schemas/invoices.js';
import { CreatePlanSchema, PlanVersionBodySchema } from '../../schemas/plans.js';
import {
  CancelSubscriptionSchema,
  ChangePlanSchema,
  CreateSubscriptionSchema,
  SubscriptionListQuerySchema,
} from '../../schemas/subscriptions.js';
import type { ApiDeps } from '../deps.js';
import { invoiceJson, planJson, runJson, subscriptionJson, upcomingJson } from './billing-wire.js';
import { invoicesCsv, invoicesMatching, wantsCsv } from './csv.js';

/** The validated body's original JSON (wire form), which is what plan versions store. */
const rawJson = (request: { event: { body?: string; isBase64Encoded: boolean } }) =>
  JSON.parse(
    request.event.isBase64Encoded
      ? Buffer.from(request.event.body ?? '', 'base64').toString('utf8')
      : (request.event.body ?? '{}'),
  ) as Record<string, unknown>;

const route = routesFor<ApiDeps>();

export function billingRoutes(): Route<ApiDeps>[] {
  return [
    route({
      method: 'POST',
      path: '/v1/plans',
      access: 'admin',
      summary:
        'Create a plan (version 1): interval, base fee, charges on meters with any price model, minimum commitment',
      body: CreatePlanSchema,
      response: { status: 201, description: 'the plan version' },
      handle: async (request, deps) =>
        json(201, planJson(await createPlan(deps, { ...rawJson(request), key: request.body.key }), [1])),
    }),
    route({
      method: 'GET',
      path: '/v1/plans',
      access: 'admin',
      summary: 'List plans (latest version of each)',
      handle: async (_request, deps) => json(200, { data: (await deps.plans.list()).map((plan) => planJson(plan)) }),
    }),
    route({
      method: 'GET',
      path: '/v1/plans/{key}',
      access: 'admin',
      summary: 'Get the latest version of a plan and the list of its versions',
      handle: async (request, deps) => {
        const versions = await deps.plans.versions(request.params.key);
        const latest = versions[versions.length - 1]!;
        return json(
          200,
          planJson(
            latest,
            versions.map((v) => v.version),
          ),
        );
      },
    }),
    route({
      method: 'GET',
      path: '/v1/plans/{key}/versions/{version}',
      access: 'admin',
      summary: 'Get one version of a plan',
      handle: async (request, deps) => {
        const version = Number(request.params.version);
        if (!Number.isInteger(version) || version < 1)
          throw new NotFoundError(`no version '${request.params.version}'`);
        return json(200, planJson(await deps.plans.get(request.params.key, version)));
      },
    }),
    route({
      method: 'POST',
      path: '/v1/plans/{key}/versions',
      access: 'admin',
      summary: 'Create the next version of a plan (invoices already issued keep theirs)',
      body: PlanVersionBodySchema,
      response: { status: 201, description: 'the new plan version' },
      handle: async (request, deps) =>
        json(201, planJson(await createPlanVersion(deps, request.params.key, rawJson(request)))),
    }),
    route({
      method: 'POST',
      path: '/v1/subscriptions',
      access: 'admin',
      summary: 'Subscribe a customer to a plan (start date may lie in the past); one active subscription per customer',
      body: CreateSubscriptionSchema,
      response: { status: 201, description: 'the subscription' },
      handle: async (request, deps) => {
        const { body } = request;
        const subscription = await createSubscription(deps, {
          ...(body.id ? { id: body.id } : {}),
          customer: body.customer,
          plan: body.plan,
          ...(body.plan_version ? { planVersion: body.plan_version } : {}),
          startDate: body.start_date,
          ...(body.billing_anchor ? { billingAnchor: body.billing_anchor } : {}),
          ...(body.price_overrides
            ? { priceOverrides: rawJson(request).price_overrides as Record<string, unknown> }
            : {}),
        });
        return json(201, subscriptionJson(subscription));
      },
    }),
    route({
      method: 'GET',
      path: '/v1/subscriptions',
      access: 'admin',
      summary: "A customer's subscriptions",
      query: SubscriptionListQuerySchema,
      handle: async (request, deps) => {
        const { query } = request;
        return json(200, { data: (await deps.subscriptions.byCustomer(query.customer)).map(subscriptionJson) });
      },
    }),
    route({
      method: 'GET',
      path: '/v1/subscriptions/{id}',
      access: 'admin',
      summary: 'Get a subscription',
      handle: async (request, deps) => json(200, subscriptionJson(await deps.subscriptions.get(request.params.id))),
    }),
    route({
      method: 'POST',
      path: '/v1/subscriptions/{id}/cancel',
      access: 'admin',
      summary: 'Cancel now (the running period is cut and invoiced) or at the end of the period',
      body: CancelSubscriptionSchema,
      handle: async (request, deps) => {
        const { body } = request;
        return json(200, subscriptionJson(await cancelSubscription(deps, request.params.id, body.at)));
      },
    }),
    route({
      method: 'POST',
      path: '/v1/subscriptions/{id}/change-plan',
      access: 'admin',
      summary: 'Change the plan now (usage and base fee split at the change, prorated) or at the end of the period',
      body: ChangePlanSchema,
      handle: async (request, deps) => {
        const { body } = request;
        return json(
          200,
          subscriptionJson(await changePlan(deps, request.params.id, body.plan, body.plan_version, body.at)),
        );
      },
    }),
    route({
      method: 'GET',
      path: '/v1/customers/{id}/upcoming-invoice',
      access: 'admin',
      summary: 'The current period rated live from the counters: the invoice as it would read now',
      handle: async (request, deps) => {
        const subscriptions = await deps.subscriptions.byCustomer(request.params.id);
        const active = subscriptions.find((s) => s.status === 'active');
        if (!active) {
          await deps.customers.get(request.params.id);
          throw new NotFoundError(`customer '${request.params.id}' has no active subscription`);
        }
        const { plan, rated, segment, until } = await upcomingInvoice(deps, active);
        return json(200, upcomingJson(active, plan, rated, segment, until));
      },
    }),
    route({
      method: 'GET',
      path: '/v1/invoices',
      access: 'admin',
      summary:
        'List invoices, newest first, by customer, status and issue period (from/to); as CSV with ?format=csv or Accept: text/csv',
      query: InvoiceListQuerySchema,
      handle: async (request, deps) => {
        const { query } = request;
        if (wantsCsv(request, query.format)) return invoicesCsv(await invoicesMatching(deps, query));
        if (query.from || query.to) {
          const invoices = (await invoicesMatching(deps, query)).reverse();
          return json(200, { data: invoices.map(invoiceJson) });
        }
        if (query.customer) {
          const invoices = (await deps.invoices.byCustomer(query.customer)).filter(
            (i) => !query.status || i.status === query.status,
          );
          return json(200, { data: invoices.map(invoiceJson) });
        }
        const page = await deps.invoices.list(query.limit, query.cursor);
        const invoices = page.items.filter((i) => !query.status || i.status === query.status);
        return json(200, {
          data: invoices.map(invoiceJson),
          ...(page.nextCursor ? { next_cursor: page.nextCursor } : {}),
        });
      },
    }),
    route({
      method: 'GET',
      path: '/v1/invoices/{id}',
      access: 'admin',
      summary: 'Get an invoice with its lines and their explanations',
      handle: async (request, deps) => json(200, invoiceJson(await deps.invoices.get(request.params.id))),
    }),
    route({
      method: 'POST',
      path: '/v1/billing-runs',
      access: 'admin',
      summary: 'Run the period close now (the same state machine the schedule starts); as_of defaults to now',
      body: StartRunSchema,
      contentTypes: [],
      response: { status: 200, description: 'the finished run (locally) or 202 with the started run (AWS)' },
      handle: async (request, deps) => {
        const { body } = request;
        if (!deps.workflow) throw new HttpError(501, 'not_configured', 'no close workflow is configured here');
        const run = await startRun(deps, body.as_of ?? deps.clock());
        return json(run.status === 'running' ? 202 : 200, runJson(run));
      },
    }),
    route({
      method: 'GET',
      path: '/v1/billing-runs',
      access: 'admin',
      summary:
        'The most recent billing runs, newest first, each with its outcome per subscription (failed ones with code and message); runs whose process died are marked interrupted',
      query: RunListQuerySchema,
      handle: async (request, deps) => {
        const { query } = request;
        const runs = await recentRuns(deps, query.limit);
        return json(200, { data: runs.map(runJson) });
      },
    }),
    route({
      method: 'GET',
      path: '/v1/billing-runs/{id}',
      access: 'admin',
      summary: 'A billing run and its outcome per subscription',
      handle: async (request, deps) => {
        const run = await deps.runs.find(request.params.id);
        if (!run) throw new NotFoundError(`no billing run with id '${request.params.id}'`);
        return json(200, runJson(run));
      },
    }),
  ];
}
