import * as z from 'zod';
import {
  DUNNING_ACTIONS,
  type DunningStep,
  MAX_AFTER_DAYS,
  MAX_DUNNING_STEPS,
  scheduleProblems,
} from '../domain/billing/dunning.js';
import { InstantStringSchema, tolerant } from './common.js';

/** Dunning on the wire: a customer's schedule, the steps recorded on an invoice, a run's outcome. */

const ACTION_MESSAGE = `must be one of ${DUNNING_ACTIONS.join(', ')}`;

export const DunningStepInputSchema = z
  .object({
    after_days: z.int().min(1).max(MAX_AFTER_DAYS).meta({ description: 'Whole days after the due date (local)' }),
    action: z.enum(DUNNING_ACTIONS, { message: ACTION_MESSAGE }),
  })
  .strict();

/** A customer's own dunning (create and PATCH): `enabled: false` stops it, `schedule` replaces the default. */
export const CustomerDunningInputSchema = z
  .object({
    enabled: z.boolean().optional(),
    schedule: z
      .array(DunningStepInputSchema)
      .max(MAX_DUNNING_STEPS)
      .optional()
      .meta({ description: 'Steps in order of after_days; at most one final action (suspend or notify), last' }),
  })
  .strict()
  .superRefine(
    tolerant((body, ctx) => {
      if (!body.schedule) return;
      const steps: DunningStep[] = body.schedule.map((step) => ({ afterDays: step.after_days, action: step.action }));
      for (const problem of scheduleProblems(steps))
        ctx.addIssue({
          code: 'custom',
          path: problem.index === undefined ? ['schedule'] : ['schedule', problem.index],
          message: problem.message,
        });
    }),
  )
  .meta({
    id: 'CustomerDunningInput',
    description: 'The customer’s dunning; absent fields keep the configured default (BILLING_DUNNING_SCHEDULE)',
  });

const StepFields = {
  after_days: z.int(),
  action: z.enum(DUNNING_ACTIONS),
};

export const CustomerDunningResponseSchema = z
  .strictObject({
    enabled: z.boolean(),
    schedule: z.array(z.strictObject(StepFields)),
    custom: z.boolean().meta({ description: 'true: the customer’s own schedule; false: the configured default' }),
  })
  .meta({ id: 'CustomerDunning', description: 'The dunning the customer’s overdue invoices follow' });

export const SuspensionResponseSchema = z
  .strictObject({
    at: InstantStringSchema,
    invoice: z.string().meta({ description: 'The overdue invoice that caused it' }),
    reason: z.string(),
  })
  .meta({
    id: 'Suspension',
    description: 'Dunning suspended the customer: its events are refused (customer_suspended)',
  });

export const InvoiceDunningResponseSchema = z
  .strictObject({
    steps: z.array(
      z.strictObject({
        step: z.int().meta({ description: 'Position in the schedule that ran it' }),
        ...StepFields,
        at: InstantStringSchema,
        status: z.enum(['done', 'skipped', 'failed']),
        detail: z.string().optional(),
        email: z
          .strictObject({
            status: z.enum(['pending', 'sent']),
            attempts: z.int(),
            message_id: z.string().optional(),
            sent_at: InstantStringSchema.optional(),
            last_error: z.string().optional(),
          })
          .optional(),
      }),
    ),
  })
  .meta({ id: 'InvoiceDunning', description: 'The dunning steps recorded on the invoice, oldest first' });

export const DunningRunQuerySchema = z.object({}).strict();

export const DunningRunResponseSchema = z
  .strictObject({
    ran_at: InstantStringSchema,
    invoices: z.int().meta({ description: 'Overdue invoices looked at' }),
    steps: z.array(
      z.strictObject({
        invoice: z.string(),
        number: z.string(),
        customer: z.string(),
        step: z.int(),
        ...StepFields,
        status: z.enum(['done', 'skipped', 'failed']),
        detail: z.string().optional(),
      }),
    ),
    suspended: z.array(z.string()).meta({ description: 'Customers suspended by this run' }),
    unsuspended: z.array(z.string()).meta({ description: 'Customers whose suspension this run lifted' }),
    errors: z
      .array(z.strictObject({ invoice: z.string(), message: z.string() }))
      .meta({ description: 'Invoices whose due steps could not be recorded (the next run tries again)' }),
  })
  .meta({ id: 'DunningRun' });
