import { describe, expect, it } from 'vitest';
import { cutCurrentSegment, type Subscription, segmentFrom } from '../../functions/domain/billing/subscription.js';
import {
  fitLimits,
  type LimitCharge,
  limitCharges,
  limitPeriodOf,
  limitScheduleOf,
} from '../../functions/domain/billing/usage-limits.js';
import { Decimal } from '../../functions/domain/decimal.js';
import type { Meter } from '../../functions/domain/metering/meter.js';

const grid = { anchor: { year: 2026, month: 11, day: 1 }, interval: 'month' as const, intervalCount: 1 };
const plan = { key: 'basic', version: 1 };

function subscription(overrides: Partial<Subscription> = {}): Subscription {
  return {
    id: 'sub-1',
    customerId: 'c1',
    status: 'active',
    planKey: 'basic',
    planVersion: 1,
    priceOverrides: {},
    usageLimits: { calls: { limit: '10', hard: true }, tokens: { limit: '5', hard: false } },
    timeZone: 'Asia/Kolkata',
    grid,
    current: segmentFrom({ ...grid, timeZone: 'Asia/Kolkata' }, new Date('2026-11-10T00:00:00Z'), plan, 0),
    createdAt: '2026-11-10T00:00:00Z',
    updatedAt: '2026-11-10T00:00:00Z',
    ...overrides,
  };
}

const meter = (key: string, aggregation: Meter['aggregation']): Meter => ({
  key,
  name: key,
  eventType: 'api.call',
  aggregation,
  groupBy: [],
  createdAt: '2026-01-01T00:00:00Z',
});

describe('usage limit periods', () => {
  it('keeps only hard limits in the schedule ingest enforces, and none for soft-only or ended subscriptions', () => {
    expect(limitScheduleOf(subscription())?.hard).toEqual({ calls: '10' });
    expect(limitScheduleOf(subscription({ usageLimits: { tokens: { limit: '5', hard: false } } }))).toBeUndefined();
    expect(limitScheduleOf(subscription({ status: 'ended' }))).toBeUndefined();
  });

  it.each([
    ['before the subscription starts', '2026-11-09T23:59:59Z', undefined],
    ['in the first (partial) period', '2026-11-10T00:00:00Z', ['2026-10-31T18:30:00.000Z', '2026-11-30T18:30:00.000Z']],
    [
      'in the next period, before any close',
      '2026-11-30T18:30:00Z',
      ['2026-11-30T18:30:00.000Z', '2026-12-31T18:30:00.000Z'],
    ],
    ['two periods on', '2027-01-15T00:00:00Z', ['2026-12-31T18:30:00.000Z', '2027-01-31T18:30:00.000Z']],
  ])('maps an event %s to its period', (_, time, expected) => {
    const schedule = limitScheduleOf(subscription())!;
    const period = limitPeriodOf(schedule, new Date(time));
    expect(period && [period.start.toISOString(), period.end.toISOString()]).toEqual(expected);
  });

  it('maps nothing after the end of a subscription canceled at the period end', () => {
    const schedule = limitScheduleOf(subscription({ endsAfterCurrent: true }))!;
    expect(limitPeriodOf(schedule, new Date('2026-11-30T18:30:00Z'))).toBeUndefined();
  });

  it('keeps the period of a segment cut by a plan change, so its total carries on', () => {
    const cut = cutCurrentSegment(
      subscription({
        pendingChange: { planKey: 'other', planVersion: 1, interval: 'month', intervalCount: 1, reanchor: false },
      }),
      new Date('2026-11-20T10:07:00Z'),
    );
    const schedule = limitScheduleOf(cut)!;
    const before = limitPeriodOf(schedule, new Date('2026-11-20T10:00:00Z'));
    const after = limitPeriodOf(schedule, new Date('2026-11-20T10:30:00Z'));
    expect(after?.start.toISOString()).toBe(before?.start.toISOString());
  });
});

describe('fitting events into hard limits', () => {
  const charge = (key: string, quantity: string, limit = '100'): LimitCharge => ({
    key,
    customerId: 'c1',
    meterKey: key,
    periodStart: '2026-11-01T00:00:00.000Z',
    periodEnd: '2026-12-01T00:00:00.000Z',
    limit: new Decimal(limit),
    quantity: new Decimal(quantity),
  });

  it('rejects what would cross the limit and still fits a smaller item after it, in order', () => {
    const items = ['60', '50', '30', '10', '1'].map((q) => [charge('t', q)]);
    const { fits, over } = fitLimits(items, (item) => item, new Map());
    expect(fits.map((item) => item[0]!.quantity.toFixed())).toEqual(['60', '30', '10']);
    expect(over.map(({ item, used }) => [item[0]!.quantity.toFixed(), used.toFixed()])).toEqual([
      ['50', '60'],
      ['1', '100'],
    ]);
  });

  it('starts from the stored total and rejects an item if any of its totals would pass', () => {
    const items = [[charge('a', '1', '5'), charge('b', '1', '5')]];
    expect(fitLimits(items, (item) => item, new Map([['b', new Decimal(5)]])).over).toHaveLength(1);
    expect(fitLimits(items, (item) => item, new Map([['b', new Decimal(4)]])).fits).toHaveLength(1);
  });

  it('fits a zero quantity into a zero limit', () => {
    expect(fitLimits([[charge('z', '0', '0')]], (item) => item, new Map()).fits).toHaveLength(1);
  });

  it('charges count meters 1 and sum meters their value, and nothing for unlimited or other meters', () => {
    const schedule = limitScheduleOf(
      subscription({
        usageLimits: { calls: { limit: '10', hard: true }, tokens: { limit: '5', hard: true } },
      }),
    )!;
    const event = {
      index: 0,
      id: 'e1',
      source: 's',
      type: 'api.call',
      subject: 'c1',
      time: new Date('2026-11-15T00:00:00Z'),
      data: {},
      raw: '{}',
    };
    const charges = limitCharges(
      event,
      [
        { meter: meter('calls', 'count'), bucket: 'b', dimensions: {} },
        { meter: meter('tokens', 'sum'), bucket: 'b', dimensions: {}, value: new Decimal('2.5') },
        { meter: meter('other', 'sum'), bucket: 'b', dimensions: {}, value: new Decimal('7') },
      ],
      schedule,
    );
    expect(charges.map((c) => [c.meterKey, c.quantity.toFixed(), c.limit.toFixed()])).toEqual([
      ['calls', '1', '10'],
      ['tokens', '2.5', '5'],
    ]);
  });
});
