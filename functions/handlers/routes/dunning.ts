import { type DunningDeps, type DunningRunResult, runDunning } from '../../app/dunning.js';
import { json } from '../../http/respond.js';
import { type Route, routesFor } from '../../http/router.js';
import { CustomerResponseSchema } from '../../schemas/customers.js';
import { DunningRunResponseSchema } from '../../schemas/dunning.js';
import type { ApiDeps } from '../deps.js';
import { customerJson } from './wire.js';

const route = routesFor<ApiDeps>();

/** What the dunning run needs, from the API's dependencies. */
export function dunningDeps(deps: ApiDeps): DunningDeps {
  return {
    config: deps.config,
    invoices: deps.invoices,
    customers: deps.customers,
    ...(deps.deliveryQueue ? { deliveryQueue: deps.deliveryQueue } : {}),
    ...(deps.dunningPayments ? { payments: deps.dunningPayments } : {}),
  };
}

export function dunningRunJson(result: DunningRunResult) {
  return {
    ran_at: result.ranAt,
    invoices: result.invoices,
    steps: result.steps.map((step) => ({
      invoice: step.invoiceId,
      number: step.number,
      customer: step.customerId,
      step: step.step,
      after_days: step.afterDays,
      action: step.action,
      status: step.status,
      ...(step.detail ? { detail: step.detail } : {}),
    })),
    suspended: result.suspended,
    unsuspended: result.unsuspended,
    errors: result.errors.map((error) => ({ invoice: error.invoiceId, message: error.message })),
  };
}

/** Dunning: run it now, lift a suspension by hand. */
export function dunningRoutes(): Route<ApiDeps>[] {
  return [
    route({
      method: 'POST',
      path: '/v1/dunning/runs',
      access: 'admin',
      summary:
        'Run dunning now (as the schedule does): the due steps of every overdue invoice, each exactly once; answers what this run did',
      response: { status: 200, description: 'what the run did', schema: DunningRunResponseSchema },
      handle: async (_request, deps) => json(200, dunningRunJson(await runDunning(dunningDeps(deps), deps.clock()))),
    }),
    route({
      method: 'POST',
      path: '/v1/customers/{id}/unsuspend',
      access: 'admin',
      summary:
        'Lift a dunning suspension by hand: the customer’s events are accepted again (a later run does not suspend it again for the same invoice)',
      response: { status: 200, description: 'the customer, not suspended', schema: CustomerResponseSchema },
      handle: async (request, deps) => {
        await deps.customers.unsuspend(request.params.id);
        const customer = await deps.customers.get(request.params.id);
        return json(200, customerJson(customer, deps.config.seller, deps.config.dunningSchedule));
      },
    }),
  ];
}
