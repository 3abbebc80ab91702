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
  /**
   * fontkit (+ brotli, ~700 KB) embeds the TTF fonts of the PDFs; it would take the api and deliver
   * bundles over 1 MiB, so bundles get a stub that throws if a font is embedded. The function that
   * renders PDFs is built without it (`esbuildOptions({ embeddedFonts: true })`).
   */
  alias: { fontkit: join(PROJECT_ROOT, 'functions/adapters/documents/fontkit-stub.ts') },
} as const;

/**
 * The same settings as esbuild BuildOptions, for the bundle-size test and the cold-start bench.
 * `embeddedFonts` keeps the real fontkit (no stub alias), for a bundle that renders PDFs.
 */
export function esbuildOptions(options: { embeddedFonts?: boolean } = {}) {
  return {
    bundle: true,
    platform: BUNDLE.platform,
    target: BUNDLE.target,
    format: BUNDLE.format,
    minify: BUNDLE.minify,
    sourcemap: BUNDLE.sourcemap,
    mainFields: [...BUNDLE.mainFields],
    external: [...BUNDLE.external],
    alias: options.embeddedFonts === true ? {} : { ...BUNDLE.alias },
    banner: { js: BUNDLE.banner },
    logLevel: 'silent' as const,
  };
}
