import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';

/**
 * The local SES server (aws-ses-v2-local) in this process, bound to loopback: SES v2 SendEmail
 * (Raw included), a web inbox at `/`, the emails as JSON at `/store`. Its store is module state:
 * it survives stop() and start() (an "SES outage"), and every server in one process shares it.
 */
export interface StoredEmail {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { text?: string; html?: string };
  attachments: Array<{ filename?: string; contentType: string; size: number; content: string }>;
  at: number;
}

export interface SesLocal {
  /** The SES endpoint, and the web inbox. */
  url: string;
  port: number;
  /** Whether it is serving (stop() simulates an outage; start() ends it, on the same port). */
  readonly running: boolean;
  emails(): Promise<StoredEmail[]>;
  clear(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

type ServeSes = (config?: { host?: string; port?: number }) => Promise<Server>;

const require = createRequire(import.meta.url);

function serveSes(): ServeSes {
  const module = require('aws-ses-v2-local') as { default: ServeSes };
  return module.default;
}

/** Starts the server on `port` (0: a free one). Requests other than sending and /store may hang: use timeouts. */
export async function startSesLocal(options: { port?: number; host?: string } = {}): Promise<SesLocal> {
  const host = options.host ?? '127.0.0.1';
  const serve = serveSes();
  let server: Server | undefined = await serve({ host, port: options.port ?? 0 });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host}:${port}`;
  const request = async (path: string, method = 'GET') => {
    const response = await fetch(`${url}${path}`, { method, signal: AbortSignal.timeout(5000) });
    if (!response.ok) throw new Error(`local SES ${method} ${path}: ${response.status}`);
    return response;
  };
  return {
    url,
    port,
    get running() {
      return server !== undefined;
    },
    emails: async () => ((await (await request('/store')).json()) as { emails: StoredEmail[] }).emails,
    clear: async () => {
      await request('/clear-store', 'POST');
    },
    start: async () => {
      if (!server) server = await serve({ host, port });
    },
    stop: async () => {
      const current = server;
      server = undefined;
      if (!current) return;
      await new Promise<void>((resolve) => {
        current.closeAllConnections();
        current.close(() => resolve());
      });
    },
  };
}
