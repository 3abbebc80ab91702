import {
  applyProviderEvent,
  collectNow,
  type PaymentDeps,
  recordManualPayment,
  recordManualRefund,
} from '../../app/payments.js';
import { InvalidSignatureError } from '../../app/ports/payments.js';
import { HttpError } from '../../http/errors.js';
import { json } from '../../http/respond.js';
import { type Route, routesFor } from '../../http/router.js';
import { CreditNoteResponseSchema } from '../../schemas/credit-notes.js';
import { InvoiceResponseSchema, PaymentRecordedSchema, RecordPaymentSchema } from '../../schemas/invoices.js';
import { RecordRefundSchema, WebhookReceiptSchema } from '../../schemas/payments.js';
import type { ApiDeps } from '../deps.js';
import { creditNoteJson, invoiceJson } from './billing-wire.js';

const route = routesFor<ApiDeps>();

/** The API's deps as the payment use cases take them. */
export function paymentsOf(deps: ApiDeps): PaymentDeps {
  return {
    clock: deps.clock,
    invoices: deps.invoices,
    payments: deps.paymentStore,
    customers: deps.customers,
    creditNotes: deps.creditNotes,
    ...(deps.payments ? { provider: deps.payments } : {}),
    ...(deps.deliveryQueue ? { deliveryQueue: deps.deliveryQueue } : {}),
  };
}

/** Getting paid: payments by hand, collection through the provider, the provider's webhooks, refunds by hand. */
export function paymentRoutes(): Route<ApiDeps>[] {
  return [
    route({
      method: 'POST',
      path: '/v1/invoices/{id}/payments',
      access: 'admin',
      summary:
        'Record a payment received outside the payment provider (bank transfer): partial payments leave the rest owed, an overpayment goes to the customer balance; the same reference again records nothing new',
      body: RecordPaymentSchema,
      response: {
        status: 201,
        description: 'the invoice and the payment (200: recorded before)',
        schema: PaymentRecordedSchema,
      },
      handle: async ({ params, body }, deps) => {
        const { invoice, payment, duplicate } = await recordManualPayment(paymentsOf(deps), params.id, {
          amount: body.amount,
          reference: body.reference,
          method: body.method,
          receivedAt: body.paid_at ?? deps.clock(),
        });
        return json(duplicate ? 200 : 201, {
          invoice: invoiceJson(invoice),
          payment: {
            id: payment.id,
            amount: payment.amount,
            applied: payment.applied,
            overpaid: payment.overpaid,
            reference: payment.reference,
            method: payment.method,
            received_at: payment.receivedAt,
          },
        });
      },
    }),
    route({
      method: 'POST',
      path: '/v1/invoices/{id}/collect',
      access: 'admin',
      summary:
        "Collect what the invoice still owes through the payment provider now: an off-session charge on the customer's default payment method, else a hosted payment page (409 payments_not_configured without a provider; 409 when nothing is owed or the customer has no stripe_customer_id)",
      response: { status: 200, description: 'the invoice with the attempt', schema: InvoiceResponseSchema },
      handle: async ({ params }, deps) => json(200, invoiceJson(await collectNow(paymentsOf(deps), params.id))),
    }),
    route({
      method: 'POST',
      path: '/v1/webhooks/stripe',
      access: 'public',
      summary:
        'Stripe webhooks (no API key: the Stripe-Signature header is verified over the raw body; 400 when it does not verify). payment_intent.succeeded pays, payment_intent.payment_failed marks payment_failed, charge.refunded records refunds; each event is applied once',
      rawBody: true,
      response: { status: 200, description: 'the event was received', schema: WebhookReceiptSchema },
      handle: async (request, deps) => {
        if (!deps.payments || !deps.config.stripe?.webhookSecret)
          throw new HttpError(
            409,
            'payments_not_configured',
            'Stripe webhooks are not configured (STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET)',
          );
        let event: Awaited<ReturnType<typeof deps.payments.parseWebhook>>;
        try {
          event = await deps.payments.parseWebhook(
            request.body.text,
            request.headers['stripe-signature'],
            deps.clock(),
          );
        } catch (error) {
          if (error instanceof InvalidSignatureError)
            throw new HttpError(400, 'invalid_signature', error.message, [
              { path: 'header/stripe-signature', message: error.message },
            ]);
          throw error;
        }
        const outcome = await applyProviderEvent(paymentsOf(deps), event);
        return json(200, {
          received: true,
          outcome: outcome.status,
          event: outcome.eventId,
          ...(outcome.status === 'applied' ? { invoice: outcome.invoiceId } : {}),
          ...(outcome.status === 'ignored' ? { reason: outcome.reason } : {}),
        });
      },
    }),
    route({
      method: 'POST',
      path: '/v1/credit-notes/{id}/refund',
      access: 'admin',
      summary:
        'Record a refund paid out by hand for a credit note with method refund (a refund at the payment provider is recorded by its webhook)',
      body: RecordRefundSchema,
      response: { status: 200, description: 'the credit note', schema: CreditNoteResponseSchema },
      handle: async ({ params, body }, deps) => {
        await deps.creditNotes.get(params.id);
        const note = await recordManualRefund(paymentsOf(deps), params.id, {
          reference: body.reference,
          ...(body.refunded_at ? { refundedAt: body.refunded_at } : {}),
        });
        return json(200, creditNoteJson(note));
      },
    }),
  ];
}
