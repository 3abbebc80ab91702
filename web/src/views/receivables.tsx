import { useState } from 'preact/hooks';
import { api, qs } from '../api';
import { date, integer } from '../format';
import { href } from '../router';
import type { ReceivableInvoice, ReceivablesReport, ReceivablesTotal } from '../types';
import { Badge, Card, Empty, Money, Show, useAsync } from '../ui';

/**
 * Accounts receivable aging (GET /v1/reports/receivables): what open invoices still owe, by how long it
 * is overdue, per currency (never summed across currencies), per customer, and the overdue invoices.
 */

export const BUCKETS = [
  ['current', 'Current'],
  ['days_1_30', '1–30 days'],
  ['days_31_60', '31–60 days'],
  ['days_61_90', '61–90 days'],
  ['days_over_90', 'Over 90 days'],
] as const;
type BucketName = (typeof BUCKETS)[number][0];
const BUCKET_LABEL = Object.fromEntries(BUCKETS) as Record<BucketName, string>;

/** One currency's outstanding total and its buckets. */
function CurrencySummary({ totals }: { totals: ReceivablesTotal }) {
  return (
    <Card title={`Outstanding in ${totals.currency}`} id={`receivables-${totals.currency}`}>
      <ul
        class="kpis aging-buckets"
        data-testid="receivables-currency"
        data-currency={totals.currency}
        aria-label={`Aging of ${totals.currency} receivables`}
      >
        <li data-bucket="total">
          <span class="muted">
            Total ({integer(totals.count)} invoice{totals.count === 1 ? '' : 's'})
          </span>
          <span class="kpi-value">
            <Money amount={totals.total} currency={totals.currency} />
          </span>
        </li>
        {BUCKETS.map(([name, label]) => (
          <li key={name} data-bucket={name}>
            <span class="muted">{label}</span>
            <span class="kpi-value">
              <Money amount={totals[name]} currency={totals.currency} />
            </span>
          </li>
        ))}
      </ul>
    </Card>
  );
}

