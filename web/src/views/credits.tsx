import { useState } from 'preact/hooks';
import { api } from '../api';
import { zonedDayStart } from '../dates';
import { date, integer, money, period, quantity } from '../format';
import { Field, FormOutcome, type Refusal, refusal } from '../forms';
import type {
  AppliedCoupon,
  ApplyCoupon,
  Coupon,
  CreateCoupon,
  CreateCreditGrant,
  CreditGrant,
  Credits,
  Customer,
  Entitlements,
  TaxTreatment,
} from '../types';
import { type Async, Badge, Card, Empty, Money, Show, useAsync } from '../ui';

/** An amount taken off (a discount, a credit): the API's positive amount shown with a minus sign. */
export function Minus({ amount, currency }: { amount: string; currency: string }) {
  return (
    <span class="num" data-amount={amount}>
      −{money(amount, currency)}
    </span>
  );
}

/** "€10.00 off" or "15 % off" */
export function couponValue(coupon: Pick<Coupon, 'type' | 'amount' | 'currency' | 'percent'>): string {
  if (coupon.type === 'percentage') return `${quantity(coupon.percent ?? '0')} % off`;
  return coupon.amount && coupon.currency ? `${money(coupon.amount, coupon.currency)} off` : 'amount off';
}

export function couponDuration(coupon: Pick<Coupon, 'duration' | 'duration_periods'>): string {
  if (coupon.duration === 'once') return 'once';
  if (coupon.duration === 'forever') return 'forever';
  return coupon.duration_periods !== undefined
    ? `${integer(coupon.duration_periods)} invoice${coupon.duration_periods === 1 ? '' : 's'}`
    : 'repeating';
}

/** What is left of an applied coupon. */
function couponRemains(coupon: AppliedCoupon): string {
  if (coupon.status === 'consumed') return 'used up';
  if (coupon.remaining_amount !== undefined && coupon.currency)
    return `${money(coupon.remaining_amount, coupon.currency)} left`;
  if (coupon.periods_remaining !== undefined)
    return `${integer(coupon.periods_remaining)} invoice${coupon.periods_remaining === 1 ? '' : 's'} left`;
  return coupon.duration === 'forever' ? 'every invoice' : 'next invoice';
}

