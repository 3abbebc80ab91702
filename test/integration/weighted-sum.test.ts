import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { weightedSeries } from '../../functions/domain/metering/time-weighted.js';
import { startTestStack, type TestStack, testClock } from '../support/stack.js';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ clock: testClock('2026-11-10T12:00:00Z') });
  const customer = {
    id: 'acme',
    name: 'Acme GmbH',
    email: 'billing@acme.example',
    currency: 'EUR',
    timezone: 'Europe/Berlin',
    locale: 'de',
  };
  expect((await stack.call('POST', '/v1/customers', customer)).status).toBe(201);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

const meter = (fields: Record<string, unknown>) => ({
  name: 'Storage',
  event_type: 'storage.changed',
  value_property: 'gb',
  aggregation: 'weighted_sum',
  ...fields,
});

describe('a weighted_sum meter', () => {
  it('is created with per (period by default) and refuses per on another aggregation', async () => {
    const hourly = await stack.call('POST', '/v1/meters', meter({ key: 'storage', per: 'hour' }));
    const average = await stack.call('POST', '/v1/meters', meter({ key: 'storage-avg', event_type: 'storage.avg' }));
    const wrong = await stack.call('POST', '/v1/meters', meter({ key: 'bad', aggregation: 'sum', per: 'hour' }));

    expect(hourly.status).toBe(201);
    expect(hourly.body).toMatchObject({ key: 'storage', aggregation: 'weighted_sum', per: 'hour' });
    expect((await stack.call('GET', '/v1/meters/storage-avg')).body).toMatchObject({ per: 'period' });
    expect(average.body.per).toBe('period');
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.details).toEqual([
      { path: '/per', message: "per applies only to aggregation 'weighted_sum'; omit it for aggregation 'sum'" },
    ]);
  });

  it('stores signed changes as sum and weighted counters that integrate to the level', async () => {
    const change = (id: string, time: string, gb: string) => ({
      specversion: '1.0',
      id,
      source: 'test',
      type: 'storage.changed',
      subject: 'acme',
      time,
      data: { gb },
    });

    const response = await stack.call(
      'POST',
      '/v1/events',
      [
        change('c1', '2026-11-10T10:10:00Z', '5'),
        change('c2', '2026-11-10T10:05:00Z', '-2'),
        change('c3', '2026-11-10T10:00:00Z', '1'),
      ],
      { contentType: 'application/cloudevents-batch+json' },
    );
    const rows = await stack.deps.usage.counters(
      'acme',
      { key: 'storage', eventType: 'storage.changed' },
      '2026-11-10T10:00Z',
      '2026-11-10T11:00Z',
    );

    expect(response.body).toMatchObject({ accepted: 3, rejected: 0 });
    expect(rows.map((row) => [row.bucket, row.count, row.sum.toString(), row.weighted.toString()])).toEqual([
      ['2026-11-10T10:00Z', 3, '4', '2400000'],
    ]);
    const [total] = weightedSeries(rows, {
      from: new Date('2026-11-10T10:00:00Z'),
      to: new Date('2026-11-10T11:00:00Z'),
      granularity: 'total',
      timeZone: 'Europe/Berlin',
      per: 'hour',
      startLevels: [],
    });
    // 1 GB for 5 minutes, -1 GB for 5 minutes, 4 GB for 50 minutes.
    expect(total?.value.toString()).toBe('3.333333333333');
  });
});
