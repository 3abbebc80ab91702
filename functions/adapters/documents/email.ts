import { Decimal } from '../../domain/decimal.js';
import { type Invoice, invoiceTotalsOf, type Party } from '../../domain/invoice.js';
import { lineLabel, linePeriodText, printedNotes, type TotalRow, totalRows } from './details.js';
import { formatAddress, formatDate, formatMoney, formatPeriod, messages } from './format.js';
import type { Messages } from './messages.js';

/**
 * The email that carries an invoice PDF (or announces that an invoice was voided): an HTML body with
 * inline CSS and a table layout (the lowest common denominator of mail clients, Outlook included) and
 * a plain-text twin with the same content, both in the invoice's language. Every interpolated value
 * is HTML-escaped exactly once, at the point where it enters markup.
 */
export type InvoiceEmailKind = 'invoice' | 'void';

export interface InvoiceEmail {
  subject: string;
  html: string;
  text: string;
}

const HTML_ESCAPES: Readonly<Record<string, string>> = Object.freeze({
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
});

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

/** Subject lines are headers: no line breaks, no runs of whitespace. */
function oneLine(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

interface View {
  invoice: Invoice;
  text: Messages;
  money: (amount: string) => string;
  period: string;
  issueDate: string;
  dueDate: string;
  /** Subtotal, coupons, credits, tax (with the reason of a 0 % rate), total, amount due. */
  totals: TotalRow[];
  /** What the customer is asked to pay: the amount due after prepaid credits. */
  amountDue: string;
  /** Each line's label and, when it names one, its own period. */
  lines: { label: string; period: string | undefined; amount: string }[];
  notes: string[];
}

function viewOf(invoice: Invoice): View {
  const text = messages(invoice.locale);
  const locale = invoice.locale;
  const money = (amount: string) => formatMoney(amount, invoice.currency, locale);
  return {
    invoice,
    text,
    money,
    period: formatPeriod(invoice.periodStart, invoice.periodEnd, locale, invoice.timezone),
    issueDate: formatDate(invoice.issueDate, locale, invoice.timezone),
    dueDate: formatDate(invoice.dueDate, locale, invoice.timezone),
    totals: totalRows(invoice),
    amountDue: invoiceTotalsOf(invoice).amountDue,
    lines: invoice.lines.map((line) => ({
      label: lineLabel(line, invoice.currency, locale, invoice.timezone),
      period: linePeriodText(line, invoice),
      amount: money(line.amount),
    })),
    // A paid invoice's email says so instead of asking for a transfer.
    notes: printedNotes(invoice, text, { withoutPayment: invoice.status === 'paid' }),
  };
}

function partyFooter(party: Party, text: Messages, locale: string): string[] {
  const lines = [party.name];
  if (party.address !== undefined) lines.push(formatAddress(party.address, locale).join(', '));
  if (party.taxId !== undefined && party.taxId !== '') lines.push(`${text.vatId}: ${party.taxId}`);
  return lines;
}

/** The paragraphs of the message body, as plain text (escaped later for HTML). */
function paragraphs(view: View, kind: InvoiceEmailKind): string[] {
  const { invoice, text } = view;
  if (kind === 'void') {
    const reason = invoice.voided?.reason;
    return [
      text.voidIntro(invoice.number, view.issueDate),
      ...(reason === undefined || reason === '' ? [] : [text.voidReason(reason)]),
      text.voidNoPayment,
      text.voidAttachedNote,
    ];
  }
  const payment =
    invoice.status === 'paid'
      ? text.alreadyPaid
      : new Decimal(view.amountDue).isZero()
        ? text.nothingDue
        : text.payBy(view.money(view.amountDue), view.dueDate);
  return [text.intro(invoice.number, view.period), payment, text.attachedNote];
}

/** Key facts; a voided invoice has no due date any more. */
function summaryRows(view: View, kind: InvoiceEmailKind): [string, string][] {
  const { invoice, text } = view;
  return [
    [text.invoiceNumber, invoice.number],
    [text.issueDate, view.issueDate],
    [text.servicePeriod, view.period],
    ...(kind === 'void' ? [] : [[text.dueDate, view.dueDate] as [string, string]]),
    [text.total, view.money(invoice.total)],
  ];
}

// ---------------------------------------------------------------------------------------------- text

function pad(value: string, width: number): string {
  return value.length >= width ? value : value + ' '.repeat(width - value.length);
}

function renderText(view: View, kind: InvoiceEmailKind): string {
  const { invoice, text, money } = view;
  const out: string[] = [text.greeting(invoice.buyer.name), ''];
  for (const paragraph of paragraphs(view, kind)) out.push(paragraph, '');
  const summary = summaryRows(view, kind);
  const labelWidth = Math.max(...summary.map(([label]) => label.length)) + 2;
  for (const [label, value] of summary) out.push(`${pad(`${label}:`, labelWidth)}${value}`);
  out.push('');
  if (kind === 'invoice') {
    const totals = view.totals.map((row): [string, string] => [row.label, money(row.amount)]);
    const rows: [string, string][] = [
      ...view.lines.map((line): [string, string] => [line.label, line.amount]),
      ...totals,
    ];
    const width = Math.max(...rows.map(([label]) => label.length)) + 2;
    const amountWidth = Math.max(...rows.map(([, amount]) => amount.length));
    const row = (label: string, amount: string) => `${pad(label, width)}${amount.padStart(amountWidth)}`;
    for (const line of view.lines) {
      out.push(row(line.label, line.amount));
      if (line.period !== undefined) out.push(`  ${line.period}`);
    }
    out.push('-'.repeat(width + amountWidth));
    for (const total of view.totals) {
      out.push(row(total.label, money(total.amount)));
      if (total.reason !== undefined) out.push(`  ${total.reason}`);
    }
    out.push('');
    for (const note of view.notes) out.push(note, '');
  }
  out.push(text.questions, '', text.closing, invoice.seller.name, '', '--');
  out.push(...partyFooter(invoice.seller, text, invoice.locale));
  return `${out.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------- html

const FONT = "font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Helvetica,Arial,sans-serif;";
const INK = '#1f2328';
const MUTED = '#6a717b';
const RULE = '#e3e5e8';

function renderHtml(view: View, kind: InvoiceEmailKind, subject: string): string {
  const { invoice, text, money } = view;
  const e = escapeHtml;
  const cell = `${FONT}font-size:14px;line-height:20px;color:${INK};`;
  const muted = `${FONT}font-size:12px;line-height:18px;color:${MUTED};`;
  const paragraph = (value: string) => `<p style="margin:0 0 14px 0;${cell}">${e(value)}</p>`;

  const summary = summaryRows(view, kind)
    .map(
      ([label, value], index, rows) =>
        `<tr><td style="padding:6px 0;${muted}">${e(label)}</td>` +
        `<td align="right" style="padding:6px 0;${cell}${index === rows.length - 1 ? 'font-weight:bold;font-size:16px;' : ''}">${e(value)}</td></tr>`,
    )
    .join('');

  const banner =
    kind === 'void'
      ? `<tr><td style="padding:0 32px 16px 32px;"><table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"><tr><td style="padding:12px 16px;border:1px solid #c62828;border-radius:4px;${FONT}font-size:14px;font-weight:bold;color:#c62828;">${e(text.voidWatermark)}: ${e(text.voidSubject(invoice.number, invoice.seller.name))}</td></tr></table></td></tr>`
      : '';

  let lineTable = '';
  if (kind === 'invoice') {
    const small = `${FONT}font-size:12px;line-height:16px;color:${MUTED};`;
    const lineRows = view.lines
      .map(
        (line) =>
          `<tr><td style="padding:8px 0;border-bottom:1px solid ${RULE};${cell}">${e(line.label)}` +
          (line.period === undefined ? '' : `<br><span style="${small}">${e(line.period)}</span>`) +
          `</td><td align="right" style="padding:8px 0 8px 16px;border-bottom:1px solid ${RULE};${cell}white-space:nowrap;">${e(line.amount)}</td></tr>`,
      )
      .join('');
    const totalRow = (label: string, value: string, strong: boolean, reason?: string) =>
      `<tr><td align="right" style="padding:6px 0;${strong ? `${cell}font-weight:bold;` : muted}">${e(label)}` +
      (reason === undefined ? '' : `<br><span style="${small}">${e(reason)}</span>`) +
      `</td><td align="right" valign="top" style="padding:6px 0 6px 16px;${cell}white-space:nowrap;${strong ? 'font-weight:bold;' : ''}">${e(value)}</td></tr>`;
    lineTable =
      `<tr><td style="padding:8px 32px 16px 32px;"><table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">` +
      `<tr><td style="padding:0 0 6px 0;border-bottom:2px solid ${INK};${muted}font-weight:bold;text-transform:uppercase;">${e(text.description)}</td>` +
      `<td align="right" style="padding:0 0 6px 16px;border-bottom:2px solid ${INK};${muted}font-weight:bold;text-transform:uppercase;">${e(text.amount)}</td></tr>` +
      lineRows +
      view.totals.map((row) => totalRow(row.label, money(row.amount), row.strong ?? false, row.reason)).join('') +
      `</table></td></tr>`;
    const { notes } = view;
    if (notes.length > 0) {
      lineTable += `<tr><td style="padding:0 32px 8px 32px;">${notes.map((note) => `<p style="margin:0 0 8px 0;${muted}">${e(note)}</p>`).join('')}</td></tr>`;
    }
  }

  const footer = partyFooter(invoice.seller, text, invoice.locale)
    .map((line) => e(line))
    .join('<br>');
  const lang = e(invoice.locale);
  return [
    '<!DOCTYPE html>',
    `<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">`,
    `<title>${e(subject)}</title></head>`,
    `<body style="margin:0;padding:0;background-color:#f3f4f6;">`,
    // Preheader: the line mail clients show next to the subject.
    `<div style="display:none;max-height:0;overflow:hidden;">${e(kind === 'void' ? text.voidIntro(invoice.number, view.issueDate) : text.intro(invoice.number, view.period))}</div>`,
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f3f4f6;"><tr><td align="center" style="padding:24px 12px;">`,
    `<table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:600px;background-color:#ffffff;border:1px solid ${RULE};border-radius:6px;">`,
    `<tr><td style="padding:28px 32px 8px 32px;${FONT}font-size:18px;font-weight:bold;color:${INK};">${e(invoice.seller.name)}</td></tr>`,
    `<tr><td style="padding:0 32px 20px 32px;${muted}">${e(text.invoice)} ${e(invoice.number)}</td></tr>`,
    banner,
    `<tr><td style="padding:0 32px;">${paragraph(text.greeting(invoice.buyer.name))}${paragraphs(view, kind).map(paragraph).join('')}</td></tr>`,
    `<tr><td style="padding:4px 32px 16px 32px;"><table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f7f8fa;border-radius:4px;"><tr><td style="padding:12px 16px;"><table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">${summary}</table></td></tr></table></td></tr>`,
    lineTable,
    `<tr><td style="padding:8px 32px 28px 32px;">${paragraph(text.questions)}<p style="margin:0;${cell}">${e(text.closing)}<br>${e(invoice.seller.name)}</p></td></tr>`,
    `</table>`,
    `<table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:600px;"><tr><td align="center" style="padding:16px 32px;${muted}">${footer}</td></tr></table>`,
    `</td></tr></table></body></html>`,
  ].join('\n');
}

/** Subject, HTML and plain text of the invoice email (`invoice`) or of the void notice (`void`). */
export function renderInvoiceEmail(invoice: Invoice, kind: InvoiceEmailKind): InvoiceEmail {
  const view = viewOf(invoice);
  const subject = oneLine(
    kind === 'void'
      ? view.text.voidSubject(invoice.number, invoice.seller.name)
      : view.text.subject(invoice.number, invoice.seller.name),
  );
  return { subject, html: renderHtml(view, kind, subject), text: renderText(view, kind) };
}
