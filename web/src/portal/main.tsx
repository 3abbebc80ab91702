import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { isPositive } from '../decimal';
import { date, period, quantity } from '../format';
import '../styles.css';
import { Badge, Card, Empty, Loading, Money } from '../ui';
import {
  forgetToken,
  type PortalApi,
  type PortalCreditNote,
  PortalError,
  type PortalInvoice,
  type PortalOverview,
  portalApi,
  takeToken,
} from './api';
import './portal.css';

/**
 * The customer portal: what one customer sees through a signed link, without an API key: its balance,
 * the current period's usage and upcoming invoice, its invoices and credit notes with their PDFs, and
 * a pay-now button where online payment is set up (else the bank transfer details).
 */

interface Loaded {
  overview: PortalOverview;
  invoices: PortalInvoice[];
  notes: PortalCreditNote[];
}

/** The screen of a link that cannot be used: no token, expired, or not valid. */
function LinkProblem({ kind }: { kind: 'missing' | 'expired' | 'invalid' }) {
  useEffect(() => {
    document.title = 'Link not valid · Billing portal';
  }, []);
  const heading =
    kind === 'expired'
      ? 'This link has expired'
      : kind === 'missing'
        ? 'This link is incomplete'
        : 'This link is not valid';
  return (
    <main id="main" class="signin">
      <div class="card signin-card" data-testid="link-problem" data-kind={kind}>
        <div class="brand big">
          <span class="logo" aria-hidden="true" />
          Billing portal
        </div>
        <h1>{heading}</h1>
        <p class="muted">
          {kind === 'expired'
            ? 'Links to the billing portal work for a limited time only.'
            : kind === 'missing'
              ? 'Open the whole link you were sent, or copy all of it into the address bar.'
              : 'The link may have been cut short or changed, or it was replaced by a newer one.'}{' '}
          Ask the company that bills you for a new link.
        </p>
      </div>
    </main>
  );
}

function paymentLabel(invoice: PortalInvoice): string {
  if (invoice.status !== 'finalized') return invoice.status;
  return invoice.payment_status === 'pending' ? 'open' : invoice.payment_status;
}

const owes = (invoice: PortalInvoice) => isPositive(invoice.amount_remaining);

function Balance({ overview }: { overview: PortalOverview }) {
  const { credits } = overview;
  return (
    <Card title="Balance" id="balance">
      <dl class="facts">
        <dt>Amount owed</dt>
        <dd data-testid="amount-owed">
          {overview.amount_owed.length === 0
            ? 'Nothing'
            : overview.amount_owed.map((owed) => (
                <div key={owed.currency}>
                  <Money amount={owed.amount} currency={owed.currency} />
                </div>
              ))}
        </dd>
        <dt>Credit balance</dt>
        <dd data-testid="credit-balance">
          {overview.balances.length === 0 ? (
            <Money amount="0" currency={overview.customer.currency} />
          ) : (
            overview.balances.map((balance) => (
              <div key={balance.currency}>
                <Money amount={balance.amount} currency={balance.currency} />
              </div>
            ))
          )}
        </dd>
        <dt>Prepaid credits</dt>
        <dd data-testid="prepaid-credits">
          <Money amount={credits.balance} currency={credits.currency} />
        </dd>
      </dl>
      <p class="muted small">The credit balance and prepaid credits are used on your next invoices.</p>
    </Card>
  );
}

