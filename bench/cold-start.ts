/**
 * Cold-start share of our code: for each Lambda handler entry, bundle it exactly as the CDK stack
 * does (lib/handlers.ts BUNDLE: esbuild, ESM, minified, @aws-sdk/* external), then import the
 * bundle in fresh `node` processes and time `await import(...)`. Prints a table; no pass/fail.
 *
 *   npx tsx bench/cold-start.ts [runs per handler, default 7]
 *
 * The bundle goes under node_modules/.cache so the external @aws-sdk/* imports resolve to the
 * installed SDK (on Lambda they resolve to the runtime's SDK; versions differ slightly).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import {
  esbuildOptions,
  HANDLER_ENTRIES,
  type HandlerName,
  handlerEntryExists,
  handlerEntryPath,
  PROJECT_ROOT,
} from '../lib/handlers.js';

const runs = Number(process.argv[2] ?? 7);
const outRoot = join(PROJECT_ROOT, 'node_modules', '.cache', 'billing-cold-start');

/** What module-scope config reads in AWS (values are placeholders; nothing is called at import). */
const LAMBDA_ENV: Record<string, string> = {
  AWS_REGION: 'us-east-1',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_LAMBDA_FUNCTION_NAME: 'bench',
  BILLING_TABLE_NAME: 'billing',
  BILLING_DELIVERY_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/delivery',
  BILLING_STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:000000000000:stateMachine:close',
  BILLING_ACCEPTANCE_WINDOW_DAYS: '35',
  BILLING_GRACE_MINUTES: '60',
  BILLING_SENDER_EMAIL: 'billing@example.com',
  BILLING_SES_CONFIGURATION_SET: 'billing-bench',
  BILLING_SELLER_NAME: 'Example GmbH',
  BILLING_SELLER_ADDRESS: 'Musterstrasse 1, 10115 Berlin',
  BILLING_SELLER_COUNTRY: 'DE',
  BILLING_SELLER_TAX_ID: 'DE123456789',
  POWERTOOLS_SERVICE_NAME: 'billing',
  POWERTOOLS_LOG_LEVEL: 'ERROR',
};

async function bundle(handler: HandlerName): Promise<string> {
  const outfile = join(outRoot, handler, 'index.mjs');
  await build({
    entryPoints: [handlerEntryPath(handler)],
    outfile,
    ...esbuildOptions(),
  });
  return outfile;
}

/** One fresh process: milliseconds spent in `await import(bundle)`. */
function importMillis(file: string, nodeOptions: string): number {
  const script = `const t=performance.now();const m=await import(${JSON.stringify(pathToFileURL(file).href)});const d=performance.now()-t;if(typeof m.handler!=='function')throw new Error('no handler export');process.stdout.write(String(d));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { PATH: process.env.PATH ?? '', ...LAMBDA_ENV, NODE_OPTIONS: nodeOptions, NODE_NO_WARNINGS: '1' },
    encoding: 'utf8',
  });
  return Number(out);
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

async function main(): Promise<void> {
  rmSync(outRoot, { recursive: true, force: true });
  mkdirSync(outRoot, { recursive: true });
  const rows: Record<string, Record<string, string>> = {};
  for (const handler of Object.keys(HANDLER_ENTRIES) as HandlerName[]) {
    const entry = HANDLER_ENTRIES[handler];
    if (!handlerEntryExists(handler)) {
      rows[entry] = { note: 'entry missing, skipped' };
      continue;
    }
    const file = await bundle(handler);
    importMillis(file, ''); // warm the OS file cache; not counted
    const plain = Array.from({ length: runs }, () => importMillis(file, ''));
    const withMaps = Array.from({ length: runs }, () => importMillis(file, '--enable-source-maps'));
    rows[entry] = {
      'bundle KiB': (statSync(file).size / 1024).toFixed(1),
      'import ms (median)': median(plain).toFixed(1),
      'import ms (min..max)': `${Math.min(...plain).toFixed(1)}..${Math.max(...plain).toFixed(1)}`,
      'with --enable-source-maps (median)': median(withMaps).toFixed(1),
    };
  }
  console.log(`Import time of each bundled handler in a fresh node ${process.version} process, ${runs} runs each:`);
  console.table(rows);
  rmSync(outRoot, { recursive: true, force: true });
}

await main();
