import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (lib/ lives directly under it). */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Every Lambda entry point of the stack; each file exports `handler`. */
export const HANDLER_ENTRIES = {
  api: 'functions/handlers/api.ts',
  closeFindDue: 'functions/handlers/close-find-due.ts',
  closeSubscription: 'functions/handlers/close-subscription.ts',
  closeRecordRun: 'functions/handlers/close-record-run.ts',
  deliver: 'functions/handlers/deliver.ts',
  outboxSweep: 'functions/handlers/outbox-sweep.ts',
  refreshEstimates: 'functions/handlers/refresh-estimates.ts',
  archiveEvents: 'functions/handlers/archive-events.ts',
  dunning: 'functions/handlers/dunning.ts',
  documents: 'functions/handlers/documents.ts',
} as const;

export type HandlerName = keyof typeof HANDLER_ENTRIES;

export function handlerEntryPath(handler: HandlerName): string {
  return join(PROJECT_ROOT, HANDLER_ENTRIES[handler]);
}

export function handlerEntryExists(handler: HandlerName): boolean {
  return existsSync(handlerEntryPath(handler));
}

/**
 * esbuild settings shared by NodejsFunction and the bundle-size test / cold-start bench, so what we
 * measure is what we deploy. The banner gives CommonJS dependencies bundled into ESM a `require`.
 */
export const BUNDLE = {
  target: 'node22',
  format: 'esm',
  platform: 'node',
  minify: true,
  sourcemap: true,
  mainFields: ['module', 'main'],
  /** The Node.js 22 Lambda runtime ships AWS SDK v3. */
  external: ['@aws-sdk/*'],
  banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
} as const;

/**
 * The same settings as esbuild BuildOptions, for the bundle-size test and the cold-start bench.
 * Only the documents function imports pdfkit (and with it fontkit, ~700 KB): test/infra/bundle.test.ts
 * fails when another bundle takes it in.
 */
export function esbuildOptions() {
  return {
    bundle: true,
    platform: BUNDLE.platform,
    target: BUNDLE.target,
    format: BUNDLE.format,
    minify: BUNDLE.minify,
    sourcemap: BUNDLE.sourcemap,
    mainFields: [...BUNDLE.mainFields],
    external: [...BUNDLE.external],
    banner: { js: BUNDLE.banner },
    logLevel: 'silent' as const,
  };
}
