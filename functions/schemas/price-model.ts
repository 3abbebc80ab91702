import * as z from 'zod';
import { Decimal } from '../domain/decimal.js';
import {
  type BlockTier,
  type GraduatedPercentagePrice,
  type GraduatedPrice,
  type MatrixPrice,
  type OveragePrice,
  type PackagePrice,
  type PercentagePrice,
  type PercentageTier,
  type PerUnitPrice,
  PRICE_MODELS,
  type Price,
  type SpendLimits,
  type Tier,
  type TimeBand,
  type TimeOfUsePrice,
  type UnitTier,
  type VolumePrice,
  WEEKDAYS,
} from '../domain/pricing/types.js';
import {
  type DecimalSchema,
  lineText,
  NonNegativeDecimalSchema,
  PercentSchema,
  PositiveDecimalSchema,
  tolerant,
} from './common.js';

/*
 * The wire form of a price (snake_case, decimal strings) → the domain Price (camelCase, Decimal).
 * Every object is strict, every issue carries the exact path of the offending field, e.g.
 * ["tiers", 1, "up_to"]. Matrix entries and time bands nest prices recursively.
 */

type DecimalWire = z.input<typeof DecimalSchema>;

const amount = (description: string) => NonNegativeDecimalSchema.meta({ description });

/** Drops the keys whose value is undefined, so domain objects carry only what was given. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

// ---------------------------------------------------------------------------------------------------
// Shared parts
//
// Zod runs an object's refinements even when some of its fields failed, so the cross-field checks
// below look only at fields that parsed (a Decimal where a Decimal is expected) and skip the rest.

function isDecimal(value: unknown): value is Decimal {
  return Decimal.isDecimal(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function arrayOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

const spendShape = {
  minimum_spend: amount("The price's total is raised to at least this amount").optional(),
  maximum_spend: amount("The price's total is capped at this amount").optional(),
};

interface SpendWireOutput {
  minimum_spend?: Decimal | undefined;
  maximum_spend?: Decimal | undefined;
}

function checkSpend(value: SpendWireOutput, ctx: z.RefinementCtx): void {
  if (isDecimal(value.minimum_spend) && isDecimal(value.maximum_spend) && value.minimum_spend.gt(value.maximum_spend)) {
    ctx.addIssue({ code: 'custom', path: ['minimum_spend'], message: 'must not be greater than maximum_spend' });
  }
}

function spendLimits(value: SpendWireOutput): SpendLimits {
  return compact({ minimumSpend: value.minimum_spend, maximumSpend: value.maximum_spend });
}

const upTo = PositiveDecimalSchema.nullable().meta({
  description:
    'Inclusive upper bound of the cumulative quantity covered by this tier; null for the last, open-ended tier. The tier covers (previous up_to, up_to].',
});

/** Tiers: up_to strictly increasing, null on the last tier and only there. */
function checkTiers(tiers: unknown, ctx: z.RefinementCtx): void {
  const list = arrayOf(tiers);
  let previous: Decimal | null | undefined;
  for (const [index, tier] of list.entries()) {
    const path = ['tiers', index, 'up_to'];
    const last = index === list.length - 1;
    const raw = isRecord(tier) ? tier.up_to : undefined;
    const upTo = raw === null || isDecimal(raw) ? raw : undefined;
    if (upTo === undefined) {
      previous = undefined;
    } else if (upTo === null) {
      if (!last) ctx.addIssue({ code: 'custom', path, message: 'only the last tier may have up_to null (open-ended)' });
    } else {
      if (last) ctx.addIssue({ code: 'custom', path, message: 'the last tier must have up_to null (open-ended)' });
      if (previous !== undefined && previous !== null && !upTo.gt(previous)) {
        ctx.addIssue({ code: 'custom', path, message: "must be greater than the previous tier's up_to" });
      }
    }
    previous = upTo;
  }
}

// ---------------------------------------------------------------------------------------------------
// Tiers

