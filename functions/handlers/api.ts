import { withSecrets } from '../adapters/aws/secrets.js';
import { type Env, loadConfig } from '../config.js';
import { buildApiHandler } from './api-app.js';
import { createRuntime, type Platform } from './runtime.js';
import { apiDeps } from './wiring/api.js';

/** The resources CDK binds to this function (variables that name them); lib/ grants exactly these. */
export const bindings = [
  'BILLING_TABLE_NAME',
  'BILLING_EVENTS_TABLE_NAME',
  'BILLING_SECRETS_ARN',
  'BILLING_DELIVERY_QUEUE_URL',
  'BILLING_DEAD_LETTER_QUEUE_URL',
  'BILLING_STATE_MACHINE_ARN',
  'BILLING_ESTIMATES_FUNCTION_NAME',
  'BILLING_ARCHIVE_BUCKET',
  'BILLING_DOCUMENTS_FUNCTION_NAME',
  'BILLING_ARCHIVE_FUNCTION_NAME',
] as const;

/** The HTTP API handler for an environment: Lambda's own (below), or the one `npm start` resolves from the template. */
export function createHandler(env?: Env, platform?: Platform) {
  const runtime = createRuntime(loadConfig(env), platform);
  return buildApiHandler(apiDeps(runtime), runtime.logger('billing-api'));
}

/** Lambda entry of the HTTP API (API Gateway HTTP API, payload 2.0). Clients are built once per container. */
export const handler = createHandler(await withSecrets());
