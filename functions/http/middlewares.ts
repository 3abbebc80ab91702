import type { Logger } from '@aws-lambda-powertools/logger';
import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import {
  AlreadyExistsError,
  ConflictError,
  InvalidInputError,
  InvalidRequestError,
  NotFoundError,
  StorageUnavailableError,
} from '../app/errors.js';
import { HttpError, ValidationFailedError } from './errors.js';

/** Expected outcomes of the use cases, as HTTP errors: the one place this mapping lives. */
function toHttpError(error: unknown): HttpError | undefined {
  if (error instanceof HttpError) return error;
  if (error instanceof NotFoundError) return new HttpError(404, 'not_found', error.message);
  if (error instanceof AlreadyExistsError) return new HttpError(409, 'already_exists', error.message);
  if (error instanceof ConflictError) return new HttpError(409, 'conflict', error.message);
  if (error instanceof InvalidInputError) return new ValidationFailedError(error.details, error.message);
  if (error instanceof InvalidRequestError)
    return new ValidationFailedError([{ path: error.path, message: error.message }], `${error.path}: ${error.message}`);
  if (error instanceof StorageUnavailableError) {
    return new HttpError(503, 'service_unavailable', error.message, undefined, { headers: { 'retry-after': '1' } });
  }
  return undefined;
}

import { errorBody, json } from './respond.js';

type HttpMiddleware = middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>;

/**
 * Maps every error to the one error shape. 4xx (and 503) details are shown to the client; anything
 * else is logged with its stack and answered "internal error" with the request id only.
 */
export function httpErrors(logger: Logger): HttpMiddleware {
  return {
    onError: async (request) => {
      const requestId = request.context.awsRequestId;
      const error = toHttpError(request.error);
      if (error) {
        if (error.statusCode >= 500) logger.warn('request failed', { statusCode: error.statusCode, error });
        request.response = json(
          error.statusCode,
          errorBody(error.code, error.message, {
            ...(error.details ? { details: error.details } : {}),
            request_id: requestId,
          }),
          { 'x-request-id': requestId, ...error.headers },
        );
        return;
      }
      logger.error('unhandled error', { error: request.error as Error });
      request.response = json(500, errorBody('internal_error', 'internal error', { request_id: requestId }), {
        'x-request-id': requestId,
      });
    },
  };
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
