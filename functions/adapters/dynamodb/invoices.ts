import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { ConflictError, CreditsChangedError, NotFoundError } from '../../app/errors.js';
import type {
  BilledCharge,
  CreditSpend,
  DeliveryKind,
  FinalizeOutcome,
  OutboxEntry,
  ProgressiveMark,
} from '../../app/ports/invoices.js';
import { amountRemainingOf } from '../../domain/billing/payment.js';
import type { ProgressiveState } from '../../domain/billing/progressive.js';
import type { Invoice } from '../../domain/invoice.js';
import { NO_REVENUE, revenueChange } from '../../domain/revenue.js';
import { doc, type Item, int, n, queryAll, s } from './attributes.js';
import { chargeBillWrites } from './charges.js';
import { balanceDrawWrites } from './credit-notes.js';
import { creditRestores, creditWrites } from './credits.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { revenueCounterUpdates } from './revenue.js';
import { lastInSeries, seriesAdvance } from './series.js';
import { TABLE } from './table.js';
import {
  eventsIfEnabled,
  eventsWrites,
  eventWrites,
  invoiceChangeEvents,
  newWebhookEvent,
  webhooksEnabled,
} from './webhooks.js';

// Invoices (numbered in one transaction with their revenue counters) and the delivery outbox.
export function invoiceItem(invoice: Invoice): Item {
  return {
    PK: s(`INVOICE#${invoice.id}`),
    SK: s('INVOICE'),
    doc: s(JSON.stringify(invoice)),
    status: s(invoice.status),
    delivery_status: s(invoice.delivery.status),
    [TABLE.gsi1.partitionKey]: s('INVOICES'),
    [TABLE.gsi1.sortKey]: s(`${invoice.issuedAt}#${invoice.id}`),
    [TABLE.gsi2.partitionKey]: s(`CUST#${invoice.customerId}`),
    [TABLE.gsi2.sortKey]: s(`INV#${invoice.issuedAt}#${invoice.id}`),
    // Sparse: in the receivables index exactly while the invoice still owes money.
    ...(amountRemainingOf(invoice).gt(0)
      ? { [TABLE.gsi3.partitionKey]: s('RECEIVABLE'), [TABLE.gsi3.sortKey]: s(`${invoice.dueDate}#${invoice.id}`) }
      : {}),
  };
}

/** Where an invoice's charge stands after late-usage adjustments: `INVOICE#<id>` / `BILLED#<meter>`. */
const billedKey = (invoiceId: string, meter: string) => ({ PK: s(`INVOICE#${invoiceId}`), SK: s(`BILLED#${meter}`) });

function billedWrites(tableName: string, marks: readonly BilledCharge[]) {
  return marks.map((mark) => ({
    Put: {
      TableName: tableName,
      Item: {
        ...billedKey(mark.invoiceId, mark.meter),
        quantity: s(mark.quantity),
        amount: s(mark.amount),
        version: n(mark.version + 1),
      },
      ConditionExpression: mark.version === 0 ? 'attribute_not_exists(PK)' : 'version = :v',
      ...(mark.version === 0 ? {} : { ExpressionAttributeValues: { ':v': n(mark.version) } }),
    },
  }));
}

/** The interim invoices of a subscription's period: `SUB#<id>` / `PROGRESSIVE#<period start>`. */
const progressiveKey = (subscriptionId: string, periodStart: string) => ({
  PK: s(`SUB#${subscriptionId}`),
  SK: s(`PROGRESSIVE#${periodStart}`),
});

