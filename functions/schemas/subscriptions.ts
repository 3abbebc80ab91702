import { z } from 'zod';
import { CustomerIdSchema, InstantSchema, LocalDateSchema } from './common.js';
import { PlanKeySchema } from './plans.js';

/** A day in the customer's time zone (YYYY-MM-DD) or an RFC 3339 instant; nothing else. */
const DATE_OR_INSTANT = z
  .string()
  .refine((text) => LocalDateSchema.safeParse(text).success || InstantSchema.safeParse(text).success, {
    message:
      'must be a date (YYYY-MM-DD, in the customer\'s time zone) or an RFC 3339 timestamp such as "2026-11-02T08:00:00Z"',
  });

export const CreateSubscriptionSchema = z
  .object({
    id: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, 'must be 1-64 letters, digits, ".", "_", ":" or "-"')
      .optional(),
    customer: CustomerIdSchema,
    plan: PlanKeySchema,
    plan_version: z.int().min(1).optional(),
    start_date: DATE_OR_INSTANT,
    billing_anchor: DATE_OR_INSTANT.optional(),
    price_overrides: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  .meta({ id: 'CreateSubscription' });

export const CancelSubscriptionSchema = z
  .object({ at: z.enum(['now', 'period_end'], { message: 'must be "now" or "period_end"' }).default('period_end') })
  .strict();

export const ChangePlanSchema = z
  .object({
    plan: PlanKeySchema,
    plan_version: z.int().min(1).optional(),
    at: z.enum(['now', 'period_end'], { message: 'must be "now" or "period_end"' }).default('period_end'),
  })
  .strict();

export const SubscriptionListQuerySchema = z.object({ customer: CustomerIdSchema }).strict();
