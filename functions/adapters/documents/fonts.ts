import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { create, type Font } from 'fontkit';
import { FACES, type FaceName, FONT_DIRECTORY, FONT_FILES, type Weight } from './font-files.js';

/**
 * The fonts of the PDFs and the split of a text into runs drawn with one font each.
 *
 * Files: read from disk on first use and kept for the life of the process (a Latin-only invoice
 * never reads the CJK fonts). They are looked up first in `fonts/` next to the running module,
 * which is where a Lambda bundle has them (lib/constructs/billing-function.ts PDF_DOCUMENT_ASSETS
 * copies them there), then in node_modules (tsx, vitest, `npm start`).
 *
 * Runs: each character is drawn with the first face of its weight that has its glyph (Noto Sans,
 * then SC for Han and kana, KR for Hangul, Arabic). Spaces and punctuation stay in the face of the
 * text around them. A character no face has (emoji, scripts we ship no font for) prints as U+FFFD.
 * Right-to-left text (Arabic, and Hebrew & co. as U+FFFD) is put in visual order with a simplified
 * Unicode bidi algorithm for a left-to-right paragraph (no explicit embeddings): numbers after
 * Arabic stay with it, neutrals between two right-to-left runs join them, runs are reversed by
 * level (rule L2). fontkit shapes Arabic (joining forms, lam-alef) and reverses its glyphs itself.
 */

export class FontNotFoundError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'FontNotFoundError';
  }
}

const fonts = new Map<FaceName, Font>();

/** Where the font file is: next to the bundle, else in node_modules. */
export function fontPath(face: FaceName): string {
  const file = FONT_FILES[face];
  const beside = fileURLToPath(new URL(`./${FONT_DIRECTORY}/${file.file}`, import.meta.url));
  if (existsSync(beside)) return beside;
  let installed: string | undefined;
  try {
    installed = createRequire(import.meta.url).resolve(`${file.package}/${file.path}`);
  } catch (error) {
    throw new FontNotFoundError(`font ${file.file} is neither in ${beside} nor installed (${file.package})`, {
      cause: error,
    });
  }
  return installed;
}

/** The fontkit font of a face, read and parsed once per process. */
export function loadFont(face: FaceName): Font {
  let font = fonts.get(face);
  if (font === undefined) {
    font = create(readFileSync(fontPath(face)));
    fonts.set(face, font);
  }
  return font;
}

/** A piece of a line drawn with one face, in drawing (visual) order. */
export interface VisualRun {
  /** Characters as they go to the font: fontkit shapes them and, for Arabic, reverses them. */
  text: string;
  face: FaceName;
  /**
   * fontkit lays this text out right to left: it must be laid out whole (pdfkit would otherwise
   * lay it out word by word, in the wrong order).
   */
  wholeRun: boolean;
}

const REPLACEMENT = '\ufffd';

/**
 * Text a PDF can carry: lone surrogates become U+FFFD, control characters spaces; bidi controls,
 * soft hyphens, zero-width spaces and byte-order marks are dropped.
 */
export function cleanText(text: string): string {
  return text
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, REPLACEMENT)
    .replace(/[\p{Cc}\u2028\u2029]/gu, ' ')
    .replace(/[\u00ad\u061c\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/g, '');
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** The grapheme clusters of a text (a base character with its marks, an emoji sequence ...). */
export function clusters(text: string): string[] {
  // Below U+0300 (Latin, no combining marks) and without CR every character is its own cluster.
  const simple = Array.from(text);
  if (simple.every((char) => char !== '\r' && char.charCodeAt(0) < 0x300)) return simple;
  return Array.from(graphemes.segment(text), (part) => part.segment);
}

/** Characters a font may lack without harm (joiners, variation selectors, tags): dropped then. */
function isIgnorable(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  return (
    code === 0x034f ||
    (code >= 0x180b && code <= 0x180f) ||
    code === 0x200c ||
    code === 0x200d ||
    (code >= 0xfe00 && code <= 0xfe0f) ||
    (code >= 0xe0000 && code <= 0xe0fff)
  );
}
const RTL_LETTER =
  /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Samaritan}\p{Script=Mandaic}]/u;
