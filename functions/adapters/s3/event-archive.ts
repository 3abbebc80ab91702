import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { EventReader, StoredEvent } from '../../app/ports/usage.js';
import { eventKey } from '../../domain/metering/ingest.js';
import { utcDatesOf } from '../../domain/metering/rollups.js';

/** One raw event as the archive keeps it (what the table's event item held). */
export interface ArchivedEvent {
  source: string;
  id: string;
  customer: string;
  type: string;
  /** ISO instant of the event (the time it is counted at). */
  time: string;
  /** ISO instant the API accepted it. */
  receivedAt: string;
  /** The CloudEvent as JSON text, numbers exact. */
  raw: string;
  /**
   * ISO instant the event was cancelled (`POST /v1/events/cancel`): the line is a cancellation
   * record, and readers leave the event out. Absent on every line written before cancellations.
   */
  cancelledAt?: string;
}

const EVENT_FIELD = ',"event":';

/** Objects read at once by one reader (a day of a busy customer is several objects). */
const READ_CONCURRENCY = 8;

/** `events/customer=<customer>/date=<yyyy-mm-dd>/`: one prefix per customer and UTC day of event time. */
export function archivePrefix(customer: string, day: string): string {
  return `events/customer=${encodeURIComponent(customer)}/date=${day}/`;
}

/**
 * One line of an archive object: the identity, customer, type and times, then the CloudEvent itself
 * as a nested object, byte for byte what was accepted (its numbers keep every digit).
 */
export function archiveLine(event: ArchivedEvent): string {
  const head = JSON.stringify({
    source: event.source,
    id: event.id,
    customer: event.customer,
    type: event.type,
    time: event.time,
    received_at: event.receivedAt,
    ...(event.cancelledAt === undefined ? {} : { cancelled_at: event.cancelledAt }),
  });
  return `${head.slice(0, -1)}${EVENT_FIELD}${event.raw}}`;
}

/**
 * Reads a line back. The head holds strings only (JSON escapes every quote inside them), so the first
 * `,"event":` ends it; the event is the rest of the line, taken as the exact text that was written.
 */
export function parseArchiveLine(line: string): ArchivedEvent {
  const separator = line.indexOf(EVENT_FIELD);
  if (separator < 0 || !line.endsWith('}')) throw new Error(`not an archive line: ${line.slice(0, 120)}`);
  const head = JSON.parse(`${line.slice(0, separator)}}`) as Record<string, unknown>;
  const text = (name: string) => {
    const field = head[name];
    if (typeof field !== 'string') throw new Error(`archive line without "${name}": ${line.slice(0, 120)}`);
    return field;
  };
  return {
    source: text('source'),
    id: text('id'),
    customer: text('customer'),
    type: text('type'),
    time: text('time'),
    receivedAt: text('received_at'),
    raw: line.slice(separator + EVENT_FIELD.length, -1),
    ...(head.cancelled_at === undefined ? {} : { cancelledAt: text('cancelled_at') }),
  };
}

const order = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
/** Time order, then source and id: the order the events are written and read in. */
const byTime = (a: ArchivedEvent, b: ArchivedEvent) =>
  order(a.time, b.time) || order(a.source, b.source) || order(a.id, b.id);

/**
 * The archive of raw events in S3, written from the table's stream (`functions/handlers/archive-events.ts`)
 * and read back by reconcile and percentage rating once the events have left the table.
 *
 * Objects are gzip JSON lines, one object per (customer, UTC day of event time, stream batch), named by
 * the SHA-256 of their content: a batch handed over again writes the same object with the same bytes,
 * and two batches that overlap (a retried batch split differently) write two objects holding some
 * events twice. Readers therefore keep one event per (source, id): what the archive holds is exactly
 * the committed events, each once.
 *
 * A cancelled event (`POST /v1/events/cancel`) comes again as a cancellation record: the same line
 * with `cancelled_at`, in an object of the same customer and day (written when the stream reports the
 * event item modified). Readers leave out every event of which any line is a cancellation record, so
 * what they read is the committed events minus the cancelled ones. Objects written before
 * cancellations existed simply hold none.
 */
export class EventArchive implements EventReader {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  /** Writes the events, one object per customer and day; returns the keys written. */
  async write(events: readonly ArchivedEvent[]): Promise<string[]> {
    const groups = new Map<string, ArchivedEvent[]>();
    for (const event of events) {
      const prefix = archivePrefix(event.customer, event.time.slice(0, 10));
      const group = groups.get(prefix);
      if (group) group.push(event);
      else groups.set(prefix, [event]);
    }
    const keys: string[] = [];
    await Promise.all(
      [...groups.entries()].map(async ([prefix, group]) => {
        // One line per event; a cancellation record wins over the insert of the same event.
        const unique = new Map<string, ArchivedEvent>();
        for (const event of group) {
          const key = eventKey(event);
          if (!unique.get(key)?.cancelledAt) unique.set(key, event);
        }
        const body = `${[...unique.values()].sort(byTime).map(archiveLine).join('\n')}\n`;
        const name = createHash('sha256').update(body).digest('hex').slice(0, 32);
        const key = `${prefix}${name}.jsonl.gz`;
        await this.client.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: key,
            Body: gzipSync(body),
            ContentType: 'application/gzip',
          }),
        );
        keys.push(key);
      }),
    );
    return keys.sort();
  }

  /**
   * The archived events of a customer with from <= time < to, each once, in time order (then source,
   * id); cancelled events left out.
   */
  async *events(customerId: string, from: Date, to: Date): AsyncGenerator<StoredEvent> {
    const fromIso = from.toISOString();
    const toIso = to.toISOString();
    for (const day of utcDatesOf(from, to)) {
      const keys = await this.list(archivePrefix(customerId, day));
      const unique = new Map<string, ArchivedEvent>();
      const cancelled = new Set<string>();
      for (let i = 0; i < keys.length; i += READ_CONCURRENCY) {
        const bodies = await Promise.all(keys.slice(i, i + READ_CONCURRENCY).map((key) => this.read(key)));
        for (const body of bodies)
          for (const line of body.split('\n')) {
            if (line === '') continue;
            const event = parseArchiveLine(line);
            if (event.time < fromIso || event.time >= toIso) continue;
            if (event.cancelledAt !== undefined) cancelled.add(eventKey(event));
            else unique.set(eventKey(event), event);
          }
      }
      for (const key of cancelled) unique.delete(key);
      for (const event of [...unique.values()].sort(byTime))
        yield { raw: event.raw, time: event.time, receivedAt: event.receivedAt };
    }
  }

  private async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: prefix,
          ...(token ? { ContinuationToken: token } : {}),
        }),
      );
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }

  private async read(key: string): Promise<string> {
    const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    if (!object.Body) return '';
    return gunzipSync(await object.Body.transformToByteArray()).toString('utf8');
  }
}
