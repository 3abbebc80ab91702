import { describe, expect, it } from 'vitest';
import {
  DocumentFormatError,
  formatAddress,
  formatDate,
  formatMoney,
  formatPercent,
  formatPeriod,
  formatQuantity,
  messages,
  resolveLocale,
} from '../../../functions/adapters/documents/format.js';
import { UnknownCurrencyError } from '../../../functions/domain/money.js';
import { plainSpaces } from './pdf-text.js';

describe('formatMoney', () => {
  it.each([
    ['1234.56', 'EUR', 'de', '1.234,56 €'],
    ['1234.56', 'EUR', 'de-DE', '1.234,56 €'],
    ['1234.56', 'USD', 'en', '$1,234.56'],
    ['1234', 'JPY', 'en', '¥1,234'],
    ['1234.567', 'BHD', 'en', 'BHD 1,234.567'],
    ['-15.00', 'EUR', 'de', '-15,00 €'],
    ['0.00', 'USD', 'en', '$0.00'],
  ])('formats %s %s in %s as %s', (amount, currency, locale, expected) => {
    expect(plainSpaces(formatMoney(amount, currency, locale))).toBe(expected);
  });

  it('pads an amount to the minor unit of the currency', () => {
    expect(plainSpaces(formatMoney('49', 'EUR', 'de'))).toBe('49,00 €');
  });

  it('keeps every digit of a unit price finer than the minor unit', () => {
    expect(plainSpaces(formatMoney('0.0015', 'EUR', 'de'))).toBe('0,0015 €');
    expect(formatMoney('0.00000000000000000015', 'USD', 'en')).toBe('$0.00000000000000000015');
  });

  it('keeps the digits of amounts beyond the precision of a JS number', () => {
    expect(formatMoney('12345678901234567.89', 'USD', 'en')).toBe('$12,345,678,901,234,567.89');
  });

  it('rejects a value that is not a decimal string', () => {
    expect(() => formatMoney('1e3', 'EUR', 'de')).toThrow(DocumentFormatError);
    expect(() => formatMoney('12,50', 'EUR', 'de')).toThrow(DocumentFormatError);
  });

  it('rejects an unknown currency', () => {
    expect(() => formatMoney('1.00', 'XYZ', 'en')).toThrow(UnknownCurrencyError);
  });
});

describe('formatQuantity', () => {
  it('groups thousands and keeps all fraction digits', () => {
    expect(formatQuantity('1234567.123456789012345678', 'de')).toBe('1.234.567,123456789012345678');
    expect(formatQuantity('1234567', 'en')).toBe('1,234,567');
  });
});

describe('formatPercent', () => {
  it('formats a rate given in percent', () => {
    expect(plainSpaces(formatPercent('19', 'de'))).toBe('19 %');
    expect(formatPercent('2.5', 'en')).toBe('2.5%');
    expect(formatPercent('0.0125', 'en')).toBe('0.0125%');
  });
});

describe('formatDate', () => {
  it('prints a calendar date as is, whatever the time zone', () => {
    expect(formatDate('2026-12-01', 'de', 'Pacific/Kiritimati')).toBe('01.12.2026');
    expect(formatDate('2026-12-01', 'en', 'America/Los_Angeles')).toBe('Dec 1, 2026');
  });

  it('prints an instant as the day it falls on in the time zone', () => {
    expect(formatDate('2026-10-31T23:00:00.000Z', 'de', 'Europe/Berlin')).toBe('01.11.2026');
    expect(formatDate('2026-10-31T23:00:00.000Z', 'en', 'America/New_York')).toBe('Oct 31, 2026');
  });

  it('rejects an impossible calendar date', () => {
    expect(() => formatDate('2026-02-30', 'de', 'UTC')).toThrow(DocumentFormatError);
  });

  it('rejects an unknown time zone', () => {
    expect(() => formatDate('2026-10-31T23:00:00Z', 'de', 'Mars/Olympus_Mons')).toThrow(DocumentFormatError);
  });
});

describe('formatPeriod', () => {
  it('shows the last day included of an exclusive end at local midnight', () => {
    expect(formatPeriod('2026-10-31T23:00:00.000Z', '2026-11-30T23:00:00.000Z', 'de', 'Europe/Berlin')).toBe(
      '01.11.2026 – 30.11.2026',
    );
    expect(formatPeriod('2026-11-01T04:00:00.000Z', '2026-12-01T05:00:00.000Z', 'en', 'America/New_York')).toBe(
      'Nov 1, 2026 – Nov 30, 2026',
    );
  });

  it('treats calendar-date ends as exclusive too', () => {
    expect(formatPeriod('2026-11-01', '2026-12-01', 'en-GB', 'UTC')).toBe('1 Nov 2026 – 30 Nov 2026');
  });

  it('includes the day of an end that is not at local midnight', () => {
    expect(formatPeriod('2026-11-01T00:00:00Z', '2026-11-15T12:00:00Z', 'de', 'UTC')).toBe('01.11.2026 – 15.11.2026');
  });

  it('prints a single day once', () => {
    expect(formatPeriod('2026-11-01T00:00:00Z', '2026-11-02T00:00:00Z', 'de', 'UTC')).toBe('01.11.2026');
  });
});

describe('resolveLocale and messages', () => {
  it('uses the German catalogue for a regional German locale and keeps its region for numbers', () => {
    expect(resolveLocale('de-AT')).toEqual({ locale: 'de-AT', language: 'de' });
    expect(messages('de-AT').invoice).toBe('Rechnung');
    expect(plainSpaces(formatMoney('1234.5', 'EUR', 'de-AT'))).toBe('€ 1.234,50');
  });

  it('falls back to English for a language without a catalogue or a malformed tag', () => {
    expect(resolveLocale('fr-FR')).toEqual({ locale: 'en', language: 'en' });
    expect(resolveLocale('not a locale!')).toEqual({ locale: 'en', language: 'en' });
    expect(messages('xx').invoice).toBe('Invoice');
  });

  it('has every label in both languages', () => {
    const en = messages('en');
    const de = messages('de');
    expect(Object.keys(de).sort()).toEqual(Object.keys(en).sort());
    expect([de.invoiceNumber, de.issueDate, de.servicePeriod, de.dueDate, de.total, de.vatId]).toEqual([
      'Rechnungsnummer',
      'Rechnungsdatum',
      'Leistungszeitraum',
      'Fällig am',
      'Gesamtbetrag',
      'USt-IdNr.',
    ]);
  });
});

describe('formatAddress', () => {
  it('writes a German address with the postal code first and the country name in the document language', () => {
    expect(formatAddress({ line1: 'Isarstraße 7', city: 'München', postalCode: '80469', country: 'DE' }, 'de')).toEqual(
      ['Isarstraße 7', '80469 München', 'Deutschland'],
    );
  });

  it('writes a US address with city, state and ZIP code', () => {
    expect(
      formatAddress(
        { line1: '500 Congress Ave', city: 'Austin', state: 'TX', postalCode: '78701', country: 'US' },
        'en',
      ),
    ).toEqual(['500 Congress Ave', 'Austin, TX 78701', 'United States']);
  });
});
