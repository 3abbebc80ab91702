import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { apiDocument } from '../functions/handlers/api-app.js';

/**
 * `npm run api-types`: writes the OpenAPI document (the one GET /openapi.json serves) to
 * .scratch/openapi.json and generates the dashboard's wire types from it with openapi-typescript,
 * into web/src/api-types.ts (committed; a unit test fails when it is stale).
 */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const API_TYPES_FILE = join(ROOT, 'web/src/api-types.ts');
export const OPENAPI_FILE = join(ROOT, '.scratch/openapi.json');

const HEADER = `/**
 * GENERATED FILE, do not edit: the types of the billing API's OpenAPI document (GET /openapi.json),
 * written by openapi-typescript. Regenerate with \`npm run api-types\` (also run by \`npm start\` and
 * \`npm run build:web\`); test/unit/api-types.test.ts fails when this file is stale.
 */

`;

/**
 * The TypeScript source of web/src/api-types.ts for an OpenAPI document as JSON text. The document
 * describes what clients send: a field with a default may be left out, so it stays optional.
 */
export async function apiTypesSource(documentJson: string): Promise<string> {
  return HEADER + astToString(await openapiTS(documentJson, { defaultNonNullable: false }));
}

async function main(): Promise<void> {
  mkdirSync(dirname(OPENAPI_FILE), { recursive: true });
  writeFileSync(OPENAPI_FILE, `${JSON.stringify(apiDocument(), null, 2)}\n`);
  const source = await apiTypesSource(readFileSync(OPENAPI_FILE, 'utf8'));
  let current: string | undefined;
  try {
    current = readFileSync(API_TYPES_FILE, 'utf8');
  } catch {
    current = undefined;
  }
  if (current === source) return;
  writeFileSync(API_TYPES_FILE, source);
  console.log(`wrote ${relative(process.cwd(), API_TYPES_FILE)} from ${relative(process.cwd(), OPENAPI_FILE)}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
