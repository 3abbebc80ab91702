import type { Envelope, InvoiceMessageComposer } from '../../app/ports/mailer.js';
import { type Alert, type AlertTrigger, alertEmailText } from '../../domain/alert.js';
import type { CreditNote } from '../../domain/billing/credit-note.js';
import type { DunningRecord } from '../../domain/billing/dunning.js';
import type { Invoice } from '../../domain/invoice.js';
import { renderCreditNoteEmail } from '../documents/credit-note-email.js';
import { renderCreditNotePdf } from '../documents/credit-note-pdf.js';
import { renderInvoiceEmail } from '../documents/email.js';
import { buildRawEmail } from '../documents/mime.js';
import { renderInvoicePdf } from '../documents/pdf.js';
import { renderReminderEmail } from '../documents/reminder-email.js';

/** One email (subject, HTML, text) with its document attached as `<number>.pdf`, as a raw MIME message. */
function withPdf(
  email: { subject: string; html: string; text: string },
  number: string,
  pdf: Buffer,
  envelope: Envelope,
): Promise<Buffer> {
  return buildRawEmail({
    from: envelope.from,
    to: envelope.to,
    subject: email.subject,
    html: email.html,
    text: email.text,
    attachments: [{ filename: `${number}.pdf`, content: pdf, contentType: 'application/pdf' }],
    messageId: envelope.messageId,
    date: envelope.date,
  });
}

/** The invoice (or void notice) email with `<number>.pdf` attached, rendered from the invoice alone. */
export const composeInvoiceMessage: InvoiceMessageComposer = async (invoice, kind, envelope) =>
  withPdf(renderInvoiceEmail(invoice, kind), invoice.number, await renderInvoicePdf(invoice), envelope);

/** The credit note email with `<number>.pdf` attached, rendered from the credit note alone. */
export async function composeCreditNoteMessage(note: CreditNote, envelope: Envelope): Promise<Buffer> {
  return withPdf(renderCreditNoteEmail(note), note.number, await renderCreditNotePdf(note), envelope);
}

/** A dunning email (reminder or final notice) with the invoice's `<number>.pdf` attached. */
export async function composeReminderMessage(
  invoice: Invoice,
  step: DunningRecord,
  envelope: Envelope,
): Promise<Buffer> {
  return withPdf(renderReminderEmail(invoice, step), invoice.number, await renderInvoicePdf(invoice), envelope);
}

/** A usage alert's short text email (EN/DE by the customer's locale when it fired), HTML and text, no attachment. */
export function composeAlertMessage(alert: Alert, trigger: AlertTrigger, envelope: Envelope): Promise<Buffer> {
  const { subject, text } = alertEmailText(alert, trigger, trigger.email.locale ?? 'en');
  const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const html = `<!doctype html><html><body>${text
    .trim()
    .split('\n\n')
    .map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`)
    .join('')}</body></html>`;
  return buildRawEmail({
    from: envelope.from,
    to: envelope.to,
    subject,
    html,
    text,
    attachments: [],
    messageId: envelope.messageId,
    date: envelope.date,
  });
}
