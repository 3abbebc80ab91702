import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { AlreadyExistsError, NotFoundError } from '../../app/errors.js';
import type { Meter } from '../../domain/metering/meter.js';
import { doc, queryAll, s } from './attributes.js';

const meterKey = (key: string) => ({ PK: s('METER'), SK: s(key) });

export class MeterStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async create(meter: Meter): Promise<void> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: { ...meterKey(meter.key), doc: s(JSON.stringify(meter)), event_type: s(meter.eventType) },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException)
        throw new AlreadyExistsError(`a meter with key '${meter.key}' exists already`);
      throw error;
    }
  }

  async get(key: string): Promise<Meter> {
    const result = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: meterKey(key), ConsistentRead: true }),
    );
    if (!result.Item) throw new NotFoundError(`no meter with key '${key}'`);
    return doc<Meter>(result.Item);
  }

  /** All meters (a billing account has tens, not thousands): one strongly consistent query. */
  async list(): Promise<Meter[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': s('METER') },
      ConsistentRead: true,
    });
    return items.map((item) => doc<Meter>(item));
  }

  async byEventType(): Promise<Map<string, Meter[]>> {
    const byType = new Map<string, Meter[]>();
    for (const meter of await this.list()) {
      const list = byType.get(meter.eventType);
      if (list) list.push(meter);
      else byType.set(meter.eventType, [meter]);
    }
    return byType;
  }
}

/** What a customer search matches: id, name and email, lower-cased. */
