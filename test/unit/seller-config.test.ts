import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../functions/config.js';
import { formatIban, isValidBic, isValidIban } from '../../functions/domain/bank.js';

describe('seller and payment settings of the runtime configuration', () => {
  it('reads bank details and per-language wording, the IBAN in its electronic format', () => {
    const config = loadConfig({
      BILLING_PAYMENT_ACCOUNT_HOLDER: 'Meterly Demo GmbH',
      BILLING_PAYMENT_IBAN: 'de89 3704 0044 0532 0130 00',
      BILLING_PAYMENT_BIC: 'cobadeffxxx',
      BILLING_PAYMENT_INSTRUCTIONS_DE: 'Zahlbar per Lastschrift.',
    });
    expect(config.seller.paymentInstructions).toEqual({
      accountHolder: 'Meterly Demo GmbH',
      iban: 'DE89370400440532013000',
      bic: 'COBADEFFXXX',
      text: { de: 'Zahlbar per Lastschrift.' },
    });
  });

  it('reads the single text of earlier releases as the English wording', () => {
    const config = loadConfig({ BILLING_PAYMENT_INSTRUCTIONS: 'Pay by card.' });
    expect(config.seller.paymentInstructions).toEqual({ text: { en: 'Pay by card.' } });
  });

  it('has no payment instructions when none is set', () => {
    expect(loadConfig({}).seller.paymentInstructions).toBeUndefined();
  });

  it.each([
    [{ BILLING_PAYMENT_IBAN: 'DE02 1001 0010 0123 4567 89' }, /^BILLING_PAYMENT_IBAN must be a valid IBAN/],
    [{ BILLING_PAYMENT_BIC: 'COBA' }, /^BILLING_PAYMENT_BIC must be a BIC/],
  ])('rejects %j naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it("sends from the seller's address unless a sender is set", () => {
    expect(loadConfig({ BILLING_SELLER_EMAIL: 'rechnung@nordlicht.example' }).senderEmail).toBe(
      'rechnung@nordlicht.example',
    );
    expect(
      loadConfig({ BILLING_SELLER_EMAIL: 'rechnung@nordlicht.example', BILLING_SENDER_EMAIL: 'billing@example.org' })
        .senderEmail,
    ).toBe('billing@example.org');
  });
});

describe('bank identifiers', () => {
  it.each([
    ['DE89 3704 0044 0532 0130 00', true],
    ['GB82WEST12345698765432', true],
    ['de89370400440532013000', true],
    // One digit changed: the mod-97 check fails.
    ['DE89 3704 0044 0532 0130 01', false],
    ['DE02 1001 0010 0123 4567 89', false],
    ['DE89', false],
    ['1234 5678 9012 3456', false],
  ])('IBAN %s is valid: %s', (iban, valid) => {
    expect(isValidIban(iban)).toBe(valid);
  });

  it.each([
    ['COBADEFFXXX', true],
    ['PBNKDEFF', true],
    ['COBADEFF1', false],
    ['COBA1EFF', false],
  ])('BIC %s is valid: %s', (bic, valid) => {
    expect(isValidBic(bic)).toBe(valid);
  });

  it('prints an IBAN in groups of four', () => {
    expect(formatIban('DE89370400440532013000')).toBe('DE89 3704 0044 0532 0130 00');
  });
});
