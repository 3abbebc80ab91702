import { describe, expect, it } from 'vitest';
import { renderCreditNotePdf } from '../../../functions/adapters/documents/credit-note-pdf.js';
import { DocumentFormatError } from '../../../functions/adapters/documents/format.js';
import { renderInvoicePdf } from '../../../functions/adapters/documents/pdf.js';
import { FACTUR_X_NAMESPACE, isPdfaImage } from '../../../functions/adapters/documents/pdfa.js';
import { sampleCreditNote } from '../../support/credit-note-fixture.js';
import { invoiceWithLines, sampleInvoice, voidInvoice } from '../../support/invoice-fixture.js';
import { attachmentsOf, objectDictionaries, xmpOf } from './pdf-inspect.js';
import { extractPdfText } from './pdf-text.js';

/** A small CII document of the shape the Factur-X generator writes (not schema-checked here). */
const CII = `<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100" xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100" xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
  <rsm:ExchangedDocumentContext><ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>urn:cen.eu:en16931:2017</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter></rsm:ExchangedDocumentContext>
  <rsm:ExchangedDocument><ram:ID>INV-2026-000042</ram:ID><ram:TypeCode>380</ram:TypeCode><ram:IssueDateTime><udt:DateTimeString format="102">20261201</udt:DateTimeString></ram:IssueDateTime></rsm:ExchangedDocument>
  <rsm:SupplyChainTradeTransaction><ram:ApplicableHeaderTradeAgreement><ram:BuyerTradeParty><ram:Name>Müller &amp; Söhne Maschinenbau KG</ram:Name></ram:BuyerTradeParty></ram:ApplicableHeaderTradeAgreement></rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>
`;

function dictionaries(pdf: Buffer): string[] {
  return [...objectDictionaries(pdf).values()];
}

function catalog(pdf: Buffer): string {
  return dictionaries(pdf).find((dictionary) => dictionary.startsWith('/Type /Catalog')) ?? '';
}

