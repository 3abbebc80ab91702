import type { Decimal } from '../decimal.js';
import type { Price } from '../pricing/types.js';
import type { Interval } from './periods.js';

export type BaseFeeTiming = 'in_advance' | 'in_arrears';

export interface Charge {
  meter: string;
  price: Price;
  displayName?: string;
}

/** One immutable version of a plan, as rating sees it. */
export interface PlanVersion {
  key: string;
  version: number;
  name: string;
  currency: string;
  interval: Interval;
  intervalCount: number;
  baseFee?: { amount: Decimal; timing: BaseFeeTiming };
  charges: Charge[];
  minimumCommitment?: Decimal;
  /** Events of an invoiced period: re-rated on the next invoice (`adjust`, the default) or refused (`reject`). */
  lateUsage?: 'adjust' | 'reject';
  /** Hours the period's invoice stays a draft (absent: the global setting). */
  invoiceGraceHours?: number;
}
