import { cleanText } from './fonts.js';
import { DocumentFormatError } from './format.js';

/**
 * PDF/A-3b for the invoice and credit-note PDFs, and the Factur-X / ZUGFeRD attachment.
 *
 * pdfkit 0.20 (`subset: 'PDF/A-3b'`) writes the pdfaid XMP entry and an sRGB OutputIntent (its
 * bundled sRGB_IEC61966_2_1.icc). What it gets wrong is put right here: its XMP copy of the info
 * dictionary is not XML-escaped (a seller "A & B" made the metadata unreadable) and has no
 * xmp:ModifyDate for the info's ModDate; {@link conformToPdfA} replaces it. Everything else PDF/A
 * asks of these documents comes from how they are drawn: every font embedded (typeset.ts, no
 * standard 14 fonts), no .notdef glyph (characters without a glyph print as U+FFFD), device RGB
 * colours under the sRGB intent, PNG/JPEG images in RGB or grey ({@link isPdfaImage}: a CMYK JPEG
 * would need a CMYK intent).
 */

/** PDFDocument options of a PDF/A-3b document without pdfkit's default (unembedded) Helvetica. */
export const PDFA_DOCUMENT_OPTIONS = {
  pdfVersion: '1.7',
  subset: 'PDF/A-3b',
  // No default font: pdfkit would otherwise load (not embed) Helvetica from its AFM files.
  font: null as unknown as string,
} as const satisfies PDFKit.PDFDocumentOptions;

export interface DocumentInfo {
  title: string;
  author: string;
  subject: string;
  creator: string;
  producer: string;
  /** CreationDate and ModDate. */
  date: Date;
}

/** Text as the info dictionary and the XMP both carry it (no controls, no lone surrogates). */
export function infoText(value: string): string {
  return cleanText(value).trim();
}

