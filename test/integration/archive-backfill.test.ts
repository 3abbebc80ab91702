import { gunzipSync } from 'node:zlib';
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Client } from '../../functions/adapters/s3/client.js';
import { parseArchiveLine } from '../../functions/adapters/s3/event-archive.js';
import { startTestStack, type TestStack, testClock } from '../support/stack.js';

/**
 * Repairing the event archive (POST /v1/event-archive/backfill, `billing archive backfill`): events
 * the archiver never wrote (on AWS: a stream batch that went to the archive's dead-letter queue) are
 * copied from the events table again, through the archiver function, a bounded part per call, and
 * reconcile reads them back. Hostile requests answer 4xx and write nothing.
 */
let stack: TestStack;
let s3: S3Client;
let seq = 0;

const FROM = '2026-10-01T00:00:00Z';
const TO = '2026-11-01T00:00:00Z';

const event = (subject: string, time: string) => ({
  specversion: '1.0',
  id: `backfill-${seq++}`,
  source: 'backfill-test',
  type: 'api.call',
  subject,
  time,
  data: {},
});

async function keys(): Promise<string[]> {
  const found: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: stack.archive!.s3.bucket, Prefix: 'events/', ContinuationToken: token }),
    );
    for (const object of page.Contents ?? []) found.push(object.Key!);
    token = page.NextContinuationToken;
  } while (token);
  return found.sort();
}

/** The ids the archive holds for a customer (each once), and which of them as cancellations. */
async function archived(customer: string): Promise<{ ids: string[]; cancelled: string[] }> {
  const ids = new Set<string>();
  const cancelled = new Set<string>();
  for (const key of await keys()) {
    if (!key.startsWith(`events/customer=${customer}/`)) continue;
    const got = await s3.send(new GetObjectCommand({ Bucket: stack.archive!.s3.bucket, Key: key }));
    const text = gunzipSync(await got.Body!.transformToByteArray()).toString('utf8');
    for (const line of text.split('\n').filter(Boolean)) {
      const parsed = parseArchiveLine(line);
      ids.add(parsed.id);
      if (parsed.cancelledAt) cancelled.add(parsed.id);
    }
  }
  return { ids: [...ids].sort(), cancelled: [...cancelled].sort() };
}

/** What the archiver missed: every object gone (as if each stream batch had gone to the DLQ). */
async function loseArchive(): Promise<void> {
  for (const key of await keys())
    await s3.send(new DeleteObjectCommand({ Bucket: stack.archive!.s3.bucket, Key: key }));
  expect(await keys()).toEqual([]);
}

async function reconcile(customer: string) {
  const response = await stack.call('GET', `/v1/reconcile?customer=${customer}&from=${FROM}&to=${TO}`);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body as { events: number; mismatch_count: number };
}

const backfill = (body: unknown) => stack.call('POST', '/v1/event-archive/backfill', body);

/** Calls the backfill until its segment is done; answers the sums and how many calls it took. */
async function backfillAll(body: Record<string, unknown>) {
  const totals = { scanned: 0, archived: 0, objects: 0, calls: 0 };
  let cursor: string | null = null;
  do {
    const response = await backfill({ ...body, ...(cursor ? { cursor } : {}) });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    totals.scanned += response.body.scanned;
    totals.archived += response.body.archived;
    totals.objects += response.body.objects;
    totals.calls += 1;
    cursor = response.body.cursor;
  } while (cursor);
  return totals;
}

const anna: string[] = [];
const bert: string[] = [];
let cancelledId: string;

beforeAll(async () => {
  stack = await startTestStack({ clock: testClock('2026-10-20T12:00:00Z'), archive: true });
  s3 = createS3Client({ region: 'us-east-1', s3Endpoint: stack.archive!.s3.endpoint });
  const created = async (path: string, body: unknown) => {
    const response = await stack.call('POST', path, body);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
  };
  await created('/v1/meters', { key: 'calls', name: 'API calls', event_type: 'api.call', aggregation: 'count' });
  for (const id of ['anna', 'bert'])
    await created('/v1/customers', { id, name: id, email: `${id}@example.com`, currency: 'EUR', timezone: 'UTC' });
  // 23 events of anna over three UTC days, 7 of bert; one of anna's is cancelled.
  const batch = [
    ...Array.from({ length: 23 }, (_, i) => event('anna', `2026-10-${18 + (i % 3)}T0${i % 10}:00:00Z`)),
    ...Array.from({ length: 7 }, (_, i) => event('bert', `2026-10-19T1${i}:00:00Z`)),
  ];
  for (const e of batch) (e.subject === 'anna' ? anna : bert).push(e.id);
  const posted = await stack.call('POST', '/v1/events', batch, { contentType: 'application/cloudevents-batch+json' });
  expect(posted.body.accepted).toBe(30);
  cancelledId = anna[4]!;
  const cancelled = await stack.call('POST', '/v1/events/cancel', { source: 'backfill-test', id: cancelledId });
  expect(cancelled.body.status, JSON.stringify(cancelled.body)).toBe('cancelled');
  await stack.archive!.idle();
}, 120_000);

afterAll(async () => {
  s3?.destroy();
  await stack?.stop();
});

