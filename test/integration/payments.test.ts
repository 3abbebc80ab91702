import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StripeStandIn } from '../../local/stripe-stand-in.js';
import { SELLER_ENV, startTestStack, type TestClock, type TestStack, testClock } from '../support/stack.js';

/**
 * Getting paid, through the HTTP API on a real stack (DynamoDB Local, local SQS and SES) with the
 * official Stripe SDK pointed at a local stand-in: collection at finalization (card on file, declined
 * card, no card → hosted page), webhooks signed with the SDK's test helper (and forged, stale,
 * replayed), manual and partial payments, overpayment to the balance, refunds of credit notes.
 */
const WEBHOOK_SECRET = 'whsec_test_payments_0123456789';
let stack: TestStack;
let clock: TestClock;
let stripe: StripeStandIn;
let seq = 0;

async function ok(method: string, path: string, body?: unknown, status = 201) {
  const response = await stack.call(method, path, body);
  expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBe(status);
  return response.body;
}

async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Posts a Stripe event to the webhook route: signed by the SDK's helper unless told otherwise. */
async function webhook(payload: string, signature: string | null = stripe.sign(payload, WEBHOOK_SECRET)) {
  return stack.call('POST', '/v1/webhooks/stripe', undefined, {
    key: null,
    raw: payload,
    ...(signature === null ? {} : { headers: { 'stripe-signature': signature } }),
  });
}

const CUSTOMERS = ['c-card', 'c-decline', 'c-link', 'c-manual', 'c-partial', 'c-hook', 'c-refund', 'c-race', 'c-gone'];
const invoices: Record<string, any> = {};
const stripeIds: Record<string, string> = {};
const invoiceOf = async (id: string) => ok('GET', `/v1/invoices/${invoices[id].id}`, undefined, 200);

beforeAll(async () => {
  clock = testClock('2026-10-01T00:00:00Z');
  stripe = new StripeStandIn({ now: clock });
  await stripe.start();
  stack = await startTestStack({
    clock,
    env: {
      ...SELLER_ENV,
      STRIPE_SECRET_KEY: 'sk_test_local_payments',
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_API_URL: stripe.url,
    },
    delivery: { pollIntervalMs: 50, sweepIntervalSeconds: 0 },
  });
  stripe.setWebhook(`${stack.url}/v1/webhooks/stripe`, WEBHOOK_SECRET);
  stripeIds['c-card'] = stripe.addCustomer({ payment_method: 'pm_card_visa' });
  stripeIds['c-decline'] = stripe.addCustomer({ payment_method: 'pm_card_chargeDeclined' });
  stripeIds['c-link'] = stripe.addCustomer({});
  stripeIds['c-refund'] = stripe.addCustomer({ payment_method: 'pm_card_visa' });
  // Linked to a Stripe customer that does not exist (deleted at Stripe, a typo).
  stripeIds['c-gone'] = 'cus_DoesNotExist';
  await ok('POST', '/v1/meters', { key: 'api', name: 'API calls', event_type: 'api.call', aggregation: 'count' });
  await ok('POST', '/v1/plans', {
    key: 'pro',
    name: 'Pro',
    currency: 'EUR',
    interval: 'month',
    base_fee: { amount: '10.00', timing: 'in_arrears' },
    charges: [{ meter: 'api', display_name: 'API calls', price: { model: 'per_unit', unit_price: '0.25' } }],
  });
  for (const id of CUSTOMERS) {
    await ok('POST', '/v1/customers', {
      id,
      name: `Customer ${id}`,
      email: `${id}@example.com`,
      currency: 'EUR',
      timezone: 'Europe/Berlin',
      locale: 'en',
      tax_rate: '19',
      ...(stripeIds[id] ? { stripe_customer_id: stripeIds[id] } : {}),
    });
    await ok('POST', '/v1/subscriptions', { id: `sub-${id}`, customer: id, plan: 'pro', start_date: '2026-10-01' });
  }
  clock.set('2026-10-20T12:00:00Z');
  const events = CUSTOMERS.flatMap((subject) =>
    Array.from({ length: 360 }, () => ({
      specversion: '1.0',
      id: `${subject}-${seq++}`,
      source: 'test',
      type: 'api.call',
      subject,
      time: '2026-10-15T10:00:00Z',
    })),
  );
  for (let i = 0; i < events.length; i += 500) {
    const response = await stack.call('POST', '/v1/events', events.slice(i, i + 500), {
      contentType: 'application/cloudevents-batch+json',
    });
    expect(response.status, JSON.stringify(response.body)).toBeLessThan(300);
  }
  clock.set('2026-11-01T02:00:00Z');
  const run = await ok('POST', '/v1/billing-runs', { as_of: '2026-11-01T02:00:00Z' }, 200);
  expect(run.status, JSON.stringify(run)).toBe('succeeded');
  for (const id of CUSTOMERS) {
    const [invoice] = (await ok('GET', `/v1/invoices?customer=${id}`, undefined, 200)).data;
    expect([invoice.total, invoice.amount_due]).toEqual(['119.00', '119.00']);
    invoices[id] = invoice;
  }
  // The collection tasks ran (delivery poller) and the stand-in's own webhooks arrived.
  for (const id of ['c-card', 'c-decline', 'c-link', 'c-refund', 'c-gone'])
    await eventually(`the collection of ${id}`, async () =>
      (await invoiceOf(id)).payment_attempts ? true : undefined,
    );
  await stripe.settled();
}, 180_000);

