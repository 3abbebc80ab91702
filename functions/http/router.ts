import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { z } from 'zod';
import type { ApiKeyScope, Principal } from '../app/auth.js';
import { textProblem } from '../domain/text.js';
import { HttpError, ValidationFailedError } from './errors.js';

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** Who may call a route: anybody, admin keys only, or ingest and admin keys. */
export type Access = 'public' | ApiKeyScope;

export interface ApiRequest<Body = unknown, Query = unknown> {
  method: Method;
  path: string;
  params: Record<string, string>;
  query: Query;
  body: Body;
  headers: Record<string, string>;
  principal: Principal | undefined;
  requestId: string;
  event: APIGatewayProxyEventV2;
}

export type ApiResponse = APIGatewayProxyStructuredResultV2;

export interface Route<Deps> {
  method: Method;
  /** Path template with `{param}` segments, e.g. "/v1/meters/{key}". */
  path: string;
  access: Access;
  summary: string;
  /** Zod schema of the JSON body; routes without one take no body. */
  body?: z.ZodType;
  /** Zod schema of the query string parameters. */
  query?: z.ZodType;
  /** Media types the body may come as, besides application/json. */
  contentTypes?: readonly string[];
  /** Handles the body itself (no JSON parsing, no schema): e.g. event ingestion with per-event outcomes. */
  rawBody?: boolean;
  /** OpenAPI description of the success response. */
  response?: { status: number; description: string; schema?: z.ZodType; mediaType?: string };
  handle(request: ApiRequest, deps: Deps): Promise<ApiResponse>;
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
