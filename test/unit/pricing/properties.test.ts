import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../../functions/domain/decimal.js';
import {
  formatAmount,
  formatDecimal,
  minorUnits,
  ROUNDING_MODES,
  roundMoney,
} from '../../../functions/domain/money.js';
import { evaluatePrice } from '../../../functions/domain/pricing/index.js';
import type { PriceInput } from '../../../functions/domain/pricing/types.js';
import type { PriceWire } from '../../../functions/schemas/price-model.js';
import { price, sumLines } from './helpers.js';

/** Non-negative decimals with up to 4 fraction digits, as strings ("1234.5678"). */
const decimalText = (maxUnits = 1_000_000) =>
  fc
    .tuple(fc.integer({ min: 0, max: maxUnits }), fc.integer({ min: 0, max: 9999 }))
    .map(([units, fraction]) => new Decimal(`${units}.${String(fraction).padStart(4, '0')}`).toString());

/** Strictly increasing positive up_to bounds followed by null. */
const tierBounds = fc
  .array(
    decimalText(1000).filter((text) => text !== '0'),
    { minLength: 0, maxLength: 5 },
  )
  .map((bounds) => [...new Set(bounds)].sort((a, b) => new Decimal(a).comparedTo(b)));

const tierArbitrary = (bound: string | null) =>
  fc.oneof(
    fc.record({
      up_to: fc.constant(bound),
      unit_price: decimalText(100),
      flat_fee: fc.option(decimalText(50), { nil: undefined }),
    }),
    fc.record({
      up_to: fc.constant(bound),
      block_size: decimalText(100).filter((text) => text !== '0'),
      block_price: decimalText(100),
      flat_fee: fc.option(decimalText(50), { nil: undefined }),
    }),
  );

const tiersArbitrary = tierBounds.chain((bounds) =>
  fc.tuple(...[...bounds, null].map((bound) => tierArbitrary(bound))),
);

const withoutUndefined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;

const graduatedArbitrary = fc.tuple(tiersArbitrary, fc.boolean()).map(
  ([tiers, flatFeeAtZeroUsage]): PriceWire => ({
    model: 'graduated',
    flat_fee_at_zero_usage: flatFeeAtZeroUsage,
    tiers: tiers.map(withoutUndefined),
  }),
);

const volumeArbitrary = tiersArbitrary.map(
  (tiers): PriceWire => ({ model: 'volume', tiers: tiers.map(withoutUndefined) }),
);

const percentageArbitrary = fc
  .record({
    rate_percent: fc
      .integer({ min: 0, max: 10000 })
      .map((basisPoints) => new Decimal(basisPoints).dividedBy(100).toString()),
    fixed_fee_per_event: fc.option(decimalText(5), { nil: undefined }),
    free_events: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
    free_amount: fc.option(decimalText(500), { nil: undefined }),
    per_event_min: fc.option(decimalText(2), { nil: undefined }),
    per_event_max: fc.option(fc.integer({ min: 3, max: 50 }).map(String), { nil: undefined }),
  })
  .map((options): PriceWire => ({ model: 'percentage', ...withoutUndefined(options) }));

const simpleArbitrary: fc.Arbitrary<PriceWire> = fc.oneof(
  decimalText(10).map((unit_price): PriceWire => ({ model: 'per_unit', unit_price })),
  fc
    .record({
      package_size: decimalText(100).filter((text) => text !== '0'),
      package_price: decimalText(100),
      free_units: decimalText(100),
      rounding: fc.constantFrom('up' as const, 'down' as const),
    })
    .map((options): PriceWire => ({ model: 'package', ...options })),
  fc
    .record({ included_units: decimalText(1000), unit_price: decimalText(10) })
    .map((options): PriceWire => ({ model: 'overage', ...options })),
  graduatedArbitrary,
  volumeArbitrary,
  tiersArbitrary.map(
    (tiers): PriceWire => ({
      model: 'graduated_percentage',
      tiers: tiers.map((tier) => withoutUndefined({ up_to: tier.up_to, rate_percent: '1.5', flat_fee: tier.flat_fee })),
    }),
  ),
  percentageArbitrary,
);

const withSpendLimits = fc
  .tuple(
    simpleArbitrary,
    fc.option(decimalText(100), { nil: undefined }),
    fc.option(decimalText(100), { nil: undefined }),
  )
  .map(([wire, first, second]): PriceWire => {
    if (first === undefined || second === undefined) return wire;
    const [minimum_spend, maximum_spend] = [first, second].sort((a, b) => new Decimal(a).comparedTo(b));
    return { ...wire, minimum_spend, maximum_spend } as PriceWire;
  });

