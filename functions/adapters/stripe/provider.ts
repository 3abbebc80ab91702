import Stripe from 'stripe';
import type {
  CheckoutRequest,
  CollectRequest,
  CollectResult,
  PaymentProvider,
  ProviderEvent,
  RefundRequest,
} from '../../app/ports/payments.js';
import { InvalidSignatureError, ProviderRejectedError, ProviderUnavailableError } from '../../app/ports/payments.js';
import { fromMinorUnits, toMinorUnits } from '../../domain/billing/payment.js';
import { Decimal } from '../../domain/decimal.js';
import { formatAmount } from '../../domain/money.js';

export interface StripeSettings {
  secretKey: string;
  webhookSecret: string | undefined;
  /** Scheme, host and port of the API (tests: a local stand-in); default api.stripe.com. */
  apiUrl: string | undefined;
  /** Where hosted payment pages send the customer back to (the portal), when a request names none. */
  returnUrl: string;
}

/** Hosted payment pages live at most this long (Stripe's limit for Checkout Sessions is 24 hours). */
const CHECKOUT_LIFETIME_SECONDS = 23 * 3600;

function clientOptions(apiUrl: string | undefined): Stripe.StripeConfig {
  const options: Stripe.StripeConfig = { maxNetworkRetries: 2, timeout: 20_000, telemetry: false };
  if (apiUrl === undefined) return options;
  const url = new URL(apiUrl);
  return {
    ...options,
    host: url.hostname,
    port: url.port || (url.protocol === 'https:' ? 443 : 80),
    protocol: url.protocol === 'http:' ? 'http' : 'https',
  };
}

const idOf = (value: string | { id: string } | null | undefined): string | undefined =>
  typeof value === 'string' ? value : (value?.id ?? undefined);

function refundStatus(status: string | null): 'pending' | 'succeeded' | 'failed' {
  if (status === 'succeeded') return 'succeeded';
  if (status === 'failed' || status === 'canceled') return 'failed';
  return 'pending';
}

