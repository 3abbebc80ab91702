import PDFDocument from 'pdfkit';
import type { Invoice, InvoiceLine, Party } from '../../domain/invoice.js';
import {
  type BreakdownRow,
  breakdownRows,
  hasInformativeBreakdown,
  lineLabel,
  linePeriodText,
  printedNotes,
  totalRows,
} from './details.js';
import type { Weight } from './font-files.js';
import {
  DocumentFormatError,
  formatAddress,
  formatDate,
  formatMoney,
  formatPeriod,
  formatQuantity,
  messages,
} from './format.js';
import type { Messages } from './messages.js';
import {
  attachFacturX,
  conformToPdfA,
  type FacturXOptions,
  infoText,
  isPdfaImage,
  PDFA_DOCUMENT_OPTIONS,
} from './pdfa.js';
import { drawLine as drawTextLine, finishText, lineHeight, lineWidth, useWeight, wrapLines } from './typeset.js';

/**
 * The invoice as an A4 PDF/A-3b, its text in embedded Noto fonts (fonts.ts): Latin, Greek and
 * Cyrillic in Noto Sans, Han and kana in Noto Sans SC, Hangul in Noto Sans KR, Arabic (shaped, right
 * to left) in Noto Sans Arabic; a character none of them has prints as U+FFFD. Only the glyphs
 * used are embedded (subsets).
 *
 * Deterministic: the same invoice (and logo, and Factur-X XML) always gives the same bytes. The
 * creation and modification dates are the invoice's `issuedAt`, and pdfkit derives the trailer /ID
 * from the info dictionary (an MD5 of CreationDate and the other info entries), so nothing random or
 * clock-bound enters the file.
 */
export interface RenderPdfOptions {
  /**
   * PNG or JPEG logo, drawn top left in a 160 × 48 pt box instead of the seller's name (a CMYK JPEG,
   * which PDF/A under an sRGB intent cannot carry, is left out and the name printed).
   */
  logo?: Buffer;
  /**
   * Makes the PDF a Factur-X / ZUGFeRD hybrid: the CII XML embedded as factur-x.xml (relationship
   * Alternative) with the Factur-X XMP metadata.
   */
  facturX?: FacturXOptions;
}

export const PAGE_WIDTH = 595.28;
const PAGE_HEIGHT = 841.89;
export const LEFT = 50;
export const RIGHT = PAGE_WIDTH - 50;
export const CONTENT_WIDTH = RIGHT - LEFT;
export const TOP = 50;
/** Content never goes below this; the footer lives underneath. */
const CONTENT_BOTTOM = PAGE_HEIGHT - 72;
const FOOTER_Y = PAGE_HEIGHT - 48;

export const INK = '#1f2328';
export const MUTED = '#6a717b';
export const RULE = '#d6d9de';
const BAND = '#f3f4f6';
const VOID_RED = '#c62828';

export const REGULAR: Weight = 'regular';
export const BOLD: Weight = 'bold';
/** Extra space between wrapped lines. */
const LINE_GAP = 1;

/** The lines table: description left, the figures right-aligned in their columns. */
export const COLUMNS = {
  description: { x: LEFT, width: 235 },
  quantity: { x: LEFT + 235, width: 75 },
  unitPrice: { x: LEFT + 310, width: 85 },
  amount: { x: LEFT + 395, width: CONTENT_WIDTH - 395 },
} as const;
export const CELL_GAP = 8;
const BREAKDOWN_INDENT = 10;

export type Doc = PDFKit.PDFDocument;

/** Where a document is drawn: the page cursor `y`, its language and money format. */
export interface PageCtx {
  doc: Doc;
  text: Messages;
  locale: string;
  money: (amount: string) => string;
  y: number;
  /** Titles of the figure columns when they are not quantity, unit price and amount. */
  columnTitles?: { quantity: string; unitPrice: string; amount: string };
}

interface Ctx extends PageCtx {
  invoice: Invoice;
}

