import { formatIban } from '../../domain/bank.js';
import { type DunningRecord, daysOverdue } from '../../domain/billing/dunning.js';
import { amountPaidOf, amountRemainingOf } from '../../domain/billing/payment.js';
import { Decimal } from '../../domain/decimal.js';
import { type Invoice, invoiceTotalsOf } from '../../domain/invoice.js';
import { formatAmount } from '../../domain/money.js';
import { paymentInstructionsText } from './details.js';
import { escapeHtml, type InvoiceEmail } from './email.js';
import { formatDate, formatMoney, messages, resolveLocale } from './format.js';

/**
 * The dunning emails: a payment reminder (`reminder` steps) and the final notice (`notify` steps), in
 * the invoice's language (en, de), HTML and plain text. They say what remains to be paid, when it was
 * due and how to pay; the invoice PDF is attached by the composer. The days overdue are counted at
 * the time the step was recorded, so the same step always renders the same email.
 */
interface ReminderWords {
  subject: (number: string, days: number) => string;
  finalSubject: (number: string, days: number) => string;
  intro: (number: string, dueDate: string, days: number) => string;
  remaining: (amount: string) => string;
  payNow: string;
  payHow: (instructions: string) => string;
  transferRemaining: (invoiceNumber: string, account: string) => string;
  finalWarning: string;
  alreadyPaid: string;
  attached: string;
  invoiceNumber: string;
  dueDate: string;
  total: string;
  paid: string;
  amountRemaining: string;
  daysOverdue: string;
}

const days = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

const WORDS: Record<'en' | 'de', ReminderWords> = {
  en: {
    subject: (number, n) => `Payment reminder: invoice ${number} is ${days(n, 'day', 'days')} overdue`,
    finalSubject: (number, n) => `Final notice: invoice ${number} is ${days(n, 'day', 'days')} overdue`,
    intro: (number, dueDate, n) =>
      `according to our records, invoice ${number}, due on ${dueDate}, has not been paid in full; it is ${days(n, 'day', 'days')} overdue.`,
    remaining: (amount) => `The amount remaining is ${amount}.`,
    payNow: 'Please pay the amount remaining as soon as possible.',
    payHow: (instructions) => `How to pay: ${instructions}`,
    transferRemaining: (number, account) =>
      `Please transfer the amount remaining, quoting invoice number ${number}, to this account: ${account}.`,
    finalWarning:
      'This is our final notice. If we do not receive the payment, we may take further steps, such as suspending your service.',
    alreadyPaid: 'If you have paid in the meantime, please disregard this message.',
    attached: 'The invoice is attached for your reference.',
    invoiceNumber: 'Invoice number',
    dueDate: 'Due date',
    total: 'Total',
    paid: 'Paid',
    amountRemaining: 'Amount remaining',
    daysOverdue: 'Days overdue',
  },
  de: {
    subject: (number, n) => `Zahlungserinnerung: Rechnung ${number} ist seit ${days(n, 'Tag', 'Tagen')} fällig`,
    finalSubject: (number, n) => `Letzte Mahnung: Rechnung ${number} ist seit ${days(n, 'Tag', 'Tagen')} fällig`,
    intro: (number, dueDate, n) =>
      `nach unseren Unterlagen ist die Rechnung ${number}, fällig am ${dueDate}, noch nicht vollständig bezahlt; sie ist seit ${days(n, 'Tag', 'Tagen')} überfällig.`,
    remaining: (amount) => `Der offene Betrag beträgt ${amount}.`,
    payNow: 'Bitte begleichen Sie den offenen Betrag so bald wie möglich.',
    payHow: (instructions) => `Zahlungshinweis: ${instructions}`,
    transferRemaining: (number, account) =>
      `Bitte überweisen Sie den offenen Betrag unter Angabe der Rechnungsnummer ${number} auf folgendes Konto: ${account}.`,
    finalWarning:
      'Dies ist unsere letzte Mahnung. Geht die Zahlung nicht ein, behalten wir uns weitere Schritte vor, etwa die Sperrung Ihres Dienstes.',
    alreadyPaid:
      'Sollten Sie die Zahlung inzwischen geleistet haben, betrachten Sie diese Nachricht bitte als gegenstandslos.',
    attached: 'Die Rechnung finden Sie zur Information im Anhang.',
    invoiceNumber: 'Rechnungsnummer',
    dueDate: 'Fälligkeitsdatum',
    total: 'Gesamtbetrag',
    paid: 'Bezahlt',
    amountRemaining: 'Offener Betrag',
    daysOverdue: 'Tage überfällig',
  },
};

/**
 * How to pay what remains: the seller's own wording for the language when configured, else the bank
 * transfer sentence asking for the amount remaining (not the total: part may be paid already).
 */