function CurrentPeriod({ overview }: { overview: PortalOverview }) {
  const upcoming = overview.upcoming_invoice;
  const zone = overview.customer.timezone;
  if (!upcoming)
    return (
      <Card title="Current period" id="current" class="span-2">
        <Empty>No active subscription.</Empty>
      </Card>
    );
  return (
    <Card title="Current period" id="current" class="span-2">
      <p class="muted">
        {period(upcoming.period_start, upcoming.period_end, zone)}; usage up to{' '}
        {date(upcoming.usage_through, { time: true, timeZone: zone })}.
      </p>
      <h3 class="portal-sub">Usage so far</h3>
      {overview.usage.length === 0 ? (
        <Empty>No usage yet in this period.</Empty>
      ) : (
        <table data-testid="usage">
          <thead>
            <tr>
              <th scope="col">Meter</th>
              <th scope="col" class="num">
                Quantity
              </th>
              <th scope="col" class="num">
                Amount
              </th>
            </tr>
          </thead>
          <tbody>
            {overview.usage.map((line) => (
              <tr key={line.meter + line.description} data-meter={line.meter} data-quantity={line.quantity}>
                <td>{line.description}</td>
                <td class="num">{quantity(line.quantity)}</td>
                <td class="num">
                  <Money amount={line.amount} currency={upcoming.currency} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3 class="portal-sub">Upcoming invoice</h3>
      <dl class="facts" data-testid="upcoming">
        <dt>Subtotal</dt>
        <dd>
          <Money amount={upcoming.subtotal} currency={upcoming.currency} />
        </dd>
        <dt>Tax</dt>
        <dd>
          <Money amount={upcoming.tax} currency={upcoming.currency} />
        </dd>
        <dt>Total</dt>
        <dd>
          <Money amount={upcoming.total} currency={upcoming.currency} />
        </dd>
        <dt>Due so far</dt>
        <dd data-testid="upcoming-due">
          <Money amount={upcoming.amount_due} currency={upcoming.currency} />
        </dd>
      </dl>
      <p class="muted small">An estimate: it changes with your usage until the period ends.</p>
    </Card>
  );
}

function Invoices({
  invoices,
  overview,
  api,
}: {
  invoices: PortalInvoice[];
  overview: PortalOverview;
  api: PortalApi;
}) {
  const [busy, setBusy] = useState<string>();
  const [problem, setProblem] = useState<string>();
  const [noOnline, setNoOnline] = useState(!overview.payments.online);
  const zone = overview.customer.timezone;
  const pay = async (invoice: PortalInvoice) => {
    setBusy(invoice.id);
    setProblem(undefined);
    try {
      const { url } = await api.pay(invoice);
      window.location.assign(url);
    } catch (failure) {
      if (failure instanceof PortalError && failure.code === 'payments_not_configured') setNoOnline(true);
      else setProblem(`Invoice ${invoice.number} could not be paid online: ${(failure as Error).message}`);
      setBusy(undefined);
    }
  };
  const open = invoices.filter(owes);
  return (
    <Card title="Invoices" id="invoices" class="span-3">
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
      {invoices.length === 0 ? (
        <Empty>No invoices yet.</Empty>
      ) : (
        <div class="table-scroll">
          <table data-testid="invoices">
            <thead>
              <tr>
                <th scope="col">Number</th>
                <th scope="col" class="hide-narrow">
                  Period
                </th>
                <th scope="col">Issued</th>
                <th scope="col">Due</th>
                <th scope="col">Status</th>
                <th scope="col" class="num">
                  Total
                </th>
                <th scope="col" class="num">
                  Remaining
                </th>
                <th scope="col">
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {invoices.map((invoice) => (
                <tr
                  key={invoice.id}
                  data-number={invoice.number}
                  data-status={invoice.status}
                  data-remaining={invoice.amount_remaining}
                >
                  <td>{invoice.number}</td>
                  <td class="hide-narrow">{period(invoice.period_start, invoice.period_end, zone)}</td>
                  <td>{date(invoice.issue_date)}</td>
                  <td>{date(invoice.due_date)}</td>
                  <td>
                    <Badge status={paymentLabel(invoice)} />
                  </td>
                  <td class="num">
                    <Money amount={invoice.total} currency={invoice.currency} />
                  </td>
                  <td class="num">
                    <Money amount={invoice.amount_remaining} currency={invoice.currency} />
                  </td>
                  <td class="row-actions">
                    <a
                      href={api.pdfUrl(invoice.pdf)}
                      target="_blank"
                      rel="noopener noreferrer"
                      aria-label={`PDF of invoice ${invoice.number}`}
                    >
                      PDF
                    </a>
                    <a
                      href={api.pdfUrl(invoice.einvoice)}
                      target="_blank"
                      rel="noopener noreferrer"
                      aria-label={`E-invoice of invoice ${invoice.number}`}
                    >
                      E-invoice
                    </a>
                    {owes(invoice) && !noOnline && invoice.payment_status !== 'processing' && (
                      <button
                        type="button"
                        class="primary portal-pay"
                        disabled={busy !== undefined}
                        aria-label={`Pay now: invoice ${invoice.number}`}
                        onClick={() => void pay(invoice)}
                      >
                        {busy === invoice.id ? 'Opening…' : 'Pay now'}
                      </button>
                    )}
                    {invoice.payment_status === 'processing' && <span class="muted small"> Payment on its way</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {noOnline && open.length > 0 && (
        <section class="portal-transfer" aria-labelledby="transfer-title" data-testid="bank-transfer">
          <h3 id="transfer-title" class="portal-sub">
            Paying by bank transfer
          </h3>
          <p class="muted small">Online payment is not available. Please transfer what is owed:</p>
          <ul>
            {open.map((invoice) => (
              <li key={invoice.id} data-number={invoice.number}>
                <strong>{invoice.number}</strong>:{' '}
                <Money amount={invoice.amount_remaining} currency={invoice.currency} /> still owed, due{' '}
                {date(invoice.due_date)}.{' '}
                {invoice.payment_instructions?.text ??
                  (invoice.payment_instructions?.iban
                    ? `IBAN ${invoice.payment_instructions.iban}${invoice.payment_instructions.bic ? `, BIC ${invoice.payment_instructions.bic}` : ''}, reference ${invoice.number}.`
                    : 'The invoice PDF says how to pay.')}
              </li>
            ))}
          </ul>
        </section>
      )}
    </Card>
  );
}

function CreditNotes({ notes, api }: { notes: PortalCreditNote[]; api: PortalApi }) {
  return (
    <Card title="Credit notes" id="credit-notes" class="span-3">
      {notes.length === 0 ? (
        <Empty>No credit notes.</Empty>
      ) : (
        <div class="table-scroll">
          <table data-testid="credit-notes">
            <thead>
              <tr>
                <th scope="col">Number</th>
                <th scope="col">Invoice</th>
                <th scope="col">Issued</th>
                <th scope="col">Reason</th>
                <th scope="col" class="num">
                  Total
                </th>
                <th scope="col">
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {notes.map((note) => (
                <tr key={note.id} data-number={note.number}>
                  <td>{note.number}</td>
                  <td>{note.invoice_number}</td>
                  <td>{date(note.issue_date)}</td>
                  <td>{note.reason}</td>
                  <td class="num">
                    <Money amount={note.total} currency={note.currency} />
                  </td>
                  <td class="row-actions">
                    <a
                      href={api.pdfUrl(note.pdf)}
                      target="_blank"
                      rel="noopener noreferrer"
                      aria-label={`PDF of credit note ${note.number}`}
                    >
                      PDF
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}

function Portal({ data, api }: { data: Loaded; api: PortalApi }) {
  const { overview } = data;
  // Back from the payment page: said only for an invoice of this customer (the address is anybody's to write).
  const paidNumber = new URLSearchParams(window.location.search).get('paid');
  const paid = data.invoices.find((invoice) => invoice.number !== '' && invoice.number === paidNumber)?.number;
  useEffect(() => {
    document.title = `${overview.customer.name} · Billing portal`;
  }, [overview.customer.name]);
  return (
    <div class="shell">
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <div class="brand">
          <span class="logo" aria-hidden="true" />
          {overview.seller.name}
        </div>
        <span class="muted">Billing portal</span>
      </header>
      <main id="main" tabIndex={-1}>
        <div class="page-head">
          <h1>{overview.customer.name}</h1>
          <p class="muted">
            {overview.customer.email} · This link works until{' '}
            <span data-testid="link-expiry">
              {date(overview.link.expires_at, { time: true, timeZone: overview.customer.timezone })}
            </span>
            .
          </p>
        </div>
        {paid && (
          <p class="portal-notice" role="status">
            Thank you. Your payment of invoice {paid} is being processed; it shows here once it is received.
          </p>
        )}
        <div class="grid">
          <Balance overview={overview} />
          <CurrentPeriod overview={overview} />
          <Invoices invoices={data.invoices} overview={overview} api={api} />
          <CreditNotes notes={data.notes} api={api} />
        </div>
      </main>
    </div>
  );
}

function App() {
  const [token] = useState(() => takeToken());
  const [state, setState] = useState<{ data?: Loaded; error?: Error }>({});
  const api = token ? portalApi(token) : undefined;
  useEffect(() => {
    if (!api) return;
    Promise.all([api.overview(), api.invoices(), api.creditNotes()]).then(
      ([overview, invoices, notes]) => setState({ data: { overview, invoices, notes } }),
      (error: Error) => setState({ error }),
    );
  }, [token]);
  if (!api) return <LinkProblem kind="missing" />;
  const { error, data } = state;
  if (error instanceof PortalError && error.status === 401) {
    forgetToken();
    return <LinkProblem kind={error.code === 'portal_link_expired' ? 'expired' : 'invalid'} />;
  }
  if (error)
    return (
      <main id="main" class="signin">
        <div class="card signin-card">
          <h1>Something went wrong</h1>
          <p class="error" role="alert">
            {error.message}
          </p>
          <p class="muted">Try again in a moment.</p>
        </div>
      </main>
    );
  if (!data)
    return (
      <main id="main" class="signin">
        <h1 class="sr-only">Billing portal</h1>
        <Loading />
      </main>
    );
  return <Portal data={data} api={api} />;
}

render(<App />, document.getElementById('app')!);
