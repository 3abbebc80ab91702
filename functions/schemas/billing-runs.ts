import * as z from 'zod';
import { InstantSchema, InstantStringSchema, listOf } from './common.js';

export const RunListQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }).strict();

export const StartRunSchema = z.object({ as_of: InstantSchema.optional() }).strict();

/** One subscription's outcome in a billing run. */
export const RunResultSchema = z
  .strictObject({
    subscription_id: z.string(),
    status: z
      .enum(['invoiced', 'drafted', 'skipped', 'failed'])
      .meta({ description: 'drafted: the invoice grace period runs, the invoice is a draft' }),
    invoice_id: z.string().optional(),
    invoice_number: z.string().optional(),
    code: z.string().optional().meta({ description: 'A failure the close recognised, e.g. rating_failed' }),
    message: z.string().optional(),
    error: z.string().optional().meta({ description: 'A crash the state machine caught: the error name' }),
    cause: z.string().optional().meta({ description: "Step Functions' cause (a JSON string)" }),
    reason: z.string().optional().meta({ description: 'Why the subscription was skipped' }),
  })
  .meta({ id: 'BillingRunResult' });

/** A billing run: one close of every subscription whose period ended by `as_of`. */
export const RunResponseSchema = z
  .strictObject({
    id: z.string(),
    as_of: InstantStringSchema,
    status: z
      .enum(['running', 'succeeded', 'failed', 'interrupted'])
      .meta({ description: 'interrupted: the process running it died (the next run resumes its work)' }),
    started_at: InstantStringSchema,
    finished_at: InstantStringSchema.optional(),
    summary: z.strictObject({ invoiced: z.int(), drafted: z.int(), skipped: z.int(), failed: z.int() }),
    results: z.array(RunResultSchema),
    error: z.string().optional(),
  })
  .meta({ id: 'BillingRun' });

export const RunListResponseSchema = listOf(RunResponseSchema).meta({ id: 'BillingRunList' });
