import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { withSecrets } from '../adapters/aws/secrets.js';
import { runDunning } from '../app/dunning.js';
import { type Env, loadConfig } from '../config.js';
import { createRuntime, once, type Platform } from './runtime.js';
import { dunningRunDeps } from './wiring/dunning.js';

/** The resources CDK binds to this function (variables that name them). */
export const bindings = ['BILLING_TABLE_NAME', 'BILLING_DELIVERY_QUEUE_URL', 'BILLING_SECRETS_ARN'] as const;

/**
 * The scheduled dunning run (EventBridge rule): the due steps of every overdue invoice, each exactly
 * once; suspensions lifted where nothing overdue is owed any more. The event carries nothing it reads.
 */
export function createHandler(env?: Env, platform?: Platform) {
  const runtime = createRuntime(loadConfig(env), platform);
  const logger = runtime.logger('billing-dunning');
  const deps = once(() => dunningRunDeps(runtime));
  return middy(async () => {
    const result = await runDunning(deps(), runtime.clock());
    const summary = {
      ran_at: result.ranAt,
      invoices: result.invoices,
      steps: result.steps.length,
      failed: result.steps.filter((step) => step.status === 'failed').length,
      suspended: result.suspended.length,
      unsuspended: result.unsuspended.length,
      errors: result.errors.length,
    };
    if (summary.failed > 0)
      logger.warn('some dunning steps failed', { failed: result.steps.filter((step) => step.status === 'failed') });
    if (result.errors.length > 0) logger.error('some invoices could not be dunned', { errors: result.errors });
    logger.info('dunning ran', summary);
    return summary;
  }).use(injectLambdaContext(logger));
}

/** Lambda entry: the scheduled dunning run. */
export const handler = createHandler(await withSecrets());
