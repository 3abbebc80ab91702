import { json } from '../../http/respond.js';
import { type Route, routesFor } from '../../http/router.js';
import {
  ApiKeyListSchema,
  ApiKeyResponseSchema,
  CreateApiKeySchema,
  CreatedApiKeySchema,
} from '../../schemas/api-keys.js';
import type { ApiDeps } from '../deps.js';
import { apiKeyJson } from './wire.js';

const route = routesFor<ApiDeps>();

/** API keys: created (shown once), listed, revoked. */
export function apiKeyRoutes(): Route<ApiDeps>[] {
  return [
    route({
      method: 'POST',
      path: '/v1/api-keys',
      access: 'admin',
      summary: 'Create an API key; the key is shown once (stored as a SHA-256 hash)',
      body: CreateApiKeySchema,
      response: { status: 201, description: 'the key record and, this once, the key', schema: CreatedApiKeySchema },
      handle: async (request, deps) => {
        const { body } = request;
        const { record, secret } = await deps.apiKeys.create(body.name, body.scope);
        return json(201, { ...apiKeyJson(record), key: secret });
      },
    }),
    route({
      method: 'GET',
      path: '/v1/api-keys',
      access: 'admin',
      summary: 'List API keys (never the keys themselves)',
      response: { status: 200, description: 'every API key, revoked ones included', schema: ApiKeyListSchema },
      handle: async (_request, deps) => json(200, { data: (await deps.apiKeys.list()).map(apiKeyJson) }),
    }),
    route({
      method: 'DELETE',
      path: '/v1/api-keys/{id}',
      access: 'admin',
      summary: 'Revoke an API key',
      response: { status: 200, description: 'the revoked key', schema: ApiKeyResponseSchema },
      handle: async (request, deps) => json(200, apiKeyJson(await deps.apiKeys.revoke(request.params.id))),
    }),
  ];
}
