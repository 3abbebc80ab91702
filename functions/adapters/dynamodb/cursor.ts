import { InvalidCursorError } from '../../app/errors.js';
import type { Item } from './attributes.js';

/** Longest cursor accepted: a key of four short strings is far below. */
const MAX_CURSOR_LENGTH = 2000;
// biome-ignore lint/suspicious/noControlCharactersInRegex: a key part holds no control characters
const KEY_TEXT = /^[^\u0000-\u001f]{1,1024}$/;

/** The page cursor of a query: its LastEvaluatedKey, as opaque base64url text. */
export function encodeCursor(key: Item | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;
}

/**
 * The key a cursor stands for, checked against the query it continues: exactly the attributes
 * named in `shape`, each a string, each accepted by its check (a fixed partition value, or a test
 * of the sort key against the query's condition). Anything else is an {@link InvalidCursorError}:
 * a forged or stale cursor never reaches DynamoDB, which would answer it with a ValidationException.
 */
export function decodeCursor(
  cursor: string | undefined,
  shape: Record<string, string | ((value: string) => boolean) | true>,
): Item | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  const invalid = () => new InvalidCursorError('the cursor is not one this list returned; start without a cursor');
  if (cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (decoded === null || typeof decoded !== 'object' || Array.isArray(decoded)) throw invalid();
  const names = Object.keys(decoded);
  if (names.length !== Object.keys(shape).length) throw invalid();
  const key: Item = {};
  for (const name of names) {
    if (!Object.hasOwn(shape, name)) throw invalid();
    const attribute = (decoded as Record<string, unknown>)[name];
    const value =
      attribute !== null && typeof attribute === 'object' && Object.keys(attribute).length === 1
        ? (attribute as { S?: unknown }).S
        : undefined;
    if (typeof value !== 'string' || !KEY_TEXT.test(value)) throw invalid();
    const check = shape[name];
    if (typeof check === 'string' && value !== check) throw invalid();
    if (typeof check === 'function' && !check(value)) throw invalid();
    key[name] = { S: value };
  }
  return key;
}

/** One page of a list: its items, and the cursor of the next page when there is one. */
export interface Page<T> {
  items: T[];
  nextCursor: string | undefined;
}
