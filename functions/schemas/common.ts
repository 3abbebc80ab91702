import * as z from 'zod';
import { Decimal, outOfRange } from '../domain/decimal.js';
import { isKnownCurrency, SUPPORTED_CURRENCIES } from '../domain/money.js';
import { textProblem } from '../domain/text.js';
import { UnsafeJsonNumber } from './json.js';

const DECIMAL_PATTERN = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const MAX_DECIMAL_TEXT = 64;

function toDecimal(value: unknown, ctx: z.core.$RefinementCtx<unknown>): Decimal {
  if (value instanceof UnsafeJsonNumber) {
    ctx.addIssue({
      code: 'custom',
      message: `the JSON number ${value.text} has more digits than a JSON number carries exactly; send it as a decimal string, e.g. "${value.text}"`,
    });
    return z.NEVER;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      ctx.addIssue({ code: 'custom', message: 'must be a finite decimal' });
      return z.NEVER;
    }
    return inRange(new Decimal(value), ctx);
  }
  if (typeof value === 'string') {
    const text = value.trim();
    if (text.length === 0 || text.length > MAX_DECIMAL_TEXT || !DECIMAL_PATTERN.test(text)) {
      ctx.addIssue({
        code: 'custom',
        message: `must be a decimal string such as "12.50", got ${JSON.stringify(value.slice(0, 80))}`,
      });
      return z.NEVER;
    }
    return inRange(new Decimal(text), ctx);
  }
  ctx.addIssue({
    code: 'custom',
    message: `must be a decimal string such as "12.50", got ${value === null ? 'null' : typeof value}`,
  });
  return z.NEVER;
}

function inRange(value: Decimal, ctx: z.core.$RefinementCtx<unknown>): Decimal {
  const problem = outOfRange(value);
  if (problem === undefined) return value;
  ctx.addIssue({ code: 'custom', message: problem });
  return z.NEVER;
}

const decimalInput = z
  .union([z.string(), z.number(), z.custom<UnsafeJsonNumber>((v) => v instanceof UnsafeJsonNumber)])
  .meta({
    description: 'A decimal number, preferably as a string ("12.50"). JSON numbers are accepted only when exact.',
  });

/** Any decimal (string or exact JSON number) → Decimal. */
export const DecimalSchema = decimalInput.transform((value, ctx) => toDecimal(value, ctx));

/** A decimal >= 0 → Decimal. */
export const NonNegativeDecimalSchema = DecimalSchema.refine((d) => d.gte(0), { message: 'must not be negative' });

/** A decimal > 0 → Decimal. */
export const PositiveDecimalSchema = DecimalSchema.refine((d) => d.gt(0), { message: 'must be greater than 0' });

/** A percentage between 0 and 100 inclusive → Decimal. */
export const PercentSchema = DecimalSchema.refine((d) => d.gte(0) && d.lte(100), {
  message: 'must be between 0 and 100',
});

/** Instants outside these years are refused: nothing this stack bills lies before 1970 or after 9999. */
const FIRST_INSTANT = Date.UTC(1970, 0, 1);
const LAST_INSTANT = Date.UTC(10000, 0, 1);

/** ISO 8601 / RFC 3339 instant with an explicit offset → Date. */
export const InstantSchema = z.iso
  .datetime({ offset: true, message: 'must be an RFC 3339 timestamp with a time zone, e.g. "2026-11-02T08:00:00Z"' })
  .transform((text, ctx) => {
    const instant = new Date(text);
    if (Number.isNaN(instant.getTime()) || instant.getTime() < FIRST_INSTANT || instant.getTime() >= LAST_INSTANT) {
      ctx.addIssue({ code: 'custom', message: 'must be an instant between 1970 and 9999' });
      return z.NEVER;
    }
    return instant;
  });

/** A calendar day, `YYYY-MM-DD` (a real date: no February 30). */
export const LocalDateSchema = z.iso.date({ message: 'must be a date such as "2026-11-02" (YYYY-MM-DD)' });

/** An IANA time zone name known to this runtime. */
export const TimeZoneSchema = z.string().refine(
  (zone) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      return zone.length > 0;
    } catch {
      return false;
    }
  },
  { message: 'must be an IANA time zone such as "Europe/Berlin"' },
);

/** A single-line text of 1 to `max` characters without control or bidi-override characters. */
export const lineText = (max: number) =>
  z
    .string()
    .min(1, 'must not be empty')
    .max(max, `must have at most ${max} characters`)
    .superRefine((text, ctx) => {
      const problem = textProblem(text, { singleLine: true });
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });

/**
 * Wraps the refinement of an object that reads several of its fields. Zod runs such refinements
 * after field issues too, with the raw field values (a date still a string): a refinement that
 * then throws has nothing to add to the issues already found, so its error is dropped. With no
 * prior issue, an error is a bug of ours and propagates.
 */
export function tolerant<T>(refine: (value: T, ctx: z.core.$RefinementCtx<T>) => void) {
  return (value: T, ctx: z.core.$RefinementCtx<T>): void => {
    try {
      refine(value, ctx);
    } catch (error) {
      if (ctx.issues.length === 0) throw error;
    }
  };
}

export const CurrencySchema = z
  .string()
  .refine(isKnownCurrency, {
    message: `must be an ISO 4217 code this stack supports: ${SUPPORTED_CURRENCIES.join(', ')}`,
  })
  .meta({ description: 'ISO 4217 currency code, e.g. "EUR"' });

export const MeterKeySchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/, 'must be 1-64 lowercase letters, digits, "_", "." or "-"');

export const PlanKeySchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/, 'must be 1-64 lowercase letters, digits, "_", "." or "-"');

export const CustomerIdSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._:@+-]{0,127}$/,
    'must be 1-128 letters, digits and . _ : @ + - (it is the CloudEvents subject)',
  );

/*
 * Response fields: what the API sends, as opposed to what it accepts. Output schemas hold no
 * transform, so the OpenAPI document describes them, and the response check (BILLING_CHECK_RESPONSES)
 * parses responses with them.
 */

/** A decimal as the API sends it: a plain decimal string, exact (no exponent, no spaces). */
export const DecimalStringSchema = z
  .string()
  .regex(/^-?\d+(\.\d+)?$/, 'must be a plain decimal string')
  .meta({ description: 'A decimal as a string, e.g. "12.50"' });

/** An instant as the API sends it: RFC 3339 (UTC, as `Date.toISOString` writes it). */
export const InstantStringSchema = z.iso.datetime({ offset: true });

/** A calendar day as the API sends it, YYYY-MM-DD. */
export const LocalDateStringSchema = z.iso.date();

/** A decimal as a request wrote it (plans and price overrides are stored as written): a string or an exact JSON number. */
export const WrittenDecimalSchema = z
  .union([z.string(), z.number()])
  .refine((value) => DecimalSchema.safeParse(value).success, { message: 'must be a decimal' })
  .meta({ description: 'A decimal as the request wrote it: a string ("12.50") or a JSON number' });

/** A page of a list: `next_cursor` when there is a next page. */
export const pageOf = <Item extends z.ZodType>(item: Item) =>
  z.strictObject({
    data: z.array(item),
    next_cursor: z.string().optional().meta({ description: 'Pass as `cursor` for the next page' }),
  });

/** A whole list (no pages). */
export const listOf = <Item extends z.ZodType>(item: Item) => z.strictObject({ data: z.array(item) });
