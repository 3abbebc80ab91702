import { describe, expect, it } from 'vitest';
import { validate } from '../../../functions/http/validation.js';
import { CancelEventsSchema } from '../../../functions/schemas/events.js';

const detailsOf = (schema: Parameters<typeof validate>[0], value: unknown) => {
  try {
    validate(schema, value);
  } catch (error) {
    return (error as { details: unknown }).details;
  }
  throw new Error('expected the value to be refused');
};

describe('validation details', () => {
  it('tells a missing field from one of the wrong type', () => {
    expect(detailsOf(CancelEventsSchema, { source: 'cli', id: 123 })).toEqual([
      { path: '/id', message: 'must be string' },
    ]);
    expect(detailsOf(CancelEventsSchema, { source: 'cli' })).toEqual([
      { path: '/id', message: 'is required (or send events: [{source, id}, ...])' },
    ]);
    expect(detailsOf(CancelEventsSchema, { events: [{ source: 'cli' }] })).toEqual([
      { path: '/events/0/id', message: 'is required' },
    ]);
  });
});
