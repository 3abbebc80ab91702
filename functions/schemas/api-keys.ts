import { z } from 'zod';
import { lineText } from './common.js';

export const CreateApiKeySchema = z
  .object({
    name: lineText(200),
    scope: z.enum(['admin', 'ingest'], { message: 'must be "admin" or "ingest"' }),
  })
  .strict()
  .meta({ id: 'CreateApiKey' });
