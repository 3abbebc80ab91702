import { buildOpenApi } from '../../http/openapi.js';
import { json } from '../../http/respond.js';
import type { Route } from '../../http/router.js';

export function systemRoutes<Deps>(allRoutes: () => readonly Route<Deps>[]): Route<Deps>[] {
  let document: unknown;
  return [
    {
      method: 'GET',
      path: '/health',
      access: 'public',
      summary: 'Liveness check',
      handle: async () => json(200, { status: 'ok' }),
    },
    {
      method: 'GET',
      path: '/openapi.json',
      access: 'public',
      summary: 'This API as an OpenAPI 3.1 document',
      handle: async () => {
        document ??= buildOpenApi(allRoutes() as readonly Route<unknown>[], { title: 'Billing API', version: '1' });
        return json(200, document);
      },
    },
  ];
}