afterAll(async () => {
  await stack?.stop();
  await stripe?.stop();
});

describe('collection at finalization', () => {
  it('charges the default payment method off-session, once, keyed by the invoice id', async () => {
    const invoice = await invoiceOf('c-card');
    expect(invoice.collection).toBe('automatic');
    expect(invoice).toMatchObject({
      status: 'paid',
      payment_status: 'paid',
      amount_paid: '119.00',
      amount_remaining: '0.00',
    });
    expect(invoice.payment_attempts).toMatchObject([{ kind: 'charge', status: 'succeeded', amount: '119.00' }]);
    expect(invoice.payments).toMatchObject([
      { source: 'provider', amount: '119.00', applied: '119.00', overpaid: '0.00' },
    ]);
    const created = stripe.requests.filter(
      (r) => r.path === '/v1/payment_intents' && (r.body.metadata as any)?.invoice_id === invoice.id,
    );
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({
      idempotencyKey: `invoice-${invoice.id}-0`,
      body: { amount: '11900', currency: 'eur', customer: stripeIds['c-card'], off_session: 'true', confirm: 'true' },
    });
    // Its payment_intent.succeeded webhook came too: applied once (the payment was recorded already).
    const delivered = stripe.deliveries.filter((d) => d.status === 200);
    expect(delivered.length).toBeGreaterThan(0);
    expect(stripe.deliveries.every((d) => d.status === 200)).toBe(true);
  });

  it('records a declined card as payment_failed, and a retry after a new card pays', async () => {
    let invoice = await invoiceOf('c-decline');
    expect(invoice).toMatchObject({
      status: 'finalized',
      payment_status: 'payment_failed',
      amount_remaining: '119.00',
    });
    expect(invoice.payment_attempts).toMatchObject([
      { kind: 'charge', status: 'failed', error: 'Your card was declined.' },
    ]);
    stripe.setPaymentMethod(stripeIds['c-decline']!, 'pm_card_visa');
    invoice = await ok('POST', `/v1/invoices/${invoice.id}/collect`, undefined, 200);
    expect(invoice).toMatchObject({ status: 'paid', payment_status: 'paid', amount_paid: '119.00' });
    expect(invoice.payment_attempts.map((a: any) => a.status)).toEqual(['failed', 'succeeded']);
    const keys = stripe.requests
      .filter((r) => r.path === '/v1/payment_intents' && (r.body.metadata as any)?.invoice_id === invoice.id)
      .map((r) => r.idempotencyKey);
    expect(keys).toEqual([`invoice-${invoice.id}-0`, `invoice-${invoice.id}-1`]);
    // Nothing owed: collecting again is refused, nothing is charged.
    const again = await stack.call('POST', `/v1/invoices/${invoice.id}/collect`);
    expect(again.status).toBe(409);
  });

  it('gives a customer without a payment method a hosted page; paying it there pays the invoice by webhook', async () => {
    let invoice = await invoiceOf('c-link');
    expect(invoice.status).toBe('finalized');
    const [attempt] = invoice.payment_attempts;
    expect(attempt).toMatchObject({ kind: 'payment_link', status: 'open', amount: '119.00' });
    expect(attempt.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/pay\/cs_test_/);
    const paid = await fetch(attempt.url, { method: 'POST' });
    expect(paid.status).toBe(200);
    await stripe.settled();
    invoice = await invoiceOf('c-link');
    expect(invoice).toMatchObject({ status: 'paid', amount_paid: '119.00', amount_remaining: '0.00' });
    expect(invoice.payments[0]).toMatchObject({ source: 'provider', method: 'card', amount: '119.00' });
  });
  it('records a refusal by Stripe (no such customer) as a failed try, and so does a retry through the API', async () => {
    const invoice = await invoiceOf('c-gone');
    expect(invoice).toMatchObject({ status: 'finalized', payment_status: 'payment_failed' });
    expect(invoice.payment_attempts[0].error).toMatch(/No such customer/);
    const retry = await stack.call('POST', `/v1/invoices/${invoice.id}/collect`);
    expect(retry.status).toBe(200);
    expect(retry.body.payment_attempts).toHaveLength(2);
  });
});