function progressiveWrites(tableName: string, mark: ProgressiveMark | undefined, invoice: Invoice) {
  if (!mark) return [];
  const state: ProgressiveState = {
    index: mark.index,
    invoices: [
      ...mark.previous.invoices,
      { invoiceId: invoice.id, invoiceNumber: invoice.number, index: mark.index, amount: mark.amount },
    ],
  };
  return [
    {
      Put: {
        TableName: tableName,
        Item: {
          ...progressiveKey(mark.subscriptionId, mark.periodStart),
          level: n(state.index),
          doc: s(JSON.stringify(state)),
        },
        // Moves only from the state the invoice was computed from: a racing interim invoice cancels it.
        ConditionExpression: mark.previous.index === 0 ? 'attribute_not_exists(PK)' : '#level = :previous',
        ...(mark.previous.index === 0
          ? {}
          : {
              ExpressionAttributeNames: { '#level': 'level' },
              ExpressionAttributeValues: { ':previous': n(mark.previous.index) },
            }),
      },
    },
  ];
}

/** A draft may be replaced (refreshed, finalized); a finalized invoice never. */
const NEW_OR_DRAFT = {
  ConditionExpression: 'attribute_not_exists(PK) OR #status = :draft',
  ExpressionAttributeNames: { '#status': 'status' },
  ExpressionAttributeValues: { ':draft': s('draft') },
};

export function outboxItem(invoiceId: string, kind: DeliveryKind, since: string): Item {
  return { PK: s('OUTBOX'), SK: s(`${kind}#${invoiceId}`), invoice_id: s(invoiceId), kind: s(kind), since: s(since) };
}

