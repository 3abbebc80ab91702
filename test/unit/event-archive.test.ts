import type { DynamoDBRecord } from 'aws-lambda';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { archivedEventOf, isArchivedRecord, isEventInsert } from '../../functions/adapters/dynamodb/event-stream.js';
import { eventItemKey } from '../../functions/adapters/dynamodb/usage.js';
import { type ArchivedEvent, archiveLine, parseArchiveLine } from '../../functions/adapters/s3/event-archive.js';
import { ArchiveBehindError } from '../../functions/app/errors.js';
import { ARCHIVE_BEHIND_ERROR } from '../../lib/constructs/close-workflow.js';

const sample: ArchivedEvent = {
  source: 'shop/checkout',
  id: 'evt,"event":1',
  customer: 'c"1',
  type: 'payment',
  time: '2026-10-19T23:59:59.999Z',
  receivedAt: '2026-10-20T00:00:01.000Z',
  raw: '{"specversion":"1.0","id":"evt,\\"event\\":1","data":{"amount":12345678901234567.123456789012}}',
};

describe('archive lines', () => {
  it('keep the event text byte for byte, whatever the identity holds', () => {
    const line = archiveLine(sample);
    expect(JSON.parse(line).event.data).toBeDefined();
    expect(parseArchiveLine(line)).toEqual(sample);
    expect(line).toContain('"amount":12345678901234567.123456789012');
  });

  it('round-trip any identity and any JSON event', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), fc.json(), (source, id, customer, raw) => {
        const event = { ...sample, source, id, customer, raw };
        expect(parseArchiveLine(archiveLine(event))).toEqual(event);
      }),
    );
  });

  it('carry a cancellation as cancelled_at; a line written before cancellations reads as not cancelled', () => {
    const cancellation = { ...sample, cancelledAt: '2026-10-21T08:00:00.000Z' };
    const line = archiveLine(cancellation);
    expect(JSON.parse(line).cancelled_at).toBe('2026-10-21T08:00:00.000Z');
    expect(parseArchiveLine(line)).toEqual(cancellation);
    expect(parseArchiveLine(archiveLine(sample)).cancelledAt).toBeUndefined();
  });

  it('refuse text that is not an archive line', () => {
    expect(() => parseArchiveLine('{"source":"s"}')).toThrow(/not an archive line/);
    expect(() => parseArchiveLine('{"source":"s","event":{}}')).toThrow(/without "id"/);
  });
});

describe('stream records', () => {
  const key = eventItemKey('shop/checkout', 'a#b');
  const image = {
    PK: { S: key.PK.S! },
    SK: { S: 'EVENT' },
    customer: { S: 'c1' },
    type: { S: 'payment' },
    time: { S: '2026-10-20T10:00:00.000Z' },
    received_at: { S: '2026-10-20T10:00:01.000Z' },
    raw: { S: '{"id":"a#b"}' },
  };
  const record = (eventName: 'INSERT' | 'MODIFY' | 'REMOVE', pk = image.PK): DynamoDBRecord => ({
    eventID: '1',
    eventName,
    dynamodb: { Keys: { PK: pk, SK: image.SK }, NewImage: { ...image, PK: pk } },
  });

  it('archive inserts of raw events only, identity decoded from the key', () => {
    expect(archivedEventOf(record('INSERT'))).toEqual({
      source: 'shop/checkout',
      id: 'a#b',
      customer: 'c1',
      type: 'payment',
      time: '2026-10-20T10:00:00.000Z',
      receivedAt: '2026-10-20T10:00:01.000Z',
      raw: '{"id":"a#b"}',
    });
    expect(isEventInsert(record('MODIFY'))).toBe(false);
    // A change that leaves the item without cancelled_at is not archived.
    expect(archivedEventOf(record('MODIFY'))).toBeUndefined();
    expect(archivedEventOf(record('REMOVE'))).toBeUndefined();
    expect(archivedEventOf(record('INSERT', { S: 'USAGE#c1#T#payment' }))).toBeUndefined();
  });

  it('archive the cancellation of a raw event (a change leaving cancelled_at) as a cancellation record', () => {
    const cancelled: DynamoDBRecord = {
      eventID: '2',
      eventName: 'MODIFY',
      dynamodb: {
        Keys: { PK: image.PK, SK: image.SK },
        NewImage: { ...image, cancelled_at: { S: '2026-10-21T08:00:00.000Z' } },
      },
    };
    expect(isArchivedRecord(cancelled)).toBe(true);
    expect(archivedEventOf(cancelled)).toMatchObject({ id: 'a#b', cancelledAt: '2026-10-21T08:00:00.000Z' });
    const counter: DynamoDBRecord = {
      ...cancelled,
      dynamodb: { ...cancelled.dynamodb, Keys: { PK: { S: 'USAGE#c1#T#payment' }, SK: image.SK } },
    };
    expect(isArchivedRecord(counter)).toBe(false);
  });
});

it('the close workflow retries the error the close throws while the archive is behind', () => {
  expect(new ArchiveBehindError('c1', 'payments', 2, 3).name).toBe(ARCHIVE_BEHIND_ERROR);
});
