import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DescribeTableCommandOutput,
  type DynamoDBClient,
  ResourceNotFoundException,
  ScanCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { batchPut } from './attributes.js';
import { storedEventPages } from './event-stream.js';

/**
 * The billing table (see docs/storage.md): every item has PK/SK; GSI1 serves listings; `expires_at`
 * (epoch seconds) is the TTL attribute. Raw usage events live in a table of their own (below).
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

/** Both tables: on demand, keyed by PK (hash) and SK (range), strings. */
function keyedTable(tableName: string) {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: [
      { AttributeName: TABLE.partitionKey, AttributeType: 'S' as const },
      { AttributeName: TABLE.sortKey, AttributeType: 'S' as const },
    ],
    KeySchema: [
      { AttributeName: TABLE.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: TABLE.sortKey, KeyType: 'RANGE' as const },
    ],
  };
}

export function tableDefinition(tableName: string): CreateTableCommandInput {
  const keyed = keyedTable(tableName);
  return {
    ...keyed,
    AttributeDefinitions: [
      ...keyed.AttributeDefinitions,
      { AttributeName: TABLE.gsi1.partitionKey, AttributeType: 'S' },
      { AttributeName: TABLE.gsi1.sortKey, AttributeType: 'S' },
      { AttributeName: TABLE.gsi2.partitionKey, AttributeType: 'S' },
      { AttributeName: TABLE.gsi2.sortKey, AttributeType: 'S' },
      { AttributeName: TABLE.gsi3.partitionKey, AttributeType: 'S' },
      { AttributeName: TABLE.gsi3.sortKey, AttributeType: 'S' },
    ],
    GlobalSecondaryIndexes: [gsi(TABLE.gsi1), gsi(TABLE.gsi2), gsi(TABLE.gsi3)],
  };
}

/**
 * The events table: raw usage events (`EVENT#<source>#<id>` / `EVENT`) until their TTL, no index.
 * Its own table, so that the raw events' writes pay for no index and the stream carries nothing but
 * them (bench/ingest: DynamoDB Local spends ~0.6 ms per put into a table with three indexes and a
 * stream, ~0.4 with the stream alone, and the counters' writes no longer add stream records).
 */
export function eventsTableDefinition(tableName: string, options: { stream?: boolean } = {}): CreateTableCommandInput {
  return {
    ...keyedTable(tableName),
    ...(options.stream ? { StreamSpecification: STREAM } : {}),
  };
}

/** The table's stream: new images (the archiver copies inserted raw events to S3). */
const STREAM = { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' as const };

async function describe(client: DynamoDBClient, tableName: string): Promise<DescribeTableCommandOutput | undefined> {
  try {
    return await client.send(new DescribeTableCommand({ TableName: tableName }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    return undefined;
  }
}

async function enableTtl(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
    }),
  );
}

export interface EnsuredTables {
  /** The events table's stream, when one was asked for. */
  streamArn?: string;
  /**
   * The stream was added to an events table that holds events (moved from the billing table of an
   * earlier release, or stored before the archive existed): the caller copies them to the archive.
   */
  streamAdded: boolean;
  /** Raw events moved from the billing table of a release that kept them there. */
  moved: number;
}

/**
 * Creates the billing table and the events table when they do not exist (local runs; in AWS the CDK
 * stack owns them), and answers the ARN of the events table's stream. Without `stream` (a local stack
 * without the event archive, e.g. most tests) a new events table gets none: DynamoDB Local then
 * spends nothing on stream records.
 *
 * A data folder of an earlier release is brought up to date: indexes added later are created, the
 * raw events the billing table kept are moved into the events table (before its stream exists: the
 * caller copies them to the archive, `streamAdded`), and the billing table's stream is switched off
 * (DynamoDB Local slows down for a stream nobody reads).
 */
export async function ensureTables(
  client: DynamoDBClient,
  names: { tableName: string; eventsTableName: string },
  options: {
    stream?: boolean;
    /**
     * Switch TTL on for tables it creates (default). DynamoDB Local deletes expired items within
     * seconds by the wall clock, so a stack that runs on another clock (tests) asks for none.
     */
    ttl?: boolean;
  } = {},
): Promise<EnsuredTables> {
  const stream = options.stream ?? true;
  const ttl = options.ttl ?? true;
  const { tableName, eventsTableName } = names;
  const existing = await describe(client, tableName);
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
  } else {
    await client.send(new CreateTableCommand(tableDefinition(tableName)));
    if (ttl) await enableTtl(client, tableName);
  }

  let events = await describe(client, eventsTableName);
  let moved = 0;
  if (!events) {
    await client.send(new CreateTableCommand(eventsTableDefinition(eventsTableName)));
    if (ttl) await enableTtl(client, eventsTableName);
    if (existing) {
      for await (const page of storedEventPages(client, tableName)) {
        await batchPut(client, eventsTableName, page.items, 4);
        moved += page.items.length;
      }
    }
    events = await describe(client, eventsTableName);
  }
  if (existing?.Table?.StreamSpecification?.StreamEnabled)
    await client.send(new UpdateTableCommand({ TableName: tableName, StreamSpecification: { StreamEnabled: false } }));

  const current = events?.Table;
  if (current?.StreamSpecification?.StreamEnabled && current.LatestStreamArn)
    return { streamArn: current.LatestStreamArn, streamAdded: false, moved };
  if (!stream) return { streamAdded: false, moved };
  const holdsEvents = moved > 0 || (current?.ItemCount ?? 0) > 0 || (await holdsAnItem(client, eventsTableName));
  const updated = await client.send(
    new UpdateTableCommand({ TableName: eventsTableName, StreamSpecification: STREAM }),
  );
  return {
    streamArn: streamArnOf(updated.TableDescription?.LatestStreamArn, eventsTableName),
    streamAdded: holdsEvents,
    moved,
  };
}

async function holdsAnItem(client: DynamoDBClient, tableName: string): Promise<boolean> {
  const page = await client.send(new ScanCommand({ TableName: tableName, Limit: 1, ProjectionExpression: 'PK' }));
  return (page.Items ?? []).length > 0;
}

function streamArnOf(arn: string | undefined, tableName: string): string {
  if (!arn) throw new Error(`table ${tableName} has no stream after enabling it`);
  return arn;
}
