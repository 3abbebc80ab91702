export interface ErrorDetail {
  /** JSON pointer into the request, e.g. "/price/tiers/1/up_to". */
  path: string;
  message: string;
}

/** An error whose status and message may be shown to the client (4xx, and 503 for retryable). */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
    options?: ErrorOptions & { headers?: Record<string, string> },
  ) {
    super(message, options);
    this.name = 'HttpError';
    this.headers = options?.headers;
  }
  readonly headers: Record<string, string> | undefined;
}

export class ValidationFailedError extends HttpError {
  constructor(details: ErrorDetail[], message = 'the request is not valid') {
    super(400, 'validation_failed', message, details);
    this.name = 'ValidationFailedError';
  }
}

export const conflict = (message: string) => new HttpError(409, 'conflict', message);
export const unauthorized = (message: string) =>
  new HttpError(401, 'unauthorized', message, undefined, { headers: { 'www-authenticate': 'Bearer' } });
export const forbidden = (message: string) => new HttpError(403, 'forbidden', message);
