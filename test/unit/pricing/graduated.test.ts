import { describe, expect, it } from 'vitest';
import { formatDecimal } from '../../../functions/domain/money.js';
import { evaluateQuantity, lineAmounts, total } from './helpers.js';

describe('graduated', () => {
  // Stripe's tiered-pricing docs (Typographic fonts): 1-5 at 7, 6-10 at 6.50, 11+ at 6.
  const stripeFonts = {
    model: 'graduated',
    tiers: [
      { up_to: '5', unit_price: '7' },
      { up_to: '10', unit_price: '6.5' },
      { up_to: null, unit_price: '6' },
    ],
  } as const;

  it.each([
    ['0', '0'],
    ['1', '7'],
    ['5', '35'],
    ['5.001', '35.0065'],
    ['6', '41.5'],
    ['10', '67.5'],
    ['10.5', '70.5'],
    ['25', '157.5'],
  ])('prices each tier portion (Stripe fonts example): %s units cost %s', (quantity, expected) => {
    expect(total(evaluateQuantity(stripeFonts, quantity))).toBe(expected);
  });

  it('matches Stripe docs: up_to 5/10/15/20/inf at 5/4/3/2/1, 6 units cost 29 (25 + 4)', () => {
    const stripe = {
      model: 'graduated',
      tiers: [
        { up_to: '5', unit_price: '5' },
        { up_to: '10', unit_price: '4' },
        { up_to: '15', unit_price: '3' },
        { up_to: '20', unit_price: '2' },
        { up_to: null, unit_price: '1' },
      ],
    } as const;
    expect(total(evaluateQuantity(stripe, '6'))).toBe('29');
    expect(total(evaluateQuantity(stripe, '25'))).toBe('75');
  });

  it('writes one line per reached tier with the portion, the unit price and the tier bounds', () => {
    const evaluation = evaluateQuantity(stripeFonts, '12');
    expect(
      evaluation.lines.map((line) => ({
        quantity: formatDecimal(line.quantity),
        unitPrice: line.unitPrice && formatDecimal(line.unitPrice),
        tier: line.tier && [
          line.tier.index,
          formatDecimal(line.tier.from),
          line.tier.upTo && formatDecimal(line.tier.upTo),
        ],
      })),
    ).toEqual([
      { quantity: '5', unitPrice: '7', tier: [0, '0', '5'] },
      { quantity: '5', unitPrice: '6.5', tier: [1, '5', '10'] },
      { quantity: '2', unitPrice: '6', tier: [2, '10', null] },
    ]);
    expect(lineAmounts(evaluation)).toEqual(['35', '32.5', '12']);
    expect(evaluation.lines[1]?.description).toBe('Tier 2 (over 5 up to 10): 5 × 6.5');
  });

  describe('with flat fees', () => {
    const withFees = {
      model: 'graduated',
      tiers: [
        { up_to: '10', unit_price: '1', flat_fee: '5' },
        { up_to: '20', unit_price: '0.5', flat_fee: '3' },
        { up_to: null, unit_price: '0.25' },
      ],
    } as const;

    it.each([
      ['0', '5'],
      ['1', '6'],
      ['10', '15'],
      ['10.001', '18.0005'],
      ['20', '23'],
      ['21', '23.25'],
    ])('adds each reached tier’s flat fee once: %s units cost %s', (quantity, expected) => {
      expect(total(evaluateQuantity(withFees, quantity))).toBe(expected);
    });

    it('bills the first tier’s flat fee at zero usage', () => {
      const evaluation = evaluateQuantity(withFees, '0');
      expect(evaluation.lines).toHaveLength(1);
      expect(evaluation.lines[0]?.flatFee?.toString()).toBe('5');
      expect(evaluation.lines[0]?.quantity.toString()).toBe('0');
    });

    it('bills nothing at zero usage when flat_fee_at_zero_usage is false', () => {
      const evaluation = evaluateQuantity({ ...withFees, flat_fee_at_zero_usage: false }, '0');
      expect(total(evaluation)).toBe('0');
      expect(evaluation.lines[0]?.flatFee).toBeUndefined();
    });

    it('still bills the flat fee of every reached tier when flat_fee_at_zero_usage is false', () => {
      expect(total(evaluateQuantity({ ...withFees, flat_fee_at_zero_usage: false }, '10.001'))).toBe('18.0005');
    });

    it('puts the flat fee on the tier line that reached it', () => {
      const evaluation = evaluateQuantity(withFees, '15');
      expect(evaluation.lines.map((line) => line.flatFee?.toString())).toEqual(['5', '3']);
      expect(lineAmounts(evaluation)).toEqual(['15', '5.5']);
      expect(evaluation.lines[1]?.description).toBe('Tier 2 (over 10 up to 20): 5 × 0.5 + flat fee 3');
    });
  });

  it.each([
    ['0', '0'],
    ['1', '12'],
    ['10', '102'],
    ['11', '110'],
    ['12', '115'],
  ])('matches Lago’s graduated spec (0-10 at 10 + 2, 11+ at 5 + 3, no fee at 0): %s → %s', (quantity, expected) => {
    const lago = {
      model: 'graduated',
      flat_fee_at_zero_usage: false,
      tiers: [
        { up_to: '10', unit_price: '10', flat_fee: '2' },
        { up_to: null, unit_price: '5', flat_fee: '3' },
      ],
    } as const;
    expect(total(evaluateQuantity(lago, quantity))).toBe(expected);
  });

  describe('with block tiers', () => {
    const blocks = {
      model: 'graduated',
      tiers: [
        { up_to: '100', block_size: '10', block_price: '1' },
        { up_to: null, block_size: '50', block_price: '2' },
      ],
    } as const;

    it.each([
      ['0', '0'],
      ['1', '1'],
      ['10', '1'],
      ['10.5', '2'],
      ['11', '2'],
      ['100', '10'],
      ['100.5', '12'],
      ['150', '12'],
      ['151', '14'],
    ])('rounds each tier’s portion up to whole blocks: %s units cost %s', (quantity, expected) => {
      expect(total(evaluateQuantity(blocks, quantity))).toBe(expected);
    });

    it('reports blocks, block size and block price per tier', () => {
      const evaluation = evaluateQuantity(blocks, '151');
      expect(
        evaluation.lines.map((line) => [line.quantity, line.blocks, line.blockSize, line.blockPrice].map(String)),
      ).toEqual([
        ['100', '10', '10', '1'],
        ['51', '2', '50', '2'],
      ]);
    });
  });

  it('charges a flat-fee-only tier without a unit price', () => {
    const flatOnly = {
      model: 'graduated',
      tiers: [
        { up_to: '100', flat_fee: '20' },
        { up_to: null, unit_price: '0.1' },
      ],
    } as const;
    expect(total(evaluateQuantity(flatOnly, '50'))).toBe('20');
    expect(total(evaluateQuantity(flatOnly, '150'))).toBe('25');
  });

  it('treats a single open-ended tier as per-unit pricing', () => {
    expect(total(evaluateQuantity({ model: 'graduated', tiers: [{ up_to: null, unit_price: '0.25' }] }, '7'))).toBe(
      '1.75',
    );
  });
});
