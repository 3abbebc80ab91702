import { useEffect, useRef, useState } from 'preact/hooks';
import { api, qs } from '../api';
import { addDays, utcDayStart } from '../dates';
import { date, integer } from '../format';
import { FormOutcome, type Refusal, refusal } from '../forms';
import { navigate } from '../router';
import type { Invoice, InvoiceLine, MarkInvoicePaid, VoidInvoice } from '../types';
import { Badge, Card, Dialog, ErrorNote, Money, Show, useAsync } from '../ui';
import { BLANK_CHARGE, CHARGE_FIELDS, ChargeFields, chargeBody } from './charges';
import { CreditNoteDialog, InvoiceCreditNotes, isCreditable } from './credit-notes';
import { InvoiceTable, invoiceName, LinesTable, openPdf } from './customer';
import { InvoiceDunning } from './dunning';
import { EInvoiceLinks } from './einvoice-links';
import { InvoicePayments } from './payments';

type Action = { kind: 'mark-paid' | 'void' | 'resend' | 'reissue'; invoice: Invoice };

const invoicePath = (invoice: Pick<Invoice, 'id'>) => `/v1/invoices/${encodeURIComponent(invoice.id)}`;

/** The other invoice of a re-issue, by number (fetched: it need not be in the list). */
function RelatedInvoice({ id, label, testId }: { id: string; label: string; testId: string }) {
  const related = useAsync(() => api.get<Invoice>(`/v1/invoices/${encodeURIComponent(id)}`), [id]);
  return (
    <p class="muted" data-testid={testId} data-number={related.data?.number ?? ''}>
      {label} <code>{related.data ? invoiceName(related.data) : id}</code>
    </p>
  );
}

/** A draft's review: add a one-off line, take one off, finalize now (after a confirmation). */
function DraftActions({
  invoice,
  onUpdate,
}: {
  invoice: Invoice;
  onUpdate: (invoice: Invoice, notice: string) => void;
}) {
  const [form, setForm] = useState(BLANK_CHARGE);
  const [refused, setRefused] = useState<Refusal>();
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  // The question takes the place of its button: focus goes to the answer, not to the page.
  const confirmButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
  }, [confirming]);
  const addLine = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setRefused(undefined);
    setError(undefined);
    try {
      const draft = await api.post<Invoice>(`${invoicePath(invoice)}/lines`, chargeBody(form));
      setForm(BLANK_CHARGE);
      onUpdate(draft, `Line "${form.description.trim()}" added.`);
    } catch (failure) {
      setRefused(refusal(failure, CHARGE_FIELDS));
    } finally {
      setBusy(false);
    }
  };
  const finalize = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const finalized = await api.post<Invoice>(`${invoicePath(invoice)}/finalize`);
      setConfirming(false);
      onUpdate(finalized, `Invoice ${finalized.number} finalized.`);
    } catch (failure) {
      setError(failure as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <h3 class="form-title">Add a one-off line</h3>
      <form class="form-grid" onSubmit={addLine} aria-label="Add a one-off line" noValidate>
        <ChargeFields
          idPrefix="draft-line"
          form={form}
          onChange={setForm}
          refused={refused}
          currency={invoice.currency}
        />
        <button type="submit" class="form-submit" disabled={busy}>
          Add line
        </button>
      </form>
      <FormOutcome
        error={refused && (refused.message ?? 'The API refused the line: see the fields marked above.')}
        testId="draft-line-error"
      />
      {error && <ErrorNote error={error} />}
      {confirming ? (
        <fieldset class="confirm" aria-labelledby="finalize-question">
          <p id="finalize-question" class="warning">
            Finalize the draft now? It is rated a last time and takes the next invoice number; it can no longer be
            changed, and it is sent to the customer.
          </p>
          <div class="dialog-buttons">
            <button type="button" onClick={() => setConfirming(false)} disabled={busy}>
              Keep the draft
            </button>
            <button type="button" class="primary" ref={confirmButton} onClick={() => void finalize()} disabled={busy}>
              {busy ? 'Finalizing…' : 'Finalize'}
            </button>
          </div>
        </fieldset>
      ) : (
        <div class="dialog-buttons">
          <button type="button" class="primary" onClick={() => setConfirming(true)}>
            Finalize now
          </button>
        </div>
      )}
    </>
  );
}

