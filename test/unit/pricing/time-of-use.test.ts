import { describe, expect, it } from 'vitest';
import { evaluatePrice, PriceInputError } from '../../../functions/domain/pricing/index.js';
import { localTime } from '../../../functions/domain/pricing/time-of-use.js';
import { evaluate, lineAmounts, price, total, usage } from './helpers.js';

const BERLIN = 'Europe/Berlin';

/** A usage record of `quantity` at the instant `time` (UTC). */
const at = (time: string, quantity = '1') => usage(quantity, {}, time);

describe('localTime', () => {
  it.each([
    // Summer time (CEST, UTC+2) until 2026-10-25 01:00 UTC, then CET (UTC+1).
    ['2026-10-23T06:30:00Z', 'fri', '08:30'],
    ['2026-10-25T00:30:00Z', 'sun', '02:30'],
    ['2026-10-25T00:59:00Z', 'sun', '02:59'],
    ['2026-10-25T01:00:00Z', 'sun', '02:00'],
    ['2026-10-25T01:30:00Z', 'sun', '02:30'],
    ['2026-10-25T02:00:00Z', 'sun', '03:00'],
    ['2026-10-26T06:30:00Z', 'mon', '07:30'],
    ['2026-10-25T22:59:59Z', 'sun', '23:59'],
    ['2026-10-25T23:00:00Z', 'mon', '00:00'],
  ])('reads %s in Europe/Berlin as %s %s', (time, weekday, wallTime) => {
    const local = localTime(new Date(time), BERLIN);
    const minute = `${String(Math.floor(local.minute / 60)).padStart(2, '0')}:${String(local.minute % 60).padStart(2, '0')}`;
    expect([local.weekday, minute]).toEqual([weekday, wallTime]);
  });
});

