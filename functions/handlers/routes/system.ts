import type { HealthCheck } from '../../app/health.js';
import { buildOpenApi } from '../../http/openapi.js';
import { json } from '../../http/respond.js';
import { type Route, routesFor } from '../../http/router.js';
import { HealthSchema } from '../../schemas/health.js';

/** The `info` of the OpenAPI document. */
export const API_INFO = { title: 'Billing API', version: '1' };

export function systemRoutes<Deps extends { health: HealthCheck }>(
  allRoutes: () => readonly Route<Deps>[],
): Route<Deps>[] {
  let document: unknown;
  const route = routesFor<Deps>();
  return [
    route({
      method: 'GET',
      path: '/health',
      access: 'public',
      summary: 'Health of the API and each dependency it needs (503 when one is down)',
      response: {
        status: 200,
        description:
          'every dependency is up; 503 (with Retry-After) answers the same body, status unavailable, when one is down',
        schema: HealthSchema,
      },
      handle: async (_request, deps) => {
        const report = await deps.health.check();
        const dependencies = Object.fromEntries(
          Object.entries(report.dependencies).map(([name, dependency]) => [
            name,
            {
              status: dependency.status,
              ...(dependency.latencyMs !== undefined ? { latency_ms: dependency.latencyMs } : {}),
              ...(dependency.error !== undefined ? { error: dependency.error } : {}),
            },
          ]),
        );
        return json(
          report.status === 'ok' ? 200 : 503,
          { status: report.status, dependencies },
          report.status === 'ok' ? {} : { 'retry-after': '5' },
        );
      },
    }),
    route({
      method: 'GET',
      path: '/openapi.json',
      access: 'public',
      summary: 'This API as an OpenAPI 3.1 document',
      handle: async () => {
        document ??= buildOpenApi(allRoutes(), API_INFO);
        return json(200, document);
      },
    }),
  ];
}
