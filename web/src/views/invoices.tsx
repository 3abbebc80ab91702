import { useState } from 'preact/hooks';
import { api, qs } from '../api';
import { addDays, utcDayStart } from '../dates';
import { date, integer } from '../format';
import type { Invoice, MarkInvoicePaid, VoidInvoice } from '../types';
import { Card, Dialog, ErrorNote, Money, Show, useAsync } from '../ui';
import { InvoiceTable, LinesTable } from './customer';

type Action = { kind: 'mark-paid' | 'void' | 'resend'; invoice: Invoice };

/** An invoice's lines and totals (coupons, credits, tax), in a dialog. */
function InvoiceDetail({ invoice, onClose }: { invoice: Invoice | undefined; onClose: () => void }) {
  return (
    <Dialog title={invoice ? `Invoice ${invoice.number}` : ''} open={invoice !== undefined} onClose={onClose} wide>
      {invoice && (
        <div data-testid="invoice-detail" data-invoice={invoice.number}>
          <p class="muted">
            {invoice.buyer.name} · {invoice.plan} v{invoice.plan_version} · issued {date(invoice.issue_date)} · due{' '}
            {date(invoice.due_date)}
          </p>
          <LinesTable lines={invoice.lines} currency={invoice.currency} totals={invoice} testPrefix="invoice" />
          {invoice.notes.length > 0 && (
            <ul class="muted small">
              {invoice.notes.map((note, i) => (
                <li key={i}>{note}</li>
              ))}
            </ul>
          )}
          <div class="dialog-buttons">
            <button type="button" onClick={onClose}>
              Close
            </button>
          </div>
        </div>
      )}
    </Dialog>
  );
}

const TITLES = { 'mark-paid': 'Mark invoice paid', void: 'Void invoice', resend: 'Resend invoice' } as const;

