import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  CreateTableCommand,
  DeleteItemCommand,
  DeleteTableCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { type S3Local, startS3Local } from '../../local/s3-local.js';
import { type StreamPoller, type StreamPollerOptions, startStreamPoller } from '../../local/stream-poller.js';

/**
 * The local archive path with real parts only: a table with a stream on the run's DynamoDB Local,
 * the stream poller (the ESM stand-in) and s3rver, with a small archiver that writes each batch as
 * one gzip JSON-lines object.
 */
const region = 'us-east-1';
const endpoint = inject('dynamodbEndpoint');
const dummy = { accessKeyId: 'local', secretAccessKey: 'local' };
const dynamodb = new DynamoDBClient({ endpoint, region, credentials: dummy });
const streams = new DynamoDBStreamsClient({ endpoint, region, credentials: dummy });
let s3Local: S3Local;
let s3: S3Client;
const tables: string[] = [];
const pollers: StreamPoller[] = [];

function s3Client(server: S3Local): S3Client {
  return new S3Client({
    endpoint: server.endpoint,
    region,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
}

beforeAll(async () => {
  s3Local = await startS3Local();
  s3 = s3Client(s3Local);
});

afterEach(async () => {
  await Promise.all(pollers.splice(0).map((poller) => poller.stop()));
});

afterAll(async () => {
  await Promise.all(tables.splice(0).map((TableName) => dynamodb.send(new DeleteTableCommand({ TableName }))));
  s3.destroy();
  await s3Local.stop();
  dynamodb.destroy();
  streams.destroy();
});

async function tableWithStream(): Promise<{ table: string; streamArn: string }> {
  const table = `archive-${randomUUID()}`;
  const created = await dynamodb.send(
    new CreateTableCommand({
      TableName: table,
      AttributeDefinitions: [
        { AttributeName: 'PK', AttributeType: 'S' },
        { AttributeName: 'SK', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'PK', KeyType: 'HASH' },
        { AttributeName: 'SK', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
    }),
  );
  tables.push(table);
  const streamArn = created.TableDescription?.LatestStreamArn;
  if (!streamArn) throw new Error(`table ${table} has no stream`);
  return { table, streamArn };
}

const put = (table: string, pk: string, sk: string) =>
  dynamodb.send(new PutItemCommand({ TableName: table, Item: { PK: { S: pk }, SK: { S: sk }, n: { N: sk } } }));

/** The ESM filter of the archive: inserts of usage events only. */
const insertsOfEvents = (record: DynamoDBRecord) =>
  record.eventName === 'INSERT' && (record.dynamodb?.Keys?.PK?.S ?? '').startsWith('EVENT#');

/** The archiver: one gzip JSON-lines object per batch, named by its first sequence number (idempotent). */
function archiver(prefix: string) {
  return async (event: DynamoDBStreamEvent) => {
    const first = event.Records[0]?.dynamodb?.SequenceNumber ?? '0';
    const body = gzipSync(`${event.Records.map((record) => JSON.stringify(record)).join('\n')}\n`);
    await s3.send(
      new PutObjectCommand({
        Bucket: s3Local.bucket,
        Key: `${prefix}/${first.padStart(40, '0')}.jsonl.gz`,
        Body: body,
        ContentEncoding: 'gzip',
        ContentType: 'application/x-ndjson',
      }),
    );
  };
}

/** Every archived record under the prefix, in key order, listed two keys a page (exercises paging). */
async function archived(prefix: string): Promise<{ objects: number; records: DynamoDBRecord[] }> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: s3Local.bucket, Prefix: `${prefix}/`, MaxKeys: 2, ContinuationToken: token }),
    );
    keys.push(...(page.Contents ?? []).map((object) => object.Key ?? ''));
    token = page.NextContinuationToken;
  } while (token);
  const records: DynamoDBRecord[] = [];
  for (const key of keys) {
    const object = await s3.send(new GetObjectCommand({ Bucket: s3Local.bucket, Key: key }));
    const text = gunzipSync(Buffer.from(await object.Body!.transformToByteArray())).toString('utf8');
    records.push(
      ...text
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as DynamoDBRecord),
    );
  }
  return { objects: keys.length, records };
}

