import type { DunningDeps } from '../../app/dunning.js';
import type { Runtime } from '../runtime.js';

/** The dunning run: invoices, customers, the delivery queue (reminders) and the payment retry where given. */
export function dunningRunDeps(runtime: Runtime): DunningDeps {
  const { config, platform, stores } = runtime;
  const queue = runtime.deliveryQueue();
  return {
    config,
    invoices: stores.invoices(),
    customers: stores.customers(),
    ...(queue ? { deliveryQueue: queue } : {}),
    ...(platform.dunningPayments ? { payments: platform.dunningPayments } : {}),
  };
}
