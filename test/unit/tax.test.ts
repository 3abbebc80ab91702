import { describe, expect, it } from 'vitest';
import {
  customerTaxBuyer,
  EU_RATES_CHECKED,
  EU_STANDARD_RATES,
  isReverseCharge,
  REVERSE_CHARGE_NOTE,
  type TaxBuyer,
  type TaxSeller,
  taxTreatment,
} from '../../functions/domain/billing/tax.js';

const DE_SELLER: TaxSeller = { country: 'DE', taxId: 'DE123456789' };
const OUTSIDE_EU_REASON =
  'Not subject to VAT in DE: the customer is established outside the EU (place of supply, Art. 44 and 59 Council Directive 2006/112/EC)';

/** A treatment as plain values: the rate as its decimal string. */
const plain = (seller: TaxSeller, buyer: TaxBuyer) => {
  const { rate, ...rest } = taxTreatment(seller, buyer);
  return { ...rest, rate: rate.toString() };
};

describe('EU_STANDARD_RATES', () => {
  const expected: Array<[string, string]> = [
    ['AT', '20'],
    ['BE', '21'],
    ['BG', '20'],
    ['HR', '25'],
    ['CY', '19'],
    ['CZ', '21'],
    ['DK', '25'],
    ['EE', '24'],
    ['FI', '25.5'],
    ['FR', '20'],
    ['DE', '19'],
    ['GR', '24'],
    ['HU', '27'],
    ['IE', '23'],
    ['IT', '22'],
    ['LV', '21'],
    ['LT', '21'],
    ['LU', '17'],
    ['MT', '18'],
    ['NL', '21'],
    ['PL', '23'],
    ['PT', '23'],
    ['RO', '21'],
    ['SK', '23'],
    ['SI', '22'],
    ['ES', '21'],
    ['SE', '25'],
  ];

  it('has exactly the 27 member states', () => {
    expect(Object.keys(EU_STANDARD_RATES).sort()).toEqual(expected.map(([country]) => country).sort());
    expect(Object.keys(EU_STANDARD_RATES)).toHaveLength(27);
  });

  it.each(expected)('charges a consumer in %s its standard rate of %s%%', (country, rate) => {
    expect(EU_STANDARD_RATES[country]).toBe(rate);
    const seller = country === 'DE' ? { country: 'AT' } : DE_SELLER;
    expect(plain(seller, { country })).toEqual({ rule: 'eu_consumer', category: 'S', rate, country });
  });

  it('names the day it was checked', () => {
    expect(EU_RATES_CHECKED).toBe('2026-12-02');
  });

  it('knows no prototype keys as countries', () => {
    expect(plain(DE_SELLER, { country: 'constructor' })).toMatchObject({ rule: 'outside_eu', rate: '0' });
    expect(plain({ country: '__proto__' }, { country: 'DE' })).toMatchObject({ rule: 'seller_outside_eu' });
  });
});

