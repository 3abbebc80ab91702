import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import Stripe from 'stripe';

/**
 * A local stand-in for the part of Stripe's API the payment adapter uses (Stripe itself cannot run
 * here): customers with or without a default payment method, PaymentIntents confirmed off-session
 * (the test card numbers' behaviour: `pm_card_visa` succeeds, `pm_card_chargeDeclined` is declined,
 * `pm_card_processing` stays processing), Checkout Sessions with a page that "pays" them, refunds,
 * and idempotency keys as Stripe honours them. The official SDK is pointed at it (host, port,
 * protocol); its webhooks are signed with the SDK's own test-header helper, and sent to the
 * configured endpoint the way Stripe sends them.
 *
 * Run alone for a local demo: `npx tsx local/stripe-stand-in.ts --webhook http://127.0.0.1:3000/v1/webhooks/stripe --secret whsec_local`
 */

type Json = Record<string, unknown>;

export interface StandInRequest {
  method: string;
  path: string;
  body: Json;
  idempotencyKey: string | undefined;
}

export interface StripeStandInOptions {
  /** Where events are posted (our `/v1/webhooks/stripe`), signed with `webhookSecret`. */
  webhookUrl?: string;
  webhookSecret?: string;
  /** Posts events by itself after the operations that cause them (as Stripe does). Default true when a webhook URL is set. */
  autoDeliver?: boolean;
  /** The time events carry (seconds since the epoch); default the wall clock. */
  now?: () => Date;
}

/** `a[b][0][c]=1` form fields → nested objects and arrays, as Stripe reads them. */
export function parseForm(text: string): Json {
  const root: Json = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const parts = key.replace(/\]/g, '').split('[');
    let node: Record<string, unknown> | unknown[] = root;
    parts.forEach((part, index) => {
      const last = index === parts.length - 1;
      const container = node as Record<string, unknown>;
      if (last) {
        container[part] = value;
        return;
      }
      const nextIsIndex = /^\d+$/.test(parts[index + 1] ?? '');
      container[part] ??= nextIsIndex ? [] : {};
      node = container[part] as Record<string, unknown>;
    });
  }
  return root;
}

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;

export class StripeStandIn {
  readonly requests: StandInRequest[] = [];
  readonly customers = new Map<string, Json>();
  readonly paymentIntents = new Map<string, Json>();
  readonly sessions = new Map<string, Json>();
  readonly refunds = new Map<string, Json>();
  /** Events made so far (posted or not), oldest first. */
  readonly events: Json[] = [];
  /** What each event delivery answered: the status code of our webhook route. */
  readonly deliveries: Array<{ event: string; status: number; body: string }> = [];
  private readonly idempotent = new Map<string, { status: number; body: Json }>();
  private readonly pending: Promise<unknown>[] = [];
  private server: Server | undefined;
  url = '';
  /**
   * Delivers the events an operation causes before answering it. Stripe promises no order between
   * a webhook and the API answer: this makes the webhook-first order certain in a test.
   */
  webhooksBeforeAnswer = false;

  constructor(private options: StripeStandInOptions = {}) {}

  /** Where events go (the receiver may start after the stand-in: it needs the stand-in's URL). */
  setWebhook(webhookUrl: string, webhookSecret: string): void {
    this.options = { ...this.options, webhookUrl, webhookSecret };
  }

  /** Changes a customer's default payment method (`null`: none on file). */
  setPaymentMethod(customerId: string, paymentMethod: string | null): void {
    const customer = this.customers.get(customerId);
    if (!customer) throw new Error(`no customer ${customerId}`);
    customer.invoice_settings = { default_payment_method: paymentMethod };
  }

