import type { TestStack } from '../support/stack.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * A small but realistic book of business, relative to the real clock (the dashboard reads "now" from
 * the browser): six customers in two currencies subscribed since the first of the month four months
 * ago, usage every six hours, posted on the day it happened (the stack's clock is pinned meanwhile, so
 * the ingestion statistics and the acceptance window see real history), each month closed on its
 * first day, a few retries (duplicates) and mistakes (rejections).
 */
export async function seedDashboardData(
  stack: TestStack,
  /** Pins the stack's clock; undefined: the real time again. */
  pin: (at: Date | undefined) => void,
  now = new Date(),
): Promise<void> {
  const call = async (method: string, path: string, body?: unknown, contentType?: string) => {
    const response = await stack.call(method, path, body, contentType ? { contentType } : {});
    if (response.status >= 300)
      throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  };
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 4, 1));
  pin(start);
  await call('POST', '/v1/meters', {
    key: 'api_calls',
    name: 'API calls',
    event_type: 'api.calls',
    aggregation: 'sum',
    value_property: 'calls',
  });
  await call('POST', '/v1/meters', {
    key: 'tokens',
    name: 'LLM tokens',
    event_type: 'llm.tokens',
    aggregation: 'sum',
    value_property: 'tokens',
    group_by: ['model'],
  });
  await call('POST', '/v1/meters', {
    key: 'storage_gb',
    name: 'Storage (GB, peak)',
    event_type: 'storage.snapshot',
    aggregation: 'max',
    value_property: 'gb',
  });
  await call('POST', '/v1/plans', {
    key: 'growth',
    name: 'Growth',
    currency: 'EUR',
    interval: 'month',
    base_fee: { amount: '49.00', timing: 'in_advance' },
    charges: [
      {
        meter: 'api_calls',
        display_name: 'API calls',
        price: {
          model: 'graduated',
          tiers: [
            { up_to: '10000', unit_price: '0' },
            { up_to: '100000', unit_price: '0.0008' },
            { up_to: null, unit_price: '0.0005', flat_fee: '5.00' },
          ],
        },
      },
      {
        meter: 'tokens',
        display_name: 'LLM tokens',
        price: { model: 'package', package_size: '1000', package_price: '0.04' },
      },
      { meter: 'storage_gb', display_name: 'Storage', price: { model: 'per_unit', unit_price: '0.12' } },
    ],
  });
  await call('POST', '/v1/plans', {
    key: 'scale',
    name: 'Scale',
    currency: 'USD',
    interval: 'month',
    base_fee: { amount: '199.00', timing: 'in_advance' },
    charges: [
      {
        meter: 'api_calls',
        display_name: 'API calls',
        price: {
          model: 'volume',
          tiers: [
            { up_to: '50000', unit_price: '0.0009' },
            { up_to: null, unit_price: '0.0006' },
          ],
        },
      },
      { meter: 'tokens', display_name: 'LLM tokens', price: { model: 'per_unit', unit_price: '0.00003' } },
    ],
  });
  // Two plans nobody subscribes to (so no invoice, estimate or customer changes): the price simulator's
  // matrix, time-of-use and percentage charges.
  const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri'];
  await call('POST', '/v1/plans', {
    key: 'usage-mix',
    name: 'Usage mix',
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
            {
              match: { model: 'small' },
              price: {
                model: 'graduated',
                tiers: [
                  { up_to: '100000', unit_price: '0.000004' },
                  { up_to: null, unit_price: '0.000002' },
                ],
              },
            },
            { match: { model: 'large' }, price: { model: 'per_unit', unit_price: '0.00003' } },
          ],
          default_price: { model: 'per_unit', unit_price: '0.00001' },
        },
      },
      {
        meter: 'api_calls',
        display_name: 'API calls by time of day',
        price: {
          model: 'time_of_use',
          bands: [
            {
              name: 'peak',
              days: weekdays,
              from: '16:00',
              to: '20:00',
              price: { model: 'per_unit', unit_price: '0.0045' },
            },
            {
              name: 'night',
              days: [...weekdays, 'sat', 'sun'],
              from: '23:00',
              to: '06:00',
              price: { model: 'per_unit', unit_price: '0.0009' },
            },
          ],
          default_price: { model: 'per_unit', unit_price: '0.0028' },
        },
      },
    ],
  });
  await call('POST', '/v1/plans', {
    key: 'payments',
    name: 'Payments',
    currency: 'USD',
    interval: 'month',
    charges: [
      {
        meter: 'api_calls',
        display_name: 'Card payments',
        price: {
          model: 'percentage',
          rate_percent: '1.4',
          fixed_fee_per_event: '0.25',
          free_events: 5,
          per_event_max: '20.00',
        },
      },
      {
        meter: 'tokens',
        display_name: 'Payouts',
        price: {
          model: 'graduated_percentage',
          tiers: [
            { up_to: '1000', rate_percent: '2' },
            { up_to: null, rate_percent: '1', flat_fee: '1.00' },
          ],
        },
      },
    ],
  });
  const customers = [
    {
      id: 'acme',
      name: 'Acme Robotics GmbH',
      currency: 'EUR',
      plan: 'growth',
      scale: 3,
      timezone: 'Europe/Berlin',
      tax: '19',
    },
    {
      id: 'globex',
      name: 'Globex Analytics',
      currency: 'EUR',
      plan: 'growth',
      scale: 1,
      timezone: 'Europe/Paris',
      tax: '20',
    },
    { id: 'initech', name: 'Initech Inc.', currency: 'USD', plan: 'scale', scale: 2, timezone: 'America/New_York' },
    {
      id: 'umbrella',
      name: 'Umbrella Health',
      currency: 'EUR',
      plan: 'growth',
      scale: 2,
      timezone: 'Europe/Berlin',
      tax: '19',
    },
    { id: 'hooli', name: 'Hooli Cloud', currency: 'USD', plan: 'scale', scale: 4, timezone: 'America/Los_Angeles' },
    {
      id: 'stark',
      name: 'Stark Industries',
      currency: 'EUR',
      plan: 'growth',
      scale: 1,
      timezone: 'Europe/Berlin',
      tax: '19',
    },
  ];
  for (const c of customers) {
    await call('POST', '/v1/customers', {
      id: c.id,
      name: c.name,
      email: `billing@${c.id}.example`,
      currency: c.currency,
      timezone: c.timezone,
      locale: 'en',
      ...(c.tax ? { tax_rate: c.tax } : {}),
    });
    await call('POST', '/v1/subscriptions', {
      id: `sub-${c.id}`,
      customer: c.id,
      plan: c.plan,
      start_date: start.toISOString().slice(0, 10),
    });
  }

  const post = (batch: unknown[]) => call('POST', '/v1/events', batch, 'application/cloudevents-batch+json');
  let seq = 0;
  const until = now.getTime() - HOUR;
  for (let day = start.getTime(), index = 0; day < until; day += DAY, index++) {
    const events: Array<Record<string, unknown>> = [];
    const growth = 1 + index / 90;
    for (const c of customers) {
      for (let slot = 0; slot < 4; slot++) {
        const t = day + slot * 6 * HOUR + 2 * HOUR;
        if (t >= until) continue;
        const time = new Date(t).toISOString();
        const wave = 1 + 0.35 * Math.sin((index + slot) / 2.3);
        const base = { specversion: '1.0', source: 'e2e', subject: c.id, time };
        events.push({
          ...base,
          id: `a-${seq++}`,
          type: 'api.calls',
          data: { calls: Math.round(c.scale * 700 * wave * growth) },
        });
        events.push({
          ...base,
          id: `t-${seq++}`,
          type: 'llm.tokens',
          data: { tokens: Math.round(c.scale * 21_000 * wave), model: slot % 2 ? 'large' : 'small' },
        });
        if (c.currency === 'EUR')
          events.push({
            ...base,
            id: `s-${seq++}`,
            type: 'storage.snapshot',
            data: { gb: (c.scale * 40 * growth).toFixed(2) },
          });
      }
    }
    if (events.length === 0) continue;
    const last = events
      .map((e) => String(e.time))
      .sort()
      .at(-1)!;
    const receivedAt = new Date(Math.min(Date.parse(last) + 10 * 60_000, now.getTime()));
    pin(receivedAt);
    await post(events);
    // Retries (duplicates) on some days, mistakes (rejections) on others.
    if (index % 3 === 0) await post(events.slice(0, 4 + (index % 5) * 3));
    if (index % 4 === 1)
      await post([
        {
          specversion: '1.0',
          id: `x-${index}-1`,
          source: 'e2e',
          type: 'api.calls',
          subject: 'nobody',
          time: last,
          data: { calls: 1 },
        },
        { specversion: '1.0', id: `x-${index}-2`, source: 'e2e', type: 'unknown.type', subject: 'acme', time: last },
      ]);
    if (index % 7 === 2)
      await post([
        {
          specversion: '1.0',
          id: `x-${index}-3`,
          source: 'e2e',
          type: 'llm.tokens',
          subject: 'acme',
          time: last,
          data: { tokens: 'many' },
        },
      ]);
    // The first of a month: close the month that ended (the invoices are issued that day).
    if (new Date(day).getUTCDate() === 1 && index > 0)
      await call('POST', '/v1/billing-runs', { as_of: receivedAt.toISOString() });
  }
  pin(undefined);
}
