import { createCharge } from '../../app/charges.js';
import { finalizeDraft, previewDraft, refreshDraft, reissueInvoice } from '../../app/close-period.js';
import { ConflictError, InvalidInputError, NotFoundError } from '../../app/errors.js';
import type { OneOffCharge } from '../../domain/billing/charge.js';
import { Decimal, outOfRange } from '../../domain/decimal.js';
import type { Invoice } from '../../domain/invoice.js';
import { formatAmount, formatDecimal } from '../../domain/money.js';
import { json } from '../../http/respond.js';
import { type Route, routesFor } from '../../http/router.js';
import {
  AddDraftLineSchema,
  ChargeListResponseSchema,
  ChargeResponseSchema,
  CreateChargeResponseSchema,
  CreateChargeSchema,
} from '../../schemas/charges.js';
import { InvoiceResponseSchema } from '../../schemas/invoices.js';
import type { ApiDeps } from '../deps.js';
import { invoiceJson } from './billing-wire.js';

const route = routesFor<ApiDeps>();

export function chargeJson(charge: OneOffCharge) {
  return {
    id: charge.id,
    customer: charge.customerId,
    description: charge.description,
    quantity: charge.quantity,
    unit_amount: charge.unitAmount,
    amount: formatAmount(new Decimal(charge.quantity).times(charge.unitAmount), charge.currency),
    currency: charge.currency,
    ...(charge.taxRate !== undefined ? { tax_rate: charge.taxRate } : {}),
    status: charge.status,
    ...(charge.invoiceId ? { invoice_id: charge.invoiceId } : {}),
    created_at: charge.createdAt,
  };
}

/** The charge's fields as stored; refuses an amount (quantity × unit amount) the books cannot hold. */
function chargeInput(body: { description: string; quantity: Decimal; unit_amount: Decimal; tax_rate?: Decimal }) {
  const problem = outOfRange(body.quantity.times(body.unit_amount));
  if (problem !== undefined)
    throw new InvalidInputError([{ path: 'unit_amount', message: `quantity × unit_amount ${problem}` }]);
  return {
    description: body.description,
    quantity: formatDecimal(body.quantity),
    unitAmount: formatDecimal(body.unit_amount),
    ...(body.tax_rate !== undefined ? { taxRate: formatDecimal(body.tax_rate) } : {}),
  };
}

async function draftOf(deps: ApiDeps, id: string): Promise<Invoice> {
  const invoice = await deps.invoices.get(id);
  if (invoice.status !== 'draft')
    throw new ConflictError(
      `invoice ${invoice.number || invoice.id} is ${invoice.status}: only a draft can be changed (credit a finalized invoice with a credit note)`,
    );
  return invoice;
}

