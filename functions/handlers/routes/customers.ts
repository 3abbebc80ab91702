import type * as z from 'zod';
import { InvalidInputError } from '../../app/errors.js';
import { isCurrent } from '../../app/estimates.js';
import type { CustomerDunning } from '../../domain/billing/dunning.js';
import type { Address, Customer } from '../../domain/customer.js';
import { formatDecimal } from '../../domain/money.js';
import { json } from '../../http/respond.js';
import { type Route, routesFor } from '../../http/router.js';
import {
  CreateCustomerSchema,
  CustomerListQuerySchema,
  CustomerListResponseSchema,
  CustomerResponseSchema,
  UpdateCustomerSchema,
} from '../../schemas/customers.js';
import type { ApiDeps } from '../deps.js';
import { customerJson } from './wire.js';

type AddressInput = z.output<typeof CreateCustomerSchema>['address'];

function toAddress(input: NonNullable<AddressInput>): Address {
  return {
    line1: input.line1,
    ...(input.line2 ? { line2: input.line2 } : {}),
    city: input.city,
    ...(input.postal_code ? { postalCode: input.postal_code } : {}),
    ...(input.state ? { state: input.state } : {}),
    country: input.country,
  };
}

/**
 * A change of the exemption: tax_exempt true comes with its reason (the schema checks that); false or
 * null ends it and removes the reason; a reason alone replaces the reason of a customer who is exempt.
 */
function applyTaxExemption(
  next: Customer,
  body: Pick<z.output<typeof UpdateCustomerSchema>, 'tax_exempt' | 'tax_exempt_reason'>,
): void {
  if (body.tax_exempt === true && body.tax_exempt_reason) {
    next.taxExempt = true;
    next.taxExemptReason = body.tax_exempt_reason;
    return;
  }
  if (body.tax_exempt === false || body.tax_exempt === null) {
    delete next.taxExempt;
    delete next.taxExemptReason;
    return;
  }
  if (body.tax_exempt_reason === undefined) return;
  if (!next.taxExempt) {
    if (body.tax_exempt_reason === null) return;
    throw new InvalidInputError([
      { path: '/tax_exempt_reason', message: 'the customer is not tax exempt: send tax_exempt: true with the reason' },
    ]);
  }
  if (body.tax_exempt_reason === null)
    throw new InvalidInputError([
      {
        path: '/tax_exempt_reason',
        message: 'is required while the customer is tax exempt (tax_exempt: false ends the exemption)',
      },
    ]);
  next.taxExemptReason = body.tax_exempt_reason;
}

const route = routesFor<ApiDeps>();

/** Customers (a customer's id is the CloudEvents subject of its usage events). */
function toDunning(input: NonNullable<z.output<typeof CreateCustomerSchema>['dunning']>): CustomerDunning {
  return {
    ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
    ...(input.schedule
      ? { schedule: input.schedule.map((step) => ({ afterDays: step.after_days, action: step.action })) }
      : {}),
  };
}

