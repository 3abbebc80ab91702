import { describe, expect, it } from 'vitest';
import {
  type Estimate,
  isCurrent,
  refreshEstimates,
  type UpcomingReport,
  upcomingView,
} from '../../functions/app/estimates.js';
import type { Subscription } from '../../functions/domain/billing/subscription.js';

const subscription = (id: string, customerId: string) => ({ id, customerId }) as Subscription;

function estimate(customer: string, currency: string, total: string): Omit<Estimate, 'as_of'> {
  return {
    customer,
    name: customer,
    subscription: `sub-${customer}`,
    plan: 'pro',
    plan_version: 1,
    currency,
    period_start: '2026-11-01T00:00:00.000Z',
    period_end: '2026-12-01T00:00:00.000Z',
    usage_through: '2026-11-10T00:15:00.000Z',
    usage: [],
    subtotal: total,
    total,
  };
}

describe('refreshEstimates', () => {
  it('sums per currency exactly, ranks per currency, lists failures, and stores estimates before the snapshot', async () => {
    const writes: string[] = [];
    const totals: Record<string, [string, string]> = {
      a: ['EUR', '0.10'],
      b: ['EUR', '0.20'],
      c: ['USD', '5.00'],
      d: ['EUR', '10.00'],
    };
    const report = await refreshEstimates({
      clock: () => new Date('2026-11-10T00:05:00Z'),
      activeSubscriptions: async () => ['a', 'b', 'c', 'd', 'broken'].map((c) => subscription(`sub-${c}`, c)),
      rate: async (s) => {
        const entry = totals[s.customerId];
        if (!entry) throw new Error('meter gone');
        return estimate(s.customerId, ...entry);
      },
      estimates: {
        putAll: async (all) => void writes.push(`estimates:${all.map((e) => e.customer).join(',')}`),
        putSnapshot: async (s) => void writes.push(`snapshot:${s.as_of}`),
      },
    });
    expect(writes).toEqual(['estimates:a,b,c,d', 'snapshot:2026-11-10T00:05:00.000Z']);
    // 0.1 + 0.2 in floats is 0.30000000000000004: the sum must be exact.
    expect(report.totals).toEqual([
      { currency: 'EUR', count: 3, subtotal: '10.30', total: '10.30' },
      { currency: 'USD', count: 1, subtotal: '5.00', total: '5.00' },
    ]);
    expect(report.top.map((e) => e.customer)).toEqual(['d', 'b', 'a', 'c']);
    expect(upcomingView(report, 1).top.map((e) => e.customer)).toEqual(['d', 'c']);
    expect(report.subscriptions).toBe(5);
    expect(report.failed).toEqual([
      { subscription: 'sub-broken', customer: 'broken', code: 'rating_failed', error: 'meter gone' },
    ]);
  });

  it('stores estimates in batches while rating goes on, every one before the snapshot; a failed store fails the refresh', async () => {
    const customers = Array.from({ length: 450 }, (_, i) => `c${i}`);
    const events: string[] = [];
    let rated = 0;
    const deps = (failStore: boolean) => ({
      clock: () => new Date('2026-11-10T00:05:00Z'),
      activeSubscriptions: async () => customers.map((c) => subscription(`sub-${c}`, c)),
      rate: async (s: ReturnType<typeof subscription>) => {
        rated++;
        await new Promise((resolve) => setImmediate(resolve));
        return estimate(s.customerId, 'EUR', '1.00');
      },
      estimates: {
        putAll: async (all: readonly { customer: string }[]) => {
          events.push(`put ${all.length} after ${rated} rated`);
          if (failStore) throw new Error('store down');
        },
        putSnapshot: async () => void events.push('snapshot'),
      },
    });
    const report = await refreshEstimates(deps(false));
    expect(report.totals).toEqual([{ currency: 'EUR', count: 450, subtotal: '450.00', total: '450.00' }]);
    const puts = events.filter((e) => e.startsWith('put'));
    expect(puts.map((e) => Number(e.split(' ')[1]))).toEqual([200, 200, 50]);
    // The first batch went to the store before the last subscription was rated.
    expect(Number(puts[0]!.split(' ')[3])).toBeLessThan(450);
    expect(events.at(-1)).toBe('snapshot');
    events.length = 0;
    rated = 0;
    await expect(refreshEstimates(deps(true))).rejects.toThrow('store down');
    expect(events).not.toContain('snapshot');
  });

  it('shows an estimate of the latest refresh or a newer unfinished one, not an older one', () => {
    const snapshot = { as_of: '2026-11-10T01:00:00.000Z' } as UpcomingReport;
    const at = (as_of: string) => ({ ...estimate('a', 'EUR', '1.00'), as_of });
    expect(isCurrent(at('2026-11-10T01:00:00.000Z'), snapshot)).toBe(true);
    expect(isCurrent(at('2026-11-10T02:00:00.000Z'), snapshot)).toBe(true);
    expect(isCurrent(at('2026-11-10T00:00:00.000Z'), snapshot)).toBe(false);
    expect(isCurrent(at('2026-11-10T01:00:00.000Z'), undefined)).toBe(false);
  });
});
