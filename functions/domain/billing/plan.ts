import type { Decimal } from '../decimal.js';
import type { Price } from '../pricing/types.js';
import type { Interval } from './periods.js';

/** Usage that arrives after its period was invoiced: re-rated on the next invoice, or rejected. */
export type LateUsage = 'adjust' | 'reject';

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
  /** `reject`: the close seals the customer (late events are `period_closed`); `adjust`: they are re-rated on the next invoice. */
  lateUsage: LateUsage;
  /** Hours the period's invoice stays a draft; absent: the customer's, else the global setting. */
  invoiceGraceHours?: number;
  /** Interim invoices when the period's running usage bill crosses an amount (see progressive.ts). */
  progressiveBilling?: ProgressiveBilling;
}

/**
 * Usage thresholds, ascending: when the period's usage charges reach one, an interim invoice bills
 * the usage so far (less what earlier interim invoices of the period billed). The last may be
 * `recurring`: it repeats every `amount` beyond the one before it.
 */
export interface ProgressiveBilling {
  thresholds: Array<{ amount: Decimal; recurring: boolean }>;
}