const TierSchema = z
  .object({
    up_to: upTo,
    unit_price: amount(
      'Price per unit of the portion in this tier (graduated) or of the whole quantity (volume)',
    ).optional(),
    flat_fee: amount('Charged once when the tier is reached (graduated) or selected (volume)').optional(),
    block_size: PositiveDecimalSchema.meta({
      description: 'Units per block; partial blocks are rounded up',
    }).optional(),
    block_price: amount('Price per started block of block_size units').optional(),
  })
  .strict()
  .meta({
    description:
      'A tier priced per unit (unit_price) or per started block (block_size + block_price), plus an optional flat fee',
  })
  .superRefine(
    tolerant((tier, ctx) => {
      const hasBlock = tier.block_size !== undefined || tier.block_price !== undefined;
      if (tier.unit_price !== undefined && hasBlock) {
        ctx.addIssue({
          code: 'custom',
          path: [tier.block_size !== undefined ? 'block_size' : 'block_price'],
          message: 'a tier is priced either per unit (unit_price) or per block (block_size and block_price), not both',
        });
      } else if (tier.block_size !== undefined && tier.block_price === undefined) {
        ctx.addIssue({ code: 'custom', path: ['block_price'], message: 'block_size needs block_price' });
      } else if (tier.block_price !== undefined && tier.block_size === undefined) {
        ctx.addIssue({ code: 'custom', path: ['block_size'], message: 'block_price needs block_size' });
      }
    }),
  );

type TierWireOutput = z.output<typeof TierSchema>;

function toTier(tier: TierWireOutput): Tier {
  if (tier.block_size !== undefined && tier.block_price !== undefined) {
    return compact<BlockTier>({
      upTo: tier.up_to,
      blockSize: tier.block_size,
      blockPrice: tier.block_price,
      flatFee: tier.flat_fee,
    });
  }
  return compact<UnitTier>({ upTo: tier.up_to, unitPrice: tier.unit_price, flatFee: tier.flat_fee });
}

const tiersShape = {
  tiers: z.array(TierSchema).min(1, { message: 'must have at least one tier' }),
  flat_fee_at_zero_usage: z
    .boolean()
    .optional()
    .meta({ description: "Charge the first tier's flat fee when the quantity is 0 (default true)" }),
};

const PercentageTierSchema = z
  .object({
    up_to: upTo,
    rate_percent: PercentSchema.meta({ description: 'Percentage (0..100) of the portion of the amount in this tier' }),
    flat_fee: amount('Charged once when the amount reaches this tier').optional(),
  })
  .strict();

function toPercentageTier(tier: z.output<typeof PercentageTierSchema>): PercentageTier {
  return compact({ upTo: tier.up_to, ratePercent: tier.rate_percent, flatFee: tier.flat_fee });
}

// ---------------------------------------------------------------------------------------------------
// Wire types of the recursive models (the others are inferred)

export interface MatrixPriceWire {
  model: 'matrix';
  dimensions: string[];
  entries: { match: Record<string, string>; price: PriceWire }[];
  default_price?: PriceWire | undefined;
  minimum_spend?: DecimalWire | undefined;
  maximum_spend?: DecimalWire | undefined;
}

export interface TimeOfUsePriceWire {
  model: 'time_of_use';
  bands: { name: string; days: (typeof WEEKDAYS)[number][]; from: string; to: string; price: PriceWire }[];
  default_price: PriceWire;
  minimum_spend?: DecimalWire | undefined;
  maximum_spend?: DecimalWire | undefined;
}

/** The JSON input form of a price (what clients send). */
export type PriceWire =
  | z.input<typeof PerUnitSchema>
  | z.input<typeof PackageSchema>
  | z.input<typeof GraduatedSchema>
  | z.input<typeof VolumeSchema>
  | z.input<typeof OverageSchema>
  | z.input<typeof GraduatedPercentageSchema>
  | z.input<typeof PercentageSchema>
  | MatrixPriceWire
  | TimeOfUsePriceWire;

const NestedPriceSchema: z.ZodType<Price, PriceWire> = z.lazy(() => PriceSchema);

// ---------------------------------------------------------------------------------------------------
// Models

