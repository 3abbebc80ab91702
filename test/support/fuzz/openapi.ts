import fc from 'fast-check';
import type { FieldKind } from './hostile.js';

/** The parts of an OpenAPI 3.1 document the fuzzer reads. */
export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  format?: string;
  pattern?: string;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  minimum?: number;
  minLength?: number;
  minItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: JsonSchema;
}

export interface OpenApiDocument {
  paths: Record<
    string,
    Record<
      string,
      {
        operationId?: string;
        parameters?: Parameter[];
        security?: unknown[];
        requestBody?: { content: Record<string, { schema: JsonSchema }> };
      }
    >
  >;
  components?: { schemas?: Record<string, JsonSchema> };
}

export interface Operation {
  method: string;
  /** Path template, e.g. `/v1/customers/{id}`. */
  path: string;
  operationId: string;
  pathParams: Parameter[];
  queryParams: Parameter[];
  body?: { contentTypes: string[]; schema: JsonSchema };
  public: boolean;
}

/** Every path + method of the document, in document order. */
export function operations(document: OpenApiDocument): Operation[] {
  const result: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const parameters = operation.parameters ?? [];
      const content = operation.requestBody?.content;
      const firstType = content ? Object.keys(content)[0] : undefined;
      result.push({
        method: method.toUpperCase(),
        path,
        operationId: operation.operationId ?? `${method} ${path}`,
        pathParams: parameters.filter((p) => p.in === 'path'),
        queryParams: parameters.filter((p) => p.in === 'query'),
        ...(content && firstType
          ? { body: { contentTypes: Object.keys(content), schema: content[firstType]!.schema } }
          : {}),
        public: Array.isArray(operation.security) && operation.security.length === 0,
      });
    }
  }
  return result;
}

/** Schema resolution against the document's components. */
export class Schemas {
  constructor(private readonly document: OpenApiDocument) {}

  resolve(schema: JsonSchema | undefined): JsonSchema {
    let current = schema ?? {};
    for (let hops = 0; current.$ref && hops < 20; hops++) {
      const name = current.$ref.replace('#/components/schemas/', '');
      current = this.document.components?.schemas?.[name] ?? {};
    }
    return current;
  }

  /** The first alternative that is not `null` (oneOf/anyOf), resolved. */
  primary(schema: JsonSchema | undefined): JsonSchema {
    const resolved = this.resolve(schema);
    const options = resolved.oneOf ?? resolved.anyOf;
    if (!options) return resolved;
    const chosen = options.map((o) => this.resolve(o)).find((o) => o.type !== 'null') ?? {};
    return this.primary(chosen);
  }

  kind(name: string, schema: JsonSchema | undefined): FieldKind {
    const resolved = this.resolve(schema);
    const options = resolved.anyOf ?? resolved.oneOf;
    if (options) {
      const types = options.map((o) => this.primary(o).type);
      if (types.includes('number') || types.includes('integer')) return 'number';
    }
    const primary = this.primary(schema);
    if (primary.format === 'date-time' || /(^|_)(date|time|at|from|to|as_of|anchor)$/.test(name)) return 'date';
    if (primary.type === 'integer' || primary.type === 'number') return 'number';
    if (primary.type === 'object') return 'object';
    if (primary.type === 'array') return 'array';
    if (primary.type === 'string') return 'string';
    return 'other';
  }
}

/** Values of the seeded world by property or parameter name: references that point at real records. */
export type World = Record<string, unknown>;

/**
 * Minimal valid values from a schema: required properties (and optional ones the world knows), the
 * first alternative of a union, world values by name where the name is known, otherwise strings drawn from the schema's pattern
 * with a fixed seed (so ids are fresh per request but the same in every run).
 */
export class Examples {
  private counter = 0;

  constructor(
    private readonly schemas: Schemas,
    private readonly world: World,
    private readonly seed: number,
  ) {}