function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function xmpDate(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** The XMP twin of the info dictionary (PDF/A: each info entry must equal its XMP property). */
export function infoXmp(info: DocumentInfo): string {
  const date = xmpDate(info.date);
  return [
    '<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">',
    `<xmp:CreateDate>${date}</xmp:CreateDate>`,
    `<xmp:ModifyDate>${date}</xmp:ModifyDate>`,
    `<xmp:MetadataDate>${date}</xmp:MetadataDate>`,
    `<xmp:CreatorTool>${escapeXml(info.creator)}</xmp:CreatorTool>`,
    '</rdf:Description>',
    '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">',
    '<dc:format>application/pdf</dc:format>',
    `<dc:title><rdf:Alt><rdf:li xml:lang="x-default">${escapeXml(info.title)}</rdf:li></rdf:Alt></dc:title>`,
    `<dc:creator><rdf:Seq><rdf:li>${escapeXml(info.author)}</rdf:li></rdf:Seq></dc:creator>`,
    `<dc:description><rdf:Alt><rdf:li xml:lang="x-default">${escapeXml(info.subject)}</rdf:li></rdf:Alt></dc:description>`,
    '</rdf:Description>',
    '<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">',
    `<pdf:Producer>${escapeXml(info.producer)}</pdf:Producer>`,
    '</rdf:Description>',
  ].join('\n');
}

/** pdfkit's document internals this module replaces (pdfkit 0.20.2, pinned in package.json). */
interface PdfkitMetadata {
  _addInfo: () => void;
  appendXML: (xml: string, newline?: boolean) => void;
}

/**
 * Makes a document started with {@link PDFA_DOCUMENT_OPTIONS} and `info` (its Title, Author,
 * Subject, Creator, Producer, CreationDate, ModDate) write an escaped, complete XMP copy of it.
 */
export function conformToPdfA(doc: PDFKit.PDFDocument, info: DocumentInfo): void {
  const internals = doc as unknown as PdfkitMetadata;
  if (typeof internals._addInfo !== 'function') {
    throw new Error('pdfkit no longer has _addInfo: check the XMP metadata of PDF/A documents (pdfa.ts)');
  }
  internals._addInfo = () => internals.appendXML(infoXmp(info));
}

/** Factur-X 1.0 profiles, as the fx:ConformanceLevel XMP property spells them. */
export type FacturXConformanceLevel = 'MINIMUM' | 'BASIC WL' | 'BASIC' | 'EN 16931' | 'EXTENDED' | 'XRECHNUNG';

export interface FacturXOptions {
  /** The Cross Industry Invoice (CII) XML, embedded byte for byte (UTF-8) as factur-x.xml. */
  xml: string;
  /** @default 'EN 16931' */
  conformanceLevel?: FacturXConformanceLevel;
}

export const FACTUR_X_FILE_NAME = 'factur-x.xml';
export const FACTUR_X_NAMESPACE = 'urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#';

const FACTUR_X_PROPERTIES: ReadonlyArray<readonly [name: string, description: string]> = [
  ['DocumentFileName', 'The name of the embedded XML document'],
  ['DocumentType', 'The type of the hybrid document in capital letters, e.g. INVOICE or ORDER'],
  ['Version', 'The actual version of the standard applying to the embedded XML document'],
  ['ConformanceLevel', 'The conformance level of the embedded XML document'],
];

/** The fx: properties and the PDF/A extension schema that declares them (PDF/A allows no undeclared XMP). */
export function facturXXmp(level: FacturXConformanceLevel): string {
  const properties = FACTUR_X_PROPERTIES.map(([name, description]) =>
    [
      '<rdf:li rdf:parseType="Resource">',
      `<pdfaProperty:name>${name}</pdfaProperty:name>`,
      '<pdfaProperty:valueType>Text</pdfaProperty:valueType>',
      '<pdfaProperty:category>external</pdfaProperty:category>',
      `<pdfaProperty:description>${description}</pdfaProperty:description>`,
      '</rdf:li>',
    ].join('\n'),
  );
  return [
    '<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">',
    '<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">',
    '<pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>',
    `<pdfaSchema:namespaceURI>${FACTUR_X_NAMESPACE}</pdfaSchema:namespaceURI>`,
    '<pdfaSchema:prefix>fx</pdfaSchema:prefix>',
    '<pdfaSchema:property><rdf:Seq>',
    ...properties,
    '</rdf:Seq></pdfaSchema:property>',
    '</rdf:li></rdf:Bag></pdfaExtension:schemas>',
    '</rdf:Description>',
    `<rdf:Description rdf:about="" xmlns:fx="${FACTUR_X_NAMESPACE}">`,
    '<fx:DocumentType>INVOICE</fx:DocumentType>',
    `<fx:DocumentFileName>${FACTUR_X_FILE_NAME}</fx:DocumentFileName>`,
    '<fx:Version>1.0</fx:Version>',
    `<fx:ConformanceLevel>${escapeXml(level)}</fx:ConformanceLevel>`,
    '</rdf:Description>',
  ].join('\n');
}

const CONFORMANCE_LEVELS: readonly string[] = ['MINIMUM', 'BASIC WL', 'BASIC', 'EN 16931', 'EXTENDED', 'XRECHNUNG'];

/**
 * Embeds the CII XML as factur-x.xml (text/xml, AFRelationship Alternative, in the catalog's AF
 * array and the EmbeddedFiles name tree; dated `date` so the bytes stay deterministic) and adds
 * the Factur-X XMP.
 */
export function attachFacturX(doc: PDFKit.PDFDocument, facturX: FacturXOptions, date: Date): void {
  if (typeof facturX.xml !== 'string' || facturX.xml.trim() === '') {
    throw new DocumentFormatError('facturX.xml must be the CII XML document');
  }
  const level = facturX.conformanceLevel ?? 'EN 16931';
  if (!CONFORMANCE_LEVELS.includes(level)) {
    throw new DocumentFormatError(`facturX.conformanceLevel ${JSON.stringify(level)} is not a Factur-X profile`);
  }
  const options: PDFKit.Mixins.PDFAttachmentOptions & { relationship: string } = {
    name: FACTUR_X_FILE_NAME,
    type: 'text/xml',
    description: 'Factur-X/ZUGFeRD invoice data (UN/CEFACT CII)',
    relationship: 'Alternative',
    creationDate: date,
    modifiedDate: date,
  };
  doc.file(Buffer.from(facturX.xml, 'utf8'), options);
  doc.appendXML(facturXXmp(level));
}

/**
 * Whether pdfkit embeds the image in a colour space the sRGB OutputIntent covers: PNGs (RGB, grey,
 * palette, with or without alpha) and JPEGs with 1 or 3 components. A CMYK (or YCCK) JPEG would be
 * DeviceCMYK, which PDF/A forbids under an RGB intent.
 */
export function isPdfaImage(image: Buffer): boolean {
  if (image[0] !== 0xff || image[1] !== 0xd8) return true; // not a JPEG: PNG (or pdfkit rejects it)
  let offset = 2;
  while (offset + 9 < image.length) {
    if (image[offset] !== 0xff) return false;
    const marker = image[offset + 1] ?? 0;
    const length = image.readUInt16BE(offset + 2);
    // Start of frame (SOF0-SOF15 but DHT C4, JPG C8, DAC CC): the component count is at +9.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      const components = image[offset + 9];
      return components === 1 || components === 3;
    }
    offset += 2 + length;
  }
  return false;
}
