import { type AttributeValue, type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { EventScanRequest } from '../../app/archive-backfill.js';
import type { ArchivedEvent } from '../s3/event-archive.js';
import { decodeCursor, encodeCursor } from './cursor.js';

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

/** Which raw events a scan of the table keeps, and where it starts (see `scanStoredEvents`). */
export interface EventScan {
  /** Part of a parallel scan: this segment of `totalSegments` (both absent: the whole table). */
  segment?: number;
  totalSegments?: number;
  /** The key the previous page ended at (its `next`). */
  startKey?: Record<string, AttributeValue>;
  /** Most items one page reads (the scan's `Limit`). */
  limit?: number;
  /** Only this customer's events. */
  customer?: string;
  /** Only events whose time is in [from, to) (ISO instants, as stored). */
  from?: string;
  to?: string;
}

/**
 * One page of a scan of the raw events stored in a table, with the items that hold them and the key
 * to go on from (absent: the scan, or its segment, is over). `scanned` counts the items read.
 */
export async function scanStoredEvents(
  client: DynamoDBClient,
  tableName: string,
  scan: EventScan = {},
): Promise<{
  events: ArchivedEvent[];
  items: Array<Record<string, AttributeValue>>;
  scanned: number;
  next?: Record<string, AttributeValue>;
}> {
  const conditions = ['begins_with(PK, :e)', 'SK = :sk'];
  const values: Record<string, AttributeValue> = { ':e': { S: EVENT_KEY_PREFIX }, ':sk': { S: 'EVENT' } };
  const names: Record<string, string> = {};
  if (scan.customer !== undefined) {
    conditions.push('#c = :c');
    names['#c'] = 'customer';
    values[':c'] = { S: scan.customer };
  }
  if (scan.from !== undefined || scan.to !== undefined) names['#t'] = 'time';
  if (scan.from !== undefined) {
    conditions.push('#t >= :from');
    values[':from'] = { S: scan.from };
  }
  if (scan.to !== undefined) {
    conditions.push('#t < :to');
    values[':to'] = { S: scan.to };
  }
  const page = await client.send(
    new ScanCommand({
      TableName: tableName,
      FilterExpression: conditions.join(' AND '),
      ExpressionAttributeValues: values,
      ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
      ...(scan.totalSegments === undefined ? {} : { Segment: scan.segment ?? 0, TotalSegments: scan.totalSegments }),
      ...(scan.limit === undefined ? {} : { Limit: scan.limit }),
      ...(scan.startKey ? { ExclusiveStartKey: scan.startKey } : {}),
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
  return {
    events,
    items,
    scanned: page.ScannedCount ?? 0,
    ...(page.LastEvaluatedKey ? { next: page.LastEvaluatedKey } : {}),
  };
}

/**
 * The key a backfill cursor stands for: a raw event's key, or an {@link InvalidCursorError} (checked
 * by the API before it invokes the archiver, and by the archiver again).
 */
export function eventScanStart(cursor: string | undefined): Record<string, AttributeValue> | undefined {
  return decodeCursor(cursor, { PK: (value) => value.startsWith(EVENT_KEY_PREFIX), SK: 'EVENT' });
}

/**
 * Pages of raw events of the events table, for the archive backfill: the cursor is the scan's key,
 * checked to be a raw event's key before it reaches DynamoDB.
 */
export function eventScanner(client: DynamoDBClient, tableName: string) {
  return async (request: EventScanRequest): Promise<{ events: ArchivedEvent[]; scanned: number; cursor?: string }> => {
    const startKey = eventScanStart(request.cursor);
    const page = await scanStoredEvents(client, tableName, {
      ...(request.totalSegments === undefined
        ? {}
        : { segment: request.segment ?? 0, totalSegments: request.totalSegments }),
      ...(startKey ? { startKey } : {}),
      ...(request.pageSize === undefined ? {} : { limit: request.pageSize }),
      ...(request.customer === undefined ? {} : { customer: request.customer }),
      ...(request.from === undefined ? {} : { from: request.from.toISOString() }),
      ...(request.to === undefined ? {} : { to: request.to.toISOString() }),
    });
    const cursor = encodeCursor(page.next);
    return { events: page.events, scanned: page.scanned, ...(cursor === undefined ? {} : { cursor }) };
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
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await scanStoredEvents(client, tableName, startKey ? { startKey } : {});
    if (page.events.length > 0) yield { events: page.events, items: page.items };
    startKey = page.next;
  } while (startKey);
}
