import { z } from 'zod';
import { InstantSchema } from './common.js';

export const RunListQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }).strict();

export const StartRunSchema = z.object({ as_of: InstantSchema.optional() }).strict();