function CustomerTable({ report }: { report: ReceivablesReport }) {
  if (report.customers.length === 0) return <Empty>No customer owes anything.</Empty>;
  return (
    <div class="table-scroll">
      <table data-testid="receivables-customers">
        <caption class="sr-only">Outstanding per customer and currency, by days overdue</caption>
        <thead>
          <tr>
            <th scope="col">Customer</th>
            <th scope="col">Currency</th>
            <th scope="col" class="num">
              Invoices
            </th>
            {BUCKETS.map(([name, label]) => (
              <th key={name} scope="col" class="num">
                {label}
              </th>
            ))}
            <th scope="col" class="num">
              Total
            </th>
          </tr>
        </thead>
        <tbody>
          {report.customers.map((customer) => (
            <tr
              key={`${customer.currency}:${customer.customer_id}`}
              data-customer={customer.customer_id}
              data-currency={customer.currency}
            >
              <th scope="row">
                <a href={href('customers', customer.customer_id)}>{customer.customer_name || customer.customer_id}</a>
              </th>
              <td>{customer.currency}</td>
              <td class="num">{integer(customer.count)}</td>
              {BUCKETS.map(([name]) => (
                <td key={name} class="num" data-bucket={name}>
                  <Money amount={customer[name]} currency={customer.currency} />
                </td>
              ))}
              <td class="num" data-bucket="total">
                <Money amount={customer.total} currency={customer.currency} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function OverdueTable({ invoices }: { invoices: ReceivableInvoice[] }) {
  if (invoices.length === 0) return <Empty>No invoice is overdue.</Empty>;
  return (
    <div class="table-scroll">
      <table data-testid="receivables-overdue">
        <caption class="sr-only">Overdue invoices, most overdue first</caption>
        <thead>
          <tr>
            <th scope="col">Invoice</th>
            <th scope="col">Customer</th>
            <th scope="col">Due</th>
            <th scope="col" class="num">
              Days overdue
            </th>
            <th scope="col">Age</th>
            <th scope="col" class="num hide-narrow">
              Amount due
            </th>
            <th scope="col" class="num hide-narrow">
              Paid
            </th>
            <th scope="col" class="num">
              Remaining
            </th>
            <th scope="col">Payment</th>
          </tr>
        </thead>
        <tbody>
          {invoices.map((invoice) => (
            <tr key={invoice.id} data-id={invoice.id} data-invoice={invoice.number} data-bucket={invoice.bucket}>
              <th scope="row">
                <a href={href('invoices', invoice.id)} aria-label={`Invoice ${invoice.number}`}>
                  {invoice.number}
                </a>
              </th>
              <td>
                <a href={href('customers', invoice.customer_id)}>{invoice.customer_name || invoice.customer_id}</a>
              </td>
              <td>
                <time dateTime={invoice.due_date} title={`Local date in ${invoice.timezone}`}>
                  {date(invoice.due_date)}
                </time>
              </td>
              <td class="num" data-testid="days-overdue">
                {integer(invoice.days_overdue)}
              </td>
              <td>{BUCKET_LABEL[invoice.bucket]}</td>
              <td class="num hide-narrow">
                <Money amount={invoice.amount_due} currency={invoice.currency} />
              </td>
              <td class="num hide-narrow">
                <Money amount={invoice.amount_paid} currency={invoice.currency} />
              </td>
              <td class="num" data-testid="amount-remaining">
                <Money amount={invoice.amount_remaining} currency={invoice.currency} />
              </td>
              <td>
                <Badge status={invoice.payment_status} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function Receivables() {
  const [form, setForm] = useState('');
  const [asOf, setAsOf] = useState('');
  const query = { as_of: asOf || undefined };
  const report = useAsync(() => api.get<ReceivablesReport>(`/v1/reports/receivables?${qs(query)}`), [asOf]);
  const apply = (event: Event) => {
    event.preventDefault();
    setAsOf(form);
  };
  // The CSV of what is shown: as of the report's own instant (not a later "now"). The key cannot ride on
  // a plain link: the file is fetched with it, then saved.
  const downloadCsv = () => {
    const shown = report.data?.as_of ?? asOf;
    const day = shown ? shown.slice(0, 10) : 'now';
    void api.download(
      `/v1/reports/receivables?${qs({ as_of: shown || undefined, format: 'csv' })}`,
      `receivables-${day}.csv`,
    );
  };
  return (
    <>
      <div class="page-head">
        <h1>Receivables</h1>
        <p class="muted">
          What customers still owe on open invoices, by days past the due date (counted in each invoice's time zone).
          Paid and void invoices are not shown; a partly paid invoice counts with what remains.
        </p>
      </div>
      <div class="col">
        <Card
          title="Report day"
          id="receivables-day"
          actions={
            <button type="button" class="ghost" onClick={downloadCsv}>
              Download CSV
            </button>
          }
        >
          <form class="toolbar" onSubmit={apply} aria-label="Receivables as of a day" noValidate>
            <div class="field">
              <label for="receivables-as-of">As of (end of day; empty: now)</label>
              <input id="receivables-as-of" type="date" value={form} onChange={(e) => setForm(e.currentTarget.value)} />
            </div>
            <button type="submit">Apply</button>
            {asOf && (
              <button
                type="button"
                class="ghost"
                onClick={() => {
                  setForm('');
                  setAsOf('');
                }}
              >
                Now
              </button>
            )}
          </form>
          <Show state={report}>
            {(data) => (
              <p class="muted small" data-testid="receivables-as-of" data-value={data.as_of}>
                As of {data.as_of.length === 10 ? date(data.as_of) : date(data.as_of, { time: true })}.
              </p>
            )}
          </Show>
        </Card>
        <Show state={report}>
          {(data) => (
            <>
              {data.currencies.length === 0 ? (
                <Card>
                  <Empty>Nothing is outstanding.</Empty>
                </Card>
              ) : (
                data.currencies.map((totals) => <CurrencySummary key={totals.currency} totals={totals} />)
              )}
              <Card title="By customer" id="receivables-customers">
                <CustomerTable report={data} />
              </Card>
              <Card title="Overdue invoices" id="receivables-overdue">
                <OverdueTable invoices={data.invoices.filter((invoice) => invoice.days_overdue > 0)} />
              </Card>
            </>
          )}
        </Show>
      </div>
    </>
  );
}