describe('POST /v1/event-archive/backfill', () => {
  it('writes back what the archive lost, a few pages per call, and reconcile balances again', async () => {
    expect(await reconcile('anna')).toMatchObject({ events: 22, mismatch_count: 0 });
    await loseArchive();
    // Without the archive, the counters no longer match the raw events reconcile reads.
    expect((await reconcile('anna')).mismatch_count).toBeGreaterThan(0);

    const totals = await backfillAll({ page_size: 4, max_pages: 2 });
    // 30 raw events in the table, read 8 at a time: several calls, every event written once.
    expect(totals).toMatchObject({ scanned: 30, archived: 30 });
    expect(totals.calls).toBeGreaterThanOrEqual(4);
    expect(await archived('anna')).toEqual({ ids: [...anna].sort(), cancelled: [cancelledId] });
    expect((await archived('bert')).ids).toEqual([...bert].sort());
    expect(await reconcile('anna')).toMatchObject({ events: 22, mismatch_count: 0 });
    expect(await reconcile('bert')).toMatchObject({ events: 7, mismatch_count: 0 });

    // Again, whole: harmless (objects named by content, readers keep each event once).
    expect(await backfillAll({})).toMatchObject({ scanned: 30, archived: 30, calls: 1 });
    expect(await reconcile('anna')).toMatchObject({ events: 22, mismatch_count: 0 });
  });

  it('reads the table in parallel segments that together cover it, and filters by customer and time', async () => {
    await loseArchive();
    const segments = await Promise.all([0, 1, 2].map((segment) => backfillAll({ segment, total_segments: 3 })));
    expect(segments.reduce((sum, s) => sum + s.scanned, 0)).toBe(30);
    expect(segments.reduce((sum, s) => sum + s.archived, 0)).toBe(30);
    expect(await reconcile('anna')).toMatchObject({ events: 22, mismatch_count: 0 });

    await loseArchive();
    // Only bert's events of 19 October before 13:00: 3 of his 7.
    const some = await backfillAll({ customer: 'bert', from: '2026-10-19T00:00:00Z', to: '2026-10-19T13:00:00Z' });
    expect(some).toMatchObject({ scanned: 30, archived: 3 });
    expect((await archived('bert')).ids).toEqual([bert[0], bert[1], bert[2]].sort());
    expect(await archived('anna')).toEqual({ ids: [], cancelled: [] });
    await backfillAll({});
    expect(await reconcile('bert')).toMatchObject({ events: 7, mismatch_count: 0 });
  });

  it('refuses hostile requests with 4xx, naming the field, and writes nothing', async () => {
    await loseArchive();
    const forged = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');
    const cases: Array<[unknown, string]> = [
      [{ segment: 1 }, '/total_segments'],
      [{ segment: 3, total_segments: 3 }, '/segment'],
      [{ segment: -1, total_segments: 2 }, '/segment'],
      [{ total_segments: 65 }, '/total_segments'],
      [{ total_segments: 0 }, '/total_segments'],
      [{ page_size: 0 }, '/page_size'],
      [{ page_size: 1.5 }, '/page_size'],
      [{ page_size: '10' }, '/page_size'],
      [{ page_size: 1e300 }, '/page_size'],
      [{ max_pages: 1001 }, '/max_pages'],
      [{ max_pages: null }, '/max_pages'],
      [{ customer: '\ud800' }, '/customer'],
      [{ customer: 'anna\u0000' }, '/customer'],
      [{ customer: 'constructor\n' }, '/customer'],
      [{ customer: ['anna'] }, '/customer'],
      [{ from: '2026-13-01T00:00:00Z' }, '/from'],
      [{ from: '2026-10-20T00:00:00Z', to: '2026-10-19T00:00:00Z' }, '/to'],
      [{ from: 1760000000000 }, '/from'],
      [{ cursor: '' }, '/cursor'],
      [{ cursor: 'x'.repeat(2001) }, '/cursor'],
      [{ cursor: '!!not base64!!' }, '?/cursor'],
      [{ cursor: forged({ PK: { S: 'CUSTOMER#anna' }, SK: { S: 'EVENT' } }) }, '?/cursor'],
      [{ cursor: forged({ PK: { S: 'EVENT#a#b' }, SK: { S: 'EVENT' }, constructor: { S: 'x' } }) }, '?/cursor'],
      [{ cursor: forged({ PK: { N: '1' }, SK: { S: 'EVENT' } }) }, '?/cursor'],
      [{ cursor: forged(['EVENT#a#b']) }, '?/cursor'],
      [{ constructor: {} }, ''],
      [{ total_segments: 2, extra: true }, ''],
    ];
    for (const [body, path] of cases) {
      const response = await backfill(body);
      expect(response.status, `${JSON.stringify(body)} → ${JSON.stringify(response.body)}`).toBeGreaterThanOrEqual(400);
      expect(response.status, JSON.stringify(response.body)).toBeLessThan(500);
      if (path)
        expect(
          (response.body.error.details ?? []).map((d: { path: string }) => d.path),
          JSON.stringify(response.body),
        ).toContain(path);
    }
    for (const raw of [
      '[]',
      'null',
      '"backfill"',
      '{',
      '{"segment":1e400,"total_segments":2}',
      '{"__proto__":{"segment":1},"total_segments":2}',
      '{"page_size":10,"page_size":"x"}',
    ]) {
      const response = await stack.call('POST', '/v1/event-archive/backfill', undefined, { raw });
      expect(response.status, `${raw} → ${JSON.stringify(response.body)}`).toBe(400);
    }
    expect(await keys()).toEqual([]);
    await backfillAll({});
  });
});

describe('without an event archive', () => {
  it('answers 501 not_configured', async () => {
    const plain = await startTestStack({ clock: testClock('2026-10-20T12:00:00Z') });
    try {
      const response = await plain.call('POST', '/v1/event-archive/backfill', {});
      expect(response.status, JSON.stringify(response.body)).toBe(501);
      expect(response.body.error.code).toBe('not_configured');
    } finally {
      await plain.stop();
    }
  }, 120_000);
});
