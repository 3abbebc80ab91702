import {
  type AttributeValue,
  BatchGetItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { Estimate, UpcomingReport } from '../../app/estimates.js';
import { batchPut, doc, type Item, s } from './attributes.js';

/**
 * Estimates of the current period, refreshed on a schedule (see app/estimates.ts): one item per
 * customer (`PK = ESTIMATE#<customer>`, `SK = ESTIMATE`) and one snapshot of the totals
 * (`PK = ESTIMATES`, `SK = SNAPSHOT`). Derived data: rebuilt whole by every refresh, never billed from.
 */
const estimateKey = (customer: string) => ({ PK: s(`ESTIMATE#${customer}`), SK: s('ESTIMATE') });
const SNAPSHOT_KEY = { PK: s('ESTIMATES'), SK: s('SNAPSHOT') };

const pause = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)));

function chunks<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}

export class EstimateStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  /** Writes the estimates, several batches at once. */
  async putAll(estimates: readonly Estimate[], concurrency = 8): Promise<void> {
    await batchPut(
      this.client,
      this.tableName,
      estimates.map((estimate) => ({ ...estimateKey(estimate.customer), doc: s(JSON.stringify(estimate)) })),
      concurrency,
    );
  }

  /** The estimates of these customers, where there is one (100 keys to a BatchGetItem). */
  async forCustomers(customers: readonly string[]): Promise<Map<string, Estimate>> {
    const found = new Map<string, Estimate>();
    await Promise.all(
      chunks([...new Set(customers)], 100).map(async (ids) => {
        let keys: Array<Record<string, AttributeValue>> = ids.map(estimateKey);
        for (let attempt = 0; keys.length > 0; attempt++) {
          if (attempt > 0) await pause(attempt);
          if (attempt > 10) throw new Error('DynamoDB kept refusing estimate reads (throttled); try again');
          const result = await this.client.send(
            new BatchGetItemCommand({ RequestItems: { [this.tableName]: { Keys: keys } } }),
          );
          for (const item of result.Responses?.[this.tableName] ?? []) {
            const estimate = doc<Estimate>(item);
            found.set(estimate.customer, estimate);
          }
          keys = (result.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Item[];
        }
      }),
    );
    return found;
  }

  async snapshot(): Promise<UpcomingReport | undefined> {
    const result = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: SNAPSHOT_KEY, ConsistentRead: true }),
    );
    return result.Item ? doc<UpcomingReport>(result.Item) : undefined;
  }

  /** Stores the snapshot unless a newer one is there already (two refreshes at once: the later one wins). */
  async putSnapshot(snapshot: UpcomingReport): Promise<void> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: { ...SNAPSHOT_KEY, as_of: s(snapshot.as_of), doc: s(JSON.stringify(snapshot)) },
          ConditionExpression: 'attribute_not_exists(as_of) OR as_of <= :as_of',
          ExpressionAttributeValues: { ':as_of': s(snapshot.as_of) },
        }),
      );
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    }
  }
}