describe('invoice PDFs are PDF/A-3b', () => {
  it('declares PDF/A-3 conformance B in the XMP metadata of a PDF 1.7 file', async () => {
    const pdf = await renderInvoicePdf(sampleInvoice());
    expect(pdf.subarray(0, 8).toString('latin1')).toBe('%PDF-1.7');
    const xmp = await xmpOf(pdf);
    expect(xmp.get('pdfaid:part')).toBe('3');
    expect(xmp.get('pdfaid:conformance')).toBe('B');
  });

  it('embeds every font it uses (each font descriptor has FontFile2), no standard 14 font', async () => {
    const pdf = await renderInvoicePdf(
      sampleInvoice({ buyer: { ...sampleInvoice().buyer, name: 'Müller 山田太郎 김민준 شركة' }, status: 'draft' }),
    );
    const all = dictionaries(pdf);
    const fonts = all.filter((dictionary) => dictionary.startsWith('/Type /Font\n'));
    const descriptors = all.filter((dictionary) => dictionary.startsWith('/Type /FontDescriptor'));
    expect(fonts.filter((font) => font.includes('/Subtype /Type0'))).toHaveLength(5);
    expect(fonts.every((font) => /\/Subtype \/(Type0|CIDFontType2)\n/.test(font))).toBe(true);
    expect(descriptors).toHaveLength(5);
    for (const descriptor of descriptors) expect(descriptor).toMatch(/\/FontFile2 \d+ 0 R/);
    expect(pdf.toString('latin1')).not.toMatch(/\/BaseFont \/(Helvetica|Times|Courier)/);
  });

  it('has an sRGB OutputIntent with an embedded ICC profile', async () => {
    const pdf = await renderInvoicePdf(sampleInvoice());
    const intent = dictionaries(pdf).find((dictionary) => dictionary.startsWith('/Type /OutputIntent')) ?? '';
    expect(intent).toContain('/S /GTS_PDFA1');
    expect(intent).toContain('/OutputConditionIdentifier (sRGB IEC61966-2.1)');
    expect(intent).toMatch(/\/DestOutputProfile \d+ 0 R/);
    expect(catalog(pdf)).toMatch(/\/OutputIntents \[\d+ 0 R\]/);
  });

  it('copies title, author, subject and dates into the XMP, XML-escaped', async () => {
    const invoice = sampleInvoice({ seller: { ...sampleInvoice().seller, name: 'Schmidt & Partner <GbR> "Nord"' } });
    const xmp = await xmpOf(await renderInvoicePdf(invoice));
    expect(xmp.get('dc:title')).toBe('Rechnung INV-2026-000042');
    expect(xmp.get('dc:creator')).toEqual(['Schmidt & Partner <GbR> "Nord"']);
    expect(xmp.get('dc:description')).toBe('Rechnung INV-2026-000042 – Müller & Söhne Maschinenbau KG');
    expect(xmp.raw).toContain('<xmp:CreateDate>2026-12-01T06:00:00Z</xmp:CreateDate>');
    expect(xmp.raw).toContain('<xmp:ModifyDate>2026-12-01T06:00:00Z</xmp:ModifyDate>');
    expect(xmp.raw.match(/<dc:title>/g)).toHaveLength(1);
  });

  it('keeps the draft watermark (transparency) and the void banner', async () => {
    const draft = await renderInvoicePdf(sampleInvoice({ status: 'draft' }));
    expect(draft.toString('latin1')).toMatch(/\/ca 0\.13/);
    expect((await xmpOf(await renderInvoicePdf(voidInvoice()))).get('pdfaid:part')).toBe('3');
  });

  it('takes a PNG logo with transparency as an image with a soft mask', async () => {
    // 1×1 transparent PNG.
    const logo = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
      'base64',
    );
    const images = dictionaries(await renderInvoicePdf(sampleInvoice(), { logo })).filter((dictionary) =>
      dictionary.includes('/Subtype /Image'),
    );
    expect(images.some((image) => /\/SMask \d+ 0 R/.test(image))).toBe(true);
    expect(images.every((image) => !image.includes('/Interpolate true'))).toBe(true);
  });

  it('leaves out a CMYK JPEG logo (DeviceCMYK under an sRGB intent) and prints the seller name', async () => {
    // The frame header of a 1×1 four-component JPEG: enough for the check, which runs before pdfkit.
    const cmyk = Buffer.from([
      0xff, 0xd8, 0xff, 0xc0, 0x00, 0x14, 0x08, 0x00, 0x01, 0x00, 0x01, 0x04, 0x01, 0x11, 0x00, 0x02, 0x11, 0x00, 0x03,
      0x11, 0x00, 0x04, 0x11, 0x00, 0xff, 0xd9,
    ]);
    expect(isPdfaImage(cmyk)).toBe(false);
    expect(isPdfaImage(Buffer.from([...cmyk.subarray(0, 11), 0x03, ...cmyk.subarray(12)]))).toBe(true);
    const pdf = await renderInvoicePdf(sampleInvoice(), { logo: cmyk });
    expect(pdf.toString('latin1')).not.toContain('/Subtype /Image');
    expect((await extractPdfText(pdf)).text.startsWith('Nordlicht Cloud GmbH\nRechnung')).toBe(true);
  });

  it('makes credit notes PDF/A-3b too', async () => {
    const xmp = await xmpOf(await renderCreditNotePdf(sampleCreditNote()));
    expect(xmp.get('pdfaid:part')).toBe('3');
    expect(xmp.get('dc:title')).toBe('Rechnungskorrektur CN-2026-000007');
  });
});

