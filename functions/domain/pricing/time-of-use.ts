import { sum } from '../decimal.js';
import { PriceInputError } from './errors.js';
import { type EvaluateNested, fmt, type ModelResult } from './shared.js';
import {
  type PriceInput,
  type PriceLine,
  type TimeBand,
  type TimeOfUsePrice,
  type UsageRecord,
  WEEKDAYS,
  type Weekday,
} from './types.js';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        weekday: 'short',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      });
    } catch (error) {
      throw new PriceInputError(
        `unknown time zone ${JSON.stringify(timeZone)}; use an IANA name such as "Europe/Berlin"`,
        {
          cause: error,
        },
      );
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

const WEEKDAY_BY_SHORT_NAME: Readonly<Record<string, Weekday>> = {
  Mon: 'mon',
  Tue: 'tue',
  Wed: 'wed',
  Thu: 'thu',
  Fri: 'fri',
  Sat: 'sat',
  Sun: 'sun',
};

export interface LocalTime {
  weekday: Weekday;
  /** Minutes since local midnight, 0..1439. */
  minute: number;
}

/** Weekday and wall-clock minute of `time` in `timeZone` (IANA, DST-aware through Intl). */
export function localTime(time: Date, timeZone: string): LocalTime {
  if (Number.isNaN(time.getTime())) throw new PriceInputError('a usage record has an invalid time');
  let weekday: Weekday | undefined;
  let hour = Number.NaN;
  let minute = Number.NaN;
  for (const part of formatterFor(timeZone).formatToParts(time)) {
    if (part.type === 'weekday') weekday = WEEKDAY_BY_SHORT_NAME[part.value];
    else if (part.type === 'hour') hour = Number(part.value);
    else if (part.type === 'minute') minute = Number(part.value);
  }
  if (weekday === undefined || !Number.isInteger(hour) || !Number.isInteger(minute)) {
    throw new PriceInputError(`cannot read the local time of ${time.toISOString()} in ${timeZone}`);
  }
  return { weekday, minute: (hour % 24) * 60 + minute };
}

/** "HH:MM" → minutes since midnight; "24:00" → 1440. */
export function parseWallTime(text: string): number {
  const match = /^(\d\d):(\d\d)$/.exec(text);
  if (match === null) throw new PriceInputError(`invalid wall time ${JSON.stringify(text)}; expected HH:MM`);
  return Number(match[1]) * 60 + Number(match[2]);
}

function previousDay(weekday: Weekday): Weekday {
  const index = WEEKDAYS.indexOf(weekday);
  return WEEKDAYS[(index + WEEKDAYS.length - 1) % WEEKDAYS.length] as Weekday;
}

/**
 * from <= time < to on one of the band's days. A band with to <= from runs overnight: from `from` on
 * one of its days to `to` on the following day.
 */
export function bandMatcher(band: TimeBand): (at: LocalTime) => boolean {
  const from = parseWallTime(band.from);
  const to = parseWallTime(band.to);
  const days = new Set<Weekday>(band.days);
  if (from < to) return (at) => days.has(at.weekday) && at.minute >= from && at.minute < to;
  return (at) => (days.has(at.weekday) && at.minute >= from) || (days.has(previousDay(at.weekday)) && at.minute < to);
}

function describeBand(band: TimeBand): string {
  return `${band.name} (${band.days.join(', ')} ${band.from}–${band.to})`;
}

/**
 * Each usage record is placed by its local weekday and time in `input.timeZone` into the first band
 * that contains it, else the default price. Each band's price is evaluated on its records (quantities
 * summed); one line per band with usage, in band order, then the default.
 */
export function evaluateTimeOfUse(price: TimeOfUsePrice, input: PriceInput, evaluate: EvaluateNested): ModelResult {
  if (input.usage === undefined) throw new PriceInputError('the time_of_use model needs usage records with a time');
  const timeZone = input.timeZone;
  if (timeZone === undefined) throw new PriceInputError('the time_of_use model needs the customer time zone');
  const matchers = price.bands.map(bandMatcher);
  const byBand = new Map<number, UsageRecord[]>();
  const unbanded: UsageRecord[] = [];
  for (const [position, record] of input.usage.entries()) {
    if (record.time === undefined) {
      throw new PriceInputError(
        `usage record ${position} has no time; the time_of_use model needs one on every record`,
      );
    }
    const at = localTime(record.time, timeZone);
    const bandIndex = matchers.findIndex((contains) => contains(at));
    if (bandIndex === -1) {
      unbanded.push(record);
    } else {
      const records = byBand.get(bandIndex) ?? [];
      records.push(record);
      byBand.set(bandIndex, records);
    }
  }
  const groups = [...byBand.entries()]
    .sort(([a], [b]) => a - b)
    .map(([bandIndex, records]) => ({ band: price.bands[bandIndex], records }));
  if (unbanded.length > 0) groups.push({ band: undefined, records: unbanded });
  const lines = groups.map(({ band, records }): PriceLine => {
    const bandPrice = band === undefined ? price.defaultPrice : band.price;
    const quantity = sum(records.map((record) => record.quantity));
    const evaluation = evaluate(bandPrice, {
      quantity,
      usage: records,
      events: records.map((record) => record.quantity),
      timeZone,
    });
    return {
      kind: 'band',
      description: `${band === undefined ? 'outside all bands (default price)' : describeBand(band)}: ${fmt(evaluation.quantity)} units`,
      quantity: evaluation.quantity,
      preciseAmount: evaluation.preciseAmount,
      ...(band === undefined ? {} : { band: band.name }),
      events: records.length,
      model: bandPrice.model,
      lines: evaluation.lines,
    };
  });
  return { quantity: sum(input.usage.map((record) => record.quantity)), lines };
}
