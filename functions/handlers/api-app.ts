import { Logger } from '@aws-lambda-powertools/logger';
import { AnyOfKeys } from '../adapters/dynamodb/api-keys.js';
import { StaticAdminKey } from '../adapters/static-keys.js';
import type { ApiKeyVerifier } from '../app/auth.js';
import { type ApiHandler, createApiHandler } from '../http/api-handler.js';
import type { Route } from '../http/router.js';
import type { ApiDeps } from './deps.js';
import { billingRoutes } from './routes/billing.js';
import { invoiceRoutes } from './routes/invoices.js';
import { meteringRoutes } from './routes/metering.js';
import { priceRoutes } from './routes/prices.js';
import { reportRoutes } from './routes/reports.js';
import { systemRoutes } from './routes/system.js';

export function apiRoutes(): Route<ApiDeps>[] {
  const routes: Route<ApiDeps>[] = [];
  routes.push(
    ...systemRoutes<ApiDeps>(() => routes),
    ...priceRoutes<ApiDeps>(),
    ...meteringRoutes(),
    ...billingRoutes(),
    ...invoiceRoutes(),
    ...reportRoutes(),
  );
  return routes;
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
    logger,
  });
}
