import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StatsStore } from '../../functions/adapters/dynamodb/stats.js';
import { revenueReport } from '../../functions/app/reports.js';
import { invoiceRow } from '../../functions/domain/revenue.js';
import { SELLER_ENV, startTestStack, type TestClock, type TestStack, testClock } from '../support/stack.js';

let stack: TestStack;
let clock: TestClock;
let seq = 0;

const event = (subject: string, time: string, id = `e-${seq++}`) => ({
  specversion: '1.0',
  id,
  source: 'reports-test',
  type: 'api.call',
  subject,
  time,
  data: {},
});

async function ingest(batch: unknown[]) {
  const response = await stack.call('POST', '/v1/events', batch, { contentType: 'application/cloudevents-batch+json' });
  expect(response.status).toBe(200);
  return response.body;
}

async function post(path: string, body: unknown) {
  const response = await stack.call('POST', path, body);
  expect(response.status, JSON.stringify(response.body)).toBeLessThan(300);
  return response.body;
}

const plan = (key: string, currency: string, unitPrice: string) => ({
  key,
  name: key,
  currency,
  interval: 'month',
  base_fee: { amount: '10.00', timing: 'in_arrears' },
  charges: [{ meter: 'api', price: { model: 'per_unit', unit_price: unitPrice } }],
});

const customer = (id: string, currency: string, name = `Customer ${id}`) => ({
  id,
  name,
  email: `${id}@example.com`,
  currency,
  timezone: 'UTC',
  locale: 'en',
});

let allInvoices: any[] = [];

