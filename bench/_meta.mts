import { statSync } from 'node:fs';
import { build } from 'esbuild';
import { esbuildOptions, handlerEntryPath } from '../lib/handlers.js';

for (const h of ['api', 'deliver'] as const) {
  await build({ ...esbuildOptions(), entryPoints: [handlerEntryPath(h)], outfile: `/tmp/apib/${h}.mjs` });
  console.log(h, (statSync(`/tmp/apib/${h}.mjs`).size / 1024).toFixed(0));
}
