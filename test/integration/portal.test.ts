import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPortalToken } from '../../functions/app/portal-links.js';
import type { CheckoutRequest, PaymentProvider } from '../../functions/app/ports/payments.js';
import { applyPayment } from '../../functions/domain/billing/payment.js';
import { Decimal } from '../../functions/domain/decimal.js';
import { buildApiHandler } from '../../functions/handlers/api-app.js';
import type { ApiDeps } from '../../functions/handlers/deps.js';
import { lambdaContext } from '../../local/http-adapter.js';
import { SELLER_ENV, startTestStack, type TestClock, type TestStack, testClock } from '../support/stack.js';

/**
 * The customer portal on a real stack: links made with the admin key, then every portal route called
 * with the link's token only (no API key): the overview (balance, credits, live usage, upcoming
 * invoice), invoices and credit notes with their PDFs, pay-now; another customer's documents are 404;
 * expired, forged, tampered and truncated links are 401; hostile input is a 4xx.
 */
let stack: TestStack;
let clock: TestClock;
let seq = 0;
const SECRET = 'portal-test-secret-0123456789abcdefghijkl';
const OTHER_SECRET = 'some-other-secret-0123456789abcdefghijklmn';
const invoices: Record<string, any> = {};
let note: any;

async function ok(method: string, path: string, body?: unknown, status = 201) {
  const response = await stack.call(method, path, body);
  expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBe(status);
  return response.body;
}

/** A portal request: the token as bearer (never an API key), or none. */
const portal = (method: string, path: string, token: string | null) =>
  stack.call(method, path, undefined, { key: token });

async function linkFor(customer: string, body: unknown = {}) {
  return ok('POST', `/v1/customers/${customer}/portal-links`, body);
}

async function calls(subject: string, count: number, time: string) {
  const events = Array.from({ length: count }, () => ({
    specversion: '1.0',
    id: `${subject}-${seq++}`,
    source: 'test',
    type: 'api.call',
    subject,
    time,
  }));
  const response = await stack.call('POST', '/v1/events', events, {
    contentType: 'application/cloudevents-batch+json',
  });
  expect(response.body.accepted, JSON.stringify(response.body)).toBe(count);
}

/** An API Gateway event for the API handler called in this process (a handler with other deps). */
function event(method: string, path: string, headers: Record<string, string> = {}): APIGatewayProxyEventV2 {
  const now = new Date();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'local',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    isBase64Encoded: false,
  };
}

async function direct(deps: ApiDeps, method: string, path: string, headers: Record<string, string> = {}) {
  const handler = buildApiHandler(deps);
  const response = await handler(event(method, path, headers), lambdaContext(randomUUID()));
  return { status: response.statusCode, body: JSON.parse(response.body ?? 'null') };
}

