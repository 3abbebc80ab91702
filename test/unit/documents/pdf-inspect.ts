import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

const require = createRequire(import.meta.url);
const STANDARD_FONTS = `${join(dirname(require.resolve('pdfjs-dist/package.json')), 'standard_fonts')}/`;

type PdfjsDocument = Awaited<ReturnType<typeof getDocument>['promise']>;

async function withPdf<T>(pdf: Buffer, read: (document: PdfjsDocument) => Promise<T>): Promise<T> {
  const document = await getDocument({
    data: new Uint8Array(pdf),
    standardFontDataUrl: STANDARD_FONTS,
    isEvalSupported: false,
    verbosity: 0,
  }).promise;
  try {
    return await read(document);
  } finally {
    await document.destroy();
  }
}

/** A text item as pdf.js reads it, with its left edge, width and baseline in PDF points (origin bottom left). */
export interface PlacedText {
  text: string;
  x: number;
  width: number;
  y: number;
}

export async function placedText(pdf: Buffer, pageNumber = 1): Promise<PlacedText[]> {
  return withPdf(pdf, async (document) => {
    const page = await document.getPage(pageNumber);
    const content = await page.getTextContent();
    return content.items.flatMap((item) =>
      'str' in item && item.str.trim() !== ''
        ? [{ text: item.str, x: item.transform[4] as number, width: item.width, y: item.transform[5] as number }]
        : [],
    );
  });
}

/** The XMP packet (raw) and pdf.js's reading of it. */
export async function xmpOf(pdf: Buffer): Promise<{ raw: string; get: (name: string) => unknown }> {
  return withPdf(pdf, async (document) => {
    const { metadata } = await document.getMetadata();
    if (metadata === null) throw new Error('the PDF has no XMP metadata');
    const values = new Map<string, unknown>();
    for (const name of ['dc:title', 'dc:creator', 'dc:description', 'pdfaid:part', 'pdfaid:conformance']) {
      values.set(name, metadata.get(name));
    }
    return { raw: metadata.getRaw(), get: (name: string) => values.get(name) };
  });
}

/** Embedded files by name, as pdf.js extracts them. */
export async function attachmentsOf(
  pdf: Buffer,
): Promise<Record<string, { content: Uint8Array; description?: string }>> {
  return withPdf(pdf, async (document) => (await document.getAttachments()) ?? {});
}

/**
 * The dictionaries of the file's objects (pdfkit writes them uncompressed, one entry per line), by
 * object number.
 */
export function objectDictionaries(pdf: Buffer): Map<number, string> {
  const dictionaries = new Map<number, string>();
  for (const match of pdf.toString('latin1').matchAll(/(\d+) 0 obj\n<<\n([\s\S]*?)\n>>\n(?:endobj|stream)/g)) {
    dictionaries.set(Number(match[1]), match[2] ?? '');
  }
  return dictionaries;
}