export function font(doc: Doc, weight: Weight, size: number, color = INK): Doc {
  useWeight(doc, weight);
  return doc.fontSize(size).fillColor(color);
}

/** One line of text at (x, y), never wrapped, never triggering a page break. */
export function put(doc: Doc, value: string, x: number, y: number): void {
  drawTextLine(doc, value, x, y);
}

export function putRight(doc: Doc, value: string, right: number, y: number): void {
  drawTextLine(doc, value, right - lineWidth(doc, value), y);
}

/** Wrapped text in a box of `width`; returns its height. The caller made room for it. */
export function paragraph(doc: Doc, value: string, x: number, y: number, width: number): number {
  const lines = wrapLines(doc, value, width);
  const height = lineHeight(doc, LINE_GAP);
  lines.forEach((line, index) => {
    drawTextLine(doc, line, x, y + index * height);
  });
  return lines.length * height;
}

export function measure(doc: Doc, value: string, width: number): number {
  return wrapLines(doc, value, width).length * lineHeight(doc, LINE_GAP);
}

export function rule(doc: Doc, y: number, color = RULE, width = 0.6, from = LEFT, to = RIGHT): void {
  doc.save().moveTo(from, y).lineTo(to, y).lineWidth(width).strokeColor(color).stroke().restore();
}

function partyLines(party: Party, text: Messages, locale: string): string[] {
  const lines = party.address === undefined ? [] : formatAddress(party.address, locale);
  if (party.taxId !== undefined && party.taxId !== '') lines.push(`${text.vatId}: ${party.taxId}`);
  if (party.email !== undefined && party.email !== '') lines.push(party.email);
  return lines;
}

/** The seller (or logo) top left, the document's title and number top right. */
export function drawTitle(ctx: PageCtx, seller: string, title: string, number: string, logo: Buffer | undefined): void {
  const { doc } = ctx;
  // A logo PDF/A cannot carry (a CMYK JPEG) is left out: the seller's name stands in for it.
  if (logo === undefined || !isPdfaImage(logo)) {
    font(doc, BOLD, 15);
    paragraph(doc, seller, LEFT, TOP, 260);
  } else {
    doc.image(logo, LEFT, TOP, { fit: [160, 48] });
  }
  font(doc, BOLD, 24);
  putRight(doc, title, RIGHT, TOP - 2);
  font(doc, REGULAR, 10, MUTED);
  putRight(doc, number, RIGHT, TOP + 32);
  ctx.y = TOP + 78;
}

function drawHeader(ctx: Ctx, logo: Buffer | undefined): void {
  drawTitle(ctx, ctx.invoice.seller.name, ctx.text.invoice, ctx.invoice.number, logo);
}

function drawParty(ctx: PageCtx, label: string, party: Party, x: number, width: number): number {
  const { doc, text, locale } = ctx;
  let y = ctx.y;
  font(doc, BOLD, 7.5, MUTED);
  put(doc, label.toUpperCase(), x, y);
  y += 13;
  font(doc, BOLD, 10);
  y += paragraph(doc, party.name, x, y, width) + 2;
  font(doc, REGULAR, 9, INK);
  for (const line of partyLines(party, text, locale)) y += paragraph(doc, line, x, y, width);
  return y;
}

/** Seller and buyer side by side. */
export function drawParties(ctx: PageCtx, parties: { seller: Party; buyer: Party }): void {
  const { text } = ctx;
  const sellerBottom = drawParty(ctx, text.seller, parties.seller, LEFT, 230);
  const buyerBottom = drawParty(ctx, text.billTo, parties.buyer, LEFT + 265, CONTENT_WIDTH - 265);
  ctx.y = Math.max(sellerBottom, buyerBottom) + 18;
}

export interface MetaCell {
  label: string;
  value: string;
  note?: string;
  width: number;
}

