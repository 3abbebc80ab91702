import * as z from 'zod';
import { InstantStringSchema, listOf } from './common.js';

export const RedriveSchema = z
  .object({ message_ids: z.array(z.string().min(1)).min(1).max(1000).optional() })
  .strict()
  .meta({ id: 'RedriveDeadLetters' });

export const DeadLetterQuerySchema = z
  .object({ limit: z.coerce.number().int().min(1).max(1000).default(100) })
  .strict();

/** A message of the delivery dead-letter queue, read without consuming it. */
export const DeadLetterSchema = z
  .strictObject({
    message_id: z.string(),
    invoice_id: z
      .string()
      .optional()
      .meta({ description: 'When the body is a delivery message (kind credit_note: the credit note id)' }),
    kind: z
      .enum(['invoice', 'void', 'credit_note', 'reminder', 'alert'])
      .optional()
      .meta({ description: 'When the body is a delivery message' }),
    body: z.string().meta({ description: 'The message body as queued' }),
    receive_count: z.int(),
    sent_at: InstantStringSchema.optional().meta({ description: 'When the message was first sent' }),
  })
  .meta({ id: 'DeadLetter' });

/** GET /v1/delivery/dead-letters */
export const DeadLetterListSchema = listOf(DeadLetterSchema).meta({ id: 'DeadLetterList' });

/** POST /v1/delivery/dead-letters/redrive: the messages moved back to the delivery queue. */
export const RedriveResultSchema = z
  .strictObject({ redriven: z.int(), message_ids: z.array(z.string()) })
  .meta({ id: 'RedriveResult' });

/** POST /v1/delivery/sweep: what the outbox sweep did with each email owed. */
export const SweepResultSchema = z
  .strictObject({
    requeued: z.int().meta({ description: 'Sent to the delivery queue again' }),
    cleared: z.int().meta({ description: 'No longer owed (sent already, voided or gone): dropped from the outbox' }),
    held: z.int().meta({ description: 'Not sent again: every attempt is used up' }),
  })
  .meta({ id: 'OutboxSweepResult' });
