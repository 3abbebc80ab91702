import * as z from 'zod';
import { ALERT_KINDS } from '../domain/alert.js';
import {
  CustomerIdSchema,
  DecimalStringSchema,
  InstantStringSchema,
  lineText,
  listOf,
  MeterKeySchema,
  PositiveDecimalSchema,
  tolerant,
} from './common.js';

const KindSchema = z.enum(ALERT_KINDS, { message: `must be one of ${ALERT_KINDS.join(', ')}` });

/** A subscription id as sent (ids are single-line text). */
const SubscriptionRefSchema = lineText(128);

export const CreateAlertSchema = z
  .object({
    customer_id: CustomerIdSchema,
    subscription_id: SubscriptionRefSchema.optional().meta({
      description:
        "The subscription whose period and bill are watched; absent: the customer's (its active subscription)",
    }),
    kind: KindSchema.meta({
      description:
        "`usage`: a meter's quantity in the current period reaches the threshold; `spend`: the running bill of the current period (subtotal) reaches it; `credit_balance`: the prepaid credit balance falls below it",
    }),
    meter: MeterKeySchema.optional().meta({ description: '`usage` alerts: the meter key' }),
    threshold: z
      .string({ message: 'must be a decimal string such as "100"' })
      .transform((value, ctx) => {
        const parsed = PositiveDecimalSchema.safeParse(value);
        if (parsed.success) return parsed.data;
        for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message });
        return z.NEVER;
      })
      .meta({
        description: 'A positive decimal string: a quantity, or an amount in the currency (spend, credit_balance)',
      }),
    name: lineText(200).optional(),
  })
  .strict()
  .superRefine(
    tolerant((body, ctx) => {
      if (body.kind === 'usage' && body.meter === undefined)
        ctx.addIssue({ code: 'custom', path: ['meter'], message: 'is required for a usage alert' });
      if (body.kind !== 'usage' && body.meter !== undefined)
        ctx.addIssue({ code: 'custom', path: ['meter'], message: `must be absent for a ${body.kind} alert` });
    }),
  )
  .meta({ id: 'CreateAlert' });

/** Which alerts a list or a check is about: a customer's, or a subscription's. */
const AlertScopeQuerySchema = z
  .object({
    customer_id: CustomerIdSchema.optional(),
    subscription_id: SubscriptionRefSchema.optional(),
  })
  .strict()
  .refine((query) => query.customer_id !== undefined || query.subscription_id !== undefined, {
    message: 'name customer_id or subscription_id',
    path: ['customer_id'],
  });

export const AlertListQuerySchema = AlertScopeQuerySchema;

export const AlertCheckQuerySchema = AlertScopeQuerySchema;

export const AlertTriggerSchema = z.strictObject({
  period_start: InstantStringSchema,
  period_end: InstantStringSchema,
  value: DecimalStringSchema,
  threshold: DecimalStringSchema,
  triggered_at: InstantStringSchema,
  event_id: z.string().meta({ description: 'The webhook event (usage.alert_triggered or credits.balance_low)' }),
  email: z.strictObject({
    status: z.enum(['pending', 'sent', 'none']).meta({
      description: '`none`: the customer has no email address, the firing went out as a webhook only',
    }),
    to: z.string().optional(),
    sent_at: InstantStringSchema.optional(),
  }),
  note: z.string().optional(),
});

const alertFields = {
  id: z.string(),
  customer_id: z.string(),
  subscription_id: z.string().optional(),
  kind: KindSchema,
  meter: z.string().optional(),
  threshold: DecimalStringSchema,
  currency: z.string().optional(),
  name: z.string().optional(),
  created_at: InstantStringSchema,
};

export const AlertSchema = z
  .strictObject({
    ...alertFields,
    triggers: z.array(AlertTriggerSchema).meta({ description: 'Its firings, newest first (at most 20)' }),
    last_triggered_at: InstantStringSchema.optional(),
  })
  .meta({ id: 'Alert' });

export const AlertListSchema = listOf(AlertSchema).meta({ id: 'AlertList' });

export const AlertCheckResultSchema = z
  .strictObject({
    checked_at: InstantStringSchema,
    results: z.array(
      z.strictObject({
        alert_id: z.string(),
        status: z.enum(['fired', 'already_fired', 'not_reached', 'skipped']),
        value: DecimalStringSchema.optional(),
        threshold: DecimalStringSchema,
        period_start: InstantStringSchema.optional(),
        reason: z.string().optional(),
        trigger: AlertTriggerSchema.optional(),
      }),
    ),
    fired: z.number().int().meta({ description: 'How many alerts this check fired' }),
  })
  .meta({ id: 'AlertCheckResult' });
