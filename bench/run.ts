/**
 * Runs the benchmarks one after another, each in its own process (`npx tsx bench/<name>.ts`):
 * all of bench/*.ts but this file, or only those named.
 *
 *   npm run bench                    # every benchmark
 *   npm run bench -- ingest pricing  # only these
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const self = basename(fileURLToPath(import.meta.url), '.ts');
const available = readdirSync(here)
  .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
  .map((file) => file.slice(0, -'.ts'.length))
  .filter((name) => name !== self)
  .sort();

const requested = process.argv.slice(2).map((arg) => basename(arg, '.ts'));
const unknown = requested.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  console.error(`unknown benchmark: ${unknown.join(', ')} (available: ${available.join(', ')})`);
  process.exit(2);
}

const failed: string[] = [];
for (const name of requested.length > 0 ? requested : available) {
  console.log(`\n=== bench/${name}.ts ===\n`);
  const result = spawnSync('npx', ['tsx', join(here, `${name}.ts`)], { stdio: 'inherit' });
  if (result.status !== 0)
    failed.push(`${name} (${result.error?.message ?? `exit ${result.status ?? result.signal}`})`);
}
if (failed.length > 0) {
  console.error(`\nfailed: ${failed.join(', ')}`);
  process.exit(1);
}
