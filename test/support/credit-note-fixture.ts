import type { CreditNote } from '../../functions/domain/billing/credit-note.js';
import { sampleInvoice } from './invoice-fixture.js';

/** A German credit note for 100 € of the sample invoice's usage line (19 % VAT). */
export function sampleCreditNote(overrides: Partial<CreditNote> = {}): CreditNote {
  const invoice = sampleInvoice();
  return {
    id: 'cn_0123',
    number: 'CN-2026-000007',
    series: 'CN-2026-',
    invoiceId: invoice.id,
    invoiceNumber: invoice.number,
    customerId: invoice.customerId,
    currency: 'EUR',
    locale: 'de',
    timezone: 'Europe/Berlin',
    issuedAt: '2026-12-05T09:00:00.000Z',
    issueDate: '2026-12-05',
    reason: 'Ausfall am 1. Dezember',
    method: 'credit_balance',
    lines: [
      {
        line: 2,
        description: 'API-Aufrufe',
        amount: '100.00',
        taxCategory: 'S',
        taxRate: '19',
        tax: '19.00',
        total: '119.00',
      },
    ],
    subtotal: '100.00',
    tax: '19.00',
    total: '119.00',
    seller: invoice.seller,
    buyer: invoice.buyer,
    delivery: { status: 'pending', attempts: 0 },
    ...overrides,
  };
}
