import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactionCanceledException,
  type TransactWriteItem,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { ConflictError, NotFoundError } from '../../app/errors.js';
import type { CreditNotePlan } from '../../app/ports/credit-notes.js';
import type { CreditNote } from '../../domain/billing/credit-note.js';
import { Decimal, ZERO } from '../../domain/decimal.js';
import type { Invoice } from '../../domain/invoice.js';
import { formatAmount, formatDecimal, isKnownCurrency } from '../../domain/money.js';
import { revenueChange } from '../../domain/revenue.js';
import { batchGet, dec, doc, type Item, int, n, queryAll, s } from './attributes.js';
import { creditRestores } from './credits.js';
import { invoiceItem, outboxItem } from './invoices.js';
import { revenueCounterUpdates } from './revenue.js';
import { lastInSeries, seriesAdvance } from './series.js';
import { TABLE } from './table.js';
import { eventsIfEnabled, eventsWrites, invoiceChangeEvents, newWebhookEvent } from './webhooks.js';

/**
 * Credit notes and the customer balance (see docs/storage.md):
 * - `CREDITNOTE#<id>` / `CREDITNOTE`: the note (`doc`), listed by customer (GSI2 `CUST#<id>`,
 *   `CN#<issuedAt>#<id>`) and all together (GSI1 `CREDITNOTES`, `<issuedAt>#<id>`);
 * - `SERIES#<series>` / `SERIES`: the series counter, as invoices have (a series of its own: `CN-2026-`);
 * - `CUSTOMER#<id>` / `BALANCE#<currency>`: `amount` (decimal) and `version`, moved only in transactions;
 * - `CUSTOMER#<id>` / `BALANCELOG#<at>#<ref>` (ref: the credit note's number, or the invoice id): the balance's ledger (a credit note adds, an invoice draws,
 *   the void of an invoice that drew gives back).
 */
const noteKey = (id: string) => ({ PK: s(`CREDITNOTE#${id}`), SK: s('CREDITNOTE') });
export const balanceKey = (customerId: string, currency: string) => ({
  PK: s(`CUSTOMER#${customerId}`),
  SK: s(`BALANCE#${currency}`),
});
const balanceLogKey = (customerId: string, at: string, ref: string) => ({
  PK: s(`CUSTOMER#${customerId}`),
  SK: s(`BALANCELOG#${at}#${ref}`),
});

function noteItem(note: CreditNote): Item {
  return {
    ...noteKey(note.id),
    doc: s(JSON.stringify(note)),
    delivery_status: s(note.delivery.status),
    [TABLE.gsi1.partitionKey]: s('CREDITNOTES'),
    [TABLE.gsi1.sortKey]: s(`${note.issuedAt}#${note.id}`),
    [TABLE.gsi2.partitionKey]: s(`CUST#${note.customerId}`),
    [TABLE.gsi2.sortKey]: s(`CN#${note.issuedAt}#${note.id}`),
  };
}

/** One entry of a customer's balance ledger: + for a credit note, − for an invoice that drew on it. */
export interface BalanceEntry {
  type: 'credit_note' | 'invoice' | 'invoice_void' | 'overpayment';
  currency: string;
  /** Signed: what the entry did to the balance. */
  amount: string;
  at: string;
  creditNoteId?: string;
  creditNoteNumber?: string;
  invoiceId?: string;
  invoiceNumber?: string;
  /** `overpayment`: the payment that paid more than the invoice owed. */
  paymentId?: string;
}

export interface Balance {
  currency: string;
  amount: string;
  version: number;
}

/** The balance update and ledger entry of a `credit_balance` note: the balance grows by its total. */
export function balanceCreditWrites(tableName: string, note: CreditNote): TransactWriteItem[] {
  return balanceAddWrites(tableName, note.customerId, note.number, {
    type: 'credit_note',
    currency: note.currency,
    amount: note.total,
    at: note.issuedAt,
    creditNoteId: note.id,
    creditNoteNumber: note.number,
    invoiceId: note.invoiceId,
    invoiceNumber: note.invoiceNumber,
  });
}

/**
 * What an overpayment (money received beyond what the invoice still owed) adds to the balance, keyed
 * by the payment's id so the same payment never adds twice.
 */
