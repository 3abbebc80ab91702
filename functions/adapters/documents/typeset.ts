import { FACES, type FaceName, type Weight } from './font-files.js';
import { breakPieces, cleanText, clusters, loadFont, type VisualRun, visualRuns } from './fonts.js';

/**
 * Text on a pdfkit page with the embedded fonts of font-files.ts: one line is drawn as its
 * {@link visualRuns} side by side on one baseline, and wrapping, measuring and right-aligning go
 * through the same runs, so what is measured is what is drawn. The line box (height, baseline) is
 * the primary face's (Noto Sans), whatever fallback faces a line uses.
 */
export type Doc = PDFKit.PDFDocument;

interface DocFonts {
  weight: Weight;
  registered: Set<FaceName>;
  /** pdfkit's embedded-font objects of the document (see {@link finishText}). */
  embedded: Set<unknown>;
}

const docFonts = new WeakMap<Doc, DocFonts>();

function fontsOf(doc: Doc): DocFonts {
  let fonts = docFonts.get(doc);
  if (fonts === undefined) {
    fonts = { weight: 'regular', registered: new Set(), embedded: new Set() };
    docFonts.set(doc, fonts);
  }
  return fonts;
}

function useFace(doc: Doc, face: FaceName): void {
  const fonts = fontsOf(doc);
  if (!fonts.registered.has(face)) {
    // pdfkit takes a fontkit font where it takes a font file; the parsed font is shared by documents.
    doc.registerFont(face, loadFont(face) as unknown as Uint8Array);
    fonts.registered.add(face);
    doc.font(face);
    const embedded = (doc as unknown as { _font: { layoutCache?: Record<string, unknown> } })._font;
    fonts.embedded.add(embedded);
    if (embedded.layoutCache !== undefined) embedded.layoutCache = sharedLayouts(face);
  } else doc.font(face);
}

/** Words laid out per face, kept across documents up to this many (then started afresh). */
const MAX_SHARED_LAYOUTS = 10_000;
const layouts = new Map<FaceName, Record<string, unknown>>();

/**
 * pdfkit lays text out word by word and caches each word's glyph run per document; the runs depend
 * only on the (shared, parsed-once) font, so the cache is shared by the documents of the process.
 * pdfkit reads cached runs and never changes them.
 */
function sharedLayouts(face: FaceName): Record<string, unknown> {
  let cache = layouts.get(face);
  if (cache === undefined || Object.keys(cache).length > MAX_SHARED_LAYOUTS) {
    cache = Object.create(null) as Record<string, unknown>;
    layouts.set(face, cache);
  }
  return cache;
}

/** Stands for a glyph that carries no character of its own in the ToUnicode map. */
const NO_TEXT = 0x200d;

/**
 * To call before `doc.end()`. Shaping gives some glyphs no character of their own (Noto Sans Arabic
 * draws the dots of ش as a separate mark glyph; the letter's character is on the skeleton glyph).
 * pdfkit 0.20 writes such a glyph as `<>` in the ToUnicode map, which readers show as a control
 * character; it is mapped to U+200D ZERO WIDTH JOINER instead, an invisible format character that
 * text extraction (pdf.js) skips.
 */
export function finishText(doc: Doc): void {
  for (const font of fontsOf(doc).embedded) {
    const unicode = (font as { unicode?: unknown }).unicode;
    if (!Array.isArray(unicode)) continue;
    unicode.forEach((codePoints: unknown, gid) => {
      if (Array.isArray(codePoints) && codePoints.length === 0) unicode[gid] = [NO_TEXT];
    });
  }
}

/** Selects the weight for the text that follows (its primary face sets the line metrics). */
export function useWeight(doc: Doc, weight: Weight): void {
  fontsOf(doc).weight = weight;
  useFace(doc, FACES[weight][0] as FaceName);
}

function runsOf(doc: Doc, line: string): { runs: VisualRun[]; primary: FaceName } {
  const weight = fontsOf(doc).weight;
  return { runs: visualRuns(line, weight), primary: FACES[weight][0] as FaceName };
}

function runOptions(run: VisualRun): PDFKit.Mixins.TextOptions {
  // Any features make pdfkit lay the run out whole instead of word by word (see VisualRun.wholeRun).
  return run.wholeRun ? { features: [] } : {};
}

function widthOfRuns(doc: Doc, runs: readonly VisualRun[], primary: FaceName, uncached = false): number {
  let width = 0;
  for (const run of runs) {
    useFace(doc, run.face);
    width += doc.widthOfString(run.text, uncached ? { features: [] } : runOptions(run));
  }
  useFace(doc, primary);
  return width;
}

