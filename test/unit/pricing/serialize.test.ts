import { describe, expect, it } from 'vitest';
import { UnknownCurrencyError } from '../../../functions/domain/money.js';
import { toWireEvaluation } from '../../../functions/domain/pricing/serialize.js';
import { evaluate, evaluateQuantity, usage } from './helpers.js';

describe('toWireEvaluation', () => {
  const graduated = {
    model: 'graduated',
    tiers: [
      { up_to: '10', unit_price: '0.0125', flat_fee: '1' },
      { up_to: null, unit_price: '0.0075' },
    ],
  } as const;

  it('writes snake_case decimal strings, a rounded amount per line and for the total, and omits absent fields', () => {
    const wire = toWireEvaluation(evaluateQuantity(graduated, '15'), 'EUR', 'half_up');
    expect(wire).toEqual({
      currency: 'EUR',
      quantity: '15',
      amount: '1.16',
      precise_amount: '1.1625',
      lines: [
        {
          kind: 'tier',
          description: 'Tier 1 (up to 10): 10 × 0.0125 + flat fee 1',
          quantity: '10',
          unit_price: '0.0125',
          flat_fee: '1',
          precise_amount: '1.125',
          amount: '1.13',
          tier: { index: 0, from: '0', up_to: '10' },
        },
        {
          kind: 'tier',
          description: 'Tier 2 (over 10): 5 × 0.0075',
          quantity: '5',
          unit_price: '0.0075',
          precise_amount: '0.0375',
          amount: '0.04',
          tier: { index: 1, from: '10', up_to: null },
        },
      ],
    });
  });

  it('rounds with the requested mode and the currency’s minor unit', () => {
    const evaluation = evaluateQuantity(graduated, '15');
    expect(toWireEvaluation(evaluation, 'EUR', 'half_even').lines[0]?.amount).toBe('1.12');
    expect(toWireEvaluation(evaluation, 'EUR', 'down').amount).toBe('1.16');
    expect(toWireEvaluation(evaluation, 'EUR', 'up').amount).toBe('1.17');
    expect(toWireEvaluation(evaluation, 'JPY', 'half_up').amount).toBe('1');
    expect(toWireEvaluation(evaluation, 'BHD', 'half_up').amount).toBe('1.163');
  });

  it('keeps nested lines of matrix groups, with their dimensions and model', () => {
    const matrix = {
      model: 'matrix',
      dimensions: ['region'],
      entries: [{ match: { region: 'eu' }, price: { model: 'per_unit', unit_price: '0.333' } }],
    } as const;
    const wire = toWireEvaluation(evaluate(matrix, { usage: [usage('3', { region: 'eu' })] }), 'USD', 'half_up');
    expect(wire.lines[0]).toEqual({
      kind: 'group',
      description: 'region="eu": 3 units',
      quantity: '3',
      precise_amount: '0.999',
      amount: '1.00',
      events: 1,
      dimensions: { region: 'eu' },
      model: 'per_unit',
      lines: [
        {
          kind: 'usage',
          description: '3 × 0.333',
          quantity: '3',
          unit_price: '0.333',
          precise_amount: '0.999',
          amount: '1.00',
        },
      ],
    });
  });

  it('survives a JSON round trip unchanged (plain data only)', () => {
    const wire = toWireEvaluation(evaluateQuantity(graduated, '15'), 'USD', 'half_up');
    expect(JSON.parse(JSON.stringify(wire))).toEqual(wire);
  });

  it('throws UnknownCurrencyError for an unknown currency', () => {
    expect(() => toWireEvaluation(evaluateQuantity(graduated, '1'), 'XYZ', 'half_up')).toThrow(UnknownCurrencyError);
  });
});
