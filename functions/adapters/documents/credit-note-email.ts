import type { CreditNote } from '../../domain/billing/credit-note.js';
import { creditNoteView } from './credit-note-details.js';
import { escapeHtml, type InvoiceEmail } from './email.js';
import { formatDate } from './format.js';

/**
 * The email that carries a credit note's PDF, in the note's language: which invoice it corrects, why,
 * the credited lines, net / tax / total, and what happens with the money. HTML (inline styles, tables,
 * every value escaped once where it enters markup) and a plain-text twin, like the invoice email.
 */
export function renderCreditNoteEmail(note: CreditNote): InvoiceEmail {
  const view = creditNoteView(note);
  const { text, money } = view;
  const subject = text.creditNoteSubject(note.number, note.invoiceNumber, note.seller.name).replace(/\s+/g, ' ').trim();
  const paragraphs = [
    text.creditNoteIntro(note.number, note.invoiceNumber),
    text.creditNoteReason(note.reason),
    view.outcome,
    text.creditNoteAttachedNote,
  ];
  const summary: [string, string][] = [
    [text.creditNoteNumber, note.number],
    [text.issueDate, formatDate(note.issueDate, note.locale, note.timezone)],
    [text.invoiceNumber, note.invoiceNumber],
    [text.total, money(note.total)],
  ];
  const rows: [string, string][] = [
    ...view.lines.map((line): [string, string] => [line.label, money(line.amount)]),
    ...view.totals.map((row): [string, string] => [row.label, money(row.amount)]),
  ];

  const width = Math.max(...[...summary, ...rows].map(([label]) => label.length)) + 2;
  const textBody = [
    text.greeting(note.buyer.name),
    '',
    ...paragraphs.flatMap((p) => [p, '']),
    ...summary.map(([label, value]) => `${`${label}:`.padEnd(width)}${value}`),
    '',
    ...rows.map(([label, value]) => `${label.padEnd(width)}${value}`),
    '',
    text.questions,
    '',
    text.closing,
    note.seller.name,
    '',
  ].join('\n');

  const e = escapeHtml;
  const font = "font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Helvetica,Arial,sans-serif;";
  const cell = `${font}font-size:14px;line-height:20px;color:#1f2328;`;
  const muted = `${font}font-size:12px;line-height:18px;color:#6a717b;`;
  const tableRows = (items: [string, string][], strongLast: boolean) =>
    items
      .map(
        ([label, value], index) =>
          `<tr><td style="padding:6px 0;${muted}">${e(label)}</td><td align="right" style="padding:6px 0 6px 16px;${cell}white-space:nowrap;${strongLast && index === items.length - 1 ? 'font-weight:bold;' : ''}">${e(value)}</td></tr>`,
      )
      .join('');
  const html = [
    '<!DOCTYPE html>',
    `<html lang="${e(note.locale)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">`,
    `<title>${e(subject)}</title></head>`,
    `<body style="margin:0;padding:0;background-color:#f3f4f6;">`,
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f3f4f6;"><tr><td align="center" style="padding:24px 12px;">`,
    `<table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:600px;background-color:#ffffff;border:1px solid #e3e5e8;border-radius:6px;">`,
    `<tr><td style="padding:28px 32px 8px 32px;${font}font-size:18px;font-weight:bold;color:#1f2328;">${e(note.seller.name)}</td></tr>`,
    `<tr><td style="padding:0 32px 20px 32px;${muted}">${e(text.creditNote)} ${e(note.number)} ${e(view.forInvoice)}</td></tr>`,
    `<tr><td style="padding:0 32px;">${[text.greeting(note.buyer.name), ...paragraphs].map((p) => `<p style="margin:0 0 14px 0;${cell}">${e(p)}</p>`).join('')}</td></tr>`,
    `<tr><td style="padding:4px 32px 16px 32px;"><table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">${tableRows(summary, true)}</table></td></tr>`,
    `<tr><td style="padding:4px 32px 16px 32px;"><table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">${tableRows(rows, true)}</table></td></tr>`,
    `<tr><td style="padding:8px 32px 28px 32px;"><p style="margin:0 0 14px 0;${cell}">${e(text.questions)}</p><p style="margin:0;${cell}">${e(text.closing)}<br>${e(note.seller.name)}</p></td></tr>`,
    `</table></td></tr></table></body></html>`,
  ].join('\n');
  return { subject, html, text: textBody };
}
