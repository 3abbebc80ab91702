/**
 * Outbound webhook events (Standard Webhooks): the event types, the envelope and which endpoint wants
 * which event. Pure: ids and times come in as arguments.
 */

export const WEBHOOK_EVENT_TYPES = [
  'invoice.draft_created',
  'invoice.finalized',
  'invoice.paid',
  'invoice.payment_failed',
  'invoice.voided',
  'credit_note.created',
  'customer.created',
  'customer.updated',
  'subscription.created',
  'subscription.changed',
  'subscription.canceled',
  'usage.alert_triggered',
  'credits.balance_low',
  'billing_run.completed',
  'billing_run.failed',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** What an event is about: the resource kind decides how `data` is shown (as the API shows it). */
export type WebhookResourceKind = 'invoice' | 'credit_note' | 'customer' | 'subscription' | 'billing_run' | 'alert';

/** An event as stored: the resource in its internal form (rendered for the wire at delivery time). */
export interface WebhookEvent {
  /** `evt_` + 24 hex digits: the `webhook-id` of every delivery of this event, retries included. */
  id: string;
  type: WebhookEventType;
  createdAt: string;
  resourceKind: WebhookResourceKind;
  resource: unknown;
}

/** The JSON body POSTed to an endpoint. */
export interface WebhookPayload {
  id: string;
  type: WebhookEventType;
  created_at: string;
  data: unknown;
}

/** The `source` of every event put on the deployment's EventBridge bus (rules match on it). */
export const EVENT_BUS_SOURCE = 'serverless-billing';

export const EVENT_ID_PATTERN = /^evt_[0-9a-f]{24}$/;

const RESOURCE_OF: Record<string, WebhookResourceKind> = {
  invoice: 'invoice',
  credit_note: 'credit_note',
  customer: 'customer',
  subscription: 'subscription',
  billing_run: 'billing_run',
  // usage.alert_triggered, credits.balance_low: the alert and its firing.
  usage: 'alert',
  credits: 'alert',
};

export function resourceKindOf(type: WebhookEventType): WebhookResourceKind | undefined {
  return RESOURCE_OF[type.slice(0, type.indexOf('.'))];
}

/** The event of a change: `id` is `evt_` + 24 hex digits made by the caller. */
export function webhookEvent(
  id: string,
  type: WebhookEventType,
  createdAt: string,
  resourceKind: WebhookResourceKind,
  resource: unknown,
): WebhookEvent {
  return { id, type, createdAt, resourceKind, resource };
}

/** The envelope, with the resource rendered as the API shows it. */
export function webhookPayload(event: WebhookEvent, data: unknown): WebhookPayload {
  return { id: event.id, type: event.type, created_at: event.createdAt, data };
}

/** Whether an endpoint subscribed to `events` (`*`: every type) wants an event of `type`. */
export function subscribes(events: readonly string[], type: WebhookEventType): boolean {
  return events.includes('*') || events.includes(type);
}

/** The delivery id of an event to one endpoint (also its queue message id). */
export const deliveryId = (eventId: string, endpointId: string) => `${eventId}~${endpointId}`;

export function parseDeliveryId(id: string): { eventId: string; endpointId: string } | undefined {
  const at = id.indexOf('~');
  if (at <= 0 || at === id.length - 1) return undefined;
  return { eventId: id.slice(0, at), endpointId: id.slice(at + 1) };
}

/**
 * The retry schedule: the delay before attempt n+1 after n failed ones (`delays[n-1]`); after the last
 * delay's attempt fails the delivery is dead.
 */
export function nextRetryDelay(delays: readonly number[], failedAttempts: number): number | undefined {
  return delays[failedAttempts - 1];
}

/** The URL, or why it is none: not absolute, or carrying credentials. */
function parseWebhookUrl(raw: string): URL | string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.username || url.password) return 'must not carry credentials';
  return url;
}

/**
 * The URL rule. Default (AWS): https only, and never to `localhost` or an IP literal that is loopback,
 * private, link-local (the instance metadata service) or otherwise not public ({@link isPrivateAddress}).
 * `allowPrivate` (BILLING_WEBHOOK_ALLOW_PRIVATE_URLS, local runs and tests): https anywhere, or http to
 * localhost / 127.0.0.1 (local receivers).
 */
export function webhookUrlProblem(raw: string, options: { allowPrivate?: boolean } = {}): string | undefined {
  const url = parseWebhookUrl(raw);
  if (typeof url === 'string') return url;
  if (options.allowPrivate) {
    if (url.protocol === 'https:') return undefined;
    if (url.protocol === 'http:' && (url.hostname === 'localhost' || url.hostname === '127.0.0.1')) return undefined;
    return 'must be https (http only for localhost or 127.0.0.1)';
  }
  if (url.protocol !== 'https:') return 'must be https';
  return hostProblem(url.hostname);
}