/** Scripts fontkit lays out right to left (its own list, for the scripts a Unicode regex knows). */
const FONTKIT_RTL =
  /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Samaritan}\p{Script=Mandaic}\p{Script=Cypriot}\p{Script=Kharoshthi}\p{Script=Phoenician}\p{Script=Lydian}\p{Script=Avestan}\p{Script=Imperial_Aramaic}\p{Script=Inscriptional_Pahlavi}\p{Script=Inscriptional_Parthian}\p{Script=Old_South_Arabian}\p{Script=Old_Turkic}\p{Script=Meroitic_Cursive}\p{Script=Meroitic_Hieroglyphs}\p{Script=Manichaean}\p{Script=Mende_Kikakui}\p{Script=Nabataean}\p{Script=Old_North_Arabian}\p{Script=Palmyrene}\p{Script=Psalter_Pahlavi}]/u;
const COMMON_OR_INHERITED = /[\p{Script=Common}\p{Script=Inherited}]/u;
const MIRRORED: Readonly<Record<string, string>> = {
  '(': ')',
  ')': '(',
  '[': ']',
  ']': '[',
  '{': '}',
  '}': '{',
  '<': '>',
  '>': '<',
  '«': '»',
  '»': '«',
  '‹': '›',
  '›': '‹',
};

/** Bidi class of a cluster, by its first character: strong L or R, a number, or neutral. */
type BidiClass = 'L' | 'R' | 'EN' | 'CS' | 'ET' | 'N';

