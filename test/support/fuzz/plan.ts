import fc from 'fast-check';
import { BODY_VALUES, classesFor, type HostileClass, PATH_VALUES, prototypeMembers, QUERY_VALUES } from './hostile.js';
import { abbreviate, describeValue, JsonMembers, toJsonText } from './json-text.js';
import { Examples, fieldsOf, type OpenApiDocument, operations, Schemas, type World, withValue } from './openapi.js';

export type InputClass =
  | HostileClass
  | 'baseline'
  | 'missing-field'
  | 'extra-field'
  | 'empty-body'
  | 'invalid-json'
  | 'not-an-object'
  | 'wrong-content-type'
  | 'duplicate-key'
  | 'unknown-query';

export interface FuzzRequest {
  method: string;
  /** The operation's path template, e.g. `/v1/customers/{id}`. */
  route: string;
  cls: InputClass;
  /** Where the hostile value went: `body /price/unit_price`, `query cursor`, `path id`, `body`. */
  target: string;
  /** What was sent there, abbreviated. */
  sample: string;
  url: string;
  body?: string;
  contentType?: string;
}

export interface FuzzPlan {
  /** Everything but the huge-number class, operation by operation. */
  main: FuzzRequest[][];
  /** The huge-number class for every operation, sent after everything else (today it can exhaust the heap). */
  huge: FuzzRequest[];
}

export interface PlanOptions {
  seed: number;
  /** Values by property / parameter name that point at seeded records (customer, plan, meter ...). */
  world: World;
  /** Ids of seeded records by the collection segment before a path parameter (`customers` → `acme`). */
  ids: Record<string, string>;
  /** Query parameters sampled per parameter (besides the class the parameter's kind always gets). */
  classesPerQueryParameter: number;
  /** Hostile values sampled per path parameter. */
  valuesPerPathParameter: number;
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Deterministic choices through fast-check: the same seed and key give the same pick in every run. */
class Chooser {
  constructor(private readonly seed: number) {}

  one<T>(items: readonly T[], key: string): T {
    const [value] = fc.sample(fc.constantFrom(...items), { seed: (this.seed ^ hash(key)) | 0, numRuns: 1 });
    return value as T;
  }

