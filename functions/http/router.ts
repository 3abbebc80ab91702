import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type * as z from 'zod';
import type { ApiKeyScope, Principal } from '../app/auth.js';
import { textProblem } from '../domain/text.js';
import { HttpError, ValidationFailedError } from './errors.js';
import { validate } from './validation.js';

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** Who may call a route: anybody, admin keys only, or ingest and admin keys. */
export type Access = 'public' | ApiKeyScope;

/** A request as a route's handler sees it: query, body and path parameters typed by the route's schemas and path. */
export interface ApiRequest<Body = unknown, Query = unknown, Params = Record<string, string>> {
  method: Method;
  path: string;
  params: Params;
  query: Query;
  body: Body;
  headers: Record<string, string>;
  principal: Principal | undefined;
  requestId: string;
  event: APIGatewayProxyEventV2;
}

export type ApiResponse = APIGatewayProxyStructuredResultV2;

/** A body read as sent (size, media type and JSON syntax checked), before any schema. */
export interface RawBody {
  contentType: string;
  json: unknown;
  /** The body as received (signatures are computed over it). */
  text: string;
}

/**
 * A request as the HTTP layer hands it to a route: the query string as sent, and the body not read yet,
 * so that the route checks the query before the body is read (a bad query is a 400 whatever the body).
 */
export interface IncomingRequest extends Omit<ApiRequest, 'query' | 'body'> {
  query: Record<string, string | undefined>;
  /** Reads the body; undefined for a route that takes none. Throws 413, 415 or 400 (invalid JSON). */
  readBody(): RawBody | undefined;
}

/** What describes a route (matching, access, OpenAPI), whatever its schemas. */
interface RouteInfo {
  method: Method;
  /** Path template with `{param}` segments, e.g. "/v1/meters/{key}". */
  path: string;
  access: Access;
  summary: string;
  /** Media types the body may come as, besides application/json. */
  contentTypes?: readonly string[];
  /** OpenAPI description of the success response. */
  response?: { status: number; description: string; schema?: z.ZodType; mediaType?: string };
}

/** A route of the table: its schemas for the OpenAPI document, and a handler that validates its own input. */
export interface Route<Deps> extends RouteInfo {
  /** Zod schema of the JSON body; routes without one take no body. */
  body?: z.ZodType;
  /** Zod schema of the query string parameters. */
  query?: z.ZodType;
  /** Handles the body itself (no JSON parsing, no schema): e.g. event ingestion with per-event outcomes. */
  rawBody?: boolean;
  /** Validates the query, reads and validates the body (in that order), then runs the route's handler. */
  handle(request: IncomingRequest, deps: Deps): Promise<ApiResponse>;
}

/** Names of the `{param}` segments of a path template. */
export type PathParamNames<Path extends string> = Path extends `${string}{${infer Name}}${infer Rest}`
  ? Name | PathParamNames<Rest>
  : never;

/** The path parameters of a path template, e.g. `{ id: string }` for "/v1/customers/{id}". */
export type PathParams<Path extends string> = { [Name in PathParamNames<Path>]: string };

/** The body a handler receives: the output of the body schema, the raw body, or none. */
export type BodyOf<BodySchema, Raw> = Raw extends true
  ? RawBody
  : BodySchema extends z.ZodType
    ? z.output<BodySchema>
    : undefined;

/** The query a handler receives: the output of the query schema, or the query string as sent. */
export type QueryOf<QuerySchema> = QuerySchema extends z.ZodType
  ? z.output<QuerySchema>
  : Record<string, string | undefined>;

/** A route as written: the handler's request is typed from the route's path and schemas. */
export type RouteDefinition<
  Deps,
  Path extends string,
  BodySchema extends z.ZodType | undefined,
  QuerySchema extends z.ZodType | undefined,
  Raw extends boolean,
> = RouteInfo & {
  path: Path;
  body?: BodySchema;
  query?: QuerySchema;
  rawBody?: Raw;
  handle(
    request: ApiRequest<BodyOf<BodySchema, Raw>, QueryOf<QuerySchema>, PathParams<Path>>,
    deps: Deps,
  ): Promise<ApiResponse>;
};

