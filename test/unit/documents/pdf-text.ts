import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

const require = createRequire(import.meta.url);
const STANDARD_FONTS = `${join(dirname(require.resolve('pdfjs-dist/package.json')), 'standard_fonts')}/`;

export interface PdfText {
  pages: string[];
  /** All pages, one text item per line, no-break spaces as plain spaces. */
  text: string;
  info: Record<string, unknown>;
}

/** The text of a PDF as pdf.js reads it (what a viewer's copy/paste and search see). */
export async function extractPdfText(pdf: Buffer): Promise<PdfText> {
  const document = await getDocument({
    data: new Uint8Array(pdf),
    standardFontDataUrl: STANDARD_FONTS,
    isEvalSupported: false,
    verbosity: 0,
  }).promise;
  try {
    const pages: string[] = [];
    for (let number = 1; number <= document.numPages; number++) {
      const page = await document.getPage(number);
      const content = await page.getTextContent();
      const items = content.items.map((item) => ('str' in item ? item.str : '')).filter((value) => value.trim() !== '');
      pages.push(items.join('\n').replace(/\u00a0/g, ' '));
    }
    const { info } = await document.getMetadata();
    return { pages, text: pages.join('\n'), info: info as Record<string, unknown> };
  } finally {
    await document.destroy();
  }
}

/** Intl output uses no-break spaces; assertions are written with plain ones. */
export function plainSpaces(value: string): string {
  return value.replace(/[\u00a0\u202f]/g, ' ');
}
