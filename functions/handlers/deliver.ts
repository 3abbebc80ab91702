import { createDeliveryHandler, deliveryHandlerDeps } from '../adapters/sqs/delivery-handler.js';
import { loadConfig } from '../config.js';
import { buildDeps } from './deps.js';

/** Lambda entry: the SQS event source of the delivery queue (partial batch responses). */
export const handler = createDeliveryHandler(deliveryHandlerDeps(buildDeps(loadConfig())));
