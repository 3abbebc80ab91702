import { issueCreditNote } from '../../app/credit-notes.js';
import { eInvoiceFormatFor } from '../../app/documents.js';
import { documentResponse, json } from '../../http/respond.js';
import { type Route, routesFor } from '../../http/router.js';
import {
  BalanceResponseSchema,
  CreateCreditNoteSchema,
  CreditNoteListQuerySchema,
  CreditNoteListResponseSchema,
  CreditNoteResponseSchema,
} from '../../schemas/credit-notes.js';
import { E_INVOICE_RESPONSE, EInvoiceQuerySchema } from '../../schemas/documents.js';
import type { ApiDeps } from '../deps.js';
import { creditNoteJson } from './billing-wire.js';

const route = routesFor<ApiDeps>();

/** Credit notes against invoices, and the customer balance they feed. */
export function creditNoteRoutes(): Route<ApiDeps>[] {
  return [
    route({
      method: 'POST',
      path: '/v1/invoices/{id}/credit-notes',
      access: 'admin',
      summary:
        'Issue a credit note against a finalized or paid invoice (refused: invoice_not_creditable, nothing_to_credit, method_not_allowed 409; over_credit, invalid_credit_line 422)',
      body: CreateCreditNoteSchema,
      response: { status: 201, description: 'the credit note', schema: CreditNoteResponseSchema },
      handle: async ({ params, body }, deps) => {
        const note = await issueCreditNote(deps, params.id, {
          lines: body.lines.map((line) => ({
            line: line.line,
            ...(line.amount !== undefined ? { amount: line.amount } : {}),
            ...(line.quantity !== undefined ? { quantity: line.quantity } : {}),
          })),
          reason: body.reason,
          method: body.method,
        });
        return json(201, creditNoteJson(note));
      },
    }),
    route({
      method: 'GET',
      path: '/v1/invoices/{id}/credit-notes',
      access: 'admin',
      summary: 'The credit notes of an invoice, oldest first',
      response: { status: 200, description: 'the credit notes', schema: CreditNoteListResponseSchema },
      handle: async ({ params }, deps) => {
        const invoice = await deps.invoices.get(params.id);
        const notes = await deps.creditNotes.byIds((invoice.creditNotes ?? []).map((note) => note.id));
        return json(200, { data: notes.map(creditNoteJson) });
      },
    }),
    route({
      method: 'GET',
      path: '/v1/credit-notes',
      access: 'admin',
      summary: 'List credit notes, newest first (of one customer with ?customer=)',
      query: CreditNoteListQuerySchema,
      response: { status: 200, description: 'the credit notes', schema: CreditNoteListResponseSchema },
      handle: async ({ query }, deps) => {
        const notes = query.customer
          ? (await deps.creditNotes.byCustomer(query.customer)).slice(0, query.limit)
          : await deps.creditNotes.list(query.limit);
        return json(200, { data: notes.map(creditNoteJson) });
      },
    }),
    route({
      method: 'GET',
      path: '/v1/credit-notes/{id}',
      access: 'admin',
      summary: 'Get a credit note',
      response: { status: 200, description: 'the credit note', schema: CreditNoteResponseSchema },
      handle: async ({ params }, deps) => json(200, creditNoteJson(await deps.creditNotes.get(params.id))),
    }),
    route({
      method: 'GET',
      path: '/v1/credit-notes/{id}/pdf',
      access: 'admin',
      summary: 'The credit note as PDF, rendered from the stored note (the same bytes every time)',
      response: { status: 200, description: 'the PDF', mediaType: 'application/pdf' },
      handle: async ({ params }, deps) => {
        const note = await deps.creditNotes.get(params.id);
        return documentResponse(await deps.documents.render({ kind: 'credit_note', note }, 'pdf'));
      },
    }),
    route({
      method: 'GET',
      path: '/v1/credit-notes/{id}/einvoice',
      access: 'admin',
      summary:
        "The credit note as an e-invoice (type 381, referencing its invoice; ?format=xrechnung-ubl|xrechnung-cii|zugferd; default: the customer's invoice_format, else xrechnung-ubl)",
      query: EInvoiceQuerySchema,
      response: { status: 200, description: E_INVOICE_RESPONSE, mediaType: 'application/xml' },
      handle: async (request, deps) => {
        const note = await deps.creditNotes.get(request.params.id);
        const format = await eInvoiceFormatFor(deps.customers, note.customerId, request.query.format);
        return documentResponse(await deps.documents.render({ kind: 'credit_note', note }, format));
      },
    }),
    route({
      method: 'GET',
      path: '/v1/customers/{id}/balance',
      access: 'admin',
      summary: "The customer's balance per currency (credit notes add, invoices draw) and its ledger",
      response: { status: 200, description: 'the balance', schema: BalanceResponseSchema },
      handle: async ({ params }, deps) => {
        const customer = await deps.customers.get(params.id);
        const [balances, ledger] = await Promise.all([
          deps.creditNotes.balances(customer.id),
          deps.creditNotes.balanceLedger(customer.id),
        ]);
        return json(200, {
          customer: customer.id,
          balances: balances.map((balance) => ({ currency: balance.currency, amount: balance.amount })),
          ledger: ledger.map((entry) => ({
            type: entry.type,
            currency: entry.currency,
            amount: entry.amount,
            at: entry.at,
            ...(entry.creditNoteId ? { credit_note: entry.creditNoteId } : {}),
            ...(entry.creditNoteNumber ? { credit_note_number: entry.creditNoteNumber } : {}),
            ...(entry.invoiceId ? { invoice: entry.invoiceId } : {}),
            ...(entry.invoiceNumber ? { invoice_number: entry.invoiceNumber } : {}),
          })),
        });
      },
    }),
  ];
}
