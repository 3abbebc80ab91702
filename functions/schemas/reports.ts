import { z } from 'zod';
import { CustomerIdSchema, InstantSchema, MeterKeySchema, TimeZoneSchema, tolerant } from './common.js';

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