const anyPriceArbitrary: fc.Arbitrary<PriceWire> = fc.oneof(
  withSpendLimits,
  fc.tuple(withSpendLimits, withSpendLimits).map(
    ([eu, fallback]): PriceWire => ({
      model: 'matrix',
      dimensions: ['region'],
      entries: [{ match: { region: 'eu' }, price: eu }],
      default_price: fallback,
    }),
  ),
  fc.tuple(withSpendLimits, withSpendLimits).map(
    ([night, day]): PriceWire => ({
      model: 'time_of_use',
      bands: [
        {
          name: 'night',
          days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
          from: '22:00',
          to: '06:00',
          price: night,
        },
      ],
      default_price: day,
    }),
  ),
);

const usageArbitrary = fc.array(
  fc.record({
    region: fc.constantFrom('eu', 'us'),
    quantity: decimalText(2000),
    time: fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 0, 1) }),
  }),
  { maxLength: 8 },
);

describe('pricing properties', () => {
  it('graduated totals never decrease as the quantity grows', () => {
    fc.assert(
      fc.property(graduatedArbitrary, decimalText(3000), decimalText(3000), (wire, a, b) => {
        const priced = price(wire);
        const [low, high] = [new Decimal(a), new Decimal(b)].sort((x, y) => x.comparedTo(y)) as [Decimal, Decimal];
        const lowTotal = evaluatePrice(priced, { quantity: low }).preciseAmount;
        const highTotal = evaluatePrice(priced, { quantity: high }).preciseAmount;
        expect(highTotal.gte(lowTotal)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('the lines of every model sum exactly to the total, at every nesting level', () => {
    fc.assert(
      fc.property(anyPriceArbitrary, usageArbitrary, (wire, records) => {
        const input: PriceInput = {
          usage: records.map((record) => ({
            dimensions: { region: record.region },
            quantity: new Decimal(record.quantity),
            time: new Date(record.time),
          })),
          timeZone: 'Europe/Berlin',
        };
        const evaluation = evaluatePrice(price(wire), input);
        const check = (lines: typeof evaluation.lines, expected: Decimal) => {
          expect(formatDecimal(sumLines(lines))).toBe(formatDecimal(expected));
          for (const line of lines) if (line.lines !== undefined) check(line.lines, line.preciseAmount);
        };
        check(evaluation.lines, evaluation.preciseAmount);
      }),
      { numRuns: 400 },
    );
  });

  it('minimum and maximum spend keep every total within its limits', () => {
    fc.assert(
      fc.property(withSpendLimits, decimalText(3000), (wire, quantity) => {
        const priced = price(wire);
        const { preciseAmount } = evaluatePrice(priced, { quantity: new Decimal(quantity) });
        if (priced.minimumSpend !== undefined) expect(preciseAmount.gte(priced.minimumSpend)).toBe(true);
        if (priced.maximumSpend !== undefined) expect(preciseAmount.lte(priced.maximumSpend)).toBe(true);
      }),
    );
  });

  const currencyArbitrary = fc.constantFrom('USD', 'EUR', 'JPY', 'KRW', 'BHD', 'KWD', 'GBP');
  const signedAmount = fc
    .tuple(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.integer({ min: 0, max: 8 }))
    .map(([digits, scale]) => new Decimal(digits.toString()).dividedBy(new Decimal(10).pow(scale)));

  it('formatAmount is the amount rounded to the currency’s minor unit, with exactly that many digits', () => {
    fc.assert(
      fc.property(signedAmount, currencyArbitrary, fc.constantFrom(...ROUNDING_MODES), (amount, currency, mode) => {
        const text = formatAmount(amount, currency, mode);
        expect(new Decimal(text).eq(roundMoney(amount, currency, mode))).toBe(true);
        const digits = minorUnits(currency);
        expect(text.split('.')[1]?.length ?? 0).toBe(digits);
      }),
    );
  });

  it('half-up and half-even amounts are within half a minor unit of the precise amount', () => {
    fc.assert(
      fc.property(
        signedAmount,
        currencyArbitrary,
        fc.constantFrom('half_up' as const, 'half_even' as const),
        (amount, currency, mode) => {
          const halfUnit = new Decimal(10).pow(-minorUnits(currency)).dividedBy(2);
          expect(roundMoney(amount, currency, mode).minus(amount).abs().lte(halfUnit)).toBe(true);
        },
      ),
    );
  });

  it('up never rounds toward zero and down never rounds away from zero, within one minor unit', () => {
    fc.assert(
      fc.property(signedAmount, currencyArbitrary, (amount, currency) => {
        const unit = new Decimal(10).pow(-minorUnits(currency));
        const up = roundMoney(amount, currency, 'up');
        const down = roundMoney(amount, currency, 'down');
        expect(up.abs().gte(amount.abs())).toBe(true);
        expect(down.abs().lte(amount.abs())).toBe(true);
        expect(up.minus(down).abs().lte(unit)).toBe(true);
      }),
    );
  });
});
