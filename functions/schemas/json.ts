import { isSafeNumber, parse, stringify } from 'lossless-json';

/**
 * A JSON number literal that a binary double cannot carry exactly (more than 15 significant
 * digits, or out of range). Kept as its source text so validation can name it instead of silently
 * rounding it: money must travel as decimal strings.
 */
export class UnsafeJsonNumber {
  constructor(readonly text: string) {}
  toJSON(): string {
    return this.text;
  }
}

export class InvalidJsonError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidJsonError';
  }
}

/**
 * Parses JSON without losing precision: numbers that fit a double exactly become `number`, all
 * others become {@link UnsafeJsonNumber}. Duplicate keys are rejected (lossless-json's default).
 */
export function parseJson(text: string): unknown {
  try {
    return parse(text, null, (literal: string) =>
      isSafeNumber(literal, { approx: false }) ? Number(literal) : new UnsafeJsonNumber(literal),
    );
  } catch (error) {
    throw new InvalidJsonError(`body is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

/** JSON text of a value parsed by {@link parseJson}, with unsafe numbers written back as they came. */
export function stringifyJson(value: unknown): string {
  const text = stringify(value, undefined, undefined, [
    { test: (v: unknown) => v instanceof UnsafeJsonNumber, stringify: (v: unknown) => (v as UnsafeJsonNumber).text },
  ]);
  return text ?? 'null';
}
