import type { AggregationKind } from '../meter.js';
import type { Aggregation } from './aggregation.js';
import { count } from './count.js';
import { latest } from './latest.js';
import { max } from './max.js';
import { sum } from './sum.js';
import { uniqueCount } from './unique-count.js';
import { weightedSum } from './weighted-sum.js';

export {
  type Aggregation,
  type CoalesceContext,
  type CounterWrite,
  emptyTally,
  type FieldCheck,
  later,
  type Reading,
  type Tally,
} from './aggregation.js';

/** The aggregation a meter uses. A new kind fails to compile here until it has its case. */
export function aggregationOf(kind: AggregationKind): Aggregation {
  switch (kind) {
    case 'count':
      return count;
    case 'sum':
      return sum;
    case 'max':
      return max;
    case 'latest':
      return latest;
    case 'unique_count':
      return uniqueCount;
    case 'weighted_sum':
      return weightedSum;
    default: {
      const unreachable: never = kind;
      throw new Error(`unknown aggregation ${JSON.stringify(unreachable)}`);
    }
  }
}
