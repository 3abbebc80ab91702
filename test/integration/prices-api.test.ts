import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.js';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

const evaluate = (body: unknown, options?: { key?: string | null; raw?: string }) =>
  stack.call('POST', '/v1/prices/evaluate', body, options);

describe('POST /v1/prices/evaluate', () => {
  it('prices a graduated quantity and explains each tier', async () => {
    const response = await evaluate({
      currency: 'USD',
      price: {
        model: 'graduated',
        tiers: [
          { up_to: '5', unit_price: '5', flat_fee: '0' },
          { up_to: '10', unit_price: '4', flat_fee: '1.005' },
          { up_to: null, unit_price: '3' },
        ],
      },
      quantity: '12.5',
    });
    expect(response.status).toBe(200);
    expect(response.body.precise_amount).toBe('53.505');
    expect(response.body.amount).toBe('53.51');
    expect(response.body.lines.map((l: any) => [l.quantity, l.precise_amount])).toEqual([
      ['5', '25'],
      ['5', '21.005'],
      ['2.5', '7.5'],
    ]);
  });

  it('rounds to the currency minor unit with the chosen mode', async () => {
    const price = { model: 'per_unit', unit_price: '0.0125' };
    expect((await evaluate({ currency: 'JPY', price, quantity: '100' })).body.amount).toBe('1');
    expect((await evaluate({ currency: 'BHD', price, quantity: '0.1' })).body.amount).toBe('0.001');
    expect((await evaluate({ currency: 'EUR', price, quantity: '1', rounding: 'half_even' })).body.amount).toBe('0.01');
    expect((await evaluate({ currency: 'EUR', price, quantity: '1', rounding: 'up' })).body.amount).toBe('0.02');
  });

  it('prices per-event amounts with a percentage price', async () => {
    const response = await evaluate({
      currency: 'EUR',
      price: { model: 'percentage', rate_percent: '1.5', fixed_fee_per_event: '0.25' },
      events: ['100', '250.5'],
    });
    expect(response.status).toBe(200);
    expect(response.body.precise_amount).toBe('5.7575');
    expect(response.body.amount).toBe('5.76');
  });

  it('prices usage records by time of day in the given time zone', async () => {
    const response = await evaluate({
      currency: 'EUR',
      timezone: 'Europe/Berlin',
      price: {
        model: 'time_of_use',
        bands: [
          {
            name: 'peak',
            days: ['mon', 'tue', 'wed', 'thu', 'fri'],
            from: '08:00',
            to: '20:00',
            price: { model: 'per_unit', unit_price: '0.30' },
          },
        ],
        default_price: { model: 'per_unit', unit_price: '0.10' },
      },
      usage: [
        { time: '2026-11-02T07:00:00Z', quantity: '10' },
        { time: '2026-11-02T06:59:00Z', quantity: '10' },
      ],
    });
    expect(response.status).toBe(200);
    expect(response.body.precise_amount).toBe('4');
  });

  it('accepts exact JSON numbers and rejects numbers too long to be exact, naming the field', async () => {
    const ok = await evaluate(undefined, {
      raw: '{"currency":"USD","price":{"model":"per_unit","unit_price":0.5},"quantity":3}',
    });
    expect(ok.status).toBe(200);
    expect(ok.body.precise_amount).toBe('1.5');
    const tooLong = await evaluate(undefined, {
      raw: '{"currency":"USD","price":{"model":"per_unit","unit_price":0.12345678901234567},"quantity":"1"}',
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.details).toEqual([
      { path: '/price/unit_price', message: expect.stringContaining('send it as a decimal string') },
    ]);
  });

  it.each([
    [
      'tiers not increasing',
      {
        model: 'graduated',
        tiers: [
          { up_to: '10', unit_price: '1' },
          { up_to: '5', unit_price: '1' },
          { up_to: null, unit_price: '1' },
        ],
      },
      '1',
      '/price/tiers/1/up_to',
    ],
    ['a finite last tier', { model: 'volume', tiers: [{ up_to: '10', unit_price: '1' }] }, '1', '/price/tiers/0/up_to'],
    ['a negative price', { model: 'per_unit', unit_price: '-1' }, '1', '/price/unit_price'],
    ['an unknown model', { model: 'magic', unit_price: '1' }, '1', '/price/model'],
    ['a quantity that is not a decimal', { model: 'per_unit', unit_price: '1' }, 'ten', '/quantity'],
    ['a negative quantity', { model: 'per_unit', unit_price: '1' }, '-3', '/quantity'],
  ])('answers 400 for %s with the JSON path', async (_name, price, quantity, path) => {
    const response = await evaluate({ currency: 'USD', price, quantity });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('validation_failed');
    expect(response.body.error.details.map((d: any) => d.path)).toContain(path);
  });

  it('answers 400 for an unknown currency and for unknown fields', async () => {
    const response = await evaluate({
      currency: 'XYZ',
      price: { model: 'per_unit', unit_price: '1' },
      quantity: '1',
      colour: 'red',
    });
    expect(response.status).toBe(400);
    const paths = response.body.error.details.map((d: any) => d.path);
    expect(paths).toContain('/currency');
    expect(response.body.error.details.find((d: any) => d.path === '').message).toContain('colour');
  });

  it('answers 400 invalid_json for a body that is not JSON', async () => {
    const response = await evaluate(undefined, { raw: '{"currency": "USD",' });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_json');
  });
});

describe('authentication and routing', () => {
  it('answers 401 without a key or with a wrong key, in the error shape', async () => {
    const body = { currency: 'USD', price: { model: 'per_unit', unit_price: '1' }, quantity: '1' };
    const missing = await evaluate(body, { key: null });
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe('unauthorized');
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    expect((await evaluate(body, { key: 'wrong' })).status).toBe(401);
  });

  it('answers 405 for a wrong method and 404 for an unknown route', async () => {
    const wrongMethod = await stack.call('GET', '/v1/prices/evaluate');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
    const unknown = await stack.call('GET', '/v1/nothing-here');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
  });

  it("checks every JSON response of the test stacks against its route's response schema", () => {
    expect(stack.deps.config.checkResponses).toBe(true);
  });

  it('serves health and an OpenAPI 3.1 document without a key', async () => {
    expect((await stack.call('GET', '/health', undefined, { key: null })).body).toMatchObject({
      status: 'ok',
      dependencies: { dynamodb: { status: 'ok' } },
    });
    const openapi = await stack.call('GET', '/openapi.json', undefined, { key: null });
    expect(openapi.status).toBe(200);
    expect(openapi.body.openapi).toBe('3.1.0');
    const evaluateOp = openapi.body.paths['/v1/prices/evaluate'].post;
    const ref = evaluateOp.requestBody.content['application/json'].schema.$ref as string;
    expect(ref).toBe('#/components/schemas/EvaluatePriceRequest');
    const schema = openapi.body.components.schemas.EvaluatePriceRequest;
    expect(schema.properties.price).toEqual({ $ref: '#/components/schemas/Price' });
    expect(openapi.body.components.schemas.Price).toBeDefined();
    expect(JSON.stringify(openapi.body)).not.toContain('#/$defs/');
    expect(schema.required).toEqual(expect.arrayContaining(['currency', 'price']));
    expect(openapi.body.paths['/v1/events'].post).toBeDefined();
  });
});
