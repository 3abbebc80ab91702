import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../functions/config.js';
import {
  hostProblem,
  isPrivateAddress,
  nextRetryDelay,
  parseDeliveryId,
  resourceKindOf,
  subscribes,
  webhookEvent,
  webhookPayload,
  webhookUrlProblem,
} from '../../functions/domain/webhook-event.js';

describe('webhook events', () => {
  it.each([
    ['https://hooks.example.com/x', undefined],
    ['https://hooks.example.com:8443/x?y=1', undefined],
    ['http://localhost:3000/hook', undefined],
    ['http://127.0.0.1:9/hook', undefined],
    ['http://hooks.example.com/x', 'must be https (http only for localhost or 127.0.0.1)'],
    ['http://localhost.evil.example/x', 'must be https (http only for localhost or 127.0.0.1)'],
    ['http://127.0.0.2/x', 'must be https (http only for localhost or 127.0.0.1)'],
    ['ftp://localhost/x', 'must be https (http only for localhost or 127.0.0.1)'],
    ['https://user:pw@hooks.example.com/x', 'must not carry credentials'],
    ['hooks.example.com/x', 'must be an absolute URL'],
  ])('URL %s, private URLs allowed (local runs): %s', (url, problem) => {
    expect(webhookUrlProblem(url, { allowPrivate: true })).toBe(problem);
  });

  const PRIVATE = 'must not point at a loopback, private, link-local or reserved address';
  it.each([
    ['https://hooks.example.com/x', undefined],
    ['https://93.184.216.34/x', undefined],
    ['https://[2606:4700:4700::1111]/x', undefined],
    ['https://172.32.0.1/x', undefined],
    ['https://192.169.0.1/x', undefined],
    ['http://hooks.example.com/x', 'must be https'],
    ['http://127.0.0.1:9/hook', 'must be https'],
    ['https://localhost/x', 'must not point at localhost'],
    ['https://LOCALHOST./x', 'must not point at localhost'],
    ['https://api.localhost/x', 'must not point at localhost'],
    ['https://127.0.0.1/x', `${PRIVATE} (127.0.0.1)`],
    ['https://127.8.9.10/x', `${PRIVATE} (127.8.9.10)`],
    ['https://2130706433/x', `${PRIVATE} (127.0.0.1)`],
    ['https://0x7f.1/x', `${PRIVATE} (127.0.0.1)`],
    ['https://10.1.2.3/x', `${PRIVATE} (10.1.2.3)`],
    ['https://172.16.0.1/x', `${PRIVATE} (172.16.0.1)`],
    ['https://172.31.255.255/x', `${PRIVATE} (172.31.255.255)`],
    ['https://192.168.1.1/x', `${PRIVATE} (192.168.1.1)`],
    ['https://169.254.169.254/latest/meta-data/', `${PRIVATE} (169.254.169.254)`],
    ['https://0.0.0.0/x', `${PRIVATE} (0.0.0.0)`],
    ['https://[::1]/x', `${PRIVATE} (::1)`],
    ['https://[::]/x', `${PRIVATE} (::)`],
    ['https://[fc00::1]/x', `${PRIVATE} (fc00::1)`],
    ['https://[fd00:ec2::254]/x', `${PRIVATE} (fd00:ec2::254)`],
    ['https://[fe80::1]/x', `${PRIVATE} (fe80::1)`],
    ['https://[::ffff:127.0.0.1]/x', `${PRIVATE} (::ffff:7f00:1)`],
    ['https://[::ffff:169.254.169.254]/x', `${PRIVATE} (::ffff:a9fe:a9fe)`],
    ['https://user:pw@hooks.example.com/x', 'must not carry credentials'],
  ])('URL %s (AWS: no private addresses): %s', (url, problem) => {
    expect(webhookUrlProblem(url)).toBe(problem);
  });

  it.each([
    ['127.0.0.1', true],
    ['10.0.0.1', true],
    ['100.64.0.1', true],
    ['172.15.255.255', false],
    ['172.16.0.0', true],
    ['192.168.0.1', true],
    ['169.254.0.1', true],
    ['224.0.0.1', true],
    ['255.255.255.255', true],
    ['8.8.8.8', false],
    ['::1', true],
    ['::', true],
    ['fc00::', true],
    ['fdff:ffff::1', true],
    ['fe80::abcd', true],
    ['febf::1', true],
    ['ff02::1', true],
    ['::ffff:10.0.0.1', true],
    ['::ffff:8.8.8.8', false],
    ['64:ff9b::a9fe:a9fe', true],
    ['2001:4860:4860::8888', false],
    ['hooks.example.com', false],
    ['1.2.3', false],
    ['999.1.1.1', false],
    ['1::2::3', false],
  ])('address %s is private: %s', (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected);
  });

  it('judges a bracketed IPv6 host as its address', () => {
    expect(hostProblem('[::1]')).toMatch(/loopback/);
    expect(hostProblem('hooks.example.com')).toBeUndefined();
  });

  it('subscribes an endpoint to its types, or to all with *', () => {
    expect(subscribes(['*'], 'invoice.paid')).toBe(true);
    expect(subscribes(['invoice.paid'], 'invoice.paid')).toBe(true);
    expect(subscribes(['invoice.finalized'], 'invoice.paid')).toBe(false);
  });

  it('splits a delivery id into the event and the endpoint', () => {
    expect(parseDeliveryId('evt_1~we_2')).toEqual({ eventId: 'evt_1', endpointId: 'we_2' });
    expect(parseDeliveryId('evt_1')).toBeUndefined();
    expect(parseDeliveryId('~we_2')).toBeUndefined();
    expect(parseDeliveryId('evt_1~')).toBeUndefined();
  });

  it('retries on the schedule, then gives up', () => {
    const schedule = [5, 300, 1800, 7200, 18_000, 36_000, 36_000];
    expect(Array.from({ length: 8 }, (_, i) => nextRetryDelay(schedule, i + 1))).toEqual([
      5,
      300,
      1800,
      7200,
      18_000,
      36_000,
      36_000,
      undefined,
    ]);
  });

  it('wraps the rendered resource in the envelope', () => {
    const event = webhookEvent('evt_1', 'credit_note.created', '2026-11-01T00:00:00.000Z', 'credit_note', {});
    expect(resourceKindOf('credit_note.created')).toBe('credit_note');
    expect(resourceKindOf('billing_run.failed')).toBe('billing_run');
    expect(webhookPayload(event, { id: 'CN-1' })).toEqual({
      id: 'evt_1',
      type: 'credit_note.created',
      created_at: '2026-11-01T00:00:00.000Z',
      data: { id: 'CN-1' },
    });
  });
});