function drawMetaBand(ctx: Ctx): void {
  const { invoice, text, locale } = ctx;
  drawMetaCells(ctx, [
    { label: text.invoiceNumber, value: invoice.number, width: 120 },
    { label: text.issueDate, value: formatDate(invoice.issueDate, locale, invoice.timezone), width: 95 },
    {
      label: text.servicePeriod,
      value: formatPeriod(invoice.periodStart, invoice.periodEnd, locale, invoice.timezone),
      width: 160,
    },
    {
      label: text.dueDate,
      value: formatDate(invoice.dueDate, locale, invoice.timezone),
      note: text.paymentTerms(invoice.paymentTermsDays),
      width: CONTENT_WIDTH - 375,
    },
  ]);
}

/** The grey band of key facts under the parties. */
export function drawMetaCells(ctx: PageCtx, cells: MetaCell[]): void {
  const { doc } = ctx;
  font(doc, REGULAR, 7);
  const noteHeight = Math.max(
    0,
    ...cells.map((cell) => (cell.note === undefined ? 0 : measure(doc, cell.note, cell.width - 20))),
  );
  const height = 38 + noteHeight;
  doc.save().roundedRect(LEFT, ctx.y, CONTENT_WIDTH, height, 4).fill(BAND).restore();
  let x = LEFT + 12;
  for (const cell of cells) {
    font(doc, BOLD, 7, MUTED);
    put(doc, cell.label.toUpperCase(), x, ctx.y + 10);
    font(doc, BOLD, 9.5);
    put(doc, cell.value, x, ctx.y + 22);
    if (cell.note !== undefined) {
      font(doc, REGULAR, 7, MUTED);
      paragraph(doc, cell.note, x, ctx.y + 35, cell.width - 20);
    }
    x += cell.width;
  }
  ctx.y += height + 16;
}

function drawVoidBanner(ctx: Ctx): void {
  const { doc, invoice, text, locale } = ctx;
  const voidedOn = invoice.voided === undefined ? undefined : formatDate(invoice.voided.at, locale, invoice.timezone);
  const message = text.voidBanner(
    voidedOn ?? formatDate(invoice.issueDate, locale, invoice.timezone),
    invoice.voided?.reason,
  );
  font(doc, BOLD, 9.5, VOID_RED);
  const height = measure(doc, message, CONTENT_WIDTH - 24) + 16;
  doc.save().roundedRect(LEFT, ctx.y, CONTENT_WIDTH, height, 4).lineWidth(1.2).strokeColor(VOID_RED).stroke().restore();
  font(doc, BOLD, 9.5, VOID_RED);
  paragraph(doc, message, LEFT + 12, ctx.y + 8, CONTENT_WIDTH - 24);
  ctx.y += height + 16;
}

export function drawTableHeader(ctx: PageCtx): void {
  const { doc, text } = ctx;
  const titles = ctx.columnTitles ?? { quantity: text.quantity, unitPrice: text.unitPrice, amount: text.amount };
  font(doc, BOLD, 7.5, MUTED);
  put(doc, text.description.toUpperCase(), COLUMNS.description.x, ctx.y);
  putRight(doc, titles.quantity.toUpperCase(), COLUMNS.quantity.x + COLUMNS.quantity.width, ctx.y);
  putRight(doc, titles.unitPrice.toUpperCase(), COLUMNS.unitPrice.x + COLUMNS.unitPrice.width, ctx.y);
  putRight(doc, titles.amount.toUpperCase(), COLUMNS.amount.x + COLUMNS.amount.width, ctx.y);
  ctx.y += 13;
  rule(doc, ctx.y, INK, 0.8);
  ctx.y += 7;
}

function newPage(ctx: PageCtx, withTableHeader: boolean): void {
  ctx.doc.addPage();
  ctx.y = TOP;
  if (withTableHeader) drawTableHeader(ctx);
}

/** Starts a new page (repeating the table header) unless `height` still fits on this one. */
export function ensureSpace(ctx: PageCtx, height: number, withTableHeader: boolean): void {
  if (ctx.y + height > CONTENT_BOTTOM) newPage(ctx, withTableHeader);
}