function bidiClass(cluster: string): BidiClass {
  const char = String.fromCodePoint(cluster.codePointAt(0) ?? 0x20);
  if (/\p{Nd}/u.test(char)) return 'EN';
  if (RTL_LETTER.test(char) && /[\p{L}\p{Mn}]/u.test(char)) return 'R';
  if (/\p{L}/u.test(char)) return 'L';
  // Unicode's CS and ES classes: separators inside a number (1.234,56 · 10:30 · 1/2 · +1).
  if (/^[,.:/\u00a0\u202f+-]$/.test(char)) return 'CS';
  if (/[\p{Sc}#%°‰′″]/u.test(char)) return 'ET';
  return 'N';
}

const OPENING: Readonly<Record<string, string>> = { '(': ')', '[': ']', '{': '}' };

/**
 * Rule N0 for a left-to-right paragraph: a bracket pair around left-to-right text is L; around only
 * right-to-left text (numbers inside it count) it is R when right-to-left text precedes the opening
 * bracket, else L. "شركة (٢٠٢٦)" keeps its parentheses around the number, on the Arabic side.
 */
function resolveBracketPairs(clusterTexts: readonly string[], resolved: Array<'L' | 'R' | 'AN' | 'N'>): void {
  const open: Array<{ index: number; closing: string }> = [];
  const pairs: Array<[number, number]> = [];
  clusterTexts.forEach((text, index) => {
    const closing = OPENING[text];
    if (closing !== undefined) open.push({ index, closing });
    else {
      const match = open.findLastIndex((entry) => entry.closing === text);
      if (match >= 0) {
        pairs.push([open[match]?.index ?? 0, index]);
        open.length = match;
      }
    }
  });
  pairs.sort((a, b) => a[0] - b[0]);
  for (const [start, end] of pairs) {
    const inside = resolved.slice(start + 1, end);
    let value: 'L' | 'R' | undefined;
    if (inside.includes('L')) value = 'L';
    else if (inside.includes('R') || inside.includes('AN')) {
      const before = resolved.slice(0, start).findLast((type) => type !== 'N');
      value = before === 'R' || before === 'AN' ? 'R' : 'L';
    }
    if (value !== undefined) {
      resolved[start] = value;
      resolved[end] = value;
    }
  }
}

/**
 * Embedding levels of clusters in a left-to-right paragraph (0 left to right, 1 right to left, 2 a
 * number inside right-to-left text): the UBA's weak and neutral rules, simplified (W4, W5, W7, N1).
 */
function bidiLevels(clusterTexts: readonly string[]): number[] {
  const types = clusterTexts.map(bidiClass);
  // W4: one separator between two digits belongs to the number.
  for (let i = 1; i < types.length - 1; i++) {
    if (types[i] === 'CS' && types[i - 1] === 'EN' && types[i + 1] === 'EN') types[i] = 'EN';
  }
  // W5: currency and percent signs next to a number belong to it.
  for (let i = 0; i < types.length; i++) {
    if (types[i] !== 'ET') continue;
    let end = i;
    while (end < types.length && types[end] === 'ET') end++;
    if (types[i - 1] === 'EN' || types[end] === 'EN') for (let j = i; j < end; j++) types[j] = 'EN';
    i = end - 1;
  }
  // W7 and the numbers' level: after a right-to-left letter a number sits inside the RTL text.
  const resolved: Array<'L' | 'R' | 'AN' | 'N'> = [];
  let lastStrong: 'L' | 'R' = 'L';
  for (const type of types) {
    if (type === 'L' || type === 'R') {
      lastStrong = type;
      resolved.push(type);
    } else if (type === 'EN') resolved.push(lastStrong === 'R' ? 'AN' : 'L');
    else resolved.push('N');
  }
  resolveBracketPairs(clusterTexts, resolved);
  // N1/N2: neutrals take the direction of the text on both sides when it agrees, else L.
  const direction = (type: 'L' | 'R' | 'AN' | undefined): 'L' | 'R' => (type === 'R' || type === 'AN' ? 'R' : 'L');
  for (let i = 0; i < resolved.length; i++) {
    if (resolved[i] !== 'N') continue;
    let end = i;
    while (end < resolved.length && resolved[end] === 'N') end++;
    const before = i === 0 ? 'L' : direction(resolved[i - 1] as 'L' | 'R' | 'AN');
    const after = end === resolved.length ? 'L' : direction(resolved[end] as 'L' | 'R' | 'AN');
    const value = before === after ? before : 'L';
    for (let j = i; j < end; j++) resolved[j] = value;
    i = end - 1;
  }
  return resolved.map((type) => (type === 'L' ? 0 : type === 'R' ? 1 : 2));
}

function firstFace(cluster: string, faces: readonly FaceName[]): FaceName | undefined {
  const needed = [...cluster].filter((char) => !isIgnorable(char));
  if (needed.length === 0) return undefined;
  return faces.find((face) => {
    const font = loadFont(face);
    return needed.every((char) => font.hasGlyphForCodePoint(char.codePointAt(0) ?? 0));
  });
}

function has(face: FaceName, cluster: string): boolean {
  const font = loadFont(face);
  return [...cluster].every((char) => isIgnorable(char) || font.hasGlyphForCodePoint(char.codePointAt(0) ?? 0));
}

/** The characters of the cluster the face can draw (ignorables it lacks are left out). */
function drawable(face: FaceName, cluster: string): string {
  const font = loadFont(face);
  return [...cluster].filter((char) => font.hasGlyphForCodePoint(char.codePointAt(0) ?? 0)).join('');
}

/** True when every character of `text` is drawn by the face as it is (no fallback, no bidi). */
function simple(text: string, face: FaceName): boolean {
  const font = loadFont(face);
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    // Surrogates, combining marks and anything from Hebrew up (RTL, Indic, CJK ...) take the long way.
    if (code >= 0x0590 && code < 0x1e00) return false;
    if (code >= 0x0300 && code < 0x0370) return false;
    if (code >= 0xd800 && code < 0xe000) return false;
    if (code >= 0xfb1d && code < 0xfe00) return false;
    if (code >= 0xfe70 && code < 0xff00) return false;
    if (!font.hasGlyphForCodePoint(code)) return false;
  }
  return true;
}

function fontkitDirection(text: string): 'ltr' | 'rtl' {
  for (const char of text) {
    if (COMMON_OR_INHERITED.test(char)) continue;
    return FONTKIT_RTL.test(char) ? 'rtl' : 'ltr';
  }
  return 'ltr';
}

interface Cluster {
  text: string;
  face: FaceName;
  level: number;
}

/**
 * A line of text (no line breaks) as the runs to draw from left to right. The text should be
 * cleaned ({@link cleanText}); whatever is left that no face can draw becomes U+FFFD.
 */
export function visualRuns(text: string, weight: Weight): VisualRun[] {
  const faces = FACES[weight];
  const primary = faces[0] as FaceName;
  if (text === '') return [];
  if (simple(text, primary)) return [{ text, face: primary, wholeRun: false }];

  const parts = clusters(text);
  const levels = bidiLevels(parts);
  const placed: Cluster[] = [];
  let previous: FaceName | undefined;
  parts.forEach((part, index) => {
    const level = levels[index] ?? 0;
    const strong = /[\p{L}\p{N}]/u.test(part);
    // Spaces and punctuation stay with the text around them when its face has them.
    let face = !strong && previous !== undefined && has(previous, part) ? previous : firstFace(part, faces);
    let drawn = face === undefined ? '' : drawable(face, part);
    if (face === undefined || drawn === '') {
      if ([...part].every((char) => isIgnorable(char) || /\p{M}/u.test(char))) return; // a stray mark or joiner
      face = primary;
      drawn = loadFont(primary).hasGlyphForCodePoint(0xfffd) ? REPLACEMENT : '?';
    }
    if (level % 2 === 1) drawn = MIRRORED[drawn] ?? drawn;
    previous = face;
    const last = placed.at(-1);
    if (last !== undefined && last.face === face && last.level === level) last.text += drawn;
    else placed.push({ text: drawn, face, level });
  });

  // Rule L2: from the highest level down to 1, reverse every sequence of runs at that level or higher.
  const runs = [...placed];
  for (let level = 2; level >= 1; level--) {
    for (let start = 0; start < runs.length; start++) {
      if ((runs[start]?.level ?? 0) < level) continue;
      let end = start;
      while (end < runs.length && (runs[end]?.level ?? 0) >= level) end++;
      runs.splice(start, end - start, ...runs.slice(start, end).reverse());
      start = end;
    }
  }
  return runs.map((run) => {
    const shapedRtl = fontkitDirection(run.text) === 'rtl';
    const wantRtl = run.level % 2 === 1;
    // fontkit reverses what it deems right to left; where that disagrees with the level (neutrals
    // inside Arabic text in another face, Arabic-Indic digits), hand it the clusters reversed.
    const text = shapedRtl === wantRtl ? run.text : clusters(run.text).reverse().join('');
    return { text, face: run.face, wholeRun: shapedRtl };
  });
}

const IDEOGRAPHIC = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3000-\u303f\uff00-\uffef]/u;
const NO_BREAK_BEFORE = /^[)\]}、。，．：；！？」』）〕】〉》・ー〜%]/u;
const NO_BREAK_AFTER = /[([{「『（〔【〈《]$/u;

/**
 * Where a line may break: after spaces, after a hyphen or dash between words, and around
 * ideographs and kana (Chinese and Japanese have no spaces). Returns the pieces between break
 * opportunities; each keeps its trailing spaces.
 */
export function breakPieces(text: string): string[] {
  const pieces: string[] = [];
  let current = '';
  let last = '';
  for (const part of clusters(text)) {
    if (/^\s+$/u.test(part)) {
      current += part;
      last = part;
      continue;
    }
    const breakHere =
      current !== '' &&
      (/\s$/u.test(current) ||
        (/\p{L}[-\u2010\u2013\u2014]$/u.test(current) && /\p{L}/u.test(part)) ||
        ((IDEOGRAPHIC.test(part) || IDEOGRAPHIC.test(last)) &&
          !NO_BREAK_BEFORE.test(part) &&
          !NO_BREAK_AFTER.test(last)));
    if (breakHere) {
      pieces.push(current);
      current = '';
    }
    current += part;
    last = part;
  }
  if (current !== '') pieces.push(current);
  return pieces;
}
