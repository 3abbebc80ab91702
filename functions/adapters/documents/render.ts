import {
  type DocumentFormat,
  type DocumentRenderer,
  type DocumentSource,
  DocumentUnavailableError,
  type RenderedDocument,
} from '../../app/ports/documents.js';
import { renderCreditNotePdf } from './credit-note-pdf.js';
import { renderInvoicePdf } from './pdf.js';

/** A document number as a file name: anything but letters, digits, `.` and `-` becomes `_`. */
export function documentFileName(number: string, extension: 'pdf' | 'xml'): string {
  return `${number.replace(/[^\w.-]/g, '_')}.${extension}`;
}

function numberOf(source: DocumentSource): string {
  if (source.kind === 'credit_note') return source.note.number;
  return source.invoice.number || `draft-${source.invoice.id}`;
}

/**
 * Renders a document in this process: what the documents function does (functions/handlers/
 * documents.ts). Every other function reaches it through the DocumentRenderer port.
 */
export async function renderDocument(source: DocumentSource, format: DocumentFormat): Promise<RenderedDocument> {
  const number = numberOf(source);
  if (format === 'pdf') {
    const body =
      source.kind === 'invoice' ? await renderInvoicePdf(source.invoice) : await renderCreditNotePdf(source.note);
    return { filename: documentFileName(number, 'pdf'), contentType: 'application/pdf', body };
  }
  if (source.kind === 'invoice' && source.invoice.status === 'draft')
    throw new DocumentUnavailableError('a draft invoice has no e-invoice: finalize it first');
  throw new DocumentUnavailableError(`the format ${format} is not available yet`);
}

/** The renderer of this process (the documents function itself, and tests of the renderers). */
export const inProcessRenderer: DocumentRenderer = { render: renderDocument };
