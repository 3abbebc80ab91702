import { type DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { Estimate, UpcomingReport } from '../../app/estimates.js';
import { batchGet, batchPut, doc, s } from './attributes.js';

/**
 * Estimates of the current period, refreshed on a schedule (see app/estimates.ts): one item per
 * customer (`PK = ESTIMATE#<customer>`, `SK = ESTIMATE`) and one snapshot of the totals
 * (`PK = ESTIMATES`, `SK = SNAPSHOT`). Derived data: rebuilt whole by every refresh, never billed from.
 */
const estimateKey = (customer: string) => ({ PK: s(`ESTIMATE#${customer}`), SK: s('ESTIMATE') });
const SNAPSHOT_KEY = { PK: s('ESTIMATES'), SK: s('SNAPSHOT') };

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

  /** The estimates of these customers, where there is one. */
  async forCustomers(customers: readonly string[]): Promise<Map<string, Estimate>> {
    const items = await batchGet(this.client, this.tableName, [...new Set(customers)].map(estimateKey));
    return new Map(items.map((item) => doc<Estimate>(item)).map((estimate) => [estimate.customer, estimate]));
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