export function balanceOverpaymentWrites(
  tableName: string,
  invoice: Pick<Invoice, 'id' | 'number' | 'customerId' | 'currency'>,
  payment: { id: string; overpaid: string; receivedAt: string },
): TransactWriteItem[] {
  return balanceAddWrites(tableName, invoice.customerId, payment.id, {
    type: 'overpayment',
    currency: invoice.currency,
    amount: payment.overpaid,
    at: payment.receivedAt,
    invoiceId: invoice.id,
    invoiceNumber: invoice.number,
    paymentId: payment.id,
  });
}

/** The balance grows by the entry's amount; the ledger entry is written once (`ref` in its key). */
function balanceAddWrites(
  tableName: string,
  customerId: string,
  ref: string,
  entry: BalanceEntry,
): TransactWriteItem[] {
  return [
    {
      Update: {
        TableName: tableName,
        Key: balanceKey(customerId, entry.currency),
        UpdateExpression:
          'SET #version = if_not_exists(#version, :zero) + :one, currency = :currency ADD #amount :amount',
        ExpressionAttributeNames: { '#version': 'version', '#amount': 'amount' },
        ExpressionAttributeValues: {
          ':zero': n(0),
          ':one': n(1),
          ':currency': s(entry.currency),
          ':amount': n(new Decimal(entry.amount)),
        },
      },
    },
    {
      Put: {
        TableName: tableName,
        // Keyed by the note's number (or the payment's id): entries of one instant list in their order.
        Item: { ...balanceLogKey(customerId, entry.at, ref), doc: s(JSON.stringify(entry)) },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    },
  ];
}

/**
 * The writes with which an invoice draws `drawn` from the customer's balance in `currency`, for the
 * invoice's own (finalize) transaction: the balance update is conditioned on the `version` it was read
 * at and on holding at least `drawn`, so two invoices never spend the same balance (the loser's
 * transaction is cancelled: read {@link CreditNoteStore.balances} again and recompute). With the ledger
 * entry (`invoice`, −drawn). Store `drawn` on the invoice as `balanceApplied` so a void gives it back.
 */
export function balanceDrawWrites(
  tableName: string,
  customerId: string,
  currency: string,
  balance: { version: number; drawn: Decimal },
  invoice: { id: string; number: string; issuedAt: string },
): TransactWriteItem[] {
  const entry: BalanceEntry = {
    type: 'invoice',
    currency,
    amount: isKnownCurrency(currency)
      ? formatAmount(balance.drawn.neg(), currency)
      : formatDecimal(balance.drawn.neg()),
    at: invoice.issuedAt,
    invoiceId: invoice.id,
    invoiceNumber: invoice.number,
  };
  return [
    {
      Update: {
        TableName: tableName,
        Key: balanceKey(customerId, currency),
        UpdateExpression: 'SET #amount = #amount - :drawn, #version = #version + :one',
        ConditionExpression: '#version = :seen AND #amount >= :drawn',
        ExpressionAttributeNames: { '#version': 'version', '#amount': 'amount' },
        ExpressionAttributeValues: { ':drawn': n(balance.drawn), ':one': n(1), ':seen': n(balance.version) },
      },
    },
    {
      Put: {
        TableName: tableName,
        Item: { ...balanceLogKey(customerId, invoice.issuedAt, invoice.id), doc: s(JSON.stringify(entry)) },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    },
  ];
}

/**
 * The writes that give a voided invoice's draw on the balance back (`invoice.balanceApplied`), for the
 * void's own transaction: no version condition (adding back commutes with any other change; it moves
 * the version, so an invoice computed before it draws again), with an `invoice_void` ledger entry.
 * Empty when the invoice drew nothing.
 */
export function balanceRestoreWrites(
  tableName: string,
  invoice: { id: string; number: string; customerId: string; currency: string; balanceApplied?: string },
  at: string,
): TransactWriteItem[] {
  const applied = new Decimal(invoice.balanceApplied ?? '0');
  if (applied.lte(0)) return [];
  const entry: BalanceEntry = {
    type: 'invoice_void',
    currency: invoice.currency,
    amount: isKnownCurrency(invoice.currency) ? formatAmount(applied, invoice.currency) : formatDecimal(applied),
    at,
    invoiceId: invoice.id,
    invoiceNumber: invoice.number,
  };
  return [
    {
      Update: {
        TableName: tableName,
        Key: balanceKey(invoice.customerId, invoice.currency),
        UpdateExpression:
          'SET #version = if_not_exists(#version, :zero) + :one, currency = :currency ADD #amount :amount',
        ExpressionAttributeNames: { '#version': 'version', '#amount': 'amount' },
        ExpressionAttributeValues: {
          ':zero': n(0),
          ':one': n(1),
          ':currency': s(invoice.currency),
          ':amount': n(applied),
        },
      },
    },
    {
      Put: {
        TableName: tableName,
        Item: { ...balanceLogKey(invoice.customerId, at, `${invoice.id}#void`), doc: s(JSON.stringify(entry)) },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    },
  ];
}

export class CreditNoteStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async find(id: string): Promise<CreditNote | undefined> {
    const result = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: noteKey(id), ConsistentRead: true }),
    );
    return result.Item ? doc<CreditNote>(result.Item) : undefined;
  }

  async get(id: string): Promise<CreditNote> {
    const note = await this.find(id);
    if (!note) throw new NotFoundError(`no credit note with id '${id}'`);
    return note;
  }

  /** The notes with these ids, in the order given (ids that do not exist are left out). */
  async byIds(ids: readonly string[]): Promise<CreditNote[]> {
    if (ids.length === 0) return [];
    const items = await batchGet(
      this.client,
      this.tableName,
      ids.map((id) => noteKey(id)),
      { consistentRead: true },
    );
    const byId = new Map(items.map((item) => [doc<CreditNote>(item).id, doc<CreditNote>(item)]));
    return ids.flatMap((id) => {
      const note = byId.get(id);
      return note ? [note] : [];
    });
  }

  /** A customer's notes, newest first. */
  async byCustomer(customerId: string): Promise<CreditNote[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      IndexName: TABLE.gsi2.name,
      KeyConditionExpression: 'GSI2PK = :pk AND begins_with(GSI2SK, :cn)',
      ExpressionAttributeValues: { ':pk': s(`CUST#${customerId}`), ':cn': s('CN#') },
      ScanIndexForward: false,
    });
    return items.map((item) => doc<CreditNote>(item));
  }

  /** The notes issued in [from, to) (issue instant), oldest first: the GSI1 `CREDITNOTES` listing. */
  async issuedBetween(from: Date, to: Date): Promise<CreditNote[]> {
    if (to.getTime() <= from.getTime()) return [];
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      IndexName: TABLE.gsi1.name,
      // issuedAt is an ISO instant; `#` sorts before every digit, so `<instant>#` bounds are exact.
      KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': s('CREDITNOTES'),
        ':from': s(`${from.toISOString()}#`),
        ':to': s(`${new Date(to.getTime() - 1).toISOString()}#\uffff`),
      },
    });
    return items.map((item) => doc<CreditNote>(item));
  }

  /** The newest `limit` notes of all customers. */
  async list(limit: number): Promise<CreditNote[]> {
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: TABLE.gsi1.name,
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': s('CREDITNOTES') },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (page.Items ?? []).map((item) => doc<CreditNote>(item));
  }

  /**
   * Issues a credit note against invoice `invoiceId` in ONE transaction: the next number of its series
   * (conditioned on the counter as read: gapless, never burnt), the note, the invoice rewritten
   * (conditioned on its document as read: two notes racing on one invoice can never together credit
   * more than it holds; the loser reads again and `plan` decides again, or refuses), the email owed
   * (outbox), the revenue counters, the balance for `credit_balance`; and, when the new invoice is void,
   * its void notice owed and its credits and balance given back. `plan` throws to refuse.
   */
  async issue(
    invoiceId: string,
    plan: (current: Invoice) => CreditNotePlan,
  ): Promise<{ note: CreditNote; invoice: Invoice }> {
    for (let attempt = 0; attempt < 25; attempt++) {
      const found = await this.client.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: { PK: s(`INVOICE#${invoiceId}`), SK: s('INVOICE') },
          ConsistentRead: true,
        }),
      );
      if (!found.Item) throw new NotFoundError(`no invoice with id '${invoiceId}'`);
      const current = doc<Invoice>(found.Item);
      const planned = plan(current);
      const last = await lastInSeries(this.client, this.tableName, planned.series);
      const { note, invoice } = planned.build(last + 1);
      const revenue = revenueChange(current, invoice);
      const voiding = invoice.status === 'void' && current.status !== 'void';
      const at = note.issuedAt;
      try {
        await this.client.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              seriesAdvance(this.tableName, planned.series, last),
              {
                Put: {
                  TableName: this.tableName,
                  Item: noteItem(note),
                  ConditionExpression: 'attribute_not_exists(PK)',
                },
              },
              {
                Put: {
                  TableName: this.tableName,
                  Item: invoiceItem(invoice),
                  ConditionExpression: 'doc = :current',
                  ExpressionAttributeValues: { ':current': s(JSON.stringify(current)) },
                },
              },
              // Transactional outbox: the note's email is owed from the moment the note exists.
              { Put: { TableName: this.tableName, Item: outboxItem(note.id, 'credit_note', at) } },
              // ...and so is the refund it owes, where the invoice was paid through the payment provider.
              ...(note.refund && invoice.payments?.some((payment) => payment.source === 'provider')
                ? [{ Put: { TableName: this.tableName, Item: outboxItem(note.id, 'refund', at) } }]
                : []),
              ...(voiding ? [{ Put: { TableName: this.tableName, Item: outboxItem(invoice.id, 'void', at) } }] : []),
              ...(revenue ? revenueCounterUpdates(this.tableName, invoice, revenue) : []),
              ...(note.method === 'credit_balance' ? balanceCreditWrites(this.tableName, note) : []),
              ...(voiding ? creditRestores(this.tableName, invoice, at) : []),
              ...(voiding ? balanceRestoreWrites(this.tableName, invoice, at) : []),
              // Webhook events: the note, and the invoice voided (or paid off) by it.
              ...eventsWrites(
                this.tableName,
                await eventsIfEnabled(this.client, this.tableName, [
                  newWebhookEvent('credit_note.created', at, 'credit_note', note),
                  ...invoiceChangeEvents(current, invoice, at),
                ]),
              ),
            ],
          }),
        );
        return { note, invoice };
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        // Another note took the number, or the invoice changed (another note, a payment, a delivery
        // record): read again and decide again.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * (attempt + 1)));
      }
    }
    throw new ConflictError(`invoice '${invoiceId}' keeps changing; could not issue the credit note, retry`);
  }

  /** Changes a note (its delivery record) if nobody changed it meanwhile; retries on a lost race. */
  async update(id: string, change: (current: CreditNote) => CreditNote): Promise<CreditNote> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const current = await this.get(id);
      const next = change(current);
      if (next === current) return current;
      try {
        await this.client.send(
          new PutItemCommand({
            TableName: this.tableName,
            Item: noteItem(next),
            ConditionExpression: 'doc = :current',
            ExpressionAttributeValues: { ':current': s(JSON.stringify(current)) },
          }),
        );
        return next;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * (attempt + 1)));
      }
    }
    throw new ConflictError(`credit note '${id}' keeps changing; retry`);
  }

  /** The customer's balance per currency (none: no credit note ever added to it). */
  async balances(customerId: string): Promise<Balance[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': s(`CUSTOMER#${customerId}`), ':prefix': s('BALANCE#') },
      ConsistentRead: true,
    });
    return items.map((item) => {
      const currency = item.currency?.S ?? (item.SK?.S ?? '').slice('BALANCE#'.length);
      return {
        currency,
        amount: isKnownCurrency(currency)
          ? formatAmount(dec(item, 'amount') ?? ZERO, currency)
          : formatDecimal(dec(item, 'amount') ?? ZERO),
        version: int(item, 'version') ?? 0,
      };
    });
  }

  /** The customer's balance ledger, oldest first. */
  async balanceLedger(customerId: string): Promise<BalanceEntry[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': s(`CUSTOMER#${customerId}`), ':prefix': s('BALANCELOG#') },
      ConsistentRead: true,
    });
    return items.map((item) => doc<BalanceEntry>(item));
  }
}
