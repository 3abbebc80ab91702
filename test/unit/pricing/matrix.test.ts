import { describe, expect, it } from 'vitest';
import { evaluatePrice, PriceInputError, UnpricedUsageError } from '../../../functions/domain/pricing/index.js';
import { d, evaluate, lineAmounts, price, total, usage } from './helpers.js';

describe('matrix', () => {
  const llm = {
    model: 'matrix',
    dimensions: ['model', 'region'],
    entries: [
      { match: { model: 'large', region: 'eu' }, price: { model: 'per_unit', unit_price: '0.03' } },
      { match: { model: 'large', region: 'us' }, price: { model: 'per_unit', unit_price: '0.02' } },
      {
        match: { model: 'small', region: 'eu' },
        price: {
          model: 'graduated',
          tiers: [
            { up_to: '100', unit_price: '0.01' },
            { up_to: null, unit_price: '0.005' },
          ],
        },
      },
    ],
    default_price: { model: 'per_unit', unit_price: '0.05' },
  } as const;

  const records = [
    usage('100', { model: 'large', region: 'eu' }),
    usage('10', { model: 'other', region: 'eu' }),
    usage('10', { model: 'large', region: 'us' }),
    usage('100', { model: 'small', region: 'eu' }),
    usage('50', { model: 'large', region: 'eu', customer_tier: 'gold' }),
    usage('20', { model: 'other', region: 'us' }),
    usage('50', { model: 'small', region: 'eu' }),
  ];

  it('prices each combination with its entry and the rest with the default price', () => {
    expect(total(evaluate(llm, { usage: records }))).toBe('7.45');
  });

  it('writes one line per combination in entry order, then default combinations as first seen', () => {
    const evaluation = evaluate(llm, { usage: records });
    expect(evaluation.lines.map((line) => line.dimensions)).toEqual([
      { model: 'large', region: 'eu' },
      { model: 'large', region: 'us' },
      { model: 'small', region: 'eu' },
      { model: 'other', region: 'eu' },
      { model: 'other', region: 'us' },
    ]);
    expect(lineAmounts(evaluation)).toEqual(['4.5', '0.2', '1.25', '0.5', '1']);
    expect(evaluation.lines.map((line) => line.quantity.toString())).toEqual(['150', '10', '150', '10', '20']);
    expect(evaluation.lines[3]?.description).toBe('model="other", region="eu" (default price): 10 units');
    expect(evaluation.quantity.toString()).toBe('340');
  });

  it('sums quantities per combination before pricing (tiers apply to the group total)', () => {
    const evaluation = evaluate(llm, { usage: records });
    const small = evaluation.lines[2];
    expect(small?.model).toBe('graduated');
    expect(small?.lines?.map((line) => line.preciseAmount.toString())).toEqual(['1', '0.25']);
  });

  it('ignores record dimensions the matrix does not declare', () => {
    const evaluation = evaluate(llm, { usage: [usage('10', { model: 'large', region: 'eu', extra: 'x' })] });
    expect(total(evaluation)).toBe('0.3');
    expect(evaluation.lines[0]?.dimensions).toEqual({ model: 'large', region: 'eu' });
  });

  it('sends a record missing a dimension to the default price', () => {
    const evaluation = evaluate(llm, { usage: [usage('10', { model: 'large' })] });
    expect(total(evaluation)).toBe('0.5');
    expect(evaluation.lines[0]?.description).toBe('model="large", region (missing) (default price): 10 units');
  });

  it('throws UnpricedUsageError naming the combination when there is no default price', () => {
    const { default_price: _default, ...noDefault } = llm;
    const run = () => evaluatePrice(price(noDefault), { usage: records });
    expect(run).toThrow(UnpricedUsageError);
    expect(run).toThrow('no price for the combination model="other", region="eu" and the matrix has no default_price');
  });

  it('yields no line for entries without usage', () => {
    const evaluation = evaluate(llm, { usage: [usage('1', { model: 'large', region: 'us' })] });
    expect(evaluation.lines).toHaveLength(1);
  });

  it('applies a nested entry’s flat fee at zero group usage', () => {
    const withFee = {
      model: 'matrix',
      dimensions: ['plan'],
      entries: [
        {
          match: { plan: 'pro' },
          price: { model: 'graduated', tiers: [{ up_to: null, unit_price: '1', flat_fee: '9' }] },
        },
      ],
    } as const;
    expect(total(evaluate(withFee, { usage: [usage('0', { plan: 'pro' })] }))).toBe('9');
  });

  it('passes each group’s records down so nested percentage prices see every record as an event', () => {
    const payments = {
      model: 'matrix',
      dimensions: ['method'],
      entries: [
        {
          match: { method: 'card' },
          price: { model: 'percentage', rate_percent: '2.9', fixed_fee_per_event: '0.3' },
        },
      ],
      default_price: { model: 'percentage', rate_percent: '1' },
    } as const;
    const evaluation = evaluate(payments, {
      usage: [usage('100', { method: 'card' }), usage('50', { method: 'card' }), usage('200', { method: 'sepa' })],
    });
    // card: 2.9 % of 150 + 2 × 0.3 = 4.95; sepa: 1 % of 200 = 2
    expect(lineAmounts(evaluation)).toEqual(['4.95', '2']);
  });

  it('nests matrices', () => {
    const nested = {
      model: 'matrix',
      dimensions: ['region'],
      entries: [
        {
          match: { region: 'eu' },
          price: {
            model: 'matrix',
            dimensions: ['model'],
            entries: [{ match: { model: 'large' }, price: { model: 'per_unit', unit_price: '2' } }],
            default_price: { model: 'per_unit', unit_price: '1' },
          },
        },
      ],
      default_price: { model: 'per_unit', unit_price: '3' },
    } as const;
    const evaluation = evaluate(nested, {
      usage: [
        usage('1', { region: 'eu', model: 'large' }),
        usage('1', { region: 'eu', model: 'tiny' }),
        usage('1', { region: 'us' }),
      ],
    });
    expect(total(evaluation)).toBe('6');
    expect(evaluation.lines[0]?.lines?.map((line) => line.dimensions)).toEqual([{ model: 'large' }, { model: 'tiny' }]);
  });

  it('needs usage records: a bare quantity is a PriceInputError', () => {
    expect(() => evaluatePrice(price(llm), { quantity: d('5') })).toThrow(PriceInputError);
  });
});
