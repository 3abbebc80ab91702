import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The local S3 server (s3rver 3.7.1, objects in a directory) holding the event archive bucket.
 * Clients need `forcePathStyle: true`, region us-east-1 and any credentials (e.g. S3RVER/S3RVER).
 *
 * Quirks of s3rver 3.7.1 found while wiring it (Node 20, @aws-sdk/client-s3 3.1169.0):
 * - ListObjectsV2 paging is broken on Node 17+: s3rver encrypts its ContinuationToken with DES,
 *   which OpenSSL 3 does not load by default, so every truncated V2 listing (more keys than
 *   MaxKeys) answers 500 "digital envelope routines::unsupported". This module replaces s3rver's
 *   list controller for `list-type=2` with a wrapper that lists through s3rver's V1 path (marker)
 *   and hands out its own token (the base64url of the last key): Prefix, MaxKeys, StartAfter and
 *   ContinuationToken then page like S3. The patch is applied once, to the s3rver module loaded by
 *   this process. KeyCount counts objects only (S3 also counts common prefixes), and a page that
 *   ends on a common prefix (Delimiter) may repeat it on the next page.
 * - PutObject with `ContentEncoding: 'gzip'` stores the bytes as sent and GetObject returns them
 *   byte-identical with `Content-Encoding: gzip` (neither s3rver nor the SDK decodes them).
 * - `configureBuckets` is idempotent: on a directory that already holds the bucket it keeps the
 *   objects (and logs a warning, which `silent` hides).
 * - It only listens on the port given (no port 0 lookup of its own is needed: it passes 0 to
 *   `listen` and `run()` returns the bound address).
 */
export interface S3Local {
  endpoint: string;
  port: number;
  /** The archive bucket, created at start. */
  bucket: string;
  /** Closes the server (idempotent); removes the directory only when start made it. */
  stop(): Promise<void>;
}

export interface S3LocalOptions {
  /** Where the objects live; kept on stop (created when missing). Default: a fresh temp dir, removed on stop. */
  directory?: string;
  /** @default 0 (a free port) */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** @default ARCHIVE_BUCKET */
  bucket?: string;
}

export const ARCHIVE_BUCKET = 'billing-event-archive';

interface S3rverServer {
  httpServer?: Server;
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverConstructor = new (options: Record<string, unknown>) => S3rverServer;

/** The parts of a Koa context the list wrapper reads and writes. */
interface ListContext {
  query: Record<string, string | string[] | undefined>;
  body: unknown;
}
interface V1ListResult {
  ListBucketResult: Record<string, unknown> & {
    Contents: Array<Record<string, unknown> & { Key: string }>;
    IsTruncated: boolean;
    Marker?: string;
    NextMarker?: string;
  };
}
interface BucketController {
  getBucket(ctx: ListContext): Promise<void>;
  __billingListV2Patched?: boolean;
}

const require = createRequire(import.meta.url);

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Serves ListObjectsV2 through s3rver's V1 listing (see the quirk above). Called after s3rver
 * checked the request's signature, so rewriting the query here is safe.
 */
function patchListObjectsV2(controller: BucketController): void {
  if (controller.__billingListV2Patched) return;
  const listV1 = controller.getBucket.bind(controller);
  controller.getBucket = async (ctx) => {
    const query = { ...ctx.query };
    if (first(query['list-type']) !== '2') return listV1(ctx);
    const token = first(query['continuation-token']);
    const startAfter = first(query['start-after']);
    let marker = startAfter;
    if (token) {
      marker = Buffer.from(token, 'base64url').toString('utf8');
      if (!marker) throw new Error('local S3: the continuation token provided is incorrect');
    }
    const v1Query = { ...query };
    delete v1Query['list-type'];
    delete v1Query['continuation-token'];
    delete v1Query['start-after'];
    delete v1Query['fetch-owner'];
    if (marker) v1Query.marker = marker;
    ctx.query = v1Query;
    await listV1(ctx);
    ctx.query = query;
    const result = (ctx.body as V1ListResult).ListBucketResult;
    const { Marker: _marker, NextMarker: _nextMarker, Contents, ...rest } = result;
    const last = Contents.at(-1)?.Key;
    const fetchOwner = first(query['fetch-owner']) === 'true';
    ctx.body = {
      ListBucketResult: {
        ...rest,
        StartAfter: token ? undefined : startAfter,
        ContinuationToken: token,
        NextContinuationToken:
          result.IsTruncated && last !== undefined ? Buffer.from(last, 'utf8').toString('base64url') : undefined,
        KeyCount: Contents.length,
        Contents: Contents.map(({ Owner, ...object }) => (fetchOwner ? { ...object, Owner } : object)),
      },
    };
  };
  controller.__billingListV2Patched = true;
}

/** Starts s3rver on loopback with the bucket created (kept when the directory already held it). */
export async function startS3Local(options: S3LocalOptions = {}): Promise<S3Local> {
  const host = options.host ?? '127.0.0.1';
  const bucket = options.bucket ?? ARCHIVE_BUCKET;
  const ownsDirectory = options.directory === undefined;
  const directory = options.directory ?? mkdtempSync(join(tmpdir(), 'billing-s3-'));
  mkdirSync(directory, { recursive: true });
  patchListObjectsV2(require('s3rver/lib/controllers/bucket.js') as BucketController);
  const S3rver = require('s3rver') as S3rverConstructor;
  const server = new S3rver({
    port: options.port ?? 0,
    address: host,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  let address: AddressInfo;
  try {
    address = await server.run();
  } catch (error) {
    if (ownsDirectory) rmSync(directory, { recursive: true, force: true });
    throw new Error(`local S3 did not start on ${host}:${options.port ?? 0}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  let stopping: Promise<void> | undefined;
  return {
    endpoint: `http://${host}:${address.port}`,
    port: address.port,
    bucket,
    stop: () => {
      stopping ??= (async () => {
        // The SDK keeps sockets alive: close them, or close() waits for the clients to go.
        server.httpServer?.closeAllConnections();
        await server.close();
        if (ownsDirectory) rmSync(directory, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
}
