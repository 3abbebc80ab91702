import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type FaceName, FONT_FILES } from '../../../functions/adapters/documents/font-files.js';
import { breakPieces, cleanText, fontPath, loadFont, visualRuns } from '../../../functions/adapters/documents/fonts.js';

/** The runs as "face:text" in drawing order, for compact expectations. */
function runs(text: string, weight: 'regular' | 'bold' = 'regular'): string[] {
  return visualRuns(text, weight).map((run) => `${run.face}:${run.text}`);
}

describe('font files', () => {
  it.each(Object.keys(FONT_FILES) as FaceName[])('finds %s in node_modules when run from source', (face) => {
    expect(existsSync(fontPath(face))).toBe(true);
    expect(fontPath(face).endsWith(FONT_FILES[face].file)).toBe(true);
  });

  it('parses each font once per process', () => {
    expect(loadFont('latinRegular')).toBe(loadFont('latinRegular'));
  });
});

describe('visualRuns: which face draws what', () => {
  it.each([
    ['Latin, Greek and Cyrillic in Noto Sans', 'Müller Ωμέγα Иванов', ['latinRegular:Müller Ωμέγα Иванов']],
    ['Han and kana in Noto Sans SC', '山田太郎 やまだ', ['cjkRegular:山田太郎 やまだ']],
    ['Hangul in Noto Sans KR', '김민준', ['hangulRegular:김민준']],
    [
      'the space between two scripts in the face before it',
      'Kim 김민준',
      ['latinRegular:Kim ', 'hangulRegular:김민준'],
    ],
    ['an emoji no face has as U+FFFD in the primary face', 'A😀B', ['latinRegular:A\ufffdB']],
    ['an emoji sequence as one U+FFFD', '👨‍👩‍👧!', ['latinRegular:\ufffd!']],
    ['Hebrew (no font shipped) as U+FFFD', 'שלום', ['latinRegular:\ufffd\ufffd\ufffd\ufffd']],
  ])('%s', (_name, text, expected) => {
    expect(runs(text)).toEqual(expected);
  });

  it('uses the bold faces for bold text', () => {
    expect(runs('Ab 山 김', 'bold')).toEqual(['latinBold:Ab ', 'cjkBold:山 ', 'hangulBold:김']);
  });
});

describe('visualRuns: right-to-left text in a left-to-right line', () => {
  it('hands an Arabic phrase to fontkit whole, in logical order (fontkit shapes and reverses it)', () => {
    const [latin, arabic] = visualRuns('Müller شركة الأمل', 'regular');
    expect(latin).toEqual({ face: 'latinRegular', text: 'Müller ', wholeRun: false });
    expect(arabic).toEqual({ face: 'arabicRegular', text: 'شركة الأمل', wholeRun: true });
  });

  it('puts a number that follows Arabic text on its left, as the bidi algorithm does', () => {
    expect(runs('شركة 123')).toEqual(['latinRegular:123', 'arabicRegular:شركة ']);
  });

  it('keeps parentheses around a number inside Arabic text, mirrored for right-to-left drawing', () => {
    // Logical "الأمل (٢٠٢٦) x" shows as "(٢٠٢٦) الأمل x". The run "الأمل )" is reversed by fontkit
    // (its ")" is the mirrored "("); the Arabic-Indic digits are handed over reversed because fontkit
    // would lay them out right to left too.
    expect(runs('الأمل (٢٠٢٦) x')).toEqual([
      'arabicRegular:(',
      'arabicRegular:٦٢٠٢',
      'arabicRegular:الأمل )',
      'arabicRegular: ',
      'latinRegular:x',
    ]);
  });

  it('leaves Arabic words separated by a Latin one where they stand', () => {
    expect(runs('أ B ت')).toEqual(['arabicRegular:أ', 'arabicRegular: ', 'latinRegular:B ', 'arabicRegular:ت']);
  });
});

describe('cleanText', () => {
  it('turns control characters into spaces, lone surrogates into U+FFFD and drops bidi controls', () => {
    expect(cleanText('a\tb\u0000c\u0085d')).toBe('a b c d');
    expect(cleanText('x\ud800y\udc00z')).toBe('x\ufffdy\ufffdz');
    expect(cleanText('\u202eabc\u202c\u200f\u00ad\ufeff')).toBe('abc');
    expect(cleanText('😀')).toBe('😀');
  });
});

describe('breakPieces', () => {
  it.each([
    ['after spaces', 'Business tariff base fee', ['Business ', 'tariff ', 'base ', 'fee']],
    ['after a hyphen between words', 'Business-Tarif', ['Business-', 'Tarif']],
    ['not inside numbers or dates', '2026-11-01 1.234,56', ['2026-11-01 ', '1.234,56']],
    ['around each ideograph', '山田太郎', ['山', '田', '太', '郎']],
    ['not before closing CJK punctuation', '山田。太', ['山', '田。', '太']],
    ['Hangul at spaces only', '김 민준', ['김 ', '민준']],
  ])('breaks %s', (_name, text, expected) => {
    expect(breakPieces(text)).toEqual(expected);
  });
});