describe('time_of_use', () => {
  const tariff = {
    model: 'time_of_use',
    bands: [
      {
        name: 'peak',
        days: ['mon', 'tue', 'wed', 'thu', 'fri'],
        from: '08:00',
        to: '20:00',
        price: { model: 'per_unit', unit_price: '0.3' },
      },
      {
        name: 'night',
        days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
        from: '22:00',
        to: '06:00',
        price: { model: 'per_unit', unit_price: '0.1' },
      },
    ],
    default_price: { model: 'per_unit', unit_price: '0.2' },
  } as const;

  const bandOf = (time: string): string => {
    const evaluation = evaluate(tariff, { usage: [at(time)], timeZone: BERLIN });
    return evaluation.lines[0]?.band ?? 'default';
  };

  it.each([
    ['2026-10-23T06:30:00Z', 'peak', 'Fri 08:30 CEST'],
    ['2026-10-23T06:00:00Z', 'peak', 'Fri 08:00 CEST: from is inclusive'],
    ['2026-10-23T05:59:00Z', 'default', 'Fri 07:59 CEST'],
    ['2026-10-23T17:59:59Z', 'peak', 'Fri 19:59:59 CEST'],
    ['2026-10-23T18:00:00Z', 'default', 'Fri 20:00 CEST: to is exclusive'],
    ['2026-10-23T20:00:00Z', 'night', 'Fri 22:00 CEST'],
    ['2026-10-24T03:59:00Z', 'night', 'Sat 05:59 CEST, overnight from Friday'],
    ['2026-10-24T04:00:00Z', 'default', 'Sat 06:00 CEST'],
    ['2026-10-24T08:00:00Z', 'default', 'Sat 10:00 CEST: peak is weekdays only'],
    ['2026-10-26T06:30:00Z', 'default', 'Mon 07:30 CET, after the DST change (08:30 in summer time)'],
    ['2026-10-26T07:00:00Z', 'peak', 'Mon 08:00 CET'],
    ['2026-10-26T19:00:00Z', 'default', 'Mon 20:00 CET'],
    ['2026-10-26T21:00:00Z', 'night', 'Mon 22:00 CET'],
  ])('places %s in %s (%s)', (time, band) => {
    expect(bandOf(time)).toBe(band);
  });

  it('prices both 02:30 local times of the night the clocks go back (2026-10-25, Berlin)', () => {
    const early = {
      model: 'time_of_use',
      bands: [
        {
          name: 'repeated-hour',
          days: ['sun'],
          from: '02:00',
          to: '03:00',
          price: { model: 'per_unit', unit_price: '1' },
        },
      ],
      default_price: { model: 'per_unit', unit_price: '0' },
    } as const;
    const evaluation = evaluate(early, {
      usage: [at('2026-10-25T00:30:00Z', '2'), at('2026-10-25T01:30:00Z', '3'), at('2026-10-25T02:00:00Z', '5')],
      timeZone: BERLIN,
    });
    expect(evaluation.lines.map((line) => [line.band ?? 'default', line.quantity.toString()])).toEqual([
      ['repeated-hour', '5'],
      ['default', '5'],
    ]);
    expect(total(evaluation)).toBe('5');
  });

  it('attributes an overnight band to the day it starts on, across the week boundary', () => {
    const sundayNight = {
      model: 'time_of_use',
      bands: [
        {
          name: 'sunday-night',
          days: ['sun'],
          from: '22:00',
          to: '06:00',
          price: { model: 'per_unit', unit_price: '1' },
        },
      ],
      default_price: { model: 'per_unit', unit_price: '0' },
    } as const;
    const evaluation = evaluate(sundayNight, {
      usage: [
        at('2026-10-25T21:30:00Z', '1'), // Sun 22:30 CET
        at('2026-10-26T04:59:00Z', '2'), // Mon 05:59 CET
        at('2026-10-24T21:00:00Z', '4'), // Sat 23:00 CEST: Saturday night is not in the band
        at('2026-10-26T05:00:00Z', '8'), // Mon 06:00 CET
      ],
      timeZone: BERLIN,
    });
    expect(evaluation.lines.map((line) => [line.band ?? 'default', line.quantity.toString()])).toEqual([
      ['sunday-night', '3'],
      ['default', '12'],
    ]);
  });

  it('treats to 24:00 as the end of the day', () => {
    const evening = {
      model: 'time_of_use',
      bands: [
        { name: 'evening', days: ['sat'], from: '20:00', to: '24:00', price: { model: 'per_unit', unit_price: '1' } },
      ],
      default_price: { model: 'per_unit', unit_price: '0' },
    } as const;
    const sat2359 = evaluate(evening, { usage: [at('2026-10-24T21:59:00Z')], timeZone: BERLIN });
    const sun0000 = evaluate(evening, { usage: [at('2026-10-24T22:00:00Z')], timeZone: BERLIN });
    expect([total(sat2359), total(sun0000)]).toEqual(['1', '0']);
  });

  it('gives a record to the first band that contains it', () => {
    const overlapping = {
      model: 'time_of_use',
      bands: [
        { name: 'first', days: ['fri'], from: '08:00', to: '12:00', price: { model: 'per_unit', unit_price: '1' } },
        { name: 'second', days: ['fri'], from: '00:00', to: '24:00', price: { model: 'per_unit', unit_price: '2' } },
      ],
      default_price: { model: 'per_unit', unit_price: '0' },
    } as const;
    expect(total(evaluate(overlapping, { usage: [at('2026-10-23T08:00:00Z')], timeZone: BERLIN }))).toBe('1');
  });

  it('prices each band on the sum of its quantities (tiers over the band total)', () => {
    const tiered = {
      model: 'time_of_use',
      bands: [
        {
          name: 'peak',
          days: ['fri'],
          from: '08:00',
          to: '20:00',
          price: {
            model: 'graduated',
            tiers: [
              { up_to: '10', unit_price: '1' },
              { up_to: null, unit_price: '0.5' },
            ],
          },
        },
      ],
      default_price: { model: 'per_unit', unit_price: '0.1' },
    } as const;
    const evaluation = evaluate(tiered, {
      usage: [at('2026-10-23T07:00:00Z', '8'), at('2026-10-23T09:00:00Z', '8'), at('2026-10-23T23:00:00Z', '10')],
      timeZone: BERLIN,
    });
    expect(lineAmounts(evaluation)).toEqual(['13', '1']);
    expect(evaluation.lines[0]?.lines).toHaveLength(2);
    expect(evaluation.lines[0]?.description).toBe('peak (fri 08:00–20:00): 16 units');
    expect(evaluation.lines[1]?.description).toBe('outside all bands (default price): 10 units');
  });

  it('uses the customer time zone: the same instant is peak in Berlin and night in Tokyo', () => {
    const instant = [at('2026-10-23T13:00:00Z')];
    expect(evaluate(tariff, { usage: instant, timeZone: BERLIN }).lines[0]?.band).toBe('peak');
    expect(evaluate(tariff, { usage: instant, timeZone: 'Asia/Tokyo' }).lines[0]?.band).toBe('night');
  });

  it.each([
    ['no time zone', { usage: [at('2026-10-23T06:30:00Z')] }, /needs the customer time zone/],
    ['a record without time', { usage: [usage('1')], timeZone: BERLIN }, /usage record 0 has no time/],
    [
      'an unknown time zone',
      { usage: [at('2026-10-23T06:30:00Z')], timeZone: 'Mars/Olympus' },
      /unknown time zone "Mars\/Olympus"/,
    ],
    ['no usage records', { timeZone: BERLIN }, /needs usage records with a time/],
  ])('rejects %s with a PriceInputError', (_name, input, message) => {
    const run = () => evaluatePrice(price(tariff), input);
    expect(run).toThrow(PriceInputError);
    expect(run).toThrow(message);
  });
});
