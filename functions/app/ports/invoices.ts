import type { Invoice } from '../../domain/invoice.js';

/** Port: the invoice store's answers to the application (finalize, the delivery outbox). */

export type FinalizeOutcome = { invoice: Invoice; created: boolean };

/** Which email of an invoice is owed: the invoice itself, or its void notice. */
export type DeliveryKind = 'invoice' | 'void';

export interface OutboxEntry {
  invoiceId: string;
  kind: DeliveryKind;
  /** When the email became owed. */
  since: string;
}
