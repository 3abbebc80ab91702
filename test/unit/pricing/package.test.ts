import { describe, expect, it } from 'vitest';
import { evaluateQuantity, lineAmounts, total } from './helpers.js';

describe('package', () => {
  const per100 = { model: 'package', package_size: '100', package_price: '5' } as const;

  it.each([
    ['0', '0'],
    ['1', '5'],
    ['99.999', '5'],
    ['100', '5'],
    ['100.001', '10'],
    ['101', '10'],
    ['200', '10'],
    ['201', '15'],
  ])('rounds partial packages up by default: %s units cost %s', (quantity, expected) => {
    expect(total(evaluateQuantity(per100, quantity))).toBe(expected);
  });

  it.each([
    ['0', '0'],
    ['99', '0'],
    ['100', '5'],
    ['199.99', '5'],
    ['250', '10'],
  ])('drops partial packages with rounding down: %s units cost %s', (quantity, expected) => {
    expect(total(evaluateQuantity({ ...per100, rounding: 'down' }, quantity))).toBe(expected);
  });

  it.each([
    ['0', '0'],
    ['50', '0'],
    ['100', '0'],
    ['100.5', '5'],
    ['200', '5'],
    ['250', '10'],
  ])('takes 100 free units off before packaging: %s units cost %s', (quantity, expected) => {
    expect(total(evaluateQuantity({ ...per100, free_units: '100' }, quantity))).toBe(expected);
  });

  it('handles fractional package sizes exactly (5.001 units in packages of 2.5 = 3 packages)', () => {
    const fractional = { model: 'package', package_size: '2.5', package_price: '1.1' } as const;
    expect(total(evaluateQuantity(fractional, '5'))).toBe('2.2');
    expect(total(evaluateQuantity(fractional, '5.001'))).toBe('3.3');
  });

  it('matches Lago: 121 units in packages of 10 at 100 = 1300; with 10 free units = 1200', () => {
    const lago = { model: 'package', package_size: '10', package_price: '100' } as const;
    expect(total(evaluateQuantity(lago, '121'))).toBe('1300');
    expect(total(evaluateQuantity({ ...lago, free_units: '10' }, '121'))).toBe('1200');
  });

  it('shows the free units as a zero line and the packages billed on the usage line', () => {
    const evaluation = evaluateQuantity({ ...per100, free_units: '100' }, '250');
    expect(evaluation.lines.map((line) => line.kind)).toEqual(['included', 'usage']);
    expect(lineAmounts(evaluation)).toEqual(['0', '10']);
    const [free, usage] = evaluation.lines;
    expect(free?.quantity.toString()).toBe('100');
    expect(usage?.quantity.toString()).toBe('150');
    expect(usage?.blocks?.toString()).toBe('2');
    expect(usage?.blockSize?.toString()).toBe('100');
    expect(usage?.blockPrice?.toString()).toBe('5');
  });

  it('reports only the used part of the free units when usage is below them', () => {
    const evaluation = evaluateQuantity({ ...per100, free_units: '100' }, '30');
    expect(evaluation.lines[0]?.quantity.toString()).toBe('30');
    expect(evaluation.lines[1]?.quantity.toString()).toBe('0');
    expect(evaluation.lines[1]?.blocks?.toString()).toBe('0');
  });
});
