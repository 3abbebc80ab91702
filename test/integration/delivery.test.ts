import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredEmail } from '../../local/ses-local.js';
import { startTestStack, type TestClock, type TestStack, testClock } from '../support/stack.js';
import { extractPdfText, plainSpaces } from '../unit/documents/pdf-text.js';

/**
 * Invoice delivery end to end over HTTP: billing run → SQS (local-aws-sqs) → delivery handler →
 * SES (aws-ses-v2-local), with retries, the DLQ, the outbox sweep and the invoice actions.
 */
let stack: TestStack;
let clock: TestClock;
let sqs: SQSClient;

let seq = 0;
const event = (subject: string, time: string) => ({
  specversion: '1.0',
  id: `${subject}-${seq++}`,
  source: 'delivery-test',
  type: 'api.call',
  subject,
  time,
  data: {},
});

async function post(path: string, body: unknown, status = 201) {
  const response = await stack.call('POST', path, body);
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  return response.body;
}

async function run(asOf: string) {
  clock.set(asOf);
  const response = await stack.call('POST', '/v1/billing-runs', { as_of: asOf });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
}

async function invoiceOf(customer: string) {
  const invoices = (await stack.call('GET', `/v1/invoices?customer=${customer}`)).body.data as any[];
  expect(invoices).toHaveLength(1);
  return invoices[0];
}

