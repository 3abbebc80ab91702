import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeWorkflowDefinition, synthTemplate } from '../../lib/synth.js';
import type { LocalWorkflow } from '../../local/close-workflow.js';
import { SELLER_ENV, startTestStack, type TestClock, type TestStack, testClock } from '../support/stack.js';

let stack: TestStack;
let clock: TestClock;

let seq = 0;
function events(
  subject: string,
  type: string,
  times: string[],
  data: (i: number) => Record<string, unknown> = () => ({}),
) {
  return times.map((time, i) => ({
    specversion: '1.0',
    id: `${subject}-${type}-${seq++}`,
    source: 'test',
    type,
    subject,
    time,
    data: data(i),
  }));
}

async function ingest(batch: unknown[]) {
  for (let i = 0; i < batch.length; i += 500) {
    const response = await stack.call('POST', '/v1/events', batch.slice(i, i + 500), {
      contentType: 'application/cloudevents-batch+json',
    });
    expect(response.status).toBe(200);
    expect(
      response.body.rejected,
      JSON.stringify(response.body.results.filter((r: any) => r.status === 'rejected').slice(0, 3)),
    ).toBe(0);
  }
}

async function run(asOf: string) {
  const response = await stack.call('POST', '/v1/billing-runs', { as_of: asOf });
  expect(response.status).toBe(200);
  return response.body;
}

async function invoicesOf(customer: string) {
  return (await stack.call('GET', `/v1/invoices?customer=${customer}`)).body.data as any[];
}

beforeAll(async () => {
  clock = testClock('2026-10-15T00:00:00Z');
  stack = await startTestStack({ clock, env: SELLER_ENV });
  const post = async (path: string, body: unknown) => {
    const response = await stack.call('POST', path, body);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body;
  };
  await post('/v1/meters', { key: 'api', name: 'API calls', event_type: 'api.call', aggregation: 'count' });
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
    // The close seals the period: a late event is rejected period_closed (tested below).
    late_usage: 'reject',
    base_fee: { amount: '10.00', timing: 'in_arrears' },
    charges: [
      {
        meter: 'api',
        display_name: 'API calls',
        price: {
          model: 'graduated',
          tiers: [
            { up_to: '100', unit_price: '0' },
            { up_to: null, unit_price: '0.01' },
          ],
        },
      },
      {
        meter: 'tokens',
        price: {
          model: 'matrix',
          dimensions: ['model'],
          entries: [
            { match: { model: 'large' }, price: { model: 'per_unit', unit_price: '0.002' } },
            { match: { model: 'small' }, price: { model: 'per_unit', unit_price: '0.0005' } },
          ],
        },
      },
    ],
  });
  const customer = (id: string, timezone: string, extra: Record<string, unknown> = {}) =>
    post('/v1/customers', {
      id,
      name: `Customer ${id}`,
      email: `${id}@example.com`,
      currency: 'EUR',
      timezone,
      locale: 'de',
      tax_rate: '19',
      ...extra,
    });
  await customer('berlin', 'Europe/Berlin');
  await customer('kolkata', 'Asia/Kolkata');
  await customer('paris', 'Europe/Paris', { tax_id: 'FR12345678901' });
  for (const id of ['berlin', 'kolkata', 'paris'])
    await post('/v1/subscriptions', { id: `sub-${id}`, customer: id, plan: 'pro', start_date: '2026-10-01' });

  // October usage, posted on Oct 31 (and a minute after midnight UTC, inside the grace).
  clock.set('2026-10-31T12:00:00Z');
  await ingest(
    events(
      'berlin',
      'api.call',
      Array.from({ length: 150 }, () => '2026-10-20T10:00:00Z'),
    ),
  );
  await ingest(
    events('berlin', 'llm.tokens', ['2026-10-02T08:00:00Z', '2026-10-03T08:00:00Z'], (i) =>
      i === 0 ? { tokens: 1000, model: 'large' } : { tokens: '4000', model: 'small' },
    ),
  );
  clock.set('2026-11-01T00:01:00Z');
  // Berlin left summer time on Oct 25: October ends at Oct 31 23:00Z. 22:30Z is still October, 23:00Z is November.
  await ingest(events('berlin', 'api.call', ['2026-10-31T22:30:00Z', '2026-10-31T23:00:00Z']));
  // Kolkata is +05:30: October ends at Oct 31 18:30Z.
  await ingest(events('kolkata', 'api.call', ['2026-10-31T18:15:00Z', '2026-10-31T18:30:00Z']));
  await ingest(events('paris', 'llm.tokens', ['2026-10-10T10:00:00Z'], () => ({ tokens: '10000', model: 'large' })));
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