const PerUnitSchema = z
  .object({ model: z.literal('per_unit'), unit_price: amount('Price per unit'), ...spendShape })
  .strict()
  .meta({ title: 'per_unit', description: 'quantity × unit_price' })
  .superRefine(tolerant(checkSpend))
  .transform((wire): PerUnitPrice => ({ model: 'per_unit', unitPrice: wire.unit_price, ...spendLimits(wire) }));

const PackageSchema = z
  .object({
    model: z.literal('package'),
    package_size: PositiveDecimalSchema.meta({ description: 'Units per package' }),
    package_price: amount('Price per package'),
    free_units: amount('Units free before packaging (default 0)').optional(),
    rounding: z
      .enum(['up', 'down'])
      .optional()
      .meta({ description: 'Partial packages: up = bill as a whole package (default), down = drop' }),
    ...spendShape,
  })
  .strict()
  .meta({
    title: 'package',
    description: 'ceil (or floor) of max(quantity − free_units, 0) / package_size packages × package_price',
  })
  .superRefine(tolerant(checkSpend))
  .transform(
    (wire): PackagePrice =>
      compact({
        model: 'package' as const,
        packageSize: wire.package_size,
        packagePrice: wire.package_price,
        freeUnits: wire.free_units,
        rounding: wire.rounding,
        ...spendLimits(wire),
      }),
  );

const GraduatedSchema = z
  .object({ model: z.literal('graduated'), ...tiersShape, ...spendShape })
  .strict()
  .meta({
    title: 'graduated',
    description: 'Each tier prices the portion of the quantity inside it and adds its flat fee once it is reached',
  })
  .superRefine(
    tolerant((wire, ctx) => {
      checkTiers(wire.tiers, ctx);
      checkSpend(wire, ctx);
    }),
  )
  .transform(
    (wire): GraduatedPrice =>
      compact({
        model: 'graduated' as const,
        tiers: wire.tiers.map(toTier),
        flatFeeAtZeroUsage: wire.flat_fee_at_zero_usage,
        ...spendLimits(wire),
      }),
  );

const VolumeSchema = z
  .object({ model: z.literal('volume'), ...tiersShape, ...spendShape })
  .strict()
  .meta({
    title: 'volume',
    description: 'The whole quantity at the single tier containing it, plus that tier’s flat fee',
  })
  .superRefine(
    tolerant((wire, ctx) => {
      checkTiers(wire.tiers, ctx);
      checkSpend(wire, ctx);
    }),
  )
  .transform(
    (wire): VolumePrice =>
      compact({
        model: 'volume' as const,
        tiers: wire.tiers.map(toTier),
        flatFeeAtZeroUsage: wire.flat_fee_at_zero_usage,
        ...spendLimits(wire),
      }),
  );

const OverageSchema = z
  .object({
    model: z.literal('overage'),
    included_units: amount('Units included free'),
    unit_price: amount('Price per unit above the included units'),
    ...spendShape,
  })
  .strict()
  .meta({ title: 'overage', description: 'max(quantity − included_units, 0) × unit_price' })
  .superRefine(tolerant(checkSpend))
  .transform(
    (wire): OveragePrice => ({
      model: 'overage',
      includedUnits: wire.included_units,
      unitPrice: wire.unit_price,
      ...spendLimits(wire),
    }),
  );

const GraduatedPercentageSchema = z
  .object({
    model: z.literal('graduated_percentage'),
    tiers: z.array(PercentageTierSchema).min(1, { message: 'must have at least one tier' }),
    flat_fee_at_zero_usage: z
      .boolean()
      .optional()
      .meta({ description: "Charge the first tier's flat fee when the amount is 0 (default false)" }),
    ...spendShape,
  })
  .strict()
  .meta({
    title: 'graduated_percentage',
    description: 'Graduated tiers over an amount: each portion × rate_percent / 100, plus each reached tier’s flat fee',
  })
  .superRefine(
    tolerant((wire, ctx) => {
      checkTiers(wire.tiers, ctx);
      checkSpend(wire, ctx);
    }),
  )
  .transform(
    (wire): GraduatedPercentagePrice =>
      compact({
        model: 'graduated_percentage' as const,
        tiers: wire.tiers.map(toPercentageTier),
        flatFeeAtZeroUsage: wire.flat_fee_at_zero_usage,
        ...spendLimits(wire),
      }),
  );