async function getInvoice(id: string) {
  return (await stack.call('GET', `/v1/invoices/${id}`)).body;
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

const emailsTo = async (address: string): Promise<StoredEmail[]> =>
  (await stack.delivery!.ses.emails()).filter((email) => email.destination.to.some((to) => to.includes(address)));

const sent = (id: string) =>
  eventually(`invoice ${id} to be sent`, async () => {
    const invoice = await getInvoice(id);
    return invoice.delivery.status === 'sent' ? invoice : undefined;
  });

/** Lets the poller run a few more rounds, so a duplicate email would have been sent by now. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 1500));

const deadLetters = async () => (await stack.call('GET', '/v1/delivery/dead-letters')).body.data as any[];

const cli = (...args: string[]) =>
  promisify(execFile)('node', ['bin/billing-cli.mjs', ...args, '--url', stack.url, '--key', stack.adminKey]);

beforeAll(async () => {
  clock = testClock('2026-10-01T00:00:00Z');
  stack = await startTestStack({
    clock,
    env: {
      BILLING_SELLER_NAME: 'Meterly GmbH',
      BILLING_SELLER_COUNTRY: 'DE',
      BILLING_SELLER_ADDRESS: 'Torstr. 1',
      BILLING_SELLER_CITY: 'Berlin',
      BILLING_SENDER_EMAIL: 'Meterly Billing <billing@meterly.example>',
      BILLING_DELIVERY_RETRY_BASE_SECONDS: '1',
      BILLING_DELIVERY_RETRY_MAX_SECONDS: '2',
      BILLING_OUTBOX_SWEEP_AFTER_SECONDS: '30',
    },
    delivery: { pollIntervalMs: 50, sweepIntervalSeconds: 0 },
  });
  sqs = new SQSClient({
    region: 'us-east-1',
    endpoint: stack.delivery!.sqs.endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await post('/v1/meters', { key: 'api', name: 'API calls', event_type: 'api.call', aggregation: 'count' });
  await post('/v1/plans', {
    key: 'pro',
    name: 'Pro',
    currency: 'EUR',
    interval: 'month',
    base_fee: { amount: '10.00', timing: 'in_arrears' },
    charges: [{ meter: 'api', price: { model: 'per_unit', unit_price: '0.25' } }],
  });
  // Each customer's period ends on another day, so each test bills exactly one of them.
  const customers: Array<[string, string]> = [
    ['berlin', '2026-10-01'],
    ['munich', '2026-10-05'],
    ['hamburg', '2026-10-09'],
  ];
  for (const [id, start] of customers) {
    await post('/v1/customers', {
      id,
      name: `Kunde ${id}`,
      email: `${id}@example.com`,
      currency: 'EUR',
      timezone: 'Europe/Berlin',
      locale: 'de',
      tax_rate: '19',
    });
    await post('/v1/subscriptions', { id: `sub-${id}`, customer: id, plan: 'pro', start_date: start });
  }
  clock.set('2026-10-20T12:00:00Z');
  const response = await stack.call(
    'POST',
    '/v1/events',
    [
      ...Array.from({ length: 7 }, () => event('berlin', '2026-10-15T10:00:00Z')),
      event('munich', '2026-10-15T10:00:00Z'),
    ],
    { contentType: 'application/cloudevents-batch+json' },
  );
  expect(response.body.rejected).toBe(0);
}, 120_000);

afterAll(async () => {
  sqs?.destroy();
  await stack?.stop();
});

describe('invoice delivery', () => {
  it('emails the finalized invoice with its PDF, which shows the number and the total the API reports', async () => {
    const result = await run('2026-11-02T09:00:00Z');
    expect(result.summary).toEqual({ invoiced: 1, drafted: 0, skipped: 0, failed: 0 });
    const { id } = await invoiceOf('berlin');

    const invoice = await sent(id);
    const emails = await emailsTo('berlin@example.com');
    expect(emails).toHaveLength(1);
    const [email] = emails;
    expect(email!.messageId).toBe(invoice.delivery.message_id);
    expect(email!.from).toContain('billing@meterly.example');
    expect(email!.subject).toContain(invoice.number);
    expect(email!.body.html).toContain(invoice.number);
    expect(email!.attachments).toHaveLength(1);
    const attachment = email!.attachments[0]!;
    expect(attachment).toMatchObject({ filename: `${invoice.number}.pdf`, contentType: 'application/pdf' });

    // 10.00 base + 7 calls × 0.25 = 11.75 net, 19 % VAT 2.23, 13.98 gross
    expect(invoice.total).toBe('13.98');
    const total = new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR' }).format(Number(invoice.total));
    const pdf = Buffer.from(attachment.content, 'base64');
    const { text } = await extractPdfText(pdf);
    expect(text).toContain(invoice.number);
    expect(text).toContain(plainSpaces(total));
    expect(invoice.delivery.attempts).toBe(1);
  });

  it('serves the same PDF that was emailed (rendered from the stored invoice)', async () => {
    const { id, number } = await invoiceOf('berlin');
    const response = await fetch(`${stack.url}/v1/invoices/${id}/pdf`, {
      headers: { authorization: `Bearer ${stack.adminKey}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toContain(`${number}.pdf`);
    const served = Buffer.from(await response.arrayBuffer());
    expect(served.subarray(0, 5).toString()).toBe('%PDF-');
    const [email] = await emailsTo('berlin@example.com');
    expect(served.equals(Buffer.from(email!.attachments[0]!.content, 'base64'))).toBe(true);
  });

  it('sends one email per invoice however often its message arrives', async () => {
    const { id } = await invoiceOf('berlin');
    const body = JSON.stringify({ invoice_id: id, kind: 'invoice' });
    await Promise.all(
      [1, 2, 3].map(() =>
        sqs.send(new SendMessageCommand({ QueueUrl: stack.delivery!.sqs.deliveryQueueUrl, MessageBody: body })),
      ),
    );
    await settle();
    expect(await emailsTo('berlin@example.com')).toHaveLength(1);
    expect((await getInvoice(id)).delivery.attempts).toBe(1);
  });

  it('retries while SES is unreachable and sends exactly one email once it is back', async () => {
    const ses = stack.delivery!.ses;
    await ses.stop();
    try {
      const result = await run('2026-11-06T09:00:00Z');
      expect(result.summary.invoiced).toBe(1);
      const { id } = await invoiceOf('munich');
      const failing = await eventually('two failed attempts', async () => {
        const invoice = await getInvoice(id);
        return invoice.delivery.attempts >= 2 ? invoice : undefined;
      });
      expect(failing.delivery).toMatchObject({ status: 'pending' });
      expect(failing.delivery.last_error).toMatch(/ECONNREFUSED/);
    } finally {
      await ses.start();
    }
    const { id } = await invoiceOf('munich');
    const invoice = await sent(id);
    await settle();
    expect(await emailsTo('munich@example.com')).toHaveLength(1);
    expect(invoice.delivery.attempts).toBeGreaterThanOrEqual(3);
    expect(invoice.delivery.last_error).toBeUndefined();
  });

  it('parks a poison message in the DLQ after 5 receives; `billing dlq list` shows it and `dlq redrive` moves it back', async () => {
    const queueUrl = stack.delivery!.sqs.deliveryQueueUrl;
    const sentAt = Date.now();
    const missing = await sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: JSON.stringify({ invoice_id: 'in_does_not_exist', kind: 'invoice' }),
      }),
    );
    const garbage = await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: '{not json' }));

    const parked = await eventually(
      'two dead letters',
      async () => {
        const letters = await deadLetters();
        return letters.length === 2 ? letters : undefined;
      },
      30_000,
    );
    // 5 receives, backing off 1, 2, 2, 2 and 2 s in between (local-aws-sqs restarts the count in the DLQ).
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(8_500);
    const byId = new Map(parked.map((letter) => [letter.message_id, letter]));
    expect(byId.get(missing.MessageId!)).toMatchObject({ invoice_id: 'in_does_not_exist', kind: 'invoice' });
    expect(byId.get(garbage.MessageId!)).toMatchObject({ body: '{not json' });
    // Listing does not consume them.
    expect(await deadLetters()).toHaveLength(2);

    const list = await cli('dlq', 'list');
    expect(list.stdout).toContain(missing.MessageId!);
    expect(list.stdout).toContain('in_does_not_exist');
    expect(list.stdout).toContain(garbage.MessageId!);
    expect(list.stdout).toMatch(/2 dead letters/);

    const redrive = await cli('dlq', 'redrive');
    expect(redrive.stdout).toMatch(/redrove 2 messages/);
    expect(await deadLetters()).toHaveLength(0);
    const attributes = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['All'] }));
    const inQueue =
      Number(attributes.Attributes?.ApproximateNumberOfMessages) +
      Number(attributes.Attributes?.ApproximateNumberOfMessagesNotVisible);
    expect(inQueue).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it('voids an invoice (it keeps its number) and emails a void notice once', async () => {
    const { id, number } = await invoiceOf('berlin');
    const voided = await post(`/v1/invoices/${id}/void`, { reason: 'wrong address' }, 200);
    expect(voided).toMatchObject({ id, number, status: 'void', voided: { reason: 'wrong address' } });
    expect(voided.void_notice.status).toBe('pending');

    // The void notice, and the email of the credit note the void issued for the whole invoice.
    const notice = await eventually('the void notice', async () => {
      const emails = await emailsTo('berlin@example.com');
      return emails.length === 3 ? emails.find((email) => email.subject.endsWith('wurde storniert')) : undefined;
    });
    expect(notice!.subject).toBe(`Rechnung ${number} von Meterly GmbH wurde storniert`);
    const creditNote = (await emailsTo('berlin@example.com')).find((email) =>
      email.subject.startsWith('Rechnungskorrektur'),
    );
    expect(creditNote!.subject).toContain(`zur Rechnung ${number}`);
    const { text } = await extractPdfText(Buffer.from(notice!.attachments[0]!.content, 'base64'));
    expect(text).toContain('STORNIERT');

    // Another copy of the message (the sweep, a redelivery) sends nothing more.
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: stack.delivery!.sqs.deliveryQueueUrl,
        MessageBody: JSON.stringify({ invoice_id: id, kind: 'void' }),
      }),
    );
    await settle();
    expect(await emailsTo('berlin@example.com')).toHaveLength(3);
    const stored = await getInvoice(id);
    expect(stored).toMatchObject({ number, status: 'void' });
  });

  it('refuses to void a void invoice, to pay it, or to resend it (409)', async () => {
    const { id } = await invoiceOf('berlin');
    const again = await stack.call('POST', `/v1/invoices/${id}/void`, { reason: 'twice' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('conflict');
    const pay = await stack.call('POST', `/v1/invoices/${id}/mark-paid`, {
      paid_at: '2026-11-10T10:00:00Z',
      reference: 'SEPA-1',
    });
    expect(pay.status).toBe(409);
    expect((await stack.call('POST', `/v1/invoices/${id}/resend`)).status).toBe(409);
  });

  it('marks an invoice paid, idempotently, and then refuses to void it', async () => {
    const { id } = await invoiceOf('munich');
    const body = { paid_at: '2026-11-10T10:00:00+01:00', reference: 'SEPA-4711' };
    const paid = await post(`/v1/invoices/${id}/mark-paid`, body, 200);
    expect(paid).toMatchObject({
      status: 'paid',
      payment: { paid_at: '2026-11-10T09:00:00.000Z', reference: 'SEPA-4711' },
    });
    await post(`/v1/invoices/${id}/mark-paid`, body, 200);
    const other = await stack.call('POST', `/v1/invoices/${id}/mark-paid`, { ...body, reference: 'SEPA-9' });
    expect(other.status).toBe(409);
    const voiding = await stack.call('POST', `/v1/invoices/${id}/void`, { reason: 'too late' });
    expect(voiding.status).toBe(409);
    expect(voiding.body.error.message).toContain('paid');
  });

  it('answers invalid action bodies in the error shape', async () => {
    const { id } = await invoiceOf('munich');
    const bad = await stack.call('POST', `/v1/invoices/${id}/mark-paid`, { paid_at: 'yesterday', extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
    const paths = bad.body.error.details.map((d: any) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['/paid_at', '/reference']));
    const empty = await stack.call('POST', `/v1/invoices/${id}/void`, { reason: '  ' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.details[0].path).toBe('/reason');
    expect((await stack.call('POST', '/v1/invoices/in_nope/void', { reason: 'x' })).status).toBe(404);
    expect((await stack.call('GET', '/v1/invoices/in_nope/pdf')).status).toBe(404);
  });

  it('resends an invoice on request: a second email', async () => {
    const { id } = await invoiceOf('munich');
    const resend = await stack.call('POST', `/v1/invoices/${id}/resend`);
    expect(resend.status).toBe(202);
    expect(resend.body.delivery.status).toBe('pending');
    await sent(id);
    await settle();
    expect(await emailsTo('munich@example.com')).toHaveLength(2);
  });

  it('re-enqueues an invoice whose message was lost once it is owed longer than the sweep age', async () => {
    const { poller, sqs: local } = stack.delivery!;
    await poller.stop();
    try {
      const result = await run('2026-11-10T09:00:00Z');
      expect(result.summary.invoiced).toBe(1);
      // The message is lost: take it off the queue before any handler sees it.
      const received = await eventually('the delivery message', async () => {
        const page = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl: local.deliveryQueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
        );
        return page.Messages?.length ? page.Messages : undefined;
      });
      for (const message of received) {
        await sqs.send(
          new DeleteMessageCommand({ QueueUrl: local.deliveryQueueUrl, ReceiptHandle: message.ReceiptHandle }),
        );
      }
    } finally {
      poller.start();
    }
    const { id } = await invoiceOf('hamburg');
    await settle();
    expect((await getInvoice(id)).delivery.status).toBe('pending');
    expect(await emailsTo('hamburg@example.com')).toHaveLength(0);

    // Owed for less than the sweep age (30 s): not yet.
    expect((await post('/v1/delivery/sweep', undefined, 200)).requeued).toBe(0);
    clock.advance(60_000);
    expect(await post('/v1/delivery/sweep', undefined, 200)).toEqual({ requeued: 1, cleared: 0, held: 0 });
    await sent(id);
    await settle();
    expect(await emailsTo('hamburg@example.com')).toHaveLength(1);
    // Nothing is owed any more.
    clock.advance(60_000);
    expect((await post('/v1/delivery/sweep', undefined, 200)).requeued).toBe(0);
  });
});
