import { Duration } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { bindDeliveryQueue, bindEmailSender, bindSecrets, bindTable } from '../bindings.js';
import { BillingFunction } from './billing-function.js';
import type { EmailSender } from './email-sender.js';

export interface InvoiceDeliveryProps {
  readonly table: ITableV2;
  readonly emailSender: EmailSender;
  /** Stripe keys (the payment tasks), read at cold start. */
  readonly secrets: ISecret;
  /** Runtime configuration shared by all functions. */
  readonly environment: Readonly<Record<string, string>>;
  /** @default Duration.seconds(60) */
  readonly functionTimeout?: Duration;
  /**
   * Must be at least 6 x functionTimeout (AWS guidance for SQS event sources with batching).
   * @default 6 x functionTimeout
   */
  readonly visibilityTimeout?: Duration;
  /** Deliveries tried before a message moves to the dead-letter queue. @default 5 */
  readonly maxReceiveCount?: number;
  /**
   * Most concurrent delivery invocations (SQS event source maximum concurrency, 2-1000); keeps
   * SES under its send rate without reserving account concurrency.
   * @default 5
   */
  readonly maxConcurrency?: number;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * Finalized invoice -> SQS -> deliver function (render HTML + PDF, send through SES) -> DLQ after
 * maxReceiveCount failures. Partial batch failures are reported per message.
 */
export class InvoiceDelivery extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly deliverFunction: BillingFunction;

  constructor(scope: Construct, id: string, props: InvoiceDeliveryProps) {
    super(scope, id);
    const functionTimeout = props.functionTimeout ?? Duration.seconds(60);
    const visibilityTimeout = props.visibilityTimeout ?? Duration.seconds(functionTimeout.toSeconds() * 6);
    if (visibilityTimeout.toSeconds() < functionTimeout.toSeconds() * 6) {
      throw new Error(
        `${this.node.path}: visibilityTimeout (${visibilityTimeout.toSeconds()} s) must be at least 6 x the deliver function timeout (${functionTimeout.toSeconds()} s)`,
      );
    }
    const maxReceiveCount = props.maxReceiveCount ?? 5;
    if (!Number.isInteger(maxReceiveCount) || maxReceiveCount < 1 || maxReceiveCount > 1000) {
      throw new Error(`${this.node.path}: maxReceiveCount must be a whole number between 1 and 1000`);
    }
    const maxConcurrency = props.maxConcurrency ?? 5;
    if (!Number.isInteger(maxConcurrency) || maxConcurrency < 2 || maxConcurrency > 1000) {
      throw new Error(`${this.node.path}: maxConcurrency must be a whole number between 2 and 1000`);
    }

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout,
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount },
    });

    this.deliverFunction = new BillingFunction(this, 'Deliver', {
      handler: 'deliver',
      description: 'Renders invoice emails (HTML + PDF) and sends them through SES',
      environment: props.environment,
      memorySize: 1024,
      timeout: functionTimeout,
      logRetention: props.logRetention,
    });
    bindTable(this.deliverFunction, props.table, 'readWrite');
    bindEmailSender(this.deliverFunction, props.emailSender);
    // The payment tasks of the queue (collect, refund) call Stripe with the deployment's keys.
    bindSecrets(this.deliverFunction, props.secrets);
    // Webhooks: an event fans out to one message per endpoint, and a failed delivery is sent again.
    bindDeliveryQueue(this.deliverFunction, this.queue);
    this.deliverFunction.function.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 10,
        maxBatchingWindow: Duration.seconds(5),
        reportBatchItemFailures: true,
        maxConcurrency,
      }),
    );
  }
}
