import { type AttributeValue, DynamoDBClient, paginateScan } from '@aws-sdk/client-dynamodb';

export type Snapshot = Map<string, string>;

/** The whole table, item by item (key `PK|SK` → the item as canonical JSON), to prove a request changed nothing. */
export class StoreSnapshots {
  private readonly client: DynamoDBClient;
  scans = 0;

  constructor(
    endpoint: string,
    private readonly tableName: string,
  ) {
    this.client = new DynamoDBClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  }

  async take(): Promise<Snapshot> {
    this.scans++;
    const items: Snapshot = new Map();
    for await (const page of paginateScan(
      { client: this.client },
      { TableName: this.tableName, ConsistentRead: true },
    )) {
      for (const item of page.Items ?? []) items.set(`${item.PK?.S}|${item.SK?.S}`, canonical(item));
    }
    return items;
  }

  destroy(): void {
    this.client.destroy();
  }
}

function canonical(item: Record<string, AttributeValue>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
}

/** Keys added, removed or changed between two snapshots, sorted. */
export function changes(before: Snapshot, after: Snapshot): string[] {
  const changed: string[] = [];
  for (const [key, item] of after) {
    const old = before.get(key);
    if (old === undefined) changed.push(`+${key}`);
    else if (old !== item) changed.push(`~${key}`);
  }
  for (const key of before.keys()) if (!after.has(key)) changed.push(`-${key}`);
  return changed.sort();
}