const PercentageSchema = z
  .object({
    model: z.literal('percentage'),
    rate_percent: PercentSchema.meta({ description: 'Percentage (0..100) of the amount not given free' }),
    fixed_fee_per_event: amount('Fixed fee per paying event (none when the total amount is 0)').optional(),
    free_events: z
      .number({ error: 'must be an integer >= 0' })
      .int({ error: 'must be an integer >= 0' })
      .min(0, { error: 'must be an integer >= 0' })
      .optional()
      .meta({ description: 'The first N events are free (up to free_amount if that is set too)' }),
    free_amount: amount('This much of the amount is free (within the first free_events events if set)').optional(),
    per_event_min: amount('Each paying event costs at least this (prices every event on its own)').optional(),
    per_event_max: amount('Each paying event costs at most this (prices every event on its own)').optional(),
    ...spendShape,
  })
  .strict()
  .meta({
    title: 'percentage',
    description:
      'rate_percent of the per-event amounts, a fixed fee per paying event, free events / amount, per-event min / max',
  })
  .superRefine(
    tolerant((wire, ctx) => {
      if (isDecimal(wire.per_event_min) && isDecimal(wire.per_event_max) && wire.per_event_min.gt(wire.per_event_max)) {
        ctx.addIssue({ code: 'custom', path: ['per_event_min'], message: 'must not be greater than per_event_max' });
      }
      checkSpend(wire, ctx);
    }),
  )
  .transform(
    (wire): PercentagePrice =>
      compact({
        model: 'percentage' as const,
        ratePercent: wire.rate_percent,
        fixedFeePerEvent: wire.fixed_fee_per_event,
        freeEvents: wire.free_events,
        freeAmount: wire.free_amount,
        perEventMin: wire.per_event_min,
        perEventMax: wire.per_event_max,
        ...spendLimits(wire),
      }),
  );

const MatrixSchema = z
  .object({
    model: z.literal('matrix'),
    dimensions: z
      .array(
        lineText(200).refine((name) => name !== '__proto__', {
          message: 'must not be "__proto__" (a name that cannot be used)',
        }),
      )
      .min(1, { message: 'must name at least one dimension' })
      .meta({ description: 'The usage dimensions (e.g. model, region) that select the price' }),
    entries: z
      .array(
        z
          .object({
            match: z
              .record(z.string(), z.string())
              .meta({ description: 'A value for every dimension, e.g. {"model": "gpt", "region": "eu"}' }),
            price: NestedPriceSchema,
          })
          .strict(),
      )
      .meta({ description: 'One price per combination of dimension values; the first matching entry wins' }),
    default_price: NestedPriceSchema.optional().meta({ description: 'Price of combinations no entry matches' }),
    ...spendShape,
  })
  .strict()
  .meta({ title: 'matrix', description: 'A price per combination of dimension values, with an optional default' })
  .superRefine(
    tolerant((wire, ctx) => {
      const dimensions = arrayOf(wire.dimensions).filter((dimension) => typeof dimension === 'string');
      const declared = new Set<string>();
      for (const [index, dimension] of dimensions.entries()) {
        if (declared.has(dimension))
          ctx.addIssue({ code: 'custom', path: ['dimensions', index], message: 'duplicate dimension' });
        declared.add(dimension);
      }
      const seen = new Map<string, number>();
      const entries = arrayOf(wire.entries);
      for (const [index, entry] of entries.entries()) {
        const match = isRecord(entry) ? entry.match : undefined;
        if (!isRecord(match)) continue;
        const keys = Object.keys(match);
        const missing = [...declared].filter((dimension) => !Object.hasOwn(match, dimension));
        const unexpected = keys.filter((key) => !declared.has(key));
        if (missing.length > 0 || unexpected.length > 0) {
          const details = [
            missing.length > 0 ? `missing: ${missing.join(', ')}` : '',
            unexpected.length > 0 ? `unexpected: ${unexpected.join(', ')}` : '',
          ].filter((part) => part !== '');
          ctx.addIssue({
            code: 'custom',
            path: ['entries', index, 'match'],
            message: `match keys must be exactly the declared dimensions (${[...declared].join(', ')}); ${details.join('; ')}`,
          });
          continue;
        }
        const key = JSON.stringify(dimensions.map((dimension) => match[dimension]));
        const first = seen.get(key);
        if (first !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['entries', index, 'match'],
            message: `duplicates the match of entry ${first}`,
          });
        } else {
          seen.set(key, index);
        }
      }
      if (Array.isArray(wire.entries) && wire.entries.length === 0 && wire.default_price === undefined) {
        ctx.addIssue({ code: 'custom', path: ['entries'], message: 'needs at least one entry or a default_price' });
      }
      checkSpend(wire, ctx);
    }),
  )
  .transform(
    (wire): MatrixPrice =>
      compact({
        model: 'matrix' as const,
        dimensions: wire.dimensions,
        entries: wire.entries.map((entry) => ({ match: entry.match, price: entry.price })),
        defaultPrice: wire.default_price,
        ...spendLimits(wire),
      }),
  );

