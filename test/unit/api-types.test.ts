import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { apiDocument } from '../../functions/handlers/api-app.js';
import { API_TYPES_FILE, apiTypesSource } from '../../local/api-types.js';

describe('the dashboard types generated from the OpenAPI document', () => {
  it('web/src/api-types.ts is what the current document generates (else: npm run api-types)', async () => {
    const expected = await apiTypesSource(JSON.stringify(apiDocument(), null, 2));

    expect(readFileSync(API_TYPES_FILE, 'utf8')).toBe(expected);
  });
});
