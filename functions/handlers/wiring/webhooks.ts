import { resolveHostAddresses } from '../../adapters/dns.js';
import { createEventBridgeClient, EventBusPublisher } from '../../adapters/eventbridge/event-bus.js';
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

/**
 * The webhook side of the delivery function: the store, the outbox, the queue, the API's renderers,
 * the event bus where BILLING_EVENT_BUS_NAME names one, and the resolver of the SSRF guard.
 */
export function webhookDeps(runtime: Runtime): WebhookDeps | undefined {
  const queue = runtime.deliveryQueue();
  if (!queue) return undefined;
  const { config, clock } = runtime;
  const publisher = config.eventBusName
    ? new EventBusPublisher(runtime.tracked(createEventBridgeClient(config)), config.eventBusName)
    : undefined;
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
    ...(publisher ? { publish: (payload) => publisher.publish(payload) } : {}),
    resolveHost: resolveHostAddresses,
  };
}
