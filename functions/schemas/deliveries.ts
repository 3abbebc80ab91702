import { z } from 'zod';

export const RedriveSchema = z
  .object({ message_ids: z.array(z.string().min(1)).min(1).max(1000).optional() })
  .strict()
  .meta({ id: 'RedriveDeadLetters' });

export const DeadLetterQuerySchema = z
  .object({ limit: z.coerce.number().int().min(1).max(1000).default(100) })
  .strict();
