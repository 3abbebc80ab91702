import { withSecrets } from '../adapters/aws/secrets.js';
import { type Env, loadConfig } from '../config.js';
import { createDeliveryHandler } from './delivery-handler.js';
import { createRuntime, type Platform } from './runtime.js';
import { deliveryDeps } from './wiring/delivery.js';

/** The resources CDK binds to this function (variables that name them). */
export const bindings = [
  'BILLING_TABLE_NAME',
  'BILLING_SES_CONFIGURATION_SET',
  'BILLING_SECRETS_ARN',
  // Webhooks: the fan-out and the retries send to the queue.
  'BILLING_DELIVERY_QUEUE_URL',
  // The attachments: PDFs and e-invoices from the documents function.
  'BILLING_DOCUMENTS_FUNCTION_NAME',
  // Every webhook event is also put on the deployment's EventBridge bus, once, at its fan-out.
  'BILLING_EVENT_BUS_NAME',
] as const;

export function createHandler(env?: Env, platform?: Platform) {
  return createDeliveryHandler(deliveryDeps(createRuntime(loadConfig(env), platform)));
}

/** Lambda entry: the SQS event source of the delivery queue (partial batch responses). */
export const handler = createHandler(await withSecrets());
