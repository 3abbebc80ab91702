import * as z from 'zod';
import { TAX_CATEGORIES, TAX_RULES } from '../domain/billing/tax.js';
import { INVOICE_FORMATS } from '../domain/customer.js';
import {
  CurrencySchema,
  CustomerIdSchema,
  DecimalStringSchema,
  InstantStringSchema,
  lineText,
  PercentSchema,
  TimeZoneSchema,
  tolerant,
} from './common.js';
import { CustomerDunningInputSchema, CustomerDunningResponseSchema, SuspensionResponseSchema } from './dunning.js';
import { EstimateSchema } from './reports.js';

const LOCALE = /^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|\d{3}))?$/;

export const AddressSchema = z
  .object({
    line1: lineText(200),
    line2: lineText(200).optional(),
    city: lineText(100),
    postal_code: z.string().max(20).optional(),
    state: z.string().max(100).optional(),
    country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as "DE"'),
  })
  .strict();

const customerFields = {
  name: lineText(200),
  email: z.email({ message: 'must be an email address' }),
  currency: CurrencySchema,
  timezone: TimeZoneSchema,
  locale: z.string().regex(LOCALE, 'must be a BCP 47 locale such as "en", "de" or "de-DE"'),
  address: AddressSchema.optional(),
  tax_id: z.string().min(2).max(32).optional(),
  tax_rate: PercentSchema.optional(),
  payment_terms_days: z.int().min(0).max(365).optional(),
  invoice_grace_hours: z
    .int()
    .min(0)
    .max(720)
    .optional()
    .meta({ description: "Hours the period's invoice stays a draft (absent: the plan's, else the global setting)" }),
  stripe_customer_id: z
    .string()
    .regex(/^cus_[A-Za-z0-9]{1,250}$/, 'must be a Stripe customer id such as "cus_NffrFeUfNV2Hib"')
    .optional()
    .meta({ description: 'The customer at Stripe: finalized invoices are collected from its default payment method' }),
  tax_exempt: z.boolean().optional().meta({ description: 'Charged no VAT; tax_exempt_reason says why' }),
  tax_exempt_reason: lineText(200)
    .optional()
    .meta({ description: 'Why the customer is tax exempt, printed on its invoices; required with tax_exempt: true' }),
  dunning: CustomerDunningInputSchema.optional(),
  buyer_reference: lineText(200)
    .refine((text) => text.trim() === text, 'must not begin or end with spaces')
    .optional()
    .meta({
      description:
        "The customer's reference for routing invoices (BT-10: the Leitweg-ID of a German public authority, or a reference the customer asked for); e-invoices carry it",
    }),
  invoice_format: z
    .enum(INVOICE_FORMATS, { message: `must be one of ${INVOICE_FORMATS.join(', ')}` })
    .optional()
    .meta({
      description:
        'How the customer receives invoices (default pdf): xrechnung-ubl, xrechnung-cii or zugferd are e-invoices',
    }),
};

const EXEMPT_REASON_REQUIRED = 'is required when tax_exempt is true';
const EXEMPT_REASON_ONLY_WHEN_EXEMPT = 'is allowed only with tax_exempt: true';

export const CreateCustomerSchema = z
  .object({
    id: CustomerIdSchema,
    ...customerFields,
    timezone: TimeZoneSchema.default('UTC'),
    locale: customerFields.locale.default('en'),
  })
  .strict()
  .superRefine(
    tolerant((body, ctx) => {
      if (body.tax_exempt === true && body.tax_exempt_reason === undefined)
        ctx.addIssue({ code: 'custom', path: ['tax_exempt_reason'], message: EXEMPT_REASON_REQUIRED });
      if (body.tax_exempt !== true && body.tax_exempt_reason !== undefined)
        ctx.addIssue({ code: 'custom', path: ['tax_exempt_reason'], message: EXEMPT_REASON_ONLY_WHEN_EXEMPT });
    }),
  )
  .meta({ id: 'CreateCustomer' });

