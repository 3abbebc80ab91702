import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { refreshEstimates } from '../app/estimates.js';
import { loadConfig } from '../config.js';
import { buildDeps } from './deps.js';
import { estimateDeps } from './estimate-deps.js';

const deps = buildDeps(loadConfig());
const logger = new Logger({ serviceName: 'billing-estimates' });

/** Lambda entry: the scheduled refresh of the current-period estimates (EventBridge rule). */
export const handler = middy(async () => {
  const snapshot = await refreshEstimates(estimateDeps(deps));
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
