import type { DunningDeps } from '../../app/dunning.js';
import type { Runtime } from '../runtime.js';
import { dunningPayments } from './payments.js';

/** The dunning run: invoices, customers, the delivery queue (reminders) and the payment retry where given. */
export function dunningRunDeps(runtime: Runtime): DunningDeps {
  const { config, stores } = runtime;
  const queue = runtime.deliveryQueue();
  const retry = dunningPayments(runtime);
  return {
    config,
    invoices: stores.invoices(),
    customers: stores.customers(),
    ...(queue ? { deliveryQueue: queue } : {}),
    ...(retry ? { payments: retry } : {}),
  };
}
