import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDynamoClient } from '../../functions/adapters/dynamodb/client.js';
import { UsageStore } from '../../functions/adapters/dynamodb/usage.js';
import { startLevels } from '../../functions/app/usage-levels.js';
import { Decimal } from '../../functions/domain/decimal.js';
import type { Meter } from '../../functions/domain/metering/meter.js';
import { startTestStack, type TestClock, type TestStack, testClock } from '../support/stack.js';

/**
 * Monthly level snapshots of a weighted_sum meter, on DynamoDB Local through the API: ten months of
 * storage changes in Berlin (+10 GB on the 3rd, -3 GB on the 20th of each month, +5 GB on October 28),
 * then November's GB-hours. The level carried into November is read from a snapshot at the start of
 * the latest month that is final (the acceptance window of 35 days plus a day), and the month after it.
 */
let stack: TestStack;
let clock: TestClock;
const METER = { key: 'storage', eventType: 'storage.changed' };
/** November 1 and 2, 00:00 in Berlin (CET). */
const NOV_1 = '2026-10-31T23:00:00Z';
const NOV_2 = '2026-11-01T23:00:00Z';
/** October 1, 00:00 in Berlin (CEST): the snapshot point on November 20 (final before October 15). */
const OCT_1_BUCKET = '2026-09-30T22:00Z';

const change = (id: string, time: string, gb: string) => ({
  specversion: '1.0',
  id,
  source: 'levels',
  type: 'storage.changed',
  subject: 'acme',
  time,
  data: { gb },
});

async function post(id: string, time: string, gb: string) {
  const response = await stack.call('POST', '/v1/events', [change(id, time, gb)], {
    contentType: 'application/cloudevents-batch+json',
  });
  expect(response.status).toBe(200);
  return response.body as { accepted: number; rejected: number };
}

const novemberFirst = async () => {
  const response = await stack.call(
    'GET',
    `/v1/customers/acme/usage?meter=storage&from=${NOV_1}&to=${NOV_2}&granularity=total`,
  );
  expect(response.status).toBe(200);
  return response.body.series[0]?.value as string;
};

