import type * as z from 'zod';

/** One problem of an input: where (a JSON pointer) and what, in words. */
export interface IssueDetail {
  path: string;
  message: string;
}

/** JSON pointer (RFC 6901) of a zod issue path, prefixed with the part of the request. */
export function toPointer(path: readonly PropertyKey[], prefix = ''): string {
  return prefix + path.map((key) => `/${String(key).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

export function issuesToDetails(issues: readonly z.core.$ZodIssue[], prefix = ''): IssueDetail[] {
  return issues.map((issue) => ({ path: toPointer(issue.path, prefix), message: describeIssue(issue) }));
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}`;
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      if (issue.expected === 'int' && typeof issue.input === 'number') return 'must be a whole number';
      return issue.message.startsWith('Invalid input') ? `must be ${issue.expected}` : issue.message;
    default:
      return issue.message;
  }
}
