import type { AlertEventResource } from '../../app/alerts.js';
import type { WebhookDeps } from '../../app/webhooks.js';
import type { CreditNote } from '../../domain/billing/credit-note.js';
import type { Customer } from '../../domain/customer.js';
import type { Invoice } from '../../domain/invoice.js';
import type { WebhookEvent } from '../../domain/webhook-event.js';
import { alertEventJson } from '../routes/alert-wire.js';
import { creditNoteJson, invoiceJson, runJson, subscriptionJson } from '../routes/billing-wire.js';
import { customerJson } from '../routes/wire.js';
import type { Runtime } from '../runtime.js';

/** The webhook side of the delivery function: the store, the outbox, the queue and the API's renderers. */
export function webhookDeps(runtime: Runtime): WebhookDeps | undefined {
  const queue = runtime.deliveryQueue();
  if (!queue) return undefined;
  const { config, clock } = runtime;
  const render = (event: WebhookEvent): unknown => {
    switch (event.resourceKind) {
      case 'invoice':
        return invoiceJson(event.resource as Invoice);
      case 'credit_note':
        return creditNoteJson(event.resource as CreditNote);
      case 'customer':
        return customerJson(event.resource as Customer, config.seller, config.dunningSchedule);
      case 'subscription':
        return subscriptionJson(event.resource as Parameters<typeof subscriptionJson>[0]);
      case 'billing_run':
        return runJson(event.resource as Parameters<typeof runJson>[0]);
      case 'alert':
        return alertEventJson(event.resource as AlertEventResource);
    }
  };
  return {
    config,
    clock,
    webhooks: runtime.stores.webhooks(),
    outbox: runtime.stores.invoices(),
    queue,
    render,
  };
}
