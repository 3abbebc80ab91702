/**
 * Port: the payment provider (Stripe in functions/adapters/stripe/). Amounts are decimal strings in
 * the invoice's currency; the adapter converts to the provider's minor units. Absent from the deps
 * when no provider is configured (no STRIPE_SECRET_KEY): invoices are then paid by hand only.
 */

export interface CollectRequest {
  invoiceId: string;
  invoiceNumber: string;
  /** The provider's customer (`cus_…`). */
  providerCustomerId: string;
  amount: string;
  currency: string;
  /** Which try this is (0: at finalization; dunning retries count up): part of the idempotency key. */
  attempt: number;
  description: string;
}

export type CollectResult =
  /** An off-session charge on the customer's default payment method; its outcome also arrives as a webhook. */
  | { kind: 'charge'; id: string; status: 'processing' | 'requires_action' | 'succeeded' | 'failed'; error?: string }
  /** No payment method on file: a hosted payment page to send the customer to. */
  | { kind: 'payment_link'; id: string; url: string; expiresAt: string };

export interface CheckoutRequest {
  invoiceId: string;
  invoiceNumber: string;
  providerCustomerId?: string;
  amount: string;
  currency: string;
  description: string;
  /** Where the hosted page sends the customer back to. */
  returnUrl?: string;
}

export interface RefundRequest {
  /** The payment refunded (a PaymentIntent id). */
  paymentId: string;
  amount: string;
  currency: string;
  creditNoteId: string;
  invoiceId: string;
}

/** A provider event after its signature was verified, in our terms. */
export type ProviderEvent =
  | {
      id: string;
      type: 'payment_succeeded';
      invoiceId: string;
      paymentId: string;
      amount: string;
      currency: string;
      method: string;
      at: string;
    }
  | { id: string; type: 'payment_failed'; invoiceId: string; paymentId: string; error: string; at: string }
  | {
      id: string;
      type: 'refunded';
      /** The payment (PaymentIntent) the refund belongs to. */
      paymentId: string;
      invoiceId?: string;
      refunds: ReadonlyArray<{
        id: string;
        amount: string;
        status: 'pending' | 'succeeded' | 'failed';
        creditNoteId?: string;
      }>;
      currency: string;
      at: string;
    }
  /** Verified, but not one we act on (it is acknowledged with 200). */
  | { id: string; type: 'ignored'; providerType: string };

/** The provider refused the request for good (no such customer, a bad amount): trying again will not help. */
export class ProviderRejectedError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ProviderRejectedError';
  }
}

/** The provider could not be reached or failed (network, 5xx, rate limit): try again later. */
export class ProviderUnavailableError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ProviderUnavailableError';
  }
}

export class InvalidSignatureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidSignatureError';
  }
}

export interface PaymentProvider {
  readonly name: 'stripe';
  /** Collects an invoice: off-session on the default payment method, else a hosted payment page. */
  collect(request: CollectRequest): Promise<CollectResult>;
  /** A hosted payment page for what an invoice still owes (the portal's pay-now button). */
  checkout(request: CheckoutRequest): Promise<{ id: string; url: string; expiresAt: string }>;
  refund(request: RefundRequest): Promise<{ id: string; status: 'pending' | 'succeeded' | 'failed' }>;
  /**
   * Verifies the signature header over the raw body (at `receivedAt`, the clock's now) and maps the
   * event; throws {@link InvalidSignatureError}. May read from the provider what the event leaves out.
   */
  parseWebhook(rawBody: string, signature: string | undefined, receivedAt: Date): Promise<ProviderEvent>;
}
