import type { Invoice } from '../../domain/invoice.js';
import { renderInvoiceEmail } from '../documents/email.js';
import { buildRawEmail } from '../documents/mime.js';
import { renderInvoicePdf } from '../documents/pdf.js';
import type { DeliveryKind } from '../dynamodb/billing.js';

export interface Envelope {
  from: string;
  to: string;
  /** "<id@domain>" */
  messageId: string;
  date: Date;
}

/** Builds the raw MIME message of an owed email: HTML + text bodies, the invoice PDF attached. */
export type InvoiceMessageComposer = (invoice: Invoice, kind: DeliveryKind, envelope: Envelope) => Promise<Buffer>;

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
