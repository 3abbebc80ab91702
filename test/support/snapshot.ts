import { type AttributeValue, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { LocalStack } from '../../local/stack.js';

/**
 * Every item of the billing table and of the events table, as sorted text: what "the store is
 * unchanged" compares before and after a refused request.
 */
export async function storeSnapshot(stack: Pick<LocalStack, 'deps' | 'config'>): Promise<string[]> {
  const items: string[] = [];
  for (const tableName of [stack.config.tableName, stack.config.eventsTableName]) {
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await stack.deps.dynamo.send(
        new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: start }),
      );
      for (const item of page.Items ?? []) items.push(`${tableName}:${JSON.stringify(item, Object.keys(item).sort())}`);
      start = page.LastEvaluatedKey;
    } while (start);
  }
  return items.sort();
}
