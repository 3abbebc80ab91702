import { useState } from 'preact/hooks';
import { api } from '../api';
import { Field, FormOutcome, refusal } from '../forms';
import type {
  CreatedWebhookEndpoint,
  CreateWebhookEndpoint,
  WebhookDelivery,
  WebhookDeliveryList,
  WebhookEndpoint,
  WebhookEndpointList,
} from '../types';
import { Badge, Card, Dialog, Empty, Show, useAsync } from '../ui';

/**
 * Outbound webhooks (docs/integrations.md): the endpoints, creating one (its signing secret is shown
 * once, with a copy button), deleting one, an endpoint's delivery log and the retry of a dead delivery.
 */

const when = (iso: string) => iso.replace('T', ' ').slice(0, 19);

function CreateEndpoint({ onCreated }: { onCreated: () => void }) {
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState('*');
  const [description, setDescription] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ReturnType<typeof refusal>>({ fields: {} });
  const [created, setCreated] = useState<CreatedWebhookEndpoint | undefined>();
  const [copied, setCopied] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setProblem({ fields: {} });
    const body = {
      url: url.trim(),
      events: events
        .split(',')
        .map((type) => type.trim())
        .filter(Boolean),
      ...(description.trim() ? { description: description.trim() } : {}),
    } as CreateWebhookEndpoint;
    try {
      setCreated(await api.post<CreatedWebhookEndpoint>('/v1/webhook-endpoints', body));
      setCopied(false);
      setUrl('');
      setDescription('');
      onCreated();
    } catch (error) {
      setProblem(refusal(error, ['url', 'events', 'description']));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title="Add an endpoint" id="webhook-create">
      <form onSubmit={submit} data-testid="webhook-create-form">
        <Field
          id="webhook-url"
          label="URL"
          error={problem.fields.url}
          hint="https, to a public address (local runs: also http to localhost)"
        >
          {(aria) => <input {...aria} type="url" value={url} onInput={(e) => setUrl(e.currentTarget.value)} required />}
        </Field>
        <Field
          id="webhook-events"
          label="Events"
          error={problem.fields.events}
          hint='Comma-separated event types, e.g. "invoice.finalized, invoice.paid", or * for all'
        >
          {(aria) => <input {...aria} value={events} onInput={(e) => setEvents(e.currentTarget.value)} />}
        </Field>
        <Field id="webhook-description" label="Description (optional)" error={problem.fields.description}>
          {(aria) => <input {...aria} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />}
        </Field>
        <button type="submit" class="primary" disabled={busy || url.trim() === ''}>
          {busy ? 'Adding…' : 'Add endpoint'}
        </button>
        <FormOutcome error={problem.message} testId="webhook-create-error" />
      </form>
      <Dialog title="Signing secret" open={created !== undefined} onClose={() => setCreated(undefined)}>
        <p>
          The signing secret of <code>{created?.url}</code>. It is shown only now: store it where your receiver can read
          it.
        </p>
        <p>
          <code data-testid="webhook-secret">{created?.secret}</code>
        </p>
        <div class="card-actions">
          <button
            type="button"
            onClick={() => {
              void navigator.clipboard?.writeText(created?.secret ?? '').then(() => setCopied(true));
            }}
          >
            {copied ? 'Copied' : 'Copy secret'}
          </button>
          <button type="button" class="primary" onClick={() => setCreated(undefined)}>
            Done
          </button>
        </div>
      </Dialog>
    </Card>
  );
}