/** An invoice's lines and totals (coupons, credits, tax) in a dialog; a draft rated live, with its review. */
function InvoiceDetail({
  invoice,
  onClose,
  onUpdate,
  onCreditNote,
}: {
  invoice: Invoice | undefined;
  onClose: () => void;
  /** The invoice as it reads after a change (and what was done); the list shows it too. */
  onUpdate: (invoice: Invoice, notice?: string) => void;
  /** Opens the credit note dialog for the invoice (in place of the details). */
  onCreditNote: (invoice: Invoice) => void;
}) {
  return (
    <Dialog
      title={invoice ? (invoice.number ? `Invoice ${invoice.number}` : `Draft invoice for ${invoice.buyer.name}`) : ''}
      open={invoice !== undefined}
      onClose={onClose}
      wide
    >
      {invoice && (
        <InvoiceDetailBody
          key={invoice.id}
          invoice={invoice}
          onClose={onClose}
          onUpdate={onUpdate}
          onCreditNote={onCreditNote}
        />
      )}
    </Dialog>
  );
}

function InvoiceDetailBody({
  invoice,
  onClose,
  onUpdate,
  onCreditNote,
}: {
  invoice: Invoice;
  onClose: () => void;
  onUpdate: (invoice: Invoice, notice?: string) => void;
  onCreditNote: (invoice: Invoice) => void;
}) {
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<Error>();
  const wasDraft = invoice.status === 'draft';
  // A draft is rated live when read: fetch it as it reads now.
  useEffect(() => {
    if (!wasDraft) return;
    // Closed meanwhile: the answer must not open the dialog again.
    let open = true;
    api.get<Invoice>(invoicePath(invoice)).then(
      (live) => open && onUpdate(live),
      (failure: Error) => open && setError(failure),
    );
    return () => {
      open = false;
    };
  }, [invoice.id]);
  const update = (changed: Invoice, message: string) => {
    setNotice(message);
    setError(undefined);
    onUpdate(changed, changed.status !== 'draft' ? message : undefined);
  };
  const removeLine = async (line: InvoiceLine) => {
    if (!line.charge) return;
    setError(undefined);
    try {
      const draft = await api.delete<Invoice>(`${invoicePath(invoice)}/lines/${encodeURIComponent(line.charge)}`);
      update(draft, `Line "${line.description}" removed.`);
    } catch (failure) {
      setError(failure as Error);
    }
  };
  const draft = invoice.status === 'draft';
  return (
    <div data-testid="invoice-detail" data-invoice={invoice.number} data-id={invoice.id} data-status={invoice.status}>
      <p class="muted">
        {invoice.buyer.name}
        {invoice.plan ? ` · ${invoice.plan} v${invoice.plan_version}` : ''}
        {invoice.kind === 'one_off' ? ' · one-off charges' : ''}
        {invoice.kind === 'progressive' && invoice.progressive
          ? ` · interim invoice: usage reached ${invoice.progressive.threshold} ${invoice.currency}`
          : ''}{' '}
        · <Badge status={invoice.status} />
        {draft ? (
          <>
            {' '}
            · rated live; finalized by itself{' '}
            {invoice.grace_ends_at ? date(invoice.grace_ends_at, { time: true }) : 'when its grace period ends'}
          </>
        ) : (
          <>
            {' '}
            · issued {date(invoice.issue_date)} · due {date(invoice.due_date)}
          </>
        )}
      </p>
      {invoice.reissued_as && (
        <RelatedInvoice id={invoice.reissued_as} label="Issued again as" testId="detail-reissued-as" />
      )}
      {invoice.reissue_of && <RelatedInvoice id={invoice.reissue_of} label="Re-issue of" testId="detail-reissue-of" />}
      <LinesTable
        lines={invoice.lines}
        currency={invoice.currency}
        totals={invoice}
        testPrefix="invoice"
        lineAction={
          draft
            ? (line) =>
                line.kind === 'one_off' &&
                line.charge && (
                  <button
                    type="button"
                    class="link danger-text"
                    aria-label={`Remove line ${line.description}`}
                    onClick={() => void removeLine(line)}
                  >
                    Remove
                  </button>
                )
            : undefined
        }
      />
      {invoice.notes.length > 0 && (
        <ul class="muted small">
          {invoice.notes.map((note, i) => (
            <li key={i}>{note}</li>
          ))}
        </ul>
      )}
      <p>
        <button type="button" class="link" onClick={() => openPdf(invoice)}>
          {draft ? 'Preview PDF' : 'PDF'}
        </button>
        {!draft && <EInvoiceLinks path={`/v1/invoices/${encodeURIComponent(invoice.id)}`} number={invoice.number} />}
      </p>
      <InvoiceCreditNotes invoice={invoice} />
      <InvoicePayments invoice={invoice} onUpdate={update} />
      <InvoiceDunning invoice={invoice} />
      {error && <ErrorNote error={error} />}
      {draft && <DraftActions invoice={invoice} onUpdate={update} />}
      <FormOutcome testId="invoice-detail-notice" notice={notice} />
      <div class="dialog-buttons">
        {isCreditable(invoice) && (
          <button type="button" onClick={() => onCreditNote(invoice)}>
            Credit note
          </button>
        )}
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}

const TITLES = {
  'mark-paid': 'Mark invoice paid',
  void: 'Void invoice',
  resend: 'Resend invoice',
  reissue: 'Issue again',
} as const;

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
        const voided = await api.post<Invoice>(path, { reason: reason.trim() } satisfies VoidInvoice);
        const note = voided.credit_notes?.at(-1);
        onDone(
          `Invoice ${invoice.number} voided${note ? ` and credited in full by ${note.number}` : ''}; the customer will be notified.`,
        );
      } else if (action.kind === 'reissue') {
        const again = await api.post<Invoice>(path);
        onDone(`Invoice ${invoice.number} issued again as ${invoiceName(again)}.`);
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
            {action.kind === 'mark-paid' && invoice.amount_remaining !== invoice.amount_due && (
              <>
                {' '}
                · still owed <Money amount={invoice.amount_remaining} currency={invoice.currency} />
              </>
            )}
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
          {action.kind === 'reissue' && (
            <p>
              Rate the period of this void invoice again and issue it under a new number? The customer is sent the new
              invoice.
            </p>
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
                    : action.kind === 'reissue'
                      ? 'Issue again'
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

/** `open`: an invoice id from the address (#/invoices/<id>, as the receivables view links it): its details are shown. */
export function Invoices({ open }: { open?: string } = {}) {
  const [form, setForm] = useState<Filters>(NO_FILTERS);
  const [applied, setApplied] = useState<Filters>(NO_FILTERS);
  const [formError, setFormError] = useState<string>();
  const [action, setAction] = useState<Action>();
  const [notice, setNotice] = useState<string>();
  const [detail, setDetail] = useState<Invoice>();
  const [crediting, setCrediting] = useState<Invoice>();
  useEffect(() => {
    if (!open) return;
    let live = true;
    api.get<Invoice>(invoicePath({ id: open })).then(
      (invoice) => live && setDetail(invoice),
      (failure: Error) => live && setNotice(`Invoice ${open} could not be opened: ${failure.message}`),
    );
    return () => {
      live = false;
    };
  }, [open]);
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
              <option value="draft">Draft</option>
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
                  {invoice.status === 'draft' ? (
                    <button
                      type="button"
                      class="link"
                      aria-label={`Review the draft invoice of ${invoice.buyer.name || invoice.customer}`}
                      onClick={() => setDetail(invoice)}
                    >
                      Review
                    </button>
                  ) : (
                    <button
                      type="button"
                      class="link"
                      aria-label={`Details of invoice ${invoice.number}`}
                      onClick={() => setDetail(invoice)}
                    >
                      Details
                    </button>
                  )}
                  {invoice.status === 'finalized' && (
                    <button type="button" class="link" onClick={() => setAction({ kind: 'mark-paid', invoice })}>
                      Mark paid
                    </button>
                  )}
                  {(invoice.status === 'finalized' || invoice.status === 'paid') && (
                    <button type="button" class="link" onClick={() => setAction({ kind: 'resend', invoice })}>
                      Resend
                    </button>
                  )}
                  {isCreditable(invoice) && (
                    <button
                      type="button"
                      class="link"
                      aria-label={`Credit note for invoice ${invoice.number}`}
                      onClick={() => setCrediting(invoice)}
                    >
                      Credit note
                    </button>
                  )}
                  {invoice.status === 'finalized' && (
                    <button type="button" class="link danger-text" onClick={() => setAction({ kind: 'void', invoice })}>
                      Void
                    </button>
                  )}
                  {invoice.status === 'void' && !invoice.reissued_as && (
                    <button
                      type="button"
                      class="link"
                      aria-label={`Issue invoice ${invoice.number} again`}
                      onClick={() => setAction({ kind: 'reissue', invoice })}
                    >
                      Issue again
                    </button>
                  )}
                </>
              )}
            />
          )}
        </Show>
      </Card>
      <InvoiceDetail
        invoice={detail}
        onClose={() => {
          setDetail(undefined);
          // Opened from the address: back to the list's, so the same link opens it again.
          if (open) navigate('invoices');
        }}
        onUpdate={(invoice, message) => {
          setDetail(invoice);
          if (message) setNotice(message);
          list.reload();
        }}
        onCreditNote={(invoice) => {
          setDetail(undefined);
          setCrediting(invoice);
        }}
      />
      <CreditNoteDialog
        invoice={crediting}
        onClose={() => setCrediting(undefined)}
        onIssued={(note) => {
          setNotice(`Credit note ${note.number} issued against invoice ${note.invoice_number}.`);
          list.reload();
        }}
      />
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
