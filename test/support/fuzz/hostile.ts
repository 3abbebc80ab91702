import { JsonMembers, RawJson } from './json-text.js';

/** The hostile input classes of issue 11, item 8. `huge-number` is sent last: today it can exhaust the server's heap. */
export type HostileClass =
  | 'wrong-type'
  | 'tiny-number'
  | 'negative-zero'
  | 'negative-number'
  | 'nan-like'
  | 'prototype-key'
  | 'lone-surrogate'
  | 'control-char'
  | 'bidi-override'
  | 'long-string'
  | 'deep-nesting'
  | 'prototype-object-keys'
  | 'malformed-date'
  | 'malformed-cursor'
  | 'bad-escape'
  | 'path-traversal'
  | 'empty'
  | 'huge-number';

export interface HostileValue {
  cls: HostileClass;
  value: unknown;
}

const PROTOTYPE_KEYS = ['constructor', '__proto__', 'toString', 'hasOwnProperty'] as const;
const DIGITS_40 = '1234567890123456789012345678901234567890';
const DEPTH = 3000;

/** `{"a":{"a":...}}` nested `depth` deep (or arrays), as raw text: no JavaScript recursion needed to write it. */
export const deepObject = (depth = DEPTH) => new RawJson(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
export const deepArray = (depth = DEPTH) => new RawJson(`${'['.repeat(depth)}1${']'.repeat(depth)}`);

/** Members named like Object.prototype's, as JSON object keys. */
export const prototypeMembers = () =>
  new JsonMembers([
    ['__proto__', { polluted: 'yes' }],
    ['constructor', { prototype: { polluted: 'yes' } }],
    ['toString', 'x'],
    ['hasOwnProperty', 1],
  ]);

/** Values for a JSON body field, per class. */
export const BODY_VALUES: Record<HostileClass, unknown[]> = {
  'wrong-type': [12345, true, null, [], {}, 'a string', [['nested']]],
  'tiny-number': [new RawJson('1e-200'), '1e-200', `0.${'0'.repeat(60)}1`],
  'negative-zero': [new RawJson('-0'), '-0', '-0.0'],
  'negative-number': [-1, '-1', '-99999999.99', new RawJson('-1e30')],
  'nan-like': ['NaN', 'Infinity', '-Infinity', '1e', '0x10', ' 1 ', '1_000'],
  'prototype-key': [...PROTOTYPE_KEYS],
  'lone-surrogate': ['\ud800', 'a\udc00b', '\udfff\ud800'],
  'control-char': ['a\u0000b', '\u001b[31mred', '\u0000', 'line\r\nbreak'],
  'bidi-override': ['\u202Eevil', 'abc\u202Edef\u2066'],
  'long-string': ['x'.repeat(2100), 'y'.repeat(100_000)],
  'deep-nesting': [deepObject(), deepArray()],
  'prototype-object-keys': [prototypeMembers()],
  'malformed-date': ['01/12/2026', '2026-13-45', '2026-01-01', 'now', '2026-02-30T00:00:00Z', '2026-01-01T25:00:00Z'],
  'malformed-cursor': [],
  'bad-escape': [],
  'path-traversal': ['../../etc/passwd', '..'],
  empty: ['', ' ', {}, []],
  'huge-number': [new RawJson('1e100000000'), '1e100000000', DIGITS_40, new RawJson(DIGITS_40), '-1e100000000'],
};

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/** Values for a query parameter (already URL-encoded), per class. */
export const QUERY_VALUES: Record<HostileClass, string[]> = {
  'wrong-type': ['true', '%5B%5D', '%7B%7D', 'null', 'abc'],
  'tiny-number': ['1e-200', '0.0000000001'],
  'negative-zero': ['-0'],
  'negative-number': ['-1', '-100'],
  'nan-like': ['NaN', 'Infinity', '0x10', '1e'],
  'prototype-key': [...PROTOTYPE_KEYS],
  'lone-surrogate': ['%ED%A0%80', 'x%ED%B0%80'],
  'control-char': ['%00', 'a%1B%5B31m', '%0D%0A'],
  'bidi-override': ['%E2%80%AEevil'],
  'long-string': ['x'.repeat(3000), 'z'.repeat(12_000)],
  'deep-nesting': [encodeURIComponent(`${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}`)],
  'prototype-object-keys': [encodeURIComponent('{"__proto__":{"x":1}}')],
  'malformed-date': ['01%2F12%2F2026', '2026-13-45', '2026-01-01', 'now', '2026-02-30T00%3A00%3A00Z'],
  'malformed-cursor': [
    '%25%25%25',
    '%%%',
    b64('not json at all'),
    b64('{"unexpected":"shape"}'),
    b64('[1,2,3]'),
    b64('{"__proto__":{"PK":"x"},"constructor":1}'),
    b64('{"PK":{"S":"CUSTOMER#x"},"SK":{"N":"1e100000000"}}'),
    'AAAA',
  ],
  'bad-escape': ['%ud800', '%', '%zz', '%E0%A4%A'],
  'path-traversal': ['..%2F..%2Fetc', '..'],
  empty: [''],
  'huge-number': ['1e100000000', DIGITS_40, '-1e100000000'],
};

/** Values for a path segment (already URL-encoded), per class. */
export const PATH_VALUES: Partial<Record<HostileClass, string[]>> = {
  'prototype-key': [...PROTOTYPE_KEYS],
  'control-char': ['%00', 'a%1Bb'],
  'path-traversal': ['..', '%2e%2e', '..%2F..%2Fhealth'],
  'long-string': ['i'.repeat(3000)],
  'bad-escape': ['%ud800', '%', '%E0%A4%A'],
  'lone-surrogate': ['%ED%A0%80'],
  'bidi-override': ['%E2%80%AEevil'],
  'negative-number': ['-1', '-0'],
  'huge-number': ['1e100000000', DIGITS_40],
};

/** Which body classes make sense for a schema kind; every field also gets the generic ones. */
export function classesFor(kind: FieldKind): HostileClass[] {
  const generic: HostileClass[] = [
    'wrong-type',
    'prototype-key',
    'lone-surrogate',
    'control-char',
    'bidi-override',
    'long-string',
    'empty',
    'prototype-object-keys',
  ];
  switch (kind) {
    case 'number':
      return [...generic, 'tiny-number', 'negative-zero', 'negative-number', 'nan-like', 'huge-number'];
    case 'date':
      return [...generic, 'malformed-date', 'huge-number'];
    case 'object':
      return [...generic, 'deep-nesting'];
    case 'array':
      return [...generic, 'deep-nesting'];
    case 'string':
      return [...generic, 'path-traversal', 'nan-like', 'huge-number'];
    default:
      return generic;
  }
}

export type FieldKind = 'number' | 'date' | 'object' | 'array' | 'string' | 'other';
