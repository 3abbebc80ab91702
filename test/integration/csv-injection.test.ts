import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../support/csv.js';
import { startTestStack, type TestClock, type TestStack, testClock } from '../support/stack.js';

/** Issue 11: every CSV export is safe to open in a spreadsheet (OWASP CSV injection), numbers stay numbers. */

let stack: TestStack;
let clock: TestClock;

const HOSTILE_NAME = "-1+cmd|' /C calc'!A0";
const HOSTILE_MODELS = ['=HYPERLINK("http://evil.example","click")', '-1+HYPERLINK("http://evil.example")', '@SUM(1)'];

async function post(path: string, body: unknown) {
  const response = await stack.call('POST', path, body);
  expect(response.status, JSON.stringify(response.body)).toBeLessThan(300);
  return response.body;
}

async function csv(path: string, accept = '*/*'): Promise<{ type: string | null; rows: string[][] }> {
  const response = await fetch(`${stack.url}${path}`, {
    headers: { authorization: `Bearer ${stack.adminKey}`, accept },
  });
  expect(response.status).toBe(200);
  return { type: response.headers.get('content-type'), rows: parseCsv(await response.text()) };
}

/** A field a spreadsheet would run: starts with =, +, -, @, tab or CR. */
const isFormula = (field: string) => /^[=+\-@\t\r]/.test(field);

beforeAll(async () => {
  clock = testClock('2026-09-01T00:00:00Z');
  stack = await startTestStack({ clock });
  await post('/v1/meters', {
    key: 'tokens',
    name: 'Tokens',
    event_type: 'llm.tokens',
    aggregation: 'sum',
    value_property: 'tokens',
    group_by: ['model'],
  });
  await post('/v1/plans', {
    key: 'pro',
    name: 'Pro',
    currency: 'EUR',
    interval: 'month',
    base_fee: { amount: '10.00', timing: 'in_arrears' },
    charges: [{ meter: 'tokens', price: { model: 'per_unit', unit_price: '0.10' } }],
  });
  await post('/v1/customers', {
    id: 'hostile',
    name: HOSTILE_NAME,
    email: 'hostile@example.com',
    currency: 'EUR',
    timezone: 'UTC',
    locale: 'en',
  });
  await post('/v1/subscriptions', { id: 'sub-hostile', customer: 'hostile', plan: 'pro', start_date: '2026-09-01' });
  clock.set('2026-09-20T12:00:00Z');
  const events = HOSTILE_MODELS.map((model, i) => ({
    specversion: '1.0',
    id: `e-${i}`,
    source: 'csv-test',
    type: 'llm.tokens',
    subject: 'hostile',
    time: '2026-09-20T10:00:00Z',
    data: { tokens: String(10 * (i + 1)), model },
  }));
  const ingested = await stack.call('POST', '/v1/events', events, {
    contentType: 'application/cloudevents-batch+json',
  });
  expect(ingested.status).toBe(200);
  expect(ingested.body).toMatchObject({ accepted: 3, rejected: 0 });
  clock.set('2026-10-01T02:00:00Z');
  await post('/v1/billing-runs', { as_of: '2026-10-01T02:00:00Z' });
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

describe('CSV exports neutralise formulas', () => {
  it('prefixes the hostile customer name with a quote in every invoices CSV, amounts stay numbers', async () => {
    const invoices = (await stack.call('GET', '/v1/invoices?customer=hostile')).body.data as any[];
    expect(invoices).toHaveLength(1);
    const [invoice] = invoices;
    // 10.00 base fee + (10 + 20 + 30) tokens x 0.10.
    expect(invoice.total).toBe('16.00');
    for (const { type, rows } of [
      await csv('/v1/invoices?customer=hostile&format=csv'),
      await csv('/v1/invoices?customer=hostile', 'text/csv'),
      await csv('/v1/exports/invoices.csv?customer=hostile'),
    ]) {
      expect(type).toBe('text/csv; charset=utf-8');
      const header = rows[0] as string[];
      const row = rows[1] as string[];
      expect(rows).toHaveLength(2);
      const cell = (name: string) => row[header.indexOf(name)];
      expect(cell('buyer_name')).toBe(`'${HOSTILE_NAME}`);
      expect(cell('total')).toBe('16.00');
      expect(cell('subtotal')).toBe(invoice.subtotal);
      expect(cell('plan_version')).toBe(String(invoice.plan_version));
      expect(row.filter(isFormula)).toEqual([]);
    }
  });

  it('prefixes hostile dimension values with a quote in the usage CSVs, values stay numbers', async () => {
    const query = 'meter=tokens&from=2026-09-01T00:00:00Z&to=2026-10-01T00:00:00Z&granularity=total&group_by=model';
    const exported = await csv(`/v1/exports/usage.csv?customer=hostile&${query}`);
    expect(await csv(`/v1/customers/hostile/usage?${query}&format=csv`)).toEqual(exported);
    const [header, ...rows] = exported.rows as [string[], ...string[][]];
    expect(header).toEqual(['customer', 'meter', 'start', 'end', 'model', 'value', 'events']);
    const byModel = Object.fromEntries(rows.map((row) => [row[4], [row[5], row[6]]]));
    expect(byModel).toEqual({
      [`'${HOSTILE_MODELS[0]}`]: ['10', '1'],
      [`'${HOSTILE_MODELS[1]}`]: ['20', '1'],
      [`'${HOSTILE_MODELS[2]}`]: ['30', '1'],
    });
    expect(rows.flat().filter(isFormula)).toEqual([]);
  });
});
