/**
 * `npm run demo`: against a running `npm start`, creates meters, one plan per price model family,
 * customers in three currencies and locales, posts a month of usage events, runs the period close
 * and waits until the invoices are in the local inbox. Safe to run twice: ids are fixed, events are
 * deduplicated (exactly once), existing resources are kept.
 *
 * It never adopts what a person made: before changing anything it looks up every id it uses, and when
 * one exists but is not the demo's (customers, meters, plans and subscriptions carry no metadata, so a
 * demo-made resource is recognised by the fields the demo gives it: a customer's name, email, currency,
 * time zone and locale; a meter's event type and aggregation; ...), it stops and names them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';

const dataDir = process.env.BILLING_DATA_DIR ?? '.billing-data';
const runtime = existsSync(join(dataDir, 'runtime.json'))
  ? (JSON.parse(readFileSync(join(dataDir, 'runtime.json'), 'utf8')) as { url?: string; inboxUrl?: string })
  : {};
const API = process.env.BILLING_API_URL ?? runtime.url;
const KEY =
  process.env.BILLING_API_KEY ??
  (existsSync(join(dataDir, 'admin-key')) ? readFileSync(join(dataDir, 'admin-key'), 'utf8').trim() : undefined);

async function call(
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<{ status: number; body: any }> {
  const response = await fetch(`${API}${path}`, {
    method,
    headers: { authorization: `Bearer ${KEY}`, 'content-type': contentType },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json().catch(() => ({})) };
}

/** Creates a resource; an existing one (409) is kept. */
async function ensure(path: string, body: { key?: string; id?: string }): Promise<void> {
  const response = await call('POST', path, body);
  if (response.status === 201) process.stdout.write(`  created ${path} ${body.key ?? body.id}\n`);
  else if (response.status === 409) process.stdout.write(`  kept    ${path} ${body.key ?? body.id} (exists)\n`);
  else throw new Error(`${path} ${body.key ?? body.id}: ${response.status} ${JSON.stringify(response.body)}`);
}

/** A resource the demo uses, and the fields that tell that an existing one is the demo's own. */
interface Claim {
  label: string;
  path: string;
  fingerprint: Record<string, unknown>;
}

/** Why an existing resource with this id is not the demo's, or undefined when it is the demo's or missing. */
async function notTheDemos(claim: Claim): Promise<string | undefined> {
  const existing = await call('GET', claim.path);
  if (existing.status === 404) return undefined;
  if (existing.status !== 200) throw new Error(`${claim.path}: ${existing.status} ${JSON.stringify(existing.body)}`);
  const differences = Object.entries(claim.fingerprint)
    .filter(([field, value]) => !isDeepStrictEqual(existing.body[field], value))
    .map(
      ([field, value]) =>
        `${field} ${JSON.stringify(existing.body[field] ?? null)} (the demo's: ${JSON.stringify(value ?? null)})`,
    );
  return differences.length === 0 ? undefined : `${claim.label}: ${differences.join(', ')}`;
}

/** Stops before the demo changes anything when one of its ids is taken by a resource it did not make. */
async function refuseForeign(claims: readonly Claim[]): Promise<void> {
  const foreign: string[] = [];
  for (const claim of claims) {
    const reason = await notTheDemos(claim);
    if (reason) foreign.push(reason);
  }
  if (foreign.length === 0) return;
  throw new Error(
    `this stack has resources with the demo's ids that are not the demo's (made or edited by hand):\n${foreign.map((f) => `  ${f}`).join('\n')}\n` +
      'The demo posts a month of usage events and closes the period for its customers, so it changed nothing ' +
      'and stops here: run it against a stack of its own (`BILLING_DATA_DIR=$(mktemp -d) npm start`).',
  );
}

const isoDate = (t: Date) => t.toISOString().slice(0, 10);