describe('Stripe webhooks', () => {
  const intentFor = (invoiceId: string, amount: number, id = `pi_hook_${seq++}`) => ({
    id,
    object: 'payment_intent',
    amount,
    amount_received: amount,
    currency: 'eur',
    status: 'succeeded',
    payment_method_types: ['sepa_debit'],
    metadata: { invoice_id: invoiceId },
  });

  it('refuses a forged, missing, stale or tampered signature with 400 and changes nothing', async () => {
    const target = invoices['c-hook'];
    const before = await invoiceOf('c-hook');
    const { payload } = stripe.event('payment_intent.succeeded', intentFor(target.id, 11900));
    const forged = Stripe.webhooks.generateTestHeaderString({
      payload,
      secret: 'whsec_someone_else',
      timestamp: Math.floor(clock().getTime() / 1000),
    });
    const stale = Stripe.webhooks.generateTestHeaderString({
      payload,
      secret: WEBHOOK_SECRET,
      timestamp: Math.floor(clock().getTime() / 1000) - 3600,
    });
    for (const [what, response] of [
      ['forged', await webhook(payload, forged)],
      ['missing', await webhook(payload, null)],
      ['stale', await webhook(payload, stale)],
      ['tampered', await webhook(payload.replace('11900', '99900'), stripe.sign(payload, WEBHOOK_SECRET))],
      ['garbage', await webhook(payload, 't=1,v1=00')],
    ] as const) {
      expect(response.status, `${what}: ${JSON.stringify(response.body)}`).toBe(400);
      expect(response.body.error.code).toBe('invalid_signature');
    }
    expect(await invoiceOf('c-hook')).toEqual(before);
  });

  it('applies a partial payment, then the rest; a replayed event is applied once', async () => {
    const target = invoices['c-hook'];
    const first = stripe.event('payment_intent.succeeded', intentFor(target.id, 5000));
    const signature = stripe.sign(first.payload, WEBHOOK_SECRET);
    const applied = await webhook(first.payload, signature);
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    expect(applied.body).toMatchObject({ received: true, outcome: 'applied', event: first.id, invoice: target.id });
    let invoice = await invoiceOf('c-hook');
    expect(invoice).toMatchObject({
      status: 'finalized',
      payment_status: 'partially_paid',
      amount_due: '119.00',
      amount_paid: '50.00',
      amount_remaining: '69.00',
    });
    const partly = await ok(
      'GET',
      '/v1/reports/revenue?from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z&group_by=customer',
      undefined,
      200,
    );
    expect(partly.groups.find((g: any) => g.key === 'c-hook')).toMatchObject({ paid: '50.00', outstanding: '69.00' });
    // The same delivery again (Stripe retries), and three at once: nothing more is recorded.
    const replays = await Promise.all([1, 2, 3, 4].map(() => webhook(first.payload, signature)));
    for (const replay of replays) expect(replay.body.outcome).toBe('duplicate');
    expect(await invoiceOf('c-hook')).toEqual(invoice);
    const rest = stripe.event('payment_intent.succeeded', intentFor(target.id, 6900));
    expect((await webhook(rest.payload)).body.outcome).toBe('applied');
    invoice = await invoiceOf('c-hook');
    expect(invoice).toMatchObject({
      status: 'paid',
      payment_status: 'paid',
      amount_paid: '119.00',
      amount_remaining: '0.00',
    });
    expect(invoice.payments.map((p: any) => [p.method, p.applied])).toEqual([
      ['sepa_debit', '50.00'],
      ['sepa_debit', '69.00'],
    ]);
    // The revenue figures count what was received: the partial payment, then all of it.
    const revenue = await ok(
      'GET',
      '/v1/reports/revenue?from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z&group_by=customer',
      undefined,
      200,
    );
    expect(revenue.groups.find((g: any) => g.key === 'c-hook')).toMatchObject({
      total: '119.00',
      paid: '119.00',
      outstanding: '0.00',
    });
  });

  it('acknowledges events it does not act on, and events of unknown invoices, without changing anything', async () => {
    const other = stripe.event('customer.created', { id: 'cus_x', object: 'customer' });
    expect((await webhook(other.payload)).body).toMatchObject({ outcome: 'ignored', event: other.id });
    const unknown = stripe.event('payment_intent.succeeded', intentFor('inv_does_not_exist', 100));
    const response = await webhook(unknown.payload);
    expect(response.status).toBe(200);
    expect(response.body.outcome).toBe('ignored');
    expect((await webhook(unknown.payload)).body.outcome).toBe('duplicate');
  });

  it('marks payment_failed from the webhook, which a later success clears', async () => {
    const target = invoices['c-partial'];
    const failed = stripe.event('payment_intent.payment_failed', {
      ...intentFor(target.id, 11900, 'pi_failing_1'),
      amount_received: 0,
      status: 'requires_payment_method',
      last_payment_error: { message: 'Insufficient funds.' },
    });
    expect((await webhook(failed.payload)).body.outcome).toBe('applied');
    const invoice = await invoiceOf('c-partial');
    expect(invoice).toMatchObject({
      status: 'finalized',
      payment_status: 'payment_failed',
      amount_remaining: '119.00',
    });
    expect(invoice.payment_attempts).toMatchObject([
      { id: 'pi_failing_1', status: 'failed', error: 'Insufficient funds.' },
    ]);
  });
});

