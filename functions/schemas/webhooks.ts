import * as z from 'zod';
import { WEBHOOK_EVENT_TYPES, webhookUrlShapeProblem } from '../domain/webhook-event.js';
import { InstantStringSchema, lineText, listOf } from './common.js';

const EventTypeSchema = z.enum(['*', ...WEBHOOK_EVENT_TYPES], {
  message: `must be one of ${WEBHOOK_EVENT_TYPES.join(', ')}, or "*" alone`,
});

export const CreateWebhookEndpointSchema = z
  .object({
    url: lineText(2000)
      .superRefine((value, ctx) => {
        // The address rule (no private hosts) depends on the configuration: the route applies it.
        const problem = webhookUrlShapeProblem(value);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .meta({
        description:
          'https, not to localhost or a loopback, private or link-local address (where BILLING_WEBHOOK_ALLOW_PRIVATE_URLS is set: also http to localhost / 127.0.0.1)',
      }),
    events: z
      .array(EventTypeSchema, { message: 'must be an array of event types' })
      .min(1, 'must name at least one event type')
      .max(WEBHOOK_EVENT_TYPES.length, `must have at most ${WEBHOOK_EVENT_TYPES.length} event types`)
      .refine((events) => !events.includes('*') || events.length === 1, { message: '"*" must stand alone' })
      .refine((events) => new Set(events).size === events.length, { message: 'must not repeat an event type' })
      .meta({ description: 'The event types to receive, or ["*"] for all' }),
    description: lineText(500).optional(),
  })
  .strict()
  .meta({ id: 'CreateWebhookEndpoint' });

const endpointFields = {
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  description: z.string().optional(),
  created_at: InstantStringSchema,
};

/** An endpoint as the API shows it: never its secret. */
export const WebhookEndpointSchema = z.strictObject(endpointFields).meta({ id: 'WebhookEndpoint' });

export const CreatedWebhookEndpointSchema = z
  .strictObject({
    ...endpointFields,
    secret: z.string().meta({ description: 'The signing secret (`whsec_...`), shown only in this response' }),
  })
  .meta({ id: 'CreatedWebhookEndpoint' });

export const WebhookEndpointListSchema = listOf(WebhookEndpointSchema).meta({ id: 'WebhookEndpointList' });

const AttemptSchema = z.strictObject({
  at: InstantStringSchema,
  status_code: z.number().int().optional(),
  error: z.string().optional(),
  duration_ms: z.number().int(),
});

export const WebhookDeliverySchema = z
  .strictObject({
    id: z.string(),
    event_id: z.string(),
    event_type: z.string(),
    endpoint_id: z.string(),
    status: z.enum(['pending', 'delivered', 'failed', 'dead', 'canceled']),
    created_at: InstantStringSchema,
    attempts: z.array(AttemptSchema),
    next_attempt_at: InstantStringSchema.optional(),
    delivered_at: InstantStringSchema.optional(),
  })
  .meta({ id: 'WebhookDelivery' });

export const WebhookDeliveryListSchema = listOf(WebhookDeliverySchema).meta({ id: 'WebhookDeliveryList' });
