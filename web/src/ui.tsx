import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api';
import { money } from './format';

export interface Async<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload: () => void;
}

/** Runs `load` when `deps` change; keeps the last data while reloading. */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[]): Async<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true, error: undefined }));
    load().then(
      (data) => live && setState({ data, loading: false }),
      (error: Error) => live && setState({ error, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

export function Card(props: {
  title?: ComponentChildren;
  actions?: ComponentChildren;
  children: ComponentChildren;
  class?: string;
  id?: string;
}) {
  const headingId = props.id ? `${props.id}-title` : undefined;
  return (
    <section class={`card ${props.class ?? ''}`} aria-labelledby={headingId} id={props.id}>
      {(props.title || props.actions) && (
        <header class="card-head">
          {props.title && <h2 id={headingId}>{props.title}</h2>}
          {props.actions && <div class="card-actions">{props.actions}</div>}
        </header>
      )}
      {props.children}
    </section>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p class="muted loading" role="status">
      {label}
    </p>
  );
}

export function ErrorNote({ error }: { error: Error }) {
  const text = error instanceof ApiError ? `${error.message} (${error.code})` : error.message;
  return (
    <p class="error" role="alert">
      {text}
    </p>
  );
}

/** Loading / error / content for one request. */
export function Show<T>({ state, children }: { state: Async<T>; children: (data: T) => ComponentChildren }) {
  if (state.error) return <ErrorNote error={state.error} />;
  if (state.data === undefined) return <Loading />;
  return <>{children(state.data)}</>;
}

export function Money({ amount, currency }: { amount: string; currency: string }) {
  return (
    <span class="num" data-amount={amount}>
      {money(amount, currency)}
    </span>
  );
}

const STATUS_TONE: Record<string, string> = {
  draft: 'amber',
  billed: 'green',
  finalized: 'blue',
  paid: 'green',
  void: 'grey',
  active: 'green',
  canceled: 'grey',
  pending: 'amber',
  sent: 'green',
  succeeded: 'green',
  running: 'blue',
  interrupted: 'amber',
  failed: 'red',
  processing: 'blue',
  payment_failed: 'red',
  partially_paid: 'amber',
  requires_action: 'amber',
  open: 'blue',
  requested: 'blue',
};

export function Badge({ status }: { status: string }) {
  return <span class={`badge ${STATUS_TONE[status] ?? 'grey'}`}>{status.replace(/_/g, ' ')}</span>;
}

/** A modal dialog (native <dialog>: focus is trapped, Escape closes it, focus returns to the opener). */
export function Dialog(props: {
  title: string;
  open: boolean;
  onClose: () => void;
  children: ComponentChildren;
  /** Wide enough for a table (an invoice's lines). */
  wide?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.open && !dialog.open) dialog.showModal();
    if (!props.open && dialog.open) dialog.close();
  }, [props.open]);
  return (
    <dialog
      ref={ref}
      class={props.wide ? 'wide' : undefined}
      aria-labelledby="dialog-title"
      onClose={props.onClose}
      onCancel={props.onClose}
    >
      {props.open && (
        <>
          <h2 id="dialog-title">{props.title}</h2>
          {props.children}
        </>
      )}
    </dialog>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="muted empty">{children}</p>;
}
