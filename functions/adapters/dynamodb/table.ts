import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DescribeTableCommandOutput,
  type DynamoDBClient,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';

/**
 * The single table (see docs/storage.md). Every item has PK/SK; GSI1 serves listings; `expires_at`
 * (epoch seconds) is the TTL attribute of dedupe records. Its stream (new images) feeds the event archive.
 */
export const TABLE = {
  partitionKey: 'PK',
  sortKey: 'SK',
  gsi1: { name: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' },
  gsi2: { name: 'GSI2', partitionKey: 'GSI2PK', sortKey: 'GSI2SK' },
  /** Sparse: only invoices that still owe money (receivables, dunning), by due date. */
  gsi3: { name: 'GSI3', partitionKey: 'GSI3PK', sortKey: 'GSI3SK' },
  ttlAttribute: 'expires_at',
} as const;

function gsi(index: { name: string; partitionKey: string; sortKey: string }) {
  return {
    IndexName: index.name,
    KeySchema: [
      { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
    ],
    Projection: { ProjectionType: 'ALL' as const },
  };
}

export function tableDefinition(tableName: string, options: { stream?: boolean } = {}): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: TABLE.partitionKey, AttributeType: 'S' },
      { AttributeName: TABLE.sortKey, AttributeType: 'S' },
      { AttributeName: TABLE.gsi1.partitionKey, AttributeType: 'S' },
      { AttributeName: TABLE.gsi1.sortKey, AttributeType: 'S' },
      { AttributeName: TABLE.gsi2.partitionKey, AttributeType: 'S' },
      { AttributeName: TABLE.gsi2.sortKey, AttributeType: 'S' },
      { AttributeName: TABLE.gsi3.partitionKey, AttributeType: 'S' },
      { AttributeName: TABLE.gsi3.sortKey, AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [gsi(TABLE.gsi1), gsi(TABLE.gsi2), gsi(TABLE.gsi3)],
    ...(options.stream === false ? {} : { StreamSpecification: STREAM }),
  };
}

/** The table's stream: new images (the archiver copies inserted raw events to S3). */
const STREAM = { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' as const };

/**
 * Creates the table when it does not exist (local runs; in AWS the CDK stack owns it), and answers
 * the ARN of its stream, and whether the stream was added to a table that had items before it.
 * Without `stream` (a local stack without the event archive, e.g. most tests) a new table gets none:
 * DynamoDB Local then spends nothing on stream records.
 */
export async function ensureTable(
  client: DynamoDBClient,
  tableName: string,
  options: { stream?: boolean } = {},
): Promise<{ streamArn?: string; streamAdded: boolean }> {
  const stream = options.stream ?? true;
  let existing: DescribeTableCommandOutput | undefined;
  try {
    existing = await client.send(new DescribeTableCommand({ TableName: tableName }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  if (existing) {
    // Tables created by an older version lack later indexes: add them (local data folders).
    const definition = tableDefinition(tableName);
    const present = new Set((existing.Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
    for (const index of definition.GlobalSecondaryIndexes ?? []) {
      if (present.has(index.IndexName)) continue;
      await client.send(
        new UpdateTableCommand({
          TableName: tableName,
          AttributeDefinitions: definition.AttributeDefinitions,
          GlobalSecondaryIndexUpdates: [{ Create: index }],
        }),
      );
    }
    // ...and a stream (tables of releases before the event archive).
    if (existing.Table?.StreamSpecification?.StreamEnabled && existing.Table.LatestStreamArn)
      return { streamArn: existing.Table.LatestStreamArn, streamAdded: false };
    if (!stream) return { streamAdded: false };
    const updated = await client.send(new UpdateTableCommand({ TableName: tableName, StreamSpecification: STREAM }));
    return { streamArn: streamArnOf(updated.TableDescription?.LatestStreamArn, tableName), streamAdded: true };
  }
  const created = await client.send(new CreateTableCommand(tableDefinition(tableName, { stream })));
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
    }),
  );
  return stream
    ? { streamArn: streamArnOf(created.TableDescription?.LatestStreamArn, tableName), streamAdded: false }
    : { streamAdded: false };
}

function streamArnOf(arn: string | undefined, tableName: string): string {
  if (!arn) throw new Error(`table ${tableName} has no stream after enabling it`);
  return arn;
}
