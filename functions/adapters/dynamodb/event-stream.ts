import { type AttributeValue, type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { ArchivedEvent } from '../s3/event-archive.js';

/** The prefix of raw event items' partition keys (`EVENT#<source>#<id>`, both URI-encoded). */
export const EVENT_KEY_PREFIX = 'EVENT#';

/** The record is the insert of a raw event (what the event source mapping's filter lets through). */
export function isEventInsert(record: DynamoDBRecord): boolean {
  return record.eventName === 'INSERT' && (record.dynamodb?.Keys?.PK?.S ?? '').startsWith(EVENT_KEY_PREFIX);
}

/** The record is the cancellation of a raw event: a change of its item that leaves it with `cancelled_at`. */
export function isEventCancellation(record: DynamoDBRecord): boolean {
  return (
    record.eventName === 'MODIFY' &&
    (record.dynamodb?.Keys?.PK?.S ?? '').startsWith(EVENT_KEY_PREFIX) &&
    record.dynamodb?.NewImage?.cancelled_at?.S !== undefined
  );
}

/** What the archive copies (the event source mapping's filter): inserts and cancellations of raw events. */
export function isArchivedRecord(record: DynamoDBRecord): boolean {
  return isEventInsert(record) || isEventCancellation(record);
}

/**
 * The raw event a stream record carries, if it is the insert or the cancellation of one (then with
 * `cancelledAt`): the event source mapping lets only those through (its filter), and this check
 * repeats it, so a record of any other item (counters, customers, a TTL deletion) is never archived.
 */
export function archivedEventOf(record: DynamoDBRecord): ArchivedEvent | undefined {
  if (!isArchivedRecord(record)) return undefined;
  const image = record.dynamodb?.NewImage;
  return image ? eventOfItem(image, `stream record ${record.eventID}`) : undefined;
}

/** The raw event an item of the table holds (a stream image or a scanned item), if it is one. */
export function eventOfItem(item: Record<string, { S?: string }>, what: string): ArchivedEvent | undefined {
  const pk = item.PK?.S;
  if (!pk?.startsWith(EVENT_KEY_PREFIX) || item.SK?.S !== 'EVENT') return undefined;
  const [source, id] = pk.slice(EVENT_KEY_PREFIX.length).split('#');
  const text = (name: string) => {
    const value = item[name]?.S;
    if (value === undefined) throw new Error(`${what}: event item ${pk} without "${name}"`);
    return value;
  };
  if (source === undefined || id === undefined) throw new Error(`${what}: bad event key ${pk}`);
  return {
    source: decodeURIComponent(source),
    id: decodeURIComponent(id),
    customer: text('customer'),
    type: text('type'),
    time: text('time'),
    receivedAt: text('received_at'),
    raw: text('raw'),
    ...(item.cancelled_at?.S === undefined ? {} : { cancelledAt: item.cancelled_at.S }),
  };
}

/**
 * The raw events stored in a table, a page at a time, with the items that hold them: what a table had
 * before its stream existed is copied to the archive this way once, and a data folder of a release
 * that kept raw events in the billing table moves them into the events table (`npm start`).
 */
export async function* storedEventPages(
  client: DynamoDBClient,
  tableName: string,
): AsyncGenerator<{ events: ArchivedEvent[]; items: Array<Record<string, AttributeValue>> }> {
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: 'begins_with(PK, :e) AND SK = :sk',
        ExpressionAttributeValues: { ':e': { S: EVENT_KEY_PREFIX }, ':sk': { S: 'EVENT' } },
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    const events: ArchivedEvent[] = [];
    const items: Array<Record<string, AttributeValue>> = [];
    for (const item of page.Items ?? []) {
      const event = eventOfItem(item as Record<string, { S?: string }>, `table ${tableName}`);
      if (!event) continue;
      events.push(event);
      items.push(item);
    }
    if (events.length > 0) yield { events, items };
    start = page.LastEvaluatedKey;
  } while (start);
}