/** Stripe's errors in the port's terms: a 4xx other than 429 is final, anything else worth a retry. */
async function call<T>(what: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof Stripe.errors.StripeError) {
      const status = error.statusCode ?? 0;
      const message = `Stripe ${what}: ${error.message}`;
      if (status >= 400 && status < 500 && status !== 429) throw new ProviderRejectedError(message, { cause: error });
      throw new ProviderUnavailableError(message, { cause: error });
    }
    throw new ProviderUnavailableError(`Stripe ${what}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * The payment provider on Stripe's official SDK: off-session PaymentIntents on the customer's default
 * payment method (idempotency key from the invoice id and the attempt), Checkout Sessions where there
 * is none, refunds keyed by the credit note, and webhooks verified with the SDK.
 */
export class StripePaymentProvider implements PaymentProvider {
  readonly name = 'stripe' as const;
  private readonly stripe: Stripe;

  constructor(
    private readonly settings: StripeSettings,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.stripe = new Stripe(settings.secretKey, clientOptions(settings.apiUrl));
  }

  async collect(request: CollectRequest): Promise<CollectResult> {
    const customer = await call('customer', () => this.stripe.customers.retrieve(request.providerCustomerId));
    const method = customer.deleted ? undefined : idOf(customer.invoice_settings?.default_payment_method);
    if (method === undefined) {
      const link = await this.checkout({ ...request }, `invoice-${request.invoiceId}-${request.attempt}-link`);
      return { kind: 'payment_link', ...link };
    }
    try {
      const intent = await this.stripe.paymentIntents.create(
        {
          amount: toMinorUnits(new Decimal(request.amount), request.currency),
          currency: request.currency.toLowerCase(),
          customer: request.providerCustomerId,
          payment_method: method,
          off_session: true,
          confirm: true,
          description: request.description,
          metadata: { invoice_id: request.invoiceId, invoice_number: request.invoiceNumber },
        },
        { idempotencyKey: `invoice-${request.invoiceId}-${request.attempt}` },
      );
      const status =
        intent.status === 'succeeded'
          ? 'succeeded'
          : intent.status === 'processing'
            ? 'processing'
            : intent.status === 'requires_payment_method' || intent.status === 'canceled'
              ? 'failed'
              : 'requires_action';
      return {
        kind: 'charge',
        id: intent.id,
        status,
        ...(intent.last_payment_error?.message ? { error: intent.last_payment_error.message } : {}),
      };
    } catch (error) {
      // A declined card: the PaymentIntent exists and failed (its webhook follows).
      if (error instanceof Stripe.errors.StripeCardError)
        return {
          kind: 'charge',
          id:
            idOf(error.payment_intent as { id: string } | undefined) ??
            `declined-${request.invoiceId}-${request.attempt}`,
          status: 'failed',
          error: error.message,
        };
      throw error;
    }
  }

  async checkout(
    request: CheckoutRequest,
    idempotencyKey?: string,
  ): Promise<{ id: string; url: string; expiresAt: string }> {
    const expiresAt = Math.floor(this.clock().getTime() / 1000) + CHECKOUT_LIFETIME_SECONDS;
    const session = await call('checkout session', () =>
      this.stripe.checkout.sessions.create(
        {
          mode: 'payment',
          ...(request.providerCustomerId ? { customer: request.providerCustomerId } : {}),
          line_items: [
            {
              quantity: 1,
              price_data: {
                currency: request.currency.toLowerCase(),
                unit_amount: toMinorUnits(new Decimal(request.amount), request.currency),
                product_data: { name: request.description },
              },
            },
          ],
          payment_intent_data: {
            description: request.description,
            metadata: { invoice_id: request.invoiceId, invoice_number: request.invoiceNumber },
          },
          metadata: { invoice_id: request.invoiceId },
          success_url: request.returnUrl ?? this.settings.returnUrl,
          expires_at: expiresAt,
        },
        idempotencyKey ? { idempotencyKey } : undefined,
      ),
    );
    if (!session.url) throw new Error(`Stripe returned checkout session ${session.id} without a URL`);
    return { id: session.id, url: session.url, expiresAt: new Date(expiresAt * 1000).toISOString() };
  }

  async refund(request: RefundRequest): Promise<{ id: string; status: 'pending' | 'succeeded' | 'failed' }> {
    const refund = await call('refund', () =>
      this.stripe.refunds.create(
        {
          payment_intent: request.paymentId,
          amount: toMinorUnits(new Decimal(request.amount), request.currency),
          metadata: { credit_note_id: request.creditNoteId, invoice_id: request.invoiceId },
        },
        { idempotencyKey: `credit-note-${request.creditNoteId}` },
      ),
    );
    return { id: refund.id, status: refundStatus(refund.status) };
  }

  async parseWebhook(rawBody: string, signature: string | undefined, receivedAt: Date): Promise<ProviderEvent> {
    const secret = this.settings.webhookSecret;
    if (!secret)
      throw new InvalidSignatureError('STRIPE_WEBHOOK_SECRET is not configured: webhooks cannot be verified');
    if (!signature) throw new InvalidSignatureError('the Stripe-Signature header is missing');
    let event: Stripe.Event;
    try {
      event = this.stripe.webhooks.constructEvent(
        rawBody,
        signature,
        secret,
        undefined,
        undefined,
        receivedAt.getTime(),
      );
    } catch (error) {
      // Stripe's message goes on with advice for integrators; its first sentence says what failed.
      const reason = (error as Error).message.split(/(?<=[.!?])\s/)[0]?.trim() ?? 'invalid signature';
      throw new InvalidSignatureError(`the Stripe-Signature does not verify: ${reason}`);
    }
    const at = new Date(event.created * 1000).toISOString();
    switch (event.type) {
      case 'payment_intent.succeeded': {
        const intent = event.data.object;
        const invoiceId = intent.metadata?.invoice_id;
        if (!invoiceId) return { id: event.id, type: 'ignored', providerType: event.type };
        return {
          id: event.id,
          type: 'payment_succeeded',
          invoiceId,
          paymentId: intent.id,
          amount: formatAmount(
            fromMinorUnits(intent.amount_received, intent.currency.toUpperCase()),
            intent.currency.toUpperCase(),
          ),
          currency: intent.currency.toUpperCase(),
          method: intent.payment_method_types?.[0] ?? 'card',
          at,
        };
      }
      case 'payment_intent.payment_failed': {
        const intent = event.data.object;
        const invoiceId = intent.metadata?.invoice_id;
        if (!invoiceId) return { id: event.id, type: 'ignored', providerType: event.type };
        return {
          id: event.id,
          type: 'payment_failed',
          invoiceId,
          paymentId: intent.id,
          error: intent.last_payment_error?.message ?? 'the payment failed',
          at,
        };
      }
      case 'charge.refunded': {
        const charge = event.data.object;
        const paymentId = idOf(charge.payment_intent);
        if (!paymentId) return { id: event.id, type: 'ignored', providerType: event.type };
        const currency = charge.currency.toUpperCase();
        // A PaymentIntent's metadata is not copied to its charges: the invoice is named on the intent.
        const invoiceId =
          charge.metadata?.invoice_id ||
          (await call('payment intent', () => this.stripe.paymentIntents.retrieve(paymentId))).metadata?.invoice_id;
        // Recent API versions leave the charge's refunds out of the event: read them.
        const refunds =
          charge.refunds?.data ?? (await this.stripe.refunds.list({ payment_intent: paymentId, limit: 100 })).data;
        return {
          id: event.id,
          type: 'refunded',
          paymentId,
          ...(invoiceId ? { invoiceId } : {}),
          currency,
          refunds: refunds.map((refund) => ({
            id: refund.id,
            amount: formatAmount(fromMinorUnits(refund.amount, currency), currency),
            status: refundStatus(refund.status),
            ...(refund.metadata?.credit_note_id ? { creditNoteId: refund.metadata.credit_note_id } : {}),
          })),
          at,
        };
      }
      default:
        return { id: event.id, type: 'ignored', providerType: event.type };
    }
  }
}
