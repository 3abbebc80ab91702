import { randomBytes } from 'node:crypto';
import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  TransactionCanceledException,
  type TransactWriteItem,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { AlreadyExistsError, NotFoundError, RefusedError } from '../../app/errors.js';
import type { CreditsPort, GrantUse } from '../../app/ports/credits.js';
import { type AppliedCoupon, applyCoupon, type Coupon, couponRefusal } from '../../domain/billing/coupon.js';
import type { CreditGrant } from '../../domain/billing/credit.js';
import { Decimal, ZERO } from '../../domain/decimal.js';
import { formatDecimal } from '../../domain/money.js';
import { dec, doc, type Item, int, n, queryAll, s } from './attributes.js';
import { flagCustomer } from './customers.js';

/**
 * Coupons and credit grants (see docs/storage.md):
 * - catalog `COUPON` / `<code>`: the coupon's terms (`doc`) and `redemptions`, counted in the
 *   transaction that applies it, so `max_redemptions` holds under races;
 * - `CUSTOMER#<id>` / `COUPON#<code>`: a coupon applied to the customer, with what is left of it and a
 *   `version` every invoice that uses it moves on (in the invoice's own transaction);
 * - `CUSTOMER#<id>` / `GRANT#<id>`: a credit grant; `balance` and `version` change only in the
 *   transaction of the invoice that draws on it, with a `CREDITLOG#<grant>#<invoice>` entry.
 */
const couponKey = (code: string) => ({ PK: s('COUPON'), SK: s(code) });
const appliedKey = (customerId: string, code: string) => ({ PK: s(`CUSTOMER#${customerId}`), SK: s(`COUPON#${code}`) });
const grantKey = (customerId: string, id: string) => ({ PK: s(`CUSTOMER#${customerId}`), SK: s(`GRANT#${id}`) });
const logKey = (customerId: string, grantId: string, invoiceId: string) => ({
  PK: s(`CUSTOMER#${customerId}`),
  SK: s(`CREDITLOG#${grantId}#${invoiceId}`),
});

const couponOf = (item: Item): Coupon => ({ ...doc<Coupon>(item), redemptions: int(item, 'redemptions') ?? 0 });
const appliedOf = (item: Item): AppliedCoupon => doc<AppliedCoupon>(item);
const grantOf = (item: Item): CreditGrant => ({
  ...doc<CreditGrant>(item),
  balance: formatDecimal(dec(item, 'balance') ?? ZERO),
  version: int(item, 'version') ?? 1,
});

export class CreditStore implements CreditsPort {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async createCoupon(coupon: Coupon): Promise<void> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: { ...couponKey(coupon.code), doc: s(JSON.stringify(coupon)), redemptions: n(0) },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException)
        throw new AlreadyExistsError(`a coupon with code '${coupon.code}' exists already`);
      throw error;
    }
  }

  async getCoupon(code: string): Promise<Coupon> {
    const result = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: couponKey(code), ConsistentRead: true }),
    );
    if (!result.Item) throw new NotFoundError(`no coupon with code '${code}'`);
    return couponOf(result.Item);
  }

  async listCoupons(): Promise<Coupon[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': s('COUPON') },
      ConsistentRead: true,
    });
    return items.map(couponOf);
  }

  /**
   * Applies coupon `code` to a customer billed in `currency`: refused (expired, exhausted, another
   * currency, applied already) with nothing changed, else counted and applied in one transaction.
   */
  async applyCoupon(customerId: string, currency: string, code: string, now: Date): Promise<AppliedCoupon> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const coupon = await this.getCoupon(code);
      const existing = await this.client.send(
        new GetItemCommand({ TableName: this.tableName, Key: appliedKey(customerId, code), ConsistentRead: true }),
      );
      const refusal = couponRefusal(coupon, currency, now, existing.Item !== undefined);
      if (refusal) throw new RefusedError(refusal.code, refusal.message, refusal.kind);
      const applied = applyCoupon(coupon, now);
      try {
        await this.client.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              {
                Update: {
                  TableName: this.tableName,
                  Key: couponKey(code),
                  UpdateExpression: 'SET redemptions = redemptions + :one',
                  ConditionExpression: 'redemptions = :seen',
                  ExpressionAttributeValues: { ':one': n(1), ':seen': n(coupon.redemptions) },
                },
              },
              {
                Put: {
                  TableName: this.tableName,
                  Item: {
                    ...appliedKey(customerId, code),
                    doc: s(JSON.stringify(applied)),
                    version: n(applied.version),
                  },
                  ConditionExpression: 'attribute_not_exists(PK)',
                },
              },
              flagCustomer(this.tableName, customerId, 'credits_held'),
            ],
          }),
        );
        return applied;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        // Another redemption moved the count (or applied it here): read again and decide again.
      }
    }
    throw new RefusedError('coupon_busy', `coupon '${code}' is being redeemed by many at once; retry`, 'conflict');
  }

  async appliedCoupons(customerId: string): Promise<AppliedCoupon[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': s(`CUSTOMER#${customerId}`), ':prefix': s('COUPON#') },
      ConsistentRead: true,
    });
    return items.map(appliedOf);
  }

  async createGrant(grant: Omit<CreditGrant, 'id' | 'version' | 'balance'>): Promise<CreditGrant> {
    const created: CreditGrant = {
      ...grant,
      id: `gr_${randomBytes(12).toString('hex')}`,
      balance: grant.amount,
      version: 1,
    };
    const { balance: _balance, version: _version, ...terms } = created;
    try {
      await this.client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  ...grantKey(grant.customerId, created.id),
                  doc: s(JSON.stringify(terms)),
                  granted: n(new Decimal(grant.amount)),
                  balance: n(new Decimal(grant.amount)),
                  version: n(1),
                },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            flagCustomer(this.tableName, grant.customerId, 'credits_held'),
          ],
        }),
      );
    } catch (error) {
      if (error instanceof TransactionCanceledException)
        throw new NotFoundError(`no customer with id '${grant.customerId}'`);
      throw error;
    }
    return created;
  }

  async grants(customerId: string): Promise<CreditGrant[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': s(`CUSTOMER#${customerId}`), ':prefix': s('GRANT#') },
      ConsistentRead: true,
    });
    return items.map(grantOf);
  }

  async grantUses(customerId: string): Promise<GrantUse[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': s(`CUSTOMER#${customerId}`), ':prefix': s('CREDITLOG#') },
      ConsistentRead: true,
    });
    return items.map((item) => doc<GrantUse>(item));
  }
}