export class InvoiceStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    /** When webhook events of changes happen (their `created_at`). */
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async find(id: string): Promise<Invoice | undefined> {
    const result = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: { PK: s(`INVOICE#${id}`), SK: s('INVOICE') },
        ConsistentRead: true,
      }),
    );
    return result.Item ? doc<Invoice>(result.Item) : undefined;
  }

  async get(id: string): Promise<Invoice> {
    const invoice = await this.find(id);
    if (!invoice) throw new NotFoundError(`no invoice with id '${id}'`);
    return invoice;
  }

  /**
   * Writes the invoice with the next number of its series in ONE transaction: the series counter
   * moves only if the invoice is written, so a failure never burns a number (gapless). If the
   * invoice exists already (a re-run), the stored one is returned and no number is taken.
   */
  /**
   * Writes a new invoice with the next number of its series, its outbox entry, its revenue and what it
   * spends of the customer's coupons and grants, in one transaction. Throws {@link CreditsChangedError}
   * when a coupon or grant changed since the draft was computed (nothing written).
   */
  async finalize(
    draft: Omit<Invoice, 'number'>,
    formatNumber: (sequence: number) => string,
    spend?: CreditSpend,
  ): Promise<FinalizeOutcome> {
    const hooks = await webhooksEnabled(this.client, this.tableName);
    for (let attempt = 0; attempt < 20; attempt++) {
      const existing = await this.find(draft.id);
      if (existing && existing.status !== 'draft') return { invoice: existing, created: false };
      const last = await lastInSeries(this.client, this.tableName, draft.series);
      const invoice: Invoice = { ...draft, number: formatNumber(last + 1) };
      const revenue = revenueCounterUpdates(this.tableName, invoice, revenueChange(undefined, invoice) ?? NO_REVENUE);
      const spent = spend
        ? [
            ...creditWrites(this.tableName, invoice.customerId, invoice, spend.couponsAfter, spend.grantsDrawn),
            ...chargeBillWrites(this.tableName, spend.charges ?? [], invoice.id),
            ...billedWrites(this.tableName, spend.adjusted ?? []),
            ...progressiveWrites(this.tableName, spend.progressive, invoice),
            ...(spend.balance
              ? balanceDrawWrites(this.tableName, invoice.customerId, spend.balance.currency, spend.balance, invoice)
              : []),
          ]
        : [];
      const head = [
        seriesAdvance(this.tableName, draft.series, last),
        {
          // A draft of this invoice (grace period) becomes the invoice; a finalized one stays.
          Put: { TableName: this.tableName, Item: invoiceItem(invoice), ...NEW_OR_DRAFT },
        },
        // Transactional outbox: the email is owed from the moment the invoice exists, and so is its
        // collection through the payment provider.
        { Put: { TableName: this.tableName, Item: outboxItem(invoice.id, 'invoice', invoice.issuedAt) } },
        ...(invoice.collection === 'automatic' && amountRemainingOf(invoice).gt(0)
          ? [{ Put: { TableName: this.tableName, Item: outboxItem(invoice.id, 'payment', invoice.issuedAt) } }]
          : []),
      ];
      try {
        await this.client.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              ...head,
              // Revenue counters: counted once, with the invoice.
              ...revenue,
              ...spent,
              // The webhook event, owed with the invoice (last: the credits' cancellation reasons come first).
              ...(hooks
                ? eventWrites(
                    this.tableName,
                    newWebhookEvent('invoice.finalized', invoice.issuedAt, 'invoice', invoice),
                  )
                : []),
            ],
          }),
        );
        return { invoice, created: true };
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        if (spent.length > 0) {
          const reasons = error.CancellationReasons;
          const first = head.length + revenue.length;
          const creditsFailed =
            !reasons || reasons.slice(first).some((reason) => reason.Code && reason.Code !== 'None');
          const stored = creditsFailed ? await this.find(draft.id) : undefined;
          if (creditsFailed && (stored === undefined || stored.status === 'draft')) throw new CreditsChangedError();
        }
        // Someone took the number or wrote this invoice: read again and retry.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * (attempt + 1)));
      }
    }
    throw new ConflictError(`could not allocate an invoice number in series '${draft.series}'; retry`);
  }

  /**
   * Writes or refreshes the draft of an invoice (grace period): no number, no revenue, no email. A
   * finalized invoice of the same id wins: it is returned unchanged.
   */
  async saveDraft(draft: Invoice): Promise<Invoice> {
    if (await webhooksEnabled(this.client, this.tableName))
      try {
        // The first save of a draft reports `invoice.draft_created` in the same transaction; a refresh does not.
        await this.client.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              {
                Put: {
                  TableName: this.tableName,
                  Item: invoiceItem(draft),
                  ConditionExpression: 'attribute_not_exists(PK)',
                },
              },
              ...eventWrites(
                this.tableName,
                newWebhookEvent('invoice.draft_created', draft.issuedAt, 'invoice', draft),
              ),
            ],
          }),
        );
        return draft;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
      }
    try {
      await this.client.send(
        new PutItemCommand({ TableName: this.tableName, Item: invoiceItem(draft), ...NEW_OR_DRAFT }),
      );
      return draft;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return this.get(draft.id);
    }
  }

  /** The interim (progressive) invoices of a subscription's period so far. */
  async progressive(subscriptionId: string, periodStart: string): Promise<ProgressiveState> {
    const result = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: progressiveKey(subscriptionId, periodStart),
        ConsistentRead: true,
      }),
    );
    return result.Item ? doc<ProgressiveState>(result.Item) : { index: 0, invoices: [] };
  }

  /** Where the usage charges of an earlier invoice stand after late-usage adjustments (by meter). */
  async billedCharges(invoiceId: string): Promise<Map<string, BilledCharge>> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :billed)',
      ExpressionAttributeValues: { ':pk': s(`INVOICE#${invoiceId}`), ':billed': s('BILLED#') },
      ConsistentRead: true,
    });
    return new Map(
      items.map((item) => {
        const meter = (item.SK?.S ?? '').slice('BILLED#'.length);
        return [
          meter,
          {
            invoiceId,
            meter,
            quantity: item.quantity?.S ?? '0',
            amount: item.amount?.S ?? '0',
            version: int(item, 'version') ?? 0,
          },
        ];
      }),
    );
  }

  /**
   * Changes an invoice (status, delivery) if nobody changed it meanwhile; retries on a lost race. A
   * change of status moves the revenue counters in the same transaction; a void gives the credits the
   * invoice drew back to their grants in it too.
   */
  async update(id: string, change: (current: Invoice) => Invoice): Promise<Invoice> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const current = await this.get(id);
      const next = change(current);
      if (next === current) return current;
      const put = {
        TableName: this.tableName,
        Item: invoiceItem(next),
        ConditionExpression: 'doc = :current',
        ExpressionAttributeValues: { ':current': s(JSON.stringify(current)) },
      };
      const revenue = revenueChange(current, next);
      const restored =
        next.status === 'void' && current.status !== 'void'
          ? creditRestores(this.tableName, next, next.voided?.at)
          : [];
      const events = await eventsIfEnabled(
        this.client,
        this.tableName,
        invoiceChangeEvents(current, next, next.voided?.at ?? this.clock().toISOString()),
      );
      try {
        if (revenue || restored.length > 0 || events.length > 0)
          await this.client.send(
            new TransactWriteItemsCommand({
              TransactItems: [
                { Put: put },
                ...(revenue ? revenueCounterUpdates(this.tableName, next, revenue) : []),
                ...restored,
                ...eventsWrites(this.tableName, events),
              ],
            }),
          );
        else await this.client.send(new PutItemCommand(put));
        return next;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException || error instanceof TransactionCanceledException))
          throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * (attempt + 1)));
      }
    }
    throw new ConflictError(`invoice '${id}' keeps changing; retry`);
  }

  /** Records that an email is owed for an invoice (a void notice, a resend). */
  async addToOutbox(invoiceId: string, kind: DeliveryKind, since: Date): Promise<void> {
    await this.client.send(
      new PutItemCommand({ TableName: this.tableName, Item: outboxItem(invoiceId, kind, since.toISOString()) }),
    );
  }

  /** The email was sent: nothing is owed any more. */
  async removeFromOutbox(invoiceId: string, kind: DeliveryKind): Promise<void> {
    await this.client.send(
      new DeleteItemCommand({ TableName: this.tableName, Key: { PK: s('OUTBOX'), SK: s(`${kind}#${invoiceId}`) } }),
    );
  }

  /** Emails owed since before `olderThan` (the outbox sweep re-enqueues them). */
  async outbox(olderThan?: Date): Promise<OutboxEntry[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': s('OUTBOX') },
      ConsistentRead: true,
    });
    return items
      .map((item) => ({
        invoiceId: item.invoice_id?.S ?? '',
        kind: (item.kind?.S ?? 'invoice') as DeliveryKind,
        since: item.since?.S ?? '',
      }))
      .filter((entry) => !olderThan || entry.since < olderThan.toISOString());
  }

  /**
   * The invoices that still owe money (finalized, amount remaining > 0), oldest due date first; with
   * `dueBefore` (YYYY-MM-DD) only those due before that day. Reads the sparse receivables index.
   */
  async receivables(options: { dueBefore?: string } = {}): Promise<Invoice[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      IndexName: TABLE.gsi3.name,
      KeyConditionExpression: options.dueBefore === undefined ? 'GSI3PK = :pk' : 'GSI3PK = :pk AND GSI3SK < :before',
      ExpressionAttributeValues: {
        ':pk': s('RECEIVABLE'),
        ...(options.dueBefore === undefined ? {} : { ':before': s(options.dueBefore) }),
      },
    });
    return items.map((item) => doc<Invoice>(item));
  }

  async byCustomer(customerId: string): Promise<Invoice[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      IndexName: TABLE.gsi2.name,
      KeyConditionExpression: 'GSI2PK = :pk AND begins_with(GSI2SK, :inv)',
      ExpressionAttributeValues: { ':pk': s(`CUST#${customerId}`), ':inv': s('INV#') },
      ScanIndexForward: false,
    });
    return items.map((item) => doc<Invoice>(item));
  }

  async list(limit: number, cursor?: string): Promise<{ items: Invoice[]; nextCursor?: string }> {
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: TABLE.gsi1.name,
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': s('INVOICES') },
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: decodeCursor(cursor, { PK: true, SK: true, GSI1PK: 'INVOICES', GSI1SK: true }),
      }),
    );
    return {
      items: (page.Items ?? []).map((item) => doc<Invoice>(item)),
      ...(page.LastEvaluatedKey ? { nextCursor: encodeCursor(page.LastEvaluatedKey) } : {}),
    };
  }
}
