import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Decimal } from '../../../functions/domain/decimal.js';
import { PRICE_MODELS } from '../../../functions/domain/pricing/types.js';
import { UnsafeJsonNumber } from '../../../functions/schemas/json.js';
import { PriceSchema } from '../../../functions/schemas/price-model.js';

const perUnit = { model: 'per_unit', unit_price: '1' };
const tiers = [
  { up_to: '10', unit_price: '1' },
  { up_to: null, unit_price: '0.5' },
];

/** The issues of an invalid price as "path: message" strings. */
function issuesOf(input: unknown): string[] {
  const result = PriceSchema.safeParse(input);
  if (result.success) throw new Error('expected the price to be rejected');
  return result.error.issues.map((issue) => `${issue.path.join('/')}: ${issue.message}`);
}

describe('PriceSchema', () => {
  describe('turns the snake_case wire form into the camelCase domain price', () => {
    it('for a package price with every option', () => {
      const parsed = PriceSchema.parse({
        model: 'package',
        package_size: '100',
        package_price: 5,
        free_units: '10',
        rounding: 'down',
        minimum_spend: '1',
        maximum_spend: '100',
      });
      expect(parsed).toEqual({
        model: 'package',
        packageSize: new Decimal('100'),
        packagePrice: new Decimal('5'),
        freeUnits: new Decimal('10'),
        rounding: 'down',
        minimumSpend: new Decimal('1'),
        maximumSpend: new Decimal('100'),
      });
    });

    it('for unit, flat-fee and block tiers', () => {
      const parsed = PriceSchema.parse({
        model: 'volume',
        flat_fee_at_zero_usage: false,
        tiers: [
          { up_to: '10', unit_price: '1', flat_fee: '2' },
          { up_to: '20', block_size: '5', block_price: '3' },
          { up_to: null },
        ],
      });
      expect(parsed).toEqual({
        model: 'volume',
        flatFeeAtZeroUsage: false,
        tiers: [
          { upTo: new Decimal(10), unitPrice: new Decimal(1), flatFee: new Decimal(2) },
          { upTo: new Decimal(20), blockSize: new Decimal(5), blockPrice: new Decimal(3) },
          { upTo: null },
        ],
      });
    });

    it('for a percentage price', () => {
      expect(
        PriceSchema.parse({
          model: 'percentage',
          rate_percent: '2.9',
          fixed_fee_per_event: '0.30',
          free_events: 3,
          free_amount: '100',
          per_event_min: '0.5',
          per_event_max: '5',
        }),
      ).toEqual({
        model: 'percentage',
        ratePercent: new Decimal('2.9'),
        fixedFeePerEvent: new Decimal('0.3'),
        freeEvents: 3,
        freeAmount: new Decimal(100),
        perEventMin: new Decimal('0.5'),
        perEventMax: new Decimal(5),
      });
    });

    it('for nested matrix and time_of_use prices', () => {
      const parsed = PriceSchema.parse({
        model: 'matrix',
        dimensions: ['region'],
        entries: [
          {
            match: { region: 'eu' },
            price: {
              model: 'time_of_use',
              bands: [{ name: 'peak', days: ['mon'], from: '08:00', to: '24:00', price: perUnit }],
              default_price: { model: 'overage', included_units: '5', unit_price: '1' },
            },
          },
        ],
      });
      expect(parsed).toEqual({
        model: 'matrix',
        dimensions: ['region'],
        entries: [
          {
            match: { region: 'eu' },
            price: {
              model: 'time_of_use',
              bands: [
                {
                  name: 'peak',
                  days: ['mon'],
                  from: '08:00',
                  to: '24:00',
                  price: { model: 'per_unit', unitPrice: new Decimal(1) },
                },
              ],
              defaultPrice: { model: 'overage', includedUnits: new Decimal(5), unitPrice: new Decimal(1) },
            },
          },
        ],
      });
    });

    it('accepts exact JSON numbers and rejects inexact ones', () => {
      expect(PriceSchema.parse({ model: 'per_unit', unit_price: 0.25 })).toEqual({
        model: 'per_unit',
        unitPrice: new Decimal('0.25'),
      });
      expect(issuesOf({ model: 'per_unit', unit_price: new UnsafeJsonNumber('0.1000000000000000055511') })[0]).toMatch(
        /^unit_price: the JSON number 0.1000000000000000055511 has more digits/,
      );
    });
  });

  it.each<[string, unknown, string]>([
    ['an unknown model', { model: 'tiered' }, `model: model must be one of: ${PRICE_MODELS.join(', ')}`],
    ['a missing model', { unit_price: '1' }, `model: model must be one of: ${PRICE_MODELS.join(', ')}`],
    ['a negative unit price', { model: 'per_unit', unit_price: '-1' }, 'unit_price: must not be negative'],
    [
      'a non-decimal unit price',
      { model: 'per_unit', unit_price: 'ten' },
      'unit_price: must be a decimal string such as "12.50", got "ten"',
    ],
    ['an unknown field', { model: 'per_unit', unit_price: '1', unitPrice: '1' }, ': Unrecognized key: "unitPrice"'],
    [
      'a zero package size',
      { model: 'package', package_size: '0', package_price: '1' },
      'package_size: must be greater than 0',
    ],
    [
      'an unknown package rounding',
      { model: 'package', package_size: '1', package_price: '1', rounding: 'nearest' },
      'rounding: Invalid option: expected one of "up"|"down"',
    ],
    [
      'tiers that do not increase',
      { model: 'graduated', tiers: [{ up_to: '10' }, { up_to: '10' }, { up_to: null }] },
      "tiers/1/up_to: must be greater than the previous tier's up_to",
    ],
    [
      'a last tier with an upper bound',
      { model: 'volume', tiers: [{ up_to: '10' }, { up_to: '20' }] },
      'tiers/1/up_to: the last tier must have up_to null (open-ended)',
    ],
    [
      'an open-ended tier before the last',
      { model: 'graduated', tiers: [{ up_to: null }, { up_to: null }] },
      'tiers/0/up_to: only the last tier may have up_to null (open-ended)',
    ],
    ['no tiers', { model: 'graduated', tiers: [] }, 'tiers: must have at least one tier'],
    [
      'a zero up_to',
      { model: 'graduated', tiers: [{ up_to: '0' }, { up_to: null }] },
      'tiers/0/up_to: must be greater than 0',
    ],
    [
      'a tier mixing unit_price with block_size',
      { model: 'graduated', tiers: [{ up_to: null, unit_price: '1', block_size: '10', block_price: '1' }] },
      'tiers/0/block_size: a tier is priced either per unit (unit_price) or per block (block_size and block_price), not both',
    ],
    [
      'a block tier without block_price',
      { model: 'volume', tiers: [{ up_to: null, block_size: '10' }] },
      'tiers/0/block_price: block_size needs block_price',
    ],
    [
      'a negative flat fee',
      { model: 'graduated', tiers: [{ up_to: null, flat_fee: '-5' }] },
      'tiers/0/flat_fee: must not be negative',
    ],
    [
      'an unknown tier field',
      { model: 'graduated', tiers: [{ up_to: null, price: '1' }] },
      'tiers/0: Unrecognized key: "price"',
    ],
    [
      'a rate above 100 %',
      { model: 'graduated_percentage', tiers: [{ up_to: null, rate_percent: '101' }] },
      'tiers/0/rate_percent: must be between 0 and 100',
    ],
    ['a negative rate', { model: 'percentage', rate_percent: '-0.5' }, 'rate_percent: must be between 0 and 100'],
    [
      'fractional free events',
      { model: 'percentage', rate_percent: '1', free_events: 1.5 },
      'free_events: must be an integer >= 0',
    ],
    [
      'negative free events',
      { model: 'percentage', rate_percent: '1', free_events: -1 },
      'free_events: must be an integer >= 0',
    ],
    [
      'free events as a string',
      { model: 'percentage', rate_percent: '1', free_events: '3' },
      'free_events: must be an integer >= 0',
    ],
    [
      'a per-event minimum above the maximum',
      { model: 'percentage', rate_percent: '1', per_event_min: '5', per_event_max: '4' },
      'per_event_min: must not be greater than per_event_max',
    ],
    [
      'a minimum spend above the maximum spend',
      { model: 'per_unit', unit_price: '1', minimum_spend: '10', maximum_spend: '9' },
      'minimum_spend: must not be greater than maximum_spend',
    ],
    [
      'a negative minimum spend',
      { model: 'per_unit', unit_price: '1', minimum_spend: '-1' },
      'minimum_spend: must not be negative',
    ],
    [
      'a matrix entry with a missing dimension',
      { model: 'matrix', dimensions: ['model', 'region'], entries: [{ match: { model: 'a' }, price: perUnit }] },
      'entries/0/match: match keys must be exactly the declared dimensions (model, region); missing: region',
    ],
    [
      'a matrix entry with an undeclared dimension',
      { model: 'matrix', dimensions: ['model'], entries: [{ match: { model: 'a', region: 'eu' }, price: perUnit }] },
      'entries/0/match: match keys must be exactly the declared dimensions (model); unexpected: region',
    ],
    [
      'a duplicate matrix entry',
      {
        model: 'matrix',
        dimensions: ['model'],
        entries: [
          { match: { model: 'a' }, price: perUnit },
          { match: { model: 'a' }, price: perUnit },
        ],
      },
      'entries/1/match: duplicates the match of entry 0',
    ],
    [
      'a matrix without entries or default',
      { model: 'matrix', dimensions: ['model'], entries: [] },
      'entries: needs at least one entry or a default_price',
    ],
    [
      'an invalid nested price',
      {
        model: 'matrix',
        dimensions: ['m'],
        entries: [{ match: { m: 'a' }, price: { model: 'per_unit', unit_price: '-1' } }],
      },
      'entries/0/price/unit_price: must not be negative',
    ],
    [
      'a time band with an unknown day',
      {
        model: 'time_of_use',
        bands: [{ name: 'x', days: ['monday'], from: '08:00', to: '09:00', price: perUnit }],
        default_price: perUnit,
      },
      'bands/0/days/0: Invalid option: expected one of "mon"|"tue"|"wed"|"thu"|"fri"|"sat"|"sun"',
    ],
    [
      'a time band starting at 24:00',
      {
        model: 'time_of_use',
        bands: [{ name: 'x', days: ['mon'], from: '24:00', to: '09:00', price: perUnit }],
        default_price: perUnit,
      },
      'bands/0/from: must be a local time HH:MM between 00:00 and 23:59',
    ],
    [
      'a time band with a malformed time',
      {
        model: 'time_of_use',
        bands: [{ name: 'x', days: ['mon'], from: '8:00', to: '09:60', price: perUnit }],
        default_price: perUnit,
      },
      'bands/0/from: must be a local time HH:MM between 00:00 and 23:59',
    ],
    [
      'a time band ending at 24:01',
      {
        model: 'time_of_use',
        bands: [{ name: 'x', days: ['mon'], from: '08:00', to: '24:01', price: perUnit }],
        default_price: perUnit,
      },
      'bands/0/to: must be a local time HH:MM between 00:00 and 24:00',
    ],
    [
      'an empty time band',
      {
        model: 'time_of_use',
        bands: [{ name: 'x', days: ['mon'], from: '08:00', to: '08:00', price: perUnit }],
        default_price: perUnit,
      },
      'bands/0/to: must differ from from',
    ],
    [
      'duplicate band names',
      {
        model: 'time_of_use',
        bands: [
          { name: 'x', days: ['mon'], from: '08:00', to: '09:00', price: perUnit },
          { name: 'x', days: ['tue'], from: '08:00', to: '09:00', price: perUnit },
        ],
        default_price: perUnit,
      },
      'bands/1/name: duplicate band name',
    ],
  ])('rejects %s with the path and message of the field', (_name, input, expected) => {
    expect(issuesOf(input)).toContain(expected);
  });

  it('reports a tier order error even when another tier field is invalid', () => {
    const issues = issuesOf({
      model: 'graduated',
      tiers: [{ up_to: '10', unit_price: '1' }, { up_to: '5', unit_price: '-1' }, { up_to: null }],
    });
    expect(issues).toEqual([
      'tiers/1/unit_price: must not be negative',
      "tiers/1/up_to: must be greater than the previous tier's up_to",
    ]);
  });

  it('requires a default_price on time_of_use', () => {
    expect(
      issuesOf({
        model: 'time_of_use',
        bands: [{ name: 'x', days: ['mon'], from: '08:00', to: '09:00', price: perUnit }],
      }),
    ).toEqual([expect.stringMatching(/^default_price: /)]);
  });

  it('accepts an overnight band (to earlier than from)', () => {
    expect(
      PriceSchema.safeParse({
        model: 'time_of_use',
        bands: [{ name: 'night', days: ['fri'], from: '22:00', to: '06:00', price: perUnit }],
        default_price: perUnit,
      }).success,
    ).toBe(true);
  });

  it('accepts a graduated price with tiers that strictly increase', () => {
    expect(PriceSchema.safeParse({ model: 'graduated', tiers }).success).toBe(true);
  });

  it('produces a JSON Schema document for the recursive input form', () => {
    const document = z.toJSONSchema(PriceSchema, { io: 'input', unrepresentable: 'any' });
    const text = JSON.stringify(document);
    expect(text).toContain('"#/$defs/Price"');
    for (const model of PRICE_MODELS) expect(text).toContain(`"const":"${model}"`);
    expect(text).toContain('Inclusive upper bound of the cumulative quantity');
  });
});
