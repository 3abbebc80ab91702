import * as z from 'zod';
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

/** GET /v1/reconcile: the counters rebuilt from the stored raw events, and every difference from the stored ones. */
export const ReconcileReportSchema = z
  .strictObject({
    customer: z.string(),
    from: InstantStringSchema,
    to: InstantStringSchema,
    events: z.int().meta({ description: 'Stored raw events of the customer in the range' }),
    mismatch_count: z.int().meta({ description: '0 when the counters match the events' }),
    meters: z.array(
      z.strictObject({
        meter: z.string(),
        aggregation: z.enum(AGGREGATIONS),
        from_events: DecimalStringSchema.meta({ description: 'The total the raw events give' }),
        from_counters: DecimalStringSchema.meta({ description: 'The total the stored counters give' }),
      }),
    ),
    mismatches: z.array(
      z
        .strictObject({
          meter: z.string(),
          bucket: z.string().meta({ description: 'The 15-minute bucket, e.g. "2026-11-02T08:15Z"' }),
          dimensions: z.record(z.string(), z.string()),
          field: z.enum(['count', 'sum', 'weighted', 'max', 'latest', 'unique_values', 'rollups', 'level_snapshot']),
          expected: z.string().meta({
            description: 'From the raw events: a decimal, "-" for none, or the sorted values (unique_values)',
          }),
          actual: z.string().meta({ description: 'From the stored counters, written the same way' }),
        })
        .meta({ id: 'ReconcileMismatch' }),
    ),
    billing: z
      .array(
        z
          .strictObject({
            meter: z.string(),
            accepted: DecimalStringSchema.meta({ description: 'All usage of [from, to) in the counters' }),
            invoiced: DecimalStringSchema.meta({ description: 'On the usage lines of invoices inside the range' }),
            adjusted: DecimalStringSchema.meta({ description: 'Changed since by later invoices and credit notes' }),
            awaiting_adjustment: DecimalStringSchema.meta({
              description: 'Late events and cancellations of invoiced periods the next invoice re-rates',
            }),
            unbilled: DecimalStringSchema.meta({ description: 'Periods not invoiced yet (current periods, drafts)' }),
            voided: DecimalStringSchema.meta({ description: 'Void periods not issued again' }),
            unsubscribed: DecimalStringSchema.meta({ description: 'Outside every period of a subscription' }),
            periods: z.array(
              z.strictObject({
                invoice_id: z.string(),
                invoice_number: z.string(),
                period_start: InstantStringSchema,
                period_end: InstantStringSchema,
                accepted: DecimalStringSchema,
                invoiced: DecimalStringSchema,
                adjusted: DecimalStringSchema,
                awaiting_adjustment: DecimalStringSchema,
              }),
            ),
          })
          .meta({ id: 'BillingConservation' }),
      )
      .meta({
        description:
          'Per count and sum meter: accepted = invoiced + adjusted + awaiting_adjustment + unbilled + voided + unsubscribed',
      }),
    billing_balanced: z.boolean().meta({ description: 'false when billing covers more usage than was accepted' }),
  })
  .meta({ id: 'ReconcileReport' });
