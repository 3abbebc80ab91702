/** A named resource does not exist. */
export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

/** The resource already exists (create with a taken id or key). */
export class AlreadyExistsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AlreadyExistsError';
  }
}

/** A write kept failing for reasons that may pass (throttling, conflicts): safe to retry the request. */
export class StorageUnavailableError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StorageUnavailableError';
  }
}

/**
 * The event archive does not hold every event the counters count yet (the table's stream is a moment
 * behind): what reads raw events must wait and try again. A storage error: the close's step fails and
 * is retried (Step Functions), and the API answers 503.
 */
export class ArchiveBehindError extends StorageUnavailableError {
  constructor(customerId: string, meterKey: string, archived: number, counted: number) {
    super(
      `the event archive holds ${archived} of the ${counted} events meter '${meterKey}' counted for customer '${customerId}' in the period: it is still being written, try again shortly`,
    );
    this.name = 'ArchiveBehindError';
  }
}

/** A capability this deployment was not given (no resource configured for it): 501 over HTTP. */
export class NotConfiguredError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotConfiguredError';
  }
}

/** The request is well-formed but asks for something that cannot be answered (names the field). */
export class InvalidRequestError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'InvalidRequestError';
  }
}

/** The request conflicts with the current state (e.g. a second active subscription). */
export class ConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConflictError';
  }
}

/**
 * A coupon or credit grant an invoice was computed with changed before the invoice was written (another
 * invoice of the customer used it): nothing was written; compute the invoice again.
 */
export class CreditsChangedError extends ConflictError {
  constructor(message = 'a coupon or credit grant of the customer changed meanwhile; retry') {
    super(message);
    this.name = 'CreditsChangedError';
  }
}

/** Input that passed the schema but does not fit the stored state; names every offending field. */
export class InvalidInputError extends Error {
  constructor(
    readonly details: Array<{ path: string; message: string }>,
    message = 'the request is not valid',
  ) {
    super(message);
    this.name = 'InvalidInputError';
  }
}

/**
 * Whether `error` is a failure of the store rather than of the request: our own
 * StorageUnavailableError, or any error the AWS SDK raised (it carries the response metadata).
 */
export function isStorageError(error: unknown): boolean {
  return error instanceof StorageUnavailableError || (error instanceof Error && '$metadata' in error);
}

/** A page cursor that no list returned (forged, truncated or from another list). */
export class InvalidCursorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidCursorError';
  }
}

/**
 * A counter would pass the 38 significant digits the store keeps: the write changed nothing. The
 * events that would push it there are rejected (`invalid_value`); the others are written.
 */
export class CounterOverflowError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CounterOverflowError';
  }
}

/**
 * A business rule refuses the request (a coupon expired or exhausted, a usage limit reached): nothing
 * changed. `code` is the machine-readable reason clients branch on; `kind` says whether the request
 * conflicts with the current state (409) or can never be met as asked (422).
 */
export class RefusedError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly kind: 'conflict' | 'unprocessable' = 'unprocessable',
    /** The fields that made the refusal (JSON pointers into the request), when there are such. */
    readonly details?: Array<{ path: string; message: string }>,
  ) {
    super(message);
    this.name = 'RefusedError';
  }
}

/** The payment provider failed or refused (502: the request was fine, the provider was not). */
export class PaymentProviderError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PaymentProviderError';
  }
}
