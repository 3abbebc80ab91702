import { useState } from 'preact/hooks';
import { api } from '../api';
import { date } from '../format';
import type { Customer, Invoice } from '../types';
import { Card, ErrorNote } from '../ui';

/** Dunning in the dashboard: an invoice's recorded steps, a customer's suspension and its dunning settings. */

type Step = NonNullable<Invoice['dunning']>['steps'][number];
type ScheduleStep = Customer['dunning']['schedule'][number];

const ACTION_LABEL: Record<Step['action'], string> = {
  reminder: 'Reminder email',
  retry: 'Payment retry',
  suspend: 'Suspend ingestion',
  notify: 'Final notice email',
};

const STATUS_TONE: Record<Step['status'], string> = { done: 'green', skipped: 'grey', failed: 'red' };

function emailState(step: Step): string {
  if (!step.email) return '–';
  if (step.email.status === 'sent')
    return step.email.sent_at ? `sent ${date(step.email.sent_at, { time: true })}` : 'sent';
  return step.email.last_error ? `pending (${step.email.last_error})` : 'pending';
}

/** The dunning steps recorded on an invoice (in its details). */
export function InvoiceDunning({ invoice }: { invoice: Invoice }) {
  const steps = invoice.dunning?.steps ?? [];
  if (steps.length === 0) return null;
  return (
    <section aria-labelledby="invoice-dunning-title" data-testid="invoice-dunning">
      <h3 id="invoice-dunning-title" class="form-title">
        Dunning
      </h3>
      <div class="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">Step</th>
              <th scope="col">Action</th>
              <th scope="col">Recorded</th>
              <th scope="col">Status</th>
              <th scope="col">Email</th>
            </tr>
          </thead>
          <tbody>
            {steps.map((step) => (
              <tr key={`${step.after_days}:${step.action}`} data-action={step.action} data-status={step.status}>
                <td>
                  {step.step} · day {step.after_days}
                </td>
                <td>{ACTION_LABEL[step.action]}</td>
                <td>{date(step.at, { time: true })}</td>
                <td>
                  <span class={`badge ${STATUS_TONE[step.status]}`}>{step.status}</span>
                  {step.detail && <span class="muted small"> {step.detail}</span>}
                </td>
                <td>{emailState(step)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** "Suspended since … (invoice …)" with the button that lifts it; nothing when the customer is not suspended. */
export function SuspensionNotice({ customer, onChange }: { customer: Customer; onChange: () => void }) {
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const suspended = customer.suspended;
  if (!suspended) return null;
  const lift = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await api.post(`/v1/customers/${encodeURIComponent(customer.id)}/unsuspend`);
      onChange();
    } catch (caught) {
      setError(caught as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="notice" role="status" data-testid="customer-suspended">
      <span class="badge red">Suspended</span> Suspended since {date(suspended.at, { time: true })} (invoice{' '}
      <code>{suspended.invoice}</code>): {suspended.reason}. Its usage events are refused.{' '}
      <button type="button" class="ghost" disabled={busy} onClick={() => void lift()}>
        Unsuspend
      </button>
      {error && <ErrorNote error={error} />}
    </div>
  );
}

const scheduleText = (schedule: ScheduleStep[]) => schedule.map((s) => `${s.action}:${s.after_days}`).join(', ');

/** "reminder:3, retry:5" → steps (the API checks them and names what is wrong). */
function parseSchedule(text: string): ScheduleStep[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const [action = '', days = ''] = part.split(':').map((s) => s.trim());
      return { action: action as ScheduleStep['action'], after_days: Number(days) };
    });
}

/** The customer's dunning: the schedule that applies, and a form to change it. */
export function DunningCard({ customer, onChange }: { customer: Customer; onChange: () => void }) {
  const { dunning } = customer;
  const [enabled, setEnabled] = useState(dunning.enabled);
  const [text, setText] = useState(dunning.custom ? scheduleText(dunning.schedule) : '');
  const [error, setError] = useState<Error>();
  const save = async (body: unknown) => {
    setError(undefined);
    try {
      await api.patch(`/v1/customers/${encodeURIComponent(customer.id)}`, { dunning: body });
      onChange();
    } catch (caught) {
      setError(caught as Error);
    }
  };
  const submit = (event: Event) => {
    event.preventDefault();
    void save({ enabled, ...(text.trim() ? { schedule: parseSchedule(text) } : {}) });
  };
  return (
    <Card title="Dunning" id="customer-dunning">
      <p data-testid="customer-dunning-schedule">
        {dunning.enabled ? scheduleText(dunning.schedule) || 'no steps' : 'Off for this customer'}{' '}
        <span class="muted small">({dunning.custom ? 'own schedule' : 'default schedule'})</span>
      </p>
      <form class="toolbar" onSubmit={submit} aria-label="Dunning settings">
        <div class="field">
          <label for="dunning-enabled">
            <input
              id="dunning-enabled"
              type="checkbox"
              checked={enabled}
              onChange={(e) => setEnabled(e.currentTarget.checked)}
            />{' '}
            Dunning on
          </label>
        </div>
        <div class="field">
          <label for="dunning-schedule">Own schedule (empty: the default)</label>
          <input
            id="dunning-schedule"
            value={text}
            placeholder="reminder:3, retry:5, suspend:30"
            onInput={(e) => setText(e.currentTarget.value)}
          />
        </div>
        <button type="submit">Save dunning</button>
        {dunning.custom && (
          <button type="button" class="ghost" onClick={() => void save(null)}>
            Use the default
          </button>
        )}
      </form>
      {error && <ErrorNote error={error} />}
    </Card>
  );
}
