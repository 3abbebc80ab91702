import type { z } from 'zod';
import { type ErrorDetail, ValidationFailedError } from './errors.js';

/** JSON pointer (RFC 6901) of a zod issue path, prefixed with the part of the request. */
export function toPointer(path: readonly PropertyKey[], prefix = ''): string {
  return prefix + path.map((key) => `/${String(key).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

export function issuesToDetails(issues: readonly z.core.$ZodIssue[], prefix = ''): ErrorDetail[] {
  return issues.map((issue) => ({ path: toPointer(issue.path, prefix), message: describeIssue(issue) }));
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}`;
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      return issue.message.startsWith('Invalid input') ? `must be ${issue.expected}` : issue.message;
    default:
      return issue.message;
  }
}

/** Validates `value` with `schema` or throws a 400 naming every offending field. */
export function validate<S extends z.ZodType>(schema: S, value: unknown, prefix = ''): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationFailedError(issuesToDetails(result.error.issues, prefix));
  return result.data;
}