beforeAll(async () => {
  clock = testClock('2026-10-01T00:00:00Z');
  stack = await startTestStack({
    clock,
    env: {
      ...SELLER_ENV,
      BILLING_PORTAL_SECRET: SECRET,
      BILLING_PAYMENT_ACCOUNT_HOLDER: 'Meterly GmbH',
      BILLING_PAYMENT_IBAN: 'DE89 3704 0044 0532 0130 00',
      BILLING_PAYMENT_BIC: 'COBADEFFXXX',
    },
  });
  await ok('POST', '/v1/meters', { key: 'api', name: 'API calls', event_type: 'api.call', aggregation: 'count' });
  await ok('POST', '/v1/plans', {
    key: 'pro',
    name: 'Pro',
    currency: 'EUR',
    interval: 'month',
    base_fee: { amount: '10.00', timing: 'in_arrears' },
    charges: [{ meter: 'api', display_name: 'API calls', price: { model: 'per_unit', unit_price: '0.25' } }],
  });
  for (const [id, extra] of [
    ['acme', {}],
    ['bolt', {}],
    // Its invoice stays a draft (ten days of grace): the portal never shows it.
    ['cora', { invoice_grace_hours: 240 }],
  ] as const) {
    await ok('POST', '/v1/customers', {
      id,
      name: `Customer ${id}`,
      email: `${id}@example.com`,
      currency: 'EUR',
      timezone: 'UTC',
      locale: 'en',
      tax_rate: '19',
      ...extra,
    });
    await ok('POST', '/v1/subscriptions', { id: `sub-${id}`, customer: id, plan: 'pro', start_date: '2026-10-01' });
  }
  clock.set('2026-10-20T12:00:00Z');
  for (const id of ['acme', 'bolt', 'cora']) await calls(id, 40, '2026-10-15T10:00:00Z');
  clock.set('2026-11-01T02:00:00Z');
  const run = await ok('POST', '/v1/billing-runs', { as_of: '2026-11-01T02:00:00Z' }, 200);
  expect(run.status, JSON.stringify(run)).toBe('succeeded');
  for (const id of ['acme', 'bolt', 'cora']) {
    const [invoice] = (await ok('GET', `/v1/invoices?customer=${id}`, undefined, 200)).data;
    invoices[id] = invoice;
  }
  expect(invoices.acme).toMatchObject({ status: 'finalized', total: '23.80' });
  expect(invoices.cora.status).toBe('draft');
  clock.set('2026-11-02T09:00:00Z');
  // acme: a credit note to its balance, prepaid credits, 10.00 paid by bank transfer, and November usage so far.
  const baseLine = invoices.acme.lines.findIndex((line: any) => line.kind === 'base_fee') + 1;
  note = await ok('POST', `/v1/invoices/${invoices.acme.id}/credit-notes`, {
    lines: [{ line: baseLine, amount: '5.00' }],
    reason: 'Goodwill',
    method: 'credit_balance',
  });
  await ok('POST', `/v1/invoices/${invoices.bolt.id}/credit-notes`, {
    lines: [{ line: baseLine, amount: '1.00' }],
    reason: 'Goodwill',
    method: 'credit_balance',
  });
  await ok('POST', '/v1/customers/acme/credit-grants', { name: 'Wallet', amount: '25', category: 'paid' });
  await stack.deps.invoices.update(
    invoices.acme.id,
    (inv) =>
      applyPayment(inv, {
        id: 'manual:ref1',
        source: 'manual',
        method: 'bank_transfer',
        amount: new Decimal('10'),
        currency: inv.currency,
        reference: 'ref1',
        receivedAt: clock().toISOString(),
      }).invoice,
  );
  await calls('acme', 8, '2026-11-02T08:00:00Z');
  clock.set('2026-11-03T09:00:00Z');
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

describe('portal links', () => {
  it('makes a signed link to the portal page that expires after 60 minutes by default', async () => {
    const link = await linkFor('acme');
    expect(link).toMatchObject({ customer: 'acme', expires_at: '2026-11-03T10:00:00.000Z' });
    expect(link.url).toBe(`${stack.url}/portal.html#${link.token}`);
    expect(link.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const longest = await linkFor('acme', { expires_in_minutes: 10_080 });
    expect(longest.expires_at).toBe('2026-11-10T09:00:00.000Z');
    expect(longest.token).not.toBe(link.token);
  });

  it('needs an admin key, and a customer that exists', async () => {
    expect((await stack.call('POST', '/v1/customers/acme/portal-links', {}, { key: null })).status).toBe(401);
    const { token } = await linkFor('acme');
    // A portal token is no API key.
    const withToken = await stack.call('POST', '/v1/customers/acme/portal-links', {}, { key: token });
    expect(withToken.status).toBe(401);
    expect((await stack.call('GET', '/v1/invoices?customer=acme', undefined, { key: token })).status).toBe(401);
    const unknown = await stack.call('POST', '/v1/customers/nobody/portal-links', {});
    expect(unknown.status).toBe(404);
  });

  it('refuses hostile input with a 4xx', async () => {
    const bodies: unknown[] = [
      { expires_in_minutes: 0 },
      { expires_in_minutes: -5 },
      { expires_in_minutes: 10_081 },
      { expires_in_minutes: 1.5 },
      { expires_in_minutes: '60' },
      { expires_in_minutes: null },
      { expires_in_minutes: true },
      { expires_in_minutes: [60] },
      { expires_in_minutes: 60, customer: 'bolt' },
      { 'bad \ud800': 1 },
      { 'bell \u0007': 1 },
      null,
      [],
      'x',
      60,
    ];
    for (const body of bodies) {
      const response = await stack.call('POST', '/v1/customers/acme/portal-links', body);
      expect(response.status, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
      expect(response.status, JSON.stringify(body)).toBeLessThan(500);
    }
    for (const raw of [
      '{"expires_in_minutes": 1e400}',
      `{"expires_in_minutes": ${'9'.repeat(400)}}`,
      '{"__proto__": {"expires_in_minutes": 5}}',
      '{"constructor": {"prototype": {}}}',
      '{"expires_in_minutes": "\\ud800"}',
      '{"expires_in_minutes": 60',
      '',
    ]) {
      const response = await stack.call('POST', '/v1/customers/acme/portal-links', undefined, { raw });
      expect(response.status, raw).toBeGreaterThanOrEqual(400);
      expect(response.status, raw).toBeLessThan(500);
    }
    for (const id of ['__proto__', 'constructor', '%00', 'a%0Ab', 'x'.repeat(300)]) {
      const response = await stack.call('POST', `/v1/customers/${id}/portal-links`, {});
      expect([400, 404], id).toContain(response.status);
    }
    expect(await stack.deps.customers.get('acme')).toMatchObject({ id: 'acme', name: 'Customer acme' });
  });

  it('answers 409 portal_not_configured without a signing secret', async () => {
    const deps = { ...stack.deps, config: { ...stack.deps.config, portalSecret: undefined } };
    const handler = buildApiHandler(deps);
    const withBody = await handler(
      {
        ...event('POST', '/v1/customers/acme/portal-links', {
          authorization: `Bearer ${stack.adminKey}`,
          'content-type': 'application/json',
        }),
        body: '{}',
      },
      lambdaContext(randomUUID()),
    );
    expect(withBody.statusCode).toBe(409);
    expect(JSON.parse(withBody.body ?? '').error.code).toBe('portal_not_configured');
    expect(JSON.parse(withBody.body ?? '').error.message).toContain('BILLING_PORTAL_SECRET');
  });
});

describe('the portal, with the link token and no API key', () => {
  it('shows the customer, its balance, credits, live usage, upcoming invoice and what it owes', async () => {
    const link = await linkFor('acme');
    const response = await portal('GET', '/v1/portal', link.token);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const overview = response.body;
    expect(overview.customer).toEqual({
      id: 'acme',
      name: 'Customer acme',
      email: 'acme@example.com',
      currency: 'EUR',
      timezone: 'UTC',
      locale: 'en',
    });
    expect(overview.link).toEqual({ expires_at: link.expires_at });
    expect(overview.balances).toEqual([{ currency: 'EUR', amount: note.total }]);
    expect(overview.credits).toEqual({
      currency: 'EUR',
      balance: '25.00',
      paid_balance: '25.00',
      promotional_balance: '0.00',
    });
    expect(overview.amount_owed).toEqual([{ currency: 'EUR', amount: '13.80' }]);
    expect(overview.usage).toEqual([{ meter: 'api', description: expect.any(String), quantity: '8', amount: '2.00' }]);
    expect(overview.upcoming_invoice).toMatchObject({
      plan: 'pro',
      currency: 'EUR',
      period_start: '2026-11-01T00:00:00.000Z',
      period_end: '2026-12-01T00:00:00.000Z',
    });
    expect(overview.payments).toEqual({ online: false });
    // Nothing of another customer.
    expect(JSON.stringify(overview)).not.toMatch(/bolt|cora/);
  });

  it('lists its own invoices with what each still owes, never a draft', async () => {
    const { token } = await linkFor('acme');
    const { body, status } = await portal('GET', '/v1/portal/invoices', token);
    expect(status).toBe(200);
    expect(body.data).toHaveLength(1);
    const [invoice] = body.data;
    expect(invoice).toMatchObject({
      id: invoices.acme.id,
      number: invoices.acme.number,
      status: 'finalized',
      payment_status: 'partially_paid',
      currency: 'EUR',
      total: '23.80',
      amount_paid: '10.00',
      amount_remaining: '13.80',
      credited_total: note.total,
      pdf: `/v1/portal/invoices/${invoices.acme.id}/pdf`,
      payment_instructions: { account_holder: 'Meterly GmbH', iban: 'DE89370400440532013000', bic: 'COBADEFFXXX' },
    });
    expect(invoice.payment_instructions.text).toContain(invoices.acme.number);
    // Only what the customer may see: no delivery records, buyer/seller blocks or lines' internals.
    expect(Object.keys(invoice)).not.toContain('delivery');
    expect(Object.keys(invoice)).not.toContain('customer');

    const cora = await linkFor('cora');
    const drafts = await portal('GET', '/v1/portal/invoices', cora.token);
    expect(drafts.body).toEqual({ data: [] });
    const draftPdf = await portal('GET', `/v1/portal/invoices/${invoices.cora.id}/pdf`, cora.token);
    expect(draftPdf.status).toBe(404);
  });

  it('serves its invoice and credit note PDFs, with the token as bearer or as ?token=', async () => {
    const { token } = await linkFor('acme');
    for (const path of [`/v1/portal/invoices/${invoices.acme.id}/pdf`, `/v1/portal/credit-notes/${note.id}/pdf`]) {
      for (const [url, key] of [
        [path, token],
        [`${path}?token=${encodeURIComponent(token)}`, null],
      ] as const) {
        const response = await fetch(`${stack.url}${url}`, {
          headers: key ? { authorization: `Bearer ${key}` } : {},
        });
        expect(response.status, url).toBe(200);
        expect(response.headers.get('content-type')).toBe('application/pdf');
        expect(response.headers.get('referrer-policy')).toBe('no-referrer');
        expect(
          Buffer.from(await response.arrayBuffer())
            .subarray(0, 5)
            .toString(),
        ).toBe('%PDF-');
      }
    }
  });

  it('lists its own credit notes', async () => {
    const { token } = await linkFor('acme');
    const { body, status } = await portal('GET', '/v1/portal/credit-notes', token);
    expect(status).toBe(200);
    expect(body.data).toEqual([
      {
        id: note.id,
        number: note.number,
        invoice_number: invoices.acme.number,
        currency: 'EUR',
        issue_date: '2026-11-02',
        reason: 'Goodwill',
        method: 'credit_balance',
        subtotal: '5.00',
        tax: '0.95',
        total: '5.95',
        pdf: `/v1/portal/credit-notes/${note.id}/pdf`,
      },
    ]);
  });

  it("answers 404 for another customer's invoice or credit note, as for one that does not exist", async () => {
    const { token } = await linkFor('acme');
    const [boltNote] = (await ok('GET', '/v1/credit-notes?customer=bolt', undefined, 200)).data;
    const paths = [
      `/v1/portal/invoices/${invoices.bolt.id}/pdf`,
      `/v1/portal/invoices/${invoices.cora.id}/pdf`,
      `/v1/portal/credit-notes/${boltNote.id}/pdf`,
      '/v1/portal/invoices/no-such-invoice/pdf',
      '/v1/portal/credit-notes/no-such-note/pdf',
      '/v1/portal/invoices/__proto__/pdf',
      '/v1/portal/credit-notes/constructor/pdf',
    ];
    for (const path of paths) {
      const response = await portal('GET', path, token);
      expect(response.status, path).toBe(404);
      expect(JSON.stringify(response.body), path).not.toMatch(/bolt|cora|Customer/);
    }
    const pay = await portal('POST', `/v1/portal/invoices/${invoices.bolt.id}/pay`, token);
    expect(pay.status).toBe(404);
  });

  it('pay now: 409 payments_not_configured without a payment provider, and nothing to pay on a paid invoice', async () => {
    const { token } = await linkFor('acme');
    const response = await portal('POST', `/v1/portal/invoices/${invoices.acme.id}/pay`, token);
    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe('payments_not_configured');
    const bolt = await linkFor('bolt');
    await ok(
      'POST',
      `/v1/invoices/${invoices.bolt.id}/mark-paid`,
      { paid_at: '2026-11-03T08:00:00Z', reference: 'bank-1' },
      200,
    );
    const paid = await portal('POST', `/v1/portal/invoices/${invoices.bolt.id}/pay`, bolt.token);
    expect(paid.status).toBe(409);
    expect(paid.body.error.code).toBe('invoice_not_payable');
  });

  it('pay now: a hosted payment page for what the invoice still owes, from the payment provider', async () => {
    const requests: CheckoutRequest[] = [];
    // The payment provider stands in for Stripe (an outside service): it only records the request.
    const payments: PaymentProvider = {
      name: 'stripe',
      collect: async () => {
        throw new Error('not used');
      },
      checkout: async (request) => {
        requests.push(request);
        return { id: 'cs_test_1', url: 'https://checkout.example/cs_test_1', expiresAt: '2026-11-04T09:00:00.000Z' };
      },
      refund: async () => {
        throw new Error('not used');
      },
      parseWebhook: () => {
        throw new Error('not used');
      },
    };
    const deps = { ...stack.deps, payments };
    const { token } = await linkFor('acme');
    const overview = await direct(deps, 'GET', '/v1/portal', { authorization: `Bearer ${token}` });
    expect(overview.body.payments).toEqual({ online: true });
    const response = await direct(deps, 'POST', `/v1/portal/invoices/${invoices.acme.id}/pay`, {
      authorization: `Bearer ${token}`,
    });
    expect(response).toEqual({
      status: 200,
      body: {
        url: 'https://checkout.example/cs_test_1',
        expires_at: '2026-11-04T09:00:00.000Z',
        amount: '13.80',
        currency: 'EUR',
      },
    });
    expect(requests).toEqual([
      {
        invoiceId: invoices.acme.id,
        invoiceNumber: invoices.acme.number,
        amount: '13.80',
        currency: 'EUR',
        description: `Invoice ${invoices.acme.number}`,
        returnUrl: `${stack.url}/portal.html?paid=${invoices.acme.number}`,
      },
    ]);
    // The return address carries no token.
    expect(requests[0]!.returnUrl).not.toContain(token);
  });
});

describe('links that are not valid', () => {
  it('answers 401 portal_link_expired once the link expired (the clock moved on)', async () => {
    const link = await linkFor('acme', { expires_in_minutes: 1 });
    expect((await portal('GET', '/v1/portal/invoices', link.token)).status).toBe(200);
    const start = clock.now.toISOString();
    try {
      clock.advance(60_000);
      for (const path of ['/v1/portal', '/v1/portal/invoices', `/v1/portal/invoices/${invoices.acme.id}/pdf`]) {
        const response = await portal('GET', path, link.token);
        expect(response.status, path).toBe(401);
        expect(response.body.error.code).toBe('portal_link_expired');
        expect(response.headers.get('www-authenticate')).toBe('Bearer');
      }
      const pdf = await fetch(
        `${stack.url}/v1/portal/invoices/${invoices.acme.id}/pdf?token=${encodeURIComponent(link.token)}`,
      );
      expect(pdf.status).toBe(401);
    } finally {
      clock.set(start);
    }
  });

  it('answers 401 portal_link_invalid to forged, re-signed, tampered and truncated links, and to API keys', async () => {
    const { token } = await linkFor('acme');
    const [payload, signature] = token.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const asBolt = Buffer.from(JSON.stringify({ ...claims, c: 'bolt' })).toString('base64url');
    const forged = [
      signPortalToken(OTHER_SECRET, { customerId: 'acme', expiresAt: new Date('2027-01-01T00:00:00Z'), linkId: 'x' }),
      signPortalToken(OTHER_SECRET, { customerId: 'bolt', expiresAt: new Date('2027-01-01T00:00:00Z'), linkId: 'x' }),
      `${asBolt}.${signature}`,
      `${payload}.${signature.slice(0, -1)}`,
      `${payload}.${signature.slice(0, -1)}${signature.endsWith('A') ? 'B' : 'A'}`,
      token.slice(0, -10),
      `${payload}.`,
      payload,
      `${token}.${signature}`,
      stack.adminKey,
      'null',
    ];
    for (const bad of forged) {
      const response = await portal('GET', '/v1/portal/invoices', bad);
      expect(response.status, bad).toBe(401);
      expect(response.body.error.code, bad).toBe('portal_link_invalid');
    }
    const missing = await portal('GET', '/v1/portal', null);
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe('portal_link_invalid');
    const basic = await fetch(`${stack.url}/v1/portal`, { headers: { authorization: `Basic ${token}` } });
    expect(basic.status).toBe(401);
  });

  it('refuses hostile tokens with a 4xx', async () => {
    const { token } = await linkFor('acme');
    const queries = [
      '?token=',
      '?token=%00',
      '?token=%ED%A0%80',
      '?token=%F0%9F%92%A9.%0A',
      `?token=${'A'.repeat(2000)}`,
      `?token=${encodeURIComponent(token)}&token=${encodeURIComponent(token)}`,
      `?token=${encodeURIComponent(token)}&extra=1`,
      '?__proto__=1',
      '?constructor=x',
    ];
    for (const query of queries) {
      const response = await portal('GET', `/v1/portal/invoices${query}`, null);
      expect(response.status, query).toBeGreaterThanOrEqual(400);
      expect(response.status, query).toBeLessThan(500);
    }
    // Headers no HTTP client would send, straight to the handler.
    for (const header of [`Bearer \ud800${token}`, 'Bearer \u0000', `Bearer ${token}\u0007`, 'Bearer', '']) {
      const response = await direct(stack.deps, 'GET', '/v1/portal', { authorization: header });
      expect(response.status, JSON.stringify(header)).toBe(401);
    }
  });
});
