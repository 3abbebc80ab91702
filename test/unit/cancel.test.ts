import { describe, expect, it } from 'vitest';
import { cancellable, planCancellation } from '../../functions/domain/metering/cancel.js';
import { measure, type UsageEvent } from '../../functions/domain/metering/ingest.js';
import type { AggregationKind, Meter } from '../../functions/domain/metering/meter.js';

const meter = (key: string, aggregation: AggregationKind, valueProperty?: string): Meter => ({
  key,
  name: key,
  eventType: 'job',
  aggregation,
  ...(valueProperty ? { valueProperty } : {}),
  groupBy: [],
  createdAt: '',
});

const event = (time: string, data: Record<string, unknown>): UsageEvent => ({
  index: 0,
  id: 'e1',
  source: 's',
  type: 'job',
  subject: 'c1',
  time: new Date(time),
  data,
  raw: JSON.stringify(data),
});

function plan(meters: Meter[], time = '2026-11-10T10:05:00Z', rolledThrough?: Date) {
  const e = event(time, { v: '2.5', d: '-3' });
  const contributions = measure(e, meters);
  if (!Array.isArray(contributions)) throw new Error(contributions.message);
  return planCancellation({ event: e, contributions }, rolledThrough);
}

describe('cancellable aggregations', () => {
  it.each([
    ['count', true],
    ['sum', true],
    ['weighted_sum', true],
    ['max', false],
    ['latest', false],
    ['unique_count', false],
  ] as const)('%s: %s', (kind, expected) => {
    expect(cancellable(kind)).toBe(expected);
  });
});

describe('planCancellation', () => {
  it('negates the count, the sum and the weighted term of every counter the event moved', () => {
    const chunk = plan([meter('jobs', 'count'), meter('cpu', 'sum', 'v'), meter('level', 'weighted_sum', 'd')]);
    if ('code' in chunk) throw new Error(chunk.message);
    const fields = chunk.counters.map((c) => [
      c.meter.key,
      c.bucket,
      c.count,
      c.sum?.toString(),
      c.weighted?.toString(),
    ]);
    expect(fields).toEqual([
      ['jobs', '2026-11-10T10:00Z', -1, undefined, undefined],
      ['cpu', '2026-11-10T10:00Z', -1, '-2.5', undefined],
      // -(-3 × 300,000 ms after the bucket start)
      ['level', '2026-11-10T10:00Z', -1, '3', '900000'],
    ]);
    expect(chunk.items.size).toBe(1);
    expect(chunk.late.size).toBe(0);
    expect(chunk.unrolled.get('c1')?.toISOString()).toBe('2026-11-10T10:05:00.000Z');
  });

  it('marks the UTC day of an event before the rollup watermark', () => {
    const chunk = plan([meter('jobs', 'count')], '2026-11-10T10:05:00Z', new Date('2026-11-12T00:00:00Z'));
    if ('code' in chunk) throw new Error(chunk.message);
    expect([...(chunk.late.get('c1') ?? [])]).toEqual(['2026-11-10']);
    expect(chunk.unrolled.size).toBe(0);
  });

  it.each([
    ['max', 'v'],
    ['latest', 'v'],
    ['unique_count', 'v'],
  ] as const)('refuses an event a %s meter counted, naming it', (kind, property) => {
    const refused = plan([meter('jobs', 'count'), meter('odd', kind, property)]);
    expect(refused).toMatchObject({ code: 'not_cancellable', meter: 'odd', aggregation: kind });
    if ('code' in refused) expect(refused.message).toContain(`meter 'odd' (${kind})`);
  });
});
