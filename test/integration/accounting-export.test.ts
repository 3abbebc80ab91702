import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../support/csv.js';
import { SELLER_ENV, startTestStack, type TestClock, type TestStack, testClock } from '../support/stack.js';

/**
 * The accounting export on a real stack: invoices from a real close (19 %, 7 %, reverse charge, outside
 * the EU), a credit note, partial payments and an overpayment through the API; the DATEV file and the
 * journal downloaded and read as CSV.
 */
let stack: TestStack;
let clock: TestClock;

async function ok(method: string, path: string, body?: unknown, status = 201) {
  const response = await stack.call(method, path, body);
  expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBe(status);
  return response.body;
}

const address = (country: string) => ({ line1: 'Main Street 1', city: 'Town', country });
/** Each customer's invoice: a base fee of 100.00 net, taxed by the customer's treatment. */
const CUSTOMERS: Record<string, Record<string, unknown>> = {
  'c-de': { address: address('DE') },
  'c-seven': { address: address('DE'), tax_rate: '7' },
  'c-rc': { address: address('FR'), tax_id: 'FR12345678901' },
  'c-us': { address: address('US') },
  'c-cn': { address: address('DE') },
};
const invoices: Record<string, any> = {};
/** A name a spreadsheet would run as a formula, with quotes and a semicolon (DATEV's separator). */
const HOSTILE_NAME = '=HYPERLINK("http://evil.example";"x")';
let creditNote: any;

const ENV = {
  ...SELLER_ENV,
  BILLING_DATEV_CONSULTANT_NUMBER: '29098',
  BILLING_DATEV_CLIENT_NUMBER: '55003',
  BILLING_DATEV_FISCAL_YEAR_START: '01-01',
};

