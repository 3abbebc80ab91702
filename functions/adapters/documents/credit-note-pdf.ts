import type { CreditNote } from '../../domain/billing/credit-note.js';
import { creditNoteView } from './credit-note-details.js';
import { formatDate, formatQuantity } from './format.js';
import {
  BOLD,
  CELL_GAP,
  COLUMNS,
  CONTENT_WIDTH,
  drawFigures,
  drawMetaCells,
  drawPageFooters,
  drawParties,
  drawTableHeader,
  drawTitle,
  endPdf,
  ensureSpace,
  font,
  INK,
  LEFT,
  measure,
  type PageCtx,
  paragraph,
  put,
  putRight,
  REGULAR,
  type RenderPdfOptions,
  RIGHT,
  rule,
  startPdf,
} from './pdf.js';

/**
 * A credit note as an A4 PDF/A-3b (Factur-X when `options.facturX` is given), with the invoice PDF's layout (functions/adapters/documents/pdf.ts): the
 * title "Credit note" / "Rechnungskorrektur" and its number, the parties of the invoice, the number of
 * the invoice it corrects, the reason, the credited lines (net, tax rate), net / tax / total, and what
 * happens with the money. Deterministic like the invoice: dates are the note's `issuedAt`.
 */
export async function renderCreditNotePdf(note: CreditNote, options: RenderPdfOptions = {}): Promise<Buffer> {
  const view = creditNoteView(note);
  const { text, money } = view;
  const locale = note.locale;
  const { doc, done } = startDocument(note, text.creditNote, options);
  const ctx: PageCtx = {
    doc,
    text,
    locale,
    money,
    y: 0,
    columnTitles: { quantity: text.quantity, unitPrice: text.vatNoRate, amount: text.amount },
  };
  try {
    drawTitle(ctx, note.seller.name, text.creditNote, note.number, options.logo);
    drawParties(ctx, note);
    drawMetaCells(ctx, [
      { label: text.creditNoteNumber, value: note.number, width: 140 },
      { label: text.issueDate, value: formatDate(note.issueDate, locale, note.timezone), width: 110 },
      { label: text.invoiceNumber, value: note.invoiceNumber, width: CONTENT_WIDTH - 250 },
    ]);
    font(doc, BOLD, 10);
    ctx.y += paragraph(doc, `${text.creditNote} ${note.number} ${view.forInvoice}`, LEFT, ctx.y, CONTENT_WIDTH) + 4;
    font(doc, REGULAR, 9);
    ctx.y += paragraph(doc, text.creditNoteReason(note.reason), LEFT, ctx.y, CONTENT_WIDTH) + 14;
    drawTableHeader(ctx);
    const width = COLUMNS.description.width - CELL_GAP;
    for (const line of view.lines) {
      font(doc, BOLD, 9);
      const height = measure(doc, line.label, width);
      ensureSpace(ctx, height + 14, true);
      ctx.y += 6;
      font(doc, BOLD, 9);
      paragraph(doc, line.label, COLUMNS.description.x, ctx.y, width);
      font(doc, REGULAR, 9);
      drawFigures(
        ctx,
        {
          ...(line.quantity !== undefined ? { quantity: formatQuantity(line.quantity, locale) } : {}),
          unitPrice: line.rate,
          amount: money(line.amount),
        },
        ctx.y,
        REGULAR,
      );
      ctx.y += height + 6;
      rule(doc, ctx.y);
    }
    const labelX = LEFT + 265;
    ensureSpace(ctx, 40 + view.totals.length * 20, false);
    ctx.y += 10;
    for (const row of view.totals) {
      if (row.strong) {
        ctx.y += 1;
        rule(doc, ctx.y, INK, 1, labelX, RIGHT);
        ctx.y += 7;
        font(doc, BOLD, 11.5);
      } else font(doc, REGULAR, 9);
      put(doc, row.label, labelX, ctx.y);
      putRight(doc, money(row.amount), RIGHT, ctx.y);
      ctx.y += row.strong ? 20 : 15;
    }
    font(doc, REGULAR, 9);
    const outcomeHeight = measure(doc, view.outcome, CONTENT_WIDTH);
    ensureSpace(ctx, outcomeHeight + 10, false);
    font(doc, REGULAR, 9, INK);
    ctx.y += paragraph(doc, view.outcome, LEFT, ctx.y + 6, CONTENT_WIDTH) + 10;
    drawPageFooters(ctx, [note.seller.name, `${text.creditNote} ${note.number}`].join(' · '), undefined);
  } finally {
    endPdf(doc);
  }
  return done;
}

function startDocument(note: CreditNote, title: string, options: RenderPdfOptions) {
  return startPdf({
    locale: note.locale,
    title: `${title} ${note.number}`,
    author: note.seller.name,
    subject: `${title} ${note.number} – ${note.buyer.name}`,
    issuedAt: note.issuedAt,
    facturX: options.facturX,
  });
}