describe('Factur-X / ZUGFeRD embedding', () => {
  it('embeds the CII XML as factur-x.xml, extracted back byte for byte', async () => {
    const pdf = await renderInvoicePdf(sampleInvoice(), { facturX: { xml: CII } });
    const attachments = await attachmentsOf(pdf);
    expect(Object.keys(attachments)).toEqual(['factur-x.xml']);
    expect(Buffer.from(attachments['factur-x.xml']?.content ?? []).equals(Buffer.from(CII, 'utf8'))).toBe(true);
  });

  it('declares it text/xml with AFRelationship Alternative, in the catalog AF array and EmbeddedFiles', async () => {
    const pdf = await renderInvoicePdf(sampleInvoice(), { facturX: { xml: CII } });
    const objects = objectDictionaries(pdf);
    const [specNumber, spec] = [...objects].find(([, dictionary]) => dictionary.startsWith('/Type /Filespec')) ?? [];
    expect(spec).toContain('/AFRelationship /Alternative');
    expect(spec).toContain('/F (factur-x.xml)');
    expect(spec).toContain('/UF (factur-x.xml)');
    expect(catalog(pdf)).toContain(`/AF [${specNumber} 0 R]`);
    const file = [...objects.values()].find((dictionary) => dictionary.startsWith('/Type /EmbeddedFile')) ?? '';
    expect(file).toContain('/Subtype /text#2Fxml');
    expect(file).toContain('/ModDate (D:20261201060000Z)');
    expect(pdf.toString('latin1')).toMatch(/\/EmbeddedFiles <<\s*\/Names \[\s*\(factur-x\.xml\) \d+ 0 R/);
  });

  it('adds the fx XMP properties and the PDF/A extension schema that declares them', async () => {
    const { raw } = await xmpOf(await renderInvoicePdf(sampleInvoice(), { facturX: { xml: CII } }));
    expect(raw).toContain(`xmlns:fx="${FACTUR_X_NAMESPACE}"`);
    expect(raw).toContain('urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#');
    for (const property of [
      '<fx:DocumentType>INVOICE</fx:DocumentType>',
      '<fx:DocumentFileName>factur-x.xml</fx:DocumentFileName>',
      '<fx:Version>1.0</fx:Version>',
      '<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>',
      '<pdfaSchema:namespaceURI>urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#</pdfaSchema:namespaceURI>',
      '<pdfaSchema:prefix>fx</pdfaSchema:prefix>',
    ]) {
      expect(raw).toContain(property);
    }
    for (const name of ['DocumentFileName', 'DocumentType', 'Version', 'ConformanceLevel']) {
      expect(raw).toContain(`<pdfaProperty:name>${name}</pdfaProperty:name>`);
    }
    expect((await xmpOf(await renderInvoicePdf(sampleInvoice()))).raw).not.toContain('fx:');
  });

  it('takes another conformance level', async () => {
    const { raw } = await xmpOf(
      await renderInvoicePdf(sampleInvoice(), { facturX: { xml: CII, conformanceLevel: 'EXTENDED' } }),
    );
    expect(raw).toContain('<fx:ConformanceLevel>EXTENDED</fx:ConformanceLevel>');
  });

  it('embeds the XML in a credit note too', async () => {
    const pdf = await renderCreditNotePdf(sampleCreditNote(), { facturX: { xml: CII } });
    expect(Buffer.from((await attachmentsOf(pdf))['factur-x.xml']?.content ?? []).toString('utf8')).toBe(CII);
  });

  it('renders the same invoice and XML to byte-identical PDFs', async () => {
    const first = await renderInvoicePdf(invoiceWithLines(12), { facturX: { xml: CII } });
    const second = await renderInvoicePdf(invoiceWithLines(12), { facturX: { xml: CII } });
    expect(first.equals(second)).toBe(true);
  });

  it('rejects an empty XML document or an unknown conformance level', async () => {
    await expect(renderInvoicePdf(sampleInvoice(), { facturX: { xml: ' ' } })).rejects.toThrow(DocumentFormatError);
    await expect(
      renderInvoicePdf(sampleInvoice(), {
        facturX: { xml: CII, conformanceLevel: 'FULL' as unknown as 'BASIC' },
      }),
    ).rejects.toThrow(/conformanceLevel/);
  });
});
