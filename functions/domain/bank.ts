/**
 * Bank account identifiers: IBAN (ISO 13616, checked with ISO 7064 mod 97-10) and BIC (ISO 9362).
 * Pure: used by the runtime configuration, the CDK synth validation and the documents.
 */

/** "DE02 1001 0010 0123 4567 89" → "DE02100100100123456789": spaces removed, upper case. */
export function normalizeIban(iban: string): string {
  return iban.replace(/\s+/g, '').toUpperCase();
}

/**
 * Whether an IBAN is well formed and its check digits are right: country code, two check digits,
 * up to 30 letters or digits, and the number (letters as 10..35, the first four characters moved to
 * the end) leaves 1 when divided by 97. Spaces and lower case are accepted.
 */
export function isValidIban(iban: string): boolean {
  const value = normalizeIban(iban);
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(value)) return false;
  const rearranged = value.slice(4) + value.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const digits = /\d/.test(char) ? char : String(char.charCodeAt(0) - 55);
    for (const digit of digits) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

/** The paper format of an IBAN: groups of four ("DE02 1001 0010 0123 4567 89"). */
export function formatIban(iban: string): string {
  return normalizeIban(iban).replace(/(.{4})(?=.)/g, '$1 ');
}

/** BIC: 4 letters (bank), 2 letters (country), 2 letters or digits (location), optionally 3 more (branch). */
export function isValidBic(bic: string): boolean {
  return /^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?$/.test(bic.trim().toUpperCase());
}
