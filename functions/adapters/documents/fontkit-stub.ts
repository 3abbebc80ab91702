/**
 * Stands in for `fontkit` in the Lambda bundles (esbuild alias, lib/handlers.ts). pdfkit needs
 * fontkit (and its brotli decoder, together ~700 KB minified) to embed the TTF fonts the invoice
 * and credit-note PDFs are drawn in (fonts.ts); with it the api and deliver bundles exceed 1 MiB.
 * A bundle that renders PDFs must be built without the alias (`esbuildOptions({ embeddedFonts:
 * true })`) and ship PDF_DOCUMENT_ASSETS (lib/constructs/billing-function.ts).
 */
export function create(): never {
  throw new Error('fontkit is not in this bundle: build the function that renders PDFs with embedded fonts');
}
