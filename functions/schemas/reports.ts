import * as z from 'zod';
import {
  CustomerIdSchema,
  DecimalStringSchema,
  InstantSchema,
  InstantStringSchema,
  LocalDateStringSchema,
  MeterKeySchema,
  TimeZoneSchema,
  tolerant,
} from './common.js';

const DAY_MS = 86_400_000;

function rangeRefinement(maxDays: number) {
  return (query: { from?: Date; to?: Date }, ctx: z.RefinementCtx) => {
    if (query.from && query.to && query.to <= query.from)
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
    if (query.from && query.to && query.to.getTime() - query.from.getTime() > maxDays * DAY_MS)
      ctx.addIssue({ code: 'custom', path: ['to'], message: `the range may span at most ${maxDays} days` });
  };
}

export const RevenueQuerySchema = z
  .object({
    from: InstantSchema,
    to: InstantSchema,
    group_by: z.enum(['month', 'plan', 'customer'], { message: 'must be month, plan or customer' }).default('month'),
    limit: z.coerce.number().int().min(1).max(10_000).optional(),
  })
  .strict()
  .superRefine(tolerant(rangeRefinement(3700)));

export const IngestionQuerySchema = z
  .object({ from: InstantSchema, to: InstantSchema })
  .strict()
  .superRefine(tolerant(rangeRefinement(400)));

export const UpcomingQuerySchema = z.object({ top: z.coerce.number().int().min(1).max(100).default(10) }).strict();

export const InvoiceExportQuerySchema = z
  .object({
    from: InstantSchema.optional(),
    to: InstantSchema.optional(),
    customer: CustomerIdSchema.optional(),
    status: z.enum(['finalized', 'paid', 'void'], { message: 'must be finalized, paid or void' }).optional(),
  })
  .strict()
  .superRefine(tolerant(rangeRefinement(3700)));

export const UsageExportQuerySchema = z
  .object({
    customer: CustomerIdSchema,
    meter: MeterKeySchema,
    from: InstantSchema,
    to: InstantSchema,
    granularity: z.enum(['hour', 'day', 'total'], { message: 'must be hour, day or total' }).default('day'),
    group_by: z.string().max(200).optional(),
    timezone: TimeZoneSchema.optional(),
  })
  .strict()
  .superRefine(tolerant(rangeRefinement(400)));

const amounts = {
  count: z.int(),
  subtotal: DecimalStringSchema,
  tax: DecimalStringSchema,
  total: DecimalStringSchema,
  paid: DecimalStringSchema.meta({ description: 'Of `total`, what is marked paid' }),
  outstanding: DecimalStringSchema,
};

/** GET /v1/reports/revenue */
export const RevenueReportSchema = z
  .strictObject({
    from: InstantStringSchema,
    to: InstantStringSchema,
    group_by: z.enum(['month', 'plan', 'customer']),
    groups: z.array(
      z
        .strictObject({
          key: z.string().meta({ description: 'yyyy-mm (UTC month of the issue instant), plan key or customer id' }),
          label: z.string(),
          currency: z.string(),
          ...amounts,
        })
        .meta({ id: 'RevenueGroup' }),
    ),
    totals: z.array(z.strictObject({ currency: z.string(), ...amounts }).meta({ id: 'RevenueTotal' })),
    void_count: z.int().meta({ description: 'Void invoices issued in the range: left out of every sum' }),
  })
  .meta({ id: 'RevenueReport' });

/** GET /v1/reports/ingestion */
export const IngestionReportSchema = z
  .strictObject({
    from: InstantStringSchema,
    to: InstantStringSchema,
    days: z.array(
      z.strictObject({
        day: LocalDateStringSchema.meta({ description: 'UTC day of receipt' }),
        accepted: z.int(),
        duplicate: z.int(),
        rejected: z.record(z.string(), z.int()).meta({ description: 'Rejections by code' }),
        rejected_total: z.int(),
      }),
    ),
    totals: z.strictObject({
      accepted: z.int(),
      duplicate: z.int(),
      rejected: z.int(),
      rejected_by_code: z.record(z.string(), z.int()),
    }),
  })
  .meta({ id: 'IngestionReport' });

/** A customer's current period as the latest refresh of the estimates rated it. */
export const EstimateSchema = z
  .strictObject({
    customer: z.string(),
    name: z.string(),
    subscription: z.string(),
    plan: z.string(),
    plan_version: z.int(),
    currency: z.string(),
    period_start: InstantStringSchema,
    period_end: InstantStringSchema,
    usage_through: InstantStringSchema,
    usage: z
      .array(z.strictObject({ meter: z.string(), quantity: DecimalStringSchema }))
      .meta({ description: "Usage so far per meter of the plan's charges" }),
    subtotal: DecimalStringSchema,
    total: DecimalStringSchema,
    as_of: InstantStringSchema.meta({ description: 'The refresh this estimate belongs to' }),
  })
  .meta({ id: 'Estimate' });

/** GET /v1/reports/upcoming (and POST /v1/reports/upcoming/refresh when it rates in the request). */
export const UpcomingReportSchema = z
  .strictObject({
    as_of: InstantStringSchema.meta({ description: 'When the estimates were rated' }),
    duration_ms: z.number(),
    totals: z.array(
      z.strictObject({
        currency: z.string(),
        count: z.int(),
        subtotal: DecimalStringSchema,
        total: DecimalStringSchema,
      }),
    ),
    top: z
      .array(EstimateSchema)
      .meta({ description: 'The largest upcoming invoices (per currency, total descending)' }),
    subscriptions: z.int().meta({ description: 'How many subscriptions were active (rated or not)' }),
    failed: z
      .array(
        z.strictObject({
          subscription: z.string(),
          customer: z.string(),
          code: z.enum(['rating_failed', 'storage_unavailable']),
          error: z.string(),
        }),
      )
      .meta({ description: 'Subscriptions that could not be rated, left out of the totals (at most 100 kept)' }),
  })
  .meta({ id: 'UpcomingReport' });
