import { useState } from 'preact/hooks';
import { ApiError, api } from '../api';
import { isPositive } from '../decimal';
import { date, money } from '../format';
import { Field, FormOutcome, type Refusal, refusal } from '../forms';
import type {
  CreditNote,
  Customer,
  Invoice,
  ManualPaymentMethod,
  PaymentRecorded,
  RecordPayment,
  RecordRefund,
  UpdateCustomer,
} from '../types';
import { Badge, Card, Money } from '../ui';

/**
 * Getting paid in the dashboard: where an invoice's payment stands (payments, tries at collecting,
 * refunds), recording a payment received by hand, collecting now through the payment provider,
 * recording a refund paid out by hand, and the customer's Stripe customer id.
 */

const invoicePath = (invoice: Pick<Invoice, 'id'>) => `/v1/invoices/${encodeURIComponent(invoice.id)}`;

export const MANUAL_METHOD_LABELS: Record<ManualPaymentMethod, string> = {
  bank_transfer: 'Bank transfer',
  cash: 'Cash',
  check: 'Check',
  other: 'Other',
};

/** A payment method as read ("sepa_debit" → "sepa debit"; the manual ones by their label). */
const methodLabel = (method: string) =>
  MANUAL_METHOD_LABELS[method as ManualPaymentMethod] ?? method.replace(/_/g, ' ');

/** Today as a local date (yyyy-mm-dd) in the browser's time zone. */
const localToday = () => {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
};

/** A day picked in a form as the instant sent: today is now (it cannot lie ahead); another day its noon UTC. */
const instantOf = (day: string) =>
  day === localToday() ? new Date().toISOString() : new Date(`${day}T12:00:00Z`).toISOString();

/**
 * Beside an invoice's status in the lists: how its payment stands, where the status does not say it
 * already (partly paid, failed, processing), with what is left.
 */
export function PaymentBadge({ invoice }: { invoice: Invoice }) {
  const status = invoice.payment_status;
  if (invoice.status !== 'finalized' || status === 'pending' || status === 'paid') return null;
  return (
    <span class="payment-badge" data-testid="payment-status" data-status={status}>
      {' '}
      <Badge status={status} />
      {status === 'partially_paid' && (
        <span class="muted small block" data-testid="amount-remaining" data-amount={invoice.amount_remaining}>
          <Money amount={invoice.amount_remaining} currency={invoice.currency} /> left
        </span>
      )}
    </span>
  );
}

