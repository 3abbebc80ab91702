import {
  type DocumentFormat,
  type DocumentRenderer,
  type DocumentSource,
  DocumentUnavailableError,
  type RenderedDocument,
} from '../../app/ports/documents.js';
import { xrechnungGaps } from '../../domain/einvoice.js';
import { renderCreditNotePdf } from './credit-note-pdf.js';
import { eInvoiceModel, renderEInvoiceXml } from './einvoice/index.js';
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
  const document =
    source.kind === 'invoice'
      ? { kind: 'invoice' as const, invoice: source.invoice }
      : { kind: 'credit_note' as const, note: source.note };
  if (format === 'zugferd') {
    const facturX = { xml: renderEInvoiceXml(document, 'facturx-cii') };
    const body =
      source.kind === 'invoice'
        ? await renderInvoicePdf(source.invoice, { facturX })
        : await renderCreditNotePdf(source.note, { facturX });
    return { filename: documentFileName(number, 'pdf'), contentType: 'application/pdf', body };
  }
  // XRechnung adds the German rules (BR-DE) to EN 16931: refuse rather than issue one they reject.
  const gaps = xrechnungGaps(eInvoiceModel(document));
  if (gaps.length > 0)
    throw new DocumentUnavailableError(
      `XRechnung needs data this ${source.kind === 'invoice' ? 'invoice' : 'credit note'} lacks: ${gaps
        .map((gap) => `${gap.message} (${gap.rule})`)
        .join('; ')}`,
    );
  const xml = renderEInvoiceXml(document, format);
  return { filename: documentFileName(number, 'xml'), contentType: 'application/xml', body: Buffer.from(xml, 'utf8') };
}

/** The renderer of this process (the documents function itself, and tests of the renderers). */
export const inProcessRenderer: DocumentRenderer = { render: renderDocument };
