import { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { asyncInvoker } from '../adapters/aws/lambda-invoke.js';
import { stepFunctionsWorkflow } from '../adapters/aws/step-functions.js';
import { ApiKeyStore } from '../adapters/dynamodb/api-keys.js';
import { InvoiceStore, PlanStore, RunStore, SubscriptionStore, sealCustomer } from '../adapters/dynamodb/billing.js';
import { createDynamoClient } from '../adapters/dynamodb/client.js';
import { CustomerStore, MeterStore } from '../adapters/dynamodb/entities.js';
import { EstimateStore } from '../adapters/dynamodb/estimates.js';
import { RevenueStore } from '../adapters/dynamodb/revenue.js';
import { StatsStore } from '../adapters/dynamodb/stats.js';
import { UsageStore } from '../adapters/dynamodb/usage.js';
import { createHealthCheck } from '../adapters/health.js';
import { composeInvoiceMessage } from '../adapters/ses/invoice-message.js';
import { createSesClient, SesMailer } from '../adapters/ses/mailer.js';
import { createSqsClient, DeadLetterQueue, DeliveryQueue } from '../adapters/sqs/delivery-queue.js';
import type { CloseDeps } from '../app/close-period.js';
import type { EstimateDeps } from '../app/estimates.js';
import type { SweepDeps } from '../app/outbox-sweep.js';
import type { Mailer } from '../app/ports/mailer.js';
import type { WorkflowStarter } from '../app/ports/workflow.js';
import { type BillingConfig, ConfigError } from '../config.js';
import type { Invoice } from '../domain/invoice.js';
import type { DeliveryHandlerDeps } from './delivery-handler.js';
import type { ApiDeps } from './deps.js';
import { estimateDeps } from './estimate-deps.js';

/**
 * What differs between AWS and `npm start` besides the configuration: how the close workflow named
 * by BILLING_STATE_MACHINE_ARN is started, how the function named by BILLING_ESTIMATES_FUNCTION_NAME
 * is invoked, and (for tests) the clock, the mailer and crash hooks. Everything else, including
 * which queue, table and endpoints, comes from the configuration alone.
 */
export interface Platform {
  clock?: () => Date;
  /** Starts runs of the state machine with this ARN. Default: Step Functions. */
  workflow?: (stateMachineArn: string) => WorkflowStarter;
  /** Invokes the function with this name without waiting. Default: Lambda's asynchronous invocation. */
  invokeAsync?: (functionName: string) => { trigger(): Promise<void> };
  /** Default: SES (SESv2 SendEmail with the raw MIME message). */
  mailer?: Mailer;
  /** Log level of the handlers' loggers (Powertools reads POWERTOOLS_LOG_LEVEL otherwise). */
  logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
  /** Test hook of the close (crash injection). */
  crashAfter?: CloseDeps['crashAfter'];
}

/** Everything a close step needs: the close use case and the run records. */
export type CloseStepDeps = CloseDeps;

/** A setting a function cannot run without, named by its environment variable. */
function required(value: string | undefined, variable: string, who: string): string {
  if (!value) throw new ConfigError(`${variable} is not set: ${who} needs it`);
  return value;
}

/** Builds `create()` once, on first use. */
function once<T>(create: () => T): () => T {
  let made: { value: T } | undefined;
  return () => {
    made ??= { value: create() };
    return made.value;
  };
}

/**
 * The composition root: every Lambda entry and `npm start` build their dependencies here, from the
 * typed configuration (functions/config.ts) and the platform. Clients and stores are made on first
 * use, so a function pays only for what it uses: the delivery function gets invoices, SES and SQS,
 * not the eleven stores of the API. Wherever the configuration names the delivery queue, finalized,
 * voided and re-sent invoices are handed to it at once.
 */
export function createRuntime(config: BillingConfig, platform: Platform = {}) {
  const clock = platform.clock ?? (() => new Date());
  const table = config.tableName;
  const dynamo = once((): DynamoDBClient => createDynamoClient(config));
  const sqs = once((): SQSClient => createSqsClient(config));
  const stores = {
    meters: once(() => new MeterStore(dynamo(), table)),
    customers: once(() => new CustomerStore(dynamo(), table)),
    apiKeys: once(() => new ApiKeyStore(dynamo(), table, clock)),
    usage: once(() => new UsageStore(dynamo(), table)),
    plans: once(() => new PlanStore(dynamo(), table)),
    subscriptions: once(() => new SubscriptionStore(dynamo(), table)),
    invoices: once(() => new InvoiceStore(dynamo(), table)),
    runs: once(() => new RunStore(dynamo(), table)),
    stats: once(() => new StatsStore(dynamo(), table)),
    revenue: once(() => new RevenueStore(dynamo(), table)),
    estimates: once(() => new EstimateStore(dynamo(), table)),
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
      if (invoice.delivery.status !== 'pending') return;
      await stores.invoices().addToOutbox(invoice.id, 'invoice', clock());
      await queue.send(invoice.id, 'invoice');
    };
  });
  const logger = (serviceName: string) =>
    new Logger({ serviceName, ...(platform.logLevel ? { logLevel: platform.logLevel } : {}) });

  const closeDeps = once((): CloseStepDeps => {
    const enqueue = enqueueDelivery();
    return {
      config,
      clock,
      plans: stores.plans(),
      meters: stores.meters(),
      customers: stores.customers(),
      subscriptions: stores.subscriptions(),
      invoices: stores.invoices(),
      usage: stores.usage(),
      runs: stores.runs(),
      seal,
      ...(enqueue ? { enqueueDelivery: enqueue } : {}),
      ...(platform.crashAfter ? { crashAfter: platform.crashAfter } : {}),
    };
  });

  const apiDeps = once((): ApiDeps => {
    const queue = deliveryQueue();
    const enqueue = enqueueDelivery();
    const workflow = config.stateMachineArn
      ? (platform.workflow ?? stepFunctionsWorkflow)(config.stateMachineArn)
      : undefined;
    const estimatesRefresh = config.estimatesFunctionName
      ? (platform.invokeAsync ?? asyncInvoker)(config.estimatesFunctionName)
      : undefined;
    return {
      config,
      clock,
      dynamo: dynamo(),
      meters: stores.meters(),
      customers: stores.customers(),
      apiKeys: stores.apiKeys(),
      usage: stores.usage(),
      plans: stores.plans(),
      subscriptions: stores.subscriptions(),
      invoices: stores.invoices(),
      runs: stores.runs(),
      stats: stores.stats(),
      revenue: stores.revenue(),
      estimates: stores.estimates(),
      seal,
      health: createHealthCheck({
        dynamo: dynamo(),
        tableName: table,
        ...(config.deliveryQueueUrl ? { sqs: { client: sqs(), queueUrl: config.deliveryQueueUrl } } : {}),
      }),
      ...(queue ? { deliveryQueue: queue } : {}),
      ...(enqueue ? { enqueueDelivery: enqueue } : {}),
      ...(config.deadLetterQueueUrl && config.deliveryQueueUrl
        ? { deadLetters: new DeadLetterQueue(sqs(), config.deadLetterQueueUrl, config.deliveryQueueUrl) }
        : {}),
      ...(workflow ? { workflow } : {}),
      ...(estimatesRefresh ? { estimatesRefresh } : {}),
      ...(platform.crashAfter ? { crashAfter: platform.crashAfter } : {}),
    };
  });

  return {
    config,
    clock,
    /** The HTTP API. */
    api: apiDeps,
    /** The three tasks of the close workflow. */
    close: closeDeps,
    /** The delivery function (SQS batches of invoice emails): invoices, the renderer, SES and the queue's retry delay. */
    delivery: once(
      (): DeliveryHandlerDeps => ({
        config,
        clock,
        invoices: stores.invoices(),
        compose: composeInvoiceMessage,
        mailer: platform.mailer ?? new SesMailer(createSesClient(config), config.sesConfigurationSet),
        queue: new DeliveryQueue(sqs(), config.deliveryQueueUrl ?? ''),
        logger: logger('billing-delivery'),
      }),
    ),
    /** The outbox sweep: owed emails back onto the delivery queue. */
    sweep: once(
      (): SweepDeps => ({
        config,
        clock,
        invoices: stores.invoices(),
        deliveryQueue: new DeliveryQueue(
          sqs(),
          required(config.deliveryQueueUrl, 'BILLING_DELIVERY_QUEUE_URL', 'the outbox sweep'),
        ),
      }),
    ),
    /** What one refresh of the current-period estimates uses (plans and meters read once per refresh). */
    estimates: (): EstimateDeps =>
      estimateDeps({
        config,
        clock,
        plans: stores.plans(),
        meters: stores.meters(),
        customers: stores.customers(),
        usage: stores.usage(),
        subscriptions: stores.subscriptions(),
        estimates: stores.estimates(),
      }),
    logger,
  };
}

export type Runtime = ReturnType<typeof createRuntime>;
