import { newHardLimits, seedLimitTotals } from '../../app/entitlements.js';
import { checkThresholds } from '../../app/progressive.js';
import { cancelSubscription, changePlan, createSubscription, setUsageLimits } from '../../app/subscriptions.js';
import { json } from '../../http/respond.js';
import { type Route, routesFor } from '../../http/router.js';
import {
  CancelSubscriptionSchema,
  ChangePlanSchema,
  CreateSubscriptionSchema,
  SubscriptionListQuerySchema,
  SubscriptionListResponseSchema,
  SubscriptionResponseSchema,
  ThresholdCheckResponseSchema,
  UpdateSubscriptionSchema,
} from '../../schemas/subscriptions.js';
import type { ApiDeps } from '../deps.js';
import { subscriptionJson } from './billing-wire.js';
import { rawJson } from './raw-json.js';

const route = routesFor<ApiDeps>();

/** Subscriptions: subscribe, cancel, change plan. */
export function subscriptionRoutes(): Route<ApiDeps>[] {
  return [
    route({
      method: 'POST',
      path: '/v1/subscriptions',
      access: 'admin',
      summary: 'Subscribe a customer to a plan (start date may lie in the past); one active subscription per customer',
      body: CreateSubscriptionSchema,
      response: { status: 201, description: 'the subscription', schema: SubscriptionResponseSchema },
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
          ...(body.usage_limits ? { usageLimits: body.usage_limits } : {}),
        });
        // A start in the past: what the customer used since then counts toward its hard limits.
        await seedLimitTotals(deps, subscription, newHardLimits(undefined, subscription));
        return json(201, subscriptionJson(subscription));
      },
    }),
    route({
      method: 'GET',
      path: '/v1/subscriptions',
      access: 'admin',
      summary: "A customer's subscriptions",
      query: SubscriptionListQuerySchema,
      response: { status: 200, description: "the customer's subscriptions", schema: SubscriptionListResponseSchema },
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
      response: { status: 200, description: 'the subscription', schema: SubscriptionResponseSchema },
      handle: async (request, deps) => json(200, subscriptionJson(await deps.subscriptions.get(request.params.id))),
    }),
    route({
      method: 'PATCH',
      path: '/v1/subscriptions/{id}',
      access: 'admin',
      summary:
        'Replace the usage limits (per count or sum meter: {limit, hard}; {} removes them); hard limits apply to ingest at once',
      body: UpdateSubscriptionSchema,
      response: { status: 200, description: 'the subscription', schema: SubscriptionResponseSchema },
      handle: async (request, deps) => {
        const before = await deps.subscriptions.get(request.params.id);
        const after = await setUsageLimits(deps, request.params.id, request.body.usage_limits);
        // A hard limit set mid-period counts the usage of the period so far.
        await seedLimitTotals(deps, after, newHardLimits(before, after));
        return json(200, subscriptionJson(after));
      },
    }),
    route({
      method: 'POST',
      path: '/v1/subscriptions/{id}/cancel',
      access: 'admin',
      summary: 'Cancel now (the running period is cut and invoiced) or at the end of the period',
      body: CancelSubscriptionSchema,
      response: { status: 200, description: 'the subscription', schema: SubscriptionResponseSchema },
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
      response: { status: 200, description: 'the subscription', schema: SubscriptionResponseSchema },
      handle: async (request, deps) => {
        const { body } = request;
        return json(
          200,
          subscriptionJson(await changePlan(deps, request.params.id, body.plan, body.plan_version, body.at)),
        );
      },
    }),
    route({
      method: 'POST',
      path: '/v1/subscriptions/{id}/threshold-check',
      access: 'admin',
      summary:
        "Progressive billing: check the current period's usage against the plan's thresholds now (the estimates refresh does it on a schedule)",
      response: { status: 200, description: 'what the check did', schema: ThresholdCheckResponseSchema },
      handle: async (request, deps) => {
        const outcome = await checkThresholds(deps, await deps.subscriptions.get(request.params.id));
        return json(200, {
          subscription: outcome.subscriptionId,
          status: outcome.status,
          ...(outcome.status === 'none'
            ? { reason: outcome.reason, ...(outcome.usageAmount ? { usage_amount: outcome.usageAmount } : {}) }
            : {
                usage_amount: outcome.usageAmount,
                level: outcome.level,
                invoice: outcome.invoiceId,
                invoice_number: outcome.invoiceNumber,
                created: outcome.created,
              }),
        });
      },
    }),
  ];
}
