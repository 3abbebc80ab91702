import { describe, expect, it } from 'vitest';
import { evaluatePrice } from '../../../functions/domain/pricing/index.js';
import { d, evaluate, events, lineAmounts, price, total, usage } from './helpers.js';

describe('percentage', () => {
  // Lago's percentage spec: 4 events totalling 800 (running totals 50, 150, 400, 800), rate 1.3 %, fixed fee 2.
  const lagoEvents = events('50', '100', '250', '400');
  const lago = { model: 'percentage', rate_percent: '1.3', fixed_fee_per_event: '2' } as const;

  it.each([
    ['no free allowance: 1.3 % of 800 + 4 × 2', {}, '18.4'],
    ['free_events 3 and free_amount 250: 1.3 % of 550 + 2 paying × 2', { free_events: 3, free_amount: '250' }, '11.15'],
    ['free_amount 250 only: 1.3 % of 550 + 2 paying × 2', { free_amount: '250' }, '11.15'],
    ['free_events 3 only: 1.3 % of 400 + 1 paying × 2', { free_events: 3 }, '7.2'],
    ['free_amount 500 beyond the first 3 events: capped at their 400', { free_events: 3, free_amount: '500' }, '7.2'],
    ['free_events 5 covering every event: nothing', { free_events: 5 }, '0'],
  ])('matches Lago with %s', (_name, options, expected) => {
    expect(total(evaluate({ ...lago, ...options }, { events: lagoEvents }))).toBe(expected);
  });

  it('charges only the fixed fees at rate 0 (Lago: 4 × 2 = 8)', () => {
    expect(total(evaluate({ ...lago, rate_percent: '0' }, { events: lagoEvents }))).toBe('8');
  });

  it('charges nothing, not even fixed fees, when the total amount is 0', () => {
    const evaluation = evaluate(lago, { events: events('0', '0') });
    expect(total(evaluation)).toBe('0');
    expect(evaluation.lines[1]?.events).toBe(0);
  });

  it('charges nothing for no events', () => {
    expect(total(evaluate(lago, { events: [] }))).toBe('0');
  });

  it('charges the rate alone when there is no fixed fee, in a single line', () => {
    const evaluation = evaluate({ model: 'percentage', rate_percent: '1.3' }, { events: lagoEvents });
    expect(total(evaluation)).toBe('10.4');
    expect(evaluation.lines.map((line) => line.kind)).toEqual(['percentage']);
  });

  it('explains the free part, the rate and the paying events', () => {
    const evaluation = evaluate({ ...lago, free_events: 3, free_amount: '250' }, { events: lagoEvents });
    const [percentage, fixed] = evaluation.lines;
    expect(percentage?.quantity.toString()).toBe('800');
    expect(percentage?.freeQuantity?.toString()).toBe('250');
    expect(percentage?.description).toBe('1.3% of 550 (800 minus 250 free) over 4 events');
    expect(fixed?.events).toBe(2);
    expect(fixed?.description).toBe('2 paying events × fixed fee 2');
    expect(lineAmounts(evaluation)).toEqual(['7.15', '4']);
  });

  it('does not charge the fixed fee of an event the free amount covers exactly', () => {
    const rate10 = { model: 'percentage', rate_percent: '10', fixed_fee_per_event: '1', free_amount: '100' } as const;
    expect(total(evaluate(rate10, { events: events('100', '50') }))).toBe('6');
  });

  it('ends the free allowance when the free events run out before the free amount', () => {
    const rate10 = {
      model: 'percentage',
      rate_percent: '10',
      fixed_fee_per_event: '1',
      free_events: 2,
      free_amount: '1000',
    } as const;
    expect(total(evaluate(rate10, { events: events('10', '20', '30') }))).toBe('4');
  });

  it('charges the fixed fee of zero-amount events after the allowance when the total is not 0', () => {
    const rate10 = { model: 'percentage', rate_percent: '10', fixed_fee_per_event: '1', free_amount: '100' } as const;
    expect(total(evaluate(rate10, { events: events('100', '0', '10') }))).toBe('3');
  });

  it('treats a plain quantity as a single event', () => {
    const card = { model: 'percentage', rate_percent: '2.5', fixed_fee_per_event: '0.3' } as const;
    expect(total(evaluate(card, { quantity: d('200') }))).toBe('5.3');
  });

  it('treats each usage record as an event', () => {
    const card = { model: 'percentage', rate_percent: '2.5', fixed_fee_per_event: '0.3', free_events: 1 } as const;
    expect(total(evaluate(card, { usage: [usage('100'), usage('200')] }))).toBe('5.3');
  });

  it('reports the total amount as the evaluated quantity', () => {
    expect(evaluate(lago, { events: lagoEvents }).quantity.toString()).toBe('800');
  });

  describe('with per-event minimum and maximum', () => {
    const clamped = {
      model: 'percentage',
      rate_percent: '2',
      fixed_fee_per_event: '0.1',
      per_event_min: '0.5',
      per_event_max: '3',
    } as const;
    const threeEvents = events('10', '100', '200');

    it('prices every event on its own and clamps it (0.3 → 0.5, 2.1, 4.1 → 3)', () => {
      expect(total(evaluate(clamped, { events: threeEvents }))).toBe('5.6');
    });

    it('shows the clamping as minimum and maximum adjustment lines', () => {
      const evaluation = evaluate(clamped, { events: threeEvents });
      expect(evaluation.lines.map((line) => [line.kind, line.events])).toEqual([
        ['percentage', 3],
        ['fixed_fee', 3],
        ['per_event_minimum', 1],
        ['per_event_maximum', 1],
      ]);
      expect(lineAmounts(evaluation)).toEqual(['6.2', '0.3', '0.2', '-1.1']);
    });

    it('makes free events cost 0 instead of the minimum', () => {
      expect(total(evaluate({ ...clamped, free_events: 1 }, { events: threeEvents }))).toBe('5.1');
    });

    it('uses the free amount up in event order (10 covered; 60 of 100 and all of 200 paid)', () => {
      expect(total(evaluate({ ...clamped, free_amount: '50' }, { events: threeEvents }))).toBe('4.3');
    });

    it('applies only a minimum when no maximum is set', () => {
      const { per_event_max: _max, ...minOnly } = clamped;
      expect(total(evaluate(minOnly, { events: events('10', '100') }))).toBe('2.6');
    });

    it('applies only a maximum when no minimum is set', () => {
      const { per_event_min: _min, ...maxOnly } = clamped;
      expect(total(evaluate(maxOnly, { events: events('10', '200') }))).toBe('3.3');
    });

    it('raises a zero-amount paying event to the minimum (each event priced on its own, as Lago)', () => {
      expect(total(evaluate(clamped, { events: events('0') }))).toBe('0.5');
    });

    it('gives the same total as the pooled form when no event is clamped', () => {
      const wide = {
        ...clamped,
        per_event_min: '0',
        per_event_max: '1000',
        free_events: 1,
        free_amount: '50',
      } as const;
      const { per_event_min: _a, per_event_max: _b, ...pooled } = wide;
      const input = { events: events('30', '40', '200', '7') };
      expect(total(evaluate(wide, input))).toBe(total(evaluate(pooled, input)));
    });
  });

  it('rejects negative event amounts with a PriceInputError', () => {
    expect(() => evaluatePrice(price(lago), { events: events('-1') })).toThrow(/negative event amount/);
  });
});