function poller(options: Partial<StreamPollerOptions> & Pick<StreamPollerOptions, 'streamArn' | 'handler'>) {
  const started = startStreamPoller({
    client: streams,
    filter: insertsOfEvents,
    pollIntervalMs: 20,
    retryDelayMs: 50,
    ...options,
  });
  pollers.push(started);
  return started;
}

const keyOf = (record: DynamoDBRecord) => `${record.dynamodb?.Keys?.PK?.S}|${record.dynamodb?.Keys?.SK?.S}`;

describe('stream poller → S3 archive', () => {
  it('archives exactly the filtered records, in order, as Lambda-shaped records', async () => {
    const { table, streamArn } = await tableWithStream();
    const prefix = randomUUID();
    const stream = poller({ streamArn, handler: archiver(prefix), batchSize: 5 });
    const expected: string[] = [];
    for (let i = 0; i < 12; i++) {
      const sk = String(i).padStart(3, '0');
      await put(table, 'EVENT#a', sk);
      expected.push(`EVENT#a|${sk}`);
      await put(table, `CUSTOMER#${i}`, sk);
      if (i % 3 === 0) {
        await put(table, 'EVENT#b', sk);
        expected.push(`EVENT#b|${sk}`);
      }
    }
    // A MODIFY and a REMOVE of events: not inserts, filtered out.
    await dynamodb.send(
      new UpdateItemCommand({
        TableName: table,
        Key: { PK: { S: 'EVENT#a' }, SK: { S: '000' } },
        UpdateExpression: 'SET m = :m',
        ExpressionAttributeValues: { ':m': { S: 'x' } },
      }),
    );
    await dynamodb.send(new DeleteItemCommand({ TableName: table, Key: { PK: { S: 'EVENT#b' }, SK: { S: '000' } } }));

    await stream.idle();
    expect(stream.delivered).toBe(expected.length);
    const { records } = await archived(prefix);
    expect(records.map(keyOf)).toEqual(expected);
    const sequence = records.map((record) => BigInt(record.dynamodb?.SequenceNumber ?? '0'));
    expect(sequence).toEqual([...sequence].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    const [first] = records;
    expect(first).toMatchObject({
      eventName: 'INSERT',
      eventSource: 'aws:dynamodb',
      awsRegion: region,
      eventSourceARN: streamArn,
      dynamodb: {
        Keys: { PK: { S: 'EVENT#a' }, SK: { S: '000' } },
        NewImage: { PK: { S: 'EVENT#a' }, SK: { S: '000' }, n: { N: '0' } },
        StreamViewType: 'NEW_IMAGE',
      },
    });
    expect(typeof first?.eventID).toBe('string');
    const created = first?.dynamodb?.ApproximateCreationDateTime ?? 0;
    expect(Number.isInteger(created)).toBe(true);
    expect(Math.abs(created - Date.now() / 1000)).toBeLessThan(600);
  });

  it('retries a failing batch as is until it succeeds, and delivers it once', async () => {
    const { table, streamArn } = await tableWithStream();
    const prefix = randomUUID();
    const archive = archiver(prefix);
    const batches: string[][] = [];
    const errors: unknown[] = [];
    let failures = 2;
    // Written before the poller starts (at the trim horizon): both records come in one batch.
    await put(table, 'EVENT#r', '1');
    await put(table, 'EVENT#r', '2');
    const stream = poller({
      streamArn,
      onError: (error) => errors.push(error),
      handler: async (event) => {
        batches.push(event.Records.map(keyOf));
        if (failures-- > 0) throw new Error('S3 is down');
        await archive(event);
      },
    });
    await stream.idle();
    expect(errors.map((error) => (error as Error).message)).toEqual(['S3 is down', 'S3 is down']);
    expect(batches).toHaveLength(3);
    expect(batches[1]).toEqual(batches[0]);
    expect(batches[2]).toEqual(batches[0]);
    expect(stream.delivered).toBe(2);
    const { objects, records } = await archived(prefix);
    expect(objects).toBe(1);
    expect(records.map(keyOf)).toEqual(['EVENT#r|1', 'EVENT#r|2']);
  });

  it('falls behind while paused and catches up after resume', async () => {
    const { table, streamArn } = await tableWithStream();
    const prefix = randomUUID();
    const stream = poller({ streamArn, handler: archiver(prefix) });
    await put(table, 'EVENT#p', '1');
    await stream.idle();
    stream.pause();
    for (const sk of ['2', '3', '4']) await put(table, 'EVENT#p', sk);
    await expect(stream.idle(300)).rejects.toThrow(/not idle after 300 ms: it is paused/);
    expect((await archived(prefix)).records).toHaveLength(1);
    stream.resume();
    await stream.idle();
    expect((await archived(prefix)).records.map(keyOf)).toEqual(['EVENT#p|1', 'EVENT#p|2', 'EVENT#p|3', 'EVENT#p|4']);
  });

  it('while records come, reads again only after busyPollIntervalMs, at once after a full batch or for idle()', async () => {
    const { table, streamArn } = await tableWithStream();
    const batches: string[][] = [];
    const handler = async (event: DynamoDBStreamEvent) => {
      batches.push(event.Records.map(keyOf));
    };
    const waitFor = async (count: number) => {
      for (let waited = 0; batches.flat().length < count; waited += 20) {
        if (waited > 10_000) throw new Error(`only ${batches.flat().length} of ${count} records delivered`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    // A backlog of 12 with batches of 5: full batches are read back to back, without the minute's pause.
    for (let i = 0; i < 12; i++) await put(table, 'EVENT#w', String(i).padStart(2, '0'));
    poller({ streamArn, handler, batchSize: 5, busyPollIntervalMs: 60_000 });
    await waitFor(12);
    expect(batches.map((batch) => batch.length)).toEqual([5, 5, 2]);
    // The last batch was not full: a record written now waits for the next round, a minute away…
    await put(table, 'EVENT#w', '12');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(batches.flat()).toHaveLength(12);
    // …unless somebody waits for the archive.
    await pollers[0]?.idle();
    expect(batches.flat()).toHaveLength(13);
    expect(batches.at(-1)).toEqual(['EVENT#w|12']);
  });

  it('stop() resolves and leaves no request behind', async () => {
    const { table, streamArn } = await tableWithStream();
    const client = new DynamoDBStreamsClient({ endpoint, region, credentials: dummy });
    let requests = 0;
    client.middlewareStack.add(
      (next) => async (args) => {
        requests += 1;
        return next(args);
      },
      { step: 'initialize', name: 'countRequests' },
    );
    const stream = startStreamPoller({ client, streamArn, handler: async () => {}, pollIntervalMs: 10 });
    await put(table, 'EVENT#s', '1');
    await stream.idle();
    await stream.stop();
    await stream.stop();
    const after = requests;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(requests).toBe(after);
    await expect(stream.idle(100)).rejects.toThrow(/stopped/);
    client.destroy();
  });
});

describe('startS3Local', () => {
  it('keeps objects in a persisted directory across restarts, gzip bytes unchanged', async () => {
    const directory = join(mkdtempSync(join(tmpdir(), 'billing-s3-test-')), 'data');
    const body = gzipSync('{"event":1}\n{"event":2}\n');
    try {
      let server = await startS3Local({ directory, bucket: 'archive-persisted' });
      let client = s3Client(server);
      await client.send(
        new PutObjectCommand({ Bucket: server.bucket, Key: 'a/b.jsonl.gz', Body: body, ContentEncoding: 'gzip' }),
      );
      client.destroy();
      await server.stop();
      await server.stop();

      server = await startS3Local({ directory, bucket: 'archive-persisted' });
      client = s3Client(server);
      const object = await client.send(new GetObjectCommand({ Bucket: server.bucket, Key: 'a/b.jsonl.gz' }));
      expect(object.ContentEncoding).toBe('gzip');
      expect(Buffer.compare(Buffer.from(await object.Body!.transformToByteArray()), body)).toBe(0);
      client.destroy();
      await server.stop();
    } finally {
      rmSync(join(directory, '..'), { recursive: true, force: true });
    }
  });
});
