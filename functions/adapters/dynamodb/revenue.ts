import type { DynamoDBClient, TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { Decimal } from '../../domain/decimal.js';
import type { Invoice } from '../../domain/invoice.js';
import {
  ceilUtc,
  invoiceRow,
  monthsBetween,
  type RevenueAmounts,
  type RevenueGroupBy,
  type RevenueRow,
  revenueMonth,
  splitRange,
  yearsBetween,
} from '../../domain/revenue.js';
import { dec, doc, type Item, int, n, queryAll, s, str } from './attributes.js';
import { TABLE } from './table.js';

/**
 * Revenue counters: what finalized invoices add up to, kept exact by DynamoDB's decimal ADD in the
 * same transaction that writes the invoice (finalize) or changes its status (void, mark paid). The
 * revenue report reads these instead of every invoice document:
 *
 * - `PK = REVENUE#DAY`, `SK = <yyyy-mm-dd>#<currency>`: per UTC day of issue (the per-month report and the totals);
 * - `PK = REVENUE#PLAN`, `SK = <yyyy-mm>#<currency>#<plan>`: per UTC month and plan;
 * - `PK = REVENUE#CUSTOMER#<yyyy-mm>`, `SK = <currency>#<customer>`: per UTC month and customer;
 * - `PK = REVENUE#CUSTOMER-YEAR#<yyyy>`, `SK = <currency>#<customer>`: per UTC year and customer (a
 *   calendar year by customer reads one partition of one item per customer, not twelve).
 *
 * Attributes: `invoices`, `voids` (counts), `subtotal`, `tax`, `total`, `paid` (decimal numbers),
 * `currency`, and `plan` / `customer` / `label` where they apply. The hot key is the invoice series
 * counter that is in the same transaction already, so these add no contention of their own.
 */
const DAY_PK = 'REVENUE#DAY';
/** How far the clocks of the functions that issue invoices may be ahead of the one reading. */
const CLOCK_SKEW_MS = 5 * 60_000;
const PLAN_PK = 'REVENUE#PLAN';
const customerPk = (month: string) => `REVENUE#CUSTOMER#${month}`;
const customerYearPk = (year: string) => `REVENUE#CUSTOMER-YEAR#${year}`;

/** The counter updates (day, plan, customer month, customer year) for a change of `change` in `invoice`'s revenue. */
export function revenueCounterUpdates(
  tableName: string,
  invoice: Invoice,
  change: RevenueAmounts,
): TransactWriteItem[] {
  const day = new Date(invoice.issuedAt).toISOString().slice(0, 10);
  const month = revenueMonth(invoice.issuedAt);
  const update = (key: Item, set: Record<string, string>): TransactWriteItem => {
    const names: Record<string, string> = {
      '#invoices': 'invoices',
      '#voids': 'voids',
      '#subtotal': 'subtotal',
      '#tax': 'tax',
      '#total': 'total',
      '#paid': 'paid',
    };
    const values: Item = {
      ':invoices': n(change.count),
      ':voids': n(change.voids),
      ':subtotal': n(change.subtotal),
      ':tax': n(change.tax),
      ':total': n(change.total),
      ':paid': n(change.paid),
    };
    const assignments = Object.entries(set).map(([name, value]) => {
      names[`#${name}`] = name;
      values[`:${name}`] = s(value);
      return `#${name} = :${name}`;
    });
    return {
      Update: {
        TableName: tableName,
        Key: key,
        UpdateExpression: `SET ${assignments.join(', ')} ADD #invoices :invoices, #voids :voids, #subtotal :subtotal, #tax :tax, #total :total, #paid :paid`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    };
  };
  return [
    update({ PK: s(DAY_PK), SK: s(`${day}#${invoice.currency}`) }, { currency: invoice.currency }),
    update(
      { PK: s(PLAN_PK), SK: s(`${month}#${invoice.currency}#${invoice.planKey}`) },
      { currency: invoice.currency, plan: invoice.planKey },
    ),
    ...[customerPk(month), customerYearPk(month.slice(0, 4))].map((pk) =>
      update(
        { PK: s(pk), SK: s(`${invoice.currency}#${invoice.customerId}`) },
        { currency: invoice.currency, customer: invoice.customerId, label: invoice.buyer.name || invoice.customerId },
      ),
    ),
  ];
}

function amounts(item: Item): RevenueAmounts {
  return {
    count: int(item, 'invoices') ?? 0,
    subtotal: dec(item, 'subtotal') ?? new Decimal(0),
    tax: dec(item, 'tax') ?? new Decimal(0),
    total: dec(item, 'total') ?? new Decimal(0),
    paid: dec(item, 'paid') ?? new Decimal(0),
    voids: int(item, 'voids') ?? 0,
  };
}

export class RevenueStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  /**
   * Revenue rows for invoices issued in [from, to): whole UTC days (per-month report) or months (per
   * plan, per customer) from the counters, the ragged edges of the range from the invoices themselves.
   */
  async rows(from: Date, to: Date, groupBy: RevenueGroupBy, now?: Date): Promise<RevenueRow[]> {
    // Nothing is issued after now: a range that ends in the future reads the same up to the end of its
    // counter unit ("the last 12 months" to next month's start reads this whole year, not 11 months).
    const unit = groupBy === 'customer' ? 'year' : groupBy === 'plan' ? 'month' : 'day';
    if (now && to.getTime() > now.getTime() + CLOCK_SKEW_MS) to = ceilUtc(to, unit);
    if (groupBy === 'customer') {
      // Whole UTC years from the yearly counters, whole months around them, invoices at the ragged ends.
      const { whole: years, edges } = splitRange(from, to, 'year');
      const [yearly, ...rest] = await Promise.all([
        years ? this.customerCounters(yearsBetween(years.from, years.to).map(customerYearPk)) : Promise.resolve([]),
        ...edges.map((edge) => this.rowsByUnit(edge.from, edge.to, 'month', groupBy)),
      ]);
      return [...yearly, ...rest.flat()];
    }
    return this.rowsByUnit(from, to, groupBy === 'month' ? 'day' : 'month', groupBy);
  }

  private async rowsByUnit(from: Date, to: Date, unit: 'day' | 'month', groupBy: RevenueGroupBy) {
    const { whole, edges } = splitRange(from, to, unit);
    const [counted, ...edgeInvoices] = await Promise.all([
      whole ? this.counters(whole.from, whole.to, groupBy) : Promise.resolve([]),
      ...edges.map((edge) => this.invoicesIssued(edge.from, edge.to)),
    ]);
    return [...counted, ...edgeInvoices.flat().map((invoice) => invoiceRow(invoice, groupBy))];
  }

  /** Counter rows for whole units: [from, to) are UTC day starts (month) or month starts (plan, customer). */
  private async counters(from: Date, to: Date, groupBy: RevenueGroupBy): Promise<RevenueRow[]> {
    if (groupBy === 'month') {
      const lastDay = new Date(to.getTime() - 1).toISOString().slice(0, 10);
      const items = await queryAll(this.client, {
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': s(DAY_PK),
          ':from': s(`${from.toISOString().slice(0, 10)}#`),
          ':to': s(`${lastDay}#\uffff`),
        },
      });
      return items.map((item) => {
        const month = (str(item, 'SK') ?? '').slice(0, 7);
        return { key: month, label: month, currency: str(item, 'currency') ?? '', amounts: amounts(item) };
      });
    }
    const months = monthsBetween(from, to);
    if (groupBy === 'plan') {
      const items = await queryAll(this.client, {
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': s(PLAN_PK),
          ':from': s(`${months[0]}#`),
          ':to': s(`${months.at(-1)}#\uffff`),
        },
      });
      return items.map((item) => {
        const plan = str(item, 'plan') ?? '';
        return { key: plan, label: plan, currency: str(item, 'currency') ?? '', amounts: amounts(item) };
      });
    }
    return this.customerCounters(months.map(customerPk));
  }

  /** Every customer's counter item in these partitions (months or years), read in parallel. */
  private async customerCounters(partitions: readonly string[]): Promise<RevenueRow[]> {
    const perPartition = await Promise.all(
      partitions.map((pk) =>
        queryAll(this.client, {
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': s(pk) },
        }),
      ),
    );
    return perPartition.flat().map((item) => {
      const customer = str(item, 'customer') ?? '';
      return {
        key: customer,
        label: str(item, 'label') ?? customer,
        currency: str(item, 'currency') ?? '',
        amounts: amounts(item),
      };
    });
  }

  /**
   * Invoices issued in [from, to), read from the invoice listing index (GSI1 `INVOICES`, sorted by
   * issue instant). The range is cut into `slices` equal time slices queried in parallel: with
   * thousands of invoices the pages of one Query would otherwise be read one after the other.
   */
  async invoicesIssued(from: Date, to: Date, slices = 8): Promise<Invoice[]> {
    const span = to.getTime() - from.getTime();
    if (span <= 0) return [];
    const count = Math.max(1, Math.min(slices, Math.ceil(span / 3_600_000)));
    const bounds = Array.from({ length: count + 1 }, (_, i) =>
      i === count ? to : new Date(from.getTime() + Math.floor((span * i) / count)),
    );
    const pages = await Promise.all(
      bounds.slice(0, -1).map((start, i) =>
        queryAll(this.client, {
          TableName: this.tableName,
          IndexName: TABLE.gsi1.name,
          // issuedAt is an ISO instant; `#` sorts before every digit, so `<instant>#` bounds are exact.
          KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': s('INVOICES'),
            ':from': s(`${start.toISOString()}#`),
            ':to': s(`${new Date(bounds[i + 1]!.getTime() - 1).toISOString()}#\uffff`),
          },
          ProjectionExpression: 'doc',
        }),
      ),
    );
    return pages.flat().map((item) => doc<Invoice>(item));
  }
}
