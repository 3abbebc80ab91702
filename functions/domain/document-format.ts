/**
 * The documents an invoice or credit note is available as: the PDF, XRechnung 3 in either syntax
 * (UBL 2.1, UN/CEFACT CII), and ZUGFeRD/Factur-X EN 16931 (a PDF/A-3 with the CII XML embedded).
 */
export const DOCUMENT_FORMATS = ['pdf', 'xrechnung-ubl', 'xrechnung-cii', 'zugferd'] as const;
export type DocumentFormat = (typeof DOCUMENT_FORMATS)[number];

/** The structured ones (e-invoices): what `GET …/einvoice` serves. */
export const E_INVOICE_FORMATS = [
  'xrechnung-ubl',
  'xrechnung-cii',
  'zugferd',
] as const satisfies readonly DocumentFormat[];
export type EInvoiceFormat = (typeof E_INVOICE_FORMATS)[number];

export function isEInvoiceFormat(format: string | undefined): format is EInvoiceFormat {
  return (E_INVOICE_FORMATS as readonly string[]).includes(format ?? '');
}

export function isDocumentFormat(format: string | undefined): format is DocumentFormat {
  return (DOCUMENT_FORMATS as readonly string[]).includes(format ?? '');
}
