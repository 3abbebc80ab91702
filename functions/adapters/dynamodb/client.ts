import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { BillingConfig } from '../../config.js';

/** One client per process (module scope in Lambda). Standard retry mode: jittered exponential backoff on throttling. */
export function createDynamoClient(config: Pick<BillingConfig, 'dynamodbEndpoint' | 'region'>): DynamoDBClient {
  return new DynamoDBClient({
    region: config.region,
    maxAttempts: 6,
    retryMode: 'standard',
    ...(config.dynamodbEndpoint
      ? { endpoint: config.dynamodbEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
}
