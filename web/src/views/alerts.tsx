import { useState } from 'preact/hooks';
import { api, qs } from '../api';
import { Field, FormOutcome, refusal } from '../forms';
import { href, navigate } from '../router';
import type { Alert, AlertCheckResult, AlertList, CreateAlert, Customer, Meter } from '../types';
import { Badge, Card, Empty, Show, useAsync } from '../ui';

/**
 * Usage alerts (docs/integrations.md): a customer's thresholds on a meter's usage, on the running bill or
 * on the prepaid credit balance, each firing once per billing period (webhook + email). The card lists
 * them with their last firing, creates and deletes them, and checks them now.
 */

const when = (iso: string) => iso.replace('T', ' ').slice(0, 16);

const KIND_LABEL: Record<Alert['kind'], string> = {
  usage: 'Usage',
  spend: 'Running bill',
  credit_balance: 'Credit balance',
};

function watches(alert: Alert): string {
  const unit = alert.currency ? ` ${alert.currency}` : '';
  if (alert.kind === 'usage') return `${alert.meter} ≥ ${alert.threshold}`;
  if (alert.kind === 'spend') return `bill ≥ ${alert.threshold}${unit}`;
  return `balance < ${alert.threshold}${unit}`;
}

function CreateAlertForm({ customer, onCreated }: { customer: Customer; onCreated: () => void }) {
  const meters = useAsync(() => api.get<{ data: Meter[] }>('/v1/meters'), []);
  const [kind, setKind] = useState<Alert['kind']>('usage');
  const [meter, setMeter] = useState('');
  const [threshold, setThreshold] = useState('');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ReturnType<typeof refusal>>({ fields: {} });
  const [notice, setNotice] = useState<string | undefined>();
  const chosenMeter = meter || meters.data?.data[0]?.key || '';
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setProblem({ fields: {} });
    setNotice(undefined);
    const body: CreateAlert = {
      customer_id: customer.id,
      kind,
      ...(kind === 'usage' ? { meter: chosenMeter } : {}),
      threshold: threshold.trim(),
      ...(name.trim() ? { name: name.trim() } : {}),
    };
    try {
      const created = await api.post<Alert>('/v1/alerts', body);
      setNotice(`Alert ${created.name ?? created.id} created.`);
      setThreshold('');
      setName('');
      onCreated();
    } catch (error) {
      setProblem(refusal(error, ['kind', 'meter', 'threshold', 'name']));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} data-testid="alert-create-form">
      <Field id="alert-kind" label="Watch" error={problem.fields.kind}>
        {(aria) => (
          <select {...aria} value={kind} onChange={(e) => setKind(e.currentTarget.value as Alert['kind'])}>
            <option value="usage">Usage of a meter (reaches the threshold)</option>
            <option value="spend">Running bill of the period (reaches the threshold)</option>
            <option value="credit_balance">Prepaid credit balance (falls below the threshold)</option>
          </select>
        )}
      </Field>
      {kind === 'usage' && (
        <Field id="alert-meter" label="Meter to watch" error={problem.fields.meter}>
          {(aria) => (
            <select {...aria} value={chosenMeter} onChange={(e) => setMeter(e.currentTarget.value)}>
              {(meters.data?.data ?? []).map((m) => (
                <option key={m.key} value={m.key}>
                  {m.name} ({m.key})
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      <Field
        id="alert-threshold"
        label={kind === 'usage' ? 'Threshold (quantity)' : `Threshold (${customer.currency})`}
        error={problem.fields.threshold}
        hint="A positive decimal, e.g. 1000 or 49.90"
      >
        {(aria) => (
          <input
            {...aria}
            inputMode="decimal"
            value={threshold}
            onInput={(e) => setThreshold(e.currentTarget.value)}
            required
          />
        )}
      </Field>
      <Field id="alert-name" label="Name (optional)" error={problem.fields.name}>
        {(aria) => <input {...aria} value={name} onInput={(e) => setName(e.currentTarget.value)} />}
      </Field>
      <button type="submit" class="primary" disabled={busy || threshold.trim() === ''}>
        {busy ? 'Adding…' : 'Add alert'}
      </button>
      <FormOutcome error={problem.message} notice={notice} testId="alert-create-error" />
    </form>
  );
}

/** A customer's alerts: list with last firing, create, delete, check now. */
export function AlertsCard({ customer }: { customer: Customer }) {
  const state = useAsync(() => api.get<AlertList>(`/v1/alerts?${qs({ customer_id: customer.id })}`), [customer.id]);
  const [error, setError] = useState<string | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const [checking, setChecking] = useState(false);
  const remove = async (alert: Alert) => {
    if (!window.confirm(`Delete the alert ${alert.name ?? alert.id}? It fires no more.`)) return;
    setError(undefined);
    setNotice(undefined);
    try {
      await api.delete(`/v1/alerts/${encodeURIComponent(alert.id)}`);
      state.reload();
    } catch (failure) {
      setError((failure as Error).message);
    }
  };
  const checkNow = async () => {
    setChecking(true);
    setError(undefined);
    setNotice(undefined);
    try {
      const result = await api.post<AlertCheckResult>(`/v1/alerts/check?${qs({ customer_id: customer.id })}`);
      setNotice(
        result.fired === 0
          ? 'Checked: nothing new fired.'
          : `Checked: ${result.fired} alert${result.fired === 1 ? '' : 's'} fired.`,
      );
      state.reload();
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setChecking(false);
    }
  };
  return (
    <Card
      title="Usage alerts"
      id="customer-alerts"
      actions={
        <button type="button" onClick={() => void checkNow()} disabled={checking}>
          {checking ? 'Checking…' : 'Check now'}
        </button>
      }
    >
      <p class="muted small">
        Each alert fires at most once per billing period: a webhook and an email to the customer.
      </p>
      <Show state={state}>
        {(list) =>
          list.data.length === 0 ? (
            <Empty>No alerts yet.</Empty>
          ) : (
            <div class="table-scroll">
              <table data-testid="alerts">
                <caption class="sr-only">Usage alerts of {customer.name}</caption>
                <thead>
                  <tr>
                    <th scope="col">Alert</th>
                    <th scope="col">Watches</th>
                    <th scope="col">Last triggered</th>
                    <th scope="col">
                      <span class="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.data.map((alert) => {
                    const [last] = alert.triggers;
                    return (
                      <tr key={alert.id} data-alert={alert.id}>
                        <td>
                          {alert.name ?? KIND_LABEL[alert.kind]}
                          <div class="muted small">
                            {KIND_LABEL[alert.kind]} · {alert.id}
                          </div>
                        </td>
                        <td>{watches(alert)}</td>
                        <td data-testid="alert-last-triggered">
                          {last ? (
                            <>
                              {when(last.triggered_at)} · {last.value}
                              <div class="muted small">
                                fired {alert.triggers.length}× · email{' '}
                                <Badge status={last.email.status === 'none' ? 'no_email' : last.email.status} />
                              </div>
                            </>
                          ) : (
                            'never'
                          )}
                        </td>
                        <td>
                          <button type="button" onClick={() => void remove(alert)}>
                            Delete<span class="sr-only"> alert {alert.name ?? alert.id}</span>
                          </button>
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )
        }
      </Show>
      <FormOutcome error={error} notice={notice} testId="alert-error" />
      <h3>Add an alert</h3>
      <CreateAlertForm customer={customer} onCreated={state.reload} />
    </Card>
  );
}

/** The Alerts section: pick a customer, then its alerts card (#/alerts/<customer id>). */
export function Alerts({ customerId }: { customerId?: string | undefined }) {
  const [typed, setTyped] = useState(customerId ?? '');
  const customer = useAsync(
    () =>
      customerId
        ? api.get<Customer>(`/v1/customers/${encodeURIComponent(customerId)}`)
        : Promise.resolve(undefined as Customer | undefined),
    [customerId],
  );
  return (
    <>
      <div class="page-head">
        <h1>Usage alerts</h1>
        <p class="muted">
          Thresholds per customer on a meter's usage, the running bill or the prepaid credit balance; checked when the
          estimates refresh and on demand, each firing once per billing period (webhook{' '}
          <code>usage.alert_triggered</code> or <code>credits.balance_low</code>, and an email).
        </p>
      </div>
      <Card title="Customer" id="alerts-customer">
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (typed.trim()) navigate('alerts', typed.trim());
          }}
        >
          <Field id="alerts-customer-id" label="Customer id">
            {(aria) => <input {...aria} value={typed} onInput={(e) => setTyped(e.currentTarget.value)} />}
          </Field>
          <button type="submit" class="primary" disabled={typed.trim() === ''}>
            Show alerts
          </button>
        </form>
      </Card>
      {customerId && (
        <Show state={customer}>
          {(c) =>
            c ? (
              <>
                <p>
                  <a href={href('customers', c.id)}>{c.name}</a>
                </p>
                <AlertsCard key={c.id} customer={c} />
              </>
            ) : null
          }
        </Show>
      )}
    </>
  );
}
