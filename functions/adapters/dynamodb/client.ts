import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { StorageUnavailableError } from '../../app/errors.js';
import type { BillingConfig } from '../../config.js';

/** How long the client waits for DynamoDB before it gives up (and answers 503 upstream). */
export interface DynamoClientLimits {
  /** Attempts per call, first one included (standard retry mode: jittered exponential backoff). */
  maxAttempts: number;
  /** Milliseconds to open a connection. */
  connectionTimeoutMs: number;
  /** Milliseconds one attempt (request and response) may take. */
  requestTimeoutMs: number;
}

/**
 * AWS: generous enough for a loaded Lambda, and well inside the API's 29 s integration timeout.
 * Local (an endpoint is set): a dead DynamoDB Local refuses connections at once, so few attempts
 * make it a 503 in well under a second; a hung one is cut after the request timeout.
 */
export const AWS_LIMITS: DynamoClientLimits = { maxAttempts: 6, connectionTimeoutMs: 3000, requestTimeoutMs: 10_000 };
export const LOCAL_LIMITS: DynamoClientLimits = { maxAttempts: 3, connectionTimeoutMs: 1000, requestTimeoutMs: 10_000 };

const THROTTLING = new Set(['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded']);
const THROTTLING_REASONS = new Set(['ThrottlingError', 'ProvisionedThroughputExceeded', 'RequestLimitExceeded']);
/** DynamoDB's own outages: retried by the SDK, still failing after the last attempt. */
const SERVER_SIDE = new Set(['ServiceUnavailable', 'InternalServerError', 'InternalFailure']);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ECONNABORTED',
]);

/**
 * Why a DynamoDB call failed, when it is the storage being unreachable or throttled rather than the
 * request: undefined for everything the callers handle themselves (conditional checks, cancelled
 * transactions with a ConditionalCheckFailed or conflict reason, validation errors).
 */
export function storageFailure(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  if (error instanceof TransactionCanceledException) {
    const codes = (error.CancellationReasons ?? []).map((reason) => reason.Code ?? 'None');
    const failed = codes.filter((code) => code !== 'None');
    return failed.length > 0 && failed.every((code) => THROTTLING_REASONS.has(code)) ? 'throttled' : undefined;
  }
  if (THROTTLING.has(error.name)) return 'throttled';
  if (SERVER_SIDE.has(error.name)) return 'unavailable';
  if (error.name === 'TimeoutError') return 'timed out';
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return 'unreachable';
  if (/socket hang up/i.test(error.message)) return 'unreachable';
  return undefined;
}

/** Turns storage outages into StorageUnavailableError (the edge answers 503 storage_unavailable); others pass. */
export function asStorageError(error: unknown): unknown {
  if (error instanceof StorageUnavailableError) return error;
  const failure = storageFailure(error);
  if (!failure) return error;
  return new StorageUnavailableError(`the storage is ${failure}; retry shortly`, { cause: error });
}

/**
 * One client per process (module scope in Lambda). Every call through it that fails because
 * DynamoDB is unreachable, timed out or throttled (after the SDK's retries) throws
 * StorageUnavailableError: the one place this translation lives, so every store gets it.
 */
export function createDynamoClient(
  config: Pick<BillingConfig, 'dynamodbEndpoint' | 'region'>,
  limits: DynamoClientLimits = config.dynamodbEndpoint ? LOCAL_LIMITS : AWS_LIMITS,
): DynamoDBClient {
  const client = new DynamoDBClient({
    region: config.region,
    maxAttempts: limits.maxAttempts,
    retryMode: 'standard',
    // Resolve each command's middleware once per client, not per call (our one middleware is added
    // below, before the first call, and never changed after).
    cacheMiddleware: true,
    requestHandler: {
      connectionTimeout: limits.connectionTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      throwOnRequestTimeout: true,
    },
    ...(config.dynamodbEndpoint
      ? { endpoint: config.dynamodbEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
  // `initialize` wraps the whole call, retries included: only the final failure is translated.
  client.middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        throw asStorageError(error);
      }
    },
    { step: 'initialize', name: 'storageUnavailable', priority: 'high' },
  );
  return client;
}
