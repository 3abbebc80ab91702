import { z } from 'zod';
import { CustomerIdSchema, InstantSchema, tolerant } from './common.js';

export const InvoiceListQuerySchema = z
  .object({
    customer: CustomerIdSchema.optional(),
    status: z.enum(['finalized', 'paid', 'void'], { message: 'must be finalized, paid or void' }).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: z.string().max(2000).optional(),
    /** Issued at or after (with `to`: every match in the range, no pages). */
    from: InstantSchema.optional(),
    /** Issued before. */
    to: InstantSchema.optional(),
    format: z.enum(['json', 'csv'], { message: 'must be json or csv' }).optional(),
  })
  .strict()
  .superRefine(
    tolerant((query, ctx) => {
      if (query.from && query.to && query.to <= query.from)
        ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
    }),
  );

export const VoidInvoiceSchema = z
  .object({ reason: z.string().trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters') })
  .strict()
  .meta({ id: 'VoidInvoice' });

export const MarkPaidSchema = z
  .object({
    paid_at: InstantSchema,
    reference: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  })
  .strict()
  .meta({ id: 'MarkInvoicePaid' });
