import {
  DescribeStreamCommand,
  type DescribeStreamCommandOutput,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type GetShardIteratorCommandOutput,
  type _Record as StreamsRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord, DynamoDBStreamEvent, StreamRecord } from 'aws-lambda';

/**
 * The local stand-in for Lambda's DynamoDB Streams event source mapping (ESM): reads the table's
 * stream from DynamoDB Local and hands batches to the handler the way Lambda does. Per shard,
 * records in order; a failing batch is retried as is, forever (the archiver is idempotent), and
 * the shard does not move on meanwhile; records the filter rejects are skipped without an
 * invocation (as the ESM's filter criteria do). Child shards start once their parent is read to
 * its end (or the parent is unknown/trimmed). One loop serves all shards: DynamoDB Local keeps
 * one open shard per stream.
 *
 * `client` must point at DynamoDB Local's endpoint (the streams API is served on the same port),
 * e.g. `new DynamoDBStreamsClient({ endpoint, region: 'us-east-1', credentials: dummy })`; the
 * poller does not destroy it.
 */
export interface StreamPollerOptions {
  client: DynamoDBStreamsClient;
  /** The table's `LatestStreamArn`. */
  streamArn: string;
  handler: (event: DynamoDBStreamEvent) => Promise<unknown>;
  /** Only records for which this returns true reach the handler (the ESM's filter criteria). */
  filter?: (record: DynamoDBRecord) => boolean;
  /** Most records per GetRecords call and per invocation (GetRecords allows 1000, the AWS mapping here uses 1000). @default 1000 */
  batchSize?: number;
  /**
   * Pause after a round in which every shard was empty; it doubles with each further empty round, up
   * to 1 s (an idle() call polls at once). @default 100
   */
  pollIntervalMs?: number;
  /**
   * While records keep coming, the shortest time from the start of one polling round to the start of
   * the next, unless a read returned a full batch (then the next round starts at once): the local
   * counterpart of the mapping's batching window (5 s in AWS). Back-to-back GetRecords calls cost
   * DynamoDB Local more CPU than the writes they return, which slows ingestion. An idle() call polls
   * at once. @default 1000
   */
  busyPollIntervalMs?: number;
  /** Pause before retrying a failed batch (the first retry waits a tenth of it). @default 1000 */
  retryDelayMs?: number;
  /** How often the shard list is refreshed (DescribeStream; also before an idle() answer). @default 5000 */
  describeIntervalMs?: number;
  /** `awsRegion` of the records (DynamoDB Local's records say 'ddblocal'). @default 'us-east-1' */
  region?: string;
  /** Called with every failure: handler errors (before each retry) and failed stream calls. */
  onError?: (error: unknown) => void;
}

export interface StreamPoller {
  /**
   * Resolves when every record written before the call has been handed to the handler successfully
   * (or filtered out). Rejects after `timeoutMs` (default 10 s), e.g. while paused or while a batch
   * keeps failing.
   */
  idle(timeoutMs?: number): Promise<void>;
  /** Stops handing batches (and reading the stream) until resume(): the archive falls behind. */
  pause(): void;
  resume(): void;
  /** Stops polling and aborts the stream call in flight; resolves when the batch in hand is done. */
  stop(): Promise<void>;
  /** Records handed to the handler successfully (filtered-out records not counted). */
  readonly delivered: number;
}

interface ShardState {
  shardId: string;
  parentShardId: string | undefined;
  iterator: string | undefined;
  /** Sequence number of the last record handled (delivered or filtered out). */
  lastSequenceNumber: string | undefined;
  /** Read to its end: the shard is closed and GetRecords gave no NextShardIterator. */
  finished: boolean;
  /** Tick of the last GetRecords call that came back empty. */
  emptyAtTick: number;
}

const EXPIRED = new Set(['ExpiredIteratorException', 'TrimmedDataAccessException']);

/** The Lambda-shaped record: creation time in epoch seconds, attribute values kept as the API sent them. */
export function toDynamoDbRecord(record: StreamsRecord, streamArn: string, region: string): DynamoDBRecord {
  const stream = record.dynamodb ?? {};
  const dynamodb: StreamRecord = {
    ApproximateCreationDateTime:
      stream.ApproximateCreationDateTime === undefined
        ? undefined
        : Math.floor(new Date(stream.ApproximateCreationDateTime).getTime() / 1000),
    Keys: stream.Keys as StreamRecord['Keys'],
    NewImage: stream.NewImage as StreamRecord['NewImage'],
    OldImage: stream.OldImage as StreamRecord['OldImage'],
    SequenceNumber: stream.SequenceNumber,
    SizeBytes: stream.SizeBytes,
    StreamViewType: stream.StreamViewType,
  };
  for (const key of Object.keys(dynamodb) as Array<keyof StreamRecord>) {
    if (dynamodb[key] === undefined) delete dynamodb[key];
  }
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    // DynamoDB Local says 'ddblocal'; Lambda gives the table's region.
    awsRegion: region,
    eventSourceARN: streamArn,
    dynamodb,
    ...(record.userIdentity ? { userIdentity: record.userIdentity } : {}),
  };
}