/**
 * The part of the URL rule that holds everywhere (the request schema's): an absolute http(s) URL
 * without credentials. {@link webhookUrlProblem} decides the rest with the configuration.
 */
export function webhookUrlShapeProblem(raw: string): string | undefined {
  const url = parseWebhookUrl(raw);
  if (typeof url === 'string') return url;
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be https';
  return undefined;
}

/**
 * Why a host (a URL's `hostname`: a name, an IPv4 literal, or a bracketed IPv6 literal) may not receive
 * webhooks, judged by its text alone; names are resolved and judged again at delivery time.
 */
export function hostProblem(hostname: string): string | undefined {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return 'must not point at localhost';
  const literal = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (isPrivateAddress(literal))
    return `must not point at a loopback, private, link-local or reserved address (${literal})`;
  return undefined;
}

/** The four bytes of a dotted IPv4 address, or undefined. */
function ipv4Bytes(text: string): number[] | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!match) return undefined;
  const bytes = match.slice(1).map(Number);
  return bytes.every((byte) => byte <= 255) ? bytes : undefined;
}

/** The sixteen bytes of an IPv6 address (`::` and a dotted IPv4 tail allowed, no zone), or undefined. */
function ipv6Bytes(text: string): number[] | undefined {
  if (!/^[0-9a-f:.]+$/i.test(text) || !text.includes(':')) return undefined;
  let body = text;
  const tail: number[] = [];
  const lastColon = body.lastIndexOf(':');
  if (body.slice(lastColon + 1).includes('.')) {
    const v4 = ipv4Bytes(body.slice(lastColon + 1));
    if (!v4) return undefined;
    tail.push(...v4);
    body = `${body.slice(0, lastColon + 1)}0:0`;
  }
  const halves = body.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const head = groups(halves[0] ?? '');
  const rest = halves.length === 2 ? groups(halves[1] ?? '') : [];
  const missing = 8 - head.length - rest.length;
  if ((halves.length === 2 && missing < 1) || (halves.length === 1 && missing !== 0)) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  if (all.some((group) => !/^[0-9a-f]{1,4}$/i.test(group))) return undefined;
  const bytes = all.flatMap((group) => {
    const value = Number.parseInt(group, 16);
    return [value >> 8, value & 0xff];
  });
  if (tail.length) bytes.splice(12, 4, ...tail);
  return bytes;
}

function privateIpv4([a = 0, b = 0]: number[]): boolean {
  return (
    a === 0 || // "this network", 0.0.0.0
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) || // carrier-grade NAT
    (a === 169 && b === 254) || // link-local, the instance metadata service
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 198 && (b === 18 || b === 19)) || // benchmarking
    a >= 224 // multicast, reserved, broadcast
  );
}

/**
 * Whether an IP address (text, as a URL or a DNS lookup gives it) is not a public unicast one:
 * loopback (127/8, ::1), private (10/8, 172.16/12, 192.168/16, fc00::/7), link-local (169.254/16,
 * fe80::/10: the metadata service), unspecified (0.0.0.0, ::), carrier-grade NAT, multicast and
 * reserved ranges, and IPv4 addresses wrapped in IPv6 (::ffff:a.b.c.d, 64:ff9b::/96). A name (not an
 * address) is not private by this test.
 */
export function isPrivateAddress(address: string): boolean {
  const v4 = ipv4Bytes(address);
  if (v4) return privateIpv4(v4);
  const v6 = ipv6Bytes(address);
  if (!v6) return false;
  const [b0 = 0, b1 = 0] = v6;
  const zeros = (from: number, to: number) => v6.slice(from, to).every((byte) => byte === 0);
  if (zeros(0, 15) && (v6[15] === 0 || v6[15] === 1)) return true; // ::, ::1
  if (zeros(0, 10) && v6[10] === 0xff && v6[11] === 0xff) return privateIpv4(v6.slice(12)); // ::ffff:a.b.c.d
  if (zeros(0, 12)) return privateIpv4(v6.slice(12)); // ::a.b.c.d (deprecated compatible form)
  if (b0 === 0x00 && b1 === 0x64 && v6[2] === 0xff && v6[3] === 0x9b && zeros(4, 12)) return privateIpv4(v6.slice(12));
  if ((b0 & 0xfe) === 0xfc) return true; // unique local fc00::/7
  if (b0 === 0xfe && (b1 & 0xc0) === 0x80) return true; // link-local fe80::/10
  if (b0 === 0xfe && (b1 & 0xc0) === 0xc0) return true; // site-local fec0::/10 (deprecated)
  if (b0 === 0xff) return true; // multicast
  return false;
}
