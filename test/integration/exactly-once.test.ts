import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Decimal } from '../../functions/domain/decimal.js';
import { startTestStack, type TestClock, type TestStack, testClock } from '../support/stack.js';

const run = promisify(execFile);
let stack: TestStack;
let clock: TestClock;

beforeAll(async () => {
  clock = testClock('2026-11-20T00:00:00Z');
  stack = await startTestStack({ clock, archive: true });
  await stack.call('POST', '/v1/meters', { key: 'calls', name: 'Calls', event_type: 'call', aggregation: 'count' });
  await stack.call('POST', '/v1/meters', {
    key: 'minutes',
    name: 'Minutes',
    event_type: 'call',
    aggregation: 'sum',
    value_property: 'minutes',
    group_by: ['country'],
  });
  await stack.call('POST', '/v1/meters', {
    key: 'longest',
    name: 'Longest call',
    event_type: 'call',
    aggregation: 'max',
    value_property: 'minutes',
  });
  await stack.call('POST', '/v1/meters', {
    key: 'queue',
    name: 'Queue length hours',
    event_type: 'call',
    aggregation: 'weighted_sum',
    value_property: 'delta',
    per: 'hour',
  });
  await stack.call('POST', '/v1/meters', {
    key: 'callers',
    name: 'Callers',
    event_type: 'call',
    aggregation: 'unique_count',
    value_property: 'caller',
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe('API key scopes', () => {
  it('lets an ingest key post events and nothing else, and stops a revoked key', async () => {
    await stack.call('POST', '/v1/customers', {
      id: 'scoped',
      name: 'Scoped',
      email: 's@example.com',
      currency: 'USD',
    });
    const created = await stack.call('POST', '/v1/api-keys', { name: 'ingest service', scope: 'ingest' });
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^bk_[a-z0-9]{16}_/);
    const ingestKey = created.body.key as string;

    const event = {
      specversion: '1.0',
      id: 'scoped-1',
      source: 'svc',
      type: 'call',
      subject: 'scoped',
      time: '2026-11-19T10:00:00Z',
      data: { minutes: '1', caller: 'a', delta: '1' },
    };
    const posted = await stack.call('POST', '/v1/events', event, { key: ingestKey });
    expect(posted.status).toBe(200);
    expect(posted.body.accepted).toBe(1);

    const forbidden = await stack.call('GET', '/v1/meters', undefined, { key: ingestKey });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.code).toBe('forbidden');

    const listed = await stack.call('GET', '/v1/api-keys');
    expect(JSON.stringify(listed.body)).not.toContain(ingestKey);

    expect((await stack.call('DELETE', `/v1/api-keys/${created.body.id}`)).status).toBe(200);
    const revoked = await stack.call('POST', '/v1/events', { ...event, id: 'scoped-2' }, { key: ingestKey });
    expect(revoked.status).toBe(401);
  });

  it('answers 401 without a key and with a wrong one', async () => {
    expect((await stack.call('GET', '/v1/meters', undefined, { key: null })).status).toBe(401);
    expect(
      (
        await stack.call('GET', '/v1/meters', undefined, {
          key: 'bk_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
        })
      ).status,
    ).toBe(401);
  });
});

interface PoolEvent {
  id: string;
  minutes: string;
  /** A signed change of the queue length (weighted_sum). */
  delta: string;
  country: string;
  caller: string;
  hour: number;
}

const poolEvent = fc.record({
  minutes: fc.integer({ min: 0, max: 100_000 }).map((cents) => new Decimal(cents).div(100).toString()),
  delta: fc.integer({ min: -50, max: 50 }).map((tenths) => new Decimal(tenths).div(10).toString()),
  country: fc.constantFrom('de', 'fr', 'us'),
  caller: fc.constantFrom('ann', 'ben', 'cy', 'dee'),
  hour: fc.integer({ min: 0, max: 47 }),
});

describe('exactly once under duplicates, retries and races', () => {
  it('ends with counters equal to the deduplicated sums, and reconcile finds nothing', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(poolEvent, { minLength: 1, maxLength: 40 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 120 }),
        fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 10 }),
        async (pool, picks, batchSizes) => {
          run += 1;
          const customer = `prop-${run}`;
          await stack.call('POST', '/v1/customers', {
            id: customer,
            name: customer,
            email: 'p@example.com',
            currency: 'EUR',
          });
          const events: PoolEvent[] = pool.map((e, i) => ({ ...e, id: `${customer}-e${i}` }));
          // Quarter-hours of Nov 18-19 in use: more than a page of buckets, so the range is read from
          // day rollups, and the stream's later events of Nov 18 land in a day already rolled up.
          const filler: PoolEvent[] = Array.from({ length: 100 }, (_, i) => ({
            id: `${customer}-f${i}`,
            minutes: '1',
            delta: '0.5',
            country: 'de',
            caller: 'ann',
            hour: 0.25 + i * 0.25,
          }));
          const stream = picks.map((p) => events[p % events.length]!);
          const toCloud = (e: PoolEvent) => ({
            specversion: '1.0',
            id: e.id,
            source: 'prop',
            type: 'call',
            subject: customer,
            time: new Date(Date.parse('2026-11-18T00:00:00Z') + e.hour * 3_600_000).toISOString(),
            data: { minutes: e.minutes, country: e.country, caller: e.caller, delta: e.delta },
          });
          const range = 'from=2026-11-18T00:00:00Z&to=2026-11-20T00:00:00Z';
          const value = async (meter: string) =>
            (await stack.call('GET', `/v1/customers/${customer}/usage?meter=${meter}&${range}`)).body.series[0]
              .value as string;
          // Cut the stream into batches; post pairs of batches concurrently; re-post every third batch (a client retry).
          const batches: PoolEvent[][] = [];
          for (let at = 0, i = 0; at < stream.length; i++) {
            const size = batchSizes[i % batchSizes.length]!;
            batches.push(stream.slice(at, at + size));
            at += size;
          }
          const filled = await stack.call('POST', '/v1/events', filler.map(toCloud), {
            contentType: 'application/cloudevents-batch+json',
          });
          expect(filled.body.accepted).toBe(filler.length);
          for (let i = 0; i < batches.length; i += 2) {
            const pair = batches.slice(i, i + 2);
            const responses = await Promise.all(
              pair.map((b) =>
                stack.call('POST', '/v1/events', b.map(toCloud), { contentType: 'application/cloudevents-batch+json' }),
              ),
            );
            for (const response of responses) expect(response.body.rejected).toBe(0);
            // Reading the usage rolls up Nov 18 (ended over an hour ago): later events of that day are late.
            if (i === 0) await value('calls');
          }
          for (let i = 0; i < batches.length; i += 3) {
            const retry = await stack.call('POST', '/v1/events', batches[i]!.map(toCloud), {
              contentType: 'application/cloudevents-batch+json',
            });
            expect(retry.body.accepted).toBe(0);
          }

          const distinct = [...new Map([...filler, ...stream].map((e) => [e.id, e])).values()];
          const expectedMinutes = distinct.reduce((sum, e) => sum.plus(e.minutes), new Decimal(0));
          const expectedMax = distinct.reduce((max, e) => Decimal.max(max, e.minutes), new Decimal(0));
          expect(await value('calls')).toBe(String(distinct.length));
          expect(new Decimal(await value('minutes')).eq(expectedMinutes)).toBe(true);
          expect(new Decimal(await value('longest')).eq(expectedMax)).toBe(true);
          expect(await value('callers')).toBe(String(new Set(distinct.map((e) => e.caller)).size));
          // Queue-length hours: each change holds from its hour to the end of the range (Nov 20 00:00).
          const queueHours = distinct.reduce(
            (sum, e) => sum.plus(new Decimal(e.delta).times(48 - e.hour)),
            new Decimal(0),
          );
          expect(new Decimal(await value('queue')).eq(queueHours), `queue ${queueHours}`).toBe(true);

          // Reconcile reads the event archive, which the table's stream fills a moment after each commit.
          await stack.archive!.idle();
          const report = await stack.call('GET', `/v1/reconcile?customer=${customer}&${range}`);
          expect(report.body.mismatch_count).toBe(0);
          expect(report.body.events).toBe(distinct.length);
        },
      ),
      { numRuns: 12, seed: 20261128 },
    );
    // Twelve streams of up to 120 events, each read, re-posted and reconciled: slow on a loaded machine.
  }, 180_000);

  it('reconcile through the CLI prints the totals and 0 mismatches, and exits 1 on a tampered counter', async () => {
    const cli = [
      'bin/billing-cli.mjs',
      'reconcile',
      '--customer',
      'prop-1',
      '--from',
      '2026-11-18T00:00:00Z',
      '--to',
      '2026-11-20T00:00:00Z',
      '--url',
      stack.url,
      '--key',
      stack.adminKey,
    ];
    const ok = await run('node', cli, { cwd: process.cwd() });
    expect(ok.stdout).toContain('0 mismatches');
    expect(ok.stdout).toMatch(/minutes\s+sum/);

    // Tamper with one counter behind the API's back: reconcile must notice and fail.
    const { QueryCommand, UpdateItemCommand } = await import('@aws-sdk/client-dynamodb');
    const items = await stack.deps.dynamo.send(
      new QueryCommand({
        TableName: stack.config.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': { S: 'USAGE#prop-1#T#call' } },
        Limit: 1,
      }),
    );
    const item = items.Items![0]!;
    await stack.deps.dynamo.send(
      new UpdateItemCommand({
        TableName: stack.config.tableName,
        Key: { PK: item.PK!, SK: item.SK! },
        UpdateExpression: 'ADD #c :one',
        // The count of meter `calls` (no dimensions) in its event type's bucket item.
        ExpressionAttributeNames: { '#c': 'c|calls|n|' },
        ExpressionAttributeValues: { ':one': { N: '1' } },
      }),
    );
    const failed = await run('node', cli, { cwd: process.cwd() }).then(
      () => undefined,
      (error: { code: number; stdout: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stdout).toContain('MISMATCH calls bucket');
    // Its day was rolled up before the tampering: the rollup (what rating reads) no longer matches the buckets.
    expect(failed?.stdout).toContain('MISMATCH calls day rollups');
    expect(failed?.stdout).toContain('2 mismatches');
  });
});