function Deliveries({ endpoint }: { endpoint: WebhookEndpoint }) {
  const state = useAsync(
    () => api.get<WebhookDeliveryList>(`/v1/webhook-endpoints/${encodeURIComponent(endpoint.id)}/deliveries`),
    [endpoint.id],
  );
  const [notice, setNotice] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const retry = async (delivery: WebhookDelivery) => {
    setError(undefined);
    try {
      await api.post(`/v1/webhook-deliveries/${encodeURIComponent(delivery.id)}/retry`);
      setNotice(`Retrying ${delivery.event_type} (${delivery.event_id}).`);
      state.reload();
    } catch (failure) {
      setError((failure as Error).message);
    }
  };
  return (
    <Show state={state}>
      {(list) =>
        list.data.length === 0 ? (
          <Empty>No deliveries yet.</Empty>
        ) : (
          <>
            <div class="table-scroll">
              <table data-testid="webhook-deliveries">
                <caption class="sr-only">Deliveries to {endpoint.url}, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Event</th>
                    <th scope="col">Status</th>
                    <th scope="col">Attempts</th>
                    <th scope="col">Last attempt</th>
                    <th scope="col">
                      <span class="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.data.map((delivery) => {
                    const last = delivery.attempts[delivery.attempts.length - 1];
                    return (
                      <tr key={delivery.id} data-status={delivery.status}>
                        <td>
                          {delivery.event_type}
                          <div class="muted small">{delivery.event_id}</div>
                        </td>
                        <td>
                          <Badge status={delivery.status} />
                        </td>
                        <td>{delivery.attempts.length}</td>
                        <td>
                          {last
                            ? `${when(last.at)} · ${last.status_code ?? '—'}${last.error ? ` · ${last.error}` : ''} · ${last.duration_ms} ms`
                            : '—'}
                        </td>
                        <td>
                          {(delivery.status === 'dead' || delivery.status === 'failed') && (
                            <button type="button" onClick={() => void retry(delivery)}>
                              Retry<span class="sr-only"> {delivery.event_id}</span>
                            </button>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            <FormOutcome error={error} notice={notice} testId="webhook-retry-error" />
          </>
        )
      }
    </Show>
  );
}

export function Webhooks() {
  const state = useAsync(() => api.get<WebhookEndpointList>('/v1/webhook-endpoints'), []);
  const [open, setOpen] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const remove = async (endpoint: WebhookEndpoint) => {
    if (!window.confirm(`Delete the endpoint ${endpoint.url}? It will receive nothing more.`)) return;
    setError(undefined);
    try {
      await api.delete(`/v1/webhook-endpoints/${encodeURIComponent(endpoint.id)}`);
      if (open === endpoint.id) setOpen(undefined);
      state.reload();
    } catch (failure) {
      setError((failure as Error).message);
    }
  };
  return (
    <>
      <div class="page-head">
        <h1>Webhooks</h1>
        <p class="muted">
          Signed HTTP callbacks (Standard Webhooks) for invoices, credit notes, customers and billing runs; failed
          deliveries are retried for about a day.
        </p>
      </div>
      <CreateEndpoint onCreated={state.reload} />
      <Card title="Endpoints" id="webhook-endpoints">
        <Show state={state}>
          {(list) =>
            list.data.length === 0 ? (
              <Empty>No webhook endpoints yet.</Empty>
            ) : (
              <ul class="plain-list" data-testid="webhook-endpoints">
                {list.data.map((endpoint) => (
                  <li key={endpoint.id} data-endpoint={endpoint.id}>
                    <div>
                      <strong>{endpoint.url}</strong>
                      {endpoint.description && <span class="muted"> · {endpoint.description}</span>}
                      <div class="muted small">{endpoint.events.join(', ')}</div>
                    </div>
                    <div class="card-actions">
                      <button
                        type="button"
                        aria-expanded={open === endpoint.id}
                        onClick={() => setOpen(open === endpoint.id ? undefined : endpoint.id)}
                      >
                        Deliveries<span class="sr-only"> of {endpoint.url}</span>
                      </button>
                      <button type="button" onClick={() => void remove(endpoint)}>
                        Delete<span class="sr-only"> {endpoint.url}</span>
                      </button>
                    </div>
                    {open === endpoint.id && <Deliveries endpoint={endpoint} />}
                  </li>
                ))}
              </ul>
            )
          }
        </Show>
        <FormOutcome error={error} testId="webhook-delete-error" />
      </Card>
    </>
  );
}
