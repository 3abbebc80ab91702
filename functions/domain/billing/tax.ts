import type { Customer } from '../customer.js';
import { Decimal, ZERO } from '../decimal.js';

/**
 * The standard VAT rate of each EU member state, percent as a decimal string, keyed by ISO 3166-1
 * alpha-2 code (Greece is GR here; its VAT ids start with EL).
 *
 * Source: European Commission, "VAT rates applied in the Member States of the European Union",
 * checked on {@link EU_RATES_CHECKED}. Recent changes included: FI 25.5 (since 2024-09-01), SK 23
 * (since 2025-01-01), EE 24 (since 2025-07-01), RO 21 (since 2025-08-01).
 *
 * A rate changes by law on a known date: update the table, {@link EU_RATES_CHECKED} and the table in
 * docs/billing.md together.
 */
export const EU_STANDARD_RATES: Readonly<Record<string, string>> = Object.freeze({
  AT: '20',
  BE: '21',
  BG: '20',
  CY: '19',
  CZ: '21',
  DE: '19',
  DK: '25',
  EE: '24',
  ES: '21',
  FI: '25.5',
  FR: '20',
  GR: '24',
  HR: '25',
  HU: '27',
  IE: '23',
  IT: '22',
  LT: '21',
  LU: '17',
  LV: '21',
  MT: '18',
  NL: '21',
  PL: '23',
  PT: '23',
  RO: '21',
  SE: '25',
  SI: '22',
  SK: '23',
});

/** The day {@link EU_STANDARD_RATES} was last compared with the European Commission's list. */
export const EU_RATES_CHECKED = '2026-12-02';

export const REVERSE_CHARGE_NOTE =
  'Reverse charge: VAT to be accounted for by the recipient (Art. 196 Council Directive 2006/112/EC).';

/** A country code as given (any case, EL for Greece) → ISO 3166-1 alpha-2 upper case. */
function normalizeCountry(country: string | undefined): string | undefined {
  const code = country?.trim().toUpperCase();
  if (!code) return undefined;
  return code === 'EL' ? 'GR' : code;
}

const isEuCountry = (country: string | undefined): country is string =>
  country !== undefined && Object.hasOwn(EU_STANDARD_RATES, country);

function standardRate(euCountry: string): Decimal {
  return new Decimal(EU_STANDARD_RATES[euCountry] ?? '0');
}

/**
 * The country a VAT id was issued by, from its two-letter prefix: an EU member state (EL → GR), or
 * GB for United Kingdom ids (GB, and XI for Northern Ireland). Undefined for any other id.
 *
 * Northern Ireland's XI ids count for goods only: for services the buyer is in the UK, outside the
 * EU VAT area.
 */
function countryOfVatId(taxId: string | undefined): string | undefined {
  const prefix = taxId?.trim().slice(0, 2).toUpperCase();
  if (!prefix) return undefined;
  if (prefix === 'XI' || prefix === 'GB') return 'GB';
  const country = normalizeCountry(prefix);
  return isEuCountry(country) ? country : undefined;
}

/** The EU member state that issued a VAT id (EL → GR); undefined for non-EU ids (GB, XI and others). */
function euCountryOfVatId(taxId: string | undefined): string | undefined {
  const country = countryOfVatId(taxId);
  return isEuCountry(country) ? country : undefined;
}

/**
 * B2B reverse charge inside the EU: the buyer has an EU VAT id of another member state than the
 * seller's country, so the buyer accounts for the VAT (Art. 196 Directive 2006/112/EC). Northern
 * Ireland (XI) ids do not count: for services XI is outside the EU VAT area.
 */
export function isReverseCharge(sellerCountry: string | undefined, buyerTaxId: string | undefined): boolean {
  const seller = normalizeCountry(sellerCountry);
  const buyer = euCountryOfVatId(buyerTaxId);
  return isEuCountry(seller) && buyer !== undefined && buyer !== seller;
}

/** EN 16931 VAT categories (UNCL5305): standard, reverse charge, exempt, zero rated, outside the scope. */
export const TAX_CATEGORIES = ['S', 'AE', 'E', 'Z', 'O'] as const;
export type TaxCategory = (typeof TAX_CATEGORIES)[number];

/** The rules of {@link taxTreatment}, one of which decides the tax. */
export const TAX_RULES = [
  'customer_rate',
  'exempt',
  'domestic',
  'reverse_charge',
  'eu_consumer',
  'outside_eu',
  'seller_outside_eu',
  'not_configured',
] as const;
export type TaxRule = (typeof TAX_RULES)[number];

export interface TaxTreatment {
  rule: TaxRule;
  category: TaxCategory;
  /** Percent. */
  rate: Decimal;
  /** country whose VAT applies, when one does */
  country?: string;
  /** why the rate is what it is; always set when rate is 0, printed on the invoice */
  reason?: string;
  /** exempt: the customer's own words for why (documents print them in any language) */
  exemption?: string;
}

export interface TaxSeller {
  /** ISO 3166-1 alpha-2 (any case). */
  country?: string | undefined;
  taxId?: string | undefined;
}

