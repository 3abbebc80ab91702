import * as z from 'zod';
import { ROUNDING_MODES } from '../domain/money.js';
import { PRICE_MODELS, type PriceLineKind, type PriceModel } from '../domain/pricing/types.js';
import {
  CurrencySchema,
  DecimalStringSchema,
  InstantSchema,
  MeterKeySchema,
  NonNegativeDecimalSchema,
  PlanKeySchema,
  TimeZoneSchema,
  tolerant,
} from './common.js';
import { CouponCodeSchema } from './credits.js';
import { PriceSchema } from './price-model.js';

export const UsageRecordSchema = z
  .object({
    dimensions: z.record(z.string(), z.string()).default({}),
    time: InstantSchema.optional(),
    quantity: NonNegativeDecimalSchema,
  })
  .strict();

export const EvaluatePriceRequestSchema = z
  .object({
    currency: CurrencySchema,
    price: PriceSchema,
    quantity: NonNegativeDecimalSchema.optional(),
    events: z.array(NonNegativeDecimalSchema).max(100_000).optional(),
    usage: z.array(UsageRecordSchema).max(100_000).optional(),
    timezone: TimeZoneSchema.optional(),
    rounding: z
      .enum(ROUNDING_MODES)
      .optional()
      .meta({ description: 'rounding of amounts to the minor unit; default half_up' }),
    coupon: CouponCodeSchema.optional().meta({
      description: 'Simulate this coupon on the charge as if newly applied (its first invoice)',
    }),
    meter: MeterKeySchema.optional().meta({ description: "The charge's meter, for coupons scoped to meters" }),
    plan: PlanKeySchema.optional().meta({ description: "The charge's plan, for coupons scoped to plans" }),
  })
  .strict()
  .superRefine(
    tolerant((request, ctx) => {
      const given = [request.quantity, request.events, request.usage].filter((value) => value !== undefined).length;
      if (given !== 1) {
        ctx.addIssue({
          code: 'custom',
          path: [],
          message:
            'give exactly one of quantity, events (per-event amounts) or usage (records with dimensions and time)',
        });
      }
    }),
  )
  .meta({ id: 'EvaluatePriceRequest' });

const LINE_KINDS = {
  usage: true,
  included: true,
  tier: true,
  percentage: true,
  fixed_fee: true,
  per_event_minimum: true,
  per_event_maximum: true,
  group: true,
  band: true,
  minimum_spend: true,
  maximum_spend: true,
} satisfies Record<PriceLineKind, true>;

/** One explained part of a price (tier, block, band, matrix group...), as `toWireEvaluation` writes it. */
export const PriceLineSchema = z
  .strictObject({
    kind: z.enum(Object.keys(LINE_KINDS) as [PriceLineKind, ...PriceLineKind[]]),
    description: z.string(),
    quantity: DecimalStringSchema,
    unit_price: DecimalStringSchema.optional(),
    flat_fee: DecimalStringSchema.optional(),
    precise_amount: DecimalStringSchema,
    amount: DecimalStringSchema.meta({ description: "precise_amount rounded to the currency's minor unit" }),
    tier: z
      .strictObject({ index: z.int(), from: DecimalStringSchema, up_to: DecimalStringSchema.nullable() })
      .optional(),
    blocks: DecimalStringSchema.optional(),
    block_size: DecimalStringSchema.optional(),
    block_price: DecimalStringSchema.optional(),
    free_quantity: DecimalStringSchema.optional(),
    rate_percent: DecimalStringSchema.optional(),
    events: z.int().optional(),
    dimensions: z.record(z.string(), z.string()).optional(),
    band: z.string().optional(),
    model: z.enum(PRICE_MODELS as [PriceModel, ...PriceModel[]]).optional(),
    get lines(): z.ZodOptional<z.ZodArray<typeof PriceLineSchema>> {
      return z.array(PriceLineSchema).optional();
    },
  })
  .meta({ id: 'PriceLine' });

/** POST /v1/prices/evaluate */
export const PriceEvaluationSchema = z
  .strictObject({
    currency: z.string(),
    quantity: DecimalStringSchema,
    amount: DecimalStringSchema.meta({
      description: "precise_amount rounded once to the currency's minor unit (not the sum of the rounded lines)",
    }),
    precise_amount: DecimalStringSchema,
    lines: z.array(PriceLineSchema),
    coupon: z
      .strictObject({
        code: z.string(),
        name: z.string(),
        applies: z.boolean().meta({ description: 'Whether the coupon applies to this charge at all' }),
        discount: DecimalStringSchema,
        amount_after_discount: DecimalStringSchema,
        note: z.string().optional().meta({ description: 'Why it does not apply' }),
      })
      .optional()
      .meta({ description: 'The coupon asked for, on this charge alone (no other coupons, no tax)' }),
  })
  .meta({ id: 'PriceEvaluation' });

/**
 * A price as a request wrote it (plan charges and price overrides are stored as written): its model
 * and the model's fields, a valid price (PriceSchema) whatever the spelling of its decimals.
 */
export const WrittenPriceSchema = z
  .looseObject({ model: z.enum(PRICE_MODELS as [PriceModel, ...PriceModel[]]) })
  .refine((price) => PriceSchema.safeParse(price).success, { message: 'must be a valid price' })
  .meta({ id: 'WrittenPrice', description: 'A price as written: its model and that model’s fields (see Price)' });
