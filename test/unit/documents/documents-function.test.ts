import { describe, expect, it } from 'vitest';
import {
  answerRenderEvent,
  invokedRenderer,
  parseRenderEvent,
} from '../../../functions/adapters/aws/documents-function.js';
import { syncInvoker } from '../../../functions/adapters/aws/lambda-invoke.js';
import { renderDocument } from '../../../functions/adapters/documents/render.js';
import { DocumentUnavailableError } from '../../../functions/app/ports/documents.js';
import { sampleInvoice } from '../../support/invoice-fixture.js';
import { extractPdfText } from './pdf-text.js';

/** The documents function's contract, over JSON as Lambda carries it. */
const overTheWire = async (event: unknown) =>
  JSON.parse(JSON.stringify(await answerRenderEvent(JSON.parse(JSON.stringify(event)), renderDocument)));

describe('the documents function contract', () => {
  it('renders the invoice it is sent: the PDF comes back byte-equal to one rendered in process', async () => {
    const invoice = sampleInvoice();
    const remote = await invokedRenderer(overTheWire).render({ kind: 'invoice', invoice }, 'pdf');
    const local = await renderDocument({ kind: 'invoice', invoice }, 'pdf');
    expect(remote.contentType).toBe('application/pdf');
    expect(remote.filename).toBe(`${invoice.number}.pdf`);
    expect(remote.body.equals(local.body)).toBe(true);
    expect((await extractPdfText(remote.body)).text).toContain(invoice.number);
  });

  it('says why a document is unavailable, and the caller gets the same error (409 through the API)', async () => {
    const draft = sampleInvoice({ status: 'draft', number: '' });
    await expect(
      invokedRenderer(overTheWire).render({ kind: 'invoice', invoice: draft }, 'xrechnung-ubl'),
    ).rejects.toThrow(DocumentUnavailableError);
  });

  it.each([
    [undefined],
    [null],
    [{}],
    [{ render: { format: 'docx', source: { kind: 'invoice', invoice: {} } } }],
    [{ render: { format: 'pdf', source: { kind: 'invoice' } } }],
    [{ render: { format: 'pdf', source: { kind: 'constructor', invoice: {} } } }],
    [{ render: { format: '__proto__', source: { kind: 'credit_note', note: {} } } }],
  ])('refuses a malformed event %j without rendering', (event) => {
    expect(() => parseRenderEvent(event)).toThrow(/render\./);
  });

  it('turns a function error into an error naming the function; an answer into its JSON', async () => {
    const failing = syncInvoker('billing-documents', async () => ({
      StatusCode: 200,
      FunctionError: 'Unhandled',
      Payload: new TextEncoder().encode(JSON.stringify({ errorMessage: 'out of memory' })),
    }));
    await expect(failing({})).rejects.toThrow('billing-documents failed (Unhandled): out of memory');
    const answering = syncInvoker('billing-documents', async (input) => ({
      StatusCode: 200,
      Payload: input.Payload,
    }));
    expect(await answering({ render: { format: 'pdf' } })).toEqual({ render: { format: 'pdf' } });
  });
});