describe('webhook settings of the runtime configuration', () => {
  it('defaults to eight attempts over about a day and a 10 s timeout', () => {
    const config = loadConfig({});
    expect(config.webhookRetrySeconds).toEqual([5, 300, 1800, 7200, 18_000, 36_000, 36_000]);
    expect(config.webhookTimeoutMs).toBe(10_000);
  });

  it('reads a schedule and refuses a bad one', () => {
    expect(loadConfig({ BILLING_WEBHOOK_RETRY_SECONDS: '0, 60' }).webhookRetrySeconds).toEqual([0, 60]);
    expect(() => loadConfig({ BILLING_WEBHOOK_RETRY_SECONDS: '5,x' })).toThrow(ConfigError);
    expect(() => loadConfig({ BILLING_WEBHOOK_RETRY_SECONDS: '50000' })).toThrow(ConfigError);
    expect(() => loadConfig({ BILLING_WEBHOOK_TIMEOUT_MS: '1e9' })).toThrow(ConfigError);
  });

  it('guards against private URLs and has no bus unless configured', () => {
    const config = loadConfig({});
    expect([config.webhookAllowPrivateUrls, config.eventBusName, config.recordAllEvents]).toEqual([
      false,
      undefined,
      false,
    ]);
    expect(loadConfig({ BILLING_WEBHOOK_ALLOW_PRIVATE_URLS: '1' }).webhookAllowPrivateUrls).toBe(true);
    expect(loadConfig({ BILLING_WEBHOOK_ALLOW_PRIVATE_URLS: 'false' }).webhookAllowPrivateUrls).toBe(false);
    expect(() => loadConfig({ BILLING_WEBHOOK_ALLOW_PRIVATE_URLS: 'yes' })).toThrow(
      /BILLING_WEBHOOK_ALLOW_PRIVATE_URLS must be 1 or 0/,
    );
    // A function bound to the bus, or any function of a stack that has one, writes every event.
    expect(loadConfig({ BILLING_EVENT_BUS_NAME: 'billing-dev' })).toMatchObject({
      eventBusName: 'billing-dev',
      recordAllEvents: true,
    });
    expect(loadConfig({ BILLING_EVENT_BUS_ENABLED: '1' })).toMatchObject({
      eventBusName: undefined,
      recordAllEvents: true,
    });
  });
});
