import type { CreditNote } from '../../domain/billing/credit-note.js';
import type { DocumentFormat } from '../../domain/document-format.js';
import type { Invoice } from '../../domain/invoice.js';
import { ConflictError } from '../errors.js';

export {
  DOCUMENT_FORMATS,
  type DocumentFormat,
  E_INVOICE_FORMATS,
  type EInvoiceFormat,
} from '../../domain/document-format.js';

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
