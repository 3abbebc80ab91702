import { z } from 'zod';
import { CurrencySchema, CustomerIdSchema, lineText, PercentSchema, TimeZoneSchema, tolerant } from './common.js';

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
};

export const CreateCustomerSchema = z
  .object({
    id: CustomerIdSchema,
    ...customerFields,
    timezone: TimeZoneSchema.default('UTC'),
    locale: customerFields.locale.default('en'),
  })
  .strict()
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
  })
  .strict()
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
