import { type DynamoDBClient, GetItemCommand, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { int, n, s } from './attributes.js';

/**
 * A gapless number series (`SERIES#<series>` / `SERIES` with `last`): invoices and credit notes take
 * their next number in the transaction that writes them, with {@link seriesAdvance}.
 */
const seriesKey = (series: string) => ({ PK: s(`SERIES#${series}`), SK: s('SERIES') });

/** The last number taken in the series (0: none yet), read consistently. */
export async function lastInSeries(client: DynamoDBClient, tableName: string, series: string): Promise<number> {
  const item = await client.send(
    new GetItemCommand({ TableName: tableName, Key: seriesKey(series), ConsistentRead: true }),
  );
  return item.Item ? (int(item.Item, 'last') ?? 0) : 0;
}

/** Takes number `last + 1`, only if `last` is still the last one (the transaction is cancelled otherwise). */
export function seriesAdvance(tableName: string, series: string, last: number): TransactWriteItem {
  return {
    Update: {
      TableName: tableName,
      Key: seriesKey(series),
      UpdateExpression: 'SET #last = :next',
      ConditionExpression: last === 0 ? 'attribute_not_exists(#last)' : '#last = :last',
      ExpressionAttributeNames: { '#last': 'last' },
      ExpressionAttributeValues: { ':next': n(last + 1), ...(last === 0 ? {} : { ':last': n(last) }) },
    },
  };
}
