import { DeleteMessageBatchCommand, type Message, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import type { DeliveryHandler } from '../functions/handlers/delivery-handler.js';
import { lambdaContext } from './http-adapter.js';

/**
 * The local stand-in for Lambda's SQS event source mapping: receives batches from the delivery queue,
 * calls the delivery handler with the same SQSEvent Lambda builds, and deletes the records the
 * handler did not report in `batchItemFailures` (those come back after the visibility timeout the
 * handler set). Short polls with a pause when the queue is empty (local-aws-sqs's long poll with
 * several messages waits the whole wait time).
 */
export interface DeliveryPollerOptions {
  sqs: SQSClient;
  queueUrl: string;
  handler: DeliveryHandler;
  /** Pause after an empty receive. @default 200 */
  pollIntervalMs?: number;
  /** Batches handled at once. @default 2 */
  concurrency?: number;
  /** Records per batch (SQS allows 1-10). @default 10 */
  batchSize?: number;
  region?: string;
  /**
   * How many times the queue counts one failed delivery (local-aws-sqs: 2, as the retry delay's
   * ChangeMessageVisibility counts as a receive); the handler sees the count of deliveries. @default 1
   */
  receivesPerDelivery?: number;
  onError?: (error: unknown) => void;
}

export interface DeliveryPoller {
  readonly running: boolean;
  start(): void;
  /** Stops polling; resolves when the batches in hand are done. */
  stop(): Promise<void>;
}

/** http://host:port/ACCOUNT/NAME → arn:aws:sqs:REGION:ACCOUNT:NAME */
function queueArn(queueUrl: string, region: string): string {
  const [account = '000000000000', name = 'queue'] = new URL(queueUrl).pathname.split('/').filter(Boolean);
  return `arn:aws:sqs:${region}:${account}:${name}`;
}

export function toSqsRecord(
  message: Message,
  eventSourceARN: string,
  region: string,
  receivesPerDelivery = 1,
): SQSRecord {
  const attributes = message.Attributes ?? {};
  const receives = Number(attributes.ApproximateReceiveCount ?? '1') || 1;
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: String(Math.ceil(receives / receivesPerDelivery)),
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? 'local',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN,
    awsRegion: region,
  };
}

export function startDeliveryPoller(options: DeliveryPollerOptions): DeliveryPoller {
  const region = options.region ?? 'us-east-1';
  const arn = queueArn(options.queueUrl, region);
  const interval = options.pollIntervalMs ?? 200;
  const onError =
    options.onError ?? ((error: unknown) => process.stderr.write(`delivery poller: ${(error as Error).message}\n`));
  let running = false;
  let workers: Promise<void>[] = [];
  const sleepers = new Set<() => void>();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      sleepers.add(wake);
    });

  const pollOnce = async (): Promise<number> => {
    const received = await options.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: options.queueUrl,
        MaxNumberOfMessages: options.batchSize ?? 10,
        WaitTimeSeconds: 0,
        AttributeNames: ['All'],
      }),
    );
    const messages = received.Messages ?? [];
    if (messages.length === 0) return 0;
    const event: SQSEvent = { Records: messages.map((m) => toSqsRecord(m, arn, region, options.receivesPerDelivery)) };
    let failed: Set<string>;
    try {
      const response = await options.handler(event, lambdaContext(`poll-${Date.now()}`, 'billing-deliver-local'));
      failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch (error) {
      // The whole invocation failed (as in Lambda): every record comes back after its visibility timeout.
      onError(error);
      return messages.length;
    }
    const done = event.Records.filter((r) => !failed.has(r.messageId));
    for (let i = 0; i < done.length; i += 10) {
      await options.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: options.queueUrl,
          Entries: done.slice(i, i + 10).map((r, index) => ({ Id: String(index), ReceiptHandle: r.receiptHandle })),
        }),
      );
    }
    return messages.length;
  };

  const work = async () => {
    while (running) {
      let count = 0;
      try {
        count = await pollOnce();
      } catch (error) {
        if (running) onError(error);
      }
      if (count === 0 && running) await sleep(interval);
    }
  };

  const poller: DeliveryPoller = {
    get running() {
      return running;
    },
    start() {
      if (running) return;
      running = true;
      workers = Array.from({ length: options.concurrency ?? 2 }, () => work());
    },
    async stop() {
      running = false;
      for (const wake of [...sleepers]) wake();
      await Promise.all(workers);
      workers = [];
    },
  };
  poller.start();
  return poller;
}
