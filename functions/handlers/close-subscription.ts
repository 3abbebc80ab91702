import { type Env, loadConfig } from '../config.js';
import { closeSteps, lambdaStep } from './close-steps.js';
import { createRuntime, type Platform } from './runtime.js';
import { closeDeps } from './wiring/close.js';

/** The resources CDK binds to this function (variables that name them). */
export const bindings = [
  'BILLING_TABLE_NAME',
  'BILLING_EVENTS_TABLE_NAME',
  'BILLING_DELIVERY_QUEUE_URL',
  'BILLING_ARCHIVE_BUCKET',
] as const;

export function createHandler(env?: Env, platform?: Platform) {
  const runtime = createRuntime(loadConfig(env), platform);
  return lambdaStep(closeSteps(closeDeps(runtime)).closeSubscription, runtime.logger('billing-close'));
}

/** Lambda entry: the close workflow's CloseSubscriptionPeriod task. */
export const handler = createHandler();
