import type { CloseDeps } from '../../app/close-period.js';
import type { Runtime } from '../runtime.js';

/** The three tasks of the close workflow: the stores the close reads and writes, the seal, the delivery hand-over. */
export function closeDeps(runtime: Runtime): CloseDeps {
  const { config, clock, platform, stores } = runtime;
  const enqueue = runtime.enqueueDelivery();
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
    credits: stores.credits(),
    charges: stores.charges(),
    creditNotes: stores.creditNotes(),
    seal: runtime.seal,
    ...(enqueue ? { enqueueDelivery: enqueue } : {}),
    ...(platform.crashAfter ? { crashAfter: platform.crashAfter } : {}),
  };
}
