import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  TransactionCanceledException,
  type TransactWriteItem,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { ConflictError, NotFoundError } from '../../app/errors.js';
import type { ChargesPort } from '../../app/ports/charges.js';
import type { OneOffCharge } from '../../domain/billing/charge.js';
import { doc, type Item, queryAll, s } from './attributes.js';
import { flagCustomer } from './customers.js';

/**
 * One-off charges, `CUSTOMER#<id>` / `CHARGE#<id>` (see docs/storage.md): `status` is `pending` until
 * the invoice that bills it is written, in whose transaction it becomes `billed` (conditioned on
 * still being pending, so a charge is billed once and a removed one never).
 */
const chargeKey = (customerId: string, id: string) => ({ PK: s(`CUSTOMER#${customerId}`), SK: s(`CHARGE#${id}`) });

const chargeOf = (item: Item): OneOffCharge => ({
  ...doc<OneOffCharge>(item),
  status: item.status?.S === 'billed' ? 'billed' : 'pending',
  ...(item.invoice_id?.S ? { invoiceId: item.invoice_id.S } : {}),
});

export class ChargeStore implements ChargesPort {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  /**
   * Writes the charge and marks its customer as one that has one-off charges (`one_off_charges`), in
   * one transaction: a customer whose item says `false` is known to have none (see customers.ts).
   */
  async create(charge: OneOffCharge): Promise<void> {
    try {
      await this.client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  ...chargeKey(charge.customerId, charge.id),
                  doc: s(JSON.stringify(charge)),
                  status: s('pending'),
                },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            flagCustomer(this.tableName, charge.customerId, 'one_off_charges'),
          ],
        }),
      );
    } catch (error) {
      if (
        error instanceof TransactionCanceledException &&
        error.CancellationReasons?.[1]?.Code === 'ConditionalCheckFailed'
      )
        throw new NotFoundError(`no customer with id '${charge.customerId}'`);
      throw error;
    }
  }

  /** The customer's one-off charges, oldest first (pending and billed). */
  async list(customerId: string): Promise<OneOffCharge[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :charge)',
      ExpressionAttributeValues: { ':pk': s(`CUSTOMER#${customerId}`), ':charge': s('CHARGE#') },
      ConsistentRead: true,
    });
    return items.map(chargeOf).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  async pending(customerId: string): Promise<OneOffCharge[]> {
    return (await this.list(customerId)).filter((charge) => charge.status === 'pending');
  }

  /** Removes a charge not billed yet (a draft's one-off line taken off). */
  async remove(customerId: string, id: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteItemCommand({
          TableName: this.tableName,
          Key: chargeKey(customerId, id),
          ConditionExpression: 'attribute_exists(PK) AND #status = :pending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':pending': s('pending') },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      if (!error.Item) throw new NotFoundError(`customer '${customerId}' has no one-off charge '${id}'`);
      throw new ConflictError(
        `one-off charge '${id}' was billed on invoice '${error.Item.invoice_id?.S ?? ''}'; credit it with a credit note instead`,
      );
    }
  }
}

/** The writes that bill `charges` on `invoiceId`, for the invoice's own transaction (each must still be pending). */
export function chargeBillWrites(
  tableName: string,
  charges: readonly OneOffCharge[],
  invoiceId: string,
): TransactWriteItem[] {
  return charges.map((charge) => ({
    Update: {
      TableName: tableName,
      Key: chargeKey(charge.customerId, charge.id),
      UpdateExpression: 'SET #status = :billed, invoice_id = :invoice',
      ConditionExpression: '#status = :pending',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':billed': s('billed'), ':pending': s('pending'), ':invoice': s(invoiceId) },
    },
  }));
}
