import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  TransactionCanceledException,
  type TransactWriteItem,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { ConflictError } from '../../app/errors.js';
import type { Payment } from '../../domain/billing/payment.js';
import { Decimal } from '../../domain/decimal.js';
import type { Invoice } from '../../domain/invoice.js';
import { revenueChange } from '../../domain/revenue.js';
import { s } from './attributes.js';
import { balanceOverpaymentWrites } from './credit-notes.js';
import { InvoiceStore, invoiceItem } from './invoices.js';
import { revenueCounterUpdates } from './revenue.js';
import { eventsIfEnabled, eventsWrites, invoiceChangeEvents } from './webhooks.js';

/**
 * Payments recorded on invoices (see docs/storage.md):
 * - the invoice doc carries its payments, attempts and refunds (functions/domain/billing/payment.ts);
 * - `PAYMENTEVENT#<provider>#<event id>` / `EVENT`: a provider event (webhook) applied: written in the
 *   same transaction as the change it made, so an event delivered twice is applied once;
 * - an overpayment adds to the customer balance in that transaction too (ledger entry keyed by the
 *   payment's id).
 */
const eventKey = (provider: string, eventId: string) => ({
  PK: s(`PAYMENTEVENT#${provider}#${eventId}`),
  SK: s('EVENT'),
});

/** What a change did: the invoice after it, the payment it recorded (if any). */
export interface PaymentChange {
  invoice: Invoice;
  /** A payment recorded by this change: its overpayment goes to the balance in the same transaction. */
  payment?: Payment;
}

export class PaymentStore {
  private readonly invoices: InvoiceStore;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.invoices = new InvoiceStore(client, tableName);
  }

  /** Whether a provider event was applied already. */
  async seen(provider: string, eventId: string): Promise<boolean> {
    const found = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: eventKey(provider, eventId), ConsistentRead: true }),
    );
    return found.Item !== undefined;
  }

  /** Records a provider event that changed nothing (an event for an unknown invoice, say): it is not looked at again. */
  async markSeen(provider: string, eventId: string, at: string, note: string): Promise<void> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: { ...eventKey(provider, eventId), at: s(at), note: s(note) },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /**
   * Changes an invoice for a payment (or a failed attempt, a refund) if nobody changed it meanwhile:
   * the invoice, its revenue counters, the balance for an overpayment and, for a provider event, the
   * event's marker, in ONE transaction. `change` answering the invoice unchanged writes only the
   * marker. Answers `duplicate` when the event was applied before (by an earlier delivery or a racing one).
   */
  async apply(
    invoiceId: string,
    change: (current: Invoice) => PaymentChange,
    event?: { provider: string; id: string; at: string },
  ): Promise<{ invoice: Invoice; payment?: Payment; duplicate: boolean }> {
    for (let attempt = 0; attempt < 10; attempt++) {
      if (event && (await this.seen(event.provider, event.id)))
        return { invoice: await this.invoices.get(invoiceId), duplicate: true };
      const current = await this.invoices.get(invoiceId);
      const next = change(current);
      const writes: TransactWriteItem[] = [];
      if (next.invoice !== current) {
        writes.push({
          Put: {
            TableName: this.tableName,
            Item: invoiceItem(next.invoice),
            ConditionExpression: 'doc = :current',
            ExpressionAttributeValues: { ':current': s(JSON.stringify(current)) },
          },
        });
        const revenue = revenueChange(current, next.invoice);
        if (revenue) writes.push(...revenueCounterUpdates(this.tableName, next.invoice, revenue));
        if (next.payment && new Decimal(next.payment.overpaid).gt(0))
          writes.push(...balanceOverpaymentWrites(this.tableName, next.invoice, next.payment));
        // invoice.paid / invoice.payment_failed, in the payment's transaction.
        writes.push(
          ...eventsWrites(
            this.tableName,
            await eventsIfEnabled(
              this.client,
              this.tableName,
              invoiceChangeEvents(
                current,
                next.invoice,
                next.payment?.receivedAt ?? event?.at ?? new Date().toISOString(),
              ),
            ),
          ),
        );
      }
      if (event)
        writes.push({
          Put: {
            TableName: this.tableName,
            Item: { ...eventKey(event.provider, event.id), at: s(event.at), invoice_id: s(invoiceId) },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        });
      if (writes.length === 0)
        return { invoice: current, ...(next.payment ? { payment: next.payment } : {}), duplicate: false };
      try {
        await this.client.send(new TransactWriteItemsCommand({ TransactItems: writes }));
        return { invoice: next.invoice, ...(next.payment ? { payment: next.payment } : {}), duplicate: false };
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        // The invoice changed, or a racing delivery of the same event won: read again and decide again.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * (attempt + 1)));
      }
    }
    throw new ConflictError(`invoice '${invoiceId}' keeps changing; retry`);
  }
}