export function customerRoutes(): Route<ApiDeps>[] {
  return [
    route({
      method: 'POST',
      path: '/v1/customers',
      access: 'admin',
      summary: 'Create a customer (its id is the CloudEvents subject)',
      body: CreateCustomerSchema,
      response: { status: 201, description: 'the customer', schema: CustomerResponseSchema },
      handle: async (request, deps) => {
        const { body } = request;
        const now = deps.clock().toISOString();
        const customer: Customer = {
          id: body.id,
          name: body.name,
          email: body.email,
          currency: body.currency,
          timezone: body.timezone,
          locale: body.locale,
          ...(body.address ? { address: toAddress(body.address) } : {}),
          ...(body.tax_id ? { taxId: body.tax_id } : {}),
          ...(body.tax_rate ? { taxRate: formatDecimal(body.tax_rate) } : {}),
          ...(body.tax_exempt && body.tax_exempt_reason
            ? { taxExempt: true, taxExemptReason: body.tax_exempt_reason }
            : {}),
          ...(body.buyer_reference !== undefined ? { buyerReference: body.buyer_reference } : {}),
          ...(body.invoice_format !== undefined && body.invoice_format !== 'pdf'
            ? { invoiceFormat: body.invoice_format }
            : {}),
          paymentTermsDays: body.payment_terms_days ?? 14,
          ...(body.invoice_grace_hours !== undefined ? { invoiceGraceHours: body.invoice_grace_hours } : {}),
          ...(body.stripe_customer_id !== undefined ? { paymentProviderId: body.stripe_customer_id } : {}),
          ...(body.dunning ? { dunning: toDunning(body.dunning) } : {}),
          createdAt: now,
          updatedAt: now,
        };
        await deps.customers.create(customer);
        return json(201, customerJson(customer, deps.config.seller, deps.config.dunningSchedule));
      },
    }),
    route({
      method: 'GET',
      path: '/v1/customers',
      access: 'admin',
      summary:
        "List customers (paginated with cursor), or search them (q: part of the id, name or email, any case; the first `limit` matches, `truncated` when there are more); with include=estimate, each with its current period's usage and estimated bill from the latest refresh",
      query: CustomerListQuerySchema,
      response: { status: 200, description: 'a page of customers, or the matches', schema: CustomerListResponseSchema },
      handle: async (request, deps) => {
        const { query } = request;
        const page: { items: Customer[]; nextCursor?: string; truncated?: boolean } = query.q
          ? await deps.customers.search(query.q, query.limit)
          : await deps.customers.list(query.limit, query.cursor);
        const more = {
          ...(page.nextCursor ? { next_cursor: page.nextCursor } : {}),
          ...(query.q ? { truncated: page.truncated === true } : {}),
        };
        if (query.include === 'estimate') {
          const [snapshot, estimates] = await Promise.all([
            deps.estimates.snapshot(),
            deps.estimates.forCustomers(page.items.map((customer) => customer.id)),
          ]);
          return json(200, {
            data: page.items.map((customer) => {
              const estimate = estimates.get(customer.id);
              return {
                ...customerJson(customer, deps.config.seller, deps.config.dunningSchedule),
                estimate: estimate && isCurrent(estimate, snapshot) ? estimate : null,
              };
            }),
            estimates_as_of: snapshot?.as_of ?? null,
            ...more,
          });
        }
        return json(200, {
          data: page.items.map((customer) => customerJson(customer, deps.config.seller, deps.config.dunningSchedule)),
          ...more,
        });
      },
    }),
    route({
      method: 'GET',
      path: '/v1/customers/{id}',
      access: 'admin',
      summary: 'Get a customer',
      response: { status: 200, description: 'the customer', schema: CustomerResponseSchema },
      handle: async (request, deps) =>
        json(
          200,
          customerJson(await deps.customers.get(request.params.id), deps.config.seller, deps.config.dunningSchedule),
        ),
    }),
    route({
      method: 'PATCH',
      path: '/v1/customers/{id}',
      access: 'admin',
      summary: 'Change a customer (null removes an optional field)',
      body: UpdateCustomerSchema,
      response: { status: 200, description: 'the changed customer', schema: CustomerResponseSchema },
      handle: async (request, deps) => {
        const { body } = request;
        const updated = await deps.customers.update(request.params.id, (current) => {
          const next: Customer = { ...current, updatedAt: deps.clock().toISOString() };
          if (body.name !== undefined) next.name = body.name;
          if (body.email !== undefined) next.email = body.email;
          if (body.currency !== undefined) next.currency = body.currency;
          if (body.timezone !== undefined) next.timezone = body.timezone;
          if (body.locale !== undefined) next.locale = body.locale;
          if (body.payment_terms_days !== undefined) next.paymentTermsDays = body.payment_terms_days;
          if (body.invoice_grace_hours === null) delete next.invoiceGraceHours;
          else if (body.invoice_grace_hours !== undefined) next.invoiceGraceHours = body.invoice_grace_hours;
          if (body.stripe_customer_id === null) delete next.paymentProviderId;
          else if (body.stripe_customer_id !== undefined) next.paymentProviderId = body.stripe_customer_id;
          if (body.address === null) delete next.address;
          else if (body.address) next.address = toAddress(body.address);
          if (body.tax_id === null) delete next.taxId;
          else if (body.tax_id) next.taxId = body.tax_id;
          if (body.tax_rate === null) delete next.taxRate;
          else if (body.tax_rate) next.taxRate = formatDecimal(body.tax_rate);
          applyTaxExemption(next, body);
          if (body.buyer_reference === null) delete next.buyerReference;
          else if (body.buyer_reference !== undefined) next.buyerReference = body.buyer_reference;
          if (body.invoice_format === null || body.invoice_format === 'pdf') delete next.invoiceFormat;
          else if (body.invoice_format !== undefined) next.invoiceFormat = body.invoice_format;
          if (body.dunning === null) delete next.dunning;
          else if (body.dunning) next.dunning = toDunning(body.dunning);
          return next;
        });
        // The profile as written, with what the store keeps beside it (seal, suspension).
        const stored = { ...(await deps.customers.get(request.params.id)), ...updated };
        return json(200, customerJson(stored, deps.config.seller, deps.config.dunningSchedule));
      },
    }),
  ];
}
