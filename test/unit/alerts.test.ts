import { describe, expect, it } from 'vitest';
import {
  alertEmailText,
  alertEventType,
  anchorSubscription,
  crossed,
  parseTriggerId,
  triggerId,
} from '../../functions/domain/alert.js';
import { Decimal } from '../../functions/domain/decimal.js';

describe('the crossing rule', () => {
  it.each([
    // kind, value, threshold, crossed
    ['usage', '99.999999999999', '100', false],
    ['usage', '100', '100', true],
    ['usage', '100.000000000001', '100', true],
    ['usage', '0', '0.000000000001', false],
    ['spend', '49.99', '50.00', false],
    ['spend', '50.00', '50', true],
    ['spend', '12345678901234567890.12', '12345678901234567890.11', true],
    ['credit_balance', '10.00', '10', false],
    ['credit_balance', '9.99', '10.00', true],
    ['credit_balance', '0', '0.01', true],
    ['credit_balance', '25', '10', false],
  ] as const)('%s: value %s against threshold %s → %s', (kind, value, threshold, expected) => {
    expect(crossed(kind, value, threshold)).toBe(expected);
  });

  it('compares exactly where a float would not (0.1 + 0.2 reaches 0.3)', () => {
    expect(crossed('usage', new Decimal('0.1').plus('0.2'), '0.3')).toBe(true);
    expect(crossed('credit_balance', new Decimal('0.1').plus('0.2'), '0.3')).toBe(false);
  });
});

describe('alert firings', () => {
  it('names the event type of each kind', () => {
    expect(alertEventType('usage')).toBe('usage.alert_triggered');
    expect(alertEventType('spend')).toBe('usage.alert_triggered');
    expect(alertEventType('credit_balance')).toBe('credits.balance_low');
  });

  it('keys a firing by alert and period, and reads the key back', () => {
    const id = triggerId('al_0123456789abcdef', '2026-10-01T00:00:00.000Z');
    expect(id).toBe('al_0123456789abcdef~2026-10-01T00:00:00.000Z');
    expect(parseTriggerId(id)).toEqual({ alertId: 'al_0123456789abcdef', periodStart: '2026-10-01T00:00:00.000Z' });
    expect(parseTriggerId('no-tilde')).toBeUndefined();
    expect(parseTriggerId('~x')).toBeUndefined();
  });

  it("follows the period of the customer's earliest active subscription (ties: the smaller id)", () => {
    const s = (id: string, start: string) => ({ id, current: { start } });
    expect(anchorSubscription([])).toBeUndefined();
    expect(
      anchorSubscription([
        s('b', '2026-10-01T00:00:00.000Z'),
        s('a', '2026-10-01T00:00:00.000Z'),
        s('c', '2026-09-15T00:00:00.000Z'),
      ])?.id,
    ).toBe('c');
    expect(anchorSubscription([s('b', '2026-10-01T00:00:00.000Z'), s('a', '2026-10-01T00:00:00.000Z')])?.id).toBe('a');
  });
});

describe('the alert email', () => {
  const trigger = {
    value: '1200',
    threshold: '1000',
    periodStart: '2026-10-01T00:00:00.000Z',
    periodEnd: '2026-11-01T00:00:00.000Z',
  };

  it('says in English what reached what in which period', () => {
    const email = alertEmailText({ id: 'al_1', kind: 'usage', meter: 'api', name: 'API volume' }, trigger, 'en-US');
    expect(email.subject).toBe('Usage alert: API volume');
    expect(email.text).toContain(
      'Usage alert: API volume — meter api reached 1200 (threshold 1000) in the period 2026-10-01 – 2026-11-01.',
    );
  });

  it('speaks German to a German customer, with the currency of a spend alert', () => {
    const email = alertEmailText(
      { id: 'al_2', kind: 'spend', currency: 'EUR' },
      { ...trigger, value: '120.00', threshold: '100.00' },
      'de-DE',
    );
    expect(email.subject).toBe('Nutzungswarnung: al_2');
    expect(email.text).toContain('die laufende Rechnung hat 120.00 EUR erreicht (Schwelle 100.00 EUR)');
  });

  it('says a credit balance fell below its threshold', () => {
    const email = alertEmailText(
      { id: 'al_3', kind: 'credit_balance', currency: 'USD', name: 'Low credits' },
      { ...trigger, value: '4.00', threshold: '5.00' },
      'en',
    );
    expect(email.text).toContain('the credit balance fell to 4.00 USD (threshold 5.00 USD)');
  });
});
