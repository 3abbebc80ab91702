import {
  type DocumentFormat,
  type DocumentRenderer,
  type DocumentSource,
  DocumentUnavailableError,
} from '../../app/ports/documents.js';
import type { Envelope, InvoiceMessageComposer } from '../../app/ports/mailer.js';
import { type Alert, type AlertTrigger, alertEmailText } from '../../domain/alert.js';
import type { CreditNote } from '../../domain/billing/credit-note.js';
import type { DunningRecord } from '../../domain/billing/dunning.js';
import type { Invoice } from '../../domain/invoice.js';
import { renderCreditNoteEmail } from '../documents/credit-note-email.js';
import { escapeHtml, renderInvoiceEmail } from '../documents/email.js';
import { buildRawEmail, type EmailAttachment } from '../documents/mime.js';
import { renderReminderEmail } from '../documents/reminder-email.js';

/** One email (subject, HTML, text) with its documents attached, as a raw MIME message. */
function compose(
  email: { subject: string; html: string; text: string },
  attachments: EmailAttachment[],
  envelope: Envelope,
): Promise<Buffer> {
  return buildRawEmail({
    from: envelope.from,
    to: envelope.to,
    subject: email.subject,
    html: email.html,
    text: email.text,
    attachments,
    messageId: envelope.messageId,
    date: envelope.date,
  });
}

/**
 * The emails of delivery, each with its document attached as rendered by the documents function. An
 * invoice or credit note goes in the format its customer asked for (`invoice_format`: the PDF, the
 * XRechnung XML alone, or the ZUGFeRD PDF/A-3 with the XML inside); void notices and reminders attach
 * the invoice's PDF (they are letters about an invoice, not a new one).
 */
export function messageComposers(
  documents: DocumentRenderer,
  formatOf: (customerId: string) => Promise<DocumentFormat> = async () => 'pdf',
) {
  const attachment = async (source: DocumentSource, format: DocumentFormat): Promise<EmailAttachment> => {
    // An e-invoice the data does not allow (e.g. XRechnung without the seller's phone) goes out as
    // the PDF rather than not at all; GET …/einvoice names what is missing.
    const document = await documents.render(source, format).catch((error: unknown) => {
      if (format !== 'pdf' && error instanceof DocumentUnavailableError) return documents.render(source, 'pdf');
      throw error;
    });
    return { filename: document.filename, content: document.body, contentType: document.contentType };
  };
  return {
    /** The invoice (or void notice) email with the invoice attached. */
    invoice: (async (invoice, kind, envelope) => {
      const format = kind === 'invoice' ? await formatOf(invoice.customerId) : 'pdf';
      return compose(
        renderInvoiceEmail(invoice, kind),
        [await attachment({ kind: 'invoice', invoice }, format)],
        envelope,
      );
    }) satisfies InvoiceMessageComposer,
    /** The credit note email with the credit note attached. */
    creditNote: async (note: CreditNote, envelope: Envelope): Promise<Buffer> =>
      compose(
        renderCreditNoteEmail(note),
        [await attachment({ kind: 'credit_note', note }, await formatOf(note.customerId))],
        envelope,
      ),
    /** A dunning email (reminder or final notice) with the invoice's `<number>.pdf` attached. */
    reminder: async (invoice: Invoice, step: DunningRecord, envelope: Envelope): Promise<Buffer> =>
      compose(renderReminderEmail(invoice, step), [await attachment({ kind: 'invoice', invoice }, 'pdf')], envelope),
  };
}

/** A usage alert's short text email (EN/DE by the customer's locale when it fired), HTML and text, no attachment. */
export function composeAlertMessage(alert: Alert, trigger: AlertTrigger, envelope: Envelope): Promise<Buffer> {
  const { subject, text } = alertEmailText(alert, trigger, trigger.email.locale ?? 'en');
  const paragraphs = text
    .trim()
    .split('\n\n')
    .map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`);
  return compose(
    { subject, text, html: `<!doctype html><html><body>${paragraphs.join('')}</body></html>` },
    [],
    envelope,
  );
}