describe('period close', () => {
  it('runs the very state machine the CDK template deploys', () => {
    const local = (stack.deps.workflow as LocalWorkflow).definition;
    expect(local).toEqual(closeWorkflowDefinition(synthTemplate()));
    expect(Object.keys(local.States as object)).toContain('CloseEachSubscription');
  });

  it('does not close periods before their end plus the grace', async () => {
    // Kolkata's October ends first (18:30Z); with the 1 h grace it is due from 19:30Z.
    const result = await run('2026-10-31T19:29:00Z');
    expect(result.summary).toEqual({ invoiced: 0, drafted: 0, skipped: 0, failed: 0 });
  });

  it('invoices every due subscription once, with gapless numbers, as computed by hand', async () => {
    clock.set('2026-11-02T09:00:00Z');
    const result = await run('2026-11-02T09:00:00Z');
    expect(result.status, JSON.stringify(result)).toBe('succeeded');
    expect(result.summary).toEqual({ invoiced: 3, drafted: 0, skipped: 0, failed: 0 });
    const numbers = result.results.map((r: any) => r.invoice_number).sort();
    expect(numbers).toEqual(['INV-2026-000001', 'INV-2026-000002', 'INV-2026-000003']);

    const [berlin] = await invoicesOf('berlin');
    // base 10.00 + API 151 calls (100 free, 51 × 0.01 = 0.51) + tokens 1000 × 0.002 + 4000 × 0.0005 = 4.00
    expect(berlin.lines.map((l: any) => [l.kind, l.quantity, l.amount])).toEqual([
      ['base_fee', '1', '10.00'],
      ['usage', '151', '0.51'],
      ['usage', '5000', '4.00'],
    ]);
    expect(berlin).toMatchObject({
      subtotal: '14.51',
      tax_rate: '19',
      tax: '2.76',
      total: '17.27',
      currency: 'EUR',
      plan: 'pro',
      plan_version: 1,
    });
    expect(berlin.period_start).toBe('2026-09-30T22:00:00.000Z');
    expect(berlin.period_end).toBe('2026-10-31T23:00:00.000Z');
    expect(berlin.issue_date).toBe('2026-11-02');
    expect(berlin.due_date).toBe('2026-11-16');
    expect(berlin.lines[1].details.length).toBeGreaterThan(0);

    const [kolkata] = await invoicesOf('kolkata');
    expect(kolkata.period_end).toBe('2026-10-31T18:30:00.000Z');
    expect(kolkata.lines[1].quantity).toBe('1');

    // The email is owed from the moment the invoice exists: its outbox entry is written in the same transaction.
    const owed = await stack.deps.invoices.outbox();
    expect(owed.map((entry) => entry.invoiceId).sort()).toEqual(result.results.map((r: any) => r.invoice_id).sort());

    const [paris] = await invoicesOf('paris');
    expect(paris).toMatchObject({ reverse_charge: true, tax: '0.00', subtotal: '30.00', total: '30.00' });
    expect(paris.notes[0]).toContain('Reverse charge');
  });

  it('creates nothing new when the same close runs again, or twice at once', async () => {
    const again = await run('2026-11-02T09:00:00Z');
    expect(again.summary.invoiced).toBe(0);
    clock.set('2026-11-02T09:30:00Z');
    const twice = await Promise.all([run('2026-11-02T09:30:00Z'), run('2026-11-02T09:30:00Z')]);
    expect(twice.map((r) => r.summary.invoiced)).toEqual([0, 0]);
    const all = (await stack.call('GET', '/v1/invoices')).body.data;
    expect(all).toHaveLength(3);
  });

  it('rejects a late event for the sealed period and bills November usage next time', async () => {
    const late = await stack.call('POST', '/v1/events', events('berlin', 'api.call', ['2026-10-31T22:59:00Z']), {
      contentType: 'application/cloudevents-batch+json',
    });
    expect(late.body.results[0].code).toBe('period_closed');
    const subscription = (await stack.call('GET', '/v1/subscriptions/sub-berlin')).body;
    expect(subscription.current_period).toMatchObject({
      start: '2026-10-31T23:00:00.000Z',
      end: '2026-11-30T23:00:00.000Z',
    });
    const upcoming = (await stack.call('GET', '/v1/customers/berlin/upcoming-invoice')).body;
    expect(upcoming.lines.find((l: any) => l.meter === 'api').quantity).toBe('1');
  });

  it('runs from the CLI: billing close prints each outcome', async () => {
    clock.set('2026-11-02T10:00:00Z');
    const { stdout } = await promisify(execFile)('node', [
      'bin/billing-cli.mjs',
      'close',
      '--as-of',
      '2026-11-02T10:00:00Z',
      '--url',
      stack.url,
      '--key',
      stack.adminKey,
    ]);
    expect(stdout).toMatch(/^run run_\w+ as of 2026-11-02T10:00:00.000Z: succeeded/);
    expect(stdout).toContain('0 invoiced, 0 drafted, 0 skipped, 0 failed');
  });

  it('refuses a close as of the future from the CLI, naming the field', async () => {
    const failed = await promisify(execFile)('node', [
      'bin/billing-cli.mjs',
      'close',
      '--as-of',
      '2027-01-05T00:00:00Z',
      '--url',
      stack.url,
      '--key',
      stack.adminKey,
    ]).catch((error: { code: number; stderr: string; stdout: string }) => error);
    expect('code' in failed && failed.code).toBe(2);
    expect(`${failed.stdout}${failed.stderr}`).toMatch(/as_of.*must not be in the future/);
  });
});
