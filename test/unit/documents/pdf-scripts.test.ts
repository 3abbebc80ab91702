import { describe, expect, it } from 'vitest';
import { renderCreditNotePdf } from '../../../functions/adapters/documents/credit-note-pdf.js';
import { COLUMNS, LEFT, RIGHT, renderInvoicePdf } from '../../../functions/adapters/documents/pdf.js';
import { sampleCreditNote } from '../../support/credit-note-fixture.js';
import { sampleInvoice } from '../../support/invoice-fixture.js';
import { objectDictionaries, placedText } from './pdf-inspect.js';
import { extractPdfText } from './pdf-text.js';

/**
 * Names in any script print as written (embedded Noto fonts with fallback faces), and what pdf.js
 * extracts is the text itself. For Arabic, pdf.js reads the glyphs (drawn right to left, shaped)
 * and returns the words in logical order, which is what these tests compare; neighbouring
 * neutrals (spaces, brackets) may land in another text item.
 */
const FIVE_SCRIPTS = 'Müller Ωμέγα Иванов 山田太郎 김민준 شركة الأمل';
const BUYER_X = LEFT + 265;

function withBuyerName(name: string) {
  const invoice = sampleInvoice();
  return sampleInvoice({ buyer: { ...invoice.buyer, name } });
}

/** Base font names of the fonts the PDF embeds, without their subset tag. */
function embeddedFonts(pdf: Buffer): string[] {
  const names = new Set<string>();
  for (const dictionary of objectDictionaries(pdf).values()) {
    const match = /\/Type \/Font\n\/Subtype \/Type0\n\/BaseFont \/[A-Z]{6}\+(\S+)/.exec(dictionary);
    if (match?.[1] !== undefined) names.add(match[1]);
  }
  return [...names].sort();
}

describe('invoice PDF text in five scripts', () => {
  it('prints a buyer named in Latin, Greek, Cyrillic, Han, Hangul and Arabic, each name extractable', async () => {
    const { text } = await extractPdfText(await renderInvoicePdf(withBuyerName(FIVE_SCRIPTS)));
    for (const name of ['Müller', 'Ωμέγα', 'Иванов', '山田太郎', '김민준', 'شركة', 'الأمل']) {
      expect(text).toContain(name);
    }
    expect(text).not.toContain('?');
  });

  it('keeps an Arabic name on one line in logical order', async () => {
    const { text } = await extractPdfText(await renderInvoicePdf(withBuyerName('شركة الأمل للتجارة')));
    expect(text.split('\n')).toContain('شركة الأمل للتجارة');
  });

  it('embeds the fallback faces only when a text needs them', async () => {
    expect(embeddedFonts(await renderInvoicePdf(sampleInvoice()))).toEqual(['NotoSans-Bold', 'NotoSans-Regular']);
    expect(embeddedFonts(await renderInvoicePdf(withBuyerName(FIVE_SCRIPTS)))).toEqual([
      'NotoSans-Bold',
      'NotoSans-Regular',
      'NotoSansArabic-Bold',
      'NotoSansKR-Bold',
      'NotoSansSC-Bold',
    ]);
  });

  it('prints U+FFFD for characters no font has (emoji, Hebrew) and never fails', async () => {
    const { text } = await extractPdfText(await renderInvoicePdf(withBuyerName('Café 😀 👨‍👩‍👧 שלום GmbH')));
    // One U+FFFD per emoji (a ZWJ family is one) and per Hebrew letter; pdf.js splits the items.
    expect(text.replace(/\s+/g, '')).toContain('Café\ufffd\ufffd\ufffd\ufffd\ufffd\ufffdGmbH');
  });

  it('renders hostile names (lone surrogates, control characters, bidi overrides) without failing', async () => {
    const name = 'A\ud800B\u0000C\u0007D\u202eE\u200fF\u2028G\nH\ttab';
    const pdf = await renderInvoicePdf(withBuyerName(name));
    const { text, info } = await extractPdfText(pdf);
    expect(text).toContain('A\ufffdB C D');
    expect(text).toContain('EF G');
    expect(info.Subject).toBe('Rechnung INV-2026-000042 – A\ufffdB C DEF G H tab');
  });

  it('renders byte-identical PDFs whatever was rendered before in the process (shared font caches)', async () => {
    const first = await renderInvoicePdf(withBuyerName(FIVE_SCRIPTS));
    await renderInvoicePdf(withBuyerName('شركة 山田 Ωμέγα 김'));
    await renderCreditNotePdf(sampleCreditNote({ reason: 'Ausfall 山田太郎 شركة' }));
    expect((await renderInvoicePdf(withBuyerName(FIVE_SCRIPTS))).equals(first)).toBe(true);
  });

  it('prints a credit note for a buyer named in five scripts', async () => {
    const note = sampleCreditNote();
    const { text } = await extractPdfText(
      await renderCreditNotePdf({ ...note, buyer: { ...note.buyer, name: FIVE_SCRIPTS } }),
    );
    for (const name of ['Ωμέγα', '山田太郎', '김민준', 'الأمل']) expect(text).toContain(name);
  });
});

