import {
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { DeliveryKind } from '../../app/ports/invoices.js';
import type { BillingConfig } from '../../config.js';

/** The body of a delivery message: which email is owed for which invoice. */
export interface DeliveryMessage {
  invoice_id: string;
  kind: DeliveryKind;
}

/** One client per process. Locally (an endpoint is set) any credentials do. */
export function createSqsClient(config: Pick<BillingConfig, 'sqsEndpoint' | 'region'>): SQSClient {
  return new SQSClient({
    region: config.region,
    maxAttempts: 4,
    retryMode: 'standard',
    ...(config.sqsEndpoint
      ? { endpoint: config.sqsEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
}

/** Producer side of the delivery queue, and the visibility change a failed delivery uses to back off. */
export class DeliveryQueue {
  constructor(
    private readonly client: SQSClient,
    readonly queueUrl: string,
  ) {}

  /** `delaySeconds` (at most 900, SQS's limit): the message becomes visible that much later. */
  async send(invoiceId: string, kind: DeliveryKind, delaySeconds?: number): Promise<void> {
    const body: DeliveryMessage = { invoice_id: invoiceId, kind };
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(body),
        ...(delaySeconds ? { DelaySeconds: Math.max(0, Math.min(900, Math.round(delaySeconds))) } : {}),
      }),
    );
  }

  /** Makes a received message visible again after `seconds` (the retry delay). */
  async retryAfter(receiptHandle: string, seconds: number, queueUrl = this.queueUrl): Promise<void> {
    await this.client.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: queueUrl,
        ReceiptHandle: receiptHandle,
        VisibilityTimeout: Math.max(0, Math.min(43_200, Math.round(seconds))),
      }),
    );
  }
}

/** A message parked in the dead-letter queue, as the admin API shows it. */
export interface DeadLetter {
  messageId: string;
  body: string;
  /** The parsed body when it is a delivery message. */
  message?: DeliveryMessage;
  receiveCount: number;
  sentAt?: string;
}

/** How long a peek hides the messages it read (then makes them visible again at once). */
const PEEK_VISIBILITY_SECONDS = 30;

export function parseDeliveryMessage(body: string): DeliveryMessage | undefined {
  try {
    const value = JSON.parse(body) as Partial<DeliveryMessage> | null;
    if (
      value &&
      typeof value.invoice_id === 'string' &&
      value.invoice_id !== '' &&
      (value.kind === 'invoice' ||
        value.kind === 'void' ||
        value.kind === 'credit_note' ||
        value.kind === 'reminder' ||
        value.kind === 'webhook' ||
        value.kind === 'alert' ||
        value.kind === 'payment' ||
        value.kind === 'refund')
    ) {
      return { invoice_id: value.invoice_id, kind: value.kind };
    }
  } catch {
    // not JSON
  }
  return undefined;
}

/** The dead-letter queue of delivery: list what is parked there, move it back to the delivery queue. */
export class DeadLetterQueue {
  constructor(
    private readonly client: SQSClient,
    readonly queueUrl: string,
    readonly targetQueueUrl: string,
  ) {}

  private async receiveAll(limit: number): Promise<Message[]> {
    const seen = new Map<string, Message>();
    while (seen.size < limit) {
      const page = await this.client.send(
        new ReceiveMessageCommand({
          QueueUrl: this.queueUrl,
          MaxNumberOfMessages: Math.min(10, limit - seen.size),
          WaitTimeSeconds: 0,
          VisibilityTimeout: PEEK_VISIBILITY_SECONDS,
          AttributeNames: ['All'],
        }),
      );
      const fresh = (page.Messages ?? []).filter((m) => m.MessageId && !seen.has(m.MessageId));
      if (fresh.length === 0) break;
      for (const message of fresh) seen.set(message.MessageId!, message);
    }
    return [...seen.values()];
  }

  /**
   * Reads up to `limit` parked messages without consuming them: they are received (hidden) while
   * read, then made visible again.
   */
  async list(limit = 100): Promise<DeadLetter[]> {
    const messages = await this.receiveAll(limit);
    await Promise.all(
      messages.map((m) =>
        this.client
          .send(
            new ChangeMessageVisibilityCommand({
              QueueUrl: this.queueUrl,
              ReceiptHandle: m.ReceiptHandle,
              VisibilityTimeout: 0,
            }),
          )
          .catch(() => undefined),
      ),
    );
    return messages.map((m) => {
      const body = m.Body ?? '';
      const message = parseDeliveryMessage(body);
      const sent = Number(m.Attributes?.SentTimestamp);
      return {
        messageId: m.MessageId ?? '',
        body,
        ...(message ? { message } : {}),
        receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? 0),
        ...(Number.isFinite(sent) && sent > 0 ? { sentAt: new Date(sent).toISOString() } : {}),
      };
    });
  }

  /**
   * Moves parked messages back to the delivery queue (all, or the given message ids): each is sent
   * again (a new message, receive count 0) and then deleted from the dead-letter queue. A crash in
   * between leaves a copy in both queues; delivery skips what was sent, so that costs no email.
   */
  async redrive(options: { messageIds?: readonly string[]; limit?: number } = {}): Promise<string[]> {
    const wanted = options.messageIds ? new Set(options.messageIds) : undefined;
    const messages = await this.receiveAll(options.limit ?? 1000);
    const moved: Message[] = [];
    const keep: Message[] = [];
    for (const message of messages) (wanted && !wanted.has(message.MessageId ?? '') ? keep : moved).push(message);
    for (const message of moved) {
      await this.client.send(
        new SendMessageCommand({ QueueUrl: this.targetQueueUrl, MessageBody: message.Body ?? '' }),
      );
    }
    for (let i = 0; i < moved.length; i += 10) {
      await this.client.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: moved.slice(i, i + 10).map((m, index) => ({ Id: String(index), ReceiptHandle: m.ReceiptHandle })),
        }),
      );
    }
    await Promise.all(
      keep.map((m) =>
        this.client
          .send(
            new ChangeMessageVisibilityCommand({
              QueueUrl: this.queueUrl,
              ReceiptHandle: m.ReceiptHandle,
              VisibilityTimeout: 0,
            }),
          )
          .catch(() => undefined),
      ),
    );
    return moved.map((m) => m.MessageId ?? '');
  }
}
