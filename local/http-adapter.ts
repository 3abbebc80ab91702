import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse, STATUS_CODES } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { ApiHandler } from '../functions/http/api-handler.js';
import { errorBody, SECURITY_HEADERS } from '../functions/http/respond.js';

export type HttpApiHandler = ((
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>) &
  Partial<Pick<ApiHandler, 'preflight' | 'maxBodyBytes'>>;

/** Ceiling of what the adapter reads when the handler names no limit, like API Gateway's 10 MB payload limit. */
const MAX_READ_BYTES = 10 * 1024 * 1024;

/** How long a refused request's connection stays half-open (what arrives is discarded) before it is cut. */
const REFUSED_BODY_GRACE_MS = 1000;

/** The limits of the local HTTP server (documented in the README, "Limits of `npm start`"). */
export interface HttpServerOptions {
  /** Milliseconds a client has to send the request headers; then 408 and the connection closes. @default 10_000 */
  headersTimeoutMs?: number;
  /** Milliseconds a client has to send the whole request, body included; then 408 and the connection closes. @default 30_000 */
  requestTimeoutMs?: number;
  /** Milliseconds an idle keep-alive connection stays open between requests. @default 5_000 */
  keepAliveTimeoutMs?: number;
  /** Largest body read; larger ones get 413 without being read in full. @default the handler's maxBodyBytes, else 10 MiB */
  maxBodyBytes?: number;
}

export const HTTP_LIMITS = { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5_000 } as const;

type Fallback = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

/**
 * Serves real HTTP by turning each request into an API Gateway HTTP API (payload 2.0) event and
 * calling the very handler that runs in Lambda. `fallback` serves what is not an API route (the dashboard).
 *
 * The edge defends itself: the route and the API key are checked before the body is read (a
 * rejected request's body is never read, and its connection is closed); the body is capped while it
 * streams (413, at once when content-length says so); slow headers and slow bodies are cut after
 * the timeouts (408).
 */
export function createHttpServer(
  handler: HttpApiHandler,
  fallback?: Fallback,
  options: HttpServerOptions = {},
): Server {
  const headersTimeout = options.headersTimeoutMs ?? HTTP_LIMITS.headersTimeoutMs;
  const requestTimeout = Math.max(headersTimeout, options.requestTimeoutMs ?? HTTP_LIMITS.requestTimeoutMs);
  const maxBodyBytes = options.maxBodyBytes ?? handler.maxBodyBytes ?? MAX_READ_BYTES;
  const onRequest = (req: IncomingMessage, res: ServerResponse, expectsContinue: boolean) => {
    void serve(req, res, { handler, fallback, maxBodyBytes, expectsContinue }).catch((error: unknown) => {
      // A client that went away (or was cut by a timeout) needs no answer.
      if (res.headersSent || res.destroyed || req.socket.destroyed) return;
      send(res, 500, 'internal_error', 'internal error', true);
      process.stderr.write(`local http adapter: ${(error as Error).stack ?? String(error)}\n`);
    });
  };
  const server = createServer(
    {
      headersTimeout,
      requestTimeout,
      keepAliveTimeout: options.keepAliveTimeoutMs ?? HTTP_LIMITS.keepAliveTimeoutMs,
      // Node checks the two timeouts above on this interval (default 30 s): often enough for them to hold.
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(headersTimeout / 4))),
    },
    (req, res) => onRequest(req, res, false),
  );
  // `Expect: 100-continue` (curl sends it for large bodies): "continue" only once the key was accepted.
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => onRequest(req, res, true));
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    const inFlight = (socket as Duplex & { _httpMessage?: ServerResponse })._httpMessage;
    if (error.code !== 'ECONNRESET' && socket.writable && !inFlight?.headersSent) {
      const [status, code, message] =
        error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? [
              408,
              'request_timeout',
              `the request was not received within the time limit (headers ${headersTimeout / 1000} s, whole request ${requestTimeout / 1000} s)`,
            ]
          : error.code === 'HPE_HEADER_OVERFLOW'
            ? [431, 'headers_too_large', 'the request headers are too large']
            : [400, 'bad_request', 'the request is not valid HTTP'];
      socket.write(rawResponse(status, code, message));
    }
    socket.destroy();
  });
  return server;
}

/** An error response written straight to the socket (node has no ServerResponse for a request it could not parse). */
function rawResponse(status: number, code: string, message: string): string {
  const body = JSON.stringify(errorBody(code, message));
  const headers = {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    connection: 'close',
    ...SECURITY_HEADERS,
  };
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  return `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n${lines.join('\r\n')}\r\n\r\n${body}`;
}

