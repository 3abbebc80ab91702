import type { DynamoDBRecord } from 'aws-lambda';
import type { ArchivedEvent } from '../s3/event-archive.js';

/** The prefix of raw event items' partition keys (`EVENT#<source>#<id>`, both URI-encoded). */
export const EVENT_KEY_PREFIX = 'EVENT#';

/** The record is the insert of a raw event (what the event source mapping's filter lets through). */
export function isEventInsert(record: DynamoDBRecord): boolean {
  return record.eventName === 'INSERT' && (record.dynamodb?.Keys?.PK?.S ?? '').startsWith(EVENT_KEY_PREFIX);
}

/**
 * The raw event a stream record carries, if it is the insert of one: the event source mapping lets
 * only those through (its filter), and this check repeats it, so a record of any other item (counters,
 * customers, a TTL deletion) is never archived.
 */
export function archivedEventOf(record: DynamoDBRecord): ArchivedEvent | undefined {
  if (!isEventInsert(record)) return undefined;
  const image = record.dynamodb?.NewImage;
  const pk = image?.PK?.S;
  if (!image || !pk?.startsWith(EVENT_KEY_PREFIX) || image.SK?.S !== 'EVENT') return undefined;
  const [source, id] = pk.slice(EVENT_KEY_PREFIX.length).split('#');
  const text = (name: string) => {
    const value = image[name]?.S;
    if (value === undefined) throw new Error(`stream record ${record.eventID}: event item ${pk} without "${name}"`);
    return value;
  };
  if (source === undefined || id === undefined) throw new Error(`stream record ${record.eventID}: bad event key ${pk}`);
  return {
    source: decodeURIComponent(source),
    id: decodeURIComponent(id),
    customer: text('customer'),
    type: text('type'),
    time: text('time'),
    receivedAt: text('received_at'),
    raw: text('raw'),
  };
}