export interface TaxBuyer {
  /** ISO 3166-1 alpha-2 (any case): where the customer is established. */
  country?: string | undefined;
  taxId?: string | undefined;
  taxExempt?: boolean | undefined;
  taxExemptReason?: string | undefined;
  /** Percent, decimal string: the customer's own rate, overriding every rule but exemption. */
  taxRate?: string | undefined;
}

/**
 * A customer as {@link taxTreatment} reads it: the country is the address's. Pass this rather than
 * the customer itself (a Customer has no `country` and would be read as "location unknown").
 */
export function customerTaxBuyer(
  customer: Pick<Customer, 'address' | 'taxId' | 'taxExempt' | 'taxExemptReason' | 'taxRate'>,
): TaxBuyer {
  return {
    country: customer.address?.country,
    taxId: customer.taxId,
    taxExempt: customer.taxExempt,
    taxExemptReason: customer.taxExemptReason,
    taxRate: customer.taxRate,
  };
}

/**
 * The VAT a seller charges a buyer for electronically supplied services, by the first rule that
 * applies:
 *
 * 1. the buyer is tax exempt: exempt (E), 0%;
 * 2. the buyer has its own rate: that rate (S; Z when it is 0), except where rule 6 makes the supply
 *    a reverse charge (a B2B supply across EU borders is reverse charged whatever rate is on file);
 * 3. the seller's country is not configured: nothing calculated (O), 0%;
 * 4. the seller is established outside the EU: no EU VAT (O), 0%;
 * 5. the buyer's country (its own, else its VAT id's) is the seller's, or unknown: the seller
 *    country's standard rate (S);
 * 6. the buyer is in another member state with an EU VAT id: reverse charge (AE), 0%;
 * 7. the buyer is in another member state without one (a consumer): that state's standard rate
 *    (S, One Stop Shop);
 * 8. the buyer is outside the EU: outside the scope of EU VAT (O), 0%.
 *
 * Every 0% treatment has a `reason`, printed on the invoice. Country codes are read in any case;
 * nothing else is validated here (the schemas did).
 */
export function taxTreatment(seller: TaxSeller, buyer: TaxBuyer): TaxTreatment {
  if (buyer.taxExempt) {
    const why = buyer.taxExemptReason?.trim();
    return why
      ? { rule: 'exempt', category: 'E', rate: ZERO, reason: `Tax exempt: ${why}`, exemption: why }
      : { rule: 'exempt', category: 'E', rate: ZERO, reason: 'Tax exempt' };
  }
  const byRules = euTreatment(seller, buyer);
  // A B2B supply across EU borders is reverse charged whatever rate is on file (as invoices always were).
  if (byRules.rule === 'reverse_charge') return byRules;
  if (buyer.taxRate !== undefined && buyer.taxRate.trim() !== '') {
    const rate = new Decimal(buyer.taxRate.trim());
    return rate.isZero()
      ? { rule: 'customer_rate', category: 'Z', rate: ZERO, reason: '0% VAT rate set for this customer' }
      : { rule: 'customer_rate', category: 'S', rate };
  }
  return byRules;
}

/** Rules 3-8 of {@link taxTreatment}: what EU VAT law makes of the seller and the buyer. */
function euTreatment(seller: TaxSeller, buyer: TaxBuyer): TaxTreatment {
  const sellerCountry = normalizeCountry(seller.country);
  if (!sellerCountry)
    return {
      rule: 'not_configured',
      category: 'O',
      rate: ZERO,
      reason: "VAT not calculated: the seller's country is not configured (BILLING_SELLER_COUNTRY)",
    };
  if (!isEuCountry(sellerCountry))
    return {
      rule: 'seller_outside_eu',
      category: 'O',
      rate: ZERO,
      reason: `No EU VAT charged: the seller is established outside the EU (${sellerCountry})`,
    };
  const buyerCountry = normalizeCountry(buyer.country) ?? countryOfVatId(buyer.taxId);
  if (buyerCountry === undefined)
    return {
      rule: 'domestic',
      category: 'S',
      rate: standardRate(sellerCountry),
      country: sellerCountry,
      reason: `The customer's location is unknown (no address country, no VAT id): VAT of ${sellerCountry}, the seller's country, applies`,
    };
  if (buyerCountry === sellerCountry)
    return { rule: 'domestic', category: 'S', rate: standardRate(sellerCountry), country: sellerCountry };
  if (isEuCountry(buyerCountry)) {
    if (isReverseCharge(sellerCountry, buyer.taxId))
      return { rule: 'reverse_charge', category: 'AE', rate: ZERO, reason: REVERSE_CHARGE_NOTE };
    if (euCountryOfVatId(buyer.taxId) === sellerCountry)
      return {
        rule: 'domestic',
        category: 'S',
        rate: standardRate(sellerCountry),
        country: sellerCountry,
        reason: `The customer is registered for VAT in ${sellerCountry}, the seller's country`,
      };
    return { rule: 'eu_consumer', category: 'S', rate: standardRate(buyerCountry), country: buyerCountry };
  }
  return {
    rule: 'outside_eu',
    category: 'O',
    rate: ZERO,
    reason: `Not subject to VAT in ${sellerCountry}: the customer is established outside the EU (place of supply, Art. 44 and 59 Council Directive 2006/112/EC)`,
  };
}
