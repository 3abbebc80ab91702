import { z } from 'zod';
import { ROUNDING_MODES } from '../domain/money.js';
import { CurrencySchema, InstantSchema, NonNegativeDecimalSchema, TimeZoneSchema, tolerant } from './common.js';
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
