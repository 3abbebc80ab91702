import { describe, expect, it } from 'vitest';
import { evaluateQuantity, total } from './helpers.js';

describe('volume', () => {
  const stripeFonts = {
    model: 'volume',
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
    ['5.001', '32.5065'],
    ['6', '39'],
    ['10', '65'],
    ['20', '120'],
    ['25', '150'],
  ])('bills the whole quantity at its tier (Stripe fonts example): %s units cost %s', (quantity, expected) => {
    expect(total(evaluateQuantity(stripeFonts, quantity))).toBe(expected);
  });

  it('matches Stripe docs: up_to 5/10/15/20/inf at 5/4/3/2/1, 6 → 24, 20 → 40, 25 → 25', () => {
    const stripe = {
      model: 'volume',
      tiers: [
        { up_to: '5', unit_price: '5' },
        { up_to: '10', unit_price: '4' },
        { up_to: '15', unit_price: '3' },
        { up_to: '20', unit_price: '2' },
        { up_to: null, unit_price: '1' },
      ],
    } as const;
    expect(['1', '5', '6', '20', '25'].map((quantity) => total(evaluateQuantity(stripe, quantity)))).toEqual([
      '5',
      '25',
      '24',
      '40',
      '25',
    ]);
  });

  describe('with flat fees (Lago volume spec: 0-100 at 2 + 10, 101-200 at 1, 201+ at 0.5 + 50)', () => {
    const lago = {
      model: 'volume',
      tiers: [
        { up_to: '100', unit_price: '2', flat_fee: '10' },
        { up_to: '200', unit_price: '1', flat_fee: '0' },
        { up_to: null, unit_price: '0.5', flat_fee: '50' },
      ],
    } as const;

    it.each([
      ['1', '12'],
      ['100', '210'],
      ['100.001', '100.001'],
      ['101', '101'],
      ['200', '200'],
      ['300', '200'],
    ])('%s units cost %s', (quantity, expected) => {
      expect(total(evaluateQuantity(lago, quantity))).toBe(expected);
    });

    it('bills the first tier’s flat fee at zero usage by default', () => {
      expect(total(evaluateQuantity(lago, '0'))).toBe('10');
    });

    it('bills nothing at zero usage when flat_fee_at_zero_usage is false (as Lago)', () => {
      expect(total(evaluateQuantity({ ...lago, flat_fee_at_zero_usage: false }, '0'))).toBe('0');
    });

    it('writes one line naming the selected tier', () => {
      const evaluation = evaluateQuantity(lago, '150');
      expect(evaluation.lines).toHaveLength(1);
      const [line] = evaluation.lines;
      expect(line?.tier?.index).toBe(1);
      expect(line?.tier?.from.toString()).toBe('100');
      expect(line?.quantity.toString()).toBe('150');
      expect(line?.description).toBe('Tier 2 (over 100 up to 200), all units: 150 × 1 + flat fee 0');
    });
  });

  describe('with block tiers', () => {
    const blocks = {
      model: 'volume',
      tiers: [
        { up_to: '100', block_size: '10', block_price: '1' },
        { up_to: null, block_size: '50', block_price: '2' },
      ],
    } as const;

    it.each([
      ['0', '0'],
      ['1', '1'],
      ['95', '10'],
      ['100', '10'],
      ['100.5', '6'],
      ['150', '6'],
      ['151', '8'],
    ])('rounds the whole quantity up to blocks of its tier: %s units cost %s', (quantity, expected) => {
      expect(total(evaluateQuantity(blocks, quantity))).toBe(expected);
    });
  });
});
