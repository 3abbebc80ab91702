import { asyncInvoker, syncInvoker } from '../../adapters/aws/lambda-invoke.js';
import { stepFunctionsWorkflow } from '../../adapters/aws/step-functions.js';
import { createHealthCheck } from '../../adapters/health.js';
import { DeadLetterQueue } from '../../adapters/sqs/delivery-queue.js';
import type { ApiDeps } from '../deps.js';
import type { Runtime } from '../runtime.js';
import { invokedBackfill } from './archive-backfill.js';
import { dunningPayments, paymentDeps } from './payments.js';

/** The HTTP API: every store, the delivery queue and its DLQ, the close workflow and the estimates refresher, where configured. */
export function apiDeps(runtime: Runtime): ApiDeps {
  const { config, clock, platform, stores } = runtime;
  const payments = paymentDeps(runtime);
  const retry = dunningPayments(runtime);
  const queue = runtime.deliveryQueue();
  const enqueue = runtime.enqueueDelivery();
  const workflow = config.stateMachineArn
    ? (platform.workflow ?? stepFunctionsWorkflow)(config.stateMachineArn)
    : undefined;
  const estimatesRefresh = config.estimatesFunctionName
    ? (platform.invokeAsync ?? asyncInvoker)(config.estimatesFunctionName)
    : undefined;
  const archiveBackfill = config.archiveFunctionName
    ? invokedBackfill((platform.invoke ?? syncInvoker)(config.archiveFunctionName))
    : undefined;
  return {
    config,
    clock,
    dynamo: runtime.dynamo(),
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
    credits: stores.credits(),
    charges: stores.charges(),
    creditNotes: stores.creditNotes(),
    paymentStore: stores.payments(),
    webhooks: stores.webhooks(),
    alerts: stores.alerts(),
    ...(payments.provider ? { payments: payments.provider } : {}),
    seal: runtime.seal,
    documents: runtime.documents(),
    health: createHealthCheck({
      dynamo: runtime.dynamo(),
      tableName: runtime.table,
      ...(config.deliveryQueueUrl ? { sqs: { client: runtime.sqs(), queueUrl: config.deliveryQueueUrl } } : {}),
    }),
    ...(queue ? { deliveryQueue: queue } : {}),
    ...(enqueue ? { enqueueDelivery: enqueue } : {}),
    ...(config.deadLetterQueueUrl && config.deliveryQueueUrl
      ? { deadLetters: new DeadLetterQueue(runtime.sqs(), config.deadLetterQueueUrl, config.deliveryQueueUrl) }
      : {}),
    ...(workflow ? { workflow } : {}),
    ...(estimatesRefresh ? { estimatesRefresh } : {}),
    ...(archiveBackfill ? { archiveBackfill } : {}),
    ...(platform.crashAfter ? { crashAfter: platform.crashAfter } : {}),
    ...(retry ? { dunningPayments: retry } : {}),
  };
}