describe('invoice PDF layout with fallback fonts', () => {
  it('wraps a long Chinese name inside the buyer column', async () => {
    const name = '北京云计算数据服务有限公司上海分公司技术研发中心第三事业部';
    const items = await placedText(await renderInvoicePdf(withBuyerName(name)));
    const lines = items.filter((item) => /\p{Script=Han}/u.test(item.text));
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.map((line) => line.text).join('')).toBe(name);
    for (const line of lines) {
      expect(line.x).toBeCloseTo(BUYER_X, 1);
      expect(line.x + line.width).toBeLessThanOrEqual(RIGHT + 0.5);
    }
  });

  it('wraps a long Arabic name inside the buyer column, first words on the first line', async () => {
    const name = 'شركة الأمل للتجارة العامة والمقاولات والاستيراد والتصدير المحدودة';
    const items = await placedText(await renderInvoicePdf(withBuyerName(name)));
    const lines = items.filter((item) => /\p{Script=Arabic}/u.test(item.text));
    expect(lines.length).toBeGreaterThan(1);
    expect(lines[0]?.text.startsWith('شركة الأمل')).toBe(true);
    for (const line of lines) {
      expect(line.x).toBeGreaterThanOrEqual(BUYER_X - 0.5);
      expect(line.x + line.width).toBeLessThanOrEqual(RIGHT + 0.5);
    }
  });

  it('splits a word wider than the page between characters, losing none', async () => {
    const word = 'x'.repeat(1500);
    const items = await placedText(await renderInvoicePdf(sampleInvoice({ notes: [`Ref ${word} end`] })));
    const lines = items.filter((item) => /^(Ref|x+|x+ end)$/.test(item.text));
    expect(lines.length).toBeGreaterThan(5);
    expect(lines.map((line) => line.text.replace(/ end$/, '')).join('')).toBe(`Ref${word}`);
    for (const line of lines) expect(line.x + line.width).toBeLessThanOrEqual(RIGHT + 0.5);
  });

  it('right-aligns the amounts on the column edge', async () => {
    const items = await placedText(await renderInvoicePdf(sampleInvoice()));
    const total = items.find((item) => item.text === '2.303,66 €');
    expect(total).toBeDefined();
    expect((total?.x ?? 0) + (total?.width ?? 0)).toBeCloseTo(RIGHT, 0);
    const amount = items.find((item) => item.text === '1.886,85 €');
    expect((amount?.x ?? 0) + (amount?.width ?? 0)).toBeCloseTo(COLUMNS.amount.x + COLUMNS.amount.width, 0);
  });

  it('draws a mixed-script name on one baseline', async () => {
    const items = await placedText(await renderInvoicePdf(withBuyerName('Kim 김민준 山田')));
    const parts = items.filter((item) => /Kim|김민준|山田/u.test(item.text));
    expect(parts.length).toBeGreaterThanOrEqual(2);
    for (const part of parts) expect(part.y).toBeCloseTo(parts[0]?.y ?? 0, 2);
  });
});
