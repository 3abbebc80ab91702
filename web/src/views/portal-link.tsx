import { useState } from 'preact/hooks';
import { ApiError, api } from '../api';
import type { components } from '../api-types';
import { date } from '../format';
import type { Customer } from '../types';
import { Card } from '../ui';

type PortalLink = components['schemas']['PortalLink'];

const LIFETIMES = [
  [60, '1 hour'],
  [24 * 60, '1 day'],
  [7 * 24 * 60, '7 days'],
] as const;

/**
 * Makes a link to the customer portal (POST /v1/customers/{id}/portal-links) to send to the customer:
 * it shows the customer its invoices, balance and usage without an API key, until it expires.
 */
export function PortalLinkCard({ customer }: { customer: Customer }) {
  const [minutes, setMinutes] = useState<number>(LIFETIMES[0][0]);
  const [link, setLink] = useState<PortalLink>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [copied, setCopied] = useState(false);
  const make = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setCopied(false);
    try {
      setLink(
        await api.post<PortalLink>(`/v1/customers/${encodeURIComponent(customer.id)}/portal-links`, {
          expires_in_minutes: minutes,
        }),
      );
    } catch (failure) {
      setLink(undefined);
      setError(failure instanceof ApiError ? `${failure.message} (${failure.code})` : (failure as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const copy = async () => {
    if (!link) return;
    try {
      await navigator.clipboard.writeText(link.url);
      setCopied(true);
    } catch {
      // No clipboard (plain http, or denied): the field is selected for Ctrl-C instead.
      (document.getElementById('portal-link-url') as HTMLInputElement | null)?.select();
    }
  };
  return (
    <Card title="Customer portal" id="customer-portal">
      <p class="muted small">
        A link that shows {customer.name} its invoices, credit notes, balance and usage, and lets it pay, without an API
        key. Whoever has the link can open it until it expires: send it to the customer only.
      </p>
      <form class="toolbar" onSubmit={make}>
        <div class="field">
          <label for="portal-link-lifetime">Link works for</label>
          <select
            id="portal-link-lifetime"
            value={String(minutes)}
            onChange={(e) => setMinutes(Number(e.currentTarget.value))}
          >
            {LIFETIMES.map(([value, label]) => (
              <option key={value} value={String(value)}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Making…' : 'Make portal link'}
        </button>
      </form>
      <div aria-live="polite">
        {error && (
          <p class="error" role="alert" data-testid="portal-link-error">
            {error}
          </p>
        )}
        {link && (
          <div data-testid="portal-link" data-expires={link.expires_at}>
            <div class="toolbar">
              <div class="field grow">
                <label for="portal-link-url">Portal link</label>
                <input id="portal-link-url" readOnly value={link.url} onFocus={(e) => e.currentTarget.select()} />
              </div>
              <button type="button" onClick={() => void copy()}>
                {copied ? 'Copied' : 'Copy'}
              </button>
            </div>
            <p class="muted small">Works until {date(link.expires_at, { time: true, timeZone: customer.timezone })}.</p>
          </div>
        )}
      </div>
    </Card>
  );
}
