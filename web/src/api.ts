import type { ApiErrorBody } from './types';

/** The billing API, same origin; the admin key lives in sessionStorage only (gone when the tab closes). */
const KEY_STORAGE = 'billing.apiKey';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Which fields of the request were refused, and why (a 4xx's `details`: JSON pointers into the body). */
    readonly details: NonNullable<ApiErrorBody['error']['details']> = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const session = {
  get key(): string | null {
    return sessionStorage.getItem(KEY_STORAGE);
  },
  set(key: string) {
    sessionStorage.setItem(KEY_STORAGE, key);
  },
  clear() {
    sessionStorage.removeItem(KEY_STORAGE);
  },
};

type Listener = () => void;
const unauthorizedListeners = new Set<Listener>();
/** Called when the API answers 401 (key revoked meanwhile): the app signs out. */
export const onUnauthorized = (listener: Listener) => {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
};

async function request(method: string, path: string, body?: unknown, key = session.key): Promise<Response> {
  const headers: Record<string, string> = {};
  if (key) headers.authorization = `Bearer ${key}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!response.ok) {
    let code = 'http_error';
    let message = `${response.status} ${response.statusText}`;
    let details: NonNullable<ApiErrorBody['error']['details']> = [];
    try {
      // Not every error comes from the API (a proxy's may be anything): each part may be missing.
      const parsed = (await response.json()) as { error?: Partial<ApiErrorBody['error']> };
      code = parsed.error?.code ?? code;
      message = parsed.error?.message ?? message;
      details = Array.isArray(parsed.error?.details) ? parsed.error.details : [];
    } catch {
      // not JSON
    }
    if (response.status === 401 && key === session.key) for (const listener of unauthorizedListeners) listener();
    throw new ApiError(response.status, code, message, details);
  }
  return response;
}

export const api = {
  async get<T>(path: string): Promise<T> {
    return (await (await request('GET', path)).json()) as T;
  },
  /** Without `body`, the request has none (actions such as resend or refresh take no input). */
  async post<T>(path: string, body?: unknown): Promise<T> {
    return (await (await request('POST', path, body)).json()) as T;
  },
  async patch<T>(path: string, body: unknown): Promise<T> {
    return (await (await request('PATCH', path, body)).json()) as T;
  },
  async delete<T>(path: string): Promise<T> {
    return (await (await request('DELETE', path)).json()) as T;
  },
  /** Checks a key before keeping it: an admin-only route must answer. */
  async verify(key: string): Promise<void> {
    await request('GET', '/v1/meters', undefined, key);
  },
  /** Downloads (or opens) an authenticated file: the key cannot ride on a plain link. */
  async download(path: string, filename: string, open = false): Promise<void> {
    const blob = await (await request('GET', path)).blob();
    const url = URL.createObjectURL(blob);
    if (open) window.open(url, '_blank', 'noopener');
    else {
      const link = document.createElement('a');
      link.href = url;
      link.download = filename;
      document.body.append(link);
      link.click();
      link.remove();
    }
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  },
};

export const qs = (params: Record<string, string | number | undefined>) =>
  new URLSearchParams(
    Object.entries(params)
      .filter((entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== '')
      .map(([k, v]) => [k, String(v)]),
  ).toString();
