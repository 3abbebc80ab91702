import { z } from 'zod';
import { isKnownCurrency, ROUNDING_MODES, SUPPORTED_CURRENCIES } from '../domain/money.js';
import { InstantSchema, NonNegativeDecimalSchema, TimeZoneSchema, tolerant } from './common.js';
import { PriceSchema } from './price.js';

export const CurrencySchema = z
  .string()
  .refine(isKnownCurrency, {
    message: `must be an ISO 4217 code this stack supports: ${SUPPORTED_CURRENCIES.join(', ')}`,
  })
  .meta({ description: 'ISO 4217 currency code, e.g. "EUR"' });

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
