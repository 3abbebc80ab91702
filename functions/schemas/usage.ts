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

/**
 * POST /v1/event-archive/backfill: copy raw events from the events table to the event archive again,
 * a bounded part of the table per call (see functions/app/archive-backfill.ts). Also what the API
 * sends the archiver function, which checks it again.
 */
export const ArchiveBackfillSchema = z
  .object({
    cursor: z
      .string()
      .min(1)
      .max(2000)
      .optional()
      .meta({ description: 'Where the previous call stopped (its `cursor`); absent: from the start' }),
    segment: z.int().min(0).max(63).optional().meta({ description: 'This part of a parallel scan (0-based)' }),
    total_segments: z.int().min(1).max(64).optional().meta({ description: 'How many parts the scan is cut into' }),
    customer: CustomerIdSchema.optional().meta({ description: "Only this customer's events" }),
    from: InstantSchema.optional().meta({ description: 'Only events at or after this time' }),
    to: InstantSchema.optional().meta({ description: 'Only events before this time' }),
    page_size: z.int().min(1).max(1000).optional().meta({ description: 'Items one page of the scan reads at most' }),
    max_pages: z
      .int()
      .min(1)
      .max(1000)
      .optional()
      .meta({ description: 'Pages to read in this call at most (default: as many as about 20 seconds allow)' }),
  })
  .strict()
  .superRefine(
    tolerant((body, ctx) => {
      if (body.segment !== undefined && body.total_segments === undefined)
        ctx.addIssue({ code: 'custom', path: ['total_segments'], message: 'is needed with segment' });
      if (body.segment !== undefined && body.total_segments !== undefined && body.segment >= body.total_segments)
        ctx.addIssue({ code: 'custom', path: ['segment'], message: 'must be less than total_segments' });
      if (body.from !== undefined && body.to !== undefined && body.to <= body.from)
        ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
    }),
  )
  .meta({ id: 'ArchiveBackfill' });

/** What one backfill call did, and where the next one goes on from. */
export const ArchiveBackfillResultSchema = z
  .strictObject({
    scanned: z.int().meta({ description: 'Items of the events table read' }),
    archived: z
      .int()
      .meta({ description: 'Raw events written to the archive again (cancelled ones as cancellation records)' }),
    objects: z.int().meta({ description: 'Archive objects written' }),
    cursor: z
      .string()
      .nullable()
      .meta({ description: 'Pass it to the next call; null: this segment of the table is done' }),
  })
  .meta({ id: 'ArchiveBackfillResult' });
