import type { Invoice } from '../../domain/invoice.js';
import type { InvoiceEmailKind } from './invoices.js';

/** Ports of delivery: the renderer of an owed email and the mailer that sends it. */

export interface RawEmailToSend {
  from: string;
  to: string[];
  /** The complete MIME message (headers, bodies, attachments). */
  raw: Buffer;
}

/** Sends an email and answers the provider's message id. */
export interface Mailer {
  send(email: RawEmailToSend): Promise<string>;
}

export interface Envelope {
  from: string;
  to: string;
  /** "<id@domain>" */
  messageId: string;
  date: Date;
}

/** Builds the raw MIME message of an owed email: HTML + text bodies, the invoice PDF attached. */
export type InvoiceMessageComposer = (invoice: Invoice, kind: InvoiceEmailKind, envelope: Envelope) => Promise<Buffer>;
