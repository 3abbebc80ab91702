import { Logger } from '@aws-lambda-powertools/logger';
import { AnyOfKeys } from '../adapters/dynamodb/api-keys.js';
import { StaticAdminKey } from '../adapters/static-keys.js';
import type { ApiKeyVerifier } from '../app/auth.js';
import { type ApiHandler, createApiHandler } from '../http/api-handler.js';
import { buildOpenApi } from '../http/openapi.js';
import type { Route } from '../http/router.js';
import type { ApiDeps } from './deps.js';
import { accountingRoutes } from './routes/accounting.js';
import { alertRoutes } from './routes/alerts.js';
import { apiKeyRoutes } from './routes/api-keys.js';
import { billingRunRoutes } from './routes/billing-runs.js';
import { chargeRoutes } from './routes/charges.js';
import { creditNoteRoutes } from './routes/credit-notes.js';
import { creditRoutes } from './routes/credits.js';
import { customerRoutes } from './routes/customers.js';
import { deliveryRoutes } from './routes/deliveries.js';
import { dunningRoutes } from './routes/dunning.js';
import { entitlementRoutes } from './routes/entitlements.js';
import { eventRoutes } from './routes/events.js';
import { invoiceActionRoutes, invoiceRoutes } from './routes/invoices.js';
import { meterRoutes } from './routes/meters.js';
import { paymentRoutes } from './routes/payments.js';
import { planRoutes } from './routes/plans.js';
import { portalRoutes } from './routes/portal.js';
import { priceRoutes } from './routes/prices.js';
import { receivableRoutes } from './routes/receivables.js';
import { reportRoutes } from './routes/reports.js';
import { subscriptionRoutes } from './routes/subscriptions.js';
import { API_INFO, systemRoutes } from './routes/system.js';
import { usageRoutes } from './routes/usage.js';
import { webhookRoutes } from './routes/webhooks.js';

/**
 * The route table, one module per resource. No two path templates overlap, so the order decides
 * nothing in matching but the order of methods in a 405's Allow header; it is also the order of the
 * paths in GET /openapi.json, which is why invoice reads and invoice actions sit around billing runs.
 */
export function apiRoutes(): Route<ApiDeps>[] {
  const routes: Route<ApiDeps>[] = [];
  routes.push(
    ...systemRoutes<ApiDeps>(() => routes),
    ...priceRoutes<ApiDeps>(),
    ...meterRoutes(),
    ...customerRoutes(),
    ...creditRoutes(),
    ...chargeRoutes(),
    ...apiKeyRoutes(),
    ...eventRoutes(),
    ...usageRoutes(),
    ...entitlementRoutes(),
    ...planRoutes(),
    ...subscriptionRoutes(),
    ...invoiceRoutes(),
    ...billingRunRoutes(),
    ...invoiceActionRoutes(),
    ...creditNoteRoutes(),
    ...paymentRoutes(),
    ...deliveryRoutes(),
    ...dunningRoutes(),
    ...reportRoutes(),
    ...receivableRoutes(),
    ...accountingRoutes(),
    ...portalRoutes(),
    ...webhookRoutes(),
    ...alertRoutes(),
  );
  return routes;
}

/** The OpenAPI document GET /openapi.json serves, without a server (for generating the dashboard's types). */
export function apiDocument() {
  return buildOpenApi(apiRoutes(), API_INFO);
}

/** The HTTP API: the same function runs in Lambda (functions/handlers/api.ts) and behind `npm start`. */
export function buildApiHandler(deps: ApiDeps, logger = new Logger({ serviceName: 'billing-api' })): ApiHandler {
  const verifiers: ApiKeyVerifier[] = [];
  if (deps.config.adminApiKey) verifiers.push(StaticAdminKey.fromSecret(deps.config.adminApiKey));
  if (deps.config.adminKeySha256) verifiers.push(StaticAdminKey.fromSha256(deps.config.adminKeySha256));
  verifiers.push(deps.apiKeys);
  return createApiHandler({
    routes: apiRoutes(),
    deps,
    keys: new AnyOfKeys(verifiers),
    maxBodyBytes: deps.config.maxBodyBytes,
    checkResponses: deps.config.checkResponses,
    logger,
  });
}
