import { describe, expect, it } from 'vitest';
import { evaluateQuantity, lineAmounts, total } from './helpers.js';

describe('overage', () => {
  const overage = { model: 'overage', included_units: '1000', unit_price: '0.002' } as const;

  it.each([
    ['0', '0'],
    ['999', '0'],
    ['1000', '0'],
    ['1000.5', '0.001'],
    ['1001', '0.002'],
    ['1500', '1'],
  ])('includes 1000 units, then 0.002 each: %s units cost %s', (quantity, expected) => {
    expect(total(evaluateQuantity(overage, quantity))).toBe(expected);
  });

  it('shows the included units and the overage as separate lines', () => {
    const evaluation = evaluateQuantity(overage, '1500');
    expect(evaluation.lines.map((line) => [line.kind, line.quantity.toString()])).toEqual([
      ['included', '1000'],
      ['usage', '500'],
    ]);
    expect(lineAmounts(evaluation)).toEqual(['0', '1']);
  });

  it('prices every unit when nothing is included, without an included line', () => {
    const evaluation = evaluateQuantity({ model: 'overage', included_units: '0', unit_price: '0.002' }, '10');
    expect(total(evaluation)).toBe('0.02');
    expect(evaluation.lines.map((line) => line.kind)).toEqual(['usage']);
  });
});