function ActionDialog({
  action,
  onClose,
  onDone,
}: {
  action: Action | undefined;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const [reference, setReference] = useState('');
  const [paidOn, setPaidOn] = useState(() => new Date().toISOString().slice(0, 10));
  const [reason, setReason] = useState('');
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const invoice = action?.invoice;
  const submit = async (event: Event) => {
    event.preventDefault();
    if (!action || !invoice) return;
    setBusy(true);
    setError(undefined);
    try {
      const path = `/v1/invoices/${encodeURIComponent(invoice.id)}/${action.kind}`;
      if (action.kind === 'mark-paid') {
        const today = new Date().toISOString().slice(0, 10);
        // Today: now (a payment cannot lie in the future); another day: its noon UTC.
        const paidAt = paidOn === today ? new Date().toISOString() : new Date(`${paidOn}T12:00:00Z`).toISOString();
        await api.post(path, { paid_at: paidAt, reference: reference.trim() } satisfies MarkInvoicePaid);
        onDone(`Invoice ${invoice.number} marked paid.`);
      } else if (action.kind === 'void') {
        await api.post(path, { reason: reason.trim() } satisfies VoidInvoice);
        onDone(`Invoice ${invoice.number} voided; the customer will be notified.`);
      } else {
        await api.post(path);
        onDone(`Invoice ${invoice.number} queued to be emailed again.`);
      }
      setReference('');
      setReason('');
    } catch (failure) {
      setError(failure as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      title={action ? `${TITLES[action.kind]} ${invoice?.number}` : ''}
      open={action !== undefined}
      onClose={() => {
        setError(undefined);
        onClose();
      }}
    >
      {action && invoice && (
        <form onSubmit={submit} class="dialog-form">
          <p>
            {invoice.buyer.name} · <Money amount={invoice.total} currency={invoice.currency} />
          </p>
          {action.kind === 'mark-paid' && (
            <>
              <label for="paid-on">Paid on</label>
              <input
                id="paid-on"
                type="date"
                required
                value={paidOn}
                onInput={(e) => setPaidOn(e.currentTarget.value)}
              />
              <label for="payment-reference">Payment reference</label>
              <input
                id="payment-reference"
                required
                maxLength={200}
                value={reference}
                onInput={(e) => setReference(e.currentTarget.value)}
                placeholder="e.g. bank transfer id"
              />
            </>
          )}
          {action.kind === 'void' && (
            <>
              <p class="warning">
                A void invoice keeps its number and cannot be undone. The customer is emailed a void notice.
              </p>
              <label for="void-reason">Reason</label>
              <textarea
                id="void-reason"
                required
                maxLength={500}
                rows={3}
                value={reason}
                onInput={(e) => setReason(e.currentTarget.value)}
              />
            </>
          )}
          {action.kind === 'resend' && (
            <p>Email the invoice and its PDF to {invoice.buyer.email ?? 'the customer'} again?</p>
          )}
          {error && <ErrorNote error={error} />}
          <div class="dialog-buttons">
            <button type="button" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" class={action.kind === 'void' ? 'danger' : 'primary'} disabled={busy}>
              {busy
                ? 'Working…'
                : action.kind === 'mark-paid'
                  ? 'Mark paid'
                  : action.kind === 'void'
                    ? 'Void invoice'
                    : 'Resend'}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}

interface Filters {
  status: string;
  customer: string;
  /** Issued on or after this UTC day (yyyy-mm-dd; '' = any). */
  from: string;
  /** Issued on or before this UTC day. */
  through: string;
}

const NO_FILTERS: Filters = { status: '', customer: '', from: '', through: '' };

/** The API's query for the filters: the days become instants at UTC midnight, [from, the day after `through`). */
function filterQuery(filters: Filters) {
  return {
    status: filters.status,
    customer: filters.customer.trim(),
    from: filters.from ? utcDayStart(filters.from).toISOString() : undefined,
    to: filters.through ? utcDayStart(addDays(filters.through, 1)).toISOString() : undefined,
  };
}

export function Invoices() {
  const [form, setForm] = useState<Filters>(NO_FILTERS);
  const [applied, setApplied] = useState<Filters>(NO_FILTERS);
  const [formError, setFormError] = useState<string>();
  const [action, setAction] = useState<Action>();
  const [notice, setNotice] = useState<string>();
  const [detail, setDetail] = useState<Invoice>();
  const query = filterQuery(applied);
  const byPeriod = query.from !== undefined || query.to !== undefined;
  const list = useAsync(
    () =>
      api.get<{ data: Invoice[]; next_cursor?: string }>(
        // With a period the API answers every invoice issued in it (no pages); without one, the latest 500.
        `/v1/invoices?${qs(byPeriod ? query : { ...query, limit: 500 })}`,
      ),
    [applied],
  );
  const set = (field: keyof Filters) => (e: { currentTarget: { value: string } }) =>
    setForm((f) => ({ ...f, [field]: e.currentTarget.value }));
  const filter = (event: Event) => {
    event.preventDefault();
    if (form.from && form.through && form.through < form.from) {
      setFormError('The last issue day must not be before the first.');
      return;
    }
    setFormError(undefined);
    setApplied({ ...form });
  };
  const clear = () => {
    setForm(NO_FILTERS);
    setFormError(undefined);
    setApplied(NO_FILTERS);
  };
  const exportCsv = () => void api.download(`/v1/invoices?${qs({ ...query, format: 'csv' })}`, 'invoices.csv');
  return (
    <>
      <div class="page-head">
        <h1>Invoices</h1>
      </div>
      <Card
        actions={
          <button type="button" class="ghost" onClick={exportCsv}>
            Export CSV
          </button>
        }
      >
        {/* noValidate: an inverted period is explained below rather than by the browser's own bubble. */}
        <form class="toolbar" onSubmit={filter} aria-label="Filter invoices" noValidate>
          <div class="field">
            <label for="invoice-status">Status</label>
            <select id="invoice-status" value={form.status} onChange={set('status')}>
              <option value="">Any</option>
              <option value="finalized">Open (finalized)</option>
              <option value="paid">Paid</option>
              <option value="void">Void</option>
            </select>
          </div>
          <div class="field">
            <label for="invoice-customer">Customer id</label>
            <input id="invoice-customer" value={form.customer} onInput={set('customer')} placeholder="any" />
          </div>
          <div class="field">
            <label for="invoice-from">Issued from (UTC)</label>
            <input
              id="invoice-from"
              type="date"
              value={form.from}
              max={form.through || undefined}
              onChange={set('from')}
            />
          </div>
          <div class="field">
            <label for="invoice-through">Issued through (UTC)</label>
            <input
              id="invoice-through"
              type="date"
              value={form.through}
              min={form.from || undefined}
              onChange={set('through')}
              aria-invalid={formError ? 'true' : undefined}
              aria-describedby={formError ? 'invoice-filter-error' : undefined}
            />
          </div>
          <button type="submit">Apply</button>
          <button type="button" class="ghost" onClick={clear}>
            Clear
          </button>
        </form>
        {formError && (
          <p id="invoice-filter-error" class="error" role="alert">
            {formError}
          </p>
        )}
        {byPeriod && list.data && (
          <p class="muted small" data-testid="invoice-period" data-from={query.from ?? ''} data-to={query.to ?? ''}>
            {integer(list.data.data.length)} invoice{list.data.data.length === 1 ? '' : 's'} issued{' '}
            {applied.from ? `from ${date(applied.from)} ` : ''}
            {applied.through ? `through ${date(applied.through)} ` : ''}(UTC days).
          </p>
        )}
        {notice && (
          <p class="notice" role="status">
            {notice}
          </p>
        )}
        <Show state={list}>
          {(page) => (
            <InvoiceTable
              invoices={page.data}
              showCustomer
              actions={(invoice) => (
                <>
                  <button
                    type="button"
                    class="link"
                    aria-label={`Details of invoice ${invoice.number}`}
                    onClick={() => setDetail(invoice)}
                  >
                    Details
                  </button>
                  {invoice.status === 'finalized' && (
                    <button type="button" class="link" onClick={() => setAction({ kind: 'mark-paid', invoice })}>
                      Mark paid
                    </button>
                  )}
                  {invoice.status !== 'void' && (
                    <button type="button" class="link" onClick={() => setAction({ kind: 'resend', invoice })}>
                      Resend
                    </button>
                  )}
                  {invoice.status === 'finalized' && (
                    <button type="button" class="link danger-text" onClick={() => setAction({ kind: 'void', invoice })}>
                      Void
                    </button>
                  )}
                </>
              )}
            />
          )}
        </Show>
      </Card>
      <InvoiceDetail invoice={detail} onClose={() => setDetail(undefined)} />
      <ActionDialog
        action={action}
        onClose={() => setAction(undefined)}
        onDone={(message) => {
          setAction(undefined);
          setNotice(message);
          list.reload();
        }}
      />
    </>
  );
}
