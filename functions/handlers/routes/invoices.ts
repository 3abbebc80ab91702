import { upcomingInvoice } from '../../app/close-period.js';
import { deliveryRecord } from '../../app/deliver-invoice.js';
import { eInvoiceFormatFor } from '../../app/documents.js';
import { NotFoundError } from '../../app/errors.js';
import { resendInvoice, voidInvoice } from '../../app/invoice-actions.js';
import { markInvoicePaid } from '../../app/payments.js';
import type { Invoice } from '../../domain/invoice.js';
import { documentResponse, json } from '../../http/respond.js';
import { type Route, routesFor } from '../../http/router.js';
import { E_INVOICE_RESPONSE, EInvoiceQuerySchema } from '../../schemas/documents.js';
import {
  InvoiceActionResponseSchema,
  InvoiceListQuerySchema,
  InvoiceListResponseSchema,
  InvoiceResponseSchema,
  MarkPaidSchema,
  UpcomingInvoiceSchema,
  VoidInvoiceSchema,
} from '../../schemas/invoices.js';
import type { ApiDeps } from '../deps.js';
import { invoiceJson, upcomingJson } from './billing-wire.js';
import { currentInvoice } from './charges.js';
import { invoicesCsv, invoicesMatching, wantsCsv } from './csv.js';
import { paymentsOf } from './payments.js';

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

const route = routesFor<ApiDeps>();

/** Invoices as read: the upcoming one (rated live), the list (JSON or CSV) and one invoice. */
export function invoiceRoutes(): Route<ApiDeps>[] {
  return [
    route({
      method: 'GET',
      path: '/v1/customers/{id}/upcoming-invoice',
      access: 'admin',
      summary: 'The current period rated live from the counters: the invoice as it would read now',
      response: { status: 200, description: 'the upcoming invoice', schema: UpcomingInvoiceSchema },
      handle: async (request, deps) => {
        const subscriptions = await deps.subscriptions.byCustomer(request.params.id);
        const active = subscriptions.find((s) => s.status === 'active');
        if (!active) {
          await deps.customers.get(request.params.id);
          throw new NotFoundError(`customer '${request.params.id}' has no active subscription`);
        }
        const { plan, rated, segment, until } = await upcomingInvoice(deps, active);
        return json(200, upcomingJson(active, plan, rated, segment, until));
      },
    }),
    route({
      method: 'GET',
      path: '/v1/invoices',
      access: 'admin',
      summary:
        'List invoices, newest first, by customer, status and issue period (from/to); as CSV with ?format=csv or Accept: text/csv',
      query: InvoiceListQuerySchema,
      response: { status: 200, description: 'the invoices (JSON; or CSV)', schema: InvoiceListResponseSchema },
      handle: async (request, deps) => {
        const { query } = request;
        if (wantsCsv(request, query.format)) return invoicesCsv(await invoicesMatching(deps, query));
        if (query.from || query.to) {
          const invoices = (await invoicesMatching(deps, query)).reverse();
          return json(200, { data: invoices.map(invoiceJson) });
        }
        if (query.customer) {
          const invoices = (await deps.invoices.byCustomer(query.customer)).filter(
            (i) => !query.status || i.status === query.status,
          );
          return json(200, { data: invoices.map(invoiceJson) });
        }
        const page = await deps.invoices.list(query.limit, query.cursor);
        const invoices = page.items.filter((i) => !query.status || i.status === query.status);
        return json(200, {
          data: invoices.map(invoiceJson),
          ...(page.nextCursor ? { next_cursor: page.nextCursor } : {}),
        });
      },
    }),
    route({
      method: 'GET',
      path: '/v1/invoices/{id}',
      access: 'admin',
      summary: 'Get an invoice with its lines and their explanations',
      response: { status: 200, description: 'the invoice', schema: InvoiceResponseSchema },
      handle: async (request, deps) =>
        json(200, invoiceJson(await currentInvoice(deps, await deps.invoices.get(request.params.id)))),
    }),
  ];
}

/** Invoice actions: void, mark paid, resend, PDF. */
export function invoiceActionRoutes(): Route<ApiDeps>[] {
  return [
    route({
      method: 'POST',
      path: '/v1/invoices/{id}/void',
      access: 'admin',
      summary: 'Void an invoice: it keeps its number, is marked void, and the customer is emailed a void notice',
      body: VoidInvoiceSchema,
      response: { status: 200, description: 'the void invoice', schema: InvoiceActionResponseSchema },
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
      response: { status: 200, description: 'the paid invoice', schema: InvoiceActionResponseSchema },
      handle: async (request, deps) => {
        const { body } = request;
        return json(
          200,
          actionJson(
            await markInvoicePaid(paymentsOf(deps), request.params.id, {
              paidAt: body.paid_at,
              reference: body.reference,
            }),
          ),
        );
      },
    }),
    route({
      method: 'POST',
      path: '/v1/invoices/{id}/resend',
      access: 'admin',
      summary: 'Email the invoice again (202: the email is queued)',
      response: { status: 202, description: 'the invoice, delivery pending', schema: InvoiceActionResponseSchema },
      handle: async (request, deps) => json(202, actionJson(await resendInvoice(deps, request.params.id))),
    }),
    route({
      method: 'GET',
      path: '/v1/invoices/{id}/pdf',
      access: 'admin',
      summary: 'The invoice as PDF, rendered from the stored invoice (the same bytes every time)',
      response: { status: 200, description: 'the PDF', mediaType: 'application/pdf' },
      handle: async (request, deps) => {
        const invoice = await currentInvoice(deps, await deps.invoices.get(request.params.id));
        return documentResponse(await deps.documents.render({ kind: 'invoice', invoice }, 'pdf'));
      },
    }),
    route({
      method: 'GET',
      path: '/v1/invoices/{id}/einvoice',
      access: 'admin',
      summary:
        "The invoice as an e-invoice (?format=xrechnung-ubl|xrechnung-cii|zugferd; default: the customer's invoice_format, else xrechnung-ubl). A draft has none (409).",
      query: EInvoiceQuerySchema,
      response: { status: 200, description: E_INVOICE_RESPONSE, mediaType: 'application/xml' },
      handle: async (request, deps) => {
        const invoice = await deps.invoices.get(request.params.id);
        const format = await eInvoiceFormatFor(deps.customers, invoice.customerId, request.query.format);
        return documentResponse(await deps.documents.render({ kind: 'invoice', invoice }, format));
      },
    }),
  ];
}
