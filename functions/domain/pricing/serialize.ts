import type { Decimal } from '../decimal.js';
import { formatAmount, formatDecimal, type RoundingMode } from '../money.js';
import type { PriceEvaluation, PriceLine, PriceLineKind, PriceModel } from './types.js';

/** A price line on the wire: snake_case keys, decimal strings, undefined fields omitted. */
export interface WirePriceLine {
  kind: PriceLineKind;
  description: string;
  quantity: string;
  unit_price?: string;
  flat_fee?: string;
  precise_amount: string;
  /** precise_amount rounded to the currency's minor unit. */
  amount: string;
  tier?: { index: number; from: string; up_to: string | null };
  blocks?: string;
  block_size?: string;
  block_price?: string;
  free_quantity?: string;
  rate_percent?: string;
  events?: number;
  dimensions?: Record<string, string>;
  band?: string;
  model?: PriceModel;
  lines?: WirePriceLine[];
}

export interface WireEvaluation {
  currency: string;
  quantity: string;
  /** precise_amount rounded once to the currency's minor unit (not the sum of the rounded lines). */
  amount: string;
  precise_amount: string;
  lines: WirePriceLine[];
}

function toWireLine(line: PriceLine, currency: string, mode: RoundingMode): WirePriceLine {
  const optional = (value: Decimal | undefined): string | undefined =>
    value === undefined ? undefined : formatDecimal(value);
  const wire: Record<string, unknown> = {
    kind: line.kind,
    description: line.description,
    quantity: formatDecimal(line.quantity),
    unit_price: optional(line.unitPrice),
    flat_fee: optional(line.flatFee),
    precise_amount: formatDecimal(line.preciseAmount),
    amount: formatAmount(line.preciseAmount, currency, mode),
    tier:
      line.tier === undefined
        ? undefined
        : {
            index: line.tier.index,
            from: formatDecimal(line.tier.from),
            up_to: line.tier.upTo === null ? null : formatDecimal(line.tier.upTo),
          },
    blocks: optional(line.blocks),
    block_size: optional(line.blockSize),
    block_price: optional(line.blockPrice),
    free_quantity: optional(line.freeQuantity),
    rate_percent: optional(line.ratePercent),
    events: line.events,
    dimensions: line.dimensions === undefined ? undefined : { ...line.dimensions },
    band: line.band,
    model: line.model,
    lines: line.lines?.map((nested) => toWireLine(nested, currency, mode)),
  };
  for (const key of Object.keys(wire)) if (wire[key] === undefined) delete wire[key];
  return wire as unknown as WirePriceLine;
}

/**
 * The JSON form of an evaluation in `currency`: exact `precise_amount`s as plain decimal strings and
 * `amount`s rounded to the currency's minor unit with `mode`. Throws UnknownCurrencyError.
 */
export function toWireEvaluation(
  evaluation: PriceEvaluation,
  currency: string,
  mode: RoundingMode = 'half_up',
): WireEvaluation {
  return {
    currency,
    quantity: formatDecimal(evaluation.quantity),
    amount: formatAmount(evaluation.preciseAmount, currency, mode),
    precise_amount: formatDecimal(evaluation.preciseAmount),
    lines: evaluation.lines.map((line) => toWireLine(line, currency, mode)),
  };
}
