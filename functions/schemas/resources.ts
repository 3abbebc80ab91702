import { z } from 'zod';
import { aggregationOf } from '../domain/metering/aggregations/index.js';
import { AGGREGATIONS } from '../domain/metering/meter.js';
import { InstantSchema, lineText, PercentSchema, TimeZoneSchema, tolerant } from './common.js';
import { CurrencySchema } from './evaluate.js';

const DOT_PATH = /^[A-Za-z_$][\w$-]*(\.[A-Za-z_$][\w$-]*)*$/;
const dotPath = z
  .string()
  .max(200)
  .regex(DOT_PATH, 'must be a property name or dot path such as "usage.tokens"')
  .refine((path) => !path.split('.').includes('__proto__'), {
    message: 'must not name "__proto__" (it cannot be stored as a dimension name)',
  });

export const MeterKeySchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/, 'must be 1-64 lowercase letters, digits, "_", "." or "-"');
export const CustomerIdSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._:@+-]{0,127}$/,
    'must be 1-128 letters, digits and . _ : @ + - (it is the CloudEvents subject)',
  );

export const CreateMeterSchema = z
  .object({
    key: MeterKeySchema,
    name: lineText(200),
    event_type: lineText(256),
    aggregation: z.enum(AGGREGATIONS, { message: `must be one of ${AGGREGATIONS.join(', ')}` }),
    value_property: dotPath.optional(),
    group_by: z.array(dotPath).max(5).default([]),
  })
  .strict()
  .superRefine(
    tolerant((meter, ctx) => {
      const aggregation = aggregationOf(meter.aggregation);
      if (aggregation.reads !== 'nothing' && !meter.value_property) {
        ctx.addIssue({
          code: 'custom',
          path: ['value_property'],
          message: `is required for aggregation '${meter.aggregation}'`,
        });
      }
      if (aggregation.reads === 'nothing' && meter.value_property) {
        ctx.addIssue({
          code: 'custom',
          path: ['value_property'],
          message: `must be omitted for aggregation '${meter.aggregation}' (${aggregation.explanation})`,
        });
      }
      if (new Set(meter.group_by).size !== meter.group_by.length) {
        ctx.addIssue({ code: 'custom', path: ['group_by'], message: 'must not repeat a property' });
      }
    }),
  )
  .meta({ id: 'CreateMeter' });

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

export const CreateApiKeySchema = z
  .object({
    name: lineText(200),
    scope: z.enum(['admin', 'ingest'], { message: 'must be "admin" or "ingest"' }),
  })
  .strict()
  .meta({ id: 'CreateApiKey' });

export const UsageQuerySchema = z
  .object({
    meter: MeterKeySchema,
    from: InstantSchema,
    to: InstantSchema,
    granularity: z.enum(['hour', 'day', 'total'], { message: 'must be hour, day or total' }).default('total'),
    group_by: z.string().max(200).optional(),
    timezone: TimeZoneSchema.optional(),
    format: z.enum(['json', 'csv'], { message: 'must be json or csv' }).optional(),
  })
  .strict()
  .superRefine(
    tolerant((query, ctx) => {
      if (query.to <= query.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
      if (query.to.getTime() - query.from.getTime() > 400 * 86_400_000) {
        ctx.addIssue({ code: 'custom', path: ['to'], message: 'the range may span at most 400 days' });
      }
    }),
  );

export const ReconcileQuerySchema = z
  .object({
    customer: CustomerIdSchema,
    from: InstantSchema,
    to: InstantSchema,
  })
  .strict()
  .superRefine(
    tolerant((query, ctx) => {
      if (query.to <= query.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
    }),
  );
