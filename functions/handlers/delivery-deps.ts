import { createHealthCheck } from '../adapters/health.js';
import { createSqsClient, DeadLetterQueue, DeliveryQueue } from '../adapters/sqs/delivery-queue.js';
import type { ApiDeps } from './deps.js';

/** Adds the SQS hand-over of finalized invoices when a delivery queue is configured. */
export function withDelivery(deps: ApiDeps): ApiDeps {
  const { config } = deps;
  if (!config.deliveryQueueUrl) return deps;
  const sqs = createSqsClient(config);
  const queue = new DeliveryQueue(sqs, config.deliveryQueueUrl);
  return {
    ...deps,
    // The email is owed (outbox) before it is handed over: a lost message is found by the sweep.
    enqueueDelivery: async (invoice) => {
      if (invoice.delivery.status !== 'pending') return;
      await deps.invoices.addToOutbox(invoice.id, 'invoice', deps.clock());
      await queue.send(invoice.id, 'invoice');
    },
    deliveryQueue: queue,
    health: createHealthCheck({
      dynamo: deps.dynamo,
      tableName: config.tableName,
      sqs: { client: sqs, queueUrl: config.deliveryQueueUrl },
    }),
    ...(config.deadLetterQueueUrl
      ? { deadLetters: new DeadLetterQueue(sqs, config.deadLetterQueueUrl, config.deliveryQueueUrl) }
      : {}),
  };
}
