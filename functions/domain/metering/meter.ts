import { Decimal } from '../decimal.js';

export const AGGREGATIONS = ['count', 'sum', 'max', 'latest', 'unique_count'] as const;
export type Aggregation = (typeof AGGREGATIONS)[number];

export interface Meter {
  key: string;
  name: string;
  /** The CloudEvents `type` this meter counts. */
  eventType: string;
  aggregation: Aggregation;
  /** Dot path into the event's `data` of the value (sum, max, latest, unique_count). */
  valueProperty?: string;
  /** Dot paths into `data` whose values split the usage into dimensions. */
  groupBy: string[];
  createdAt: string;
}

/** DynamoDB numbers carry 38 significant digits; we keep every quantity within that. */
export const MAX_SIGNIFICANT_DIGITS = 38;
export const MAX_DIMENSION_VALUE_LENGTH = 256;

export function needsValue(aggregation: Aggregation): boolean {
  return aggregation !== 'count';
}

/** Reads a dot path ("usage.tokens") from an event's data object. */
export function readPath(data: unknown, path: string): unknown {
  let current: unknown = data;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

const DECIMAL_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

export type ValueResult = { ok: true; value: Decimal } | { ok: false; message: string };

/**
 * The decimal a sum / max / latest meter reads. Accepts JSON numbers, exact big numbers
 * (anything with a `text`), and decimal strings.
 */
export function readDecimal(raw: unknown, path: string): ValueResult {
  let text: string | undefined;
  if (typeof raw === 'number' && Number.isFinite(raw)) text = String(raw);
  else if (typeof raw === 'string') text = raw.trim();
  else if (raw !== null && typeof raw === 'object' && typeof (raw as { text?: unknown }).text === 'string') {
    text = (raw as { text: string }).text;
  }
  if (raw === undefined) return { ok: false, message: `data.${path} is missing` };
  if (text === undefined || !DECIMAL_TEXT.test(text)) {
    return { ok: false, message: `data.${path} must be a number or a decimal string, got ${describe(raw)}` };
  }
  const value = new Decimal(text);
  if (!value.isFinite() || value.sd(true) > MAX_SIGNIFICANT_DIGITS || value.abs().gte('1e30')) {
    return {
      ok: false,
      message: `data.${path} = ${text} is out of range (at most ${MAX_SIGNIFICANT_DIGITS} significant digits, below 1e30)`,
    };
  }
  return { ok: true, value };
}

/** The string a unique_count meter or a dimension reads (strings, numbers and booleans). */
export function readLabel(raw: unknown, path: string): { ok: true; value: string } | { ok: false; message: string } {
  if (raw === undefined || raw === null) return { ok: false, message: `data.${path} is missing` };
  let value: string | undefined;
  if (typeof raw === 'string') value = raw;
  else if (typeof raw === 'number' || typeof raw === 'boolean') value = String(raw);
  else if (typeof raw === 'object' && typeof (raw as { text?: unknown }).text === 'string')
    value = (raw as { text: string }).text;
  if (value === undefined)
    return { ok: false, message: `data.${path} must be a string or a number, got ${describe(raw)}` };
  if (value.length === 0 || value.length > MAX_DIMENSION_VALUE_LENGTH) {
    return { ok: false, message: `data.${path} must have 1 to ${MAX_DIMENSION_VALUE_LENGTH} characters` };
  }
  return { ok: true, value };
}

function describe(raw: unknown): string {
  if (raw === null) return 'null';
  if (Array.isArray(raw)) return 'an array';
  if (typeof raw === 'string') return JSON.stringify(raw.length > 40 ? `${raw.slice(0, 40)}…` : raw);
  return typeof raw;
}