async function main(): Promise<void> {
  if (!API || !KEY)
    throw new Error('no running stack found: start it with `npm start` (or set BILLING_API_URL and BILLING_API_KEY)');
  const health = await fetch(`${API}/health`).catch(() => undefined);
  if (!health?.ok) throw new Error(`the stack at ${API} does not answer: is \`npm start\` running?`);

  // The demo month: it started 1 month + 1 day ago (so it has ended and is inside the 35-day window).
  const now = new Date();
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, now.getUTCDate() - 1));
  const end = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, start.getUTCDate()));
  process.stdout.write(`demo month ${isoDate(start)} .. ${isoDate(end)}\n`);

  const meters = [
    { key: 'api_calls', name: 'API calls', event_type: 'api.request', aggregation: 'count' },
    {
      key: 'storage_gb',
      name: 'Storage (GB)',
      event_type: 'storage.snapshot',
      aggregation: 'max',
      value_property: 'gb',
    },
    {
      key: 'tokens',
      name: 'LLM tokens',
      event_type: 'llm.completion',
      aggregation: 'sum',
      value_property: 'tokens',
      group_by: ['model'],
    },
    {
      key: 'seats',
      name: 'Active seats',
      event_type: 'seat.active',
      aggregation: 'unique_count',
      value_property: 'user',
    },
    {
      key: 'kwh',
      name: 'Charging energy (kWh)',
      event_type: 'charger.session',
      aggregation: 'sum',
      value_property: 'kwh',
    },
    {
      key: 'payments',
      name: 'Payment volume',
      event_type: 'payment.captured',
      aggregation: 'sum',
      value_property: 'amount',
    },
  ];

  const plans = [
    {
      key: 'starter',
      name: 'Starter',
      currency: 'USD',
      interval: 'month',
      base_fee: { amount: '19.00', timing: 'in_advance' },
      charges: [
        { meter: 'api_calls', display_name: 'API calls', price: { model: 'per_unit', unit_price: '0.0025' } },
        {
          meter: 'seats',
          display_name: 'Seats beyond 3 included',
          price: { model: 'overage', included_units: '3', unit_price: '8.00' },
        },
      ],
    },
    {
      key: 'growth',
      name: 'Growth',
      currency: 'EUR',
      interval: 'month',
      base_fee: { amount: '49.00' },
      minimum_commitment: '150.00',
      charges: [
        {
          meter: 'api_calls',
          display_name: 'API calls',
          price: {
            model: 'graduated',
            tiers: [
              { up_to: '1000', unit_price: '0' },
              { up_to: '10000', unit_price: '0.01' },
              { up_to: null, unit_price: '0.005', flat_fee: '5.00' },
            ],
          },
        },
        {
          meter: 'storage_gb',
          display_name: 'Storage',
          price: { model: 'package', package_size: '50', package_price: '4.00', free_units: '10' },
        },
      ],
    },
    {
      key: 'ai',
      name: 'AI Platform',
      currency: 'EUR',
      interval: 'month',
      charges: [
        {
          meter: 'tokens',
          display_name: 'Tokens by model',
          price: {
            model: 'matrix',
            dimensions: ['model'],
            entries: [
              { match: { model: 'large' }, price: { model: 'per_unit', unit_price: '0.00003' } },
              {
                match: { model: 'small' },
                price: {
                  model: 'volume',
                  tiers: [
                    { up_to: '100000', unit_price: '0.000004' },
                    { up_to: null, unit_price: '0.000002' },
                  ],
                },
              },
            ],
            default_price: { model: 'per_unit', unit_price: '0.00001' },
          },
        },
        {
          meter: 'seats',
          display_name: 'Seats',
          price: {
            model: 'volume',
            tiers: [
              { up_to: '5', unit_price: '12.00' },
              { up_to: null, unit_price: '9.00' },
            ],
          },
        },
      ],
    },
    {
      key: 'charging',
      name: 'EV Charging',
      currency: 'GBP',
      interval: 'month',
      base_fee: { amount: '5.00' },
      charges: [
        {
          meter: 'kwh',
          display_name: 'Energy',
          price: {
            model: 'time_of_use',
            bands: [
              {
                name: 'peak',
                days: ['mon', 'tue', 'wed', 'thu', 'fri'],
                from: '16:00',
                to: '20:00',
                price: { model: 'per_unit', unit_price: '0.45' },
              },
              {
                name: 'night',
                days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
                from: '23:00',
                to: '06:00',
                price: { model: 'per_unit', unit_price: '0.09' },
              },
            ],
            default_price: { model: 'per_unit', unit_price: '0.28' },
          },
        },
      ],
    },
    {
      key: 'payments',
      name: 'Payments',
      currency: 'USD',
      interval: 'month',
      charges: [
        {
          meter: 'payments',
          display_name: 'Card payments',
          price: {
            model: 'percentage',
            rate_percent: '1.4',
            fixed_fee_per_event: '0.25',
            free_events: 5,
            per_event_max: '20.00',
          },
        },
      ],
    },
  ];

  const customers = [
    {
      id: 'acme',
      name: 'Acme Robotik GmbH',
      email: 'rechnung@acme.example',
      currency: 'EUR',
      timezone: 'Europe/Berlin',
      locale: 'de',
      tax_rate: '19',
      tax_id: 'DE811907980',
      address: { line1: 'Friedrichstraße 68', city: 'Berlin', postal_code: '10117', country: 'DE' },
      plan: 'growth',
    },
    {
      id: 'lumen',
      name: 'Lumen AI SAS',
      email: 'finance@lumen.example',
      currency: 'EUR',
      timezone: 'Europe/Paris',
      locale: 'en',
      tax_rate: '20',
      tax_id: 'FR40303265045',
      address: { line1: '12 rue de Rivoli', city: 'Paris', postal_code: '75004', country: 'FR' },
      plan: 'ai',
    },
    {
      id: 'voltway',
      name: 'Voltway Ltd',
      email: 'accounts@voltway.example',
      currency: 'GBP',
      timezone: 'Europe/London',
      locale: 'en-GB',
      tax_rate: '20',
      address: { line1: '1 Canal Street', city: 'Manchester', postal_code: 'M1 3HE', country: 'GB' },
      plan: 'charging',
    },
    {
      id: 'northwind',
      name: 'Northwind Traders Inc.',
      email: 'ap@northwind.example',
      currency: 'USD',
      timezone: 'America/New_York',
      locale: 'en',
      address: { line1: '350 Fifth Avenue', city: 'New York', postal_code: '10118', state: 'NY', country: 'US' },
      plan: 'payments',
    },
    {
      id: 'tinybird',
      name: 'Tinybird Studio LLC',
      email: 'hello@tinybird.example',
      currency: 'USD',
      timezone: 'America/Los_Angeles',
      locale: 'en',
      plan: 'starter',
    },
  ];

  await refuseForeign([
    ...meters.map((meter) => ({
      label: `meter ${meter.key}`,
      path: `/v1/meters/${meter.key}`,
      fingerprint: {
        event_type: meter.event_type,
        aggregation: meter.aggregation,
        value_property: meter.value_property,
        group_by: meter.group_by ?? [],
      },
    })),
    ...plans.map((plan) => ({
      label: `plan ${plan.key}`,
      path: `/v1/plans/${plan.key}`,
      fingerprint: { name: plan.name, currency: plan.currency, interval: plan.interval },
    })),
    ...customers.flatMap(({ plan, ...customer }) => [
      {
        label: `customer ${customer.id}`,
        path: `/v1/customers/${customer.id}`,
        fingerprint: {
          name: customer.name,
          email: customer.email,
          currency: customer.currency,
          timezone: customer.timezone,
          locale: customer.locale,
        },
      },
      {
        label: `subscription sub-${customer.id}`,
        path: `/v1/subscriptions/sub-${customer.id}`,
        fingerprint: { customer: customer.id, plan },
      },
    ]),
  ]);

  process.stdout.write('\nmeters\n');
  for (const meter of meters) await ensure('/v1/meters', meter);
  process.stdout.write('\nplans\n');
  for (const plan of plans) await ensure('/v1/plans', plan);
  process.stdout.write('\ncustomers and subscriptions\n');
  for (const { plan, ...customer } of customers) {
    await ensure('/v1/customers', customer);
    await ensure('/v1/subscriptions', {
      id: `sub-${customer.id}`,
      customer: customer.id,
      plan,
      start_date: isoDate(start),
    } as { id: string });
  }

  process.stdout.write('\nevents\n');
  let seed = 42;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const events: unknown[] = [];
  const at = (fraction: number) =>
    new Date(start.getTime() + Math.floor(fraction * (end.getTime() - start.getTime() - 60_000))).toISOString();
  const add = (subject: string, type: string, count: number, data: (i: number) => Record<string, unknown>) => {
    for (let i = 0; i < count; i++)
      events.push({
        specversion: '1.0',
        id: `demo-${subject}-${type}-${i}`,
        source: 'demo',
        type,
        subject,
        time: at(random()),
        data: data(i),
      });
  };
  add('acme', 'api.request', 2400, () => ({ endpoint: '/v1/orders' }));
  add('acme', 'storage.snapshot', 30, (i) => ({ gb: String(40 + i * 6.5) }));
  add('lumen', 'llm.completion', 900, (i) => ({
    tokens: 200 + Math.floor(random() * 4000),
    model: i % 3 === 0 ? 'large' : i % 3 === 1 ? 'small' : 'embed',
  }));
  add('lumen', 'seat.active', 300, (i) => ({ user: `user-${i % 7}` }));
  add('voltway', 'charger.session', 400, () => ({ kwh: (5 + random() * 40).toFixed(3) }));
  add('northwind', 'payment.captured', 600, () => ({ amount: (10 + random() * 2000).toFixed(2) }));
  add('tinybird', 'api.request', 1200, () => ({}));
  add('tinybird', 'seat.active', 120, (i) => ({ user: `u${i % 5}` }));
  const totals = { accepted: 0, duplicates: 0, rejected: 0 };
  for (let i = 0; i < events.length; i += 1000) {
    const response = await call('POST', '/v1/events', events.slice(i, i + 1000), 'application/cloudevents-batch+json');
    if (response.status !== 200) throw new Error(`events: ${response.status} ${JSON.stringify(response.body)}`);
    totals.accepted += response.body.accepted;
    totals.duplicates += response.body.duplicates;
    totals.rejected += response.body.rejected;
  }
  process.stdout.write(
    `  ${events.length} events: ${totals.accepted} accepted, ${totals.duplicates} duplicates, ${totals.rejected} rejected\n`,
  );

  process.stdout.write('\nperiod close\n');
  const run = await call('POST', '/v1/billing-runs', {});
  if (run.status !== 200) throw new Error(`billing run: ${run.status} ${JSON.stringify(run.body)}`);
  process.stdout.write(
    `  run ${run.body.id}: ${run.body.summary.invoiced} invoiced, ${run.body.summary.skipped} skipped, ${run.body.summary.failed} failed\n`,
  );

  process.stdout.write('\ninvoices\n');
  const deadline = Date.now() + 60_000;
  let invoices: any[] = [];
  for (;;) {
    invoices = (await call('GET', '/v1/invoices?limit=50')).body.data ?? [];
    const pending = invoices.filter((i) => i.delivery.status !== 'sent');
    if (pending.length === 0 || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  for (const invoice of invoices) {
    process.stdout.write(
      `  ${invoice.number}  ${invoice.customer.padEnd(10)} ${invoice.currency} ${invoice.total.padStart(10)}  ${invoice.delivery.status}\n`,
    );
  }
  let upcoming = await call('POST', '/v1/reports/upcoming/refresh', undefined);
  if (upcoming.status === 202) {
    // Refreshing in the background (as in AWS): wait for a snapshot newer than the one before.
    const before = upcoming.body.as_of as string | null;
    const until = Date.now() + 120_000;
    do {
      await new Promise((resolve) => setTimeout(resolve, 500));
      upcoming = await call('GET', '/v1/reports/upcoming');
    } while (upcoming.status === 200 && upcoming.body.as_of === before && Date.now() < until);
  }
  if (upcoming.status !== 200) throw new Error(`estimates: ${upcoming.status} ${JSON.stringify(upcoming.body)}`);
  process.stdout.write('\nabout to be billed (current periods so far)\n');
  for (const total of upcoming.body.totals)
    process.stdout.write(`  ${total.currency} ${total.total.padStart(10)}  from ${total.count} subscriptions\n`);
  if (runtime.inboxUrl) process.stdout.write(`\nread them in the local inbox: ${runtime.inboxUrl}\n`);
  process.stdout.write(
    `PDF of one invoice: curl -H "Authorization: Bearer $(cat ${dataDir}/admin-key)" ${API}/v1/invoices/${invoices[0]?.id}/pdf -o invoice.pdf\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`demo: ${(error as Error).message}\n`);
  process.exit(1);
});
