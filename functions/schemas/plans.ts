import * as z from 'zod';
import type { PlanVersion } from '../domain/billing/plan.js';
import { MAX_THRESHOLDS } from '../domain/billing/progressive.js';
import type { Decimal } from '../domain/decimal.js';
import { isKnownCurrency, minorUnits } from '../domain/money.js';
import {
  CurrencySchema,
  InstantStringSchema,
  lineText,
  listOf,
  MeterKeySchema,
  NonNegativeDecimalSchema,
  PlanKeySchema,
  PositiveDecimalSchema,
  tolerant,
  WrittenDecimalSchema,
} from './common.js';

export { PlanKeySchema };

import { PriceSchema } from './price-model.js';
import { WrittenPriceSchema } from './prices.js';

/**
 * What a close does with usage that arrives late, after its period was invoiced: `reject` seals the
 * period (such events are rejected `period_closed`), `adjust` accepts them and the next invoice rates
 * them again.
 */
const LateUsageSchema = z.enum(['adjust', 'reject'], { message: 'must be adjust or reject' });

const MAX_INTERVAL_COUNT = { day: 366, week: 52, month: 12, year: 5 } as const;

const planFields = {
  name: lineText(200),
  currency: CurrencySchema,
  interval: z.enum(['day', 'week', 'month', 'year'], { message: 'must be day, week, month or year' }),
  interval_count: z.int().min(1).optional(),
  base_fee: z
    .object({
      amount: NonNegativeDecimalSchema,
      timing: z
        .enum(['in_advance', 'in_arrears'], { message: 'must be in_advance or in_arrears' })
        .default('in_arrears'),
    })
    .strict()
    .optional(),
  charges: z
    .array(z.object({ meter: MeterKeySchema, price: PriceSchema, display_name: lineText(200).optional() }).strict())
    .max(50)
    .default([]),
  minimum_commitment: NonNegativeDecimalSchema.optional(),
  late_usage: LateUsageSchema.default('adjust'),
  invoice_grace_hours: z
    .int({ message: 'must be a whole number of hours' })
    .min(0, { message: 'must be at least 0' })
    .max(720, { message: 'must be at most 720 (30 days)' })
    .optional(),
  progressive_billing: z
    .object({
      thresholds: z
        .array(
          z
            .object({
              amount: PositiveDecimalSchema,
              recurring: z.boolean({ message: 'must be true or false' }).default(false),
            })
            .strict(),
        )
        .min(1, { message: 'must hold at least one threshold' })
        .max(MAX_THRESHOLDS, { message: `must hold at most ${MAX_THRESHOLDS} thresholds` }),
    })
    .strict()
    .optional()
    .meta({
      description:
        "Interim invoices when the period's usage charges reach a threshold (ascending amounts in the plan currency; the last may be recurring)",
    }),
};

function refinePlan(
  plan: {
    interval: keyof typeof MAX_INTERVAL_COUNT;
    interval_count?: number;
    charges: Array<{ meter: string }>;
    currency: string;
    progressive_billing?: { thresholds: Array<{ amount: Decimal; recurring: boolean }> } | undefined;
  },
  ctx: z.core.$RefinementCtx,
) {
  const thresholds = plan.progressive_billing?.thresholds ?? [];
  const digits = isKnownCurrency(plan.currency) ? minorUnits(plan.currency) : undefined;
  thresholds.forEach((threshold, index) => {
    const path = ['progressive_billing', 'thresholds', index];
    if (digits !== undefined && threshold.amount.decimalPlaces() > digits)
      ctx.addIssue({
        code: 'custom',
        path: [...path, 'amount'],
        message: `must have at most ${digits} decimal places in ${plan.currency}`,
      });
    const previous = thresholds[index - 1];
    if (previous && threshold.amount.lte(previous.amount))
      ctx.addIssue({
        code: 'custom',
        path: [...path, 'amount'],
        message: 'must be greater than the previous threshold',
      });
    if (threshold.recurring && index !== thresholds.length - 1)
      ctx.addIssue({ code: 'custom', path: [...path, 'recurring'], message: 'only the last threshold may recur' });
  });
  const max = MAX_INTERVAL_COUNT[plan.interval];
  if (plan.interval_count !== undefined && plan.interval_count > max) {
    ctx.addIssue({
      code: 'custom',
      path: ['interval_count'],
      message: `must be at most ${max} for interval '${plan.interval}'`,
    });
  }
  const seen = new Set<string>();
  plan.charges.forEach((charge, index) => {
    if (seen.has(charge.meter))
      ctx.addIssue({
        code: 'custom',
        path: ['charges', index, 'meter'],
        message: `meter '${charge.meter}' has a charge already; one charge per meter`,
      });
    seen.add(charge.meter);
  });
}

