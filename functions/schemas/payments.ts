import * as z from 'zod';
import { InstantSchema, lineText } from './common.js';

/** POST /v1/credit-notes/{id}/refund: a refund paid out by hand (bank transfer back). */
export const RecordRefundSchema = z
  .strictObject({
    reference: lineText(200).meta({ description: 'The bank reference of the money sent back' }),
    refunded_at: InstantSchema.optional().meta({ description: 'When it was sent (default: now)' }),
  })
  .meta({ id: 'RecordRefund' });

/** What POST /v1/webhooks/stripe answers (200 for every verified event, acted on or not). */
export const WebhookReceiptSchema = z
  .strictObject({
    received: z.literal(true),
    outcome: z.enum(['applied', 'duplicate', 'ignored']),
    event: z.string(),
    invoice: z.string().optional(),
    reason: z.string().optional(),
  })
  .meta({ id: 'WebhookReceipt' });
