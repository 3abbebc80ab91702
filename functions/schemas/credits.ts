import * as z from 'zod';
import { minorUnits } from '../domain/money.js';
import {
  CurrencySchema,
  DecimalStringSchema,
  InstantSchema,
  InstantStringSchema,
  lineText,
  listOf,
  MeterKeySchema,
  PlanKeySchema,
  PositiveDecimalSchema,
  tolerant,
} from './common.js';

const COUPON_CODE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
export const CouponCodeSchema = z
  .string()
  .regex(COUPON_CODE, 'must be 1-64 letters, digits, "_" or "-", starting with a letter or digit');

const keyList = <T extends z.ZodType<string>>(key: T) =>
  z
    .array(key)
    .min(1, 'must name at least one')
    .max(50, 'must have at most 50 entries')
    .refine((keys) => new Set(keys).size === keys.length, { message: 'must not repeat an entry' });

const DURATIONS = ['once', 'repeating', 'forever'] as const;
const COUPON_TYPES = ['fixed_amount', 'percentage'] as const;

export const CreateCouponSchema = z
  .object({
    code: CouponCodeSchema,
    name: lineText(200),
    type: z.enum(COUPON_TYPES, { message: `must be one of ${COUPON_TYPES.join(', ')}` }),
    amount: PositiveDecimalSchema.optional(),
    currency: CurrencySchema.optional(),
    percent: PositiveDecimalSchema.refine((d) => d.lte(100), { message: 'must be at most 100' }).optional(),
    duration: z.enum(DURATIONS, { message: `must be one of ${DURATIONS.join(', ')}` }),
    duration_periods: z.int().min(1).max(1200).optional(),
    applies_to: z
      .object({ plans: keyList(PlanKeySchema).optional(), meters: keyList(MeterKeySchema).optional() })
      .strict()
      .optional(),
    max_redemptions: z.int().min(1).max(1_000_000_000).optional(),
    redeem_by: InstantSchema.optional(),
  })
  .strict()
  .superRefine(
    tolerant((coupon, ctx) => {
      const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
      if (coupon.type === 'fixed_amount') {
        if (!coupon.amount) issue('amount', 'is required for a fixed_amount coupon');
        if (!coupon.currency) issue('currency', 'is required for a fixed_amount coupon');
        if (coupon.percent) issue('percent', 'applies only to a percentage coupon');
        if (coupon.amount && coupon.currency && coupon.amount.decimalPlaces() > minorUnits(coupon.currency))
          issue('amount', `must have at most ${minorUnits(coupon.currency)} decimal places in ${coupon.currency}`);
      } else {
        if (!coupon.percent) issue('percent', 'is required for a percentage coupon');
        if (coupon.amount) issue('amount', 'applies only to a fixed_amount coupon');
        if (coupon.currency) issue('currency', 'applies only to a fixed_amount coupon');
      }
      if (coupon.duration === 'repeating' && coupon.duration_periods === undefined)
        issue('duration_periods', 'is required for a repeating coupon');
      if (coupon.duration !== 'repeating' && coupon.duration_periods !== undefined)
        issue('duration_periods', 'applies only to a repeating coupon');
    }),
  )
  .meta({ id: 'CreateCoupon' });

export const ApplyCouponSchema = z.object({ code: CouponCodeSchema }).strict().meta({ id: 'ApplyCoupon' });

const GRANT_CATEGORIES = ['paid', 'promotional'] as const;

export const CreateGrantSchema = z
  .object({
    name: lineText(200),
    amount: PositiveDecimalSchema,
    category: z.enum(GRANT_CATEGORIES, { message: `must be one of ${GRANT_CATEGORIES.join(', ')}` }),
    priority: z.int().min(1).max(100).optional(),
    effective_at: InstantSchema.optional(),
    expires_at: InstantSchema.optional(),
    applies_to: z
      .object({ meters: keyList(MeterKeySchema).optional() })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine(
    tolerant((grant, ctx) => {
      if (grant.expires_at && grant.effective_at && grant.expires_at <= grant.effective_at)
        ctx.addIssue({ code: 'custom', path: ['expires_at'], message: 'must be after effective_at' });
    }),
  )
  .meta({ id: 'CreateCreditGrant' });

const scope = z.strictObject({ plans: z.array(z.string()).optional(), meters: z.array(z.string()).optional() });

/** A coupon's terms, as the catalog and a customer's copy send them. */
const couponTermFields = {
  code: z.string(),
  name: z.string(),
  type: z.enum(COUPON_TYPES),
  amount: DecimalStringSchema.optional(),
  currency: z.string().optional(),
  percent: DecimalStringSchema.optional(),
  duration: z.enum(DURATIONS),
  duration_periods: z.int().optional(),
  applies_to: scope.optional(),
};

export const CouponResponseSchema = z
  .strictObject({
    ...couponTermFields,
    max_redemptions: z.int().optional(),
    redeem_by: InstantStringSchema.optional(),
    redemptions: z.int(),
    created_at: InstantStringSchema,
  })
  .meta({ id: 'Coupon' });

export const AppliedCouponResponseSchema = z
  .strictObject({
    ...couponTermFields,
    applied_at: InstantStringSchema,
    status: z.enum(['active', 'consumed']),
    remaining_amount: DecimalStringSchema.optional().meta({ description: 'fixed_amount once: what is left' }),
    periods_remaining: z.int().optional().meta({ description: 'repeating: invoices left' }),
  })
  .meta({ id: 'AppliedCoupon' });

export const CouponListResponseSchema = listOf(CouponResponseSchema);
export const AppliedCouponListResponseSchema = listOf(AppliedCouponResponseSchema);

const LedgerEntrySchema = z.strictObject({
  type: z.enum(['granted', 'consumed', 'restored', 'expired']),
  amount: DecimalStringSchema,
  at: InstantStringSchema,
  invoice_id: z.string().optional(),
  invoice_number: z.string().optional(),
});

export const GrantResponseSchema = z
  .strictObject({
    id: z.string(),
    customer_id: z.string(),
    name: z.string(),
    category: z.enum(GRANT_CATEGORIES),
    currency: z.string(),
    amount: DecimalStringSchema,
    balance: DecimalStringSchema.meta({ description: 'What is left to use: 0 once expired' }),
    consumed: DecimalStringSchema,
    expired: DecimalStringSchema,
    priority: z.int(),
    effective_at: InstantStringSchema,
    expires_at: InstantStringSchema.optional(),
    applies_to: z.strictObject({ meters: z.array(z.string()).optional() }).optional(),
    status: z.enum(['active', 'pending', 'expired', 'used_up']),
    created_at: InstantStringSchema,
    ledger: z.array(LedgerEntrySchema),
  })
  .meta({ id: 'CreditGrant' });

export const CreditsResponseSchema = z
  .strictObject({
    customer_id: z.string(),
    currency: z.string(),
    balance: DecimalStringSchema.meta({ description: 'Sum of what is left of the grants in effect' }),
    paid_balance: DecimalStringSchema,
    promotional_balance: DecimalStringSchema,
    ongoing_balance: DecimalStringSchema.meta({
      description: "The balance minus what the current period's usage rated so far would draw from it",
    }),
    grants: z.array(GrantResponseSchema),
  })
  .meta({ id: 'Credits' });
