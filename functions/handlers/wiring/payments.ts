import { StripePaymentProvider } from '../../adapters/stripe/provider.js';
import type { DunningPayments } from '../../app/dunning.js';
import { collectInvoice, type PaymentDeps } from '../../app/payments.js';
import type { Runtime } from '../runtime.js';

/**
 * Payments for the functions that take them (the API: manual payments, webhooks, collect, refunds;
 * the delivery function: the `payment` and `refund` tasks). Only these bundles carry the Stripe SDK.
 */
export function paymentDeps(runtime: Runtime): PaymentDeps {
  const { config, clock, stores } = runtime;
  const queue = runtime.deliveryQueue();
  return {
    clock,
    invoices: stores.invoices(),
    payments: stores.payments(),
    customers: stores.customers(),
    creditNotes: stores.creditNotes(),
    ...(config.stripe
      ? {
          provider: new StripePaymentProvider(
            { ...config.stripe, returnUrl: config.portalUrl ?? 'https://stripe.com' },
            clock,
          ),
        }
      : {}),
    ...(queue ? { deliveryQueue: queue } : {}),
  };
}

/**
 * Dunning's `retry` step, where a provider is configured: one more collection through Stripe (a new
 * attempt, so a new idempotency key). A try that cannot be made, or a charge that fails, fails the step
 * with the reason (recorded on the invoice's dunning steps and, for a charge, its payment attempts).
 */
export function dunningPayments(runtime: Runtime): DunningPayments | undefined {
  if (!runtime.config.stripe) return runtime.platform.dunningPayments;
  const deps = paymentDeps(runtime);
  return {
    async retry(invoice) {
      const outcome = await collectInvoice(deps, invoice.id);
      if (outcome.status === 'skipped') throw new Error(outcome.reason);
      if (outcome.result.kind === 'charge' && outcome.result.status === 'failed')
        throw new Error(`the charge failed: ${outcome.result.error ?? 'declined'}`);
    },
  };
}
