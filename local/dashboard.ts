import { existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.svg', '.txt', '.map']);

/** Paths without a file extension that belong to the API, not to the single-page app. */
const API_PATHS = new Set(['/health']);

interface CachedFile {
  body: Buffer;
  gzip?: Buffer;
  type: string;
  mtimeMs: number;
}

/**
 * Serves the built dashboard (web/dist) beside the API: files as they are (hashed assets cached for a
 * year, index.html never), any other extension-less path as index.html (the app routes itself), gzip
 * when the client accepts it. Resolves false for what it does not serve (non-GET, /v1, /health, a
 * missing file with an extension), so the caller hands the request to the API.
 */
export function dashboardHandler(root: string): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const base = resolve(root);
  const cache = new Map<string, CachedFile>();

  const load = (file: string): CachedFile | undefined => {
    let stats: ReturnType<typeof statSync>;
    try {
      stats = statSync(file);
    } catch {
      return undefined;
    }
    if (!stats.isFile()) return undefined;
    const cached = cache.get(file);
    if (cached && cached.mtimeMs === stats.mtimeMs) return cached;
    const ext = extname(file).toLowerCase();
    const body = readFileSync(file);
    const entry: CachedFile = {
      body,
      type: CONTENT_TYPES[ext] ?? 'application/octet-stream',
      mtimeMs: stats.mtimeMs,
      ...(COMPRESSIBLE.has(ext) && body.length > 1024 ? { gzip: gzipSync(body) } : {}),
    };
    cache.set(file, entry);
    return entry;
  };

  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const url = new URL(req.url ?? '/', 'http://localhost');
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      return false;
    }
    if (path.startsWith('/v1/') || path === '/v1' || API_PATHS.has(path) || path.includes('\0')) return false;
    const requested = resolve(base, `.${normalize(`/${path}`)}`);
    if (requested !== base && !requested.startsWith(base + sep)) return false;
    let file = load(requested);
    let isIndex = false;
    if (!file) {
      if (extname(path) !== '') return false;
      file = load(join(base, 'index.html'));
      isIndex = true;
      if (!file) {
        if (path !== '/') return false;
        res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(`The dashboard is not built: run \`npm run build:web\` (looked in ${base}).\n`);
        return true;
      }
    }
    // Every page (index.html, portal.html) is never cached and carries the CSP; assets are cached.
    isIndex ||= extname(requested).toLowerCase() === '.html';
    const gzip = file.gzip && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const body = gzip ? file.gzip! : file.body;
    res.writeHead(200, {
      'content-type': file.type,
      'content-length': String(body.length),
      'cache-control': isIndex
        ? 'no-cache'
        : path.startsWith('/assets/')
          ? 'public, max-age=31536000, immutable'
          : 'public, max-age=300',
      'x-content-type-options': 'nosniff',
      ...(isIndex
        ? {
            'content-security-policy':
              "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
          }
        : {}),
      ...(file.gzip ? { vary: 'accept-encoding' } : {}),
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  };
}

/** web/dist of this checkout, when it has been built. */
export function defaultDashboardRoot(): string | undefined {
  const root = resolve(import.meta.dirname, '..', 'web', 'dist');
  return existsSync(join(root, 'index.html')) ? root : undefined;
}
