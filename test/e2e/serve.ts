import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dashboardHandler } from '../../local/dashboard.js';

/**
 * The dashboard as `npm start` serves it: the built files from `root`, everything else (/v1, /health)
 * proxied to the API at `apiUrl`. On an ephemeral port; `close()` stops it.
 */
export async function serveDashboard(root: string, apiUrl: string): Promise<{ url: string; close(): Promise<void> }> {
  const dashboard = dashboardHandler(root);
  const api = new URL(apiUrl);
  const server: Server = createServer((req, res) => {
    void (async () => {
      if (await dashboard(req, res)) return;
      const upstream = httpRequest(
        {
          host: api.hostname,
          port: api.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: api.host },
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', (error) => {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`proxy error: ${error.message}`);
      });
      req.pipe(upstream);
    })().catch((error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