export const UpdateCustomerSchema = z
  .object({
    name: customerFields.name.optional(),
    email: customerFields.email.optional(),
    currency: customerFields.currency.optional(),
    timezone: customerFields.timezone.optional(),
    locale: customerFields.locale.optional(),
    address: AddressSchema.nullable().optional(),
    tax_id: customerFields.tax_id.nullable().optional(),
    tax_rate: customerFields.tax_rate.nullable().optional(),
    payment_terms_days: customerFields.payment_terms_days,
    invoice_grace_hours: customerFields.invoice_grace_hours.nullable(),
    stripe_customer_id: customerFields.stripe_customer_id.nullable(),
    tax_exempt: z
      .boolean()
      .nullable()
      .optional()
      .meta({ description: 'true needs tax_exempt_reason; false or null ends the exemption and removes the reason' }),
    tax_exempt_reason: lineText(200).nullable().optional().meta({
      description:
        'Why the customer is tax exempt: with tax_exempt: true, or alone for a customer who is exempt already',
    }),
    buyer_reference: customerFields.buyer_reference.nullable(),
    invoice_format: customerFields.invoice_format.nullable().meta({ description: 'null: back to pdf' }),
    dunning: CustomerDunningInputSchema.nullable()
      .optional()
      .meta({ description: 'Replaces the customer’s dunning settings; null: back to the configured default' }),
  })
  .strict()
  .superRefine(
    tolerant((body, ctx) => {
      if (body.tax_exempt === true && (body.tax_exempt_reason === undefined || body.tax_exempt_reason === null))
        ctx.addIssue({ code: 'custom', path: ['tax_exempt_reason'], message: EXEMPT_REASON_REQUIRED });
      if ((body.tax_exempt === false || body.tax_exempt === null) && typeof body.tax_exempt_reason === 'string')
        ctx.addIssue({ code: 'custom', path: ['tax_exempt_reason'], message: EXEMPT_REASON_ONLY_WHEN_EXEMPT });
    }),
  )
  .meta({ id: 'UpdateCustomer' });

export const ListQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    cursor: z.string().max(2000).optional(),
  })
  .strict();

/** The customer list, optionally with each customer's current-period estimate (usage so far, estimated bill). */
export const CustomerListQuerySchema = ListQuerySchema.extend({
  include: z.enum(['estimate'], { message: "must be 'estimate'" }).optional(),
  /** Case-insensitive part of the id, name or email: every customer is searched, the first `limit` matches returned. */
  q: z.string().trim().min(1, { message: 'must not be empty' }).max(100).optional(),
})
  .strict()
  .superRefine(
    tolerant((query, ctx) => {
      if (query.q && query.cursor)
        ctx.addIssue({ code: 'custom', path: ['cursor'], message: 'a search (q) returns one page: no cursor' });
    }),
  );

/** An address as the API sends it (customers, and the parties of an invoice). */
export const AddressResponseSchema = z
  .strictObject({
    line1: z.string(),
    line2: z.string().optional(),
    city: z.string(),
    postal_code: z.string().optional(),
    state: z.string().optional(),
    country: z.string(),
  })
  .meta({ id: 'Address' });

/** The VAT a customer is charged now (the rules of docs/billing.md, "Tax"); read-only. */
export const TaxTreatmentResponseSchema = z
  .strictObject({
    rule: z.enum(TAX_RULES),
    category: z.enum(TAX_CATEGORIES).meta({ description: 'EN 16931 VAT category code (UNCL5305)' }),
    rate: DecimalStringSchema.meta({ description: 'Percent, e.g. "19"' }),
    country: z.string().optional().meta({ description: 'The country whose VAT applies, when one does' }),
    reason: z
      .string()
      .optional()
      .meta({ description: 'Why the rate is what it is; always set when the rate is 0, printed on invoices' }),
  })
  .meta({ id: 'TaxTreatment' });

const customerResponseFields = {
  id: z.string(),
  name: z.string(),
  email: z.string(),
  currency: z.string(),
  timezone: z.string(),
  locale: z.string(),
  address: AddressResponseSchema.optional(),
  tax_id: z.string().optional(),
  tax_rate: DecimalStringSchema.optional().meta({ description: 'Percent, e.g. "19"' }),
  payment_terms_days: z.int(),
  invoice_grace_hours: z.int().optional(),
  stripe_customer_id: z.string().optional(),
  tax_exempt: z.boolean().optional(),
  tax_exempt_reason: z.string().optional(),
  buyer_reference: z.string().optional(),
  invoice_format: z.enum(INVOICE_FORMATS),
  tax: TaxTreatmentResponseSchema,
  billed_through: z.string().optional().meta({ description: 'The end of the last period invoiced' }),
  dunning: CustomerDunningResponseSchema,
  suspended: SuspensionResponseSchema.optional(),
  created_at: InstantStringSchema,
  updated_at: InstantStringSchema,
};

/** A customer as the API sends it. */
export const CustomerResponseSchema = z.strictObject(customerResponseFields).meta({ id: 'Customer' });

/** GET /v1/customers: a page of customers, or the matches of a search; with include=estimate, each with its estimate. */
export const CustomerListResponseSchema = z
  .strictObject({
    data: z.array(
      z
        .strictObject({
          ...customerResponseFields,
          estimate: EstimateSchema.nullable().optional().meta({
            description:
              'With include=estimate: the current period as the latest refresh rated it; null without an active subscription',
          }),
        })
        .meta({ id: 'CustomerListItem' }),
    ),
    estimates_as_of: InstantStringSchema.nullable()
      .optional()
      .meta({ description: 'With include=estimate: the latest refresh (null: none yet)' }),
    next_cursor: z.string().optional(),
    truncated: z.boolean().optional().meta({ description: 'With q: there are more matches than `limit`' }),
  })
  .meta({ id: 'CustomerList' });
