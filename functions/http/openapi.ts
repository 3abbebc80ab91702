import { z } from 'zod';
import type { Route } from './router.js';

const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ description: 'machine-readable code, e.g. validation_failed' }),
      message: z.string(),
      details: z
        .array(
          z.object({ path: z.string().meta({ description: 'JSON pointer into the request' }), message: z.string() }),
        )
        .optional(),
      request_id: z.string().optional(),
    }),
  })
  .meta({ id: 'Error' });

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    reused: 'inline',
  }) as Record<string, unknown>;
  return rest;
}

function errorResponse(description: string) {
  return { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
}

/** OpenAPI 3.1 document generated from the same route table and zod schemas that validate requests. */
export function buildOpenApi(routes: readonly Route<unknown>[], info: { title: string; version: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const parameters: unknown[] = [];
    for (const [, name] of route.path.matchAll(/\{([a-z_]+)\}/gi)) {
      parameters.push({ name, in: 'path', required: true, schema: { type: 'string' } });
    }
    if (route.query instanceof z.ZodObject) {
      const shape = route.query.shape as Record<string, z.ZodType>;
      for (const [name, schema] of Object.entries(shape)) {
        parameters.push({
          name,
          in: 'query',
          required: !schema.safeParse(undefined).success,
          schema: jsonSchema(schema, 'input'),
        });
      }
    }
    const responses: Record<string, unknown> = {
      [String(route.response?.status ?? 200)]: {
        description: route.response?.description ?? 'OK',
        ...(route.response?.schema
          ? {
              content: {
                [route.response.mediaType ?? 'application/json']: {
                  schema: jsonSchema(route.response.schema, 'output'),
                },
              },
            }
          : {}),
      },
      '400': errorResponse('validation failed'),
    };
    if (route.access !== 'public') {
      responses['401'] = errorResponse('missing or invalid API key');
      responses['403'] = errorResponse('the key may not use this route');
    }
    const operation: Record<string, unknown> = {
      summary: route.summary,
      operationId: `${route.method.toLowerCase()}${route.path
        .replace(/[{}]/g, '')
        .replace(/\/(\w)/g, (_, c: string) => c.toUpperCase())
        .replace(/[^\w]/g, '')}`,
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(route.access === 'public' ? { security: [] } : {}),
      responses,
    };
    if (route.body) {
      const media = ['application/json', ...(route.contentTypes ?? [])];
      operation.requestBody = {
        required: true,
        content: Object.fromEntries(
          media.map((type) => [type, { schema: jsonSchema(route.body as z.ZodType, 'input') }]),
        ),
      };
    }
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operation };
  }
  return {
    openapi: '3.1.0',
    info,
    security: [{ apiKey: [] }],
    paths,
    components: {
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'An API key: admin, or ingest for POST /v1/events' },
      },
      schemas: { Error: jsonSchema(ErrorSchema, 'output') },
    },
  };
}
