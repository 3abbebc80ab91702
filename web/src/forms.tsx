import type { ComponentChildren } from 'preact';
import { ApiError } from './api';

/**
 * A refused request as the form shows it: the API's `details` by field (the first segment of each JSON
 * pointer, e.g. "/applies_to/plans/0" → "applies_to"), and whatever names no field as one message.
 */
export interface Refusal {
  fields: Record<string, string>;
  message?: string;
}

export function refusal(error: unknown, known: readonly string[]): Refusal {
  if (!(error instanceof ApiError)) return { fields: {}, message: (error as Error).message };
  const fields: Record<string, string> = {};
  const rest: string[] = [];
  for (const detail of error.details) {
    const field = detail.path.split('/').filter(Boolean)[0] ?? '';
    if (known.includes(field)) fields[field] = fields[field] ? `${fields[field]}; ${detail.message}` : detail.message;
    else rest.push(detail.path ? `${detail.path}: ${detail.message}` : detail.message);
  }
  const named = Object.keys(fields).length > 0;
  return {
    fields,
    ...(!named || rest.length > 0 ? { message: rest.length > 0 ? rest.join('; ') : error.message } : {}),
  };
}

/** A labelled form field with its hint and the API's complaint about it, tied to the control by id. */
export function Field(props: {
  id: string;
  label: string;
  error?: string;
  hint?: string;
  children: (aria: { id: string; 'aria-invalid'?: 'true'; 'aria-describedby'?: string }) => ComponentChildren;
}) {
  const errorId = `${props.id}-error`;
  const hintId = `${props.id}-hint`;
  const describedBy = [props.hint ? hintId : undefined, props.error ? errorId : undefined].filter(Boolean).join(' ');
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.children({
        id: props.id,
        ...(props.error ? { 'aria-invalid': 'true' as const } : {}),
        ...(describedBy ? { 'aria-describedby': describedBy } : {}),
      })}
      {props.hint && (
        <p id={hintId} class="muted small field-hint">
          {props.hint}
        </p>
      )}
      {props.error && (
        <p id={errorId} class="field-error small" data-testid={errorId}>
          {props.error}
        </p>
      )}
    </div>
  );
}

/** Under a form: the API's refusal (an alert) or what was done (a status), announced politely. */
export function FormOutcome(props: {
  error?: string | undefined;
  errorId?: string;
  testId: string;
  notice?: string | undefined;
}) {
  return (
    <div aria-live="polite">
      {props.error && (
        <p id={props.errorId} class="error" role="alert" data-testid={props.testId}>
          {props.error}
        </p>
      )}
      {props.notice && (
        <p class="notice" role="status">
          {props.notice}
        </p>
      )}
    </div>
  );
}
