import { describe, expect, it } from 'vitest';
import { failureText } from '../../web/src/run-outcome.js';

describe('a failed billing-run outcome as the dashboard words it', () => {
  it.each([
    [
      'a rating failure: its code and message',
      { code: 'rating_failed', message: "meter 'doomed' does not exist" },
      { label: 'rating_failed', message: "meter 'doomed' does not exist" },
    ],
    [
      'a crash: the error name and the errorMessage of the cause',
      {
        error: 'Error',
        cause: JSON.stringify({ errorType: 'Error', errorMessage: 'injected crash after seal', trace: ['at x'] }),
      },
      { label: 'Error', message: 'injected crash after seal' },
    ],
    [
      'a crash whose cause is not JSON: the error name only',
      { error: 'States.Timeout', cause: 'Task timed out' },
      { label: 'States.Timeout' },
    ],
    [
      'a crash whose cause has no errorMessage: the error name only',
      { error: 'Error', cause: '{"trace":[]}' },
      { label: 'Error' },
    ],
    ['a cause that is JSON but not an object', { error: 'Error', cause: '"text"' }, { label: 'Error' }],
    ['neither code nor error', {}, { label: 'failed' }],
  ])('%s', (_name, result, expected) => {
    expect(failureText(result)).toEqual(expected);
  });
});
