import * as z from 'zod';
import type { AsOf } from '../domain/receivables.js';
import {
  CurrencySchema,
  CustomerIdSchema,
  DecimalStringSchema,
  InstantSchema,
  InstantStringSchema,
  LocalDateSchema,
  LocalDateStringSchema,
} from './common.js';

const AS_OF_MESSAGE = 'must be an RFC 3339 timestamp such as "2026-11-02T08:00:00Z" or a date such as "2026-11-02"';

/** `as_of`: an instant (each invoice is aged in its own time zone) or a local date (the same day everywhere). */
export const AsOfSchema = z
  .string()
  .meta({
    description:
      "An RFC 3339 instant (read in each invoice's time zone) or a date YYYY-MM-DD (that local date everywhere); default: now",
  })
  .transform((text, ctx): AsOf => {
    if (text.length <= 10 && LocalDateSchema.safeParse(text).success) {
      const year = Number(text.slice(0, 4));
      if (year >= 1970) return { date: text };
    }
    const instant = text.length <= 40 ? InstantSchema.safeParse(text) : undefined;
    if (instant?.success) return { instant: instant.data };
    ctx.addIssue({ code: 'custom', message: AS_OF_MESSAGE });
    return z.NEVER;
  });

export const ReceivablesQuerySchema = z
  .object({
    as_of: AsOfSchema.optional(),
    currency: CurrencySchema.optional(),
    customer: CustomerIdSchema.optional(),
    format: z.enum(['json', 'csv'], { message: 'must be json or csv' }).optional(),
  })
  .strict();

export const AGING_BUCKET_NAMES = ['current', 'days_1_30', 'days_31_60', 'days_61_90', 'days_over_90'] as const;

const bucketAmounts = {
  count: z.int().meta({ description: 'Open invoices counted' }),
  total: DecimalStringSchema.meta({ description: 'Outstanding: the sum of the buckets' }),
  current: DecimalStringSchema.meta({ description: 'Not yet overdue (due today or later)' }),
  days_1_30: DecimalStringSchema.meta({ description: '1 to 30 days overdue' }),
  days_31_60: DecimalStringSchema.meta({ description: '31 to 60 days overdue' }),
  days_61_90: DecimalStringSchema.meta({ description: '61 to 90 days overdue' }),
  days_over_90: DecimalStringSchema.meta({ description: '91 days overdue and more' }),
};

/** GET /v1/reports/receivables */
export const ReceivablesReportSchema = z
  .strictObject({
    as_of: z
      .union([InstantStringSchema, LocalDateStringSchema])
      .meta({ description: 'The instant (or local date) the invoices were aged at' }),
    currencies: z.array(
      z
        .strictObject({ currency: z.string(), ...bucketAmounts })
        .meta({ id: 'ReceivablesTotal', description: 'Outstanding in one currency, by age' }),
    ),
    customers: z.array(
      z
        .strictObject({
          customer_id: z.string(),
          customer_name: z
            .string()
            .optional()
            .meta({ description: "The buyer's name on the customer's latest open invoice" }),
          currency: z.string(),
          ...bucketAmounts,
        })
        .meta({ id: 'ReceivablesCustomer', description: 'What one customer owes in one currency, by age' }),
    ),
    invoices: z.array(
      z
        .strictObject({
          id: z.string(),
          number: z.string(),
          customer_id: z.string(),
          customer_name: z.string().optional(),
          currency: z.string(),
          issue_date: LocalDateStringSchema,
          due_date: LocalDateStringSchema.meta({ description: "Local date in the invoice's time zone" }),
          timezone: z.string(),
          days_overdue: z.int().meta({ description: 'Local date of as_of minus due date (0 or less: not overdue)' }),
          bucket: z.enum(AGING_BUCKET_NAMES),
          amount_due: DecimalStringSchema,
          amount_paid: DecimalStringSchema,
          amount_remaining: DecimalStringSchema,
          payment_status: z.enum(['pending', 'processing', 'payment_failed', 'partially_paid', 'paid']),
        })
        .meta({ id: 'ReceivableInvoice' }),
    ),
  })
  .meta({ id: 'ReceivablesReport' });