const scopeText = (scope: Coupon['applies_to']) =>
  scope
    ? [
        scope.plans?.length ? `plans ${scope.plans.join(', ')}` : '',
        scope.meters?.length ? `meters ${scope.meters.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('; ')
    : '';

const TAX_RULES: Record<TaxTreatment['rule'], string> = {
  customer_rate: "customer's own rate",
  exempt: 'exempt',
  domestic: 'domestic VAT',
  reverse_charge: 'reverse charge',
  eu_consumer: "EU consumer (buyer's country)",
  outside_eu: 'outside the EU',
  seller_outside_eu: 'seller outside the EU',
  not_configured: 'no tax rule configured',
};

/** The customer's tax treatment for the profile line. */
export function TaxLine({ tax }: { tax: TaxTreatment }) {
  return (
    <p
      class="muted small"
      data-testid="tax-treatment"
      data-rule={tax.rule}
      data-rate={tax.rate}
      data-category={tax.category}
    >
      Tax: {TAX_RULES[tax.rule] ?? tax.rule} · {quantity(tax.rate)} %{tax.country ? ` (${tax.country})` : ''} · category{' '}
      {tax.category}
      {tax.reason ? ` · ${tax.reason}` : ''}
    </p>
  );
}

export function CouponsCard({ customer, onChange }: { customer: Customer; onChange?: () => void }) {
  const path = `/v1/customers/${encodeURIComponent(customer.id)}/coupons`;
  const applied = useAsync(() => api.get<{ data: AppliedCoupon[] }>(path), [customer.id]);
  const catalog = useAsync(() => api.get<{ data: Coupon[] }>('/v1/coupons'), []);
  const [code, setCode] = useState('');
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    try {
      const coupon = await api.post<AppliedCoupon>(path, { code: code.trim() } satisfies ApplyCoupon);
      setNotice(`Coupon ${coupon.code} applied.`);
      setCode('');
      applied.reload();
      catalog.reload();
      onChange?.();
    } catch (failure) {
      const refused = refusal(failure, ['code']);
      setError(refused.fields.code ? `Code ${refused.fields.code}` : refused.message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title="Coupons" id="coupons">
      <Show state={applied}>
        {(list) =>
          list.data.length === 0 ? (
            <Empty>No coupons applied.</Empty>
          ) : (
            <ul class="invoice-list">
              {list.data.map((c) => (
                <li key={c.code} data-coupon={c.code} data-status={c.status}>
                  <div>
                    <span>
                      <code>{c.code}</code> {c.name}
                    </span>
                    <span class="muted small">
                      {couponValue(c)} · {couponDuration(c)}
                      {scopeText(c.applies_to) ? ` · ${scopeText(c.applies_to)}` : ''}
                    </span>
                  </div>
                  <div class="num">
                    <Badge status={c.status} />
                    <span class="muted small" data-testid={`coupon-remains-${c.code}`}>
                      {couponRemains(c)}
                    </span>
                  </div>
                </li>
              ))}
            </ul>
          )
        }
      </Show>
      <form class="form-grid" onSubmit={submit} aria-label="Apply a coupon" noValidate>
        <div class="field grow">
          <label for="apply-coupon-code">Coupon code</label>
          <input
            id="apply-coupon-code"
            list="coupon-codes"
            autocomplete="off"
            value={code}
            onInput={(e) => setCode(e.currentTarget.value)}
            aria-invalid={error ? 'true' : undefined}
            aria-describedby={error ? 'apply-coupon-error' : 'apply-coupon-hint'}
          />
          <datalist id="coupon-codes">
            {(catalog.data?.data ?? []).map((c) => (
              <option key={c.code} value={c.code}>
                {c.name} · {couponValue(c)}
              </option>
            ))}
          </datalist>
          <p id="apply-coupon-hint" class="muted small field-hint">
            Pick one of the catalog’s codes or type one.
          </p>
        </div>
        <button type="submit" class="primary form-submit" disabled={busy || code.trim() === ''}>
          {busy ? 'Applying…' : 'Apply coupon'}
        </button>
      </form>
      <FormOutcome error={error} errorId="apply-coupon-error" testId="apply-coupon-error" notice={notice} />
    </Card>
  );
}

const GRANT_FIELDS = ['name', 'amount', 'category', 'priority', 'expires_at'] as const;

export function CreditsCard({ customer, onChange }: { customer: Customer; onChange?: () => void }) {
  const path = `/v1/customers/${encodeURIComponent(customer.id)}`;
  const credits = useAsync(() => api.get<Credits>(`${path}/credits`), [customer.id]);
  const blank = { name: '', amount: '', category: 'paid' as CreateCreditGrant['category'], priority: '', expires: '' };
  const [form, setForm] = useState(blank);
  const [refused, setRefused] = useState<Refusal>();
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);
  const set = (field: keyof typeof blank) => (e: { currentTarget: { value: string } }) =>
    setForm((f) => ({ ...f, [field]: e.currentTarget.value }));
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setRefused(undefined);
    setNotice(undefined);
    const priority = form.priority.trim();
    const body = {
      name: form.name.trim(),
      // As typed, even empty: the API's complaint about it (`must be a decimal string…, got ""`) says more than "required".
      amount: form.amount.trim(),
      category: form.category,
      // A whole number goes as one; anything else as typed, for the API to name what is wrong with it.
      ...(priority ? { priority: (/^\d+$/.test(priority) ? Number(priority) : priority) as number } : {}),
      // Expires as the chosen day starts in the customer's time zone.
      ...(form.expires ? { expires_at: zonedDayStart(form.expires, customer.timezone).toISOString() } : {}),
    } satisfies CreateCreditGrant;
    try {
      const grant = await api.post<CreditGrant>(`${path}/credit-grants`, body);
      setNotice(`Granted ${money(grant.amount, grant.currency)} of ${grant.category} credits.`);
      setForm(blank);
      credits.reload();
      onChange?.();
    } catch (failure) {
      setRefused(refusal(failure, GRANT_FIELDS));
    } finally {
      setBusy(false);
    }
  };
  const fieldError = (field: (typeof GRANT_FIELDS)[number]) => refused?.fields[field];
  return (
    <Card title="Credits" id="credits">
      <Show state={credits}>
        {(c) => (
          <>
            <ul class="stat-row" data-testid="credit-balances">
              {(
                [
                  ['Balance', c.balance, 'balance'],
                  ['Paid', c.paid_balance, 'paid'],
                  ['Promotional', c.promotional_balance, 'promotional'],
                  ['Ongoing', c.ongoing_balance, 'ongoing'],
                ] as const
              ).map(([label, amount, key]) => (
                <li key={key} data-testid={`credit-${key}`} data-value={amount}>
                  {label}
                  <strong>{money(amount, c.currency)}</strong>
                </li>
              ))}
            </ul>
            <p class="muted small">Ongoing: the balance less what this period’s usage so far would draw from it.</p>
            {c.grants.length === 0 ? (
              <Empty>No credit grants.</Empty>
            ) : (
              <div class="table-scroll">
                <table data-testid="credit-grants">
                  <caption class="sr-only">Credit grants; open a name to see its ledger</caption>
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      <th scope="col">Category</th>
                      <th scope="col" class="num">
                        Priority
                      </th>
                      <th scope="col" class="num">
                        Amount
                      </th>
                      <th scope="col" class="num">
                        Balance
                      </th>
                      <th scope="col">Expires</th>
                      <th scope="col">Status</th>
                    </tr>
                  </thead>
                  <tbody>
                    {c.grants.map((g) => (
                      <tr key={g.id} data-grant={g.id} data-name={g.name}>
                        <td>
                          <details>
                            <summary>{g.name}</summary>
                            <ul class="explain ledger" data-testid="grant-ledger" aria-label={`Ledger of ${g.name}`}>
                              {g.ledger.map((entry, i) => (
                                <li key={i} data-type={entry.type} data-amount={entry.amount}>
                                  <span>
                                    {entry.type}
                                    {entry.invoice_number ? ` on ${entry.invoice_number}` : ''} ·{' '}
                                    {date(entry.at, { timeZone: customer.timezone })}
                                  </span>
                                  {entry.type === 'granted' || entry.type === 'restored' ? (
                                    <Money amount={entry.amount} currency={g.currency} />
                                  ) : (
                                    <Minus amount={entry.amount} currency={g.currency} />
                                  )}
                                </li>
                              ))}
                            </ul>
                          </details>
                        </td>
                        <td>{g.category}</td>
                        <td class="num">{integer(g.priority)}</td>
                        <td class="num">
                          <Money amount={g.amount} currency={g.currency} />
                        </td>
                        <td class="num" data-testid="grant-balance">
                          <Money amount={g.balance} currency={g.currency} />
                        </td>
                        <td>{g.expires_at ? date(g.expires_at, { timeZone: customer.timezone }) : 'never'}</td>
                        <td>
                          <Badge status={g.status} />
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
      <h3 class="form-title">Grant credits</h3>
      <form class="form-grid" onSubmit={submit} aria-label="Grant credits" noValidate>
        <Field id="grant-name" label="Name" error={fieldError('name')}>
          {(aria) => <input {...aria} value={form.name} onInput={set('name')} maxLength={200} />}
        </Field>
        <Field id="grant-amount" label={`Amount (${customer.currency})`} error={fieldError('amount')}>
          {(aria) => <input {...aria} inputMode="decimal" value={form.amount} onInput={set('amount')} />}
        </Field>
        <Field id="grant-category" label="Category" error={fieldError('category')}>
          {(aria) => (
            <select {...aria} value={form.category} onChange={set('category')}>
              <option value="paid">Paid (prepaid, after tax)</option>
              <option value="promotional">Promotional (before tax)</option>
            </select>
          )}
        </Field>
        <Field id="grant-priority" label="Priority" error={fieldError('priority')}>
          {(aria) => (
            <input
              {...aria}
              inputMode="numeric"
              placeholder="default"
              value={form.priority}
              onInput={set('priority')}
            />
          )}
        </Field>
        <Field
          id="grant-expires"
          label={`Expires as this day starts (${customer.timezone})`}
          error={fieldError('expires_at')}
        >
          {(aria) => <input {...aria} type="date" value={form.expires} onChange={set('expires')} />}
        </Field>
        <button type="submit" class="primary form-submit" disabled={busy}>
          {busy ? 'Granting…' : 'Grant credits'}
        </button>
      </form>
      <FormOutcome
        error={refused && (refused.message ?? 'The API refused the grant: see the fields marked above.')}
        testId="grant-error"
        notice={notice}
      />
    </Card>
  );
}

/** The usage limits of the active subscription; nothing when there are none. */
export function EntitlementsCard({ customer }: { customer: Customer }) {
  const limits = useAsync(
    () => api.get<Entitlements>(`/v1/customers/${encodeURIComponent(customer.id)}/entitlements`),
    [customer.id],
  );
  if (limits.data && limits.data.data.length === 0) return null;
  return (
    <Card title="Usage limits" id="entitlements">
      <Show state={limits}>
        {(e) => (
          <>
            {e.data[0] && (
              <p class="muted small">
                This period: {period(e.data[0].period_start, e.data[0].period_end, customer.timezone)}
              </p>
            )}
            <table>
              <thead>
                <tr>
                  <th scope="col">Meter</th>
                  <th scope="col" class="num">
                    Usage
                  </th>
                  <th scope="col" class="num">
                    Limit
                  </th>
                  <th scope="col" class="num">
                    Remaining
                  </th>
                </tr>
              </thead>
              <tbody>
                {e.data.map((item) => (
                  <tr key={item.meter} data-meter={item.meter} data-hard={String(item.hard)}>
                    <td>
                      <code>{item.meter}</code> <span class="muted small">{item.hard ? 'hard' : 'soft'}</span>
                    </td>
                    <td class="num">{quantity(item.usage)}</td>
                    <td class="num">{quantity(item.limit)}</td>
                    <td class="num" data-value={item.remaining}>
                      {quantity(item.remaining)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p class="muted small">A hard limit refuses events beyond it; a soft limit is only reported.</p>
          </>
        )}
      </Show>
    </Card>
  );
}

const COUPON_FIELDS = [
  'code',
  'name',
  'type',
  'amount',
  'currency',
  'percent',
  'duration',
  'duration_periods',
  'applies_to',
  'max_redemptions',
  'redeem_by',
] as const;

const keys = (text: string) =>
  text
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);

/** A whole number as one; anything else as typed, so the API names the field. */
const count = (text: string) => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : text.trim()) as number;

/** The coupon catalog with a form to add one (on the plans page). */
export function CouponCatalog({ catalog }: { catalog: Async<{ data: Coupon[] }> }) {
  const blank = {
    code: '',
    name: '',
    type: 'percentage' as CreateCoupon['type'],
    amount: '',
    currency: 'EUR',
    percent: '',
    duration: 'once' as CreateCoupon['duration'],
    duration_periods: '',
    plans: '',
    meters: '',
    max_redemptions: '',
    redeem_by: '',
  };
  const [form, setForm] = useState(blank);
  const [refused, setRefused] = useState<Refusal>();
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);
  const set = (field: keyof typeof blank) => (e: { currentTarget: { value: string } }) =>
    setForm((f) => ({ ...f, [field]: e.currentTarget.value }));
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setRefused(undefined);
    setNotice(undefined);
    const plans = keys(form.plans);
    const meters = keys(form.meters);
    const body: CreateCoupon = {
      code: form.code.trim(),
      name: form.name.trim(),
      type: form.type,
      // A field left empty is left out: the API then says it is required, not that "" is no decimal.
      ...(form.type === 'fixed_amount'
        ? {
            ...(form.amount.trim() ? { amount: form.amount.trim() } : {}),
            ...(form.currency.trim() ? { currency: form.currency.trim().toUpperCase() } : {}),
          }
        : form.percent.trim()
          ? { percent: form.percent.trim() }
          : {}),
      duration: form.duration,
      ...(form.duration === 'repeating' && form.duration_periods.trim()
        ? { duration_periods: count(form.duration_periods) }
        : {}),
      ...(plans.length || meters.length
        ? { applies_to: { ...(plans.length ? { plans } : {}), ...(meters.length ? { meters } : {}) } }
        : {}),
      ...(form.max_redemptions.trim() ? { max_redemptions: count(form.max_redemptions) } : {}),
      // Redeemable through the chosen UTC day.
      ...(form.redeem_by ? { redeem_by: `${form.redeem_by}T23:59:59Z` } : {}),
    };
    try {
      const coupon = await api.post<Coupon>('/v1/coupons', body);
      setNotice(`Coupon ${coupon.code} created.`);
      setForm(blank);
      catalog.reload();
    } catch (failure) {
      setRefused(refusal(failure, COUPON_FIELDS));
    } finally {
      setBusy(false);
    }
  };
  const err = (field: (typeof COUPON_FIELDS)[number]) => refused?.fields[field];
  return (
    <Card title="Coupons" id="coupon-catalog" class="span-3">
      <Show state={catalog}>
        {(list) =>
          list.data.length === 0 ? (
            <Empty>No coupons yet.</Empty>
          ) : (
            <div class="table-scroll">
              <table data-testid="coupon-table">
                <thead>
                  <tr>
                    <th scope="col">Code</th>
                    <th scope="col">Name</th>
                    <th scope="col">Value</th>
                    <th scope="col">Duration</th>
                    <th scope="col" class="hide-narrow">
                      Applies to
                    </th>
                    <th scope="col" class="num">
                      Redeemed
                    </th>
                    <th scope="col" class="hide-narrow">
                      Redeem by
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.data.map((c) => (
                    <tr key={c.code} data-coupon={c.code}>
                      <td>
                        <code>{c.code}</code>
                      </td>
                      <td>{c.name}</td>
                      <td>{couponValue(c)}</td>
                      <td>{couponDuration(c)}</td>
                      <td class="hide-narrow">{scopeText(c.applies_to) || 'everything'}</td>
                      <td class="num">
                        {integer(c.redemptions)}
                        {c.max_redemptions !== undefined ? ` of ${integer(c.max_redemptions)}` : ''}
                      </td>
                      <td class="hide-narrow">{c.redeem_by ? date(c.redeem_by, { timeZone: 'UTC' }) : '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Show>
      <h3 class="form-title">New coupon</h3>
      <form class="form-grid" onSubmit={submit} aria-label="New coupon" noValidate>
        <Field id="coupon-code" label="Code" error={err('code')}>
          {(aria) => <input {...aria} value={form.code} onInput={set('code')} autocomplete="off" />}
        </Field>
        <Field id="coupon-name" label="Name" error={err('name')}>
          {(aria) => <input {...aria} value={form.name} onInput={set('name')} />}
        </Field>
        <Field id="coupon-type" label="Type" error={err('type')}>
          {(aria) => (
            <select {...aria} value={form.type} onChange={set('type')}>
              <option value="percentage">Percentage</option>
              <option value="fixed_amount">Fixed amount</option>
            </select>
          )}
        </Field>
        {form.type === 'fixed_amount' ? (
          <>
            <Field id="coupon-amount" label="Amount" error={err('amount')}>
              {(aria) => <input {...aria} inputMode="decimal" value={form.amount} onInput={set('amount')} />}
            </Field>
            <Field id="coupon-currency" label="Currency" error={err('currency')}>
              {(aria) => <input {...aria} value={form.currency} onInput={set('currency')} maxLength={3} size={4} />}
            </Field>
          </>
        ) : (
          <Field id="coupon-percent" label="Percent off" error={err('percent')}>
            {(aria) => <input {...aria} inputMode="decimal" value={form.percent} onInput={set('percent')} />}
          </Field>
        )}
        <Field id="coupon-duration" label="Duration" error={err('duration')}>
          {(aria) => (
            <select {...aria} value={form.duration} onChange={set('duration')}>
              <option value="once">Once</option>
              <option value="repeating">Repeating</option>
              <option value="forever">Forever</option>
            </select>
          )}
        </Field>
        {form.duration === 'repeating' && (
          <Field id="coupon-periods" label="Invoices" error={err('duration_periods')}>
            {(aria) => (
              <input {...aria} inputMode="numeric" value={form.duration_periods} onInput={set('duration_periods')} />
            )}
          </Field>
        )}
        <Field id="coupon-plans" label="Only plans (comma-separated)" error={err('applies_to')}>
          {(aria) => <input {...aria} value={form.plans} onInput={set('plans')} placeholder="any" />}
        </Field>
        <Field id="coupon-meters" label="Only meters (comma-separated)">
          {(aria) => <input {...aria} value={form.meters} onInput={set('meters')} placeholder="any" />}
        </Field>
        <Field id="coupon-max" label="Max redemptions" error={err('max_redemptions')}>
          {(aria) => (
            <input
              {...aria}
              inputMode="numeric"
              value={form.max_redemptions}
              onInput={set('max_redemptions')}
              placeholder="no limit"
            />
          )}
        </Field>
        <Field id="coupon-redeem-by" label="Redeem by (UTC day)" error={err('redeem_by')}>
          {(aria) => <input {...aria} type="date" value={form.redeem_by} onChange={set('redeem_by')} />}
        </Field>
        <button type="submit" class="primary form-submit" disabled={busy}>
          {busy ? 'Creating…' : 'Create coupon'}
        </button>
      </form>
      <FormOutcome
        error={refused && (refused.message ?? 'The API refused the coupon: see the fields marked above.')}
        testId="coupon-error"
        notice={notice}
      />
    </Card>
  );
}
