/**
 * Stands in for `fontkit` in the Lambda bundles (esbuild alias, lib/handlers.ts). pdfkit needs
 * fontkit (and its brotli decoder, together ~700 KB minified) only to embed TTF/WOFF fonts; our
 * invoices use the 14 standard PDF fonts, which pdfkit reads from AFM files without it.
 */
export function create(): never {
  throw new Error('embedded fonts are not available in this bundle: invoices use the standard PDF fonts');
}
