import { randomUUID } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/stack.js';

/** A raw HTTP exchange over one socket: what the server sent, and whether it closed the connection. */
interface RawExchange {
  socket: Socket;
  /** Everything received so far. */
  text(): string;
  /** Resolves when the server has closed the connection (with what it sent). */
  closed: Promise<string>;
  write(data: string | Buffer): Promise<boolean>;
}

function openRaw(port: number): Promise<RawExchange> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
    });
    // A reset after the answer is fine: the server closed a connection whose body it did not want.
    socket.on('error', () => undefined);
    const closed = new Promise<string>((done) => socket.once('close', () => done(received)));
    socket.once('connect', () =>
      resolve({
        socket,
        text: () => received,
        closed,
        write: (data) =>
          new Promise((done) => {
            if (socket.destroyed) return done(false);
            socket.write(data, (error) => done(!error));
          }),
      }),
    );
    socket.once('error', reject);
  });
}

interface ParsedResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The first response in `text` (status line, headers, body as far as received). */
function parse(text: string): ParsedResponse {
  // Skip interim 1xx responses.
  let rest = text;
  while (/^HTTP\/1\.1 1\d\d /.test(rest)) rest = rest.slice(rest.indexOf('\r\n\r\n') + 4);
  const end = rest.indexOf('\r\n\r\n');
  const [statusLine = '', ...lines] = rest.slice(0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = rest.slice(end + 4);
  if (headers['transfer-encoding'] === 'chunked') {
    let decoded = '';
    for (let at = 0; ; ) {
      const lineEnd = body.indexOf('\r\n', at);
      const size = Number.parseInt(body.slice(at, lineEnd), 16);
      if (!(size > 0)) break;
      decoded += body.slice(lineEnd + 2, lineEnd + 2 + size);
      at = lineEnd + 2 + size + 2;
    }
    body = decoded;
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body };
}

async function until(probe: () => boolean, what: string): Promise<void> {
  await expect.poll(probe, { timeout: 10_000, message: what }).toBe(true);
}

const MAX_BODY = 4096;

describe('the HTTP edge of the local stack', () => {
  let stack: LocalStack;
  let port: number;
  let ingestKey: string;

  beforeAll(async () => {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
    stack = await startLocalStack({
      dynamodbEndpoint: inject('dynamodbEndpoint'),
      env: {
        BILLING_TABLE_NAME: `test-${randomUUID()}`,
        BILLING_API_KEY: `bk_test_${randomUUID()}`,
        BILLING_MAX_BODY_BYTES: String(MAX_BODY),
        BILLING_CHECK_RESPONSES: '1',
      },
      logLevel: 'SILENT',
      delivery: false,
      http: { headersTimeoutMs: 500, requestTimeoutMs: 1000 },
    });
    port = stack.port;
    ingestKey = (await stack.deps.apiKeys.create('edge test', 'ingest')).secret;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const get = (path: string, key: string | null = stack.adminKey) =>
    fetch(`${stack.url}${path}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });

  it('refuses a request without a key before reading its body, and closes the connection', async () => {
    const raw = await openRaw(port);
    // Headers announce 9.5 MB; not a byte of the body is sent.
    await raw.write(
      `POST /v1/meters HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ncontent-length: ${9.5 * 1024 * 1024}\r\n\r\n`,
    );
    const text = await raw.closed;
    const response = parse(text);
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer');
    expect(response.headers.connection).toBe('close');
    expect(JSON.parse(response.body).error.code).toBe('unauthorized');
  });

  it('still answers 401 to a client that writes its whole body before reading (fetch)', async () => {
    const response = await fetch(`${stack.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents-batch+json' },
      body: Buffer.alloc(2 * 1024 * 1024, 0x61),
    });
    expect(response.status).toBe(401);
    expect((await response.json()).error.code).toBe('unauthorized');
  });

  it('refuses a wrong key before `100 Continue`, so the client never sends the body', async () => {
    const raw = await openRaw(port);
    await raw.write(
      'POST /v1/events HTTP/1.1\r\nhost: localhost\r\nauthorization: Bearer bk_nope\r\ncontent-type: application/json\r\ncontent-length: 5000000\r\nexpect: 100-continue\r\n\r\n',
    );
    const text = await raw.closed;
    expect(text).not.toContain('100 Continue');
    expect(parse(text).status).toBe(401);
  });

  it('refuses an ingest key on an admin route (403) and an unknown route (404) without reading the body', async () => {
    for (const [request, status] of [
      [`POST /v1/customers HTTP/1.1\r\nauthorization: Bearer ${ingestKey}\r\n`, 403],
      [`POST /v1/nothing-here HTTP/1.1\r\nauthorization: Bearer ${stack.adminKey}\r\n`, 404],
    ] as const) {
      const raw = await openRaw(port);
      await raw.write(`${request}host: localhost\r\ncontent-type: application/json\r\ncontent-length: 1000000\r\n\r\n`);
      const response = parse(await raw.closed);
      expect(response.status).toBe(status);
      expect(response.headers['cache-control']).toBe('no-store');
    }
    const customers = await (await get('/v1/customers')).json();
    expect(customers.data).toEqual([]);
  });

  it('answers 413 at once when content-length is over the limit, without reading the body', async () => {
    const raw = await openRaw(port);
    await raw.write(
      `POST /v1/customers HTTP/1.1\r\nhost: localhost\r\nauthorization: Bearer ${stack.adminKey}\r\ncontent-type: application/json\r\ncontent-length: ${MAX_BODY + 1}\r\n\r\n`,
    );
    const response = parse(await raw.closed);
    expect(response.status).toBe(413);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(JSON.parse(response.body).error).toMatchObject({
      code: 'payload_too_large',
      message: `the body has ${MAX_BODY + 1} bytes; the limit is ${MAX_BODY}`,
    });
  });

  it('stops a chunked body at the limit with 413 while it is still streaming', async () => {
    const raw = await openRaw(port);
    await raw.write(
      `POST /v1/customers HTTP/1.1\r\nhost: localhost\r\nauthorization: Bearer ${stack.adminKey}\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n`,
    );
    const chunk = 'x'.repeat(1024);
    // Keeps sending 1 KiB chunks (the body never ends) until the server answers.
    let sent = 0;
    while (!raw.text().includes('\r\n\r\n') && sent < 64 * 1024) {
      if (!(await raw.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`))) break;
      sent += chunk.length;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const response = parse(await raw.closed);
    expect(response.status).toBe(413);
    expect(JSON.parse(response.body).error.code).toBe('payload_too_large');
    expect(sent).toBeLessThan(64 * 1024);
  });

  it('cuts a slow body with 408 and closes the connection', async () => {
    const raw = await openRaw(port);
    await raw.write(
      `POST /v1/customers HTTP/1.1\r\nhost: localhost\r\nauthorization: Bearer ${stack.adminKey}\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"id":`,
    );
    // The rest of the body never comes.
    const response = parse(await raw.closed);
    expect(response.status).toBe(408);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(JSON.parse(response.body).error.code).toBe('request_timeout');
  });

  it('cuts slow headers with 408 and closes the connection', async () => {
    const raw = await openRaw(port);
    await raw.write('GET /v1/meters HTTP/1.1\r\nhost: localhost\r\n');
    // The blank line that ends the headers never comes.
    const response = parse(await raw.closed);
    expect(response.status).toBe(408);
  });

  it('closes a connection that sends nothing at all', async () => {
    const raw = await openRaw(port);
    await raw.closed;
    expect(raw.socket.destroyed).toBe(true);
  });

  it('still serves a request whose body is within the limit', async () => {
    const response = await fetch(`${stack.url}/v1/customers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'cus_edge', name: 'Edge GmbH', email: 'billing@edge.example', currency: 'EUR' }),
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const customer = await (await get('/v1/customers/cus_edge')).json();
    expect(customer.name).toBe('Edge GmbH');
  });

  it('puts no-store and nosniff on successes, errors and public routes alike', async () => {
    for (const [path, key, status] of [
      ['/v1/meters', stack.adminKey, 200],
      ['/v1/meters/none', stack.adminKey, 404],
      ['/v1/meters', null, 401],
      ['/v1/meters', 'bk_wrong', 401],
      ['/health', null, 200],
      ['/openapi.json', null, 200],
    ] as const) {
      const response = await get(path, key);
      expect({ path, status: response.status }).toEqual({ path, status });
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('keeps the connection open after a refused request that had no body', async () => {
    const raw = await openRaw(port);
    await raw.write('GET /v1/meters HTTP/1.1\r\nhost: localhost\r\n\r\n');
    await until(() => raw.text().includes('\r\n\r\n'), 'the first answer');
    expect(parse(raw.text()).status).toBe(401);
    await raw.write(`GET /v1/meters HTTP/1.1\r\nhost: localhost\r\nauthorization: Bearer ${stack.adminKey}\r\n\r\n`);
    await until(() => raw.text().includes('HTTP/1.1 200'), 'the second answer on the same connection');
    raw.socket.destroy();
  });
});
