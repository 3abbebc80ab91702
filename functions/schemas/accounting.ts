import * as z from 'zod';
import { DecimalStringSchema, LocalDateSchema, LocalDateStringSchema, tolerant } from './common.js';

/** The longest range one export covers (a fiscal year, leap day included). */
export const EXPORT_MAX_DAYS = 366;
const DAY_MS = 86_400_000;

function dateRange(query: { from: string; to: string }, ctx: z.RefinementCtx) {
  const days = (Date.parse(`${query.to}T00:00:00Z`) - Date.parse(`${query.from}T00:00:00Z`)) / DAY_MS;
  if (days < 0) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be on or after from' });
  else if (days + 1 > EXPORT_MAX_DAYS)
    ctx.addIssue({ code: 'custom', path: ['to'], message: `the range may span at most ${EXPORT_MAX_DAYS} days` });
}

const range = {
  from: LocalDateSchema.meta({ description: 'First day (local date of the documents), included' }),
  to: LocalDateSchema.meta({ description: 'Last day, included' }),
};

/** GET /v1/exports/datev */
export const DatevExportQuerySchema = z.object(range).strict().superRefine(tolerant(dateRange));

/** GET /v1/exports/journal */
export const JournalExportQuerySchema = z
  .object({ ...range, format: z.enum(['json', 'csv'], { message: 'must be json or csv' }).optional() })
  .strict()
  .superRefine(tolerant(dateRange));

const JournalRowSchema = z
  .strictObject({
    date: LocalDateStringSchema,
    document_type: z.enum(['invoice', 'credit_note', 'payment', 'refund', 'balance_applied', 'balance_returned']),
    number: z.string().meta({ description: 'Invoice or credit note number (payments and refunds: their invoice)' }),
    reference: z.string(),
    customer_id: z.string(),
    customer_name: z.string(),
    account: z.string(),
    contra_account: z.string(),
    debit: z.union([DecimalStringSchema, z.literal('')]),
    credit: z.union([DecimalStringSchema, z.literal('')]),
    currency: z.string(),
    tax_rate: z.string().meta({ description: 'Percent of the revenue or VAT line; empty elsewhere' }),
    text: z.string(),
  })
  .meta({ id: 'JournalRow' });

export const JournalSchema = z
  .strictObject({
    from: LocalDateStringSchema,
    to: LocalDateStringSchema,
    rows: z.array(JournalRowSchema),
    totals: z.array(z.strictObject({ currency: z.string(), debit: DecimalStringSchema, credit: DecimalStringSchema })),
  })
  .meta({ id: 'Journal' });
