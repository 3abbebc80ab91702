/** The input does not carry what the price model needs (or carries something it cannot price). */
export class PriceInputError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PriceInputError';
  }
}

/**
 * Usage of a matrix price matches no entry and the matrix has no default price. A {@link PriceInputError}
 * too, so callers that map input errors to a 4xx handle it without knowing it.
 */
export class UnpricedUsageError extends PriceInputError {
  readonly dimensions: Record<string, string | undefined>;
  constructor(dimensions: Record<string, string | undefined>, options?: ErrorOptions) {
    super(
      `no price for the combination ${describeCombination(dimensions)} and the matrix has no default_price`,
      options,
    );
    this.name = 'UnpricedUsageError';
    this.dimensions = dimensions;
  }
}

export function describeCombination(dimensions: Record<string, string | undefined>): string {
  const parts = Object.entries(dimensions).map(([key, value]) =>
    value === undefined ? `${key} (missing)` : `${key}=${JSON.stringify(value)}`,
  );
  return parts.length === 0 ? '(no dimensions)' : parts.join(', ');
}

/** A price definition the schema would have rejected (e.g. built in code with no tiers). */
export class InvalidPriceError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidPriceError';
  }
}
