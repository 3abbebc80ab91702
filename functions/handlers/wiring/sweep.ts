import { DeliveryQueue } from '../../adapters/sqs/delivery-queue.js';
import type { SweepDeps } from '../../app/outbox-sweep.js';
import { type Runtime, required } from '../runtime.js';

/** The outbox sweep: owed emails back onto the delivery queue (which it cannot run without). */
export function sweepDeps(runtime: Runtime): SweepDeps {
  const { config, clock } = runtime;
  return {
    config,
    clock,
    invoices: runtime.stores.invoices(),
    creditNotes: runtime.stores.creditNotes(),
    webhooks: runtime.stores.webhooks(),
    alerts: runtime.stores.alerts(),
    deliveryQueue: new DeliveryQueue(
      runtime.sqs(),
      required(config.deliveryQueueUrl, 'BILLING_DELIVERY_QUEUE_URL', 'the outbox sweep'),
    ),
  };
}