/**
 * Width of one line of text at the current weight and size. `uncached`: laid out whole, outside
 * pdfkit's word cache (for the prefixes of an overlong word, which would only fill the cache).
 */
export function lineWidth(doc: Doc, value: string, uncached = false): number {
  const { runs, primary } = runsOf(doc, cleanText(value));
  return widthOfRuns(doc, runs, primary, uncached);
}

/** Height of one line, as pdfkit counts it (primary face's ascender to descender, plus the gap). */
export function lineHeight(doc: Doc, lineGap: number): number {
  return doc.currentLineHeight(true) + lineGap;
}

/**
 * One line of text whose line box starts at `top` (as pdfkit's `text(x, y)`), never wrapped, never
 * starting a page. Returns its width.
 */
export function drawLine(doc: Doc, value: string, x: number, top: number): number {
  const { runs, primary } = runsOf(doc, cleanText(value));
  useFace(doc, primary);
  const baseline = top + doc.currentLineHeight(false) * ascentShare(primary);
  let cursor = x;
  for (const run of runs) {
    useFace(doc, run.face);
    const options = runOptions(run);
    doc.text(run.text, cursor, baseline, { ...options, lineBreak: false, baseline: 'alphabetic' });
    cursor += doc.widthOfString(run.text, options);
  }
  useFace(doc, primary);
  return cursor - x;
}

/** The share of the line height above the baseline (ascender / (ascender - descender)). */
function ascentShare(face: FaceName): number {
  const font = loadFont(face);
  return font.ascent / (font.ascent - font.descent);
}

/** Whether the text, without its trailing spaces, fits the width (a hair of tolerance for rounding). */
function fits(doc: Doc, text: string, width: number, uncached = false): boolean {
  return lineWidth(doc, text.trimEnd(), uncached) <= width + 0.01;
}

/**
 * The longest run of leading clusters that fits the width (at least one, so a line always takes
 * something): galloping then binary search, so a 4,000-character word costs a few measures a line.
 */
function longestFit(doc: Doc, parts: readonly string[], width: number): number {
  let fitting = 1;
  let step = 8;
  while (fitting < parts.length) {
    const next = Math.min(parts.length, fitting + step);
    if (!fits(doc, parts.slice(0, next).join(''), width, true)) {
      let low = fitting;
      let high = next - 1;
      while (low < high) {
        const middle = Math.ceil((low + high) / 2);
        if (fits(doc, parts.slice(0, middle).join(''), width, true)) low = middle;
        else high = middle - 1;
      }
      return low;
    }
    fitting = next;
    step *= 2;
  }
  return fitting;
}

/**
 * The lines of `value` in a box of `width` at the current weight and size: hard line breaks kept,
 * breaks after spaces and dashes and around ideographs, a piece wider than the box split between
 * clusters. Trailing spaces are dropped. An empty text has no line.
 *
 * Pieces are measured once each and added up; each finished line is measured whole once more and
 * gives back its last pieces if shaping across them made it too wide.
 */
export function wrapLines(doc: Doc, value: string, width: number): string[] {
  if (value === '') return [];
  const lines: string[] = [];
  for (const paragraph of value.split(/\r\n|\r|\n/)) {
    let pending = breakPieces(cleanText(paragraph));
    if (pending.length === 0) lines.push('');
    while (pending.length > 0) {
      const line: string[] = [];
      let used = 0;
      let index = 0;
      for (; index < pending.length; index++) {
        const piece = pending[index] ?? '';
        const trimmed = piece.trimEnd();
        const trimmedWidth = lineWidth(doc, trimmed);
        if (line.length > 0 && used + trimmedWidth > width + 0.01) break;
        if (line.length === 0 && trimmedWidth > width + 0.01) {
          // A piece wider than the whole box: as many of its clusters as fit, the rest goes on.
          const parts = clusters(piece);
          const count = longestFit(doc, parts, width);
          const rest = parts.slice(count).join('').trimStart();
          line.push(parts.slice(0, count).join(''));
          pending = rest === '' ? pending.slice(index + 1) : [rest, ...pending.slice(index + 1)];
          index = -1;
          break;
        }
        line.push(piece);
        used += trimmed === piece ? trimmedWidth : lineWidth(doc, piece);
      }
      if (index >= 0) {
        while (line.length > 1 && !fits(doc, line.join(''), width)) {
          line.pop();
          index--;
        }
        pending = pending.slice(index);
      }
      lines.push(line.join('').trimEnd());
    }
  }
  return lines;
}
