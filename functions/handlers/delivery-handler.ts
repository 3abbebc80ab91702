import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { type DeliveryQueue, parseDeliveryMessage } from '../adapters/sqs/delivery-queue.js';
import { type DeliverDeps, deliverInvoice, retryDelaySeconds, UndeliverableError } from '../app/deliver-invoice.js';
import { WebhookRetryError } from '../app/webhooks.js';
import type { BillingConfig } from '../config.js';

/**
 * The driving side of the delivery queue: an SQS batch (Lambda's event source mapping, or the local
 * poller) in, one deliverInvoice per record, partial batch failures out.
 */
export interface DeliveryHandlerDeps extends DeliverDeps {
  config: Pick<
    BillingConfig,
    'senderEmail' | 'deliveryQueueUrl' | 'deliveryRetryBaseSeconds' | 'deliveryRetryMaxSeconds' | 'region'
  >;
  /** Backs a failed message off (ChangeMessageVisibility). */
  queue: Pick<DeliveryQueue, 'retryAfter'>;
  logger: Logger;
}

/** arn:aws:sqs:REGION:ACCOUNT:NAME → its queue URL (when the function is not told the URL). */
function queueUrlOf(record: SQSRecord, configured: string | undefined): string {
  if (configured) return configured;
  const [, , , region, account, name] = record.eventSourceARN.split(':');
  return `https://sqs.${region}.amazonaws.com/${account}/${name}`;
}

export type DeliveryHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/**
 * The delivery function: one SQS batch, each record delivered on its own; failed records are reported
 * (partial batch response) after their visibility is set to the retry delay, so SQS backs off
 * exponentially and moves a message to the DLQ after the queue's maxReceiveCount.
 */
export function createDeliveryHandler(deps: DeliveryHandlerDeps): DeliveryHandler {
  const { config, logger } = deps;
  const recordHandler = async (record: SQSRecord) => {
    const receiveCount = Number(record.attributes.ApproximateReceiveCount ?? '1') || 1;
    try {
      const message = parseDeliveryMessage(record.body);
      if (!message) throw new UndeliverableError(`not a delivery message: ${record.body.slice(0, 200)}`);
      const outcome = await deliverInvoice(deps, { invoiceId: message.invoice_id, kind: message.kind });
      logger.info('delivery', { ...outcome, sqsMessageId: record.messageId, receiveCount });
      return outcome;
    } catch (error) {
      // A webhook keeps its own schedule (functions/app/webhooks.ts); everything else backs off exponentially.
      const delay =
        error instanceof WebhookRetryError
          ? error.retryInSeconds
          : retryDelaySeconds(receiveCount, config.deliveryRetryBaseSeconds, config.deliveryRetryMaxSeconds);
      logger.warn('delivery failed', {
        sqsMessageId: record.messageId,
        receiveCount,
        retryInSeconds: delay,
        error: error as Error,
      });
      await deps.queue
        .retryAfter(record.receiptHandle, delay, queueUrlOf(record, config.deliveryQueueUrl))
        .catch((visibilityError: unknown) =>
          logger.warn('could not set the retry delay', { error: visibilityError as Error }),
        );
      throw error;
    }
  };
  const handle = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
    processPartialResponse(event, recordHandler, new BatchProcessor(EventType.SQS), {
      context,
      throwOnFullBatchFailure: false,
    });
  return middy(handle).use(injectLambdaContext(logger)) as unknown as DeliveryHandler;
}
