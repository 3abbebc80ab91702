import { describe, expect, it } from 'vitest';
import { evaluatePrice, PriceInputError } from '../../../functions/domain/pricing/index.js';
import { d, evaluate, events, price, total, usage } from './helpers.js';

describe('price input', () => {
  const graduated = {
    model: 'graduated',
    tiers: [
      { up_to: '10', unit_price: '1' },
      { up_to: null, unit_price: '0.5' },
    ],
  } as const;

  it('prices the sum of usage records when a quantity model gets only usage', () => {
    expect(total(evaluate(graduated, { usage: [usage('8'), usage('8')] }))).toBe('13');
  });

  it('prices the sum of events when a quantity model gets only events', () => {
    expect(total(evaluate(graduated, { events: events('8', '8') }))).toBe('13');
  });

  it('prefers the quantity when a quantity model gets both quantity and usage', () => {
    expect(total(evaluate(graduated, { quantity: d('2'), usage: [usage('8')] }))).toBe('2');
  });

  it.each([
    ['per_unit', { model: 'per_unit', unit_price: '1' }],
    ['package', { model: 'package', package_size: '1', package_price: '1' }],
    ['graduated', graduated],
    ['overage', { model: 'overage', included_units: '1', unit_price: '1' }],
    ['percentage', { model: 'percentage', rate_percent: '1' }],
  ] as const)('rejects an empty input for %s with a PriceInputError', (model, wire) => {
    const run = () => evaluatePrice(price(wire), {});
    expect(run).toThrow(PriceInputError);
    expect(run).toThrow(`the ${model} model needs`);
  });

  it('rejects a negative quantity with a PriceInputError', () => {
    expect(() => evaluatePrice(price(graduated), { quantity: d('-1') })).toThrow(
      'the graduated model cannot price a negative quantity (-1)',
    );
  });

  it('rejects a negative usage quantity with a PriceInputError', () => {
    expect(() => evaluatePrice(price(graduated), { usage: [usage('-1')] })).toThrow(PriceInputError);
  });
});