  some<T>(items: readonly T[], count: number, key: string): T[] {
    if (items.length <= count) return [...items];
    const [value] = fc.sample(fc.shuffledSubarray([...items], { minLength: count, maxLength: count }), {
      seed: (this.seed ^ hash(key)) | 0,
      numRuns: 1,
    });
    return value ?? [];
  }
}

const pointerText = (pointer: string[]) => `/${pointer.join('/')}`;

/** Builds the requests for every operation of the document: a valid baseline, then mutations. */
export function planFuzz(document: OpenApiDocument, options: PlanOptions): FuzzPlan {
  const schemas = new Schemas(document);
  const choose = new Chooser(options.seed);
  const main: FuzzRequest[][] = [];
  const huge: FuzzRequest[] = [];
  operations(document).forEach((operation, index) => {
    const examples = new Examples(schemas, options.world, options.seed + index * 10_000);
    const key = `${operation.method} ${operation.path}`;
    const requests: FuzzRequest[] = [];
    const pathValues: Record<string, string> = {};
    for (const parameter of operation.pathParams) {
      const before = operation.path.split(`/{${parameter.name}}`)[0]!.split('/').pop() ?? '';
      pathValues[parameter.name] = encodeURIComponent(options.ids[before] ?? options.ids[parameter.name] ?? 'x');
    }
    const query: Record<string, string> = {};
    for (const parameter of operation.queryParams) {
      if (parameter.required || parameter.name in options.world) {
        query[parameter.name] = encodeURIComponent(String(examples.of(parameter.schema, parameter.name)));
      }
    }
    const url = (paths: Record<string, string>, params: Record<string, string>, extra = '') => {
      const path = operation.path.replace(/\{([a-z_]+)\}/gi, (_, name: string) => paths[name] ?? 'x');
      const search = Object.entries(params)
        .map(([name, value]) => `${encodeURIComponent(name)}=${value}`)
        .concat(extra ? [extra] : [])
        .join('&');
      return search ? `${path}?${search}` : path;
    };
    const bodySchema = operation.body?.schema;
    const contentType = operation.body?.contentTypes[0];
    const baselineBody = () => (bodySchema ? examples.of(bodySchema) : undefined);
    const request = (
      cls: InputClass,
      target: string,
      sample: string,
      parts: Partial<FuzzRequest> = {},
    ): FuzzRequest => {
      const body = baselineBody();
      return {
        method: operation.method,
        route: operation.path,
        cls,
        target,
        sample,
        url: url(pathValues, query),
        ...(body !== undefined ? { body: toJsonText(body), contentType } : {}),
        ...parts,
      };
    };

    requests.push(request('baseline', '-', '-'));

    // Path parameters: hostile segments (already encoded), every other part valid.
    for (const parameter of operation.pathParams) {
      const candidates = Object.entries(PATH_VALUES)
        .filter(([cls]) => cls !== 'huge-number')
        .flatMap(([cls, values]) => values!.map((value) => ({ cls: cls as HostileClass, value })));
      const chosen = choose.some(candidates, options.valuesPerPathParameter, `${key} path ${parameter.name}`);
      if (!chosen.some((c) => c.value === 'constructor')) chosen.push({ cls: 'prototype-key', value: 'constructor' });
      for (const { cls, value } of chosen) {
        requests.push(
          request(cls, `path ${parameter.name}`, abbreviate(value), {
            url: url({ ...pathValues, [parameter.name]: value }, query),
          }),
        );
      }
      for (const value of [choose.one(PATH_VALUES['huge-number']!, `${key} path ${parameter.name} huge`)]) {
        huge.push(
          request('huge-number', `path ${parameter.name}`, value, {
            url: url({ ...pathValues, [parameter.name]: value }, query),
          }),
        );
      }
    }

    // Query parameters: classes sampled per parameter; dates always get malformed dates, cursors malformed cursors.
    for (const parameter of operation.queryParams) {
      const kind = schemas.kind(parameter.name, parameter.schema);
      const always: HostileClass[] =
        parameter.name === 'cursor' ? ['malformed-cursor'] : kind === 'date' ? ['malformed-date'] : [];
      const pool = (Object.keys(QUERY_VALUES) as HostileClass[]).filter(
        (cls) => cls !== 'huge-number' && !always.includes(cls) && QUERY_VALUES[cls].length > 0,
      );
      const classes = [
        ...always,
        ...choose.some(pool, options.classesPerQueryParameter, `${key} query ${parameter.name}`),
      ];
      for (const cls of classes) {
        const values = always.includes(cls)
          ? choose.some(QUERY_VALUES[cls], 3, `${key} ${parameter.name} ${cls}`)
          : [choose.one(QUERY_VALUES[cls], `${key} ${parameter.name} ${cls}`)];
        for (const value of values) {
          requests.push(
            request(cls, `query ${parameter.name}`, abbreviate(value), {
              url: url(pathValues, { ...query, [parameter.name]: value }),
            }),
          );
        }
      }
      for (const value of [choose.one(QUERY_VALUES['huge-number'], `${key} ${parameter.name} huge`)]) {
        huge.push(
          request('huge-number', `query ${parameter.name}`, value, {
            url: url(pathValues, { ...query, [parameter.name]: value }),
          }),
        );
      }
    }
    if (operation.queryParams.length > 0) {
      requests.push(
        request('unknown-query', 'query', 'constructor=1&__proto__=x', {
          url: url(pathValues, query, 'constructor=1&__proto__%5Bx%5D=1&toString='),
        }),
      );
    }

    // Body: the whole body, then field by field.
    if (bodySchema && contentType) {
      const base = baselineBody() as Record<string, unknown>;
      const bodyRequest = (cls: InputClass, target: string, value: unknown, parts: Partial<FuzzRequest> = {}) =>
        request(cls, target, describeValue(value), { body: toJsonText(value), ...parts });
      requests.push(request('empty-body', 'body', '(none)', { body: undefined, contentType }));
      requests.push(request('invalid-json', 'body', '{', { body: '{', contentType }));
      requests.push(bodyRequest('not-an-object', 'body', null));
      requests.push(bodyRequest('not-an-object', 'body', [base]));
      requests.push(
        bodyRequest('wrong-content-type', 'content-type', base, {
          contentType: 'application/xml',
          sample: 'application/xml',
        }),
      );
      requests.push(
        bodyRequest('wrong-content-type', 'content-type', base, {
          contentType: 'multipart/form-data; boundary=x',
          sample: 'multipart/form-data',
        }),
      );
      requests.push(bodyRequest('extra-field', 'body /unexpected', { ...base, unexpected: 1 }));
      requests.push(
        bodyRequest(
          'prototype-object-keys',
          'body',
          new JsonMembers([...Object.entries(base), ...prototypeMembers().members]),
        ),
      );
      const [firstKey] = Object.keys(base);
      if (firstKey) {
        requests.push(
          bodyRequest(
            'duplicate-key',
            `body /${firstKey}`,
            new JsonMembers([...Object.entries(base), [firstKey, 'constructor']]),
          ),
        );
        const required = Object.keys(base);
        const missing = choose.one(required, `${key} missing`);
        requests.push(bodyRequest('missing-field', `body /${missing}`, withValue(base, [missing], undefined)));
      }
      const fields = fieldsOf(schemas, bodySchema, base);
      const classes = [...new Set(fields.flatMap((field) => classesFor(field.kind)))].filter(
        (cls) => cls !== 'huge-number',
      );
      const send = (field: (typeof fields)[number], cls: HostileClass, value: unknown) =>
        bodyRequest(cls, `body ${pointerText(field.pointer)}`, withValue(base, field.pointer, value), {
          sample: describeValue(value),
        });
      // Every class once, on a field that class fits.
      for (const cls of classes) {
        const fitting = fields.filter((field) => classesFor(field.kind).includes(cls));
        const field = choose.one(fitting, `${key} class ${cls}`);
        // Deep nesting both ways (objects and arrays); any other class one sampled value.
        const values =
          cls === 'deep-nesting' ? BODY_VALUES[cls] : [choose.one(BODY_VALUES[cls], `${key} class ${cls} value`)];
        for (const value of values) requests.push(send(field, cls, value));
      }
      // Every field once (nested ones too), with a class that fits it.
      for (const field of fields) {
        const cls = choose.one(
          classesFor(field.kind).filter((c) => c !== 'huge-number'),
          `${key} field ${pointerText(field.pointer)}`,
        );
        requests.push(
          send(field, cls, choose.one(BODY_VALUES[cls], `${key} field ${pointerText(field.pointer)} value`)),
        );
      }
      // Prototype keys as every top-level string: names, keys, ids, references.
      for (const field of fields.filter((f) => f.pointer.length === 1 && f.kind === 'string')) {
        requests.push(
          send(field, 'prototype-key', choose.one(BODY_VALUES['prototype-key'], `${key} proto ${field.pointer[0]}`)),
        );
      }
      // Huge numbers: every numeric field as the string "1e100000000" and one more sampled form; dates one sampled form.
      const hugeValues = BODY_VALUES['huge-number'];
      for (const field of fields) {
        const other = choose.one(hugeValues.slice(1), `${key} huge ${pointerText(field.pointer)}`);
        const values = field.kind === 'number' ? ['1e100000000', other] : field.kind === 'date' ? [other] : [];
        for (const value of values) huge.push(send(field, 'huge-number', value));
      }
    }
    main.push(requests);
  });
  // Within the last phase, the unbounded exponents go last of all: the worst case must not hide the rest.
  const worst = (r: FuzzRequest) => (r.sample.includes('1e100000000') ? 1 : 0);
  huge.sort((a, b) => worst(a) - worst(b));
  return { main, huge };
}
