import type { Logger } from '@aws-lambda-powertools/logger';
import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import {
  AlreadyExistsError,
  ConflictError,
  InvalidCursorError,
  InvalidInputError,
  InvalidRequestError,
  NotConfiguredError,
  NotFoundError,
  PaymentProviderError,
  RefusedError,
  StorageUnavailableError,
} from '../app/errors.js';
import { ProviderRejectedError, ProviderUnavailableError } from '../app/ports/payments.js';
import { HttpError, ValidationFailedError } from './errors.js';
import { errorBody, json, SECURITY_HEADERS } from './respond.js';

/** Expected outcomes of the use cases, as HTTP errors: the one place this mapping lives. */
function toHttpError(error: unknown): HttpError | undefined {
  if (error instanceof HttpError) return error;
  if (error instanceof NotFoundError) return new HttpError(404, 'not_found', error.message);
  if (error instanceof AlreadyExistsError) return new HttpError(409, 'already_exists', error.message);
  if (error instanceof ConflictError) return new HttpError(409, 'conflict', error.message);
  if (error instanceof RefusedError)
    return new HttpError(
      error.kind === 'conflict' ? 409 : 422,
      error.code,
      error.message,
      error.details?.length ? error.details : undefined,
    );
  if (error instanceof NotConfiguredError) return new HttpError(501, 'not_configured', error.message);
  if (
    error instanceof PaymentProviderError ||
    error instanceof ProviderRejectedError ||
    error instanceof ProviderUnavailableError
  )
    return new HttpError(502, 'payment_provider_error', error.message);
  if (error instanceof InvalidInputError) return new ValidationFailedError(error.details, error.message);
  if (error instanceof InvalidCursorError)
    return new HttpError(400, 'invalid_cursor', error.message, [{ path: '?/cursor', message: error.message }]);
  if (error instanceof InvalidRequestError)
    return new ValidationFailedError([{ path: error.path, message: error.message }], `${error.path}: ${error.message}`);
  if (error instanceof StorageUnavailableError) {
    return new HttpError(503, 'storage_unavailable', error.message, undefined, { headers: { 'retry-after': '1' } });
  }
  return undefined;
}

type HttpMiddleware = middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>;

/**
 * The one error shape for any error. 4xx (and 503) details are shown to the client; anything else is
 * logged with its stack and answered "internal error" with the request id only.
 */
export function errorResponse(error: unknown, requestId: string, logger: Logger): APIGatewayProxyStructuredResultV2 {
  const httpError = toHttpError(error);
  if (httpError) {
    if (httpError.statusCode >= 500)
      logger.warn('request failed', { statusCode: httpError.statusCode, error: httpError });
    return json(
      httpError.statusCode,
      errorBody(httpError.code, httpError.message, {
        ...(httpError.details ? { details: httpError.details } : {}),
        request_id: requestId,
      }),
      { 'x-request-id': requestId, ...httpError.headers },
    );
  }
  logger.error('unhandled error', { error: error as Error });
  return json(500, errorBody('internal_error', 'internal error', { request_id: requestId }), {
    'x-request-id': requestId,
  });
}

/** Maps every error to the one error shape (errorResponse). */
export function httpErrors(logger: Logger): HttpMiddleware {
  return {
    onError: async (request) => {
      request.response = errorResponse(request.error, request.context.awsRequestId, logger);
    },
  };
}

/** Stamps SECURITY_HEADERS on every response, successful or not (register it first: it runs last). */
export function securityHeaders(): HttpMiddleware {
  const stamp = async (request: middy.Request<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>) => {
    const response = request.response;
    if (response) response.headers = { ...response.headers, ...SECURITY_HEADERS };
  };
  return { after: stamp, onError: stamp };
}

/** Stamps the request id on every successful response. */
export function requestIdHeader(): HttpMiddleware {
  return {
    after: async (request) => {
      const response = request.response;
      if (response) response.headers = { ...response.headers, 'x-request-id': request.context.awsRequestId };
    },
  };
}
