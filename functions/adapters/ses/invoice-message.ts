import type { Envelope, InvoiceMessageComposer } from '../../app/ports/mailer.js';
import type { CreditNote } from '../../domain/billing/credit-note.js';
import type { DunningRecord } from '../../domain/billing/dunning.js';
import type { Invoice } from '../../domain/invoice.js';
import { renderCreditNoteEmail } from '../documents/credit-note-email.js';
import { renderCreditNotePdf } from '../documents/credit-note-pdf.js';
import { renderInvoiceEmail } from '../documents/email.js';
import { buildRawEmail } from '../documents/mime.js';
import { renderInvoicePdf } from '../documents/pdf.js';
import { renderReminderEmail } from '../documents/reminder-email.js';

/** The invoice (or void notice) email with `<number>.pdf` attached, rendered from the invoice alone. */
export const composeInvoiceMessage: InvoiceMessageComposer = async (invoice, kind, envelope) => {
  const pdf = await renderInvoicePdf(invoice);
  const email = renderInvoiceEmail(invoice, kind);
  return buildRawEmail({
    from: envelope.from,
    to: envelope.to,
    subject: email.subject,
    html: email.html,
    text: email.text,
    attachments: [{ filename: `${invoice.number}.pdf`, content: pdf, contentType: 'application/pdf' }],
    messageId: envelope.messageId,
    date: envelope.date,
  });
};

/** The credit note email with `<number>.pdf` attached, rendered from the credit note alone. */
export async function composeCreditNoteMessage(note: CreditNote, envelope: Envelope): Promise<Buffer> {
  const pdf = await renderCreditNotePdf(note);
  const email = renderCreditNoteEmail(note);
  return buildRawEmail({
    from: envelope.from,
    to: envelope.to,
    subject: email.subject,
    html: email.html,
    text: email.text,
    attachments: [{ filename: `${note.number}.pdf`, content: pdf, contentType: 'application/pdf' }],
    messageId: envelope.messageId,
    date: envelope.date,
  });
}

/** A dunning email (reminder or final notice) with the invoice's `<number>.pdf` attached. */
export async function composeReminderMessage(
  invoice: Invoice,
  step: DunningRecord,
  envelope: Envelope,
): Promise<Buffer> {
  const pdf = await renderInvoicePdf(invoice);
  const email = renderReminderEmail(invoice, step);
  return buildRawEmail({
    from: envelope.from,
    to: envelope.to,
    subject: email.subject,
    html: email.html,
    text: email.text,
    attachments: [{ filename: `${invoice.number}.pdf`, content: pdf, contentType: 'application/pdf' }],
    messageId: envelope.messageId,
    date: envelope.date,
  });
}
