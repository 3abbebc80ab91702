import * as z from 'zod';
import { aggregationOf } from '../domain/metering/aggregations/index.js';
import { AGGREGATIONS, WEIGHTED_PER } from '../domain/metering/meter.js';
import { InstantStringSchema, lineText, listOf, MeterKeySchema, tolerant } from './common.js';

const DOT_PATH = /^[A-Za-z_$][\w$-]*(\.[A-Za-z_$][\w$-]*)*$/;
const dotPath = z
  .string()
  .max(200)
  .regex(DOT_PATH, 'must be a property name or dot path such as "usage.tokens"')
  .refine((path) => !path.split('.').includes('__proto__'), {
    message: 'must not name "__proto__" (it cannot be stored as a dimension name)',
  });

export const CreateMeterSchema = z
  .object({
    key: MeterKeySchema,
    name: lineText(200),
    event_type: lineText(256),
    aggregation: z.enum(AGGREGATIONS, { message: `must be one of ${AGGREGATIONS.join(', ')}` }),
    value_property: dotPath.optional(),
    group_by: z.array(dotPath).max(5).default([]),
    per: z
      .enum(WEIGHTED_PER, { message: `must be one of ${WEIGHTED_PER.join(', ')}` })
      .optional()
      .meta({
        description:
          "weighted_sum only (default period): what the quantity is per. period: the time-weighted average level; hour: level-hours (GB-hours); day: level-days of the customer's local calendar days (seat-days)",
      }),
  })
  .strict()
  .superRefine(
    tolerant((meter, ctx) => {
      const aggregation = aggregationOf(meter.aggregation);
      if (aggregation.reads !== 'nothing' && !meter.value_property) {
        ctx.addIssue({
          code: 'custom',
          path: ['value_property'],
          message: `is required for aggregation '${meter.aggregation}'`,
        });
      }
      if (aggregation.reads === 'nothing' && meter.value_property) {
        ctx.addIssue({
          code: 'custom',
          path: ['value_property'],
          message: `must be omitted for aggregation '${meter.aggregation}' (${aggregation.explanation})`,
        });
      }
      if (meter.per !== undefined && meter.aggregation !== 'weighted_sum') {
        ctx.addIssue({
          code: 'custom',
          path: ['per'],
          message: `per applies only to aggregation 'weighted_sum'; omit it for aggregation '${meter.aggregation}'`,
        });
      }
      if (new Set(meter.group_by).size !== meter.group_by.length) {
        ctx.addIssue({ code: 'custom', path: ['group_by'], message: 'must not repeat a property' });
      }
    }),
  )
  // A weighted_sum meter without `per` is priced on its average level.
  .transform((meter) => (meter.aggregation === 'weighted_sum' ? { ...meter, per: meter.per ?? 'period' } : meter))
  .meta({ id: 'CreateMeter' });

/** A meter as the API sends it. */
export const MeterResponseSchema = z
  .strictObject({
    key: z.string(),
    name: z.string(),
    event_type: z.string(),
    aggregation: z.enum(AGGREGATIONS),
    value_property: z.string().optional(),
    group_by: z.array(z.string()),
    per: z.enum(WEIGHTED_PER).optional(),
    created_at: InstantStringSchema,
  })
  .meta({ id: 'Meter' });

export const MeterListResponseSchema = listOf(MeterResponseSchema).meta({ id: 'MeterList' });
