import {
  DOCUMENT_FORMATS,
  type DocumentFormat,
  type DocumentRenderer,
  type DocumentSource,
  DocumentUnavailableError,
  type RenderedDocument,
} from '../../app/ports/documents.js';

/**
 * The contract of the documents function (functions/handlers/documents.ts): the event another
 * function invokes it with, and what it answers. The document travels whole (the invoice or credit
 * note as stored, or a draft as re-rated), so the documents function reads nothing and may touch no
 * table; the rendered bytes come back base64-encoded (Lambda answers at most 6 MB).
 */
export interface RenderDocumentEvent {
  render: { format: DocumentFormat; source: DocumentSource };
}

export type RenderDocumentResult = { filename: string; contentType: string; body: string } | { unavailable: string };

/** The event, checked: a malformed one is a bug of the caller, answered with an error (never rendered). */
export function parseRenderEvent(event: unknown): RenderDocumentEvent['render'] {
  const render = (event as Partial<RenderDocumentEvent> | null)?.render;
  const format = render?.format;
  const source = render?.source as { kind?: unknown; invoice?: unknown; note?: unknown } | undefined;
  if (typeof format !== 'string' || !(DOCUMENT_FORMATS as readonly string[]).includes(format))
    throw new Error(`render.format must be one of ${DOCUMENT_FORMATS.join(', ')}`);
  const ok =
    (source?.kind === 'invoice' && typeof source.invoice === 'object' && source.invoice !== null) ||
    (source?.kind === 'credit_note' && typeof source.note === 'object' && source.note !== null);
  if (!ok) throw new Error('render.source must be {kind: "invoice", invoice} or {kind: "credit_note", note}');
  return { format: format as DocumentFormat, source: source as DocumentSource };
}

/** Answers an event with a rendered document, or says why the document is unavailable. */
export async function answerRenderEvent(
  event: unknown,
  render: (source: DocumentSource, format: DocumentFormat) => Promise<RenderedDocument>,
): Promise<RenderDocumentResult> {
  const { source, format } = parseRenderEvent(event);
  try {
    const document = await render(source, format);
    return { filename: document.filename, contentType: document.contentType, body: document.body.toString('base64') };
  } catch (error) {
    if (error instanceof DocumentUnavailableError) return { unavailable: error.message };
    throw error;
  }
}

/** The DocumentRenderer port over an invocation of the documents function (Lambda, or in process under `npm start`). */
export function invokedRenderer(invoke: (event: RenderDocumentEvent) => Promise<unknown>): DocumentRenderer {
  return {
    async render(source, format) {
      const result = (await invoke({ render: { format, source } })) as RenderDocumentResult | undefined;
      if (result && 'unavailable' in result) throw new DocumentUnavailableError(result.unavailable);
      if (!result || typeof result.body !== 'string') throw new Error('the documents function answered no document');
      return { filename: result.filename, contentType: result.contentType, body: Buffer.from(result.body, 'base64') };
    },
  };
}