beforeAll(async () => {
  clock = testClock('2026-01-01T00:00:00Z');
  stack = await startTestStack({ clock, archive: true });
  expect(
    (
      await stack.call('POST', '/v1/customers', {
        id: 'acme',
        name: 'Acme GmbH',
        email: 'billing@acme.example',
        currency: 'EUR',
        timezone: 'Europe/Berlin',
        locale: 'de',
      })
    ).status,
  ).toBe(201);
  const meter = await stack.call('POST', '/v1/meters', {
    key: 'storage',
    name: 'Storage',
    event_type: 'storage.changed',
    value_property: 'gb',
    aggregation: 'weighted_sum',
    per: 'hour',
  });
  expect(meter.status).toBe(201);
  // Each change is posted an hour after it happened (the clock follows).
  for (let month = 1; month <= 10; month++) {
    const mm = String(month).padStart(2, '0');
    for (const [day, gb] of [
      ['03', '10'],
      ['20', '-3'],
    ] as const) {
      const time = `2026-${mm}-${day}T09:00:00Z`;
      clock.set(`2026-${mm}-${day}T10:00:00Z`);
      expect(await post(`m${mm}-${day}`, time, gb)).toMatchObject({ accepted: 1 });
    }
  }
  clock.set('2026-10-28T10:00:00Z');
  expect(await post('oct-28', '2026-10-28T09:00:00Z', '5')).toMatchObject({ accepted: 1 });
  clock.set('2026-11-20T12:00:00Z');
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

afterEach(() => {
  vi.restoreAllMocks();
});

const NOW = new Date('2026-11-20T12:00:00Z');
const storage = async () => (await stack.deps.meters.get('storage')) as Meter;

describe('weighted_sum level snapshots', () => {
  it('keeps the level at the start of the last final month, and reads only the month after it', async () => {
    expect(await stack.deps.usage.levelSnapshot('acme', METER, '2026-11-01T00:00Z')).toBeUndefined();
    // Level 10 x 7 + 5 = 75 GB through November 1: 24 hours of it.
    expect(await novemberFirst()).toBe('1800');
    // The API's reading left a snapshot at October 1, final since October 15 under the 35-day window.
    const snapshot = await stack.deps.usage.levelSnapshot('acme', METER, '2026-11-01T00:00Z');
    expect(snapshot).toMatchObject({ bucket: OCT_1_BUCKET, basis: { kind: 'window', days: 35 } });
    expect(snapshot?.levels.map((level) => [level.dimensions, level.level.toString()])).toEqual([[{}, '63']]);
    expect(await novemberFirst()).toBe('1800');

    // A reading now starts from the snapshot: October's rollups only, not the history from January.
    const counters = vi.spyOn(stack.deps.usage, 'counters');
    const firstBucket = vi.spyOn(stack.deps.usage, 'firstBucket');
    const levels = await startLevels(stack.deps.usage, 'acme', await storage(), new Date(NOV_1), 'Europe/Berlin', {
      now: NOW,
      acceptanceWindowDays: 35,
    });
    expect(levels.map((level) => level.level.toString())).toEqual(['75']);
    expect(firstBucket).not.toHaveBeenCalled();
    expect(counters.mock.calls.map((call) => [call[2], call[3]])).toEqual([[OCT_1_BUCKET, '2026-10-31T23:00Z']]);
  });

  it('counts late changes after the snapshot, and the acceptance window refuses any before it', async () => {
    expect(await post('oct-20', '2026-10-20T09:00:00Z', '1')).toMatchObject({ accepted: 1 });
    const refused = await post('oct-10', '2026-10-10T09:00:00Z', '100');
    expect(refused).toMatchObject({ accepted: 0, rejected: 1 });
    // 76 GB for 24 hours; the snapshot of October 1 is unchanged.
    expect(await novemberFirst()).toBe('1824');
    const snapshot = await stack.deps.usage.levelSnapshot('acme', METER, '2026-11-01T00:00Z');
    expect(snapshot?.levels[0]?.level.toString()).toBe('63');
  });

  it('distrusts a snapshot taken under a shorter acceptance window; a sealed one holds under any', async () => {
    const meter = await storage();
    const from = new Date(NOV_1);
    const now = NOW;
    const firstBucket = vi.spyOn(stack.deps.usage, 'firstBucket');

    // A 60-day window lets events of September 21 on in: the October snapshot (35 days) no longer holds.
    const wider = await startLevels(stack.deps.usage, 'acme', meter, from, 'Europe/Berlin', {
      now,
      acceptanceWindowDays: 60,
    });
    expect(wider.map((level) => level.level.toString())).toEqual(['76']);
    expect(firstBucket).toHaveBeenCalledTimes(1);
    // It leaves a snapshot at September 1 (final before September 20), taken under 60 days.
    const september = await stack.deps.usage.levelSnapshot('acme', METER, '2026-09-15T00:00Z');
    expect(september).toMatchObject({ bucket: '2026-08-31T22:00Z', basis: { kind: 'window', days: 60 } });
    expect(september?.levels.map((level) => level.level.toString())).toEqual(['56']);

    // Sealed through November 1: the level there is final whatever the window; kept as sealed.
    await stack.deps.seal('acme', from);
    const sealedThrough = from;
    await startLevels(stack.deps.usage, 'acme', meter, from, 'Europe/Berlin', {
      now,
      acceptanceWindowDays: 60,
      sealedThrough,
    });
    const sealed = await stack.deps.usage.levelSnapshot('acme', METER, '2026-11-01T00:00Z');
    expect(sealed).toMatchObject({ bucket: '2026-10-31T23:00Z', basis: { kind: 'sealed' } });
    expect(sealed?.levels[0]?.level.toString()).toBe('76');

    // Under a window of 400 days it is used as it is: no history, no counters read.
    firstBucket.mockClear();
    const counters = vi.spyOn(stack.deps.usage, 'counters');
    const levels = await startLevels(stack.deps.usage, 'acme', meter, from, 'Europe/Berlin', {
      now,
      acceptanceWindowDays: 400,
      sealedThrough,
    });
    expect(levels.map((level) => level.level.toString())).toEqual(['76']);
    expect(firstBucket).not.toHaveBeenCalled();
    expect(counters).not.toHaveBeenCalled();
    expect(await novemberFirst()).toBe('1824');
  });

  it('reconcile checks the newest snapshot against the history before it, and names one that differs', async () => {
    const range = 'customer=acme&from=2026-10-31T23:00:00Z&to=2026-11-20T12:00:00Z';
    await stack.archive!.idle();
    const clean = await stack.call('GET', `/v1/reconcile?${range}`);
    expect(clean.status, JSON.stringify(clean.body)).toBe(200);
    expect(clean.body.mismatch_count).toBe(0);
    // The sealed snapshot of November 1 (76 GB) rewritten behind the API's back.
    await stack.deps.usage.putLevelSnapshot('acme', METER, {
      bucket: '2026-10-31T23:00Z',
      basis: { kind: 'sealed' },
      levels: [{ dimensions: {}, level: new Decimal(99) }],
    });
    const found = await stack.call('GET', `/v1/reconcile?${range}`);
    expect(found.body.mismatches).toEqual([
      {
        meter: 'storage',
        bucket: '2026-10-31T23:00Z',
        dimensions: {},
        field: 'level_snapshot',
        expected: '76',
        actual: '99',
      },
    ]);
    // Put back as it was.
    await stack.deps.usage.putLevelSnapshot('acme', METER, {
      bucket: '2026-10-31T23:00Z',
      basis: { kind: 'sealed' },
      levels: [{ dimensions: {}, level: new Decimal(76) }],
    });
  });

  it('tells a snapshot it could not write, and the level stays exact', async () => {
    // The same tables through a client whose snapshot writes fail (as throttled ones would).
    const client = createDynamoClient({ dynamodbEndpoint: stack.config.dynamodbEndpoint, region: 'us-east-1' });
    client.middlewareStack.add(
      (next) => async (args) => {
        const item = (args.input as { Item?: { SK?: { S?: string } } }).Item;
        if (item?.SK?.S?.startsWith('L#')) throw Object.assign(new Error('throttled'), { name: 'ThrottlingException' });
        return next(args);
      },
      { step: 'initialize', name: 'failSnapshots' },
    );
    const warnings: Array<[string, Record<string, unknown>]> = [];
    const failing = new UsageStore(
      client,
      { table: stack.config.tableName, events: stack.config.eventsTableName },
      clock,
      undefined,
      (message, details) => warnings.push([message, details]),
    );
    try {
      // December 2 in Berlin, read as of January 20: December 1 is final, so a snapshot is due there.
      const at = new Date('2026-12-01T23:00:00Z');
      const finality = { now: new Date('2027-01-20T12:00:00Z'), acceptanceWindowDays: 35 };
      const levels = await startLevels(failing, 'acme', await storage(), at, 'Europe/Berlin', finality);
      const exact = await startLevels(stack.deps.usage, 'acme', await storage(), at, 'Europe/Berlin');
      expect(levels.map((level) => level.level.toString())).toEqual(exact.map((level) => level.level.toString()));
      expect(exact.map((level) => level.level.toString())).toEqual(['76']);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]![0]).toMatch(/level snapshot could not be written/);
      expect(warnings[0]![1]).toMatchObject({ customer: 'acme', meter: 'storage', bucket: '2026-11-30T23:00Z' });
      // Nothing was written: the newest snapshot is still November's.
      expect((await stack.deps.usage.levelSnapshot('acme', METER, '2026-12-01T23:00Z'))?.bucket).toBe(
        '2026-10-31T23:00Z',
      );
    } finally {
      client.destroy();
    }
  });
});
