import { Decimal, outOfRange } from '../decimal.js';
import { textProblem } from '../text.js';

export const AGGREGATIONS = ['count', 'sum', 'max', 'latest', 'unique_count', 'weighted_sum'] as const;
export type AggregationKind = (typeof AGGREGATIONS)[number];

/**
 * What a weighted_sum meter's quantity is priced on: the time-weighted average level over the range
 * (`period`), the level integrated over time in hours (`hour`: GB-hours), or in local calendar days
 * of the customer's zone (`day`: seat-days; a whole 23- or 25-hour day counts as one day).
 */
export const WEIGHTED_PER = ['period', 'hour', 'day'] as const;
export type WeightedPer = (typeof WEIGHTED_PER)[number];

export interface Meter {
  key: string;
  name: string;
  /** The CloudEvents `type` this meter counts. */
  eventType: string;
  aggregation: AggregationKind;
  /** Dot path into the event's `data` of the value (sum, max, latest, unique_count). */
  valueProperty?: string;
  /** Dot paths into `data` whose values split the usage into dimensions. */
  groupBy: string[];
  /** weighted_sum only: what the quantity is per (see `WeightedPer`); absent means `period`. */
  per?: WeightedPer;
  createdAt: string;
}

/** DynamoDB numbers carry 38 significant digits; we keep every quantity within that. */
export const MAX_DIMENSION_VALUE_LENGTH = 256;

/** Reads a dot path ("usage.tokens") from an event's data object. */
export function readPath(data: unknown, path: string): unknown {
  let current: unknown = data;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    // Own properties only: a path such as "constructor" must not read Object.prototype.
    if (!Object.hasOwn(current, part)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

const DECIMAL_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
/** Longest decimal text a meter reads; anything longer is out of range before it is parsed. */
const MAX_DECIMAL_TEXT = 64;

export type ValueResult = { ok: true; value: Decimal } | { ok: false; message: string };

/**
 * The decimal a sum / max / latest meter reads. Accepts JSON numbers, exact big numbers
 * (anything with a `text`), and decimal strings; within the API's decimal range and not negative
 * (a negative reading means something only to weighted_sum, see `readSignedDecimal`).
 */
export function readDecimal(raw: unknown, path: string): ValueResult {
  return readDecimalValue(raw, path, false);
}

/**
 * The signed change a weighted_sum meter reads (`+5` GB stored, `-2` GB): the rules of `readDecimal`
 * (formats, range), negatives allowed. -0 is 0.
 */
export function readSignedDecimal(raw: unknown, path: string): ValueResult {
  return readDecimalValue(raw, path, true);
}

function readDecimalValue(raw: unknown, path: string, signed: boolean): ValueResult {
  let text: string | undefined;
  if (typeof raw === 'number' && Number.isFinite(raw)) text = String(raw);
  else if (typeof raw === 'string') text = raw.trim();
  else if (raw !== null && typeof raw === 'object' && typeof (raw as { text?: unknown }).text === 'string') {
    text = (raw as { text: string }).text;
  }
  if (raw === undefined) return { ok: false, message: `data.${path} is missing` };
  if (text === undefined || text.length > MAX_DECIMAL_TEXT || !DECIMAL_TEXT.test(text)) {
    return { ok: false, message: `data.${path} must be a number or a decimal string, got ${describe(raw)}` };
  }
  const value = new Decimal(text);
  const problem = outOfRange(value);
  if (problem) return { ok: false, message: `data.${path} = ${text} ${problem}` };
  if (!signed && value.isNegative() && !value.isZero())
    return { ok: false, message: `data.${path} = ${text} must not be negative` };
  // -0 is 0: stored and summed as such.
  return { ok: true, value: value.isZero() ? new Decimal(0) : value };
}

export type LabelResult =
  | { ok: true; value: string }
  | { ok: false; code: 'invalid_value' | 'invalid_event'; message: string };

/**
 * The string a unique_count meter or a dimension reads (strings, numbers and booleans). A value of
 * the wrong type is `invalid_value`; text that is too long or not clean (lone surrogates, control or
 * bidi-override characters) makes the event itself `invalid_event`.
 */
export function readLabel(raw: unknown, path: string): LabelResult {
  if (raw === undefined || raw === null)
    return { ok: false, code: 'invalid_value', message: `data.${path} is missing` };
  let value: string | undefined;
  if (typeof raw === 'string') value = raw;
  else if (typeof raw === 'number' || typeof raw === 'boolean') value = String(raw);
  else if (typeof raw === 'object' && typeof (raw as { text?: unknown }).text === 'string')
    value = (raw as { text: string }).text;
  if (value === undefined)
    return {
      ok: false,
      code: 'invalid_value',
      message: `data.${path} must be a string or a number, got ${describe(raw)}`,
    };
  if (value.length === 0 || value.length > MAX_DIMENSION_VALUE_LENGTH) {
    return {
      ok: false,
      code: 'invalid_event',
      message: `data.${path} must have 1 to ${MAX_DIMENSION_VALUE_LENGTH} characters`,
    };
  }
  const problem = textProblem(value, { singleLine: true });
  if (problem) return { ok: false, code: 'invalid_event', message: `data.${path} ${problem}` };
  return { ok: true, value };
}

function describe(raw: unknown): string {
  if (raw === null) return 'null';
  if (Array.isArray(raw)) return 'an array';
  if (typeof raw === 'string') return JSON.stringify(raw.length > 40 ? `${raw.slice(0, 40)}…` : raw);
  return typeof raw;
}