beforeAll(async () => {
  clock = testClock('2026-09-01T00:00:00Z');
  stack = await startTestStack({ clock, env: SELLER_ENV });
  await post('/v1/meters', { key: 'api', name: 'API calls', event_type: 'api.call', aggregation: 'count' });
  await post('/v1/plans', plan('pro', 'EUR', '0.10'));
  await post('/v1/plans', plan('us', 'USD', '0.25'));
  await post('/v1/customers', customer('acme', 'EUR', 'Acme, "Quoted" Ltd'));
  await post('/v1/customers', customer('globex', 'EUR'));
  await post('/v1/customers', customer('initech', 'USD'));
  for (const [id, planKey] of [
    ['acme', 'pro'],
    ['globex', 'pro'],
    ['initech', 'us'],
  ]) {
    await post('/v1/subscriptions', { id: `sub-${id}`, customer: id, plan: planKey, start_date: '2026-09-01' });
  }

  // September: acme 30 calls, globex 5, initech 8; one retried event and one unknown customer.
  clock.set('2026-09-20T12:00:00Z');
  await ingest([
    ...Array.from({ length: 30 }, () => event('acme', '2026-09-20T10:00:00Z')),
    ...Array.from({ length: 5 }, () => event('globex', '2026-09-20T10:00:00Z')),
    ...Array.from({ length: 8 }, () => event('initech', '2026-09-20T10:00:00Z')),
  ]);
  await ingest([event('acme', '2026-09-20T10:00:00Z', 'e-0'), event('nobody', '2026-09-20T10:00:00Z')]);
  clock.set('2026-10-01T02:00:00Z');
  await post('/v1/billing-runs', { as_of: '2026-10-01T02:00:00Z' });

  // October: acme 100 calls, globex 1.
  clock.set('2026-10-21T08:00:00Z');
  await ingest([
    ...Array.from({ length: 100 }, () => event('acme', '2026-10-21T07:00:00Z')),
    event('globex', '2026-10-21T07:00:00Z'),
  ]);
  await ingest([{ specversion: '1.0', id: 'bad', source: 'reports-test', subject: 'acme' }]);
  clock.set('2026-11-01T02:00:00Z');
  await post('/v1/billing-runs', { as_of: '2026-11-01T02:00:00Z' });

  // Globex's October invoice is void: it must drop out of every sum.
  const globex = (await stack.call('GET', '/v1/invoices?customer=globex')).body.data as any[];
  const october = globex.find((i) => i.period_start.startsWith('2026-10'));
  await stack.deps.invoices.update(october.id, (current) => ({
    ...current,
    status: 'void',
    voided: { at: clock().toISOString(), reason: 'test' },
  }));
  allInvoices = (await stack.call('GET', '/v1/invoices')).body.data;
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

const sum = (invoices: any[]) => invoices.reduce((total, i) => total.plus(i.total), new Decimal(0));

describe('GET /v1/reports/revenue', () => {
  it('sums the totals per issue month and currency, leaving void invoices out', async () => {
    const response = await stack.call('GET', '/v1/reports/revenue?from=2026-09-01T00:00:00Z&to=2026-12-01T00:00:00Z');
    expect(response.status).toBe(200);
    const report = response.body;
    expect(allInvoices).toHaveLength(6);
    const live = allInvoices.filter((i) => i.status !== 'void');
    const expected = (month: string, currency: string) =>
      live.filter((i) => i.issue_date.startsWith(month) && i.currency === currency);
    expect(report.void_count).toBe(1);
    expect(report.groups.map((g: any) => [g.key, g.currency, g.count])).toEqual([
      ['2026-10', 'EUR', 2],
      ['2026-10', 'USD', 1],
      ['2026-11', 'EUR', 1],
      ['2026-11', 'USD', 1],
    ]);
    for (const group of report.groups) {
      expect(group.total).toBe(sum(expected(group.key, group.currency)).toFixed(2));
      expect(typeof group.total).toBe('string');
    }
    // acme October: base 10.00 + 100 x 0.10 = 20.00 (no tax configured).
    const eurTotal = report.totals.find((t: any) => t.currency === 'EUR');
    expect(eurTotal).toMatchObject({ count: 3, total: sum(live.filter((i) => i.currency === 'EUR')).toFixed(2) });
    expect(eurTotal.outstanding).toBe(eurTotal.total);
  });

  it('ranks customers by total within each currency', async () => {
    const response = await stack.call(
      'GET',
      '/v1/reports/revenue?from=2026-09-01T00:00:00Z&to=2026-12-01T00:00:00Z&group_by=customer',
    );
    expect(response.body.groups.map((g: any) => [g.key, g.currency])).toEqual([
      ['acme', 'EUR'],
      ['globex', 'EUR'],
      ['initech', 'USD'],
    ]);
    // No address, seller in DE: German VAT (19%) on 13.00 + 20.00.
    expect(response.body.groups[0]).toMatchObject({
      label: 'Acme, "Quoted" Ltd',
      subtotal: '33.00',
      tax: '6.27',
      total: '39.27',
      count: 2,
    });
  });

  it('counts an invoice issued exactly at `to` in the next range, not this one', async () => {
    const issuedAt = allInvoices.find((i) => i.issue_date.startsWith('2026-11')).issued_at;
    const before = await stack.call(
      'GET',
      `/v1/reports/revenue?from=2026-09-01T00:00:00Z&to=${issuedAt}&group_by=plan`,
    );
    expect(before.body.groups.every((g: any) => g.count === 1 || g.key === 'pro')).toBe(true);
    expect(before.body.totals.reduce((n: number, t: any) => n + t.count, 0)).toBe(3);
    const after = await stack.call('GET', `/v1/reports/revenue?from=${issuedAt}&to=2026-12-01T00:00:00Z&group_by=plan`);
    expect(after.body.totals.reduce((n: number, t: any) => n + t.count, 0)).toBe(2);
  });

  it('rejects a range that ends before it starts, and keys that are not admin', async () => {
    const bad = await stack.call('GET', '/v1/reports/revenue?from=2026-10-01T00:00:00Z&to=2026-09-01T00:00:00Z');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toContain('to');
    const anonymous = await stack.call(
      'GET',
      '/v1/reports/revenue?from=2026-09-01T00:00:00Z&to=2026-12-01T00:00:00Z',
      undefined,
      {
        key: null,
      },
    );
    expect(anonymous.status).toBe(401);
  });
});

describe('revenue counters', () => {
  const ranges = [
    ['2026-09-01T00:00:00Z', '2026-12-01T00:00:00Z'],
    ['2026-09-15T00:00:00Z', '2026-11-01T01:30:00Z'],
    ['2026-10-01T02:00:00Z', '2026-10-01T02:00:00.001Z'],
    ['2026-10-01T00:00:00Z', '2026-11-01T00:00:00Z'],
    // A whole UTC year (the yearly customer counters), and one with months and ragged days around it.
    ['2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z'],
    ['2025-12-15T06:00:00Z', '2027-02-10T00:00:00Z'],
    // "The last 12 months" up to next month's start: read up to the end of the year (nothing is issued after now).
    ['2025-12-01T00:00:00Z', '2026-12-01T00:00:00Z'],
  ];

  /** The report from the invoice documents themselves: what the counters must always agree with. */
  async function fromInvoices(from: string, to: string, groupBy: 'month' | 'plan' | 'customer') {
    const invoices = await stack.deps.revenue.invoicesIssued(new Date(from), new Date(to));
    return revenueReport(
      invoices.map((invoice) => invoiceRow(invoice, groupBy)),
      new Date(from),
      new Date(to),
      groupBy,
    );
  }

  async function expectAgreement() {
    for (const [from, to] of ranges)
      for (const groupBy of ['month', 'plan', 'customer'] as const) {
        const response = await stack.call('GET', `/v1/reports/revenue?from=${from}&to=${to}&group_by=${groupBy}`);
        expect(response.body, `${groupBy} ${from}..${to}`).toEqual(await fromInvoices(from!, to!, groupBy));
      }
  }

  it('agree with the invoice documents for aligned and ragged ranges', async () => {
    await expectAgreement();
  });

  it('move with mark paid and void through the API, and stay unchanged when the request is repeated', async () => {
    const initech = allInvoices.filter((i) => i.customer === 'initech');
    const october = initech.find((i) => i.period_start.startsWith('2026-10'));
    const paid = { paid_at: '2026-11-05T09:00:00Z', reference: 'wire-1' };
    for (let i = 0; i < 2; i++) {
      const response = await stack.call('POST', `/v1/invoices/${october.id}/mark-paid`, paid);
      expect(response.status, JSON.stringify(response.body)).toBe(200);
    }
    const september = initech.find((i) => i.period_start.startsWith('2026-09'));
    expect((await stack.call('POST', `/v1/invoices/${september.id}/void`, { reason: 'duplicate' })).status).toBe(200);
    const usd = (
      await stack.call('GET', '/v1/reports/revenue?from=2026-09-01T00:00:00Z&to=2026-12-01T00:00:00Z')
    ).body.totals.find((t: any) => t.currency === 'USD');
    expect(usd).toMatchObject({ count: 1, total: october.total, paid: october.total, outstanding: '0.00' });
    await expectAgreement();
    allInvoices = (await stack.call('GET', '/v1/invoices')).body.data;
  });
});

describe('GET /v1/reports/ingestion', () => {
  it('counts accepted, duplicate and rejected events by code per day of receipt, every day listed', async () => {
    const response = await stack.call('GET', '/v1/reports/ingestion?from=2026-09-19T00:00:00Z&to=2026-10-22T00:00:00Z');
    expect(response.status).toBe(200);
    const { days, totals } = response.body;
    expect(days).toHaveLength(33);
    expect(days.find((d: any) => d.day === '2026-09-20')).toEqual({
      day: '2026-09-20',
      accepted: 43,
      duplicate: 1,
      rejected: { unknown_customer: 1 },
      rejected_total: 1,
    });
    expect(days.find((d: any) => d.day === '2026-10-21')).toMatchObject({
      accepted: 101,
      duplicate: 0,
      rejected: { invalid_event: 1 },
    });
    expect(days.find((d: any) => d.day === '2026-09-25')).toMatchObject({
      accepted: 0,
      duplicate: 0,
      rejected_total: 0,
    });
    expect(totals).toEqual({
      accepted: 144,
      duplicate: 1,
      rejected: 2,
      rejected_by_code: { unknown_customer: 1, invalid_event: 1 },
    });
  });

  it('sums the shards of a day', async () => {
    let shard = 0;
    const store = new StatsStore(stack.deps.dynamo, stack.config.tableName, 8, () => shard++);
    for (let i = 0; i < 8; i++)
      await store.add([{ day: '2030-01-01', accepted: 2, duplicate: 1, rejected: { period_closed: 1 } }]);
    expect(await store.days('2030-01-01', '2030-01-01')).toEqual([
      { day: '2030-01-01', accepted: 16, duplicate: 8, rejected: { period_closed: 8 } },
    ]);
  });
});

describe('GET /v1/reports/upcoming', () => {
  it('sums the upcoming invoices of the active subscriptions per currency', async () => {
    clock.set('2026-11-10T00:00:00Z');
    await ingest(Array.from({ length: 7 }, () => event('acme', '2026-11-09T10:00:00Z')));
    const report = (await stack.call('GET', '/v1/reports/upcoming')).body;
    const upcoming = await Promise.all(
      ['acme', 'globex', 'initech'].map(
        async (id) => (await stack.call('GET', `/v1/customers/${id}/upcoming-invoice`)).body,
      ),
    );
    const eur = upcoming.filter((u) => u.currency === 'EUR');
    expect(report.subscriptions).toBe(3);
    expect(report.failed).toEqual([]);
    expect(report.totals).toEqual([
      {
        currency: 'EUR',
        count: 2,
        subtotal: sum(eur.map((u) => ({ total: u.subtotal }))).toFixed(2),
        total: sum(eur).toFixed(2),
      },
      { currency: 'USD', count: 1, subtotal: upcoming[2].subtotal, total: upcoming[2].total },
    ]);
    expect(report.top[0]).toMatchObject({ customer: 'acme', total: upcoming[0].total, plan: 'pro' });
    expect(report.top[0].usage).toEqual([{ meter: 'api', quantity: '7' }]);
  });

  it('serves the stored estimates until they are refreshed, and lists them with the customers', async () => {
    const before = (await stack.call('GET', '/v1/reports/upcoming')).body;
    await ingest(Array.from({ length: 3 }, () => event('globex', '2026-11-09T11:00:00Z')));
    const stale = (await stack.call('GET', '/v1/reports/upcoming')).body;
    expect(stale).toEqual(before);

    clock.set('2026-11-10T00:05:00Z');
    const refreshed = await stack.call('POST', '/v1/reports/upcoming/refresh?top=1');
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.as_of).toBe('2026-11-10T00:05:00.000Z');
    expect(refreshed.body.top.map((e: any) => e.customer)).toEqual(['acme', 'initech']);
    const globex = (await stack.call('GET', '/v1/customers/globex/upcoming-invoice')).body;
    const eur = refreshed.body.totals.find((t: any) => t.currency === 'EUR');
    expect(new Decimal(eur.total).minus(before.totals[0].total).toFixed(2)).toBe(
      new Decimal(globex.total).minus(stale.top.find((e: any) => e.customer === 'globex').total).toFixed(2),
    );

    const list = await stack.call('GET', '/v1/customers?include=estimate');
    expect(list.status).toBe(200);
    expect(list.body.estimates_as_of).toBe(refreshed.body.as_of);
    const row = list.body.data.find((c: any) => c.id === 'globex');
    expect(row.estimate).toMatchObject({
      plan: 'pro',
      total: globex.total,
      usage: [{ meter: 'api', quantity: '3' }],
      period_end: globex.period_end,
    });
    const plain = await stack.call('GET', '/v1/customers');
    expect(plain.body.data[0]).not.toHaveProperty('estimate');
    const bad = await stack.call('GET', '/v1/customers?include=usage');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toContain('include');
  });

  it('drops the estimate of a customer whose subscription ended', async () => {
    const cancel = await stack.call('POST', '/v1/subscriptions/sub-initech/cancel', { at: 'now' });
    expect(cancel.status, JSON.stringify(cancel.body)).toBe(200);
    // Until its last segment is invoiced, the ended subscription still has an estimate.
    await stack.call('POST', '/v1/reports/upcoming/refresh');
    let list = await stack.call('GET', '/v1/customers?include=estimate');
    expect(list.body.data.find((c: any) => c.id === 'initech').estimate.period_end).toBe('2026-11-10T00:00:00.000Z');
    clock.set('2026-11-10T03:00:00Z');
    await post('/v1/billing-runs', { as_of: '2026-11-10T03:00:00Z' });
    await stack.call('POST', '/v1/reports/upcoming/refresh');
    list = await stack.call('GET', '/v1/customers?include=estimate');
    expect(list.body.data.find((c: any) => c.id === 'initech').estimate).toBeNull();
    expect(list.body.data.find((c: any) => c.id === 'acme').estimate).not.toBeNull();
  });
});

describe('customer search', () => {
  it('finds customers by any part of id, name or email, in any case, across the whole list', async () => {
    const ids = async (query: string) => {
      const response = await stack.call('GET', `/v1/customers?${query}`);
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return { ids: response.body.data.map((c: any) => c.id), truncated: response.body.truncated };
    };
    expect(await ids('q=QUOTED')).toEqual({ ids: ['acme'], truncated: false });
    expect(await ids('q=INITECH%40example')).toEqual({ ids: ['initech'], truncated: false });
    expect(await ids('q=example.com&limit=2')).toEqual({ ids: ['acme', 'globex'], truncated: true });
    expect(await ids('q=nobody-like-this')).toEqual({ ids: [], truncated: false });
    const withEstimate = await stack.call('GET', '/v1/customers?q=glob&include=estimate');
    expect(withEstimate.body.data[0]).toHaveProperty('estimate');

    const renamed = await stack.call('PATCH', '/v1/customers/globex', { name: 'Globex Zebra Corp' });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    expect(await ids('q=zebra')).toEqual({ ids: ['globex'], truncated: false });
  });

  it('names the field of a bad search', async () => {
    const empty = await stack.call('GET', '/v1/customers?q=');
    expect(empty.status).toBe(400);
    expect(empty.body.error.details[0].path).toContain('q');
    const paged = await stack.call('GET', '/v1/customers?q=acme&cursor=abc');
    expect(paged.status).toBe(400);
    expect(paged.body.error.details[0].path).toContain('cursor');
  });
});

describe('CSV exports', () => {
  it('exports invoices as RFC 4180 CSV with exact amounts', async () => {
    allInvoices = (await stack.call('GET', '/v1/invoices')).body.data;
    const response = await fetch(`${stack.url}/v1/exports/invoices.csv?status=finalized`, {
      headers: { authorization: `Bearer ${stack.adminKey}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/csv');
    const text = await response.text();
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'number,id,status,customer,buyer_name,plan,plan_version,currency,issue_date,due_date,period_start,period_end,subtotal,tax_rate,tax,total,paid_at,payment_reference,voided_at',
    );
    expect(lines).toHaveLength(1 + allInvoices.filter((i) => i.status === 'finalized').length);
    const acme = allInvoices.find((i) => i.customer === 'acme' && i.period_start.startsWith('2026-10'));
    expect(lines).toContainEqual(
      expect.stringContaining(`${acme.number},${acme.id},finalized,acme,"Acme, ""Quoted"" Ltd",pro`),
    );
    expect(
      lines
        .find((l) => l.startsWith(acme.number))!
        .split(',')
        .at(-4),
    ).toBe(acme.total);
  });

  it('serves the same CSV from the list and usage routes with ?format=csv or Accept: text/csv', async () => {
    const csv = (path: string, accept = '*/*') =>
      fetch(`${stack.url}${path}`, { headers: { authorization: `Bearer ${stack.adminKey}`, accept } }).then(
        async (r) => [r.headers.get('content-type'), await r.text()],
      );
    const [, exported] = await csv('/v1/exports/invoices.csv?customer=acme');
    expect(await csv('/v1/invoices?customer=acme&format=csv')).toEqual(['text/csv; charset=utf-8', exported]);
    expect(await csv('/v1/invoices?customer=acme', 'text/csv')).toEqual(['text/csv; charset=utf-8', exported]);
    const [type] = await csv('/v1/invoices?customer=acme', 'application/json, text/plain, */*');
    expect(type).toContain('application/json');

    const query = 'meter=api&from=2026-09-01T00:00:00Z&to=2026-11-01T00:00:00Z&granularity=day';
    const [, usage] = await csv(`/v1/exports/usage.csv?customer=acme&${query}`);
    expect(await csv(`/v1/customers/acme/usage?${query}`, 'text/csv')).toEqual(['text/csv; charset=utf-8', usage]);
    const bad = await stack.call('GET', `/v1/customers/acme/usage?${query}&format=xml`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0]).toMatchObject({ path: expect.stringContaining('format') });
  });

  it('filters the invoice list by issue period', async () => {
    const october = await stack.call('GET', '/v1/invoices?from=2026-10-01T00:00:00Z&to=2026-10-02T00:00:00Z');
    expect(october.status).toBe(200);
    expect(october.body.data.map((i: any) => i.customer).sort()).toEqual(['acme', 'globex', 'initech']);
    expect(october.body.data.every((i: any) => i.issued_at.startsWith('2026-10-01'))).toBe(true);
    const reversed = await stack.call('GET', '/v1/invoices?from=2026-10-02T00:00:00Z&to=2026-10-01T00:00:00Z');
    expect(reversed.status).toBe(400);
  });

  it('exports usage as CSV with the numbers of the usage API', async () => {
    const query = 'meter=api&from=2026-09-01T00:00:00Z&to=2026-11-01T00:00:00Z&granularity=day';
    const api = (await stack.call('GET', `/v1/customers/acme/usage?${query}`)).body;
    const response = await fetch(`${stack.url}/v1/exports/usage.csv?customer=acme&${query}`, {
      headers: { authorization: `Bearer ${stack.adminKey}` },
    });
    const rows = (await response.text()).trimEnd().split('\r\n');
    expect(rows[0]).toBe('customer,meter,start,end,value,events');
    expect(rows.slice(1).map((r) => r.split(',')[4])).toEqual(api.series.map((p: any) => p.value));
    expect(rows.slice(1).some((r) => r.endsWith(',100,100'))).toBe(true);
  });
});