/** Sends an error of the adapter itself; `close`: the body was not read, so the connection cannot be reused. */
function send(res: ServerResponse, status: number, code: string, message: string, close: boolean): void {
  const body = JSON.stringify(errorBody(code, message));
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    ...SECURITY_HEADERS,
    ...(close ? { connection: 'close' } : {}),
  });
  res.end(body);
}

/** Writes a handler result; when the body was left unread, closes the connection once the answer is out. */
function reply(
  req: IncomingMessage,
  res: ServerResponse,
  result: APIGatewayProxyStructuredResultV2,
  unreadBody: boolean,
): void {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
  if (unreadBody) headers.connection = 'close';
  res.writeHead(result.statusCode ?? 200, headers);
  res.end(result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64') : (result.body ?? ''));
  if (unreadBody) closeAfter(req, res);
}

/**
 * After answering a request whose body is not wanted: the answer goes out with `Connection: close`,
 * then the connection is half-closed and destroyed after a short grace. During the grace what the
 * client still sends is discarded unread (never stored), so a client that writes its whole body
 * before reading (fetch) still gets the answer instead of a broken pipe.
 */
function closeAfter(req: IncomingMessage, res: ServerResponse): void {
  const socket = req.socket;
  // Node ends a `Connection: close` response with destroySoon(): FIN, then destroy at once.
  socket.destroySoon = () => {
    socket.end();
    const timer = setTimeout(() => socket.destroy(), REFUSED_BODY_GRACE_MS);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
  };
  res.once('finish', () => req.resume());
}

interface ServeOptions {
  handler: HttpApiHandler;
  fallback: Fallback | undefined;
  maxBodyBytes: number;
  expectsContinue: boolean;
}

async function serve(req: IncomingMessage, res: ServerResponse, options: ServeOptions): Promise<void> {
  const { handler, fallback, maxBodyBytes } = options;
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (fallback && !url.pathname.startsWith('/v1/') && (await fallback(req, res))) return;
  const event = toEvent(req, url);
  const context = lambdaContext(event.requestContext.requestId);
  // The key before the body: a request that will be refused is refused before its body is read.
  const refused = handler.preflight ? await handler.preflight(event, context) : undefined;
  if (refused) {
    reply(req, res, refused, !req.complete);
    return;
  }
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBodyBytes) {
    send(res, 413, 'payload_too_large', `the body has ${declared} bytes; the limit is ${maxBodyBytes}`, true);
    closeAfter(req, res);
    return;
  }
  if (options.expectsContinue) res.writeContinue();
  const body = await readBody(req, maxBodyBytes);
  if (body === undefined) {
    send(res, 413, 'payload_too_large', `the body exceeds the limit of ${maxBodyBytes} bytes`, true);
    closeAfter(req, res);
    return;
  }
  if (body.length > 0) {
    event.body = body.toString('base64');
    event.isBase64Encoded = true;
  }
  reply(req, res, await handler(event, context), false);
}

/** Reads the body, counting bytes as they arrive; undefined (and stops reading) once it passes the cap. */
function readBody(req: IncomingMessage, maxBodyBytes: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBodyBytes) {
        chunks.push(chunk);
        return;
      }
      // Not a byte more: the 413 goes out and the connection closes.
      req.pause();
      done();
      chunks.length = 0;
      resolve(undefined);
    };
    const onEnd = () => {
      done();
      resolve(Buffer.concat(chunks));
    };
    const onError = (error: Error) => {
      done();
      reject(error);
    };
    const onClose = () => {
      done();
      reject(new Error('the client closed the connection before the body was complete'));
    };
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', onError);
    req.once('close', onClose);
  });
}

/** The API Gateway event of a request, without its body (read after the preflight). */
function toEvent(req: IncomingMessage, url: URL): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = name in query ? `${query[name]},${value}` : value;
  const method = (req.method ?? 'GET').toUpperCase();
  const now = new Date();
  const requestId = randomUUID();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    queryStringParameters: Object.keys(query).length > 0 ? query : undefined,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method,
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    isBase64Encoded: false,
  };
}

export function lambdaContext(requestId: string, functionName = 'billing-api-local'): Context {
  const deadline = Date.now() + 30_000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export async function listen(server: Server, port: number, host = '127.0.0.1'): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}