export function drawFigures(
  ctx: PageCtx,
  figures: { quantity?: string; unitPrice?: string; amount: string },
  y: number,
  weight: Weight,
): void {
  const { doc } = ctx;
  useWeight(doc, weight);
  if (figures.quantity !== undefined) putRight(doc, figures.quantity, COLUMNS.quantity.x + COLUMNS.quantity.width, y);
  if (figures.unitPrice !== undefined)
    putRight(doc, figures.unitPrice, COLUMNS.unitPrice.x + COLUMNS.unitPrice.width, y);
  putRight(doc, figures.amount, COLUMNS.amount.x + COLUMNS.amount.width, y);
}

function drawBreakdownRow(ctx: Ctx, row: BreakdownRow): void {
  const { doc } = ctx;
  const indent = BREAKDOWN_INDENT * row.depth;
  const width = COLUMNS.description.width - indent - CELL_GAP;
  font(doc, REGULAR, 7.5, MUTED);
  const height = measure(doc, row.label, width) + 3;
  ensureSpace(ctx, height, true);
  font(doc, REGULAR, 7.5, MUTED);
  paragraph(doc, row.label, COLUMNS.description.x + indent, ctx.y, width);
  drawFigures(ctx, row, ctx.y, REGULAR);
  ctx.y += height;
}

function drawLine(ctx: Ctx, line: InvoiceLine): void {
  const { doc, invoice, locale, money } = ctx;
  const width = COLUMNS.description.width - CELL_GAP;
  const label = lineLabel(line, invoice.currency, locale, invoice.timezone);
  const periodText = linePeriodText(line, invoice);
  const breakdown = hasInformativeBreakdown(line) ? breakdownRows(line, invoice.currency, locale) : [];
  font(doc, BOLD, 9);
  const labelHeight = measure(doc, label, width);
  font(doc, REGULAR, 7.5);
  const periodHeight = periodText === undefined ? 0 : measure(doc, periodText, width) + 1;
  // Keep a line together with at least its first breakdown row.
  ensureSpace(ctx, 8 + labelHeight + periodHeight + (breakdown.length > 0 ? 14 : 0), true);
  ctx.y += 6;
  font(doc, BOLD, 9);
  paragraph(doc, label, COLUMNS.description.x, ctx.y, width);
  font(doc, REGULAR, 9);
  drawFigures(
    ctx,
    {
      quantity: formatQuantity(line.quantity, locale),
      unitPrice: line.unitPrice === undefined ? undefined : money(line.unitPrice),
      amount: money(line.amount),
    },
    ctx.y,
    REGULAR,
  );
  ctx.y += labelHeight + 1;
  if (periodText !== undefined) {
    font(doc, REGULAR, 7.5, MUTED);
    ctx.y += paragraph(doc, periodText, COLUMNS.description.x, ctx.y, width) + 1;
  }
  if (breakdown.length > 0) ctx.y += 2;
  for (const row of breakdown) drawBreakdownRow(ctx, row);
  ctx.y += 5;
  rule(doc, ctx.y);
}

function drawTotals(ctx: Ctx): void {
  const { doc, invoice, money } = ctx;
  const labelX = LEFT + 265;
  const valueRight = RIGHT;
  const rows = totalRows(invoice);
  font(doc, REGULAR, 7.5);
  const reasonHeight = rows.reduce(
    (height, row) => height + (row.reason === undefined ? 0 : measure(doc, row.reason, valueRight - labelX) + 4),
    0,
  );
  ensureSpace(ctx, 40 + rows.length * 20 + reasonHeight, false);
  ctx.y += 10;
  for (const row of rows) {
    if (row.strong) {
      // A total: ruled above, in bold.
      ctx.y += 1;
      rule(doc, ctx.y, INK, 1, labelX, valueRight);
      ctx.y += 7;
      font(doc, BOLD, 11.5);
      put(doc, row.label, labelX, ctx.y);
      putRight(doc, money(row.amount), valueRight, ctx.y);
      ctx.y += 20;
      continue;
    }
    font(doc, REGULAR, 9);
    put(doc, row.label, labelX, ctx.y);
    putRight(doc, money(row.amount), valueRight, ctx.y);
    ctx.y += 15;
    if (row.reason !== undefined) {
      // A 0 % row says why no tax is charged.
      font(doc, REGULAR, 7.5, MUTED);
      ctx.y += paragraph(doc, row.reason, labelX, ctx.y - 3, valueRight - labelX) + 1;
    }
  }
  ctx.y += 6;
}

