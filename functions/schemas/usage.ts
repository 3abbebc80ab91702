import { z } from 'zod';
import { AGGREGATIONS } from '../domain/metering/meter.js';
import {
  CustomerIdSchema,
  DecimalStringSchema,
  InstantSchema,
  InstantStringSchema,
  MeterKeySchema,
  TimeZoneSchema,
  tolerant,
} from './common.js';

export const UsageQuerySchema = z
  .object({
    meter: MeterKeySchema,
    from: InstantSchema,
    to: InstantSchema,
    granularity: z.enum(['hour', 'day', 'total'], { message: 'must be hour, day or total' }).default('total'),
    group_by: z.string().max(200).optional(),
    timezone: TimeZoneSchema.optional(),
    format: z.enum(['json', 'csv'], { message: 'must be json or csv' }).optional(),
  })
  .strict()
  .superRefine(
    tolerant((query, ctx) => {
      if (query.to <= query.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
      if (query.to.getTime() - query.from.getTime() > 400 * 86_400_000) {
        ctx.addIssue({ code: 'custom', path: ['to'], message: 'the range may span at most 400 days' });
      }
    }),
  );

export const ReconcileQuerySchema = z
  .object({
    customer: CustomerIdSchema,
    from: InstantSchema,
    to: InstantSchema,
  })
  .strict()
  .superRefine(
    tolerant((query, ctx) => {
      if (query.to <= query.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
    }),
  );

/** GET /v1/customers/{id}/usage: a customer's usage of a meter per period (and per group). */
export const UsageSeriesSchema = z
  .strictObject({
    customer: z.string(),
    meter: z.string(),
    aggregation: z.enum(AGGREGATIONS),
    granularity: z.enum(['hour', 'day', 'total']),
    timezone: z.string(),
    from: InstantStringSchema,
    to: InstantStringSchema,
    series: z.array(
      z.strictObject({
        start: InstantStringSchema,
        end: InstantStringSchema,
        value: DecimalStringSchema,
        events: z.int(),
        dimensions: z.record(z.string(), z.string()),
      }),
    ),
  })
  .meta({ id: 'UsageSeries' });
