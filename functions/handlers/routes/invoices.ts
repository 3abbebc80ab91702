import { renderInvoicePdf } from '../../adapters/documents/pdf.js';
import type { DeadLetter } from '../../adapters/sqs/delivery-queue.js';
import { deliveryRecord } from '../../app/deliver-invoice.js';
import { markInvoicePaid, resendInvoice, voidInvoice } from '../../app/invoice-actions.js';
import { sweepOutbox } from '../../app/outbox-sweep.js';
import type { Invoice } from '../../domain/invoice.js';
import { HttpError } from '../../http/errors.js';
import { json } from '../../http/respond.js';
import { type Route, routesFor } from '../../http/router.js';
import { DeadLetterQuerySchema, RedriveSchema } from '../../schemas/deliveries.js';
import { MarkPaidSchema, VoidInvoiceSchema } from '../../schemas/invoices.js';
import type { ApiDeps } from '../deps.js';
import { invoiceJson } from './billing-wire.js';

/** The invoice as the billing routes show it, plus the void notice's delivery. */
function actionJson(invoice: Invoice) {
  const notice = invoice.status === 'void' ? deliveryRecord(invoice, 'void') : undefined;
  return {
    ...invoiceJson(invoice),
    ...(notice
      ? {
          void_notice: {
            status: notice.status,
            attempts: notice.attempts,
            ...(notice.messageId ? { message_id: notice.messageId } : {}),
            ...(notice.sentAt ? { sent_at: notice.sentAt } : {}),
            ...(notice.lastError ? { last_error: notice.lastError } : {}),
          },
        }
      : {}),
  };
}

function deadLetterJson(letter: DeadLetter) {
  return {
    message_id: letter.messageId,
    ...(letter.message ? { invoice_id: letter.message.invoice_id, kind: letter.message.kind } : {}),
    body: letter.body,
    receive_count: letter.receiveCount,
    ...(letter.sentAt ? { sent_at: letter.sentAt } : {}),
  };
}

function deadLetters(deps: ApiDeps): NonNullable<ApiDeps['deadLetters']> {
  if (!deps.deadLetters) {
    throw new HttpError(501, 'not_configured', 'no delivery dead-letter queue is configured here');
  }
  return deps.deadLetters;
}

const route = routesFor<ApiDeps>();

/** Invoice actions (void, mark paid, resend, PDF) and the delivery admin routes (dead letters, sweep). */
export function invoiceRoutes(): Route<ApiDeps>[] {
  return [
    route({
      method: 'POST',
      path: '/v1/invoices/{id}/void',
      access: 'admin',
      summary: 'Void an invoice: it keeps its number, is marked void, and the customer is emailed a void notice',
      body: VoidInvoiceSchema,
      response: { status: 200, description: 'the void invoice' },
      handle: async (request, deps) => {
        const { body } = request;
        return json(200, actionJson(await voidInvoice(deps, request.params.id, body.reason)));
      },
    }),
    route({
      method: 'POST',
      path: '/v1/invoices/{id}/mark-paid',
      access: 'admin',
      summary: 'Record the payment of an invoice (a void invoice cannot be paid)',
      body: MarkPaidSchema,
      response: { status: 200, description: 'the paid invoice' },
      handle: async (request, deps) => {
        const { body } = request;
        return json(
          200,
          actionJson(
            await markInvoicePaid(deps, request.params.id, { paidAt: body.paid_at, reference: body.reference }),
          ),
        );
      },
    }),
    route({
      method: 'POST',
      path: '/v1/invoices/{id}/resend',
      access: 'admin',
      summary: 'Email the invoice again (202: the email is queued)',
      response: { status: 202, description: 'the invoice, delivery pending' },
      handle: async (request, deps) => json(202, actionJson(await resendInvoice(deps, request.params.id))),
    }),
    route({
      method: 'GET',
      path: '/v1/invoices/{id}/pdf',
      access: 'admin',
      summary: 'The invoice as PDF, rendered from the stored invoice (the same bytes every time)',
      response: { status: 200, description: 'the PDF', mediaType: 'application/pdf' },
      handle: async (request, deps) => {
        const invoice = await deps.invoices.get(request.params.id);
        const pdf = await renderInvoicePdf(invoice);
        return {
          statusCode: 200,
          headers: {
            'content-type': 'application/pdf',
            'content-disposition': `inline; filename="${invoice.number.replace(/[^\w.-]/g, '_')}.pdf"`,
            'content-length': String(pdf.length),
          },
          body: pdf.toString('base64'),
          isBase64Encoded: true,
        };
      },
    }),
    route({
      method: 'GET',
      path: '/v1/delivery/dead-letters',
      access: 'admin',
      summary: 'Delivery messages that failed every retry (the DLQ), without consuming them',
      query: DeadLetterQuerySchema,
      handle: async (request, deps) => {
        const { query } = request;
        return json(200, { data: (await deadLetters(deps).list(query.limit)).map(deadLetterJson) });
      },
    }),
    route({
      method: 'POST',
      path: '/v1/delivery/dead-letters/redrive',
      access: 'admin',
      summary: 'Move dead letters (all, or the given message ids) back to the delivery queue',
      body: RedriveSchema,
      handle: async (request, deps) => {
        const { body } = request;
        const moved = await deadLetters(deps).redrive(body.message_ids ? { messageIds: body.message_ids } : {});
        return json(200, { redriven: moved.length, message_ids: moved });
      },
    }),
    route({
      method: 'POST',
      path: '/v1/delivery/sweep',
      access: 'admin',
      summary: 'Run the outbox sweep now: re-enqueue every email owed for longer than the sweep age',
      handle: async (_request, deps) => {
        const queue = deps.deliveryQueue;
        if (!queue) throw new HttpError(501, 'not_configured', 'no delivery queue is configured here');
        return json(200, await sweepOutbox({ ...deps, deliveryQueue: queue }));
      },
    }),
  ];
}
