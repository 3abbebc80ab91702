import { type AlertCheckOutcome, checkAlerts } from '../../app/alerts.js';
import { NotFoundError } from '../../app/errors.js';
import type { Decimal } from '../../domain/decimal.js';
import { formatAmount, formatDecimal, minorUnits } from '../../domain/money.js';
import { HttpError, ValidationFailedError } from '../../http/errors.js';
import { json } from '../../http/respond.js';
import { type Route, routesFor } from '../../http/router.js';
import {
  AlertCheckQuerySchema,
  AlertCheckResultSchema,
  AlertListQuerySchema,
  AlertListSchema,
  AlertSchema,
  CreateAlertSchema,
} from '../../schemas/alerts.js';
import type { ApiDeps } from '../deps.js';
import { alertJson, alertTriggerJson } from './alert-wire.js';

const route = routesFor<ApiDeps>();

function checkOutcomeJson(outcome: AlertCheckOutcome) {
  return {
    alert_id: outcome.alertId,
    status: outcome.status,
    ...(outcome.value !== undefined ? { value: outcome.value } : {}),
    threshold: outcome.threshold,
    ...(outcome.periodStart ? { period_start: outcome.periodStart } : {}),
    ...(outcome.reason ? { reason: outcome.reason } : {}),
    ...(outcome.trigger ? { trigger: alertTriggerJson(outcome.trigger) } : {}),
  };
}

/** A referenced resource that does not exist: 404, naming the field that referenced it. */
async function referenced<T>(path: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (error instanceof NotFoundError)
      throw new HttpError(404, 'not_found', `${path}: ${error.message}`, [{ path, message: error.message }]);
    throw error;
  }
}

const invalid = (path: string, message: string) =>
  new ValidationFailedError([{ path, message }], `${path}: ${message}`);

/** The customer a query names (`customer_id`, or the customer of `subscription_id`; both: they must match), checked to exist. */
async function customerOf(deps: ApiDeps, query: { customer_id?: string; subscription_id?: string }): Promise<string> {
  let customerId = query.customer_id;
  const subscriptionId = query.subscription_id;
  if (subscriptionId !== undefined) {
    const subscription = await referenced('?subscription_id', () => deps.subscriptions.get(subscriptionId));
    if (customerId !== undefined && subscription.customerId !== customerId)
      throw invalid('?subscription_id', `subscription '${subscriptionId}' belongs to another customer`);
    customerId = subscription.customerId;
  }
  const id = customerId as string;
  await referenced('?customer_id', () => deps.customers.get(id));
  return id;
}

/** Usage alerts: thresholds on a meter's usage, the running bill or the credit balance, firing once per period. */
export function alertRoutes(): Route<ApiDeps>[] {
  return [
    route({
      method: 'POST',
      path: '/v1/alerts',
      access: 'admin',
      summary: 'Create a usage alert (usage, spend or credit_balance) for a customer or one of its subscriptions',
      body: CreateAlertSchema,
      response: { status: 201, description: 'the alert', schema: AlertSchema },
      handle: async ({ body }, deps) => {
        const customer = await referenced('/customer_id', () => deps.customers.get(body.customer_id));
        let currency = customer.currency;
        if (body.subscription_id !== undefined) {
          const id = body.subscription_id;
          const subscription = await referenced('/subscription_id', () => deps.subscriptions.get(id));
          if (subscription.customerId !== customer.id)
            throw invalid('/subscription_id', `subscription '${id}' belongs to another customer`);
          if (subscription.status !== 'active') throw invalid('/subscription_id', `subscription '${id}' has ended`);
          currency = String((await deps.plans.get(subscription.planKey, subscription.planVersion)).currency);
        }
        if (body.meter !== undefined) {
          const key = body.meter;
          await referenced('/meter', () => deps.meters.get(key));
        }
        const money = body.kind !== 'usage';
        const threshold: Decimal = body.threshold;
        if (money && threshold.decimalPlaces() > minorUnits(currency))
          throw invalid('/threshold', `must have at most ${minorUnits(currency)} decimals (an amount in ${currency})`);
        const alert = await deps.alerts.create({
          customerId: customer.id,
          ...(body.subscription_id !== undefined ? { subscriptionId: body.subscription_id } : {}),
          kind: body.kind,
          ...(body.meter !== undefined ? { meter: body.meter } : {}),
          threshold: money ? formatAmount(threshold, currency) : formatDecimal(threshold),
          ...(money ? { currency } : {}),
          ...(body.name !== undefined ? { name: body.name } : {}),
          createdAt: deps.clock().toISOString(),
        });
        return json(201, alertJson(alert, []));
      },
    }),
    route({
      method: 'GET',
      path: '/v1/alerts',
      access: 'admin',
      summary: "A customer's alerts (optionally one subscription's), oldest first, each with its firings",
      query: AlertListQuerySchema,
      response: { status: 200, description: 'the alerts', schema: AlertListSchema },
      handle: async ({ query }, deps) => {
        const customerId = await customerOf(deps, query);
        const alerts = (await deps.alerts.list(customerId)).filter(
          (alert) => query.subscription_id === undefined || alert.subscriptionId === query.subscription_id,
        );
        const data = await Promise.all(
          alerts.map(async (alert) => alertJson(alert, await deps.alerts.triggers(alert.id))),
        );
        return json(200, { data });
      },
    }),
    route({
      method: 'POST',
      path: '/v1/alerts/check',
      access: 'admin',
      summary:
        "Check a customer's alerts now (or one subscription's): what crossed its threshold fires (once per period)",
      query: AlertCheckQuerySchema,
      response: { status: 200, description: 'the outcome per alert', schema: AlertCheckResultSchema },
      handle: async ({ query }, deps) => {
        const customer = await customerOf(deps, query);
        const subscriptionId = query.subscription_id;
        const outcomes = await checkAlerts(
          { ...deps, ...(deps.deliveryQueue ? { queue: deps.deliveryQueue } : {}) },
          customer,
          subscriptionId === undefined ? {} : { only: (alert) => alert.subscriptionId === subscriptionId },
        );
        return json(200, {
          checked_at: deps.clock().toISOString(),
          results: outcomes.map(checkOutcomeJson),
          fired: outcomes.filter((o) => o.status === 'fired').length,
        });
      },
    }),
    route({
      method: 'GET',
      path: '/v1/alerts/{id}',
      access: 'admin',
      summary: 'Get an alert with its firings (newest first)',
      response: { status: 200, description: 'the alert', schema: AlertSchema },
      handle: async ({ params }, deps) => {
        const alert = await deps.alerts.get(params.id);
        return json(200, alertJson(alert, await deps.alerts.triggers(alert.id)));
      },
    }),
    route({
      method: 'DELETE',
      path: '/v1/alerts/{id}',
      access: 'admin',
      summary: 'Delete an alert: it fires no more (what it fired was delivered)',
      response: { status: 200, description: 'the deleted alert', schema: AlertSchema },
      handle: async ({ params }, deps) => {
        const triggers = await deps.alerts.triggers(params.id);
        const alert = await deps.alerts.delete(params.id);
        return json(200, alertJson(alert, triggers));
      },
    }),
  ];
}
