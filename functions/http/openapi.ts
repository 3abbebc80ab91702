import * as z from 'zod';
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

/** Rewrites zod's local `#/$defs/X` references to shared `#/components/schemas/X` ones, collecting the definitions. */
function hoist(node: unknown, components: Record<string, unknown>): unknown {
  if (Array.isArray(node)) return node.map((item) => hoist(item, components));
  if (node === null || typeof node !== 'object') return node;
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
    if (key === '$schema') continue;
    if (key === '$defs') {
      for (const [name, definition] of Object.entries(value as Record<string, unknown>))
        components[name] = hoist(definition, components);
      continue;
    }
    if (key === '$ref' && typeof value === 'string') {
      result[key] = value.replace('#/$defs/', '#/components/schemas/');
      continue;
    }
    if (key === 'anyOf' && Array.isArray(value)) {
      // The exact-decimal type accepts a marker object zod cannot describe: it shows up as `{}`.
      const options = value.filter(
        (option) => !(option && typeof option === 'object' && Object.keys(option).length === 0),
      );
      result[key] = hoist(options, components);
      continue;
    }
    result[key] = hoist(value, components);
  }
  return result;
}

function jsonSchema(
  schema: z.ZodType,
  io: 'input' | 'output',
  components: Record<string, unknown>,
): Record<string, unknown> {
  return hoist(z.toJSONSchema(schema, { io, unrepresentable: 'any' }), components) as Record<string, unknown>;
}

function errorResponse(description: string) {
  return { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
}

/** OpenAPI 3.1 document generated from the same route table and zod schemas that validate requests. */
export function buildOpenApi<Deps>(routes: readonly Route<Deps>[], info: { title: string; version: string }) {
  const components: Record<string, unknown> = {};
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
          schema: jsonSchema(schema, 'input', components),
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
                  schema: jsonSchema(route.response.schema, 'output', components),
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
          media.map((type) => [type, { schema: jsonSchema(route.body as z.ZodType, 'input', components) }]),
        ),
      };
    }
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operation };
  }
  // The error body is a shared component (every 4xx refers to it): hoisted like the others, last.
  jsonSchema(ErrorSchema, 'output', components);
  return {
    openapi: '3.1.0',
    info,
    security: [{ apiKey: [] }],
    paths,
    components: {
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'An API key: admin, or ingest for POST /v1/events' },
      },
      schemas: components,
    },
  };
}