/** The invoice details' "Payments" section: what was received and is still owed, and the actions. */
export function InvoicePayments({
  invoice,
  onUpdate,
}: {
  invoice: Invoice;
  /** The invoice after a payment or a collection, and what was done. */
  onUpdate: (invoice: Invoice, notice: string) => void;
}) {
  const payments = invoice.payments ?? [];
  const attempts = invoice.payment_attempts ?? [];
  const refunds = invoice.refunds ?? [];
  // A draft owes nothing yet; a void invoice only shows what was received or tried before it was voided.
  if (invoice.status === 'draft') return null;
  if (invoice.status === 'void' && payments.length + attempts.length + refunds.length === 0) return null;
  const currency = invoice.currency;
  const owing = invoice.status === 'finalized' && isPositive(invoice.amount_remaining);
  const noteNumber = (id: string) => invoice.credit_notes?.find((n) => n.id === id)?.number ?? id;
  return (
    <section
      aria-labelledby="invoice-payments-title"
      data-testid="invoice-payments"
      data-payment-status={invoice.payment_status}
      data-amount-paid={invoice.amount_paid}
      data-amount-remaining={invoice.amount_remaining}
    >
      <h3 id="invoice-payments-title" class="form-title">
        Payments
      </h3>
      <p class="payment-summary">
        <Badge status={invoice.payment_status} />
        {invoice.collection === 'automatic' && <span class="muted small"> · collected through Stripe</span>} · paid{' '}
        <strong data-testid="amount-paid">
          <Money amount={invoice.amount_paid} currency={currency} />
        </strong>{' '}
        · remaining{' '}
        <strong data-testid="amount-remaining">
          <Money amount={invoice.amount_remaining} currency={currency} />
        </strong>
      </p>
      {payments.length > 0 && (
        <div class="table-scroll">
          <table data-testid="payments-table">
            <caption class="sr-only">Payments received</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Method</th>
                <th scope="col">Source</th>
                <th scope="col">Reference</th>
                <th scope="col" class="num">
                  Amount
                </th>
                <th scope="col" class="num">
                  Applied
                </th>
                <th scope="col" class="num">
                  Overpaid
                </th>
              </tr>
            </thead>
            <tbody>
              {payments.map((payment) => (
                <tr
                  key={payment.id}
                  data-testid="payment"
                  data-reference={payment.reference}
                  data-amount={payment.amount}
                  data-applied={payment.applied}
                  data-overpaid={payment.overpaid}
                >
                  <td>{date(payment.received_at)}</td>
                  <td>{methodLabel(payment.method)}</td>
                  <td>{payment.source === 'provider' ? 'Stripe' : 'Recorded by hand'}</td>
                  <td>
                    <code>{payment.reference}</code>
                  </td>
                  <td class="num">
                    <Money amount={payment.amount} currency={currency} />
                  </td>
                  <td class="num">
                    <Money amount={payment.applied} currency={currency} />
                  </td>
                  <td class="num">
                    {isPositive(payment.overpaid) ? (
                      <span title="Credited to the customer balance">
                        <Money amount={payment.overpaid} currency={currency} />
                      </span>
                    ) : (
                      <Money amount={payment.overpaid} currency={currency} />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {attempts.length > 0 && (
        <div class="table-scroll">
          <table data-testid="payment-attempts">
            <caption class="caption-left">Collection attempts</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Kind</th>
                <th scope="col">Status</th>
                <th scope="col" class="num">
                  Amount
                </th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {attempts.map((attempt) => (
                <tr
                  key={attempt.id}
                  data-testid="payment-attempt"
                  data-kind={attempt.kind}
                  data-status={attempt.status}
                >
                  <td>{date(attempt.at, { time: true })}</td>
                  <td>{attempt.kind === 'charge' ? 'Card charge' : 'Payment page'}</td>
                  <td>
                    <Badge status={attempt.status} />
                  </td>
                  <td class="num">
                    <Money amount={attempt.amount} currency={currency} />
                  </td>
                  <td>
                    {attempt.error && (
                      <span class="danger-note" data-testid="attempt-error">
                        {attempt.error}
                      </span>
                    )}
                    {attempt.url && attempt.status === 'open' && (
                      <a href={attempt.url} target="_blank" rel="noopener noreferrer">
                        Open the payment page<span class="sr-only"> (new tab)</span>
                      </a>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {refunds.length > 0 && (
        <div class="table-scroll">
          <table data-testid="invoice-refunds">
            <caption class="caption-left">Refunds</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Credit note</th>
                <th scope="col">Status</th>
                <th scope="col">Reference</th>
                <th scope="col" class="num">
                  Amount
                </th>
              </tr>
            </thead>
            <tbody>
              {refunds.map((refund) => (
                <tr key={refund.id} data-testid="invoice-refund" data-status={refund.status}>
                  <td>{date(refund.at)}</td>
                  <td>{refund.credit_note ? <code>{noteNumber(refund.credit_note)}</code> : '—'}</td>
                  <td>
                    <Badge status={refund.status} />
                  </td>
                  <td>
                    <code>{refund.reference ?? refund.id}</code>
                  </td>
                  <td class="num">
                    <Money amount={refund.amount} currency={currency} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {owing && invoice.collection === 'automatic' && <CollectNow invoice={invoice} onUpdate={onUpdate} />}
      {owing && (
        // A new form after each payment: the amount is what is left then.
        <RecordPaymentForm key={invoice.amount_remaining} invoice={invoice} onUpdate={onUpdate} />
      )}
    </section>
  );
}

/** What a collection did, from the newest attempt: an error for a failed charge, else a notice. */
function collectOutcome(invoice: Invoice): { notice?: string; error?: string } {
  const attempt = invoice.payment_attempts?.at(-1);
  if (!attempt) return { notice: `Collection of invoice ${invoice.number} started.` };
  const amount = money(attempt.amount, invoice.currency);
  if (attempt.kind === 'payment_link')
    return { notice: `The customer has no card on file: a payment page for ${amount} was opened.` };
  switch (attempt.status) {
    case 'succeeded':
      return { notice: `Charged ${amount}: invoice ${invoice.number} is paid.` };
    case 'failed':
      return { error: `The charge of ${amount} failed: ${attempt.error ?? 'no reason given'}` };
    case 'requires_action':
      return { notice: `The charge of ${amount} needs the customer to confirm it.` };
    default:
      return { notice: `The charge of ${amount} is processing.` };
  }
}

/** Charges what is owed through the payment provider now (the customer's card on file, else a payment page). */
function CollectNow({ invoice, onUpdate }: { invoice: Invoice; onUpdate: (invoice: Invoice, notice: string) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const collect = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const after = await api.post<Invoice>(`${invoicePath(invoice)}/collect`);
      const outcome = collectOutcome(after);
      setError(outcome.error);
      onUpdate(after, outcome.notice ?? `Invoice ${after.number}: the collection attempt failed.`);
    } catch (failure) {
      setError(failure instanceof ApiError ? `${failure.message} (${failure.code})` : (failure as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="collect-now">
      <button
        type="button"
        onClick={() => void collect()}
        disabled={busy}
        aria-describedby={error ? 'collect-error' : undefined}
      >
        {busy ? 'Collecting…' : 'Collect now'}
      </button>{' '}
      <span class="muted small">
        Charges <Money amount={invoice.amount_remaining} currency={invoice.currency} /> through Stripe.
      </span>
      <FormOutcome error={error} errorId="collect-error" testId="collect-error" />
    </div>
  );
}

const PAYMENT_FIELDS = ['amount', 'reference', 'method', 'paid_at'] as const;

/** A payment received by hand (bank transfer, cash, check): the amount prefilled with what is left. */
function RecordPaymentForm({
  invoice,
  onUpdate,
}: {
  invoice: Invoice;
  onUpdate: (invoice: Invoice, notice: string) => void;
}) {
  const [amount, setAmount] = useState(invoice.amount_remaining);
  const [reference, setReference] = useState('');
  const [method, setMethod] = useState<ManualPaymentMethod>('bank_transfer');
  const [paidOn, setPaidOn] = useState(localToday);
  const [refused, setRefused] = useState<Refusal>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setRefused(undefined);
    try {
      const body: RecordPayment = {
        // As typed: the API's complaint about it says more than the browser's.
        amount: amount.trim(),
        reference: reference.trim(),
        method,
        ...(paidOn ? { paid_at: instantOf(paidOn) } : {}),
      };
      const recorded = await api.post<PaymentRecorded>(`${invoicePath(invoice)}/payments`, body);
      const { payment } = recorded;
      const after = recorded.invoice;
      // The same reference again (the API answers it as recorded before): nothing new.
      if (invoice.payments?.some((p) => p.id === payment.id)) {
        onUpdate(after, `Payment ${payment.reference} was recorded already: nothing changed.`);
        return;
      }
      const received = money(payment.amount, after.currency);
      const overpaid = isPositive(payment.overpaid)
        ? ` ${money(payment.overpaid, after.currency)} beyond what was owed went to the customer balance.`
        : '';
      onUpdate(
        after,
        after.status === 'paid'
          ? `Payment of ${received} recorded: invoice ${after.number} is paid.${overpaid}`
          : `Payment of ${received} recorded: ${money(after.amount_remaining, after.currency)} remains.${overpaid}`,
      );
    } catch (failure) {
      setRefused(refusal(failure, PAYMENT_FIELDS));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <h3 class="form-title" id="record-payment-title">
        Record a payment
      </h3>
      <form class="form-grid" onSubmit={submit} aria-labelledby="record-payment-title" noValidate>
        <Field
          id="record-payment-amount"
          label={`Amount (${invoice.currency})`}
          error={refused?.fields.amount}
          hint="Beyond what is owed goes to the customer balance."
        >
          {(aria) => (
            <input
              {...aria}
              inputMode="decimal"
              size={10}
              value={amount}
              onInput={(e) => setAmount(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field id="record-payment-reference" label="Reference" error={refused?.fields.reference}>
          {(aria) => (
            <input
              {...aria}
              maxLength={200}
              value={reference}
              placeholder="e.g. bank transfer id"
              onInput={(e) => setReference(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field id="record-payment-method" label="Method" error={refused?.fields.method}>
          {(aria) => (
            <select {...aria} value={method} onChange={(e) => setMethod(e.currentTarget.value as ManualPaymentMethod)}>
              {(Object.keys(MANUAL_METHOD_LABELS) as ManualPaymentMethod[]).map((value) => (
                <option key={value} value={value}>
                  {MANUAL_METHOD_LABELS[value]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="record-payment-date" label="Received on" error={refused?.fields.paid_at}>
          {(aria) => (
            <input
              {...aria}
              type="date"
              value={paidOn}
              max={localToday()}
              onInput={(e) => setPaidOn(e.currentTarget.value)}
            />
          )}
        </Field>
        <button type="submit" class="form-submit" disabled={busy}>
          {busy ? 'Recording…' : 'Record payment'}
        </button>
      </form>
      <FormOutcome
        error={refused && (refused.message ?? 'The API refused the payment: see the fields marked above.')}
        testId="record-payment-error"
      />
    </>
  );
}

type NoteRefund = NonNullable<CreditNote['refund']>;

/** A refund credit note's refund: its status, and how it was paid out. */
export function RefundStatus({ refund, currency }: { refund: NoteRefund; currency: string }) {
  return (
    <span
      class="muted small block"
      data-testid="refund-status"
      data-status={refund.status}
      data-amount={refund.amount}
      title={`Refund of ${money(refund.amount, currency)}`}
    >
      <Badge status={refund.status} />
      {refund.reference && (
        <>
          {' '}
          ref. <code>{refund.reference}</code>
        </>
      )}
      {refund.at && refund.status === 'succeeded' && <> on {date(refund.at)}</>}
      {refund.error && <span class="danger-note block">{refund.error}</span>}
    </span>
  );
}

/** Whether a person can record the refund as paid out by hand (not while it is with the provider, nor twice). */
export const refundRecordable = (refund: NoteRefund | undefined) =>
  refund !== undefined && (refund.status === 'pending' || refund.status === 'failed');

/** A refund paid out by hand (a bank transfer back): its reference and day. */
export function RecordRefundForm({
  note,
  currency,
  onRecorded,
  onCancel,
}: {
  note: { id: string; number: string; refund?: NoteRefund };
  currency: string;
  onRecorded: (note: CreditNote) => void;
  onCancel: () => void;
}) {
  const [reference, setReference] = useState('');
  const [refundedOn, setRefundedOn] = useState(localToday);
  const [refused, setRefused] = useState<Refusal>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setRefused(undefined);
    try {
      const body: RecordRefund = {
        reference: reference.trim(),
        ...(refundedOn ? { refunded_at: instantOf(refundedOn) } : {}),
      };
      onRecorded(await api.post<CreditNote>(`/v1/credit-notes/${encodeURIComponent(note.id)}/refund`, body));
    } catch (failure) {
      setRefused(refusal(failure, ['reference', 'refunded_at']));
    } finally {
      setBusy(false);
    }
  };
  const titleId = `record-refund-${note.id}-title`;
  return (
    <div class="record-refund" data-testid="record-refund">
      <h3 class="form-title" id={titleId}>
        Record the refund of credit note {note.number}
        {note.refund && (
          <>
            {' '}
            (<Money amount={note.refund.amount} currency={currency} />)
          </>
        )}
      </h3>
      <form class="form-grid" onSubmit={submit} aria-labelledby={titleId} noValidate>
        <Field id="record-refund-reference" label="Refund reference" error={refused?.fields.reference}>
          {(aria) => (
            <input
              {...aria}
              maxLength={200}
              value={reference}
              placeholder="e.g. bank transfer id"
              onInput={(e) => setReference(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field id="record-refund-date" label="Refunded on" error={refused?.fields.refunded_at}>
          {(aria) => (
            <input
              {...aria}
              type="date"
              value={refundedOn}
              max={localToday()}
              onInput={(e) => setRefundedOn(e.currentTarget.value)}
            />
          )}
        </Field>
        <button type="submit" class="form-submit primary" disabled={busy}>
          {busy ? 'Recording…' : 'Record refund'}
        </button>
        <button type="button" class="form-submit" onClick={onCancel}>
          Cancel
        </button>
      </form>
      <FormOutcome
        error={refused && (refused.message ?? 'The API refused the refund: see the fields marked above.')}
        testId="record-refund-error"
      />
    </div>
  );
}

/** The customer's Stripe customer id: finalized invoices are collected from its default payment method. */
export function StripeCustomerCard({ customer }: { customer: Customer }) {
  const [saved, setSaved] = useState(customer.stripe_customer_id);
  const [value, setValue] = useState(customer.stripe_customer_id ?? '');
  const [refused, setRefused] = useState<Refusal>();
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);
  const save = async (stripeCustomerId: string | null) => {
    setBusy(true);
    setRefused(undefined);
    setNotice(undefined);
    try {
      const body: UpdateCustomer = { stripe_customer_id: stripeCustomerId };
      const updated = await api.patch<Customer>(`/v1/customers/${encodeURIComponent(customer.id)}`, body);
      setSaved(updated.stripe_customer_id);
      setValue(updated.stripe_customer_id ?? '');
      setNotice(
        updated.stripe_customer_id
          ? `Stripe customer ${updated.stripe_customer_id} saved: new invoices are collected through Stripe.`
          : 'Stripe customer removed: new invoices are paid by hand.',
      );
    } catch (failure) {
      setRefused(refusal(failure, ['stripe_customer_id']));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title="Payment collection" id="customer-payment-collection">
      <p data-testid="stripe-customer" data-value={saved ?? ''}>
        {saved ? (
          <>
            Stripe customer <code>{saved}</code>: finalized invoices are charged to its default payment method (else a
            payment page is opened).
          </>
        ) : (
          <span class="muted">No Stripe customer: invoices are paid by hand (bank transfer) and recorded here.</span>
        )}
      </p>
      <form
        class="form-grid"
        aria-label="Stripe customer"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          const trimmed = value.trim();
          void save(trimmed === '' ? null : trimmed);
        }}
      >
        <Field id="stripe-customer-id" label="Stripe customer id" error={refused?.fields.stripe_customer_id}>
          {(aria) => (
            <input
              {...aria}
              value={value}
              placeholder="cus_…"
              maxLength={260}
              onInput={(e) => setValue(e.currentTarget.value)}
            />
          )}
        </Field>
        <button type="submit" class="form-submit" disabled={busy}>
          Save
        </button>
        {saved && (
          <button type="button" class="form-submit ghost" disabled={busy} onClick={() => void save(null)}>
            Remove
          </button>
        )}
      </form>
      <FormOutcome
        error={refused && (refused.message ?? 'The API refused the Stripe customer id: see the field above.')}
        testId="stripe-customer-error"
        notice={notice}
      />
    </Card>
  );
}