/** POST /v1/plans: the first version of a plan. */
export const CreatePlanSchema = z
  .object({ key: PlanKeySchema, ...planFields })
  .strict()
  .superRefine(tolerant(refinePlan))
  .meta({ id: 'CreatePlan' });

/** POST /v1/plans/{key}/versions: a complete new version (key from the path). */
export const PlanVersionBodySchema = z
  .object(planFields)
  .strict()
  .superRefine(tolerant(refinePlan))
  .meta({ id: 'PlanVersionBody' });

/** A stored plan version (validated wire JSON plus key, version and created_at) → the domain plan. */
export const StoredPlanSchema = z
  .object({ key: PlanKeySchema, version: z.int().min(1), created_at: z.string(), ...planFields })
  .strict()
  .transform(
    (plan): PlanVersion => ({
      key: plan.key,
      version: plan.version,
      name: plan.name,
      currency: plan.currency,
      interval: plan.interval,
      intervalCount: plan.interval_count ?? 1,
      ...(plan.base_fee ? { baseFee: { amount: plan.base_fee.amount, timing: plan.base_fee.timing } } : {}),
      charges: plan.charges.map((charge) => ({
        meter: charge.meter,
        price: charge.price,
        ...(charge.display_name ? { displayName: charge.display_name } : {}),
      })),
      ...(plan.minimum_commitment ? { minimumCommitment: plan.minimum_commitment } : {}),
      lateUsage: plan.late_usage,
      ...(plan.invoice_grace_hours !== undefined ? { invoiceGraceHours: plan.invoice_grace_hours } : {}),
      ...(plan.progressive_billing ? { progressiveBilling: plan.progressive_billing } : {}),
    }),
  );

/**
 * A plan version as the API sends it: the document as written (decimals and prices spelled as the
 * request spelled them), with key, version and created_at, the base fee's timing spelled out, and
 * on GET /v1/plans/{key} and POST /v1/plans the list of its versions.
 */
export const PlanResponseSchema = z
  .strictObject({
    key: z.string(),
    version: z.int(),
    created_at: InstantStringSchema,
    name: z.string(),
    currency: z.string(),
    interval: planFields.interval,
    interval_count: z.int().optional(),
    base_fee: z.strictObject({ amount: WrittenDecimalSchema, timing: z.enum(['in_advance', 'in_arrears']) }).optional(),
    charges: z
      .array(
        z
          .strictObject({ meter: z.string(), price: WrittenPriceSchema, display_name: z.string().optional() })
          .meta({ id: 'PlanCharge' }),
      )
      .optional()
      .meta({ description: 'Absent when the request left them out (no charges)' }),
    minimum_commitment: WrittenDecimalSchema.optional(),
    late_usage: LateUsageSchema.meta({ description: 'adjust when the plan was written without it' }),
    invoice_grace_hours: z.int().optional(),
    progressive_billing: z
      .strictObject({
        thresholds: z.array(z.strictObject({ amount: WrittenDecimalSchema, recurring: z.boolean().optional() })),
      })
      .optional(),
    versions: z.array(z.int()).optional(),
  })
  .meta({ id: 'Plan' });

export const PlanListResponseSchema = listOf(PlanResponseSchema).meta({ id: 'PlanList' });
