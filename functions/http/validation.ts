import type * as z from 'zod';
import { textProblem } from '../domain/text.js';
import { type IssueDetail as ErrorDetail, issuesToDetails, toPointer } from '../schemas/issues.js';
import { ValidationFailedError } from './errors.js';

/**
 * The one name no object of a request may use: schema parsing builds objects by assignment, where
 * "__proto__" would set the prototype instead of a field and the value would silently vanish.
 */
const RESERVED_KEY = 'is "__proto__", a name that cannot be used';

/** Deepest nesting of objects and arrays a request body or query may have. */
export const MAX_JSON_DEPTH = 32;

/**
 * Rules for every text and shape in a request, whatever its schema: no key or string holds a lone
 * surrogate, a control character (other than tab and line breaks) or a bidi override, and nesting
 * stays within {@link MAX_JSON_DEPTH}. Checked before the schema, so no schema sees such input.
 */
export function inputProblems(value: unknown, prefix = ''): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const visit = (node: unknown, path: PropertyKey[]): void => {
    if (problems.length >= 10) return;
    if (typeof node === 'string') {
      const problem = textProblem(node);
      if (problem) problems.push({ path: toPointer(path, prefix), message: problem });
      return;
    }
    if (node === null || typeof node !== 'object') return;
    if (!Array.isArray(node) && Object.getPrototypeOf(node) !== Object.prototype) return; // exact big numbers
    if (path.length >= MAX_JSON_DEPTH) {
      problems.push({
        path: toPointer(path, prefix),
        message: `is nested too deeply (at most ${MAX_JSON_DEPTH} levels)`,
      });
      return;
    }
    if (Array.isArray(node)) {
      for (const [index, item] of node.entries()) visit(item, [...path, index]);
      return;
    }
    for (const [key, item] of Object.entries(node)) {
      const problem = key === '__proto__' ? RESERVED_KEY : textProblem(key);
      if (problem) problems.push({ path: toPointer([...path, key], prefix), message: `the field name ${problem}` });
      else visit(item, [...path, key]);
    }
  };
  visit(value, []);
  return problems;
}

/** Validates `value` with `schema` or throws a 400 naming every offending field. */
export function validate<S extends z.ZodType>(schema: S, value: unknown, prefix = ''): z.output<S> {
  const problems = inputProblems(value, prefix);
  if (problems.length > 0) throw new ValidationFailedError(problems);
  // The input on each issue tells a missing field from one of the wrong type (see issuesToDetails).
  const result = schema.safeParse(value, { reportInput: true });
  if (!result.success) throw new ValidationFailedError(issuesToDetails(result.error.issues, prefix));
  return result.data;
}
