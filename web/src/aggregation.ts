import type { Aggregation } from './types';

export type { Aggregation };

/** The aggregation in words, for tables ("unique count"). */
export function aggregationLabel(aggregation: Aggregation): string {
  switch (aggregation) {
    case 'count':
    case 'sum':
    case 'max':
    case 'latest':
      return aggregation;
    case 'unique_count':
      return 'unique count';
    case 'weighted_sum':
      return 'time-weighted sum';
    default: {
      const unknown: never = aggregation;
      return fallback(unknown, String(unknown).replace('_', ' '));
    }
  }
}

/**
 * A meter's aggregation in words, with what a time-weighted meter is priced on: "time-weighted sum,
 * per hour" (level-hours), "per day" (level-days of local days), "per period" (the average level).
 */
export function meterAggregationLabel(meter: { aggregation: Aggregation; per?: string }): string {
  const label = aggregationLabel(meter.aggregation);
  return meter.aggregation === 'weighted_sum' ? `${label}, per ${meter.per ?? 'period'}` : label;
}

/** Whether the parts of a usage split (one stacked bar per dimension value) add up to the total. */
export function partsAddUp(aggregation: Aggregation | undefined): boolean {
  switch (aggregation) {
    case 'count':
    case 'sum':
    // A level integrated over time is linear in the level: the dimension values' averages
    // (GB-hours, seat-days) add up to the whole's.
    case 'weighted_sum':
      return true;
    case 'max':
    case 'latest':
    case 'unique_count':
    case undefined:
      return false;
    default: {
      const unknown: never = aggregation;
      return fallback(unknown, false);
    }
  }
}

/**
 * The `never` default of a switch on the aggregation: the compiler lists here every switch that does
 * not know a kind yet; at run time (an API newer than this page) the switch answers `value`.
 */
function fallback<T>(_unknown: never, value: T): T {
  return value;
}