function howToPay(invoice: Invoice, words: ReminderWords): string | undefined {
  const instructions = invoice.paymentInstructions;
  if (instructions?.iban === undefined) return paymentInstructionsText(invoice);
  const own = instructions.text?.[resolveLocale(invoice.locale).language];
  if (own !== undefined && own !== '') return own;
  const account = messages(invoice.locale).bankAccount({
    iban: formatIban(instructions.iban),
    ...(instructions.accountHolder !== undefined ? { accountHolder: instructions.accountHolder } : {}),
    ...(instructions.bic !== undefined ? { bic: instructions.bic } : {}),
  });
  return words.transferRemaining(invoice.number, account);
}

function oneLine(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

export function renderReminderEmail(invoice: Invoice, step: DunningRecord): InvoiceEmail {
  const language = resolveLocale(invoice.locale).language === 'de' ? 'de' : 'en';
  const words = WORDS[language];
  const text = messages(invoice.locale);
  const locale = invoice.locale;
  const money = (amount: string) => formatMoney(amount, invoice.currency, locale);
  const overdue = Math.max(step.afterDays, daysOverdue(invoice.dueDate, invoice.timezone, new Date(step.at)));
  const dueDate = formatDate(invoice.dueDate, locale, invoice.timezone);
  const remaining = money(formatAmount(amountRemainingOf(invoice), invoice.currency));
  const final = step.action === 'notify';
  const subject = oneLine((final ? words.finalSubject : words.subject)(invoice.number, overdue));
  const instructions = howToPay(invoice, words);
  const paragraphs = [
    words.intro(invoice.number, dueDate, overdue),
    `${words.remaining(remaining)} ${words.payNow}`,
    ...(instructions === undefined ? [] : [words.payHow(instructions)]),
    ...(final ? [words.finalWarning] : []),
    words.alreadyPaid,
    words.attached,
  ];
  const paid = amountPaidOf(invoice);
  const rows: [string, string][] = [
    [words.invoiceNumber, invoice.number],
    [words.dueDate, dueDate],
    [words.daysOverdue, String(overdue)],
    [words.total, money(invoiceTotalsOf(invoice).amountDue)],
    ...(paid.gt(0) ? [[words.paid, money(formatAmount(new Decimal(paid), invoice.currency))] as [string, string]] : []),
    [words.amountRemaining, remaining],
  ];

  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  const plain = [
    text.greeting(invoice.buyer.name),
    '',
    ...paragraphs.flatMap((p) => [p, '']),
    ...rows.map(([label, value]) => `${`${label}:`.padEnd(width)}${value}`),
    '',
    text.questions,
    '',
    text.closing,
    invoice.seller.name,
  ].join('\n');

  const e = escapeHtml;
  const font = "font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Helvetica,Arial,sans-serif;";
  const cell = `${font}font-size:14px;line-height:20px;color:#1f2328;`;
  const muted = `${font}font-size:12px;line-height:18px;color:#6a717b;`;
  const p = (value: string) => `<p style="margin:0 0 14px 0;${cell}">${e(value)}</p>`;
  const summary = rows
    .map(
      ([label, value], index) =>
        `<tr><td style="padding:6px 0;${muted}">${e(label)}</td><td align="right" style="padding:6px 0;${cell}${index === rows.length - 1 ? 'font-weight:bold;font-size:16px;' : ''}">${e(value)}</td></tr>`,
    )
    .join('');
  const accent = final ? '#c62828' : '#1f2328';
  const html = [
    '<!DOCTYPE html>',
    `<html lang="${e(locale)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${e(subject)}</title></head>`,
    '<body style="margin:0;padding:0;background-color:#f3f4f6;">',
    `<div style="display:none;max-height:0;overflow:hidden;">${e(paragraphs[0] ?? '')}</div>`,
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f3f4f6;"><tr><td align="center" style="padding:24px 12px;">',
    '<table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:600px;background-color:#ffffff;border:1px solid #e3e5e8;border-radius:6px;">',
    `<tr><td style="padding:28px 32px 8px 32px;${font}font-size:18px;font-weight:bold;color:#1f2328;">${e(invoice.seller.name)}</td></tr>`,
    `<tr><td style="padding:0 32px 20px 32px;${font}font-size:14px;font-weight:bold;color:${accent};">${e(subject)}</td></tr>`,
    `<tr><td style="padding:0 32px;">${p(text.greeting(invoice.buyer.name))}${paragraphs.map(p).join('')}</td></tr>`,
    `<tr><td style="padding:4px 32px 16px 32px;"><table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f7f8fa;border-radius:4px;"><tr><td style="padding:12px 16px;"><table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">${summary}</table></td></tr></table></td></tr>`,
    `<tr><td style="padding:8px 32px 28px 32px;">${p(text.questions)}<p style="margin:0;${cell}">${e(text.closing)}<br>${e(invoice.seller.name)}</p></td></tr>`,
    '</table></td></tr></table></body></html>',
  ].join('\n');
  return { subject, html, text: `${plain}\n` };
}