/** The credit notes issued against the invoice (number, date, total) and what they credited in all. */
function drawCreditNotes(ctx: Ctx): void {
  const { doc, invoice, text, locale, money } = ctx;
  const notes = invoice.creditNotes ?? [];
  if (notes.length === 0) return;
  const labelX = LEFT + 265;
  ensureSpace(ctx, 30 + notes.length * 15, false);
  font(doc, BOLD, 7.5, MUTED);
  put(doc, text.creditNotesIssued.toUpperCase(), labelX, ctx.y);
  ctx.y += 13;
  for (const note of notes) {
    font(doc, REGULAR, 9);
    put(doc, text.creditNoteRow(note.number, formatDate(note.issuedAt, locale, invoice.timezone)), labelX, ctx.y);
    putRight(doc, money(`-${note.total}`), RIGHT, ctx.y);
    ctx.y += 15;
  }
  font(doc, BOLD, 9);
  put(doc, text.creditedTotal, labelX, ctx.y);
  putRight(doc, money(`-${invoice.creditedTotal ?? '0'}`), RIGHT, ctx.y);
  ctx.y += 20;
}

function drawNotes(ctx: Ctx): void {
  const { doc, invoice, text } = ctx;
  const notes = printedNotes(invoice, text);
  if (notes.length === 0) return;
  font(doc, REGULAR, 8.5);
  const firstHeight = measure(doc, notes[0] ?? '', CONTENT_WIDTH);
  ensureSpace(ctx, 16 + firstHeight, false);
  font(doc, BOLD, 7.5, MUTED);
  put(doc, text.notes.toUpperCase(), LEFT, ctx.y);
  ctx.y += 13;
  for (const note of notes) {
    font(doc, REGULAR, 8.5);
    ensureSpace(ctx, measure(doc, note, CONTENT_WIDTH), false);
    font(doc, REGULAR, 8.5);
    ctx.y += paragraph(doc, note, LEFT, ctx.y, CONTENT_WIDTH) + 5;
  }
}

function drawWatermark(doc: Doc, word: string): void {
  font(doc, BOLD, 100);
  const widthAt100 = lineWidth(doc, word);
  const size = Math.min(110, (100 * 520) / widthAt100);
  font(doc, BOLD, size, VOID_RED);
  const width = lineWidth(doc, word);
  const centerX = PAGE_WIDTH / 2;
  const centerY = PAGE_HEIGHT / 2;
  doc.save();
  doc.rotate(-35, { origin: [centerX, centerY] });
  doc.fillOpacity(0.13);
  put(doc, word, centerX - width / 2, centerY - size * 0.35);
  doc.restore();
}

function drawFooters(ctx: Ctx): void {
  const { invoice, text } = ctx;
  drawPageFooters(
    ctx,
    [invoice.seller.name, `${text.invoice} ${invoice.number}`].join(' · '),
    invoice.status === 'void' ? text.voidWatermark : invoice.status === 'draft' ? text.draftWatermark : undefined,
  );
}

