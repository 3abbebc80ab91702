import { describe, expect, it } from 'vitest';
import { Decimal } from '../../functions/domain/decimal.js';
import {
  formatAmount,
  formatDecimal,
  isKnownCurrency,
  minorUnits,
  ROUNDING_MODES,
  type RoundingMode,
  roundMoney,
  SUPPORTED_CURRENCIES,
  UnknownCurrencyError,
} from '../../functions/domain/money.js';

const d = (value: string) => new Decimal(value);

describe('minorUnits', () => {
  it.each([
    ['USD', 2],
    ['EUR', 2],
    ['GBP', 2],
    ['CHF', 2],
    ['SEK', 2],
    ['NOK', 2],
    ['DKK', 2],
    ['PLN', 2],
    ['INR', 2],
    ['BRL', 2],
    ['AUD', 2],
    ['CAD', 2],
    ['JPY', 0],
    ['KRW', 0],
    ['BHD', 3],
    ['KWD', 3],
  ])('knows that %s has %i minor digits', (code, digits) => {
    expect(minorUnits(code)).toBe(digits);
    expect(isKnownCurrency(code)).toBe(true);
    expect(SUPPORTED_CURRENCIES).toContain(code);
  });

  it('rejects an unknown currency with UnknownCurrencyError', () => {
    expect(() => minorUnits('XXX')).toThrow(UnknownCurrencyError);
    expect(() => minorUnits('XXX')).toThrow(/unknown currency "XXX"/);
    expect(isKnownCurrency('XXX')).toBe(false);
  });

  it('is case-sensitive: currency codes are upper case', () => {
    expect(isKnownCurrency('usd')).toBe(false);
  });

  it('does not treat Object.prototype keys as currencies', () => {
    expect(isKnownCurrency('constructor')).toBe(false);
    expect(() => minorUnits('toString')).toThrow(UnknownCurrencyError);
  });
});

describe('roundMoney', () => {
  const cases: [string, string, RoundingMode, string][] = [
    ['51.2345', 'USD', 'half_up', '51.23'],
    ['51.235', 'USD', 'half_up', '51.24'],
    ['51.245', 'USD', 'half_up', '51.25'],
    ['51.235', 'USD', 'half_even', '51.24'],
    ['51.245', 'USD', 'half_even', '51.24'],
    ['51.2451', 'USD', 'half_even', '51.25'],
    ['51.231', 'USD', 'up', '51.24'],
    ['51.239', 'USD', 'down', '51.23'],
    ['-51.235', 'USD', 'half_up', '-51.24'],
    ['-51.245', 'USD', 'half_even', '-51.24'],
    ['-51.231', 'USD', 'up', '-51.24'],
    ['-51.239', 'USD', 'down', '-51.23'],
    ['0.005', 'EUR', 'half_up', '0.01'],
    ['0.005', 'EUR', 'half_even', '0'],
    ['4.5', 'JPY', 'half_up', '5'],
    ['4.5', 'JPY', 'half_even', '4'],
    ['5.5', 'JPY', 'half_even', '6'],
    ['4.01', 'JPY', 'up', '5'],
    ['-4.5', 'KRW', 'half_up', '-5'],
    ['1.2345', 'BHD', 'half_up', '1.235'],
    ['1.2345', 'BHD', 'half_even', '1.234'],
    ['1.2341', 'KWD', 'up', '1.235'],
    ['1.2349', 'KWD', 'down', '1.234'],
  ];
  it.each(cases)('rounds %s %s %s to %s', (amount, currency, mode, expected) => {
    expect(formatDecimal(roundMoney(d(amount), currency, mode))).toBe(expected);
  });

  it('rounds half up by default', () => {
    expect(formatDecimal(roundMoney(d('2.675'), 'USD'))).toBe('2.68');
  });

  it('never returns negative zero', () => {
    const rounded = roundMoney(d('-0.001'), 'USD');
    expect(rounded.isZero()).toBe(true);
    expect(rounded.isNegative()).toBe(false);
    expect(formatAmount(d('-0.001'), 'USD')).toBe('0.00');
  });

  it('offers exactly the four documented modes', () => {
    expect([...ROUNDING_MODES]).toEqual(['half_up', 'half_even', 'up', 'down']);
  });
});

describe('formatAmount', () => {
  it.each([
    ['51.2345', 'USD', '51.23'],
    ['51.2', 'USD', '51.20'],
    ['1000', 'EUR', '1000.00'],
    ['0', 'EUR', '0.00'],
    ['4.6', 'JPY', '5'],
    ['1.2345', 'BHD', '1.235'],
    ['-3.14159', 'GBP', '-3.14'],
    ['123456789012345678901234567890.125', 'USD', '123456789012345678901234567890.13'],
    ['0.0000001', 'USD', '0.00'],
  ])('formats %s %s as %s', (amount, currency, expected) => {
    expect(formatAmount(d(amount), currency)).toBe(expected);
  });

  it('applies the rounding mode it is given', () => {
    expect(formatAmount(d('2.345'), 'USD', 'half_even')).toBe('2.34');
    expect(formatAmount(d('2.341'), 'USD', 'up')).toBe('2.35');
  });

  it('throws UnknownCurrencyError for an unknown currency', () => {
    expect(() => formatAmount(d('1'), 'ABC')).toThrow(UnknownCurrencyError);
  });
});

describe('formatDecimal', () => {
  it.each([
    ['51.2345', '51.2345'],
    ['51.2300', '51.23'],
    ['0', '0'],
    ['-0', '0'],
    ['0.000', '0'],
    ['1000', '1000'],
    ['1e3', '1000'],
    ['1e-7', '0.0000001'],
    ['-2.50', '-2.5'],
    ['1e25', '10000000000000000000000000'],
  ])('writes %s as %s', (value, expected) => {
    expect(formatDecimal(d(value))).toBe(expected);
  });
});