function errorName(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : undefined;
}

/**
 * Starts polling at once. `idle()` works with a tick counter: every stream call takes the next
 * tick when it is sent, and idle() notes the tick of its call; it resolves once a DescribeStream
 * and, on every unfinished shard, a GetRecords that came back empty were both sent after that
 * tick, with no batch in hand. A GetRecords sent after a write returns that write (DynamoDB Local
 * reads its stream from the start of the iterator's position, with no lag), so an empty answer
 * means everything written before is behind us. (On AWS an empty page does not prove a shard is
 * caught up; this is for the local stream only.)
 */
/** The longest pause between polls of a quiet stream. */
const QUIET_MAX_MS = 1000;

export function startStreamPoller(options: StreamPollerOptions): StreamPoller {
  const { client, streamArn, handler } = options;
  const filter = options.filter ?? (() => true);
  const batchSize = options.batchSize ?? 1000;
  const pollIntervalMs = options.pollIntervalMs ?? 100;
  const retryDelayMs = options.retryDelayMs ?? 1000;
  const busyPollIntervalMs = options.busyPollIntervalMs ?? 1000;
  const describeIntervalMs = options.describeIntervalMs ?? 5000;
  const region = options.region ?? 'us-east-1';
  const onError = options.onError ?? (() => {});

  const shards = new Map<string, ShardState>();
  /** Empty rounds in a row. */
  let quiet = 0;
  let tick = 0;
  let describedAtTick = 0;
  let lastDescribeAt = Number.NEGATIVE_INFINITY;
  let running = true;
  let paused = false;
  let delivered = 0;
  /** Records read but not yet delivered (a batch in hand, maybe failing). */
  let inHand = 0;
  /** The newest tick an idle() call is waiting past (makes the loop describe once more). */
  let idleTick = -1;
  /** idle() calls waiting: the loop does not pause between busy rounds for them. */
  let idleWaiters = 0;
  const abort = new AbortController();
  let wake: (() => void) | undefined;
  let sleepTimer: NodeJS.Timeout | undefined;

  /** A pause the loop takes; unref'd (it must not keep the process alive) and cut short by stop/resume. */
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      wake = () => {
        clearTimeout(sleepTimer);
        sleepTimer = undefined;
        wake = undefined;
        resolve();
      };
      sleepTimer = setTimeout(wake, ms);
      sleepTimer.unref();
    });

  /** Every stream call takes the next tick and can be aborted by stop(). */
  const callOptions = () => {
    tick += 1;
    return { abortSignal: abort.signal };
  };

  async function describe(): Promise<void> {
    const sentAt = tick + 1;
    let exclusiveStartShardId: string | undefined;
    do {
      const page: DescribeStreamCommandOutput = await client.send(
        new DescribeStreamCommand({
          StreamArn: streamArn,
          Limit: 100,
          ...(exclusiveStartShardId ? { ExclusiveStartShardId: exclusiveStartShardId } : {}),
        }),
        callOptions(),
      );
      for (const shard of page.StreamDescription?.Shards ?? []) {
        if (!shard.ShardId || shards.has(shard.ShardId)) continue;
        shards.set(shard.ShardId, {
          shardId: shard.ShardId,
          parentShardId: shard.ParentShardId,
          iterator: undefined,
          lastSequenceNumber: undefined,
          finished: false,
          emptyAtTick: 0,
        });
      }
      exclusiveStartShardId = page.StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStartShardId);
    describedAtTick = sentAt;
    lastDescribeAt = Date.now();
  }

  /** A shard is read once its parent is read to the end, unknown, or trimmed away. */
  const ready = (shard: ShardState) => {
    if (shard.finished) return false;
    const parent = shard.parentShardId ? shards.get(shard.parentShardId) : undefined;
    return parent === undefined || parent.finished;
  };

  async function iteratorFor(shard: ShardState): Promise<string | undefined> {
    const type = shard.lastSequenceNumber ? 'AFTER_SEQUENCE_NUMBER' : 'TRIM_HORIZON';
    try {
      const output: GetShardIteratorCommandOutput = await client.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shard.shardId,
          ShardIteratorType: type,
          ...(shard.lastSequenceNumber ? { SequenceNumber: shard.lastSequenceNumber } : {}),
        }),
        callOptions(),
      );
      return output.ShardIterator;
    } catch (error) {
      // The last record handled was trimmed: what is left starts at the trim horizon.
      if (type === 'AFTER_SEQUENCE_NUMBER' && errorName(error) === 'TrimmedDataAccessException') {
        shard.lastSequenceNumber = undefined;
        return iteratorFor(shard);
      }
      throw error;
    }
  }

  /** Hands one batch to the handler until it succeeds (or stop); false when stopped first. */
  async function deliver(records: DynamoDBRecord[]): Promise<boolean> {
    for (let attempt = 0; running; attempt += 1) {
      while (paused && running) await sleep(pollIntervalMs);
      if (!running) return false;
      try {
        await handler({ Records: records });
        delivered += records.length;
        return true;
      } catch (error) {
        onError(error);
        await sleep(attempt === 0 ? Math.min(retryDelayMs, Math.ceil(retryDelayMs / 10)) : retryDelayMs);
      }
    }
    return false;
  }

  /**
   * One GetRecords round on a shard: `empty` (nothing new, or stopped), `some` records, or `more`
   * (a full batch, or an iterator to renew: read again at once).
   */
  async function readShard(shard: ShardState): Promise<'empty' | 'some' | 'more'> {
    shard.iterator ??= await iteratorFor(shard);
    if (shard.iterator === undefined) {
      shard.finished = true;
      return 'empty';
    }
    const sentAt = tick + 1;
    let output: GetRecordsCommandOutput;
    try {
      output = await client.send(
        new GetRecordsCommand({ ShardIterator: shard.iterator, Limit: batchSize }),
        callOptions(),
      );
    } catch (error) {
      if (!EXPIRED.has(errorName(error) ?? '')) throw error;
      shard.iterator = undefined;
      return 'more';
    }
    const raw = output.Records ?? [];
    if (raw.length === 0) {
      shard.emptyAtTick = sentAt;
    } else {
      const records = raw.map((record) => toDynamoDbRecord(record, streamArn, region));
      const wanted = records.filter((record) => filter(record));
      inHand = wanted.length;
      try {
        if (wanted.length > 0 && !(await deliver(wanted))) return 'empty';
      } finally {
        inHand = 0;
      }
      shard.lastSequenceNumber = raw.at(-1)?.dynamodb?.SequenceNumber ?? shard.lastSequenceNumber;
    }
    shard.iterator = output.NextShardIterator;
    if (shard.iterator === undefined) shard.finished = true;
    return raw.length === 0 ? 'empty' : raw.length >= batchSize ? 'more' : 'some';
  }

  async function loop(): Promise<void> {
    while (running) {
      if (paused) {
        await sleep(pollIntervalMs);
        continue;
      }
      let busy = false;
      let more = false;
      const roundStartedAt = Date.now();
      try {
        if (Date.now() - lastDescribeAt >= describeIntervalMs || describedAtTick <= idleTick) await describe();
        for (const shard of [...shards.values()].filter(ready)) {
          if (!running || paused) break;
          const read = await readShard(shard);
          if (read !== 'empty') busy = true;
          if (read === 'more') more = true;
        }
      } catch (error) {
        if (!running) break;
        onError(error);
        await sleep(retryDelayMs);
        continue;
      }
      // Quiet: poll less and less often (up to 1 s); records or an idle() call bring it back at once.
      // Busy: a round every busyPollIntervalMs at most, unless a batch came back full or idle() waits.
      quiet = busy ? 0 : quiet + 1;
      if (!running) break;
      if (!busy) await sleep(Math.min(pollIntervalMs * 2 ** Math.min(quiet - 1, 10), QUIET_MAX_MS));
      else if (!more && idleWaiters === 0) {
        const left = busyPollIntervalMs - (Date.now() - roundStartedAt);
        if (left > 0) await sleep(left);
      }
    }
  }

  const isIdle = (since: number) =>
    !paused &&
    inHand === 0 &&
    describedAtTick > since &&
    [...shards.values()].every((shard) => shard.finished || shard.emptyAtTick > since);

  const done = loop();

  return {
    get delivered() {
      return delivered;
    },
    async idle(timeoutMs = 10_000) {
      const since = tick;
      idleTick = Math.max(idleTick, since);
      idleWaiters += 1;
      if (!paused) wake?.();
      try {
        const deadline = Date.now() + timeoutMs;
        while (!isIdle(since)) {
          if (!running) throw new Error(`stream poller for ${streamArn} is stopped: it cannot become idle`);
          if (Date.now() >= deadline) {
            const behind = [...shards.values()].filter((shard) => !shard.finished && shard.emptyAtTick <= since);
            const why = paused
              ? 'it is paused'
              : inHand > 0
                ? `${inHand} record(s) in hand not yet delivered`
                : `${behind.length} shard(s) not read to the end`;
            throw new Error(`stream poller for ${streamArn} not idle after ${timeoutMs} ms: ${why}`);
          }
          // Ref'd on purpose: whoever awaits idle() wants the process to stay up until it settles.
          await new Promise((resolve) => setTimeout(resolve, Math.min(20, pollIntervalMs)));
        }
      } finally {
        idleWaiters -= 1;
      }
    },
    pause() {
      paused = true;
    },
    resume() {
      paused = false;
      wake?.();
    },
    async stop() {
      if (running) {
        running = false;
        abort.abort();
        wake?.();
      }
      await done;
    },
  };
}
