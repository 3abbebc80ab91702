import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, onUnauthorized, session } from './api';
import { href, useRoute } from './router';
import './styles.css';
import { Alerts } from './views/alerts';
import { CustomerPage } from './views/customer';
import { Customers } from './views/customers';
import { Invoices } from './views/invoices';
import { Overview } from './views/overview';
import { Plans } from './views/plans';
import { Receivables } from './views/receivables';
import { Webhooks } from './views/webhooks';

function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await api.verify(key.trim());
      session.set(key.trim());
      onSignedIn();
    } catch (failure) {
      const status = failure instanceof ApiError ? failure.status : 0;
      setError(
        status === 401
          ? 'That API key is not valid or was revoked.'
          : status === 403
            ? 'That key may only post events. Sign in with an admin key.'
            : `Could not reach the API: ${(failure as Error).message}`,
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="signin">
      <form class="card signin-card" onSubmit={submit} aria-describedby={error ? 'signin-error' : undefined}>
        <div class="brand big">
          <span class="logo" aria-hidden="true" />
          Billing
        </div>
        <h1>Sign in</h1>
        <p class="muted">Use an admin API key. It is kept in this browser tab only and forgotten when you close it.</p>
        <label for="api-key">Admin API key</label>
        <input
          id="api-key"
          name="api-key"
          type="password"
          autocomplete="off"
          required
          value={key}
          onInput={(e) => setKey(e.currentTarget.value)}
          aria-invalid={error ? 'true' : undefined}
        />
        {error && (
          <p id="signin-error" class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy || key.trim() === ''}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}

const NAV = [
  ['overview', 'Overview'],
  ['customers', 'Customers'],
  ['invoices', 'Invoices'],
  ['receivables', 'Receivables'],
  ['plans', 'Plans & meters'],
  ['webhooks', 'Webhooks'],
  ['alerts', 'Alerts'],
] as const;

function App() {
  const [signedIn, setSignedIn] = useState(() => session.key !== null);
  const route = useRoute();
  useEffect(
    () =>
      onUnauthorized(() => {
        session.clear();
        setSignedIn(false);
      }),
    [],
  );
  useEffect(() => {
    const section = NAV.find(([id]) => id === route[0])?.[1] ?? 'Dashboard';
    document.title = `${section} · Billing`;
  }, [route]);
  if (!signedIn) return <SignIn onSignedIn={() => setSignedIn(true)} />;
  const [section = 'overview', id] = route;
  let page: preact.ComponentChildren;
  // Keyed by id: another customer's page starts empty, never showing the previous one's cards meanwhile.
  if (section === 'customers' && id) page = <CustomerPage key={id} id={id} />;
  else if (section === 'customers') page = <Customers />;
  else if (section === 'invoices') page = <Invoices open={id} />;
  else if (section === 'receivables') page = <Receivables />;
  else if (section === 'plans') page = <Plans />;
  else if (section === 'webhooks') page = <Webhooks />;
  else if (section === 'alerts') page = <Alerts key={id ?? ''} customerId={id} />;
  else page = <Overview />;
  return (
    <div class="shell">
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <div class="brand">
          <span class="logo" aria-hidden="true" />
          Billing
        </div>
        <nav aria-label="Main">
          <ul>
            {NAV.map(([target, label]) => (
              <li key={target}>
                <a href={href(target)} aria-current={section === target ? 'page' : undefined}>
                  {label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <button
          type="button"
          class="ghost signout"
          onClick={() => {
            session.clear();
            setSignedIn(false);
          }}
        >
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {page}
      </main>
    </div>
  );
}

render(<App />, document.getElementById('app')!);
