import type { components } from '../api-types';

/**
 * The portal's side of the API: every request carries the link's token (never an API key). The token
 * comes in the page's fragment (`portal.html#<token>`), which browsers never send to a server; it is
 * kept in this tab's sessionStorage so that a reload, or the way back from the payment page, still works.
 */
type Schemas = components['schemas'];
export type PortalOverview = Schemas['PortalOverview'];
export type PortalInvoice = Schemas['PortalInvoice'];
export type PortalCreditNote = Schemas['PortalCreditNote'];
export type PortalPayment = Schemas['PortalPayment'];

const TOKEN_STORAGE = 'billing.portalToken';

export class PortalError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'PortalError';
  }
}

/** The token of this tab: from the address (then taken out of it), else the one kept before. */
export function takeToken(): string | null {
  const fromHash = decodeURIComponent(window.location.hash.replace(/^#/, '')).trim();
  if (fromHash) {
    sessionStorage.setItem(TOKEN_STORAGE, fromHash);
    // Out of the address bar, history and bookmarks; the tab keeps it.
    history.replaceState(null, '', window.location.pathname + window.location.search);
    return fromHash;
  }
  return sessionStorage.getItem(TOKEN_STORAGE);
}

export function forgetToken(): void {
  sessionStorage.removeItem(TOKEN_STORAGE);
}

async function request<T>(token: string, method: string, path: string): Promise<T> {
  const response = await fetch(path, { method, headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) {
    let code = 'http_error';
    let message = `${response.status} ${response.statusText}`;
    try {
      const parsed = (await response.json()) as { error?: { code?: string; message?: string } };
      code = parsed.error?.code ?? code;
      message = parsed.error?.message ?? message;
    } catch {
      // not JSON
    }
    throw new PortalError(response.status, code, message);
  }
  return (await response.json()) as T;
}

export const portalApi = (token: string) => ({
  overview: () => request<PortalOverview>(token, 'GET', '/v1/portal'),
  invoices: async () => (await request<{ data: PortalInvoice[] }>(token, 'GET', '/v1/portal/invoices')).data,
  creditNotes: async () => (await request<{ data: PortalCreditNote[] }>(token, 'GET', '/v1/portal/credit-notes')).data,
  pay: (invoice: PortalInvoice) =>
    request<PortalPayment>(token, 'POST', `/v1/portal/invoices/${encodeURIComponent(invoice.id)}/pay`),
  /** A PDF the browser opens itself: the token rides in the query (the answer forbids Referers). */
  pdfUrl: (path: string) => `${path}?token=${encodeURIComponent(token)}`,
});
export type PortalApi = ReturnType<typeof portalApi>;
