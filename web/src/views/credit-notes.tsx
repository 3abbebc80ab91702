import { Fragment } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, qs } from '../api';
import { isPositive, minus } from '../decimal';
import { date } from '../format';
import { FormOutcome } from '../forms';
import type {
  CreateCreditNote,
  CreditNote,
  CreditNoteMethod,
  Customer,
  CustomerBalance,
  Invoice,
  InvoiceCreditNote,
} from '../types';
import { Card, Dialog, Empty, ErrorNote, Loading, Money, Show, useAsync } from '../ui';
import { EInvoiceLinks } from './einvoice-links';
import { RecordRefundForm, RefundStatus, refundRecordable } from './payments';

export const METHOD_LABELS: Record<CreditNoteMethod, string> = {
  credit_balance: 'Credit to balance',
  refund: 'Refund',
  reduce_amount_due: 'Reduce amount due',
};

const LEDGER_LABELS: Record<CustomerBalance['ledger'][number]['type'], string> = {
  credit_note: 'Credit note',
  invoice: 'Drawn by invoice',
  invoice_void: 'Returned by void',
  overpayment: 'Overpayment',
};

/** Whether an invoice takes credit notes: finalized (unpaid) or paid. */
export const isCreditable = (invoice: Pick<Invoice, 'status'>) =>
  invoice.status === 'finalized' || invoice.status === 'paid';

const creditNotePath = (id: string) => `/v1/credit-notes/${encodeURIComponent(id)}`;

/** Opens a credit note's PDF (authenticated: not a plain link). */
export const openCreditNotePdf = (note: Pick<CreditNote, 'id' | 'number'>) =>
  void api.download(`${creditNotePath(note.id)}/pdf`, `${note.number}.pdf`, true);

function PdfButton({ note }: { note: Pick<CreditNote, 'id' | 'number'> }) {
  return (
    <button
      type="button"
      class="link"
      aria-label={`PDF of credit note ${note.number}`}
      onClick={() => openCreditNotePdf(note)}
    >
      PDF
    </button>
  );
}

/** The credit note's PDF and its e-invoices. */
function DocumentButtons({ note }: { note: Pick<CreditNote, 'id' | 'number'> }) {
  return (
    <>
      <PdfButton note={note} />
      <EInvoiceLinks path={creditNotePath(note.id)} number={note.number} />
    </>
  );
}

/** An invoice's credit notes (in its details): number, date, method, total, PDF; and the credited total. */
export function InvoiceCreditNotes({ invoice }: { invoice: Invoice }) {
  const listed = invoice.credit_notes ?? [];
  // The invoice names its notes without their refunds: refund notes are read whole.
  const refunding = listed.some((note) => note.method === 'refund');
  const full = useAsync(
    () =>
      refunding
        ? api.get<{ data: CreditNote[] }>(`/v1/invoices/${encodeURIComponent(invoice.id)}/credit-notes`)
        : Promise.resolve(undefined),
    [invoice.id, listed.length, refunding],
  );
  if (listed.length === 0) return null;
  const notes = listed.map((note) => {
    const refund = full.data?.data.find((n) => n.id === note.id)?.refund;
    return refund ? { ...note, refund } : note;
  });
  return (
    <section aria-labelledby="invoice-credit-notes-title" data-testid="invoice-credit-notes">
      <h3 id="invoice-credit-notes-title" class="form-title">
        Credit notes
      </h3>
      <CreditNoteRows notes={notes} currency={invoice.currency} />
      {invoice.credited_total !== undefined && (
        <p data-testid="invoice-credited-total" data-amount={invoice.credited_total}>
          Credited in total: <Money amount={invoice.credited_total} currency={invoice.currency} />
        </p>
      )}
    </section>
  );
}