describe('taxTreatment', () => {
  it.each<[string, TaxSeller, TaxBuyer, Record<string, unknown>]>([
    [
      'exempts a tax exempt customer with its reason, before every other rule',
      DE_SELLER,
      { country: 'DE', taxRate: '19', taxExempt: true, taxExemptReason: 'charity (§ 4 Nr. 18 UStG)' },
      {
        rule: 'exempt',
        category: 'E',
        rate: '0',
        reason: 'Tax exempt: charity (§ 4 Nr. 18 UStG)',
        exemption: 'charity (§ 4 Nr. 18 UStG)',
      },
    ],
    [
      "charges the customer's own rate over the country rules",
      DE_SELLER,
      { country: 'FR', taxRate: '7.5' },
      { rule: 'customer_rate', category: 'S', rate: '7.5' },
    ],
    [
      'reverse charges an EU business in another member state even with a rate on file',
      DE_SELLER,
      { taxId: 'FR12345678901', taxRate: '19' },
      { rule: 'reverse_charge', category: 'AE', rate: '0', reason: REVERSE_CHARGE_NOTE },
    ],
    [
      'zero-rates a customer whose own rate is 0, with a reason',
      DE_SELLER,
      { country: 'DE', taxRate: '0' },
      { rule: 'customer_rate', category: 'Z', rate: '0', reason: '0% VAT rate set for this customer' },
    ],
    [
      "applies the customer's own rate even when the seller's country is not configured",
      {},
      { taxRate: '19.00' },
      { rule: 'customer_rate', category: 'S', rate: '19' },
    ],
    [
      "calculates no VAT when the seller's country is not configured",
      { taxId: 'DE123456789' },
      { country: 'DE' },
      {
        rule: 'not_configured',
        category: 'O',
        rate: '0',
        reason: "VAT not calculated: the seller's country is not configured (BILLING_SELLER_COUNTRY)",
      },
    ],
    [
      'charges no EU VAT when the seller is outside the EU',
      { country: 'US' },
      { country: 'DE' },
      {
        rule: 'seller_outside_eu',
        category: 'O',
        rate: '0',
        reason: 'No EU VAT charged: the seller is established outside the EU (US)',
      },
    ],
    [
      "charges the seller country's rate to a customer in the same country",
      DE_SELLER,
      { country: 'DE' },
      { rule: 'domestic', category: 'S', rate: '19', country: 'DE' },
    ],
    [
      'charges domestic VAT to a business in the same country',
      DE_SELLER,
      { country: 'DE', taxId: 'DE999999999' },
      { rule: 'domestic', category: 'S', rate: '19', country: 'DE' },
    ],
    [
      "charges the seller country's rate when the customer's location is unknown",
      { country: 'FI' },
      {},
      {
        rule: 'domestic',
        category: 'S',
        rate: '25.5',
        country: 'FI',
        reason:
          "The customer's location is unknown (no address country, no VAT id): VAT of FI, the seller's country, applies",
      },
    ],
    [
      'treats a VAT id that names no country as an unknown location',
      DE_SELLER,
      { taxId: 'CHE-123.456.789' },
      {
        rule: 'domestic',
        category: 'S',
        rate: '19',
        country: 'DE',
        reason:
          "The customer's location is unknown (no address country, no VAT id): VAT of DE, the seller's country, applies",
      },
    ],
    [
      'reverse-charges a business in another member state',
      DE_SELLER,
      { country: 'FR', taxId: 'FR12345678901' },
      { rule: 'reverse_charge', category: 'AE', rate: '0', reason: REVERSE_CHARGE_NOTE },
    ],
    [
      'reverse-charges a business known only by its VAT id',
      DE_SELLER,
      { taxId: 'nl123456789B01' },
      { rule: 'reverse_charge', category: 'AE', rate: '0', reason: REVERSE_CHARGE_NOTE },
    ],
    [
      'reads a Greek VAT id (EL) as Greece',
      DE_SELLER,
      { taxId: 'EL123456789' },
      { rule: 'reverse_charge', category: 'AE', rate: '0', reason: REVERSE_CHARGE_NOTE },
    ],
    [
      'charges a Greek seller domestic VAT for a Greek VAT id (EL)',
      { country: 'GR' },
      { taxId: 'EL123456789' },
      { rule: 'domestic', category: 'S', rate: '24', country: 'GR' },
    ],
    [
      'charges a customer registered in the seller country domestic VAT wherever its address is',
      DE_SELLER,
      { country: 'AT', taxId: 'DE999999999' },
      {
        rule: 'domestic',
        category: 'S',
        rate: '19',
        country: 'DE',
        reason: "The customer is registered for VAT in DE, the seller's country",
      },
    ],
    [
      "charges a consumer in another member state that state's rate (OSS)",
      DE_SELLER,
      { country: 'FR' },
      { rule: 'eu_consumer', category: 'S', rate: '20', country: 'FR' },
    ],
    [
      'charges an EU consumer whose tax id is not an EU VAT id as a consumer',
      DE_SELLER,
      { country: 'SE', taxId: 'GB123456789' },
      { rule: 'eu_consumer', category: 'S', rate: '25', country: 'SE' },
    ],
    [
      'puts a customer outside the EU outside the scope',
      DE_SELLER,
      { country: 'US' },
      { rule: 'outside_eu', category: 'O', rate: '0', reason: OUTSIDE_EU_REASON },
    ],
    [
      'puts a business outside the EU outside the scope too',
      DE_SELLER,
      { country: 'CH', taxId: 'CHE-123.456.789 MWST' },
      { rule: 'outside_eu', category: 'O', rate: '0', reason: OUTSIDE_EU_REASON },
    ],
    [
      'puts a UK business known by its GB VAT id outside the EU',
      DE_SELLER,
      { taxId: 'GB123456789' },
      { rule: 'outside_eu', category: 'O', rate: '0', reason: OUTSIDE_EU_REASON },
    ],
    [
      'puts a Northern Ireland business (XI VAT id) outside the EU for services',
      DE_SELLER,
      { taxId: 'XI123456789' },
      { rule: 'outside_eu', category: 'O', rate: '0', reason: OUTSIDE_EU_REASON },
    ],
    [
      'puts a customer in Northern Ireland (GB address, XI VAT id) outside the EU',
      DE_SELLER,
      { country: 'GB', taxId: 'XI123456789' },
      { rule: 'outside_eu', category: 'O', rate: '0', reason: OUTSIDE_EU_REASON },
    ],
    [
      'reads country codes in any case',
      { country: 'de' },
      { country: 'fr', taxId: 'fr12345678901' },
      { rule: 'reverse_charge', category: 'AE', rate: '0', reason: REVERSE_CHARGE_NOTE },
    ],
    [
      'takes the address country over the VAT id prefix',
      DE_SELLER,
      { country: 'de', taxId: 'FR12345678901' },
      { rule: 'domestic', category: 'S', rate: '19', country: 'DE' },
    ],
  ])('%s', (_behaviour, seller, buyer, expected) => {
    expect(plain(seller, buyer)).toEqual(expected);
  });

  it('says "Tax exempt" for an exempt customer without a reason', () => {
    expect(plain(DE_SELLER, { taxExempt: true })).toEqual({
      rule: 'exempt',
      category: 'E',
      rate: '0',
      reason: 'Tax exempt',
    });
  });

  it('gives every 0% treatment a reason', () => {
    const buyers: TaxBuyer[] = [
      { taxExempt: true, taxExemptReason: 'x' },
      { taxRate: '0' },
      { country: 'FR', taxId: 'FR1' },
      { country: 'US' },
      { taxId: 'XI1' },
    ];
    for (const seller of [DE_SELLER, {}, { country: 'US' }])
      for (const buyer of buyers) {
        const treatment = taxTreatment(seller, buyer);
        if (treatment.rate.isZero()) expect(treatment.reason, JSON.stringify({ seller, buyer })).toBeTruthy();
      }
  });

  it("reads a customer's country from its address", () => {
    const buyer = customerTaxBuyer({
      address: { line1: 'Rue 1', city: 'Paris', country: 'FR' },
      taxId: 'FR12345678901',
    });
    expect(plain(DE_SELLER, buyer)).toMatchObject({ rule: 'reverse_charge' });
    expect(plain(DE_SELLER, customerTaxBuyer({ address: { line1: 'Rue 1', city: 'Paris', country: 'FR' } }))).toEqual({
      rule: 'eu_consumer',
      category: 'S',
      rate: '20',
      country: 'FR',
    });
  });
});

describe('isReverseCharge', () => {
  it.each<[string | undefined, string | undefined, boolean]>([
    ['DE', 'FR12345678901', true],
    ['de', 'fr12345678901', true],
    ['DE', 'EL123456789', true],
    ['GR', 'EL123456789', false],
    ['DE', 'DE123456789', false],
    ['DE', 'XI123456789', false],
    ['DE', 'GB123456789', false],
    ['US', 'FR12345678901', false],
    [undefined, 'FR12345678901', false],
    ['DE', undefined, false],
  ])('seller %s, buyer VAT id %s: %s', (seller, buyerTaxId, expected) => {
    expect(isReverseCharge(seller, buyerTaxId)).toBe(expected);
  });
});