/** One-off charges, and what can be done to a draft (lines, finalize) and to a void invoice (reissue). */
export function chargeRoutes(): Route<ApiDeps>[] {
  return [
    route({
      method: 'POST',
      path: '/v1/customers/{id}/charges',
      access: 'admin',
      summary:
        "A one-off charge: billed on the customer's next invoice in its currency, or with invoice_now at once on an invoice of its own",
      body: CreateChargeSchema,
      response: { status: 201, description: 'the charge (and its invoice)', schema: CreateChargeResponseSchema },
      handle: async ({ params, body }, deps) => {
        const customer = await deps.customers.get(params.id);
        const { charge, invoice } = await createCharge(
          deps,
          customer,
          { ...chargeInput(body), currency: body.currency ?? customer.currency },
          body.invoice_now === true,
        );
        return json(201, { charge: chargeJson(charge), ...(invoice ? { invoice: invoiceJson(invoice) } : {}) });
      },
    }),
    route({
      method: 'GET',
      path: '/v1/customers/{id}/charges',
      access: 'admin',
      summary: "The customer's one-off charges, oldest first: pending ones wait for the next invoice",
      response: { status: 200, description: 'the charges', schema: ChargeListResponseSchema },
      handle: async ({ params }, deps) => {
        await deps.customers.get(params.id);
        return json(200, { data: (await deps.charges.list(params.id)).map(chargeJson) });
      },
    }),
    route({
      method: 'DELETE',
      path: '/v1/customers/{id}/charges/{charge}',
      access: 'admin',
      summary: 'Remove a one-off charge not billed yet (409 once billed: credit it with a credit note)',
      response: { status: 200, description: 'the removed charge', schema: ChargeResponseSchema },
      handle: async ({ params }, deps) => {
        const charge = (await deps.charges.list(params.id)).find((c) => c.id === params.charge);
        if (!charge) throw new NotFoundError(`customer '${params.id}' has no one-off charge '${params.charge}'`);
        await deps.charges.remove(params.id, params.charge);
        return json(200, chargeJson(charge));
      },
    }),
    route({
      method: 'POST',
      path: '/v1/invoices/{id}/lines',
      access: 'admin',
      summary: 'Add a one-off line to a draft invoice (a charge in its currency); returns the draft as it reads now',
      body: AddDraftLineSchema,
      response: { status: 201, description: 'the draft with the line', schema: InvoiceResponseSchema },
      handle: async ({ params, body }, deps) => {
        const draft = await draftOf(deps, params.id);
        const customer = await deps.customers.get(draft.customerId);
        await createCharge(deps, customer, { ...chargeInput(body), currency: draft.currency }, false);
        return json(201, invoiceJson(await refreshDraft(deps, draft)));
      },
    }),
    route({
      method: 'DELETE',
      path: '/v1/invoices/{id}/lines/{charge}',
      access: 'admin',
      summary: 'Take a one-off line off a draft invoice (the charge is removed); returns the draft as it reads now',
      response: { status: 200, description: 'the draft without the line', schema: InvoiceResponseSchema },
      handle: async ({ params }, deps) => {
        const draft = await draftOf(deps, params.id);
        if (!draft.lines.some((line) => line.oneOff?.charge === params.charge))
          throw new NotFoundError(`draft ${draft.id} has no one-off line of charge '${params.charge}'`);
        await deps.charges.remove(draft.customerId, params.charge);
        return json(200, invoiceJson(await refreshDraft(deps, draft)));
      },
    }),
    route({
      method: 'POST',
      path: '/v1/invoices/{id}/finalize',
      access: 'admin',
      summary: 'Finalize a draft now, before its grace period ends: it is rated a last time and takes its number',
      response: { status: 200, description: 'the finalized invoice', schema: InvoiceResponseSchema },
      handle: async ({ params }, deps) => {
        const draft = await draftOf(deps, params.id);
        const outcome = await finalizeDraft(deps, draft);
        if (outcome.status === 'failed') throw new ConflictError(`the draft cannot be rated: ${outcome.message}`);
        return json(200, invoiceJson(await deps.invoices.get(params.id)));
      },
    }),
    route({
      method: 'POST',
      path: '/v1/invoices/{id}/reissue',
      access: 'admin',
      summary:
        'Issue a void invoice again: its period rated again from the counters, with a new number (once per void invoice)',
      response: { status: 201, description: 'the new invoice', schema: InvoiceResponseSchema },
      handle: async ({ params }, deps) => {
        const voided = await deps.invoices.get(params.id);
        const reissued = await reissueInvoice(deps, voided);
        await deps.invoices.update(voided.id, (current) =>
          current.reissuedAs === reissued.id ? current : { ...current, reissuedAs: reissued.id },
        );
        return json(201, invoiceJson(reissued));
      },
    }),
  ];
}

/** A stored invoice as the API shows it: a draft as it reads now (late events, lines changed since). */
export async function currentInvoice(deps: ApiDeps, invoice: Invoice): Promise<Invoice> {
  return invoice.status === 'draft' ? previewDraft(deps, invoice) : invoice;
}