function CreditNoteRows({
  notes,
  currency,
}: {
  /** A listed credit note names its invoice and currency; an invoice's own notes are in its currency. */
  notes: Array<InvoiceCreditNote & { invoice_number?: string; currency?: string; refund?: CreditNote['refund'] }>;
  currency: string;
}) {
  // Refunds recorded here since the notes were read (the API answers the note as it is now).
  const [recorded, setRecorded] = useState<Record<string, CreditNote>>({});
  const [recording, setRecording] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const shown = notes.map((note) => {
    const refund = recorded[note.id]?.refund ?? note.refund;
    return refund ? { ...note, refund } : note;
  });
  const open = shown.find((note) => note.id === recording);
  return (
    <>
      <div class="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">Number</th>
              <th scope="col">Issued</th>
              <th scope="col" class="num">
                Total
              </th>
              <th scope="col">
                <span class="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((note) => (
              <tr
                key={note.id}
                data-testid="credit-note"
                data-number={note.number}
                data-method={note.method}
                data-refund={note.refund?.status}
              >
                <td>
                  <code class="nowrap">{note.number}</code>
                  {note.invoice_number && (
                    <span class="muted small block">
                      on invoice <code class="nowrap">{note.invoice_number}</code>
                    </span>
                  )}
                </td>
                <td>
                  {date(note.issued_at)}
                  <span class="muted small block">{METHOD_LABELS[note.method]}</span>
                  {note.refund && <RefundStatus refund={note.refund} currency={note.currency ?? currency} />}
                </td>
                <td class="num">
                  <Money amount={note.total} currency={note.currency ?? currency} />
                </td>
                <td class="row-actions">
                  <DocumentButtons note={note} />
                  {refundRecordable(note.refund) && (
                    <button
                      type="button"
                      class="link"
                      aria-label={`Record refund of credit note ${note.number}`}
                      aria-expanded={recording === note.id}
                      onClick={() => {
                        setNotice(undefined);
                        setRecording(recording === note.id ? undefined : note.id);
                      }}
                    >
                      Record refund
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {open && (
        <RecordRefundForm
          key={open.id}
          note={open}
          currency={open.currency ?? currency}
          onCancel={() => setRecording(undefined)}
          onRecorded={(note) => {
            setRecorded((r) => ({ ...r, [note.id]: note }));
            setRecording(undefined);
            setNotice(
              `Refund of credit note ${note.number} recorded${note.refund?.reference ? ` (${note.refund.reference})` : ''}.`,
            );
          }}
        />
      )}
      <FormOutcome testId="refund-notice" notice={notice} />
    </>
  );
}

/** What the form shows of a refusal: a complaint per invoice line (by index), about the method or reason, the rest. */
interface CreditRefusal {
  lines: Record<number, string>;
  method?: string;
  reason?: string;
  message?: string;
}

/**
 * The API's refusal mapped onto the form: `/lines/i/...` names the i-th line OF THE REQUEST, which is
 * `sent[i]` of the invoice's lines (only lines with an amount are sent).
 */
function creditRefusal(error: unknown, sent: readonly number[]): CreditRefusal {
  if (!(error instanceof ApiError)) return { lines: {}, message: (error as Error).message };
  const result: CreditRefusal = { lines: {} };
  const rest: string[] = [];
  const add = (current: string | undefined, message: string) => (current ? `${current}; ${message}` : message);
  for (const detail of error.details) {
    const [field, index] = detail.path.split('/').filter(Boolean);
    const line = field === 'lines' && index !== undefined ? sent[Number(index)] : undefined;
    if (line !== undefined) result.lines[line] = add(result.lines[line], detail.message);
    else if (field === 'method') result.method = add(result.method, detail.message);
    else if (field === 'reason') result.reason = add(result.reason, detail.message);
    else rest.push(detail.path ? `${detail.path}: ${detail.message}` : detail.message);
  }
  const named = Object.keys(result.lines).length > 0 || result.method !== undefined || result.reason !== undefined;
  if (!named || rest.length > 0) result.message = rest.length > 0 ? rest.join('; ') : error.message;
  return result;
}

/** A dialog to credit an invoice: an amount per line (up to what is left), a reason and how the credit is given. */
export function CreditNoteDialog({
  invoice,
  onClose,
  onIssued,
}: {
  invoice: Invoice | undefined;
  onClose: () => void;
  /** The note was issued: the invoice reads differently now (credited total). */
  onIssued: (note: CreditNote) => void;
}) {
  return (
    <Dialog
      title={invoice ? `Credit note for invoice ${invoice.number}` : ''}
      open={invoice !== undefined}
      onClose={onClose}
      wide
    >
      {invoice && <CreditNoteForm key={invoice.id} invoice={invoice} onClose={onClose} onIssued={onIssued} />}
    </Dialog>
  );
}

function CreditNoteForm({
  invoice,
  onClose,
  onIssued,
}: {
  invoice: Invoice;
  onClose: () => void;
  onIssued: (note: CreditNote) => void;
}) {
  const path = `/v1/invoices/${encodeURIComponent(invoice.id)}/credit-notes`;
  // The earlier notes per line: the invoice tells only their totals.
  const earlier = useAsync(() => api.get<{ data: CreditNote[] }>(path), [invoice.id]);
  const [amounts, setAmounts] = useState<Record<number, string>>({});
  const [reason, setReason] = useState('');
  const [method, setMethod] = useState<CreditNoteMethod>('credit_balance');
  const [refused, setRefused] = useState<CreditRefusal>();
  const [busy, setBusy] = useState(false);
  const [issued, setIssued] = useState<{ note: CreditNote; invoice?: Invoice }>();
  const paid = invoice.status === 'paid';
  const currency = invoice.currency;
  // The dialog opened on "Loading…": once the lines are there, focus goes to the first that can be credited.
  const form = useRef<HTMLFormElement>(null);
  const loaded = earlier.data !== undefined;
  useEffect(() => {
    const active = document.activeElement;
    if (loaded && !(active instanceof HTMLInputElement || active instanceof HTMLTextAreaElement))
      form.current?.querySelector<HTMLInputElement>('input:not(:disabled)')?.focus();
  }, [loaded]);

  if (issued) return <IssuedNote note={issued.note} invoice={issued.invoice} onClose={onClose} />;
  if (earlier.error) return <ErrorNote error={earlier.error} />;
  if (!earlier.data) return <Loading />;

  const charged = invoice.lines.map((line) => line.taxable_amount ?? line.amount);
  const left = charged.map((amount, i) =>
    minus(
      amount,
      earlier.data!.data.flatMap((note) => note.lines.filter((l) => l.line === i + 1).map((l) => l.amount)),
    ),
  );
  const submit = async (event: Event) => {
    event.preventDefault();
    const sent = Object.keys(amounts)
      .map(Number)
      .filter((i) => (amounts[i] ?? '').trim() !== '')
      .sort((a, b) => a - b);
    setBusy(true);
    setRefused(undefined);
    try {
      const body: CreateCreditNote = {
        reason: reason.trim(),
        method,
        lines: sent.map((i) => ({ line: i + 1, amount: (amounts[i] ?? '').trim() })),
      };
      const note = await api.post<CreditNote>(path, body);
      // The invoice as it reads now: its credited total.
      const after = await api.get<Invoice>(`/v1/invoices/${encodeURIComponent(invoice.id)}`).catch(() => undefined);
      setIssued({ note, ...(after ? { invoice: after } : {}) });
      onIssued(note);
    } catch (failure) {
      setRefused(creditRefusal(failure, sent));
    } finally {
      setBusy(false);
    }
  };
  const setAmount = (i: number, value: string) => setAmounts((a) => ({ ...a, [i]: value }));
  return (
    <form ref={form} class="dialog-form" onSubmit={submit} aria-label="New credit note" noValidate>
      <p class="muted">
        {invoice.buyer.name} · total <Money amount={invoice.total} currency={currency} />
        {invoice.credited_total !== undefined && isPositive(invoice.credited_total) && (
          <>
            {' '}
            · credited so far <Money amount={invoice.credited_total} currency={currency} />
          </>
        )}
        . Amounts are net, before tax; the tax of each line is credited with it.
      </p>
      <div class="table-scroll">
        <table>
          <caption class="sr-only">Lines to credit</caption>
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col" class="num">
                Charged (net)
              </th>
              <th scope="col" class="num">
                Left to credit
              </th>
              <th scope="col">Credit ({currency})</th>
            </tr>
          </thead>
          <tbody>
            {invoice.lines.map((line, i) => {
              const id = `credit-line-${i + 1}-amount`;
              const error = refused?.lines[i];
              const open = isPositive(left[i] ?? '0');
              return (
                <tr key={i} data-testid="credit-line" data-line={i + 1} data-left={left[i]}>
                  <td>
                    {i + 1}. {line.description}
                  </td>
                  <td class="num">
                    <Money amount={charged[i] ?? '0'} currency={currency} />
                  </td>
                  <td class="num">
                    <Money amount={left[i] ?? '0'} currency={currency} />
                  </td>
                  <td>
                    <label class="sr-only" for={id}>
                      Credit on line {i + 1} ({currency})
                    </label>
                    <input
                      id={id}
                      class="credit-amount"
                      inputMode="decimal"
                      size={10}
                      value={amounts[i] ?? ''}
                      disabled={!open}
                      placeholder={open ? '0.00' : 'nothing left'}
                      onInput={(e) => setAmount(i, e.currentTarget.value)}
                      {...(error ? { 'aria-invalid': 'true', 'aria-describedby': `${id}-error` } : {})}
                    />{' '}
                    {open && (
                      <button
                        type="button"
                        class="link"
                        aria-label={`Full line ${i + 1}: credit all that is left`}
                        onClick={() => setAmount(i, left[i] ?? '')}
                      >
                        Full line
                      </button>
                    )}
                    {error && (
                      <p id={`${id}-error`} class="field-error small" data-testid={`${id}-error`}>
                        {error}
                      </p>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <label for="credit-note-reason">Reason</label>
      <textarea
        id="credit-note-reason"
        rows={2}
        maxLength={500}
        value={reason}
        onInput={(e) => setReason(e.currentTarget.value)}
        {...(refused?.reason ? { 'aria-invalid': 'true', 'aria-describedby': 'credit-note-reason-error' } : {})}
      />
      {refused?.reason && (
        <p id="credit-note-reason-error" class="field-error small">
          {refused.reason}
        </p>
      )}
      <fieldset
        class="confirm credit-method"
        {...(refused?.method ? { 'aria-describedby': 'credit-note-method-error' } : {})}
      >
        <legend>Method</legend>
        {(Object.keys(METHOD_LABELS) as CreditNoteMethod[]).map((value) => {
          const disabled = value === 'reduce_amount_due' && paid;
          return (
            <label key={value} class="radio">
              <input
                type="radio"
                name="credit-note-method"
                value={value}
                checked={method === value}
                disabled={disabled}
                onChange={() => setMethod(value)}
              />{' '}
              {METHOD_LABELS[value]}
              {value === 'credit_balance' && (
                <span class="muted small"> · the customer's next invoices draw on it</span>
              )}
              {value === 'refund' && <span class="muted small"> · money owed back to the customer</span>}
              {value === 'reduce_amount_due' && (
                <span class="muted small">{disabled ? ' · unpaid invoices only' : ' · lowers what is still due'}</span>
              )}
            </label>
          );
        })}
      </fieldset>
      {refused?.method && (
        <p id="credit-note-method-error" class="field-error small">
          {refused.method}
        </p>
      )}
      <FormOutcome
        error={refused && (refused.message ?? 'The API refused the credit note: see the fields marked above.')}
        testId="credit-note-error"
      />
      <div class="dialog-buttons">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Issuing…' : 'Issue credit note'}
        </button>
      </div>
    </form>
  );
}

/** The issued note: its number, lines and totals, and what the invoice is credited now. */
function IssuedNote({ note, invoice, onClose }: { note: CreditNote; invoice?: Invoice; onClose: () => void }) {
  // The form (and its submit button) is gone: focus goes to what was done.
  const outcome = useRef<HTMLParagraphElement>(null);
  useEffect(() => outcome.current?.focus(), []);
  return (
    <div data-testid="credit-note-issued" data-number={note.number} data-total={note.total}>
      <p class="notice" role="status" tabIndex={-1} ref={outcome}>
        Credit note {note.number} issued ({METHOD_LABELS[note.method].toLowerCase()}).
      </p>
      <table>
        <caption class="sr-only">Lines of credit note {note.number}</caption>
        <thead>
          <tr>
            <th scope="col">Line</th>
            <th scope="col" class="num">
              Net
            </th>
            <th scope="col" class="num">
              Tax
            </th>
            <th scope="col" class="num">
              Total
            </th>
          </tr>
        </thead>
        <tbody>
          {note.lines.map((line) => (
            <tr key={line.line}>
              <td>
                {line.line}. {line.description}
              </td>
              <td class="num">
                <Money amount={line.amount} currency={note.currency} />
              </td>
              <td class="num">
                <Money amount={line.tax} currency={note.currency} />
              </td>
              <td class="num">
                <Money amount={line.total} currency={note.currency} />
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Subtotal</th>
            <td class="num" colSpan={3} data-testid="credit-note-subtotal">
              <Money amount={note.subtotal} currency={note.currency} />
            </td>
          </tr>
          <tr>
            <th scope="row">Tax</th>
            <td class="num" colSpan={3} data-testid="credit-note-tax">
              <Money amount={note.tax} currency={note.currency} />
            </td>
          </tr>
          <tr class="total">
            <th scope="row">Total</th>
            <td class="num" colSpan={3} data-testid="credit-note-total">
              <Money amount={note.total} currency={note.currency} />
            </td>
          </tr>
        </tfoot>
      </table>
      {note.refund && (
        <p>
          Refund owed: <Money amount={note.refund.amount} currency={note.currency} />
        </p>
      )}
      {invoice?.credited_total !== undefined && (
        <p data-testid="issued-credited-total" data-amount={invoice.credited_total}>
          Invoice {invoice.number} is now credited <Money amount={invoice.credited_total} currency={invoice.currency} />{' '}
          in total; amount due <Money amount={invoice.amount_due} currency={invoice.currency} />.
        </p>
      )}
      <div class="dialog-buttons">
        <button type="button" onClick={() => openCreditNotePdf(note)}>
          PDF
        </button>
        <button type="button" class="primary" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}

/** The customer's balance per currency (from credit notes) and its ledger. */
export function BalanceCard({ customer }: { customer: Customer }) {
  const balance = useAsync(
    () => api.get<CustomerBalance>(`/v1/customers/${encodeURIComponent(customer.id)}/balance`),
    [customer.id],
  );
  return (
    <Card title="Balance" id="customer-balance">
      <Show state={balance}>
        {(b) => (
          <>
            {b.balances.length === 0 ? (
              <Empty>No balance: no credit note credited it yet.</Empty>
            ) : (
              <dl class="facts">
                {b.balances.map((entry) => (
                  <Fragment key={entry.currency}>
                    <dt>{entry.currency}</dt>
                    <dd data-testid="balance-amount" data-currency={entry.currency} data-amount={entry.amount}>
                      <Money amount={entry.amount} currency={entry.currency} />
                    </dd>
                  </Fragment>
                ))}
              </dl>
            )}
            {b.ledger.length > 0 && (
              <div class="table-scroll">
                <table data-testid="balance-ledger">
                  <caption class="sr-only">Balance ledger</caption>
                  <thead>
                    <tr>
                      <th scope="col">Date</th>
                      <th scope="col">Entry</th>
                      <th scope="col" class="num">
                        Amount
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {b.ledger.map((entry, i) => (
                      <tr key={i} data-type={entry.type} data-amount={entry.amount}>
                        <td>{date(entry.at, { timeZone: customer.timezone })}</td>
                        <td>
                          {LEDGER_LABELS[entry.type]}
                          <span class="muted small block">
                            {[entry.credit_note_number, entry.invoice_number].filter(Boolean).map((number, k) => (
                              <Fragment key={number}>
                                {k > 0 && ' · '}
                                <code class="nowrap">{number}</code>
                              </Fragment>
                            ))}
                          </span>
                        </td>
                        <td class="num">
                          <Money amount={entry.amount} currency={entry.currency} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </>
        )}
      </Show>
    </Card>
  );
}

/** The customer's credit notes, newest first as the API lists them. */
export function CreditNotesCard({ customer }: { customer: Customer }) {
  const notes = useAsync(
    () => api.get<{ data: CreditNote[] }>(`/v1/credit-notes?${qs({ customer: customer.id })}`),
    [customer.id],
  );
  return (
    <Card title="Credit notes" id="customer-credit-notes">
      <Show state={notes}>
        {(list) =>
          list.data.length === 0 ? (
            <Empty>No credit notes.</Empty>
          ) : (
            <CreditNoteRows notes={list.data} currency={customer.currency} />
          )
        }
      </Show>
    </Card>
  );
}
