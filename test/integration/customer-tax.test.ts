import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REVERSE_CHARGE_NOTE } from '../../functions/domain/billing/tax.js';
import { startTestStack, type TestStack, testClock } from '../support/stack.js';

/**
 * The VAT a customer gets (its `tax`), through the HTTP API, for a seller in Germany; and the tax
 * exemption fields refusing what they must, leaving the customer as it was.
 */
let stack: TestStack;

const SELLER_ENV = { BILLING_SELLER_COUNTRY: 'DE', BILLING_SELLER_TAX_ID: 'DE123456789' };
const address = (country: string) => ({ line1: 'Main Street 1', city: 'Town', country });
const customer = (id: string, fields: Record<string, unknown> = {}) => ({
  id,
  name: `Customer ${id}`,
  email: `${id}@example.com`,
  currency: 'EUR',
  ...fields,
});

async function create(id: string, fields: Record<string, unknown> = {}) {
  const response = await stack.call('POST', '/v1/customers', customer(id, fields));
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

/** What a GET of the customer answers: the customer, or the status when there is none. */
async function stored(id: string) {
  const response = await stack.call('GET', `/v1/customers/${id}`);
  return response.status === 200 ? response.body : response.status;
}

/**
 * Sends a request that must be refused with a 400 naming `field`; the customer it would have
 * created or changed must be as before (the id of the path, else of the body).
 */
async function refused(method: string, path: string, body: unknown, field: string, options: { raw?: string } = {}) {
  const id = path.split('/')[3] ?? (JSON.parse(options.raw ?? JSON.stringify(body)) as { id: string }).id;
  const before = await stored(id);
  const response = await stack.call(method, path, body, options);
  const description = `${method} ${path} ${(options.raw ?? JSON.stringify(body)).slice(0, 200)}: ${JSON.stringify(response.body).slice(0, 500)}`;
  expect(response.status, description).toBe(400);
  expect(response.body.error.code, description).toBe('validation_failed');
  const named = response.body.error.details.some(
    (detail: { path: string; message: string }) =>
      detail.path === `/${field}` || (detail.path === '' && detail.message.includes(field)),
  );
  expect(named, description).toBe(true);
  expect(await stored(id), description).toEqual(before);
  return response.body.error;
}

beforeAll(async () => {
  stack = await startTestStack({ clock: testClock('2026-12-02T09:00:00Z'), env: SELLER_ENV });
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

describe('the tax of a customer', () => {
  it('charges a customer in the seller country its standard rate', async () => {
    const body = await create('tax-domestic', { address: address('DE') });
    expect(body.tax).toEqual({ rule: 'domestic', category: 'S', rate: '19', country: 'DE' });
  });

  it('reverse-charges a business in another member state', async () => {
    const body = await create('tax-reverse', { address: address('FR'), tax_id: 'FR12345678901' });
    expect(body.tax).toEqual({ rule: 'reverse_charge', category: 'AE', rate: '0', reason: REVERSE_CHARGE_NOTE });
  });

  it("charges a consumer in another member state that state's rate (OSS)", async () => {
    const body = await create('tax-oss', { address: address('FI') });
    expect(body.tax).toEqual({ rule: 'eu_consumer', category: 'S', rate: '25.5', country: 'FI' });
  });

  it('puts a customer outside the EU outside the scope, with the reason', async () => {
    const body = await create('tax-outside', { address: address('US') });
    expect(body.tax).toEqual({
      rule: 'outside_eu',
      category: 'O',
      rate: '0',
      reason:
        'Not subject to VAT in DE: the customer is established outside the EU (place of supply, Art. 44 and 59 Council Directive 2006/112/EC)',
    });
  });

  it('puts a Northern Ireland business (XI VAT id) outside the EU', async () => {
    const body = await create('tax-xi', { tax_id: 'XI123456789' });
    expect(body.tax).toMatchObject({ rule: 'outside_eu', category: 'O', rate: '0' });
  });

  it("charges the seller country's rate when the location is unknown, saying so", async () => {
    const body = await create('tax-unknown');
    expect(body.tax).toMatchObject({ rule: 'domestic', category: 'S', rate: '19', country: 'DE' });
    expect(body.tax.reason).toMatch(/location is unknown/);
  });

  it("charges the customer's own rate, and a 0 override with a reason", async () => {
    expect((await create('tax-own', { address: address('FR'), tax_rate: '7' })).tax).toEqual({
      rule: 'customer_rate',
      category: 'S',
      rate: '7',
    });
    expect((await create('tax-zero', { address: address('DE'), tax_rate: '0' })).tax).toEqual({
      rule: 'customer_rate',
      category: 'Z',
      rate: '0',
      reason: '0% VAT rate set for this customer',
    });
  });

  it('exempts a tax exempt customer and keeps the reason', async () => {
    const body = await create('tax-exempt', {
      address: address('DE'),
      tax_exempt: true,
      tax_exempt_reason: 'Charity, § 4 Nr. 18 UStG',
    });
    const expected = {
      tax_exempt: true,
      tax_exempt_reason: 'Charity, § 4 Nr. 18 UStG',
      tax: { rule: 'exempt', category: 'E', rate: '0', reason: 'Tax exempt: Charity, § 4 Nr. 18 UStG' },
    };
    expect(body).toMatchObject(expected);
    expect((await stack.call('GET', '/v1/customers/tax-exempt')).body).toMatchObject(expected);
    const listed = await stack.call('GET', '/v1/customers?q=tax-exempt');
    expect(listed.body.data[0]).toMatchObject(expected);
  });

  it('changes the reason of an exempt customer, and ends the exemption with tax_exempt false', async () => {
    await create('tax-change', { address: address('DE'), tax_exempt: true, tax_exempt_reason: 'first' });
    const renamed = await stack.call('PATCH', '/v1/customers/tax-change', { tax_exempt_reason: 'second' });
    expect(renamed.body.tax.reason).toBe('Tax exempt: second');
    const ended = await stack.call('PATCH', '/v1/customers/tax-change', { tax_exempt: false });
    expect(ended.status).toBe(200);
    expect(ended.body.tax_exempt).toBeUndefined();
    expect(ended.body.tax_exempt_reason).toBeUndefined();
    expect(ended.body.tax).toEqual({ rule: 'domestic', category: 'S', rate: '19', country: 'DE' });
    const again = await stack.call('PATCH', '/v1/customers/tax-change', {
      tax_exempt: true,
      tax_exempt_reason: 'third',
    });
    expect(again.body.tax.rule).toBe('exempt');
    const cleared = await stack.call('PATCH', '/v1/customers/tax-change', { tax_exempt: null });
    expect(cleared.body).not.toHaveProperty('tax_exempt_reason');
    expect((await stack.call('GET', '/v1/customers/tax-change')).body.tax.rule).toBe('domestic');
  });

  it('follows a change of address', async () => {
    await create('tax-moves', { address: address('DE') });
    const moved = await stack.call('PATCH', '/v1/customers/tax-moves', { address: address('AT') });
    expect(moved.body.tax).toEqual({ rule: 'eu_consumer', category: 'S', rate: '20', country: 'AT' });
  });
});

describe('hostile tax input', () => {
  beforeAll(async () => {
    await create('tax-hostile', { address: address('DE') });
    await create('tax-hostile-exempt', { address: address('DE'), tax_exempt: true, tax_exempt_reason: 'kept' });
  });

  it('starts from customers that exist (a refusal compares them before and after)', async () => {
    expect(await stored('tax-hostile')).toMatchObject({ tax: { rule: 'domestic' } });
    expect(await stored('tax-hostile-exempt')).toMatchObject({ tax_exempt_reason: 'kept' });
    expect(await stored('tax-new')).toBe(404);
  });

  it.each([
    ['tax_exempt', 'yes'],
    ['tax_exempt', 1],
    ['tax_exempt', {}],
    ['tax_exempt', []],
    ['tax_exempt_reason', 1],
    ['tax_exempt_reason', {}],
    ['tax_exempt_reason', []],
    ['tax_exempt_reason', true],
  ])('refuses %s = %j on create and update', async (field, value) => {
    const exempt = field === 'tax_exempt' ? { tax_exempt: value, tax_exempt_reason: 'r' } : { tax_exempt: true };
    const fields = field === 'tax_exempt' ? exempt : { ...exempt, tax_exempt_reason: value };
    await refused('POST', '/v1/customers', customer('tax-new', fields), field);
    await refused('PATCH', '/v1/customers/tax-hostile', fields, field);
  });

  it('refuses null where a value is needed', async () => {
    await refused('POST', '/v1/customers', customer('tax-new', { tax_exempt: null }), 'tax_exempt');
    await refused(
      'POST',
      '/v1/customers',
      customer('tax-new', { tax_exempt: true, tax_exempt_reason: null }),
      'tax_exempt_reason',
    );
    await refused(
      'PATCH',
      '/v1/customers/tax-hostile',
      { tax_exempt: true, tax_exempt_reason: null },
      'tax_exempt_reason',
    );
    await refused('PATCH', '/v1/customers/tax-hostile-exempt', { tax_exempt_reason: null }, 'tax_exempt_reason');
  });

  it('refuses tax_exempt true without a reason', async () => {
    const error = await refused(
      'POST',
      '/v1/customers',
      customer('tax-new', { tax_exempt: true }),
      'tax_exempt_reason',
    );
    expect(error.details).toContainEqual({
      path: '/tax_exempt_reason',
      message: 'is required when tax_exempt is true',
    });
    await refused('PATCH', '/v1/customers/tax-hostile', { tax_exempt: true }, 'tax_exempt_reason');
    await refused(
      'PATCH',
      '/v1/customers/tax-hostile',
      { tax_exempt: true, tax_exempt_reason: '' },
      'tax_exempt_reason',
    );
  });

  it('refuses a reason without the exemption', async () => {
    await refused('POST', '/v1/customers', customer('tax-new', { tax_exempt_reason: 'why' }), 'tax_exempt_reason');
    await refused(
      'POST',
      '/v1/customers',
      customer('tax-new', { tax_exempt: false, tax_exempt_reason: 'why' }),
      'tax_exempt_reason',
    );
    await refused('PATCH', '/v1/customers/tax-hostile', { tax_exempt_reason: 'why' }, 'tax_exempt_reason');
    await refused(
      'PATCH',
      '/v1/customers/tax-hostile-exempt',
      { tax_exempt: false, tax_exempt_reason: 'why' },
      'tax_exempt_reason',
    );
  });

  it.each([
    ['a NUL', 'NUL\u0000reason'],
    ['an escape sequence', 'ESC\u001b[31m'],
    ['a bidi override', 'charity\u202Efdp.exe'],
    ['a lone surrogate', '\ud800'],
    ['a line break', 'two\nlines'],
    ['10,000 characters', 'x'.repeat(10_000)],
  ])('refuses a reason with %s', async (_what, reason) => {
    await refused(
      'POST',
      '/v1/customers',
      customer('tax-new', { tax_exempt: true, tax_exempt_reason: reason }),
      'tax_exempt_reason',
    );
    await refused(
      'PATCH',
      '/v1/customers/tax-hostile',
      { tax_exempt: true, tax_exempt_reason: reason },
      'tax_exempt_reason',
    );
    await refused('PATCH', '/v1/customers/tax-hostile-exempt', { tax_exempt_reason: reason }, 'tax_exempt_reason');
  });

  it('refuses prototype keys in the body', async () => {
    await refused(
      'POST',
      '/v1/customers',
      undefined,
      '__proto__',
      // JSON text: in a JavaScript object literal, "__proto__" would set the prototype instead of a key.
      {
        raw: '{"id":"tax-new","name":"P","email":"p@example.com","currency":"EUR","__proto__":{"tax_exempt":true}}',
      },
    );
    await refused('PATCH', '/v1/customers/tax-hostile', undefined, '__proto__', {
      raw: '{"__proto__":{"tax_exempt":true,"tax_exempt_reason":"x"}}',
    });
    await refused('PATCH', '/v1/customers/tax-hostile', { constructor: { tax_exempt: true } }, 'constructor');
    await refused('POST', '/v1/customers', customer('tax-new', { constructor: 'x' }), 'constructor');
  });

  it('refuses a tax treatment sent by the client: it is read-only', async () => {
    const forged = { rule: 'exempt', category: 'E', rate: '0' };
    await refused('POST', '/v1/customers', customer('tax-new', { tax: forged }), 'tax');
    await refused('PATCH', '/v1/customers/tax-hostile', { tax: forged }, 'tax');
  });
});
