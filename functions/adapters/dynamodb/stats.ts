import { type DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { DayOutcomes } from '../../app/ports/stats.js';
import { n, queryAll, s } from './attributes.js';

/**
 * Ingestion statistics: how many events were accepted, duplicate or rejected (by code) per UTC day of
 * receipt. Best-effort counters for the dashboard, NOT billing data: they are written after the
 * ingest transaction committed, outside it, so a crash in between (or a failed stats write) loses a
 * count while the usage counters stay exact. Billing reads the usage counters only.
 *
 * Layout: `PK = STATS#INGEST#<shard>`, `SK = DAY#<yyyy-mm-dd>`; attributes `accepted`, `duplicate`
 * and `r_<code>` per rejection code. Each request adds into one random shard of its day, so a
 * firehose of small requests spreads over `shards` partitions instead of one hot key; a read queries
 * every shard's day range (one Query per shard, in parallel) and sums.
 */

export const STATS_SHARDS = 8;
const REJECTED_PREFIX = 'r_';

const shardKey = (shard: number) => s(`STATS#INGEST#${shard}`);

/** Attribute-name-safe form of a rejection code (codes are snake_case already; anything else is folded). */
export const codeAttribute = (code: string) =>
  `${REJECTED_PREFIX}${
    code
      .toLowerCase()
      .replace(/[^a-z0-9_]/g, '_')
      .slice(0, 60) || 'unknown'
  }`;

export class StatsStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly shards = STATS_SHARDS,
    private readonly pickShard: () => number = () => Math.floor(Math.random() * STATS_SHARDS),
  ) {}

  /** Adds one request's outcomes: one UpdateItem per day touched (all outcomes of that day in one ADD). */
  async add(days: readonly DayOutcomes[]): Promise<void> {
    await Promise.all(
      days.map(async (entry) => {
        const adds: string[] = [];
        const names: Record<string, string> = {};
        const values: Record<string, ReturnType<typeof n>> = {};
        const push = (attribute: string, count: number) => {
          if (count <= 0) return;
          const i = adds.length;
          adds.push(`#a${i} :v${i}`);
          names[`#a${i}`] = attribute;
          values[`:v${i}`] = n(count);
        };
        push('accepted', entry.accepted);
        push('duplicate', entry.duplicate);
        for (const [code, count] of Object.entries(entry.rejected)) push(codeAttribute(code), count);
        if (adds.length === 0) return;
        await this.client.send(
          new UpdateItemCommand({
            TableName: this.tableName,
            Key: { PK: shardKey(this.pickShard() % this.shards), SK: s(`DAY#${entry.day}`) },
            UpdateExpression: `ADD ${adds.join(', ')}`,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
        );
      }),
    );
  }

  /** Outcomes per day for days in [fromDay, toDay] (inclusive, yyyy-mm-dd), summed over the shards; days without events are absent. */
  async days(fromDay: string, toDay: string): Promise<DayOutcomes[]> {
    const perShard = await Promise.all(
      Array.from({ length: this.shards }, (_, shard) =>
        queryAll(this.client, {
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': shardKey(shard), ':from': s(`DAY#${fromDay}`), ':to': s(`DAY#${toDay}`) },
        }),
      ),
    );
    const byDay = new Map<string, DayOutcomes>();
    for (const item of perShard.flat()) {
      const day = (item.SK?.S ?? '').slice('DAY#'.length);
      const entry = byDay.get(day) ?? { day, accepted: 0, duplicate: 0, rejected: {} };
      for (const [name, value] of Object.entries(item)) {
        if (value.N === undefined) continue;
        const count = Number(value.N);
        if (name === 'accepted') entry.accepted += count;
        else if (name === 'duplicate') entry.duplicate += count;
        else if (name.startsWith(REJECTED_PREFIX)) {
          const code = name.slice(REJECTED_PREFIX.length);
          entry.rejected[code] = (entry.rejected[code] ?? 0) + count;
        }
      }
      byDay.set(day, entry);
    }
    return [...byDay.values()].sort((a, b) => a.day.localeCompare(b.day));
  }
}
