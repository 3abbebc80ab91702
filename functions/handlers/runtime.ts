import { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { invokedRenderer } from '../adapters/aws/documents-function.js';
import { syncInvoker } from '../adapters/aws/lambda-invoke.js';
import { AlertStore } from '../adapters/dynamodb/alerts.js';
import { ApiKeyStore } from '../adapters/dynamodb/api-keys.js';
import { ChargeStore } from '../adapters/dynamodb/charges.js';
import { createDynamoClient } from '../adapters/dynamodb/client.js';
import { CreditNoteStore } from '../adapters/dynamodb/credit-notes.js';
import { CreditStore } from '../adapters/dynamodb/credits.js';
import { CustomerStore, sealCustomer } from '../adapters/dynamodb/customers.js';
import { EstimateStore } from '../adapters/dynamodb/estimates.js';
import { announceCreatedEvents } from '../adapters/dynamodb/event-announcer.js';
import { InvoiceStore } from '../adapters/dynamodb/invoices.js';
import { MeterStore } from '../adapters/dynamodb/meters.js';
import { PaymentStore } from '../adapters/dynamodb/payments.js';
import { PlanStore } from '../adapters/dynamodb/plans.js';
import { RevenueStore } from '../adapters/dynamodb/revenue.js';
import { RunStore } from '../adapters/dynamodb/runs.js';
import { StatsStore } from '../adapters/dynamodb/stats.js';
import { SubscriptionStore } from '../adapters/dynamodb/subscriptions.js';
import { UsageStore } from '../adapters/dynamodb/usage.js';
import { recordAllEvents, WebhookStore } from '../adapters/dynamodb/webhooks.js';
import { createS3Client } from '../adapters/s3/client.js';
import { EventArchive } from '../adapters/s3/event-archive.js';
import { createSqsClient, DeliveryQueue } from '../adapters/sqs/delivery-queue.js';
import type { CloseDeps } from '../app/close-period.js';
import type { DunningPayments } from '../app/dunning.js';
import { NotConfiguredError } from '../app/errors.js';
import type { Clock } from '../app/ports/clock.js';
import type { DocumentRenderer } from '../app/ports/documents.js';
import type { Mailer } from '../app/ports/mailer.js';
import type { WorkflowStarter } from '../app/ports/workflow.js';
import { type BillingConfig, ConfigError } from '../config.js';
import { amountRemainingOf } from '../domain/billing/payment.js';
import type { Invoice } from '../domain/invoice.js';

/**
 * What differs between AWS and `npm start` besides the configuration: how the close workflow named
 * by BILLING_STATE_MACHINE_ARN is started, how the function named by BILLING_ESTIMATES_FUNCTION_NAME
 * is invoked, and (for tests) the clock, the mailer and crash hooks. Everything else, including
 * which queue, table and endpoints, comes from the configuration alone.
 */
export interface Platform {
  clock?: Clock;
  /** Starts runs of the state machine with this ARN. Default: Step Functions. */
  workflow?: (stateMachineArn: string) => WorkflowStarter;
  /** Invokes the function with this name without waiting. Default: Lambda's asynchronous invocation. */
  invokeAsync?: (functionName: string) => { trigger(): Promise<void> };
  /** Invokes the function with this name and waits for its answer. Default: Lambda's synchronous invocation. */
  invoke?: (functionName: string) => (event: unknown) => Promise<unknown>;
  /** Default: SES (SESv2 SendEmail with the raw MIME message). */
  mailer?: Mailer;
  /** Log level of the handlers' loggers (Powertools reads POWERTOOLS_LOG_LEVEL otherwise). */
  logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
  /** Test hook of the close (crash injection). */
  crashAfter?: CloseDeps['crashAfter'];
  /**
   * Told of every AWS SDK client the runtime makes, so a host that outlives its functions (`npm
   * start`, tests) can close their connections when it stops. Lambda needs nothing: the container ends.
   */
  track?: (client: { destroy(): void }) => void;
  /** Retries collecting overdue invoices (dunning `retry` steps). Absent: those steps are skipped. */
  dunningPayments?: DunningPayments;
}

/** A setting a function cannot run without, named by its environment variable. */
export function required(value: string | undefined, variable: string, who: string): string {
  if (!value) throw new ConfigError(`${variable} is not set: ${who} needs it`);
  return value;
}

/** Builds `create()` once, on first use. */
export function once<T>(create: () => T): () => T {
  let made: { value: T } | undefined;
  return () => {
    made ??= { value: create() };
    return made.value;
  };
}

/**
 * The composition root: every Lambda entry and `npm start` build their dependencies from this core
 * (clients, stores, the delivery hand-over), made from the typed configuration (functions/config.ts)
 * and the platform, and one wiring module per function (handlers/wiring/): what that function needs
 * and no more, so its bundle holds no renderer or schema it never uses. Clients and stores are made
 * on first use. Wherever the configuration names the delivery queue, finalized, voided and re-sent
 * invoices are handed to it at once.
 */
export function createRuntime(config: BillingConfig, platform: Platform = {}) {
  const clock = platform.clock ?? (() => new Date());
  const table = config.tableName;
  const tracked = <T extends { destroy(): void }>(client: T): T => {
    platform.track?.(client);
    return client;
  };
  const dynamo = once((): DynamoDBClient => {
    const client = tracked(createDynamoClient(config));
    // With an event bus every change's event is written, endpoint or not.
    if (config.recordAllEvents) recordAllEvents(client);
    // Fast delivery: a committed event's fan-out goes to the queue at once (the sweep is the backstop).
    if (config.deliveryQueueUrl)
      announceCreatedEvents(
        client,
        (eventId) => deliveryQueue()?.send(eventId, 'webhook') ?? Promise.resolve(),
        (error, eventId) =>
          logger('billing-webhooks').warn('could not hand a new webhook event to the queue (the sweep will)', {
            eventId,
            error: error as Error,
          }),
      );
    return client;
  });
  const sqs = once((): SQSClient => tracked(createSqsClient(config)));
  const s3 = once((): S3Client => tracked(createS3Client(config)));
  /** The event archive, where the configuration names its bucket. */
  const archive = once(() => (config.archiveBucket ? new EventArchive(s3(), config.archiveBucket) : undefined));
  const stores = {
    meters: once(() => new MeterStore(dynamo(), table)),
    customers: once(() => new CustomerStore(dynamo(), table, clock)),
    apiKeys: once(() => new ApiKeyStore(dynamo(), table, clock)),
    usage: once(
      () =>
        new UsageStore(
          dynamo(),
          {
            table,
            events: config.eventsTableName,
            ...(config.legacyEventDedupe ? { legacyEvents: table } : {}),
          },
          clock,
          archive(),
          (message, details) => logger('billing-usage').warn(message, details),
        ),
    ),
    plans: once(() => new PlanStore(dynamo(), table)),
    subscriptions: once(() => new SubscriptionStore(dynamo(), table)),
    invoices: once(() => new InvoiceStore(dynamo(), table, clock)),
    runs: once(() => new RunStore(dynamo(), table)),
    stats: once(() => new StatsStore(dynamo(), table)),
    revenue: once(() => new RevenueStore(dynamo(), table)),
    estimates: once(() => new EstimateStore(dynamo(), table)),
    credits: once(() => new CreditStore(dynamo(), table)),
    charges: once(() => new ChargeStore(dynamo(), table)),
    creditNotes: once(() => new CreditNoteStore(dynamo(), table)),
    payments: once(() => new PaymentStore(dynamo(), table)),
    webhooks: once(() => new WebhookStore(dynamo(), table, clock)),
    alerts: once(() => new AlertStore(dynamo(), table)),
  };
  const seal = (customerId: string, through: Date) => sealCustomer(dynamo(), table, customerId, through);
  const deliveryQueue = once(() =>
    config.deliveryQueueUrl ? new DeliveryQueue(sqs(), config.deliveryQueueUrl) : undefined,
  );
  /** The email is owed (outbox) before it is handed over: a lost message is found by the sweep. */
  const enqueueDelivery = once(() => {
    const queue = deliveryQueue();
    if (!queue) return undefined;
    return async (invoice: Invoice) => {
      if (invoice.delivery.status === 'pending') {
        await stores.invoices().addToOutbox(invoice.id, 'invoice', clock());
        await queue.send(invoice.id, 'invoice');
      }
      // Owed in the finalize transaction (outbox); handed over here, once, before any attempt.
      if (invoice.collection === 'automatic' && !invoice.paymentAttempts?.length && amountRemainingOf(invoice).gt(0))
        await queue.send(invoice.id, 'payment');
    };
  });
  /** PDFs and e-invoices come from the documents function named by BILLING_DOCUMENTS_FUNCTION_NAME. */
  const documents = once((): DocumentRenderer => {
    const name = config.documentsFunctionName;
    if (!name)
      return {
        render: async () => {
          throw new NotConfiguredError('BILLING_DOCUMENTS_FUNCTION_NAME is not set: documents cannot be rendered');
        },
      };
    return invokedRenderer((platform.invoke ?? syncInvoker)(name));
  });
  const logger = (serviceName: string) =>
    new Logger({ serviceName, ...(platform.logLevel ? { logLevel: platform.logLevel } : {}) });

  return {
    config,
    clock,
    platform,
    table,
    dynamo,
    sqs,
    s3,
    archive,
    tracked,
    stores,
    seal,
    deliveryQueue,
    enqueueDelivery,
    documents,
    logger,
  };
}

export type Runtime = ReturnType<typeof createRuntime>;
