import { describe, expect, it } from 'vitest';
import { renderInvoicePdf } from '../../../functions/adapters/documents/pdf.js';
import {
  invoiceWithLines,
  jpyInvoice,
  matrixUsageLine,
  reverseChargeInvoice,
  sampleInvoice,
  usdInvoice,
  voidInvoice,
  withTotals,
} from '../../support/invoice-fixture.js';
import { extractPdfText } from './pdf-text.js';

async function renderedText(invoice = sampleInvoice()) {
  return extractPdfText(await renderInvoicePdf(invoice));
}

describe('renderInvoicePdf', () => {
  it('produces a PDF document', async () => {
    const pdf = await renderInvoicePdf(sampleInvoice());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.subarray(-6).toString('latin1')).toContain('%%EOF');
  });

  it('prints the German title, number, dates, period and VAT ids', async () => {
    const { text } = await renderedText();
    for (const expected of [
      'Rechnung',
      'INV-2026-000042',
      'RECHNUNGSDATUM',
      '01.12.2026',
      'LEISTUNGSZEITRAUM',
      '01.11.2026 – 30.11.2026',
      'FÄLLIG AM',
      '15.12.2026',
      'USt-IdNr.: DE812345678',
      'USt-IdNr.: DE298765432',
    ]) {
      expect(text).toContain(expected);
    }
    // The payment terms wrap in their narrow cell.
    expect(text.replace(/\n/g, ' ')).toContain('Zahlbar innerhalb von 14 Tagen ohne Abzug');
  });

  it('prints seller and buyer with umlauts and ß intact', async () => {
    const { text } = await renderedText();
    expect(text).toContain('Nordlicht Cloud GmbH');
    expect(text).toContain('Friedrichstraße 123');
    expect(text).toContain('Müller & Söhne Maschinenbau KG');
    expect(text).toContain('80469 München');
  });

  it('prints subtotal, VAT rate, VAT and total in German money format with the euro sign', async () => {
    const { text } = await renderedText();
    expect(text).toContain('Zwischensumme\n1.935,85 €');
    expect(text).toContain('USt. 19 %\n367,81 €');
    expect(text).toContain('Gesamtbetrag\n2.303,66 €');
  });

  it('prints each line with quantity, unit price and amount', async () => {
    const { text } = await renderedText();
    expect(text).toContain('Business-Tarif – monatliche Grundgebühr\n1\n49,00 €\n49,00 €');
    expect(text).toContain('API-Aufrufe\n1.234.567\n1.886,85 €');
  });

  it('follows a usage line with its tier breakdown in the document language', async () => {
    const { text } = await renderedText();
    expect(text).toContain('Stufe 1 (bis 10.000): Pauschale 5,00 €\n10.000\n0,00 €\n5,00 €');
    expect(text).toContain('Stufe 2 (über 10.000 bis 100.000)\n90.000\n0,002 €\n180,00 €');
    expect(text).toContain('Stufe 3 (über 100.000)\n1.134.567\n0,0015 €\n1.701,85 €');
  });

  it('prints nested breakdowns of matrix cells, block tiers included', async () => {
    const { text } = await renderedText(withTotals(sampleInvoice({ lines: [matrixUsageLine()] })));
    expect(text).toContain('region: eu\n500\n5,00 €');
    expect(text).toContain('region: us\n450\n6,00 €');
    expect(text).toContain('Stufe 2 (über 100): 4 × 100 Einheiten zu je 1,00 €\n350\n4,00 €');
  });

  it('prints the notes (payment instructions)', async () => {
    const { text } = await renderedText();
    expect(text).toContain('IBAN DE89 3704 0044 0532 0130 00');
  });

  it('prints an English invoice in dollars', async () => {
    const { text } = await renderedText(usdInvoice());
    expect(text).toContain('Invoice');
    expect(text).toContain('Nov 1, 2026 – Nov 30, 2026');
    expect(text).toContain('DUE DATE\nDec 15, 2026');
    expect(text).toContain('Net 14 days');
    expect(text).toContain('Total\n$1,935.85');
    expect(text).toContain('Tier 2 (over 10,000 up to 100,000)\n90,000\n$0.002\n$180.00');
  });

  it('prints yen amounts without a minor unit', async () => {
    const invoice = jpyInvoice();
    const { text } = await renderedText(invoice);
    expect(invoice.total).toBe('52030');
    expect(text).toContain('Total\n¥52,030');
    expect(text).toContain('¥0.15');
  });

  it('prints the reverse-charge note and no VAT for an intra-EU reverse-charge invoice', async () => {
    const { text } = await renderedText(reverseChargeInvoice());
    expect(text).toContain('Steuerschuldnerschaft des Leistungsempfängers (Reverse Charge)');
    expect(text).toContain('USt. 0 %\n€ 0,00\nKeine Umsatzsteuer berechnet: Steuerschuldnerschaft des');
    expect(text).toContain('USt-IdNr.: ATU12345678');
    expect(text).toContain('Österreich');
  });

  it('does not print a second reverse-charge note when the invoice notes carry one', async () => {
    const { text } = await renderedText(reverseChargeInvoice({ notes: ['Reverse charge – Art. 196 MwStSystRL.'] }));
    expect(text).toContain('Reverse charge – Art. 196 MwStSystRL.');
    expect(text).not.toContain('gemäß Art. 196 der Richtlinie 2006/112/EG');
  });

  it('leaves out the reverse-charge note on an ordinary invoice', async () => {
    const { text } = await renderedText();
    expect(text).not.toContain('Reverse Charge');
  });

  it('marks a voided German invoice as STORNIERT with date and reason', async () => {
    const { text } = await renderedText(voidInvoice());
    expect(text).toContain('STORNIERT');
    expect(text).toContain('am 03.12.2026 storniert (Falscher Rechnungsempfänger)');
  });

  it('marks a voided English invoice as VOID', async () => {
    const { text } = await renderedText(
      usdInvoice({ status: 'void', voided: { at: '2026-12-03T09:30:00Z', reason: 'Duplicate' } }),
    );
    expect(text).toContain('VOID');
    expect(text).toContain('voided on Dec 3, 2026 (Duplicate)');
  });

  it('does not mark a finalized invoice as void', async () => {
    const { text } = await renderedText();
    expect(text).not.toContain('STORNIERT');
  });

  it('breaks an 80-line invoice over several numbered pages and prints every line once', async () => {
    const { pages, text } = await renderedText(invoiceWithLines(80));
    expect(pages.length).toBeGreaterThan(1);
    pages.forEach((page, index) => {
      expect(page).toContain(`Seite ${index + 1} von ${pages.length}`);
      expect(page).toContain('BESCHREIBUNG');
    });
    for (let index = 1; index <= 77; index++) {
      const label = `Workload ${String(index).padStart(2, '0')} – compute minutes`;
      expect(text.split(label).length - 1).toBe(1);
    }
    expect(pages.at(-1)).toContain('Gesamtbetrag');
  });

  it('renders the same invoice to byte-identical PDFs', async () => {
    const first = await renderInvoicePdf(invoiceWithLines(12));
    const second = await renderInvoicePdf(invoiceWithLines(12));
    expect(first.equals(second)).toBe(true);
  });

  it('takes the creation date from issuedAt and never from the clock', async () => {
    const pdf = await renderInvoicePdf(sampleInvoice({ issuedAt: '2026-12-01T06:00:00.000Z' }));
    const other = await renderInvoicePdf(sampleInvoice({ issuedAt: '2026-12-02T06:00:00.000Z' }));
    const { info } = await extractPdfText(pdf);
    expect(info.CreationDate).toBe('D:20261201060000Z');
    expect(info.Title).toBe('Rechnung INV-2026-000042');
    expect(info.Author).toBe('Nordlicht Cloud GmbH');
    const id = (bytes: Buffer) => /\/ID \[(<[0-9a-f]+>) /.exec(bytes.toString('latin1'))?.[1];
    expect(id(pdf)).toBeDefined();
    expect(id(pdf)).not.toBe(id(other));
  });

  it('draws a logo when given one', async () => {
    // 1×1 transparent PNG.
    const logo = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
      'base64',
    );
    const withLogo = await renderInvoicePdf(sampleInvoice(), { logo });
    expect(withLogo.toString('latin1')).toContain('/Subtype /Image');
    expect((await renderInvoicePdf(sampleInvoice(), { logo })).equals(withLogo)).toBe(true);
  });

  it('rejects an invoice whose issuedAt is not an instant', async () => {
    await expect(renderInvoicePdf(sampleInvoice({ issuedAt: 'yesterday' }))).rejects.toThrow(/issuedAt/);
  });

  it('prints names outside WinAnsi as they are written', async () => {
    const { text } = await renderedText(
      sampleInvoice({ buyer: { name: 'Łódź Dźwig Spółka – Ősz', taxId: 'PL1234567890' } }),
    );
    expect(text).toContain('Łódź Dźwig Spółka – Ősz');
  });
});
