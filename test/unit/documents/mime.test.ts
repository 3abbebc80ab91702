import { describe, expect, it } from 'vitest';
import { renderInvoiceEmail } from '../../../functions/adapters/documents/email.js';
import { buildRawEmail, type RawEmailInput } from '../../../functions/adapters/documents/mime.js';
import { renderInvoicePdf } from '../../../functions/adapters/documents/pdf.js';
import { sampleInvoice } from '../../support/invoice-fixture.js';

interface Part {
  headers: string;
  body: string;
}

/** Splits a multipart body on its boundary (enough MIME parsing for these checks). */
function parts(body: string, boundary: string): Part[] {
  const sections = body.split(`--${boundary}`);
  expect(sections.at(-1)?.startsWith('--')).toBe(true); // closing delimiter
  return sections.slice(1, -1).map((section) => {
    const trimmed = section.replace(/^\r\n/, '');
    const split = trimmed.indexOf('\r\n\r\n');
    return { headers: trimmed.slice(0, split), body: trimmed.slice(split + 4) };
  });
}

function boundaryOf(headers: string): string {
  const match = /boundary="([^"]+)"/.exec(headers);
  if (match?.[1] === undefined) throw new Error(`no boundary in ${headers}`);
  return match[1];
}

async function sampleMessage(): Promise<{ raw: Buffer; pdf: Buffer; input: RawEmailInput }> {
  const invoice = sampleInvoice();
  const pdf = await renderInvoicePdf(invoice);
  const email = renderInvoiceEmail(invoice, 'invoice');
  const input: RawEmailInput = {
    from: 'Nordlicht Cloud GmbH <billing@nordlicht.example>',
    to: 'Müller & Söhne <buchhaltung@mueller-soehne.example>',
    subject: email.subject,
    html: email.html,
    text: email.text,
    attachments: [{ filename: 'Rechnung-INV-2026-000042.pdf', content: pdf, contentType: 'application/pdf' }],
    messageId: '<inv_01JCX7Z8Q4M5N6P7R8S9T0V1W2@billing.nordlicht.example>',
    date: new Date('2026-12-01T06:00:05Z'),
  };
  return { raw: await buildRawEmail(input), pdf, input };
}

describe('buildRawEmail', () => {
  it('writes the envelope headers', async () => {
    const { raw } = await sampleMessage();
    // Unfolded: a header continues on lines that start with white space.
    const headers = (raw.toString('utf8').split('\r\n\r\n')[0] ?? '').replace(/\r\n[ \t]+/g, ' ');
    expect(headers).toContain('From: Nordlicht Cloud GmbH <billing@nordlicht.example>');
    expect(headers).toContain('To: =?UTF-8?Q?M=C3=BCller_=26_S=C3=B6hne?= <buchhaltung@mueller-soehne.example>\r\n');
    expect(headers).toContain('Subject: Rechnung INV-2026-000042 von Nordlicht Cloud GmbH');
    expect(headers).toContain('Message-ID: <inv_01JCX7Z8Q4M5N6P7R8S9T0V1W2@billing.nordlicht.example>');
    expect(headers).toContain('Date: Tue, 01 Dec 2026 06:00:05 +0000');
    expect(headers).toContain('MIME-Version: 1.0');
    expect(headers).toMatch(/Content-Type: multipart\/mixed;/);
  });

  it('carries text and HTML alternatives and the PDF as a base64 attachment that decodes to the same bytes', async () => {
    const { raw, pdf } = await sampleMessage();
    const message = raw.toString('utf8');
    const split = message.indexOf('\r\n\r\n');
    const mixed = parts(message.slice(split + 4), boundaryOf(message.slice(0, split)));
    expect(mixed).toHaveLength(2);
    const [alternative, attachment] = mixed as [Part, Part];

    expect(alternative.headers).toContain('multipart/alternative');
    const bodies = parts(alternative.body, boundaryOf(alternative.headers));
    expect(bodies.map((part) => /Content-Type: ([^;\r\n]+)/.exec(part.headers)?.[1])).toEqual([
      'text/plain',
      'text/html',
    ]);

    expect(attachment.headers).toContain('Content-Type: application/pdf');
    expect(attachment.headers).toContain('Content-Transfer-Encoding: base64');
    expect(attachment.headers).toMatch(/Content-Disposition: attachment;\s+filename=Rechnung-INV-2026-000042\.pdf/);
    const decoded = Buffer.from(attachment.body.replace(/\s+/g, ''), 'base64');
    expect(decoded.equals(pdf)).toBe(true);
  });

  it('keeps every line within the 998 octets RFC 5322 allows', async () => {
    const { raw } = await sampleMessage();
    const longest = Math.max(
      ...raw
        .toString('utf8')
        .split('\r\n')
        .map((line) => Buffer.byteLength(line)),
    );
    expect(longest).toBeLessThanOrEqual(998);
  });

  it('builds the same bytes for the same input', async () => {
    const { raw, input } = await sampleMessage();
    expect((await buildRawEmail(input)).equals(raw)).toBe(true);
  });

  it('uses a different boundary when the content differs', async () => {
    const { raw, input } = await sampleMessage();
    const other = await buildRawEmail({ ...input, text: `${input.text}\nP.S.` });
    const boundary = (bytes: Buffer) => boundaryOf(bytes.toString('utf8').split('\r\n\r\n')[0] ?? '');
    expect(boundary(other)).not.toBe(boundary(raw));
  });
});
