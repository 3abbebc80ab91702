import { type DynamoDBClient, ExecuteStatementCommand } from '@aws-sdk/client-dynamodb';
import { type Item, s } from './attributes.js';

/** Partitions per statement: DynamoDB's limit for `IN` on a partition key. */
const PARTITIONS_PER_STATEMENT = 50;

/** One partition's sparse read: its items of the range, or undefined when it holds more than the limit. */
type SparseRead = (partition: string, from: string, to: string) => Promise<Item[] | undefined>;

interface Waiter {
  partition: string;
  resolve(items: Item[] | undefined): void;
  reject(error: unknown): void;
}

/**
 * Sparse reads of many partitions over one sort-key range, gathered over one turn of the event loop
 * and sent as PartiQL statements of up to 50 partitions each (`PK IN [...] AND SK BETWEEN ? AND ?`,
 * strongly consistent, every page followed): one request where each partition was one Query. A busy
 * refresh of the estimates rates thousands of customers whose month is a handful of buckets, and the
 * Query per customer was most of its time (the SDK's per-request work and DynamoDB's).
 *
 * A statement reads each partition's whole range: a partition busier than `limit` items comes back
 * whole, then answers undefined, as a single read that finds a further page does. Callers keep
 * partitions they know to be busy out (a busy partition is read from its rollups). A read gathered
 * alone is a plain Query (`single`).
 */
export class SparseReads {
  private pending = new Map<string, Waiter[]>();
  private scheduled = false;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    /** Items a partition may hold in the range and still be read this way. */
    private readonly limit: number,
    private readonly single: SparseRead,
    /** Items DynamoDB evaluates per page (tests make it small to follow pages); its own 1 MB page otherwise. */
    private readonly pageLimit?: number,
  ) {}

  read(partition: string, from: string, to: string): Promise<Item[] | undefined> {
    return new Promise((resolve, reject) => {
      const key = `${from}\n${to}`;
      const waiters = this.pending.get(key) ?? [];
      waiters.push({ partition, resolve, reject });
      this.pending.set(key, waiters);
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    this.scheduled = false;
    const groups = this.pending;
    this.pending = new Map();
    for (const [key, waiters] of groups) {
      const [from = '', to = ''] = key.split('\n');
      const byPartition = new Map<string, Waiter[]>();
      for (const waiter of waiters) {
        const same = byPartition.get(waiter.partition);
        if (same) same.push(waiter);
        else byPartition.set(waiter.partition, [waiter]);
      }
      const partitions = [...byPartition.keys()];
      for (let i = 0; i < partitions.length; i += PARTITIONS_PER_STATEMENT) {
        const chunk = partitions.slice(i, i + PARTITIONS_PER_STATEMENT);
        const settle = (read: Promise<Map<string, Item[] | undefined>>) =>
          read.then(
            (found) => {
              for (const partition of chunk)
                for (const waiter of byPartition.get(partition)!) waiter.resolve(found.get(partition));
            },
            (error: unknown) => {
              for (const partition of chunk) for (const waiter of byPartition.get(partition)!) waiter.reject(error);
            },
          );
        void settle(
          chunk.length === 1
            ? this.single(chunk[0]!, from, to).then((items) => new Map([[chunk[0]!, items]]))
            : this.statement(chunk, from, to),
        );
      }
    }
  }

  private async statement(partitions: readonly string[], from: string, to: string) {
    const found = new Map<string, Item[]>(partitions.map((partition) => [partition, []]));
    let nextToken: string | undefined;
    do {
      const page = await this.client.send(
        new ExecuteStatementCommand({
          Statement: `SELECT * FROM "${this.tableName}" WHERE PK IN [${partitions.map(() => '?').join(', ')}] AND SK BETWEEN ? AND ?`,
          Parameters: [...partitions.map(s), s(from), s(to)],
          ConsistentRead: true,
          ...(this.pageLimit ? { Limit: this.pageLimit } : {}),
          ...(nextToken ? { NextToken: nextToken } : {}),
        }),
      );
      for (const item of page.Items ?? []) found.get(item.PK?.S ?? '')?.push(item);
      nextToken = page.NextToken;
    } while (nextToken);
    const answers = new Map<string, Item[] | undefined>();
    for (const [partition, items] of found) {
      // As the single read: `limit` items in [from, to] are a further page there. BETWEEN is inclusive;
      // the range is half-open [from, to).
      if (items.length >= this.limit) answers.set(partition, undefined);
      else
        answers.set(
          partition,
          items.filter((item) => (item.SK?.S ?? '') < to).sort((a, b) => ((a.SK?.S ?? '') < (b.SK?.S ?? '') ? -1 : 1)),
        );
    }
    return answers;
  }
}
