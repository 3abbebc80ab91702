import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { sweepOutbox } from '../app/outbox-sweep.js';
import { type Env, loadConfig } from '../config.js';
import { createRuntime, once, type Platform } from './runtime.js';
import { sweepDeps } from './wiring/sweep.js';

/** The resources CDK binds to this function (variables that name them). */
export const bindings = ['BILLING_TABLE_NAME', 'BILLING_DELIVERY_QUEUE_URL'] as const;

/**
 * The scheduled outbox sweep. The EventBridge event carries nothing the sweep reads; `{"all": true}`
 * (what `npm start` sends at start-up, when its in-memory queue was lost) sweeps every owed email.
 */
export function createHandler(env?: Env, platform?: Platform) {
  const runtime = createRuntime(loadConfig(env), platform);
  const logger = runtime.logger('billing-outbox-sweep');
  // Made on the first sweep: without a queue the function fails then, naming the variable.
  const deps = once(() => sweepDeps(runtime));
  return middy(async (event: unknown) => {
    const all = typeof event === 'object' && event !== null && (event as { all?: unknown }).all === true;
    const result = await sweepOutbox(deps(), { all });
    logger.info('outbox swept', { ...result });
    return result;
  }).use(injectLambdaContext(logger));
}

/** Lambda entry: the scheduled outbox sweep (EventBridge rule). */
export const handler = createHandler();
