/**
 * The part of fontkit 2 (pdfkit's font engine, no types of its own) that fonts.ts uses. pdfkit
 * accepts such a font object wherever it takes a font file.
 */
declare module 'fontkit' {
  export interface Font {
    readonly postscriptName: string;
    readonly unitsPerEm: number;
    readonly ascent: number;
    readonly descent: number;
    hasGlyphForCodePoint(codePoint: number): boolean;
    layout(text: string, features?: readonly string[] | Record<string, boolean>): unknown;
  }
  export function create(buffer: Uint8Array, postscriptName?: string): Font;
}