describe('manual payments', () => {
  it('records partial bank transfers; an overpayment goes to the customer balance; the same reference records once', async () => {
    const target = invoices['c-manual'];
    const first = await ok('POST', `/v1/invoices/${target.id}/payments`, { amount: '50.00', reference: 'SEPA-0001' });
    expect(first.payment).toMatchObject({
      amount: '50.00',
      applied: '50.00',
      overpaid: '0.00',
      method: 'bank_transfer',
    });
    expect(first.invoice).toMatchObject({
      status: 'finalized',
      payment_status: 'partially_paid',
      amount_remaining: '69.00',
    });
    const again = await stack.call('POST', `/v1/invoices/${target.id}/payments`, {
      amount: '50.00',
      reference: 'SEPA-0001',
    });
    expect(again.status).toBe(200);
    expect(again.body.invoice.amount_paid).toBe('50.00');
    const clash = await stack.call('POST', `/v1/invoices/${target.id}/payments`, {
      amount: '51.00',
      reference: 'SEPA-0001',
    });
    expect(clash.status).toBe(409);
    expect(clash.body.error.code).toBe('payment_conflict');
    const second = await ok('POST', `/v1/invoices/${target.id}/payments`, {
      amount: '80',
      reference: 'SEPA-0002',
      paid_at: '2026-11-02T10:00:00Z',
    });
    expect(second.payment).toMatchObject({ amount: '80.00', applied: '69.00', overpaid: '11.00' });
    expect(second.invoice).toMatchObject({
      status: 'paid',
      amount_paid: '119.00',
      amount_remaining: '0.00',
      payment: { paid_at: '2026-11-02T10:00:00.000Z', reference: 'SEPA-0002' },
    });
    const balance = await ok('GET', '/v1/customers/c-manual/balance', undefined, 200);
    expect(balance.balances).toEqual([expect.objectContaining({ currency: 'EUR', amount: '11.00' })]);
    expect(balance.ledger).toEqual([
      expect.objectContaining({ type: 'overpayment', amount: '11.00', invoice: target.id }),
    ]);
    // A paid invoice takes no more payments by hand.
    const more = await stack.call('POST', `/v1/invoices/${target.id}/payments`, {
      amount: '1',
      reference: 'SEPA-0003',
    });
    expect(more.status).toBe(409);
  });

  it('refuses hostile input with 400 naming the field, and changes nothing', async () => {
    const target = invoices['c-partial'];
    const before = await invoiceOf('c-partial');
    const cases: Array<[unknown, string]> = [
      [{ amount: true, reference: 'x' }, '/amount'],
      [{ amount: '10', reference: 12 }, '/reference'],
      [{ amount: '-1', reference: 'x' }, '/amount'],
      [{ amount: '0', reference: 'x' }, '/amount'],
      [{ amount: '1e400', reference: 'x' }, '/amount'],
      [{ amount: '9'.repeat(400), reference: 'x' }, '/amount'],
      [{ amount: '0.000000000000000000001', reference: 'x' }, '/amount'],
      [{ amount: '10', reference: '' }, '/reference'],
      [{ amount: '10', reference: 'a\u0000b' }, '/reference'],
      [{ amount: '10', reference: 'a\ud800' }, '/reference'],
      [{ amount: '10', reference: 'x', method: 'bitcoin' }, '/method'],
      [{ amount: '10', reference: 'x', paid_at: 'yesterday' }, '/paid_at'],
      [{ amount: '10', reference: 'x', constructor: 'y' }, ''],
      [{ reference: 'x' }, '/amount'],
    ];
    for (const [body, field] of cases) {
      const response = await stack.call('POST', `/v1/invoices/${target.id}/payments`, body);
      expect(response.status, `${JSON.stringify(body)} → ${JSON.stringify(response.body)}`).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      if (field) expect(JSON.stringify(response.body.error.details ?? []), JSON.stringify(body)).toContain(field);
    }
    const proto = await stack.call('POST', `/v1/invoices/${target.id}/payments`, undefined, {
      raw: '{"amount":"10","reference":"x","__proto__":{"amount":"99"}}',
    });
    expect(proto.status).toBe(400);
    const missing = await stack.call('POST', '/v1/invoices/inv_nope/payments', { amount: '10', reference: 'x' });
    expect(missing.status).toBe(404);
    const hook = await stack.call('POST', '/v1/webhooks/stripe', undefined, { key: null, raw: '{"id":' });
    expect(hook.status).toBe(400);
    const refund = await stack.call('POST', '/v1/credit-notes/cn_nope/refund', { reference: 'x' });
    expect(refund.status).toBe(404);
    expect(await invoiceOf('c-partial')).toEqual(before);
  });
});

