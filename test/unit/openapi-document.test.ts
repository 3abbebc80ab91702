import { describe, expect, it } from 'vitest';
import { apiDocument } from '../../functions/handlers/api-app.js';

describe('the OpenAPI document', () => {
  it('defines every component it refers to, and no component is only a reference to itself', () => {
    const document = apiDocument();
    const schemas: Record<string, unknown> = document.components.schemas;
    const refs = new Set<string>();
    const collect = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(collect);
      else if (node !== null && typeof node === 'object')
        for (const [key, value] of Object.entries(node)) {
          if (key === '$ref' && typeof value === 'string') refs.add(value);
          else collect(value);
        }
    };
    collect(document);

    const prefix = '#/components/schemas/';
    for (const ref of refs) {
      expect(ref.startsWith(prefix), ref).toBe(true);
      const name = ref.slice(prefix.length);
      expect(schemas[name], ref).toBeDefined();
      expect(schemas[name], ref).not.toEqual({ $ref: ref });
    }
    expect(refs).toContain(`${prefix}Error`);
  });
});
