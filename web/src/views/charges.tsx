import { useState } from 'preact/hooks';
import { api } from '../api';
import { date, money, quantity } from '../format';
import { Field, FormOutcome, type Refusal, refusal } from '../forms';
import type { AddDraftLine, CreatedCharge, Customer, Invoice, OneOffCharge } from '../types';
import { Badge, Card, Empty, ErrorNote, Money, Show, useAsync } from '../ui';

/** The fields of a one-off charge that the API names in its refusals. */
export const CHARGE_FIELDS = ['description', 'quantity', 'unit_amount', 'tax_rate', 'currency', 'invoice_now'] as const;

export interface ChargeForm {
  description: string;
  quantity: string;
  unitAmount: string;
  taxRate: string;
}

export const BLANK_CHARGE: ChargeForm = { description: '', quantity: '1', unitAmount: '', taxRate: '' };

/** The body of a charge or a draft line: the fields as typed, an empty VAT rate left out (the customer's rate). */
export function chargeBody(form: ChargeForm): AddDraftLine {
  return {
    description: form.description.trim(),
    // As typed, even empty: the API's complaint about it says more than "required".
    quantity: form.quantity.trim(),
    unit_amount: form.unitAmount.trim(),
    ...(form.taxRate.trim() ? { tax_rate: form.taxRate.trim() } : {}),
  };
}

/** Description, quantity, unit amount and an optional VAT rate, each with the API's complaint about it. */
export function ChargeFields({
  idPrefix,
  form,
  onChange,
  refused,
  currency,
}: {
  idPrefix: string;
  form: ChargeForm;
  onChange: (form: ChargeForm) => void;
  refused: Refusal | undefined;
  currency: string;
}) {
  const set = (field: keyof ChargeForm) => (e: { currentTarget: { value: string } }) =>
    onChange({ ...form, [field]: e.currentTarget.value });
  return (
    <>
      <Field id={`${idPrefix}-description`} label="Description" error={refused?.fields.description}>
        {(aria) => <input {...aria} value={form.description} onInput={set('description')} maxLength={200} />}
      </Field>
      <Field id={`${idPrefix}-quantity`} label="Quantity" error={refused?.fields.quantity}>
        {(aria) => <input {...aria} inputMode="decimal" value={form.quantity} onInput={set('quantity')} size={6} />}
      </Field>
      <Field id={`${idPrefix}-unit-amount`} label={`Unit amount (${currency})`} error={refused?.fields.unit_amount}>
        {(aria) => (
          <input {...aria} inputMode="decimal" value={form.unitAmount} onInput={set('unitAmount')} size={10} />
        )}
      </Field>
      <Field
        id={`${idPrefix}-tax-rate`}
        label="VAT rate (%)"
        error={refused?.fields.tax_rate}
        hint="Optional: else the customer's rate."
      >
        {(aria) => (
          <input
            {...aria}
            inputMode="decimal"
            value={form.taxRate}
            onInput={set('taxRate')}
            placeholder="customer's"
            size={8}
          />
        )}
      </Field>
    </>
  );
}

/** The customer's one-off charges: pending ones wait for the next invoice, billed ones name theirs. */
export function OneOffChargesCard({
  customer,
  invoices = [],
  onChange,
}: {
  customer: Customer;
  /** The customer's invoices: a billed charge names its invoice by number. */
  invoices?: Invoice[];
  onChange?: () => void;
}) {
  const path = `/v1/customers/${encodeURIComponent(customer.id)}/charges`;
  const charges = useAsync(() => api.get<{ data: OneOffCharge[] }>(path), [customer.id]);
  const [form, setForm] = useState(BLANK_CHARGE);
  const [invoiceNow, setInvoiceNow] = useState(false);
  const [refused, setRefused] = useState<Refusal>();
  const [notice, setNotice] = useState<string>();
  const [removeError, setRemoveError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setRefused(undefined);
    setNotice(undefined);
    try {
      const created = await api.post<CreatedCharge>(path, {
        ...chargeBody(form),
        ...(invoiceNow ? { invoice_now: true } : {}),
      });
      const amount = money(created.charge.amount, created.charge.currency);
      setNotice(
        created.invoice
          ? `Charged ${amount}: invoice ${created.invoice.number || '(draft)'} issued.`
          : `Charged ${amount}: billed on the next invoice.`,
      );
      setForm(BLANK_CHARGE);
      setInvoiceNow(false);
      charges.reload();
      onChange?.();
    } catch (failure) {
      setRefused(refusal(failure, CHARGE_FIELDS));
    } finally {
      setBusy(false);
    }
  };
  const remove = async (charge: OneOffCharge) => {
    setRemoveError(undefined);
    setNotice(undefined);
    try {
      await api.delete(`${path}/${encodeURIComponent(charge.id)}`);
      setNotice(`Charge "${charge.description}" removed.`);
      charges.reload();
      onChange?.();
    } catch (failure) {
      setRemoveError(failure as Error);
    }
  };
  return (
    <Card title="One-off charges" id="one-off-charges">
      <Show state={charges}>
        {(list) =>
          list.data.length === 0 ? (
            <Empty>No one-off charges.</Empty>
          ) : (
            <div class="table-scroll">
              <table data-testid="charge-table">
                <thead>
                  <tr>
                    <th scope="col">Description</th>
                    <th scope="col" class="num">
                      Amount
                    </th>
                    <th scope="col">Status</th>
                    <th scope="col">
                      <span class="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.data.map((charge) => (
                    <tr key={charge.id} data-charge={charge.id} data-status={charge.status}>
                      <td>
                        {charge.description}
                        <div class="muted small">
                          {quantity(charge.quantity)} × {money(charge.unit_amount, charge.currency)}
                          {charge.tax_rate !== undefined ? ` · VAT ${quantity(charge.tax_rate)} %` : ''} · added{' '}
                          {date(charge.created_at, { timeZone: customer.timezone })}
                        </div>
                      </td>
                      <td class="num">
                        <Money amount={charge.amount} currency={charge.currency} />
                      </td>
                      <td>
                        <Badge status={charge.status} />
                        {charge.invoice_id && (
                          <div class="muted small" data-testid="charge-invoice">
                            on invoice{' '}
                            <code>{invoices.find((i) => i.id === charge.invoice_id)?.number || charge.invoice_id}</code>
                          </div>
                        )}
                      </td>
                      <td class="row-actions">
                        {charge.status === 'pending' && (
                          <button
                            type="button"
                            class="link danger-text"
                            aria-label={`Remove charge ${charge.description}`}
                            onClick={() => void remove(charge)}
                          >
                            Remove
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Show>
      {removeError && <ErrorNote error={removeError} />}
      <h3 class="form-title">New one-off charge</h3>
      <form class="form-grid" onSubmit={submit} aria-label="New one-off charge" noValidate>
        <ChargeFields idPrefix="charge" form={form} onChange={setForm} refused={refused} currency={customer.currency} />
        <div class="field checkbox-field">
          <label>
            <input type="checkbox" checked={invoiceNow} onChange={(e) => setInvoiceNow(e.currentTarget.checked)} />{' '}
            Invoice now
          </label>
        </div>
        <button type="submit" class="primary form-submit" disabled={busy}>
          {busy ? 'Adding…' : 'Add charge'}
        </button>
      </form>
      <FormOutcome
        error={refused && (refused.message ?? 'The API refused the charge: see the fields marked above.')}
        testId="charge-error"
        notice={notice}
      />
    </Card>
  );
}