beforeAll(async () => {
  clock = testClock('2026-10-01T00:00:00Z');
  stack = await startTestStack({ clock, env: ENV });
  await ok('POST', '/v1/plans', {
    key: 'flat',
    name: 'Flat',
    currency: 'EUR',
    interval: 'month',
    base_fee: { amount: '100.00', timing: 'in_arrears' },
    charges: [],
  });
  for (const [id, tax] of Object.entries(CUSTOMERS)) {
    await ok('POST', '/v1/customers', {
      id,
      name: id === 'c-us' ? HOSTILE_NAME : `Customer ${id}`,
      email: `${id}@example.com`,
      currency: 'EUR',
      timezone: 'Europe/Berlin',
      ...tax,
    });
    await ok('POST', '/v1/subscriptions', { id: `sub-${id}`, customer: id, plan: 'flat', start_date: '2026-10-01' });
  }
  clock.set('2026-11-01T02:00:00Z');
  const run = await ok('POST', '/v1/billing-runs', { as_of: '2026-11-01T02:00:00Z' }, 200);
  expect(run.status, JSON.stringify(run)).toBe('succeeded');
  for (const id of Object.keys(CUSTOMERS)) {
    const [invoice] = (await ok('GET', `/v1/invoices?customer=${id}`, undefined, 200)).data;
    invoices[id] = invoice;
  }
  expect(Object.values(invoices).map((invoice) => invoice.total)).toEqual([
    '119.00',
    '107.00',
    '100.00',
    '100.00',
    '119.00',
  ]);
  clock.set('2026-11-03T09:00:00Z');
  const cn = invoices['c-cn'];
  const line = cn.lines.findIndex((l: any) => l.kind === 'base_fee') + 1;
  creditNote = await ok('POST', `/v1/invoices/${cn.id}/credit-notes`, {
    lines: [{ line, amount: '10.00' }],
    reason: 'Outage',
    method: 'credit_balance',
  });
  // c-de pays 50.00 now, 80.00 later in November (11.00 too much), c-seven pays in December.
  await ok('POST', `/v1/invoices/${invoices['c-de'].id}/payments`, { amount: '50.00', reference: 'BANK-1' });
  clock.set('2026-11-20T10:00:00Z');
  await ok('POST', `/v1/invoices/${invoices['c-de'].id}/payments`, { amount: '80.00', reference: 'BANK-2' });
  clock.set('2026-12-02T10:00:00Z');
  await ok('POST', `/v1/invoices/${invoices['c-seven'].id}/payments`, { amount: '107.00', reference: 'BANK-3' });
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

/** DATEV rows as [Umsatz, S/H, WKZ, Konto, Gegenkonto, Belegdatum, Belegfeld 1]. */
const datevRowsOf = (rows: string[][]) => rows.map((r) => [r[0], r[1], r[2], r[6], r[7], r[9], r[10]]);

describe('DATEV export', () => {
  it('downloads an EXTF Buchungsstapel of November: header, column names, one row per tax group, payments', async () => {
    const response = await stack.call('GET', '/v1/exports/datev?from=2026-11-01&to=2026-11-30');
    expect(response.status, String(response.body)).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="EXTF_Buchungsstapel_2026-11-01_2026-11-30.csv"',
    );
    const text = response.body as string;
    expect(text.endsWith('\r\n')).toBe(true);
    const [header, columns, ...rows] = parseCsv(text, ';');
    expect(header!.slice(0, 6)).toEqual(['EXTF', '700', '21', 'Buchungsstapel', '13', '20261202100000000']);
    expect([header![10], header![11], header![12], header![13], header![14], header![15]]).toEqual([
      '29098',
      '55003',
      '20260101',
      '4',
      '20261101',
      '20261130',
    ]);
    expect(columns).toEqual([
      'Umsatz (ohne Soll/Haben-Kz)',
      'Soll/Haben-Kennzeichen',
      'WKZ Umsatz',
      'Kurs',
      'Basis-Umsatz',
      'WKZ Basis-Umsatz',
      'Konto',
      'Gegenkonto (ohne BU-Schlüssel)',
      'BU-Schlüssel',
      'Belegdatum',
      'Belegfeld 1',
      'Belegfeld 2',
      'Skonto',
      'Buchungstext',
    ]);
    const number = (id: string) => invoices[id].number as string;
    const expected = [
      ...['c-de', 'c-seven', 'c-rc', 'c-us', 'c-cn']
        .map((id) => ({
          id,
          account: { 'c-de': '8400', 'c-seven': '8300', 'c-rc': '8336', 'c-us': '8338', 'c-cn': '8400' }[id]!,
        }))
        .sort((a, b) => number(a.id).localeCompare(number(b.id)))
        .map(({ id, account }) => [
          invoices[id].total.replace('.', ','),
          'S',
          'EUR',
          '1400',
          account,
          '0111',
          number(id),
        ]),
      ['11,90', 'H', 'EUR', '1590', '8400', '0311', creditNote.number],
      ['50,00', 'S', 'EUR', '1200', '1400', '0311', number('c-de')],
      ['69,00', 'S', 'EUR', '1200', '1400', '2011', number('c-de')],
      ['11,00', 'S', 'EUR', '1200', '1590', '2011', number('c-de')],
    ];
    expect(datevRowsOf(rows)).toEqual(expected);
    for (const row of rows) {
      expect(row).toHaveLength(14);
      expect(row[13]!.length).toBeLessThanOrEqual(60);
    }
    expect(rows[0]![13]).toMatch(/^Invoice INV-/);
    const us = rows.find((row) => row[10] === number('c-us'))!;
    // Quotes doubled, the separator inside quotes, cut to 60 characters.
    expect(us[13]).toBe(`Invoice ${number('c-us')} ${HOSTILE_NAME}`.slice(0, 60));
    expect(text).toContain(`;"Invoice ${number('c-us')} =HYPERLINK(""http://evil.example"";""x"""\r\n`);
  });

  it('books a payment in the range it was received in, not its invoice', async () => {
    const response = await stack.call('GET', '/v1/exports/datev?from=2026-12-01&to=2026-12-31');
    expect(response.status).toBe(200);
    const [, , ...rows] = parseCsv(response.body as string, ';');
    expect(datevRowsOf(rows)).toEqual([['107,00', 'S', 'EUR', '1200', '1400', '0212', invoices['c-seven'].number]]);
  });

  it('refuses a range across fiscal years', async () => {
    const response = await stack.call('GET', '/v1/exports/datev?from=2026-12-01&to=2027-01-31');
    expect(response.status).toBe(400);
    expect(response.body.error.details.map((d: any) => d.path)).toEqual(['?/to']);
  });
});

describe('journal export', () => {
  it('answers the balanced journal as JSON', async () => {
    const journal = await ok('GET', '/v1/exports/journal?from=2026-11-01&to=2026-11-30', undefined, 200);
    expect(journal.totals).toEqual([{ currency: 'EUR', debit: '686.90', credit: '686.90' }]);
    const de = journal.rows.filter(
      (row: any) => row.number === invoices['c-de'].number && row.document_type === 'invoice',
    );
    expect(de.map((row: any) => [row.account, row.contra_account, row.debit, row.credit, row.tax_rate])).toEqual([
      ['1400', '8400', '100.00', '', '19'],
      ['8400', '1400', '', '100.00', '19'],
      ['1400', '1776', '19.00', '', '19'],
      ['1776', '1400', '', '19.00', '19'],
    ]);
    const seven = journal.rows.filter((row: any) => row.number === invoices['c-seven'].number);
    expect(seven.map((row: any) => row.account)).toEqual(['1400', '8300', '1400', '1771']);
  });

  it('answers the journal as CSV with format=csv', async () => {
    const response = await stack.call('GET', '/v1/exports/journal?from=2026-11-01&to=2026-11-30&format=csv');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="journal_2026-11-01_2026-11-30.csv"',
    );
    const [columns, ...rows] = parseCsv(response.body as string);
    expect(columns).toEqual([
      'date',
      'document_type',
      'number',
      'reference',
      'customer_id',
      'customer_name',
      'account',
      'contra_account',
      'debit',
      'credit',
      'currency',
      'tax_rate',
      'text',
    ]);
    const us = rows.find((row) => row[1] === 'invoice' && row[4] === 'c-us')!;
    expect(us[5]).toBe(`'${HOSTILE_NAME}`);
    const overpaid = rows.filter((row) => row[1] === 'payment' && row[3] === 'BANK-2');
    expect(overpaid.map((row) => [row[0], row[6], row[7], row[8], row[9]])).toEqual([
      ['2026-11-20', '1200', '1400', '69.00', ''],
      ['2026-11-20', '1400', '1200', '', '69.00'],
      ['2026-11-20', '1200', '1590', '11.00', ''],
      ['2026-11-20', '1590', '1200', '', '11.00'],
    ]);
  });
});

