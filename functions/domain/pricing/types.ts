import type { Decimal } from '../decimal.js';

/** Charges every price may carry, applied to that price's total after its model. */
export interface SpendLimits {
  /** The total is raised to at least this amount (an extra `minimum_spend` line). */
  minimumSpend?: Decimal;
  /** The total is capped at this amount (an extra, negative `maximum_spend` line). */
  maximumSpend?: Decimal;
}

/** quantity × unitPrice. */
export interface PerUnitPrice extends SpendLimits {
  model: 'per_unit';
  unitPrice: Decimal;
}

/** Whole packages of `packageSize` units after `freeUnits`, each at `packagePrice`. */
export interface PackagePrice extends SpendLimits {
  model: 'package';
  packageSize: Decimal;
  packagePrice: Decimal;
  /** Units not charged, taken off the quantity before packaging. Default 0. */
  freeUnits?: Decimal;
  /** Partial packages: `up` bills them as whole (default), `down` drops them. */
  rounding?: 'up' | 'down';
}

/** A tier priced per unit (unitPrice absent = 0, a flat-fee-only tier). */
export interface UnitTier {
  /** Inclusive upper bound of the cumulative quantity; null = open-ended (last tier only). */
  upTo: Decimal | null;
  unitPrice?: Decimal;
  flatFee?: Decimal;
  blockSize?: never;
  blockPrice?: never;
}

/** A tier priced per started block of `blockSize` units. */
export interface BlockTier {
  upTo: Decimal | null;
  blockSize: Decimal;
  blockPrice: Decimal;
  flatFee?: Decimal;
  unitPrice?: never;
}

export type Tier = UnitTier | BlockTier;

export interface TieredPriceBase extends SpendLimits {
  tiers: Tier[];
  /** Charge the first tier's flat fee when the quantity is 0. Default true. */
  flatFeeAtZeroUsage?: boolean;
}

/** Each reached tier prices its own portion of the quantity and adds its flat fee once. */
export interface GraduatedPrice extends TieredPriceBase {
  model: 'graduated';
}

/** The whole quantity at the single tier that contains it, plus that tier's flat fee. */
export interface VolumePrice extends TieredPriceBase {
  model: 'volume';
}

/** Included units free, the rest per unit. */
export interface OveragePrice extends SpendLimits {
  model: 'overage';
  includedUnits: Decimal;
  unitPrice: Decimal;
}

export interface PercentageTier {
  upTo: Decimal | null;
  ratePercent: Decimal;
  flatFee?: Decimal;
}

/** Graduated tiers over an amount (e.g. transaction volume), each portion at its rate. */
export interface GraduatedPercentagePrice extends SpendLimits {
  model: 'graduated_percentage';
  tiers: PercentageTier[];
  /** Charge the first tier's flat fee when the amount is 0. Default false (as Lago). */
  flatFeeAtZeroUsage?: boolean;
}

/** A rate on per-event amounts, with a fixed fee per paying event and free allowances (Lago's model). */
export interface PercentagePrice extends SpendLimits {
  model: 'percentage';
  ratePercent: Decimal;
  fixedFeePerEvent?: Decimal;
  /** The first N events are free (up to `freeAmount` if that is set too). */
  freeEvents?: number;
  /** This much of the amount is free (within the first `freeEvents` events if that is set too). */
  freeAmount?: Decimal;
  /** When set (or perEventMax), every event is priced on its own and clamped to [min, max]. */
  perEventMin?: Decimal;
  perEventMax?: Decimal;
}

export interface MatrixEntry {
  /** A value for every dimension of the matrix. */
  match: Record<string, string>;
  price: Price;
}

/** A price per combination of dimension values, with an optional default. */
export interface MatrixPrice extends SpendLimits {
  model: 'matrix';
  dimensions: string[];
  entries: MatrixEntry[];
  defaultPrice?: Price;
}

export const WEEKDAYS = Object.freeze(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const);
export type Weekday = (typeof WEEKDAYS)[number];

export interface TimeBand {
  name: string;
  /** Days the band starts on (for an overnight band, the day of its evening part). */
  days: Weekday[];
  /** Local wall time "HH:MM", inclusive. */
  from: string;
  /** Local wall time "HH:MM", exclusive; "24:00" = end of day; to <= from = overnight into the next day. */
  to: string;
  price: Price;
}

/** Bands by weekday and local time in the customer's time zone, each with its own price. */
export interface TimeOfUsePrice extends SpendLimits {
  model: 'time_of_use';
  bands: TimeBand[];
  defaultPrice: Price;
}

export type Price =
  | PerUnitPrice
  | PackagePrice
  | GraduatedPrice
  | VolumePrice
  | OveragePrice
  | GraduatedPercentagePrice
  | PercentagePrice
  | MatrixPrice
  | TimeOfUsePrice;

export type PriceModel = Price['model'];

export const PRICE_MODELS: readonly PriceModel[] = Object.freeze([
  'per_unit',
  'package',
  'graduated',
  'volume',
  'overage',
  'graduated_percentage',
  'percentage',
  'matrix',
  'time_of_use',
]);

export interface UsageRecord {
  dimensions: Record<string, string>;
  time?: Date;
  quantity: Decimal;
}

/**
 * What a price is evaluated on. Quantity-based models take `quantity`, else the sum of `usage`, else
 * the sum of `events`; percentage takes `events`, else each usage record as an event, else `quantity`
 * as one event; matrix and time_of_use need `usage` (time_of_use also `time` on each record and `timeZone`).
 */
export interface PriceInput {
  quantity?: Decimal;
  events?: Decimal[];
  usage?: UsageRecord[];
  /** IANA time zone of the customer, for time_of_use. */
  timeZone?: string;
}

export type PriceLineKind =
  | 'usage'
  | 'included'
  | 'tier'
  | 'percentage'
  | 'fixed_fee'
  | 'per_event_minimum'
  | 'per_event_maximum'
  | 'group'
  | 'band'
  | 'minimum_spend'
  | 'maximum_spend';

/** One explained part of an evaluation. Plain data: Decimals, strings, numbers. */
export interface PriceLine {
  kind: PriceLineKind;
  description: string;
  /** The quantity (or amount, for percentage models) this line prices. */
  quantity: Decimal;
  unitPrice?: Decimal;
  flatFee?: Decimal;
  /** Exact, unrounded amount of this line (including nested lines). */
  preciseAmount: Decimal;
  tier?: { index: number; from: Decimal; upTo: Decimal | null };
  /** Started blocks / packages billed, with their size and price. */
  blocks?: Decimal;
  blockSize?: Decimal;
  blockPrice?: Decimal;
  /** Part of `quantity` given free (free units, included units, free amount). */
  freeQuantity?: Decimal;
  ratePercent?: Decimal;
  /** Number of events this line counts (paying events, clamped events, usage records). */
  events?: number;
  dimensions?: Record<string, string>;
  band?: string;
  /** The model of the nested price for group and band lines. */
  model?: PriceModel;
  lines?: PriceLine[];
}

export interface PriceEvaluation {
  /** Exact total: always the sum of the top-level lines' preciseAmount. */
  preciseAmount: Decimal;
  /** The quantity priced (the total amount for percentage models). */
  quantity: Decimal;
  lines: PriceLine[];
}