describe('races', () => {
  it('8 payments by hand and 4 webhook payments at once: the invoice takes exactly what it owes, the rest is on the balance', async () => {
    const target = invoices['c-race'];
    const manual = Array.from({ length: 8 }, (_, i) =>
      stack.call('POST', `/v1/invoices/${target.id}/payments`, { amount: '20.00', reference: `RACE-${i}` }),
    );
    const hooks = Array.from({ length: 4 }, (_, i) => {
      const { payload } = stripe.event('payment_intent.succeeded', {
        id: `pi_race_${i}`,
        object: 'payment_intent',
        amount: 1500,
        amount_received: 1500,
        currency: 'eur',
        status: 'succeeded',
        payment_method_types: ['card'],
        metadata: { invoice_id: target.id },
      });
      return webhook(payload);
    });
    const responses = await Promise.all([...manual, ...hooks]);
    // Payments by hand that arrive after it is paid are refused (409); webhook money is always kept.
    const accepted = responses.slice(0, 8).filter((r) => r.status === 201);
    for (const r of responses.slice(0, 8)) expect([201, 409]).toContain(r.status);
    for (const r of responses.slice(8)) expect(r.body.outcome).toBe('applied');
    const invoice = await invoiceOf('c-race');
    expect(invoice).toMatchObject({ status: 'paid', amount_paid: '119.00', amount_remaining: '0.00' });
    const received = invoice.payments.reduce((sum: number, p: any) => sum + Math.round(Number(p.amount) * 100), 0);
    const overpaid = invoice.payments.reduce((sum: number, p: any) => sum + Math.round(Number(p.overpaid) * 100), 0);
    expect(received).toBe(accepted.length * 2000 + 4 * 1500);
    expect(received - overpaid).toBe(11900);
    const balance = await ok('GET', '/v1/customers/c-race/balance', undefined, 200);
    const onBalance = balance.balances.find((b: any) => b.currency === 'EUR')?.amount ?? '0.00';
    expect(Math.round(Number(onBalance) * 100)).toBe(overpaid);
  });
});