describe('hostile query input', () => {
  it.each([
    ['from=2026-13-01&to=2026-11-30', '?/from'],
    ['from=2026-11-01&to=2026-02-30', '?/to'],
    ['from=2026-11-30&to=2026-11-01', '?/to'],
    ['from=2025-01-01&to=2026-12-31', '?/to'],
    ['from=1e400&to=2026-11-30', '?/from'],
    [`from=${'9'.repeat(400)}&to=2026-11-30`, '?/from'],
    ['from=%ED%A0%80&to=2026-11-30', '?/from'],
    ['from=2026-11-01%00&to=2026-11-30', '?/from'],
    ['from=2026-11-01&from=2026-11-02&to=2026-11-30', '?/from'],
    ['to=2026-11-30', '?/from'],
  ])('GET ?%s answers 400 naming %s', async (query, path) => {
    for (const route of ['/v1/exports/datev', '/v1/exports/journal']) {
      const response = await stack.call('GET', `${route}?${query}`);
      expect(response.status, `${route}?${query}: ${JSON.stringify(response.body)}`).toBe(400);
      expect(response.body.error.details.map((d: any) => d.path)).toContain(path);
    }
  });

  it.each(['constructor=x', 'format=xml', 'format=csv&format=json'])(
    'refuses an unknown or wrong parameter: %s',
    async (extra) => {
      const response = await stack.call('GET', `/v1/exports/journal?from=2026-11-01&to=2026-11-30&${extra}`);
      expect(response.status, JSON.stringify(response.body)).toBe(400);
    },
  );

  it('never answers 5xx to prototype keys in the query', async () => {
    for (const extra of ['__proto__=1', '__proto__[from]=x', 'constructor[prototype]=1']) {
      for (const route of ['/v1/exports/datev', '/v1/exports/journal']) {
        const response = await stack.call('GET', `${route}?from=2026-11-01&to=2026-11-30&${extra}`);
        expect(response.status === 200 || response.status === 400, `${route} ${extra}: ${response.status}`).toBe(true);
      }
    }
  });

  it('needs an admin key', async () => {
    const response = await stack.call('GET', '/v1/exports/datev?from=2026-11-01&to=2026-11-30', undefined, {
      key: null,
    });
    expect(response.status).toBe(401);
  });
});

describe('without DATEV numbers', () => {
  it('answers 409 naming the variables, and the journal still works', async () => {
    const bare = await startTestStack({ env: SELLER_ENV });
    try {
      const datev = await bare.call('GET', '/v1/exports/datev?from=2026-11-01&to=2026-11-30');
      expect(datev.status).toBe(409);
      expect(datev.body.error.message).toMatch(/BILLING_DATEV_CONSULTANT_NUMBER and BILLING_DATEV_CLIENT_NUMBER/);
      const journal = await bare.call('GET', '/v1/exports/journal?from=2026-11-01&to=2026-11-30');
      expect(journal.status).toBe(200);
      expect(journal.body.rows).toEqual([]);
    } finally {
      await bare.stop();
    }
  }, 60_000);
});
