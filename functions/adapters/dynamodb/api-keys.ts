import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { ApiKeyScope, ApiKeyVerifier, Principal } from '../../app/auth.js';
import { NotFoundError } from '../../app/errors.js';
import { doc, type Item, queryAll, s } from './attributes.js';
import { TABLE } from './table.js';

export interface ApiKeyRecord {
  id: string;
  name: string;
  scope: ApiKeyScope;
  createdAt: string;
  revokedAt?: string;
}

const key = (id: string) => ({ PK: s(`APIKEY#${id}`), SK: s('APIKEY') });
const SECRET_PATTERN = /^bk_([a-z0-9]{16})_([A-Za-z0-9_-]{43})$/;

function digest(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/**
 * API keys stored as SHA-256 hashes. A key reads `bk_<id>_<secret>`: the id finds the record in one
 * GetItem, the hash of the whole key is compared in constant time. The key itself is shown once.
 */
export class ApiKeyStore implements ApiKeyVerifier {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async create(name: string, scope: ApiKeyScope): Promise<{ record: ApiKeyRecord; secret: string }> {
    const id = randomBytes(10).toString('hex').slice(0, 16);
    const secret = `bk_${id}_${randomBytes(32).toString('base64url')}`;
    const record: ApiKeyRecord = { id, name, scope, createdAt: this.clock().toISOString() };
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: {
          ...key(id),
          [TABLE.gsi1.partitionKey]: s('APIKEYS'),
          [TABLE.gsi1.sortKey]: s(`${record.createdAt}#${id}`),
          hash: s(digest(secret).toString('hex')),
          doc: s(JSON.stringify(record)),
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
    return { record, secret };
  }

  async verify(secret: string): Promise<Principal | undefined> {
    const match = SECRET_PATTERN.exec(secret);
    if (!match?.[1]) return undefined;
    const result = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: key(match[1]), ConsistentRead: true }),
    );
    const stored = result.Item?.hash?.S;
    if (!result.Item || !stored || result.Item.revoked_at) return undefined;
    if (!timingSafeEqual(Buffer.from(stored, 'hex'), digest(secret))) return undefined;
    const record = doc<ApiKeyRecord>(result.Item);
    return { keyId: record.id, scope: record.scope };
  }

  async revoke(id: string): Promise<ApiKeyRecord> {
    const revokedAt = this.clock().toISOString();
    try {
      const result = await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: key(id),
          UpdateExpression: 'SET revoked_at = if_not_exists(revoked_at, :now)',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: { ':now': s(revokedAt) },
          ReturnValues: 'ALL_NEW',
        }),
      );
      const item = result.Attributes as Item;
      return { ...doc<ApiKeyRecord>(item), revokedAt: item.revoked_at?.S ?? revokedAt };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new NotFoundError(`no API key with id '${id}'`);
      throw error;
    }
  }

  async list(): Promise<ApiKeyRecord[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      IndexName: TABLE.gsi1.name,
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': s('APIKEYS') },
    });
    return items.map((item) => ({
      ...doc<ApiKeyRecord>(item),
      ...(item.revoked_at?.S ? { revokedAt: item.revoked_at.S } : {}),
    }));
  }
}

/** Accepts the configured admin key first, then stored keys. */
export class AnyOfKeys implements ApiKeyVerifier {
  constructor(private readonly verifiers: readonly ApiKeyVerifier[]) {}
  async verify(secret: string): Promise<Principal | undefined> {
    for (const verifier of this.verifiers) {
      const principal = await verifier.verify(secret);
      if (principal) return principal;
    }
    return undefined;
  }
}
