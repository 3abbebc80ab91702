/**
 * The font files the invoice and credit-note PDFs embed (Noto, SIL Open Font License), as data only:
 * fonts.ts reads them at run time, and the CDK construct (lib/constructs/billing-function.ts
 * PDF_DOCUMENT_ASSETS) copies them next to a Lambda bundle under {@link FONT_DIRECTORY}.
 *
 * Order matters: a character is drawn with the first face of its weight that has a glyph for it.
 */
export const FONT_DIRECTORY = 'fonts';

export interface FontFile {
  /** npm package holding the file. */
  readonly package: string;
  /** Path inside the package. */
  readonly path: string;
  /** File name in the bundle's {@link FONT_DIRECTORY}. */
  readonly file: string;
}

function noto(pkg: string, folder: string, file: string): FontFile {
  return { package: `@expo-google-fonts/${pkg}`, path: `${folder}/${file}`, file };
}

export const FONT_FILES = {
  /** Latin, Greek, Cyrillic (and U+FFFD, the replacement character). */
  latinRegular: noto('noto-sans', '400Regular', 'NotoSans_400Regular.ttf'),
  latinBold: noto('noto-sans', '700Bold', 'NotoSans_700Bold.ttf'),
  /** Han ideographs, kana, CJK punctuation (~10.5 MB each; read only when a text needs them). */
  cjkRegular: noto('noto-sans-sc', '400Regular', 'NotoSansSC_400Regular.ttf'),
  cjkBold: noto('noto-sans-sc', '700Bold', 'NotoSansSC_700Bold.ttf'),
  /** Hangul (~6 MB each). */
  hangulRegular: noto('noto-sans-kr', '400Regular', 'NotoSansKR_400Regular.ttf'),
  hangulBold: noto('noto-sans-kr', '700Bold', 'NotoSansKR_700Bold.ttf'),
  /** Arabic script, shaped by fontkit (joining forms, lam-alef). */
  arabicRegular: noto('noto-sans-arabic', '400Regular', 'NotoSansArabic_400Regular.ttf'),
  arabicBold: noto('noto-sans-arabic', '700Bold', 'NotoSansArabic_700Bold.ttf'),
} as const satisfies Record<string, FontFile>;

export type FaceName = keyof typeof FONT_FILES;

export type Weight = 'regular' | 'bold';

/** The faces of a weight, in the order a character looks for its glyph. */
export const FACES: Readonly<Record<Weight, readonly FaceName[]>> = {
  regular: ['latinRegular', 'cjkRegular', 'hangulRegular', 'arabicRegular'],
  bold: ['latinBold', 'cjkBold', 'hangulBold', 'arabicBold'],
};