describe('refunds', () => {
  it('pays out a refund credit note through Stripe once; the charge.refunded webhook records it', async () => {
    const invoice = await invoiceOf('c-refund');
    expect(invoice.status).toBe('paid');
    const usage = invoice.lines.findIndex((line: any) => line.kind === 'usage') + 1;
    const note = await ok('POST', `/v1/invoices/${invoice.id}/credit-notes`, {
      lines: [{ line: usage, amount: '20.00' }],
      reason: 'Outage',
      method: 'refund',
    });
    expect(note.refund).toMatchObject({ status: 'pending', amount: '23.80' });
    const refunded = await eventually('the refund', async () => {
      const current = await ok('GET', `/v1/credit-notes/${note.id}`, undefined, 200);
      return current.refund.status === 'succeeded' ? current : undefined;
    });
    expect(refunded.refund).toMatchObject({ amount: '23.80', payment_id: invoice.payments[0].id });
    const calls = stripe.requests.filter((r) => r.path === '/v1/refunds' && r.method === 'POST');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ idempotencyKey: `credit-note-${note.id}`, body: { amount: '2380' } });
    await stripe.settled();
    const after = await invoiceOf('c-refund');
    expect(after.refunds, JSON.stringify(stripe.deliveries.slice(-3))).toMatchObject([
      { amount: '23.80', status: 'succeeded', credit_note: note.id },
    ]);
    // A refund at the provider is not recorded by hand.
    const manual = await stack.call('POST', `/v1/credit-notes/${note.id}/refund`, { reference: 'x' });
    expect(manual.status).toBe(409);
  });

  it('names the refunded payment when the charge.refunded webhook lands before the refund call returns', async () => {
    const invoice = await invoiceOf('c-refund');
    const usage = invoice.lines.findIndex((line: any) => line.kind === 'usage') + 1;
    stripe.webhooksBeforeAnswer = true;
    try {
      const note = await ok('POST', `/v1/invoices/${invoice.id}/credit-notes`, {
        lines: [{ line: usage, amount: '10.00' }],
        reason: 'Second outage',
        method: 'refund',
      });
      const refunded = await eventually('the refund', async () => {
        const current = await ok('GET', `/v1/credit-notes/${note.id}`, undefined, 200);
        return current.refund.status === 'succeeded' ? current : undefined;
      });
      expect(refunded.refund).toMatchObject({ amount: '11.90', payment_id: invoice.payments[0].id });
      await stripe.settled();
      const after = await invoiceOf('c-refund');
      expect(after.refunds.find((r: any) => r.credit_note === note.id)).toMatchObject({
        amount: '11.90',
        status: 'succeeded',
      });
    } finally {
      stripe.webhooksBeforeAnswer = false;
    }
  });

  it('leaves the refund of a bank-transfer invoice pending until a person records it', async () => {
    const invoice = await invoiceOf('c-manual');
    const usage = invoice.lines.findIndex((line: any) => line.kind === 'usage') + 1;
    const note = await ok('POST', `/v1/invoices/${invoice.id}/credit-notes`, {
      lines: [{ line: usage, amount: '10.00' }],
      reason: 'Goodwill',
      method: 'refund',
    });
    await stripe.settled();
    expect((await ok('GET', `/v1/credit-notes/${note.id}`, undefined, 200)).refund.status).toBe('pending');
    const recorded = await ok('POST', `/v1/credit-notes/${note.id}/refund`, { reference: 'SEPA-BACK-7' }, 200);
    expect(recorded.refund).toMatchObject({ status: 'succeeded', reference: 'SEPA-BACK-7', amount: '11.90' });
    expect((await stack.call('POST', `/v1/credit-notes/${note.id}/refund`, { reference: 'SEPA-BACK-7' })).status).toBe(
      200,
    );
    expect((await stack.call('POST', `/v1/credit-notes/${note.id}/refund`, { reference: 'OTHER' })).status).toBe(409);
  });
});