  of(schema: JsonSchema | undefined, name = ''): unknown {
    if (name in this.world) return structuredClone(this.world[name]);
    const resolved = this.schemas.resolve(schema);
    if (resolved.const !== undefined) return resolved.const;
    if (resolved.enum) return resolved.enum[0];
    const options = resolved.oneOf ?? resolved.anyOf;
    if (options) {
      const types = options.map((o) => this.schemas.primary(o).type);
      if (types.includes('string') && types.includes('number')) return '1';
      return this.of(
        options.find((o) => this.schemas.resolve(o).type !== 'null'),
        name,
      );
    }
    switch (resolved.type) {
      case 'object': {
        const result: Record<string, unknown> = {};
        for (const [key, property] of Object.entries(resolved.properties ?? {})) {
          if (resolved.required?.includes(key) || key in this.world) result[key] = this.of(property, key);
        }
        return result;
      }
      case 'array':
        return Array.from({ length: Math.max(1, resolved.minItems ?? 1) }, () => this.of(resolved.items, name));
      case 'integer':
      case 'number':
        return Math.max(1, resolved.minimum ?? 1);
      case 'boolean':
        return true;
      case 'string':
        if (resolved.format === 'date-time') return '2026-11-10T10:00:00Z';
        return this.fresh(resolved);
      default:
        return 'x';
    }
  }

  /** A fresh string matching the schema's pattern (or a plain token), reproducible from the seed. */
  private fresh(schema: JsonSchema): string {
    const seed = this.seed + this.counter++;
    if (schema.pattern) {
      const [value] = fc.sample(fc.stringMatching(new RegExp(schema.pattern)), { seed, numRuns: 1 });
      if (value !== undefined && value.length <= 64) return value;
      return `fz${seed}`;
    }
    return `fz-${seed}`;
  }
}

/** A place in a JSON body that a mutation can replace: a JSON pointer and what kind of value lives there. */
export interface Field {
  pointer: string[];
  kind: FieldKind;
}

/**
 * The fields of a body: every property of the baseline (recursively, first array item), plus the
 * optional properties the schema declares but the baseline leaves out (top level and one below).
 */
export function fieldsOf(
  schemas: Schemas,
  schema: JsonSchema | undefined,
  value: unknown,
  pointer: string[] = [],
): Field[] {
  const fields: Field[] = [];
  const resolved = schemas.primary(schema);
  if (Array.isArray(value)) {
    if (value.length > 0) {
      const item = [...pointer, '0'];
      fields.push({ pointer: item, kind: schemas.kind('', resolved.items) });
      fields.push(...fieldsOf(schemas, resolved.items, value[0], item));
    }
    return fields;
  }
  if (value === null || typeof value !== 'object') return fields;
  const names = new Set([
    ...Object.keys(value),
    ...(pointer.length <= 1 ? Object.keys(resolved.properties ?? {}) : []),
  ]);
  for (const name of names) {
    const property =
      resolved.properties?.[name] ??
      (typeof resolved.additionalProperties === 'object' ? resolved.additionalProperties : undefined);
    const path = [...pointer, name];
    fields.push({ pointer: path, kind: schemas.kind(name, property) });
    const member = (value as Record<string, unknown>)[name];
    if (member !== undefined) fields.push(...fieldsOf(schemas, property, member, path));
  }
  return fields;
}

/** A copy of `body` with the value at `pointer` replaced (or removed when `value` is undefined). */
export function withValue(body: unknown, pointer: string[], value: unknown): unknown {
  if (pointer.length === 0) return value;
  const [head, ...rest] = pointer as [string, ...string[]];
  if (Array.isArray(body)) {
    const copy = [...body];
    copy[Number(head)] = withValue(copy[Number(head)], rest, value);
    return copy;
  }
  const copy: Record<string, unknown> = { ...((body ?? {}) as Record<string, unknown>) };
  if (rest.length === 0 && value === undefined) delete copy[head];
  else copy[head] = withValue(copy[head], rest, value);
  return copy;
}
