import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { sweepOutbox } from '../app/outbox-sweep.js';
import { loadConfig } from '../config.js';
import { withDelivery } from './delivery-deps.js';
import { buildDeps } from './deps.js';

const deps = withDelivery(buildDeps(loadConfig()));
const logger = new Logger({ serviceName: 'billing-outbox-sweep' });

/** Lambda entry: the scheduled outbox sweep (EventBridge rule). */
export const handler = middy(async () => {
  const queue = deps.deliveryQueue;
  if (!queue) throw new Error('BILLING_DELIVERY_QUEUE_URL is not set: the outbox sweep has no queue to hand emails to');
  const result = await sweepOutbox({ ...deps, deliveryQueue: queue });
  logger.info('outbox swept', { ...result });
  return result;
}).use(injectLambdaContext(logger));
