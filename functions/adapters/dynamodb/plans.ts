import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { AlreadyExistsError, ConflictError, NotFoundError } from '../../app/errors.js';
import type { StoredPlanVersion } from '../../app/ports/plans.js';
import { doc, queryAll, s } from './attributes.js';
import { TABLE } from './table.js';

// Plan versions: one item per version, immutable once written.
const pad = (version: number) => String(version).padStart(6, '0');

export class PlanStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  /** Writes a new version; fails if that version exists (a concurrent edit): versions never change. */
  async put(plan: StoredPlanVersion): Promise<void> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            PK: s(`PLAN#${plan.key}`),
            SK: s(`V#${pad(plan.version)}`),
            [TABLE.gsi1.partitionKey]: s('PLANS'),
            [TABLE.gsi1.sortKey]: s(`${plan.key}#${pad(plan.version)}`),
            doc: s(JSON.stringify(plan)),
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw plan.version === 1
          ? new AlreadyExistsError(
              `a plan with key '${plan.key}' exists already; add a version with POST /v1/plans/${plan.key}/versions`,
            )
          : new ConflictError(
              `version ${plan.version} of plan '${plan.key}' was just written by another request; retry`,
            );
      }
      throw error;
    }
  }

  async latest(key: string): Promise<StoredPlanVersion> {
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': s(`PLAN#${key}`) },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const item = page.Items?.[0];
    if (!item) throw new NotFoundError(`no plan with key '${key}'`);
    return doc<StoredPlanVersion>(item);
  }

  async get(key: string, version: number): Promise<StoredPlanVersion> {
    const result = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: { PK: s(`PLAN#${key}`), SK: s(`V#${pad(version)}`) },
        ConsistentRead: true,
      }),
    );
    if (!result.Item) throw new NotFoundError(`plan '${key}' has no version ${version}`);
    return doc<StoredPlanVersion>(result.Item);
  }

  async versions(key: string): Promise<StoredPlanVersion[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': s(`PLAN#${key}`) },
      ConsistentRead: true,
    });
    if (items.length === 0) throw new NotFoundError(`no plan with key '${key}'`);
    return items.map((item) => doc<StoredPlanVersion>(item));
  }

  /** The latest version of every plan. */
  async list(): Promise<StoredPlanVersion[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      IndexName: TABLE.gsi1.name,
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': s('PLANS') },
    });
    const latest = new Map<string, StoredPlanVersion>();
    for (const plan of items.map((item) => doc<StoredPlanVersion>(item))) {
      const current = latest.get(plan.key);
      if (!current || current.version < plan.version) latest.set(plan.key, plan);
    }
    return [...latest.values()];
  }
}
