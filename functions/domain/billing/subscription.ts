import { bucketStart } from '../metering/buckets.js';
import { gridPeriodContaining, type Interval, type LocalDate, localDateOf, type PeriodGrid } from './periods.js';
import type { Segment } from './rating.js';

export interface StoredSegment {
  start: string;
  end: string;
  fullStart: string;
  fullEnd: string;
  planKey: string;
  planVersion: number;
  /** 0 for the first segment of the subscription. */
  index: number;
}

export interface Subscription {
  id: string;
  customerId: string;
  status: 'active' | 'ended';
  /** The plan of the current segment. */
  planKey: string;
  planVersion: number;
  /** Custom prices per meter for this customer (wire format, validated). */
  priceOverrides: Record<string, unknown>;
  /** Usage limits per meter key (count and sum meters); absent or empty: none. */
  usageLimits?: Record<string, { limit: string; hard: boolean }>;
  timeZone: string;
  grid: { anchor: LocalDate; interval: Interval; intervalCount: number };
  current: StoredSegment;
  /** Applied when the current segment closes. */
  pendingChange?: {
    planKey: string;
    planVersion: number;
    interval: Interval;
    intervalCount: number;
    reanchor: boolean;
  };
  /** The subscription ends when the current segment closes. */
  endsAfterCurrent?: boolean;
  canceledAt?: string;
  createdAt: string;
  updatedAt: string;
}

export function gridOf(subscription: Pick<Subscription, 'grid' | 'timeZone'>): PeriodGrid {
  return { ...subscription.grid, timeZone: subscription.timeZone };
}

export function toSegment(stored: StoredSegment): Segment {
  return {
    start: new Date(stored.start),
    end: new Date(stored.end),
    full: { start: new Date(stored.fullStart), end: new Date(stored.fullEnd) },
  };
}

/** The segment that starts at `start`: to the end of the grid period containing it. */
export function segmentFrom(
  grid: PeriodGrid,
  start: Date,
  plan: { key: string; version: number },
  index: number,
): StoredSegment {
  const full = gridPeriodContaining(grid, start);
  return {
    start: start.toISOString(),
    end: full.end.toISOString(),
    fullStart: full.start.toISOString(),
    fullEnd: full.end.toISOString(),
    planKey: plan.key,
    planVersion: plan.version,
    index,
  };
}

/**
 * What follows the current segment once it is invoiced: the next segment (on the pending plan,
 * if any), or the end of the subscription.
 */
export function advance(subscription: Subscription, now: Date): Subscription {
  const next: Subscription = { ...subscription, updatedAt: now.toISOString() };
  if (subscription.endsAfterCurrent) {
    next.status = 'ended';
    return next;
  }
  const change = subscription.pendingChange;
  if (change) {
    next.planKey = change.planKey;
    next.planVersion = change.planVersion;
    next.grid = change.reanchor
      ? {
          anchor: localDateOf(new Date(subscription.current.end), subscription.timeZone),
          interval: change.interval,
          intervalCount: change.intervalCount,
        }
      : subscription.grid;
    delete next.pendingChange;
  }
  next.current = segmentFrom(
    gridOf(next),
    new Date(subscription.current.end),
    { key: next.planKey, version: next.planVersion },
    subscription.current.index + 1,
  );
  return next;
}

/**
 * Ends the current segment early at `at` (a plan change or cancellation "now"): at the start of
 * the 15-minute usage bucket containing it, so the split falls on a counter edge. Never before the
 * segment's start.
 */
export function cutCurrentSegment(subscription: Subscription, at: Date): Subscription {
  const cut = bucketStart(at);
  const start = new Date(subscription.current.start);
  const end = new Date(subscription.current.end);
  const boundary = cut < start ? start : cut > end ? end : cut;
  return { ...subscription, current: { ...subscription.current, end: boundary.toISOString() } };
}