const WALL_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const WALL_TIME_OR_END_OF_DAY = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;

const TimeBandSchema = z
  .object({
    name: lineText(100),
    days: z
      .array(z.enum(WEEKDAYS))
      .min(1, { message: 'must name at least one day' })
      .meta({ description: 'Days the band starts on (mon..sun); an overnight band continues into the next day' }),
    from: z
      .string()
      .regex(WALL_TIME, { message: 'must be a local time HH:MM between 00:00 and 23:59' })
      .meta({ description: 'Local start time HH:MM, inclusive' }),
    to: z
      .string()
      .regex(WALL_TIME_OR_END_OF_DAY, { message: 'must be a local time HH:MM between 00:00 and 24:00' })
      .meta({ description: 'Local end time HH:MM, exclusive; 24:00 = end of day; to earlier than from = overnight' }),
    price: NestedPriceSchema,
  })
  .strict()
  .superRefine(
    tolerant((band, ctx) => {
      if (band.from === band.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must differ from from' });
    }),
  );

const TimeOfUseSchema = z
  .object({
    model: z.literal('time_of_use'),
    bands: z.array(TimeBandSchema).min(1, { message: 'must have at least one band' }),
    default_price: NestedPriceSchema.meta({ description: 'Price of usage outside all bands' }),
    ...spendShape,
  })
  .strict()
  .meta({
    title: 'time_of_use',
    description:
      "Bands by weekday and local time in the customer's time zone, each with its own price; the first matching band wins",
  })
  .superRefine(
    tolerant((wire, ctx) => {
      const names = new Set<string>();
      for (const [index, band] of arrayOf(wire.bands).entries()) {
        if (!isRecord(band) || typeof band.name !== 'string') continue;
        if (names.has(band.name))
          ctx.addIssue({ code: 'custom', path: ['bands', index, 'name'], message: 'duplicate band name' });
        names.add(band.name);
      }
      checkSpend(wire, ctx);
    }),
  )
  .transform(
    (wire): TimeOfUsePrice => ({
      model: 'time_of_use',
      bands: wire.bands.map((band): TimeBand => ({ ...band })),
      defaultPrice: wire.default_price,
      ...spendLimits(wire),
    }),
  );

/** A price in its JSON form (snake_case, decimal strings) → the domain {@link Price}. */
export const PriceSchema: z.ZodType<Price, PriceWire> = z
  .discriminatedUnion(
    'model',
    [
      PerUnitSchema,
      PackageSchema,
      GraduatedSchema,
      VolumeSchema,
      OverageSchema,
      GraduatedPercentageSchema,
      PercentageSchema,
      MatrixSchema,
      TimeOfUseSchema,
    ],
    {
      error: (issue) =>
        issue.code === 'invalid_union' ? `model must be one of: ${PRICE_MODELS.join(', ')}` : undefined,
    },
  )
  .meta({
    id: 'Price',
    title: 'Price',
    description: `A price, selected by its model: ${PRICE_MODELS.join(', ')}. Amounts and quantities are decimal strings.`,
  });

/** The JSON input form of a price. */