/**
 * The writes an invoice makes to the coupons and grants it used, for the invoice's own transaction:
 * each conditioned on the version it was computed from, so two invoices never spend the same credit
 * (the second one's transaction is cancelled and it is computed again).
 */
export function creditWrites(
  tableName: string,
  customerId: string,
  invoice: { id: string; number: string; issuedAt: string },
  couponsAfter: readonly AppliedCoupon[],
  grantsDrawn: ReadonlyArray<{ grant: CreditGrant; drawn: Decimal }>,
): TransactWriteItem[] {
  const coupons = couponsAfter.map(
    (coupon): TransactWriteItem => ({
      Put: {
        TableName: tableName,
        Item: { ...appliedKey(customerId, coupon.id), doc: s(JSON.stringify(coupon)), version: n(coupon.version) },
        ConditionExpression: 'version = :previous',
        ExpressionAttributeValues: { ':previous': n(coupon.version - 1) },
      },
    }),
  );
  const grants = grantsDrawn.flatMap(({ grant, drawn }): TransactWriteItem[] => {
    const use: GrantUse = {
      grantId: grant.id,
      invoiceId: invoice.id,
      invoiceNumber: invoice.number,
      amount: formatDecimal(drawn),
      at: invoice.issuedAt,
    };
    return [
      {
        Update: {
          TableName: tableName,
          Key: grantKey(customerId, grant.id),
          UpdateExpression: 'SET balance = balance - :drawn, version = version + :one',
          ConditionExpression: 'version = :seen AND balance >= :drawn',
          ExpressionAttributeValues: { ':drawn': n(drawn), ':one': n(1), ':seen': n(grant.version) },
        },
      },
      {
        Put: {
          TableName: tableName,
          Item: { ...logKey(customerId, grant.id, invoice.id), doc: s(JSON.stringify(use)) },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
    ];
  });
  return [...coupons, ...grants];
}

/**
 * The writes that give a voided invoice's credits back to their grants, for the void's own transaction:
 * each grant's balance grows by what the invoice drew (no version condition: adding back commutes with
 * any other change; it moves the version, so an invoice computed before it rates again), with a
 * `restored` ledger entry.
 */
export function creditRestores(
  tableName: string,
  invoice: {
    id: string;
    number: string;
    customerId: string;
    credits?: ReadonlyArray<{ grant: string; amount: string }>;
  },
  at: string | undefined,
): TransactWriteItem[] {
  return (invoice.credits ?? []).flatMap(({ grant, amount }): TransactWriteItem[] => {
    const entry: GrantUse = {
      grantId: grant,
      invoiceId: invoice.id,
      invoiceNumber: invoice.number,
      amount,
      at: at ?? new Date(0).toISOString(),
      kind: 'restored',
    };
    return [
      {
        Update: {
          TableName: tableName,
          Key: grantKey(invoice.customerId, grant),
          UpdateExpression: 'SET balance = balance + :amount, version = version + :one',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: { ':amount': n(new Decimal(amount)), ':one': n(1) },
        },
      },
      {
        Put: {
          TableName: tableName,
          Item: { ...logKey(invoice.customerId, grant, `${invoice.id}#void`), doc: s(JSON.stringify(entry)) },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
    ];
  });
}
