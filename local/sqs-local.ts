import type { Server } from 'node:http';
import { createSqsServer } from 'local-aws-sqs';
import { freePort } from './ports.js';

/** The local SQS server (local-aws-sqs, in memory) with the delivery queue and its dead-letter queue. */
export interface SqsLocal {
  endpoint: string;
  /**
   * local-aws-sqs counts a ChangeMessageVisibility as one more receive (it bumps
   * ApproximateReceiveCount), and every failed delivery sets its retry delay that way: so the
   * queue's maxReceiveCount is twice the wanted number of deliveries, and a poller maps the count back.
   */
  readonly receivesPerDelivery: 2;
  port: number;
  deliveryQueueUrl: string;
  deadLetterQueueUrl: string;
  stop(): Promise<void>;
}

export interface SqsLocalOptions {
  port?: number;
  host?: string;
  /** Receives before a message moves to the DLQ. @default 5 */
  maxReceiveCount?: number;
  /** Default visibility timeout of the delivery queue in seconds; a failed delivery sets its own. @default 60 */
  visibilityTimeoutSeconds?: number;
}

const ACCOUNT = '000000000000';
const REGION = 'us-east-1';
export const DELIVERY_QUEUE = 'billing-delivery';
export const DEAD_LETTER_QUEUE = 'billing-delivery-dlq';

export async function startSqsLocal(options: SqsLocalOptions = {}): Promise<SqsLocal> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? (await freePort());
  const server: Server = await createSqsServer({
    port,
    hostname: host,
    region: REGION,
    accountId: ACCOUNT,
    emulateQueueCreationLifecycle: false,
    queues: [
      { QueueName: DEAD_LETTER_QUEUE, Attributes: { MessageRetentionPeriod: 14 * 24 * 3600 } },
      {
        QueueName: DELIVERY_QUEUE,
        Attributes: {
          VisibilityTimeout: options.visibilityTimeoutSeconds ?? 60,
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:${DEAD_LETTER_QUEUE}`,
            maxReceiveCount: 2 * (options.maxReceiveCount ?? 5),
          }),
        },
      },
    ],
  });
  const endpoint = `http://${host}:${port}`;
  return {
    endpoint,
    receivesPerDelivery: 2,
    port,
    deliveryQueueUrl: `${endpoint}/${ACCOUNT}/${DELIVERY_QUEUE}`,
    deadLetterQueueUrl: `${endpoint}/${ACCOUNT}/${DEAD_LETTER_QUEUE}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
