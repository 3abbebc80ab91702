import type { CreditNote } from '../../domain/billing/credit-note.js';
import type { Invoice } from '../../domain/invoice.js';
import { ConflictError } from '../errors.js';

/**
 * The documents an invoice or credit note is available as: the PDF, XRechnung 3 in either syntax
 * (UBL 2.1, UN/CEFACT CII), and ZUGFeRD/Factur-X EN 16931 (a PDF/A-3 with the CII XML embedded).
 */
export const DOCUMENT_FORMATS = ['pdf', 'xrechnung-ubl', 'xrechnung-cii', 'zugferd'] as const;
export type DocumentFormat = (typeof DOCUMENT_FORMATS)[number];

/** What is rendered: the stored invoice or credit note itself (a draft invoice as re-rated for display). */
export type DocumentSource = { kind: 'invoice'; invoice: Invoice } | { kind: 'credit_note'; note: CreditNote };

export interface RenderedDocument {
  /** e.g. `INV-2026-000001.pdf`, `INV-2026-000001.xml` */
  filename: string;
  /** `application/pdf` or `application/xml` */
  contentType: string;
  body: Buffer;
}

/**
 * Renders documents. In AWS this is the documents function (the only one that bundles pdfkit, its
 * fonts and the e-invoice writers), invoked synchronously by the API and the delivery worker; under
 * `npm start` the same function runs in process.
 */
export interface DocumentRenderer {
  render(source: DocumentSource, format: DocumentFormat): Promise<RenderedDocument>;
}

/** The document could not be rendered in this format (e.g. a draft has no number to put in an e-invoice). */
export class DocumentUnavailableError extends ConflictError {
  constructor(message: string) {
    super(message);
    this.name = 'DocumentUnavailableError';
  }
}
