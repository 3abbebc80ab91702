import type { CreditNote } from '../../domain/billing/credit-note.js';
import type { Invoice } from '../../domain/invoice.js';

/** Port: what the credit-note store asks of its caller for the invoice as read now. */
export interface CreditNotePlan {
  /** The series the note is numbered in (its prefix with the issue year). */
  series: string;
  /** The note with the `sequence`-th number of the series, and the invoice after it. */
  build(sequence: number): { note: CreditNote; invoice: Invoice };
}