/**
 * The route builder for one kind of `Deps`: `const route = routesFor<ApiDeps>()`, then
 * `route({ path, body: CreateMeterSchema, handle: async (request, deps) => ... })` gives the handler
 * `request.body` as the schema's output and `request.params` with the path's parameters.
 */
export function routesFor<Deps>() {
  return <
    const Path extends string,
    BodySchema extends z.ZodType | undefined = undefined,
    QuerySchema extends z.ZodType | undefined = undefined,
    Raw extends boolean = false,
  >(
    definition: RouteDefinition<Deps, Path, BodySchema, QuerySchema, Raw>,
  ): Route<Deps> => {
    const { handle, ...info } = definition;
    return {
      ...info,
      handle: (request, deps) => {
        const query = definition.query ? validate(definition.query, request.query, '?') : request.query;
        const raw = request.readBody();
        const body = definition.rawBody ? raw : definition.body ? validate(definition.body, raw?.json) : undefined;
        // The router fills every parameter of the path, and the branches above are exactly those of
        // BodyOf and QueryOf: TypeScript cannot narrow a conditional type on a generic, so say so once here.
        return handle(
          {
            ...request,
            params: request.params as PathParams<Path>,
            query: query as QueryOf<QuerySchema>,
            body: body as BodyOf<BodySchema, Raw>,
          },
          deps,
        );
      },
    };
  };
}

interface CompiledRoute<Deps> {
  route: Route<Deps>;
  pattern: RegExp;
  names: string[];
}

export interface RouteMatch<Deps> {
  route: Route<Deps>;
  params: Record<string, string>;
}

/** Matches method + path against a route table; 404 for an unknown path, 405 for a known path with another method. */
export class Router<Deps> {
  private readonly compiled: CompiledRoute<Deps>[];

  constructor(readonly routes: readonly Route<Deps>[]) {
    this.compiled = routes.map((route) => {
      const names: string[] = [];
      const source = route.path.replace(/\{([a-z_]+)\}/gi, (_, name: string) => {
        names.push(name);
        return '([^/]+)';
      });
      return { route, names, pattern: new RegExp(`^${source}/?$`) };
    });
  }

  match(method: string, path: string): RouteMatch<Deps> {
    const allowed: string[] = [];
    for (const { route, pattern, names } of this.compiled) {
      const found = pattern.exec(path);
      if (!found) continue;
      if (route.method !== method) {
        allowed.push(route.method);
        continue;
      }
      const params: Record<string, string> = {};
      names.forEach((name, i) => {
        params[name] = safeDecode(found[i + 1] ?? '');
      });
      checkParams(params);
      return { route, params };
    }
    if (allowed.length > 0) {
      throw new HttpError(
        405,
        'method_not_allowed',
        `${method} is not allowed on ${path}; use ${allowed.join(', ')}`,
        undefined,
        {
          headers: { allow: allowed.join(', ') },
        },
      );
    }
    throw new HttpError(404, 'not_found', `no route ${method} ${path}`);
  }
}

/** Longest path parameter: every id and key of the API is far shorter (DynamoDB keys end at 2 KB). */
export const MAX_PATH_PARAMETER_LENGTH = 256;

/** Path parameters are ids and keys: single-line text of bounded length, whatever the route. */
function checkParams(params: Record<string, string>): void {
  const details = Object.entries(params).flatMap(([name, value]) => {
    const problem =
      value.length > MAX_PATH_PARAMETER_LENGTH
        ? `must have at most ${MAX_PATH_PARAMETER_LENGTH} characters`
        : textProblem(value, { singleLine: true });
    return problem ? [{ path: `/{${name}}`, message: problem }] : [];
  });
  if (details.length > 0) {
    throw new ValidationFailedError(
      details,
      `path parameter ${details.map((d) => d.path).join(', ')}: ${details[0]?.message}`,
    );
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
