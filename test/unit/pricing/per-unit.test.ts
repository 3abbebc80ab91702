import { describe, expect, it } from 'vitest';
import { evaluateQuantity, lineAmounts, total } from './helpers.js';

describe('per_unit', () => {
  const perUnit = { model: 'per_unit', unit_price: '0.5' } as const;

  it.each([
    ['0', '0'],
    ['1', '0.5'],
    ['12', '6'],
    ['0.001', '0.0005'],
    ['1000000000000', '500000000000'],
  ])('bills %s units at 0.5 as %s', (quantity, expected) => {
    expect(total(evaluateQuantity(perUnit, quantity))).toBe(expected);
  });

  it('multiplies exactly where binary floating point would not (3 × 0.1 = 0.3)', () => {
    expect(total(evaluateQuantity({ model: 'per_unit', unit_price: '0.1' }, '3'))).toBe('0.3');
  });

  it('keeps sub-cent unit prices unrounded (1234 × 0.00042 = 0.51828)', () => {
    expect(total(evaluateQuantity({ model: 'per_unit', unit_price: '0.00042' }, '1234'))).toBe('0.51828');
  });

  it('explains itself in one usage line with quantity and unit price', () => {
    const evaluation = evaluateQuantity(perUnit, '12');
    expect(evaluation.lines).toHaveLength(1);
    const [line] = evaluation.lines;
    expect(line?.kind).toBe('usage');
    expect(line?.description).toBe('12 × 0.5');
    expect(line?.quantity.toString()).toBe('12');
    expect(line?.unitPrice?.toString()).toBe('0.5');
    expect(lineAmounts(evaluation)).toEqual(['6']);
  });
});
