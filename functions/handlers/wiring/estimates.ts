import type { EstimateDeps } from '../../app/estimates.js';
import { estimateDeps } from '../estimate-deps.js';
import type { Runtime } from '../runtime.js';

/** What one refresh of the current-period estimates uses (plans and meters are read once per refresh). */
export function refreshDeps(runtime: Runtime): EstimateDeps {
  const { config, clock, stores } = runtime;
  const deliveryQueue = runtime.deliveryQueue();
  return estimateDeps({
    config,
    clock,
    plans: stores.plans(),
    meters: stores.meters(),
    customers: stores.customers(),
    usage: stores.usage(),
    subscriptions: stores.subscriptions(),
    estimates: stores.estimates(),
    credits: stores.credits(),
    // Pending one-off charges, read only for customers that ever had one (`one_off_charges`).
    charges: stores.charges(),
    // Interim invoices of progressive billing; their emails go out through the outbox sweep.
    invoices: stores.invoices(),
    // Usage alerts; their webhooks and emails are handed to the queue at once (else the outbox sweep sends them).
    alerts: stores.alerts(),
    ...(deliveryQueue ? { deliveryQueue } : {}),
  });
}
