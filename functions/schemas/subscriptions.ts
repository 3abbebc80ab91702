import { z } from 'zod';
import {
  CustomerIdSchema,
  InstantSchema,
  InstantStringSchema,
  LocalDateSchema,
  LocalDateStringSchema,
  listOf,
} from './common.js';
import { PlanKeySchema } from './plans.js';
import { WrittenPriceSchema } from './prices.js';

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

/** A subscription as the API sends it. */
export const SubscriptionResponseSchema = z
  .strictObject({
    id: z.string(),
    customer: z.string(),
    status: z.enum(['active', 'ended']),
    plan: z.string(),
    plan_version: z.int(),
    price_overrides: z
      .record(z.string(), WrittenPriceSchema)
      .meta({ description: 'Custom prices per meter key, as written' }),
    timezone: z.string(),
    billing_anchor: LocalDateStringSchema,
    interval: z.enum(['day', 'week', 'month', 'year']),
    interval_count: z.int(),
    current_period: z.strictObject({
      start: InstantStringSchema,
      end: InstantStringSchema,
      full_start: InstantStringSchema,
      full_end: InstantStringSchema,
      plan: z.string(),
      plan_version: z.int(),
    }),
    pending_change: z
      .strictObject({ plan: z.string(), plan_version: z.int() })
      .optional()
      .meta({ description: 'Applied when the current period closes' }),
    ends_at: InstantStringSchema.optional().meta({ description: 'Set when it ends with the current period' }),
    canceled_at: InstantStringSchema.optional(),
    created_at: InstantStringSchema,
    updated_at: InstantStringSchema,
  })
  .meta({ id: 'Subscription' });

export const SubscriptionListResponseSchema = listOf(SubscriptionResponseSchema).meta({ id: 'SubscriptionList' });
