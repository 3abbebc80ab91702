import {
  ConditionalCheckFailedException,
  ProvisionedThroughputExceededException,
  ResourceNotFoundException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { asStorageError, storageFailure } from '../../functions/adapters/dynamodb/client.js';
import { StorageUnavailableError } from '../../functions/app/errors.js';

const meta = { $metadata: {}, message: 'x' };
const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({ ...meta, CancellationReasons: codes.map((Code) => ({ Code })) });
const network = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:1`), { code });

describe('which DynamoDB failures are the storage being unavailable', () => {
  it.each([
    ['a refused connection', network('ECONNREFUSED'), 'unreachable'],
    ['a reset connection', network('ECONNRESET'), 'unreachable'],
    ['a socket hang-up', new Error('socket hang up'), 'unreachable'],
    ['a timeout', Object.assign(new Error('timed out'), { name: 'TimeoutError' }), 'timed out'],
    ['throughput exceeded', new ProvisionedThroughputExceededException(meta), 'throttled'],
    ['throttling', Object.assign(new Error('slow down'), { name: 'ThrottlingException' }), 'throttled'],
    ['a request limit', Object.assign(new Error('limit'), { name: 'RequestLimitExceeded' }), 'throttled'],
    ['a transaction cancelled only by throttling', cancelled('None', 'ThrottlingError', 'None'), 'throttled'],
  ])('%s is storage unavailable', (_, error, failure) => {
    expect(storageFailure(error)).toBe(failure);
    const converted = asStorageError(error);
    expect(converted).toBeInstanceOf(StorageUnavailableError);
    expect((converted as Error).cause).toBe(error);
  });

  it.each([
    ['a conditional check failure', new ConditionalCheckFailedException(meta)],
    ['a transaction cancelled by a condition', cancelled('ConditionalCheckFailed', 'None')],
    ['a transaction cancelled by a condition and throttling', cancelled('ConditionalCheckFailed', 'ThrottlingError')],
    ['a transaction conflict', cancelled('TransactionConflict', 'None')],
    ['a missing table', new ResourceNotFoundException(meta)],
    ['a bug of ours', new TypeError('x is undefined')],
  ])('%s passes through unchanged', (_, error) => {
    expect(storageFailure(error)).toBeUndefined();
    expect(asStorageError(error)).toBe(error);
  });
});
