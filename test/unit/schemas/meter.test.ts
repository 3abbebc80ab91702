import { describe, expect, it } from 'vitest';
import { CreateMeterSchema } from '../../../functions/schemas/meters.js';

const storage = { key: 'storage', name: 'Storage', event_type: 'storage.changed', value_property: 'gb' };

/** The issues of an invalid meter as "path: message" strings. */
function issuesOf(input: unknown): string[] {
  const result = CreateMeterSchema.safeParse(input);
  if (result.success) throw new Error('expected the meter to be rejected');
  return result.error.issues.map((issue) => `${issue.path.join('/')}: ${issue.message}`);
}

describe('CreateMeterSchema: per', () => {
  it('defaults a weighted_sum meter to per period', () => {
    expect(CreateMeterSchema.parse({ ...storage, aggregation: 'weighted_sum' }).per).toBe('period');
  });

  it('takes per hour and per day for a weighted_sum meter', () => {
    expect(CreateMeterSchema.parse({ ...storage, aggregation: 'weighted_sum', per: 'hour' }).per).toBe('hour');
    expect(CreateMeterSchema.parse({ ...storage, aggregation: 'weighted_sum', per: 'day' }).per).toBe('day');
  });

  it('refuses per on any other aggregation, naming per', () => {
    expect(issuesOf({ ...storage, aggregation: 'sum', per: 'hour' })).toEqual([
      "per: per applies only to aggregation 'weighted_sum'; omit it for aggregation 'sum'",
    ]);
  });

  it('leaves per out of the other aggregations', () => {
    expect(CreateMeterSchema.parse({ ...storage, aggregation: 'sum' })).not.toHaveProperty('per');
  });

  it('refuses a per it does not know', () => {
    expect(issuesOf({ ...storage, aggregation: 'weighted_sum', per: 'week' })).toEqual([
      'per: must be one of period, hour, day',
    ]);
  });
});
