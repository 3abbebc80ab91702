import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { ApiKeyVerifier, Principal } from '../app/auth.js';
import { InvalidJsonError, parseJson } from '../schemas/json.js';
import { forbidden, HttpError, unauthorized } from './errors.js';
import { errorResponse, httpErrors, requestIdHeader, securityHeaders } from './middlewares.js';
import { SECURITY_HEADERS } from './respond.js';
import { type IncomingRequest, type Method, type RawBody, type Route, Router } from './router.js';

/** What tools send by default (curl -d: form, some clients: text/plain); the body is read as JSON all the same. */
const LENIENT_TYPES = new Set(['application/x-www-form-urlencoded', 'text/plain']);

export interface ApiHandlerOptions<Deps> {
  routes: readonly Route<Deps>[];
  deps: Deps;
  keys: ApiKeyVerifier;
  /** Largest accepted body in bytes; larger ones get 413. */
  maxBodyBytes: number;
  logger?: Logger;
  /**
   * Parse every JSON response of a route that declares a response schema with that schema, and
   * answer 500 (naming the route and the fields) when it does not conform. For tests only: the
   * schemas describe the responses in the OpenAPI document, and this proves them true.
   */
  checkResponses?: boolean;
}

type LambdaHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

export interface ApiHandler extends LambdaHandler {
  /** Largest accepted body in bytes (a server that streams bodies stops reading there). */
  readonly maxBodyBytes: number;
  /**
   * Route match and API key check before the body is read, for a server that streams the body
   * (`npm start`; API Gateway reads it anyway). Resolves to undefined when the request may go on:
   * the verified principal is then remembered for this very event, so the handler does not look
   * the key up again. Otherwise resolves to the response (401, 403, 404, 405, 503) to send without
   * reading the body.
   */
  preflight(event: APIGatewayProxyEventV2, context: Context): Promise<APIGatewayProxyStructuredResultV2 | undefined>;
}

/** One middy handler for the whole HTTP API (API Gateway HTTP API payload v2). */
export function createApiHandler<Deps>(options: ApiHandlerOptions<Deps>): ApiHandler {
  const router = new Router(options.routes);
  const logger = options.logger ?? new Logger({ serviceName: 'billing-api' });
  /** Principals verified by preflight, per event object (nothing is kept once the event is gone). */
  const verified = new WeakMap<APIGatewayProxyEventV2, Principal | undefined>();

  const dispatch = async (
    event: APIGatewayProxyEventV2,
    context: Context,
  ): Promise<APIGatewayProxyStructuredResultV2> => {
    const method = event.requestContext.http.method.toUpperCase();
    const path = event.rawPath || event.requestContext.http.path;
    const { route, params } = router.match(method, path);
    const headers = lowerCaseHeaders(event.headers);
    const principal =
      route.access === 'public'
        ? undefined
        : verified.has(event)
          ? verified.get(event)
          : await authorize(route.access, headers, options.keys);

    const request: IncomingRequest = {
      method: method as Method,
      path,
      params,
      headers,
      principal,
      requestId: context.awsRequestId,
      event,
      query: event.queryStringParameters ?? {},
      readBody: () => readBody(route, event, headers, options.maxBodyBytes),
    };
    const response = await route.handle(request, options.deps);
    if (options.checkResponses) checkResponse(route, `${method} ${path}`, response, logger);
    return response;
  };

  const handler = middy(dispatch)
    .use(securityHeaders())
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(requestIdHeader())
    .use(httpErrors(logger)) as unknown as LambdaHandler;

  const preflight: ApiHandler['preflight'] = async (event, context) => {
    try {
      const method = event.requestContext.http.method.toUpperCase();
      const { route } = router.match(method, event.rawPath || event.requestContext.http.path);
      if (route.access === 'public') return undefined;
      verified.set(event, await authorize(route.access, lowerCaseHeaders(event.headers), options.keys));
      return undefined;
    } catch (error) {
      const response = errorResponse(error, context.awsRequestId, logger);
      response.headers = { ...response.headers, ...SECURITY_HEADERS };
      return response;
    }
  };

  return Object.assign((event: APIGatewayProxyEventV2, context: Context) => handler(event, context), {
    maxBodyBytes: options.maxBodyBytes,
    preflight,
  });
}

async function authorize(
  access: Route<unknown>['access'],
  headers: Record<string, string>,
  keys: ApiKeyVerifier,
): Promise<Principal> {
  const header = headers.authorization;
  if (!header) throw unauthorized('missing API key: send "Authorization: Bearer <key>"');
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) throw unauthorized('the Authorization header must be "Bearer <key>"');
  const principal = await keys.verify(match[1]);
  if (!principal) throw unauthorized('the API key is not valid or was revoked');
  if (access === 'admin' && principal.scope !== 'admin') {
    throw forbidden(
      `this key has scope '${principal.scope}', which may only post events; this route needs an admin key`,
    );
  }
  return principal;
}

function readBody(
  route: Route<unknown>,
  event: APIGatewayProxyEventV2,
  headers: Record<string, string>,
  maxBodyBytes: number,
): RawBody | undefined {
  if (!route.body && !route.rawBody) return undefined;
  const raw = event.body ?? '';
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  const size = Buffer.byteLength(text, 'utf8');
  if (size > maxBodyBytes) {
    throw new HttpError(413, 'payload_too_large', `the body has ${size} bytes; the limit is ${maxBodyBytes}`);
  }
  const contentType = (headers['content-type'] ?? 'application/json').split(';')[0]!.trim().toLowerCase();
  const accepted = ['application/json', ...(route.contentTypes ?? [])];
  if (!accepted.includes(contentType) && !LENIENT_TYPES.has(contentType)) {
    throw new HttpError(
      415,
      'unsupported_media_type',
      `content-type must be one of ${accepted.join(', ')}; got ${contentType}`,
    );
  }
  if (text.trim().length === 0) throw new HttpError(400, 'invalid_json', 'the request needs a JSON body');
  let parsed: unknown;
  try {
    parsed = parseJson(text);
  } catch (error) {
    if (error instanceof InvalidJsonError) throw new HttpError(400, 'invalid_json', error.message);
    throw error;
  }
  return { contentType, json: parsed, text };
}

/**
 * Throws (500) when a JSON response with the declared status does not conform to the route's
 * response schema: the check behind {@link ApiHandlerOptions.checkResponses}.
 */
export function checkResponse(
  route: Route<unknown>,
  label: string,
  response: APIGatewayProxyStructuredResultV2,
  logger?: Logger,
): void {
  const declared = route.response;
  if (!declared?.schema || response.statusCode !== declared.status || response.isBase64Encoded) return;
  const contentType = String(response.headers?.['content-type'] ?? '');
  if (!contentType.startsWith('application/json')) return;
  const result = declared.schema.safeParse(JSON.parse(response.body ?? 'null'));
  if (result.success) return;
  const problems = result.error.issues
    .slice(0, 10)
    .map((issue) => `/${issue.path.map(String).join('/')}: ${issue.message}`)
    .join('; ');
  const message = `the response of ${label} (route ${route.method} ${route.path}) does not conform to its schema: ${problems}`;
  logger?.error('response does not conform to its schema', { route: `${route.method} ${route.path}`, problems });
  // Test stacks log nothing: say it where a failing test shows it.
  process.stderr.write(`${message}\n`);
  throw new HttpError(500, 'response_schema_violation', message);
}

function lowerCaseHeaders(headers: APIGatewayProxyEventV2['headers']): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {}))
    if (value !== undefined) result[name.toLowerCase()] = value;
  return result;
}
