import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { refreshEstimates } from '../app/estimates.js';
import { type Env, loadConfig } from '../config.js';
import { createRuntime, type Platform } from './runtime.js';
import { refreshDeps } from './wiring/estimates.js';

/** The resources CDK binds to this function (variables that name them). */
/** The queue: usage alerts the refresh fires are handed to delivery at once (webhook and email). */
export const bindings = ['BILLING_TABLE_NAME', 'BILLING_ARCHIVE_BUCKET', 'BILLING_DELIVERY_QUEUE_URL'] as const;

export function createHandler(env?: Env, platform?: Platform) {
  const runtime = createRuntime(loadConfig(env), platform);
  const logger = runtime.logger('billing-estimates');
  return middy(async () => {
    const snapshot = await refreshEstimates(refreshDeps(runtime));
    const summary = {
      as_of: snapshot.as_of,
      subscriptions: snapshot.subscriptions,
      failed: snapshot.failed.length,
      duration_ms: snapshot.duration_ms,
    };
    if (snapshot.failed.length > 0) logger.warn('some subscriptions could not be rated', { failed: snapshot.failed });
    logger.info('estimates refreshed', summary);
    return summary;
  }).use(injectLambdaContext(logger));
}

/** Lambda entry: the scheduled refresh of the current-period estimates (EventBridge rule). */
export const handler = createHandler();
