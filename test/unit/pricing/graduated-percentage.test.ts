import { describe, expect, it } from 'vitest';
import { evaluateQuantity, lineAmounts, total } from './helpers.js';

describe('graduated_percentage', () => {
  const rates = {
    model: 'graduated_percentage',
    tiers: [
      { up_to: '1000', rate_percent: '1', flat_fee: '0.2' },
      { up_to: '10000', rate_percent: '0.5', flat_fee: '0.3' },
      { up_to: null, rate_percent: '0.25' },
    ],
  } as const;

  it.each([
    ['0', '0'],
    ['500', '5.2'],
    ['1000', '10.2'],
    ['1000.01', '10.50005'],
    ['10000', '55.5'],
    ['20000', '80.5'],
  ])('charges each portion at its rate plus reached flat fees: amount %s costs %s', (amount, expected) => {
    expect(total(evaluateQuantity(rates, amount))).toBe(expected);
  });

  it('charges no flat fee on a zero amount by default (as Lago)', () => {
    expect(total(evaluateQuantity(rates, '0'))).toBe('0');
  });

  it('charges the first flat fee on a zero amount when flat_fee_at_zero_usage is true', () => {
    expect(total(evaluateQuantity({ ...rates, flat_fee_at_zero_usage: true }, '0'))).toBe('0.2');
  });

  it('explains each tier with its rate and portion', () => {
    const evaluation = evaluateQuantity(rates, '20000');
    expect(evaluation.lines.map((line) => [line.quantity.toString(), line.ratePercent?.toString()])).toEqual([
      ['1000', '1'],
      ['9000', '0.5'],
      ['10000', '0.25'],
    ]);
    expect(lineAmounts(evaluation)).toEqual(['10.2', '45.3', '25']);
    expect(evaluation.lines[1]?.description).toBe('Tier 2 (over 1000 up to 10000): 0.5% of 9000 + flat fee 0.3');
  });
});
