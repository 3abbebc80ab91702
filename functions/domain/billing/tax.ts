/** EU member states by VAT id prefix (Greece uses EL, Northern Ireland XI). */
const EU_VAT_PREFIXES = new Set([
  'AT',
  'BE',
  'BG',
  'CY',
  'CZ',
  'DE',
  'DK',
  'EE',
  'EL',
  'ES',
  'FI',
  'FR',
  'HR',
  'HU',
  'IE',
  'IT',
  'LT',
  'LU',
  'LV',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SE',
  'SI',
  'SK',
  'XI',
]);

const countryOfPrefix = (prefix: string) => (prefix === 'EL' ? 'GR' : prefix === 'XI' ? 'GB' : prefix);

/**
 * B2B reverse charge inside the EU: the buyer has an EU VAT id of another member state than the
 * seller's country, so the buyer accounts for the VAT (Art. 196 Directive 2006/112/EC).
 */
export function isReverseCharge(sellerCountry: string | undefined, buyerTaxId: string | undefined): boolean {
  if (!sellerCountry || !buyerTaxId) return false;
  const prefix = buyerTaxId.trim().slice(0, 2).toUpperCase();
  if (!EU_VAT_PREFIXES.has(prefix)) return false;
  const seller = sellerCountry.toUpperCase();
  const sellerInEu = EU_VAT_PREFIXES.has(seller) || seller === 'GR';
  return sellerInEu && countryOfPrefix(prefix) !== seller;
}

export const REVERSE_CHARGE_NOTE =
  'Reverse charge: VAT to be accounted for by the recipient (Art. 196 Council Directive 2006/112/EC).';
