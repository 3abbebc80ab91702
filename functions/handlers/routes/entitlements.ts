import { entitlements } from '../../app/entitlements.js';
import { formatDecimal } from '../../domain/money.js';
import { json } from '../../http/respond.js';
import { type Route, routesFor } from '../../http/router.js';
import { EntitlementsResponseSchema } from '../../schemas/subscriptions.js';
import type { ApiDeps } from '../deps.js';

const route = routesFor<ApiDeps>();

/** A customer's usage limits with the usage of the current period, live. */
export function entitlementRoutes(): Route<ApiDeps>[] {
  return [
    route({
      method: 'GET',
      path: '/v1/customers/{id}/entitlements',
      access: 'admin',
      summary:
        "The usage limits of a customer's active subscription: per limited meter its limit, usage of the current period and what remains (live)",
      response: { status: 200, description: 'the limits and their usage', schema: EntitlementsResponseSchema },
      handle: async (request, deps) => {
        const result = await entitlements(deps, request.params.id);
        return json(200, {
          customer: request.params.id,
          ...(result.subscriptionId ? { subscription: result.subscriptionId } : {}),
          data: result.items.map((item) => ({
            meter: item.meter,
            limit: formatDecimal(item.limit),
            hard: item.hard,
            usage: formatDecimal(item.usage),
            remaining: formatDecimal(item.remaining),
            period_start: item.periodStart.toISOString(),
            period_end: item.periodEnd.toISOString(),
          })),
        });
      },
    }),
  ];
}
