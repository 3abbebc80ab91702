import {
  type AttributeValue,
  BatchGetItemCommand,
  BatchWriteItemCommand,
  type DynamoDBClient,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { StorageUnavailableError } from '../../app/errors.js';
import { Decimal } from '../../domain/decimal.js';

export type Item = Record<string, AttributeValue>;

export const s = (value: string): AttributeValue => ({ S: value });
/** Numbers go to DynamoDB as decimal strings: never through a JS float. */
export const n = (value: Decimal | number | bigint): AttributeValue => ({ N: value.toString() });
export const stringMap = (value: Record<string, string>): AttributeValue => ({
  M: Object.fromEntries(Object.entries(value).map(([k, v]) => [k, s(v)])),
});

export function str(item: Item, name: string): string | undefined {
  return item[name]?.S;
}

export function dec(item: Item, name: string): Decimal | undefined {
  const raw = item[name]?.N;
  return raw === undefined ? undefined : new Decimal(raw);
}

export function int(item: Item, name: string): number | undefined {
  const raw = item[name]?.N;
  return raw === undefined ? undefined : Number(raw);
}

export function readStringMap(item: Item, name: string): Record<string, string> {
  const map = item[name]?.M ?? {};
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, v.S ?? '']));
}

/** Entity documents are stored as JSON text in `doc`; keys and condition attributes live beside it. */
export function doc<T>(item: Item): T {
  const text = item.doc?.S;
  if (text === undefined) throw new Error(`item ${item.PK?.S}/${item.SK?.S} has no doc`);
  return JSON.parse(text) as T;
}

/** Every item of a query, following LastEvaluatedKey. */
export async function queryAll(
  client: DynamoDBClient,
  input: ConstructorParameters<typeof QueryCommand>[0],
): Promise<Item[]> {
  const items: Item[] = [];
  for await (const page of queryPages(client, input)) items.push(...page);
  return items;
}

/** The pages of a query, one at a time (a reader that stops early reads no further page). */
export async function* queryPages(
  client: DynamoDBClient,
  input: ConstructorParameters<typeof QueryCommand>[0],
): AsyncGenerator<Item[]> {
  let start: Item | undefined;
  do {
    const page = await client.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    yield page.Items ?? [];
    start = page.LastEvaluatedKey;
  } while (start);
}

/**
 * Puts items 25 to a BatchWriteItem, `concurrency` batches at once, retrying what DynamoDB leaves
 * unprocessed (throttling) with backoff; gives up after 10 attempts of one batch.
 */
export async function batchPut(
  client: DynamoDBClient,
  tableName: string,
  items: readonly Item[],
  concurrency = 1,
): Promise<void> {
  const batches = Array.from({ length: Math.ceil(items.length / 25) }, (_, i) => items.slice(i * 25, (i + 1) * 25));
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      let requests = batches[next++]!.map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 1; requests.length > 0; attempt++) {
        const response = await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: requests } }));
        requests = (response.UnprocessedItems?.[tableName] ?? []) as typeof requests;
        if (requests.length === 0) break;
        if (attempt >= 10)
          throw new StorageUnavailableError(`DynamoDB kept refusing ${requests.length} writes (throttled); try again`);
        await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 20 * 2 ** attempt) * Math.random()));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, batches.length) }, worker));
}

/**
 * Gets items by key, 100 to a BatchGetItem, all batches at once, retrying unprocessed keys with
 * backoff (at most 10 attempts of one batch). Items that do not exist are simply absent.
 */
export async function batchGet(
  client: DynamoDBClient,
  tableName: string,
  keys: readonly Item[],
  options: { consistentRead?: boolean; projection?: string; names?: Record<string, string> } = {},
): Promise<Item[]> {
  const found: Item[] = [];
  const batches = Array.from({ length: Math.ceil(keys.length / 100) }, (_, i) => keys.slice(i * 100, (i + 1) * 100));
  await Promise.all(
    batches.map(async (batch) => {
      let pending = batch;
      for (let attempt = 1; pending.length > 0; attempt++) {
        const result = await client.send(
          new BatchGetItemCommand({
            RequestItems: {
              [tableName]: {
                Keys: pending,
                ...(options.consistentRead ? { ConsistentRead: true } : {}),
                ...(options.projection ? { ProjectionExpression: options.projection } : {}),
                ...(options.names ? { ExpressionAttributeNames: options.names } : {}),
              },
            },
          }),
        );
        found.push(...(result.Responses?.[tableName] ?? []));
        pending = (result.UnprocessedKeys?.[tableName]?.Keys ?? []) as Item[];
        if (pending.length === 0) break;
        if (attempt >= 10)
          throw new StorageUnavailableError(`DynamoDB kept refusing ${pending.length} reads (throttled); try again`);
        await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 20 * 2 ** attempt) * Math.random()));
      }
    }),
  );
  return found;
}
