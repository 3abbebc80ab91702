import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ApiKeyStore } from '../adapters/dynamodb/api-keys.js';
import { createDynamoClient } from '../adapters/dynamodb/client.js';
import { CustomerStore, MeterStore } from '../adapters/dynamodb/entities.js';
import { UsageStore } from '../adapters/dynamodb/usage.js';
import type { BillingConfig } from '../config.js';

/** Everything the handlers use, built once per process from the typed config. */
export interface ApiDeps {
  config: BillingConfig;
  clock: () => Date;
  dynamo: DynamoDBClient;
  meters: MeterStore;
  customers: CustomerStore;
  apiKeys: ApiKeyStore;
  usage: UsageStore;
}

export function buildDeps(config: BillingConfig, clock: () => Date = () => new Date()): ApiDeps {
  const dynamo = createDynamoClient(config);
  return {
    config,
    clock,
    dynamo,
    meters: new MeterStore(dynamo, config.tableName),
    customers: new CustomerStore(dynamo, config.tableName),
    apiKeys: new ApiKeyStore(dynamo, config.tableName, clock),
    usage: new UsageStore(dynamo, config.tableName),
  };
}
