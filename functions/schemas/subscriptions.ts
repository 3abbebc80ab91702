import * as z from 'zod';
import { formatDecimal } from '../domain/money.js';
import {
  CustomerIdSchema,
  InstantSchema,
  InstantStringSchema,
  LocalDateSchema,
  LocalDateStringSchema,
  listOf,
  MeterKeySchema,
  NonNegativeDecimalSchema,
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

/** Most meters one subscription limits. */
const MAX_USAGE_LIMITS = 100;

const UsageLimitSchema = z
  .strictObject({
    limit: z
      .string({ message: 'must be a decimal string such as "1000"' })
      .transform((text, ctx) => {
        const parsed = NonNegativeDecimalSchema.safeParse(text);
        if (parsed.success) return formatDecimal(parsed.data);
        for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message });
        return z.NEVER;
      })
      .meta({ description: 'The most usage of the period, a decimal string >= 0' }),
    hard: z
      .boolean({ message: 'must be true or false' })
      .meta({ description: 'true: events that would pass the limit are rejected (usage_limit_exceeded)' }),
  })
  .meta({ id: 'UsageLimit' });

/** Usage limits per meter key (count and sum meters of the account). */
export const UsageLimitsSchema = z
  .record(MeterKeySchema, UsageLimitSchema)
  .refine((limits) => Object.keys(limits).length <= MAX_USAGE_LIMITS, {
    message: `at most ${MAX_USAGE_LIMITS} meters may be limited`,
  })
  .meta({ id: 'UsageLimits', description: 'Usage limits per meter key of the current billing period' });

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
    usage_limits: UsageLimitsSchema.optional(),
  })
  .strict()
  .meta({ id: 'CreateSubscription' });

/** PATCH: replaces the usage limits (an empty object removes them all). */
export const UpdateSubscriptionSchema = z
  .strictObject({ usage_limits: UsageLimitsSchema })
  .meta({ id: 'UpdateSubscription' });

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
    usage_limits: z
      .record(z.string(), z.strictObject({ limit: z.string(), hard: z.boolean() }))
      .optional()
      .meta({ description: 'Usage limits per meter key (absent: none)' }),
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

/** One limited meter of a customer's active subscription, live. */
const EntitlementSchema = z.strictObject({
  meter: z.string(),
  limit: z.string(),
  hard: z.boolean(),
  usage: z.string().meta({ description: 'Usage of the period so far (decimal string)' }),
  remaining: z
    .string()
    .meta({ description: 'limit - usage; negative when a soft limit is passed (a hard limit never is)' }),
  period_start: InstantStringSchema,
  period_end: InstantStringSchema,
});

export const EntitlementsResponseSchema = z
  .strictObject({
    customer: z.string(),
    subscription: z.string().optional().meta({ description: 'The active subscription (absent: none)' }),
    data: z.array(EntitlementSchema),
  })
  .meta({ id: 'Entitlements' });

export const SubscriptionListResponseSchema = listOf(SubscriptionResponseSchema).meta({ id: 'SubscriptionList' });

/** POST /v1/subscriptions/{id}/threshold-check: what the progressive-billing check did. */
export const ThresholdCheckResponseSchema = z
  .strictObject({
    subscription: z.string(),
    status: z.enum(['invoiced', 'none']).meta({
      description: 'invoiced: an interim invoice bills the usage so far (possibly written by an earlier check)',
    }),
    reason: z.string().optional().meta({ description: 'none: why nothing was invoiced' }),
    usage_amount: z
      .string()
      .optional()
      .meta({ description: "The period's usage charges so far, as compared with the thresholds" }),
    level: z.int().optional().meta({ description: 'The threshold level (1-based over the period) invoiced' }),
    invoice: z.string().optional(),
    invoice_number: z.string().optional(),
    created: z.boolean().optional().meta({ description: 'false: an earlier check had written this invoice already' }),
  })
  .meta({ id: 'ThresholdCheck' });