  async start(port = 0): Promise<string> {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { type: 'api_error', message: String(error) } }));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    await this.settled();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Waits for the events posted by themselves so far. */
  async settled(): Promise<void> {
    while (this.pending.length > 0) await Promise.allSettled(this.pending.splice(0));
  }

  /** A customer (`payment_method`: its default; none: it has no payment method on file). */
  addCustomer(options: { id?: string; email?: string; payment_method?: string } = {}): string {
    const customerId = options.id ?? id('cus');
    this.customers.set(customerId, {
      id: customerId,
      object: 'customer',
      email: options.email ?? null,
      invoice_settings: { default_payment_method: options.payment_method ?? null },
    });
    return customerId;
  }

  /** A signed event as Stripe would send it (`created` from the stand-in's clock). */
  event(type: string, object: Json): { payload: string; id: string } {
    const event = {
      id: id('evt'),
      object: 'event',
      api_version: '2026-10-28.endive',
      created: Math.floor(this.now().getTime() / 1000),
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
      data: { object },
    };
    this.events.push(event);
    return { payload: JSON.stringify(event), id: event.id };
  }

  /** The Stripe-Signature header for a payload (the SDK's test helper), at the stand-in's time. */
  sign(payload: string, secret = this.options.webhookSecret ?? ''): string {
    return Stripe.webhooks.generateTestHeaderString({
      payload,
      secret,
      timestamp: Math.floor(this.now().getTime() / 1000),
    });
  }

  /** Posts an event to the webhook URL, signed; answers our route's status. */
  async deliver(payload: string, options: { signature?: string } = {}): Promise<number> {
    const url = this.options.webhookUrl;
    if (!url) throw new Error('the stand-in has no webhook URL');
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'stripe-signature': options.signature ?? this.sign(payload),
      },
      body: payload,
    });
    const body = await response.text();
    this.deliveries.push({ event: (JSON.parse(payload) as { id: string }).id, status: response.status, body });
    return response.status;
  }

  /** Marks a hosted page paid (the customer paid on it): a succeeded PaymentIntent and its webhook. */
  payCheckoutSession(sessionId: string): Json {
    const session = this.sessions.get(sessionId);
    if (!session) throw new Error(`no checkout session ${sessionId}`);
    const data = session.payment_intent_data as { metadata?: Json } | undefined;
    const intent = this.makeIntent({
      amount: session.amount_total as number,
      currency: session.currency as string,
      customer: (session.customer as string | null) ?? null,
      metadata: data?.metadata ?? {},
      status: 'succeeded',
    });
    session.status = 'complete';
    session.payment_status = 'paid';
    session.payment_intent = intent.id;
    this.emit('payment_intent.succeeded', intent);
    return intent;
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  private emit(type: string, object: Json): void {
    const { payload } = this.event(type, object);
    if (this.options.webhookUrl && (this.options.autoDeliver ?? true))
      this.pending.push(this.deliver(payload).catch(() => undefined));
  }

  private makeIntent(fields: {
    amount: number;
    currency: string;
    customer: string | null;
    metadata: Json;
    status: string;
    payment_method?: string | null;
    error?: string;
  }): Json {
    const intent: Json = {
      id: id('pi'),
      object: 'payment_intent',
      amount: fields.amount,
      amount_received: fields.status === 'succeeded' ? fields.amount : 0,
      currency: fields.currency,
      customer: fields.customer,
      payment_method: fields.payment_method ?? null,
      payment_method_types: ['card'],
      status: fields.status,
      metadata: fields.metadata,
      last_payment_error: fields.error ? { type: 'card_error', code: 'card_declined', message: fields.error } : null,
      latest_charge: id('ch'),
      created: Math.floor(this.now().getTime() / 1000),
    };
    this.paymentIntents.set(intent.id as string, intent);
    return intent;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const url = new URL(request.url ?? '/', 'http://stand-in');
    const text = Buffer.concat(chunks).toString('utf8');
    const body = request.method === 'GET' ? parseForm(url.search.slice(1)) : parseForm(text);
    const idempotencyKey = request.headers['idempotency-key'] as string | undefined;
    this.requests.push({ method: request.method ?? 'GET', path: url.pathname, body, idempotencyKey });
    const send = (status: number, json: Json) => {
      response.writeHead(status, { 'content-type': 'application/json', 'request-id': id('req') });
      response.end(JSON.stringify(json));
    };
    if (request.headers.authorization !== undefined && !/^Bearer sk_test_/.test(request.headers.authorization))
      return send(401, { error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } });
    const replayKey = idempotencyKey ? `${request.method} ${url.pathname} ${idempotencyKey}` : undefined;
    const replay = replayKey ? this.idempotent.get(replayKey) : undefined;
    if (replay) return send(replay.status, replay.body);
    const before = this.pending.length;
    const { status, json } = this.route(request.method ?? 'GET', url.pathname, body);
    if (replayKey && request.method === 'POST') this.idempotent.set(replayKey, { status, body: json });
    // Only the deliveries this request caused: the receiver reads back from the stand-in meanwhile.
    if (this.webhooksBeforeAnswer) await Promise.allSettled(this.pending.slice(before));
    send(status, json);
  }

  private route(method: string, path: string, body: Json): { status: number; json: Json } {
    const missing = (what: string) => ({
      status: 404,
      json: { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such ${what}` } },
    });
    /** The path's one variable segment, where it matches. */
    const at = (pattern: RegExp): string | undefined => pattern.exec(path)?.[1];
    const last = path.split('/').at(-1) ?? '';
    if (method === 'POST' && path === '/v1/customers') {
      const customerId = this.addCustomer({ ...(typeof body.email === 'string' ? { email: body.email } : {}) });
      return { status: 200, json: this.customers.get(customerId) as Json };
    }
    if (method === 'GET' && at(/^\/v1\/customers\/([^/]+)$/) !== undefined) {
      const customer = this.customers.get(last);
      return customer ? { status: 200, json: customer } : missing(`customer: '${last}'`);
    }
    if (method === 'POST' && path === '/v1/payment_intents') {
      const customer = typeof body.customer === 'string' ? body.customer : null;
      if (customer && !this.customers.has(customer)) return missing(`customer: '${customer}'`);
      const method = typeof body.payment_method === 'string' ? body.payment_method : null;
      const declined = method === 'pm_card_chargeDeclined';
      const intent = this.makeIntent({
        amount: Number(body.amount),
        currency: String(body.currency),
        customer,
        metadata: (body.metadata as Json | undefined) ?? {},
        payment_method: method,
        status: declined ? 'requires_payment_method' : method === 'pm_card_processing' ? 'processing' : 'succeeded',
        ...(declined ? { error: 'Your card was declined.' } : {}),
      });
      if (declined) {
        this.emit('payment_intent.payment_failed', intent);
        return {
          status: 402,
          json: {
            error: {
              type: 'card_error',
              code: 'card_declined',
              decline_code: 'generic_decline',
              message: 'Your card was declined.',
              payment_intent: intent,
            },
          },
        };
      }
      if (intent.status === 'succeeded') this.emit('payment_intent.succeeded', intent);
      return { status: 200, json: intent };
    }
    if (method === 'GET' && at(/^\/v1\/payment_intents\/([^/]+)$/) !== undefined) {
      const intent = this.paymentIntents.get(last);
      return intent ? { status: 200, json: intent } : missing(`payment_intent: '${last}'`);
    }
    if (method === 'POST' && path === '/v1/checkout/sessions') {
      const item = (body.line_items as Json[] | undefined)?.[0] as
        | { price_data: { currency: string; unit_amount: string }; quantity: string }
        | undefined;
      const sessionId = id('cs_test');
      const session: Json = {
        id: sessionId,
        object: 'checkout.session',
        mode: body.mode,
        customer: body.customer ?? null,
        currency: item?.price_data.currency,
        amount_total: Number(item?.price_data.unit_amount ?? 0) * Number(item?.quantity ?? 1),
        metadata: body.metadata ?? {},
        payment_intent_data: body.payment_intent_data ?? {},
        success_url: body.success_url,
        expires_at: Number(body.expires_at),
        status: 'open',
        payment_status: 'unpaid',
        url: `${this.url}/pay/${sessionId}`,
      };
      this.sessions.set(sessionId, session);
      return { status: 200, json: session };
    }
    if (method === 'POST' && path === '/v1/refunds') {
      const intent = this.paymentIntents.get(String(body.payment_intent));
      if (!intent) return missing(`payment_intent: '${String(body.payment_intent)}'`);
      const amount = body.amount === undefined ? (intent.amount_received as number) : Number(body.amount);
      const refunded = [...this.refunds.values()]
        .filter((r) => r.payment_intent === intent.id)
        .reduce((sum, r) => sum + (r.amount as number), 0);
      if (refunded + amount > (intent.amount_received as number))
        return {
          status: 400,
          json: {
            error: {
              type: 'invalid_request_error',
              code: 'charge_already_refunded',
              message: 'Refund exceeds the charge',
            },
          },
        };
      const refund: Json = {
        id: id('re'),
        object: 'refund',
        amount,
        currency: intent.currency,
        payment_intent: intent.id,
        charge: intent.latest_charge,
        metadata: body.metadata ?? {},
        status: 'succeeded',
        created: Math.floor(this.now().getTime() / 1000),
      };
      this.refunds.set(refund.id as string, refund);
      // As recent API versions send it: the charge without its refunds (the receiver lists them).
      this.emit('charge.refunded', {
        id: intent.latest_charge,
        object: 'charge',
        amount: intent.amount_received,
        amount_refunded: refunded + amount,
        currency: intent.currency,
        payment_intent: intent.id,
        metadata: {},
        refunded: refunded + amount === intent.amount_received,
      });
      return { status: 200, json: refund };
    }
    if (method === 'GET' && path === '/v1/refunds') {
      const data = [...this.refunds.values()].filter(
        (r) => !body.payment_intent || r.payment_intent === body.payment_intent,
      );
      return { status: 200, json: { object: 'list', data, has_more: false, url: '/v1/refunds' } };
    }
    if (method === 'POST' && at(/^\/pay\/([^/]+)$/) !== undefined) {
      if (!this.sessions.has(last)) return missing(`checkout session: '${last}'`);
      return { status: 200, json: this.payCheckoutSession(last) };
    }
    if (method === 'GET' && at(/^\/pay\/([^/]+)$/) !== undefined) {
      const session = this.sessions.get(last);
      return session ? { status: 200, json: session } : missing(`checkout session: '${last}'`);
    }
    return {
      status: 404,
      json: { error: { type: 'invalid_request_error', message: `Unrecognized request URL (${method}: ${path})` } },
    };
  }
}

/** `npx tsx local/stripe-stand-in.ts [--port N] [--webhook URL --secret whsec_…] [--customer cus_x:pm_card_visa …]` */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const value = (name: string) => {
    const index = args.indexOf(name);
    return index >= 0 ? args[index + 1] : undefined;
  };
  const webhookUrl = value('--webhook');
  const webhookSecret = value('--secret');
  const standIn = new StripeStandIn({
    ...(webhookUrl ? { webhookUrl } : {}),
    ...(webhookSecret ? { webhookSecret } : {}),
  });
  // --webhooks-first: each operation's events are delivered before it is answered (Stripe allows either order).
  standIn.webhooksBeforeAnswer = args.includes('--webhooks-first');
  const url = await standIn.start(Number(value('--port') ?? 0));
  args.forEach((arg, index) => {
    if (arg !== '--customer') return;
    const [customerId, paymentMethod] = (args[index + 1] ?? '').split(':');
    standIn.addCustomer({
      ...(customerId ? { id: customerId } : {}),
      ...(paymentMethod ? { payment_method: paymentMethod } : {}),
    });
  });
  process.stdout.write(
    `Stripe stand-in on ${url} (STRIPE_API_URL=${url}); pay a hosted page with: curl -X POST <its url>\n`,
  );
  const stop = () => void standIn.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
