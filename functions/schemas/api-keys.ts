import * as z from 'zod';
import { InstantStringSchema, lineText, listOf } from './common.js';

export const CreateApiKeySchema = z
  .object({
    name: lineText(200),
    scope: z.enum(['admin', 'ingest'], { message: 'must be "admin" or "ingest"' }),
  })
  .strict()
  .meta({ id: 'CreateApiKey' });

const apiKeyResponseFields = {
  id: z.string(),
  name: z.string(),
  scope: z.enum(['admin', 'ingest']),
  created_at: InstantStringSchema,
  revoked_at: InstantStringSchema.optional().meta({ description: 'When the key was revoked (absent: it is valid)' }),
};

/** An API key record as the API sends it: never the key itself. */
export const ApiKeyResponseSchema = z.strictObject(apiKeyResponseFields).meta({ id: 'ApiKey' });

/** POST /v1/api-keys: the new key's record and, this once, the key. */
export const CreatedApiKeySchema = z
  .strictObject({
    ...apiKeyResponseFields,
    key: z.string().meta({ description: 'The key (`bk_<id>_<secret>`), shown only in this response' }),
  })
  .meta({ id: 'CreatedApiKey' });

/** GET /v1/api-keys: every key, revoked ones included. */
export const ApiKeyListSchema = listOf(ApiKeyResponseSchema).meta({ id: 'ApiKeyList' });