/** Every page's footer (`left`, page x of n), and a watermark across each page when given. */
export function drawPageFooters(ctx: PageCtx, left: string, watermark: string | undefined): void {
  const { doc, text } = ctx;
  const range = doc.bufferedPageRange();
  const pages = range.count;
  for (let index = 0; index < pages; index++) {
    doc.switchToPage(range.start + index);
    if (watermark !== undefined) drawWatermark(doc, watermark);
    rule(doc, FOOTER_Y - 8);
    font(doc, REGULAR, 7, MUTED);
    put(doc, left, LEFT, FOOTER_Y);
    putRight(doc, text.page(index + 1, pages), RIGHT, FOOTER_Y);
  }
}

function issuedAtDate(issuedAtText: string): Date {
  const date = new Date(issuedAtText);
  if (Number.isNaN(date.getTime())) throw new DocumentFormatError(`invalid issuedAt ${JSON.stringify(issuedAtText)}`);
  return date;
}

/**
 * A new A4 PDF/A-3b document whose info entries and dates are fixed by the arguments (deterministic
 * bytes), with the Factur-X XML attached when given, and the promise of its bytes once `doc.end()`
 * is called.
 */
export function startPdf(info: {
  locale: string;
  title: string;
  author: string;
  subject: string;
  issuedAt: string;
  facturX?: FacturXOptions | undefined;
}): {
  doc: Doc;
  done: Promise<Buffer>;
} {
  const issuedAt = issuedAtDate(info.issuedAt);
  const locale = info.locale;
  const documentInfo = {
    title: infoText(info.title),
    author: infoText(info.author),
    subject: infoText(info.subject),
    creator: 'serverless-billing',
    producer: 'serverless-billing (PDFKit)',
    date: issuedAt,
  };
  const doc = new PDFDocument({
    ...PDFA_DOCUMENT_OPTIONS,
    size: 'A4',
    // The real bottom limit is CONTENT_BOTTOM, enforced here; a small pdfkit margin keeps its own
    // automatic page breaks out of the way (they would break the layout and the page numbers).
    margins: { top: TOP, left: LEFT, right: 50, bottom: 20 },
    bufferPages: true,
    autoFirstPage: true,
    lang: locale,
    displayTitle: true,
    info: {
      Title: documentInfo.title,
      Author: documentInfo.author,
      Subject: documentInfo.subject,
      Creator: documentInfo.creator,
      Producer: documentInfo.producer,
      CreationDate: issuedAt,
      ModDate: issuedAt,
    },
  });
  conformToPdfA(doc, documentInfo);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  if (info.facturX !== undefined) attachFacturX(doc, info.facturX, issuedAt);
  return { doc, done };
}

/** Ends the document (its bytes resolve `done`). */
export function endPdf(doc: Doc): void {
  finishText(doc);
  doc.end();
}

/** Renders the invoice as a PDF/A-3b. Same invoice and options → byte-identical output. */
export async function renderInvoicePdf(stored: Invoice, options: RenderPdfOptions = {}): Promise<Buffer> {
  const text = messages(stored.locale);
  // A draft has no number yet: it prints "Draft" where the number will be, and a watermark.
  const invoice = stored.status === 'draft' ? { ...stored, number: text.draftNumber } : stored;
  const locale = invoice.locale;
  const { doc, done } = startPdf({
    locale,
    title: `${text.invoice} ${invoice.number}`,
    author: invoice.seller.name,
    subject: `${text.invoice} ${invoice.number} – ${invoice.buyer.name}`,
    issuedAt: invoice.issuedAt,
    facturX: options.facturX,
  });
  const ctx: Ctx = {
    doc,
    invoice,
    text,
    locale,
    money: (amount) => formatMoney(amount, invoice.currency, locale),
    y: TOP,
  };
  try {
    drawHeader(ctx, options.logo);
    drawParties(ctx, invoice);
    drawMetaBand(ctx);
    if (invoice.status === 'void') drawVoidBanner(ctx);
    drawTableHeader(ctx);
    for (const line of invoice.lines) drawLine(ctx, line);
    drawTotals(ctx);
    drawCreditNotes(ctx);
    drawNotes(ctx);
    drawFooters(ctx);
  } finally {
    endPdf(doc);
  }
  return done;
}
