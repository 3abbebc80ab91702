import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack, testClock } from '../support/stack.js';

/** The customer's e-invoice fields (buyer_reference, invoice_format) through the HTTP API, and what they refuse. */
let stack: TestStack;

const customer = (id: string, fields: Record<string, unknown> = {}) => ({
  id,
  name: `Customer ${id}`,
  email: `${id}@example.com`,
  currency: 'EUR',
  ...fields,
});

async function stored(id: string) {
  const response = await stack.call('GET', `/v1/customers/${id}`);
  return response.status === 200 ? response.body : response.status;
}

async function refused(method: string, path: string, body: unknown, field: string, options: { raw?: string } = {}) {
  const id = path.split('/')[3] ?? (JSON.parse(options.raw ?? JSON.stringify(body)) as { id: string }).id;
  const before = await stored(id);
  const response = await stack.call(method, path, body, options);
  const description = `${method} ${path} ${(options.raw ?? JSON.stringify(body)).slice(0, 200)}: ${JSON.stringify(response.body).slice(0, 300)}`;
  expect(response.status, description).toBe(400);
  expect(response.body.error.code, description).toBe('validation_failed');
  expect(
    response.body.error.details.some((detail: { path: string }) => detail.path === `/${field}`),
    description,
  ).toBe(true);
  expect(await stored(id), description).toEqual(before);
}

beforeAll(async () => {
  stack = await startTestStack({ clock: testClock('2026-12-02T09:00:00Z') });
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

describe('buyer_reference and invoice_format', () => {
  it('stores and shows them; pdf is the default; null removes them', async () => {
    const created = await stack.call(
      'POST',
      '/v1/customers',
      customer('amt', { buyer_reference: '991-01234-56', invoice_format: 'xrechnung-ubl' }),
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ buyer_reference: '991-01234-56', invoice_format: 'xrechnung-ubl' });
    const plain = await stack.call('POST', '/v1/customers', customer('plain'));
    expect(plain.body.invoice_format).toBe('pdf');
    expect(plain.body.buyer_reference).toBeUndefined();
    const patched = await stack.call('PATCH', '/v1/customers/amt', { buyer_reference: null, invoice_format: null });
    expect(patched.status).toBe(200);
    expect(patched.body.invoice_format).toBe('pdf');
    expect(patched.body.buyer_reference).toBeUndefined();
    const zugferd = await stack.call('PATCH', '/v1/customers/amt', { invoice_format: 'zugferd' });
    expect((await stored('amt')).invoice_format).toBe('zugferd');
    expect(zugferd.body.invoice_format).toBe('zugferd');
  });

  it('refuses hostile values with a 400 naming the field, changing nothing', async () => {
    await stack.call('POST', '/v1/customers', customer('target', { buyer_reference: 'PO-1' }));
    const bad: Array<[string, unknown]> = [
      ['buyer_reference', 12],
      ['buyer_reference', 'x'.repeat(201)],
      ['buyer_reference', ''],
      ['buyer_reference', ' padded '],
      ['buyer_reference', 'line\nbreak'],
      ['buyer_reference', 'nul\u0000'],
      ['buyer_reference', '\uD800'],
      ['invoice_format', 'xml'],
      ['invoice_format', 1],
      ['invoice_format', ['pdf']],
    ];
    for (const [field, value] of bad) {
      await refused('PATCH', '/v1/customers/target', { [field]: value }, field);
      await refused('POST', '/v1/customers', customer('fresh', { [field]: value }), field);
    }
    await refused('PATCH', '/v1/customers/target', undefined, 'invoice_format', {
      raw: '{"invoice_format": 1e400}',
    });
    await refused('PATCH', '/v1/customers/target', undefined, 'buyer_reference', {
      raw: `{"buyer_reference": ${'9'.repeat(400)}}`,
    });
    const proto = await stack.call('PATCH', '/v1/customers/target', undefined, {
      raw: '{"__proto__": {"invoice_format": "zugferd"}, "constructor": {"buyer_reference": "x"}}',
    });
    expect(proto.status).toBeGreaterThanOrEqual(400);
    expect(proto.status).toBeLessThan(500);
    expect(await stored('target')).toMatchObject({ buyer_reference: 'PO-1', invoice_format: 'pdf' });
  });
});
