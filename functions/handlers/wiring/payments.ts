import { StripePaymentProvider } from '../../adapters/stripe/provider.js';
import type { PaymentDeps } from '../../app/payments.js';
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
