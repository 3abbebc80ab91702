import { describe, expect, it } from 'vitest';
import { renderCreditNoteEmail } from '../../../functions/adapters/documents/credit-note-email.js';
import { renderCreditNotePdf } from '../../../functions/adapters/documents/credit-note-pdf.js';
import { renderInvoicePdf } from '../../../functions/adapters/documents/pdf.js';
import type { CreditNote } from '../../../functions/domain/billing/credit-note.js';
import { sampleInvoice } from '../../support/invoice-fixture.js';
import { extractPdfText, plainSpaces } from './pdf-text.js';

const invoice = sampleInvoice();

function note(overrides: Partial<CreditNote> = {}): CreditNote {
  return {
    id: 'cn_0123',
    number: 'CN-2026-000007',
    series: 'CN-2026-',
    invoiceId: invoice.id,
    invoiceNumber: invoice.number,
    customerId: invoice.customerId,
    currency: 'EUR',
    locale: 'en',
    timezone: 'Europe/Berlin',
    issuedAt: '2026-12-05T09:00:00.000Z',
    issueDate: '2026-12-05',
    reason: 'Outage <on> Dec 1',
    method: 'credit_balance',
    lines: [
      {
        line: 2,
        description: 'API requests',
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

describe('credit note documents', () => {
  it('prints the title, its number, the invoice number, the reason and the totals (en)', async () => {
    const { text } = await extractPdfText(await renderCreditNotePdf(note()));
    const plain = plainSpaces(text);
    for (const expected of [
      'Credit note',
      'CN-2026-000007',
      `for invoice ${invoice.number}`,
      'Reason: Outage <on> Dec 1',
    ])
      expect(plain).toContain(expected);
    expect(plain).toContain('€119.00');
    expect(plain).toContain('added to your credit balance');
  });

  it('is written in German for a German customer, and says what happens with the money per method', async () => {
    const german = note({ locale: 'de', method: 'reduce_amount_due' });
    const { text } = await extractPdfText(await renderCreditNotePdf(german));
    expect(plainSpaces(text)).toContain('Rechnungskorrektur');
    expect(plainSpaces(text)).toContain(`mindern den offenen Betrag der Rechnung ${invoice.number}`);
    const email = renderCreditNoteEmail(note({ locale: 'de', method: 'refund' }));
    expect(email.subject).toBe(
      `Rechnungskorrektur CN-2026-000007 zur Rechnung ${invoice.number} von ${invoice.seller.name}`,
    );
    expect(email.text).toContain('werden Ihnen erstattet');
  });

  it('escapes the reason in the HTML once', () => {
    const email = renderCreditNoteEmail(note());
    expect(email.html).toContain('Outage &lt;on&gt; Dec 1');
    expect(email.html).not.toContain('<on>');
    expect(email.text).toContain('Reason: Outage <on> Dec 1');
  });

  it('renders the same bytes every time', async () => {
    expect((await renderCreditNotePdf(note())).equals(await renderCreditNotePdf(note()))).toBe(true);
  });

  it('lists the credit notes of an invoice under its totals', async () => {
    const credited = sampleInvoice({
      locale: 'en',
      creditNotes: [
        {
          id: 'cn_1',
          number: 'CN-2026-000007',
          total: '119.00',
          method: 'credit_balance',
          issuedAt: '2026-12-05T09:00:00.000Z',
        },
      ],
      creditedTotal: '119.00',
    });
    const text = plainSpaces((await extractPdfText(await renderInvoicePdf(credited))).text);
    expect(text).toContain('Credit note CN-2026-000007');
    expect(text).toContain('-€119.00');
    expect(text).toContain('Total credited');
  });
});
