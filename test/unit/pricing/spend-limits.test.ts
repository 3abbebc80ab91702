import { describe, expect, it } from 'vitest';
import { evaluate, evaluateQuantity, lineAmounts, total, usage } from './helpers.js';

describe('minimum_spend and maximum_spend', () => {
  const limited = { model: 'per_unit', unit_price: '0.1', minimum_spend: '10', maximum_spend: '15' } as const;

  it.each([
    ['0', '10'],
    ['50', '10'],
    ['100', '10'],
    ['120', '12'],
    ['150', '15'],
    ['200', '15'],
  ])('keeps the total within [10, 15]: %s units cost %s', (quantity, expected) => {
    expect(total(evaluateQuantity(limited, quantity))).toBe(expected);
  });

  it('raises the total with a minimum_spend line for the difference', () => {
    const evaluation = evaluateQuantity(limited, '50');
    expect(evaluation.lines.map((line) => line.kind)).toEqual(['usage', 'minimum_spend']);
    expect(lineAmounts(evaluation)).toEqual(['5', '5']);
    expect(evaluation.lines[1]?.description).toBe('raised from 5 to the minimum spend 10');
  });

  it('caps the total with a negative maximum_spend line', () => {
    const evaluation = evaluateQuantity(limited, '200');
    expect(evaluation.lines.map((line) => line.kind)).toEqual(['usage', 'maximum_spend']);
    expect(lineAmounts(evaluation)).toEqual(['20', '-5']);
  });

  it('adds no line when the total is exactly at a limit', () => {
    expect(evaluateQuantity(limited, '100').lines).toHaveLength(1);
    expect(evaluateQuantity(limited, '150').lines).toHaveLength(1);
  });

  it('applies to the total of a tiered price, after flat fees', () => {
    const graduated = {
      model: 'graduated',
      minimum_spend: '20',
      tiers: [
        { up_to: '10', unit_price: '1', flat_fee: '5' },
        { up_to: null, unit_price: '0.5' },
      ],
    } as const;
    expect(total(evaluateQuantity(graduated, '10'))).toBe('20');
    expect(total(evaluateQuantity(graduated, '40'))).toBe('30');
  });

  it('applies a nested price’s limits to its own group, and the outer limits to the whole', () => {
    const matrix = {
      model: 'matrix',
      dimensions: ['region'],
      maximum_spend: '25',
      entries: [{ match: { region: 'eu' }, price: { model: 'per_unit', unit_price: '1', minimum_spend: '10' } }],
      default_price: { model: 'per_unit', unit_price: '1' },
    } as const;
    const small = evaluate(matrix, { usage: [usage('2', { region: 'eu' }), usage('3', { region: 'us' })] });
    expect(lineAmounts(small)).toEqual(['10', '3']);
    const large = evaluate(matrix, { usage: [usage('20', { region: 'eu' }), usage('30', { region: 'us' })] });
    expect(lineAmounts(large)).toEqual(['20', '30', '-25']);
    expect(total(large)).toBe('25');
  });
});
