import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../functions/config.js';
import {
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
  ])('URL %s: %s', (url, problem) => {
    expect(webhookUrlProblem(url)).toBe(problem);
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
});
