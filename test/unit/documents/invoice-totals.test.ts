import { describe, expect, it } from 'vitest';
import { renderInvoiceEmail } from '../../../functions/adapters/documents/email.js';
import { renderInvoicePdf } from '../../../functions/adapters/documents/pdf.js';
import { applyCoupon } from '../../../functions/domain/billing/coupon.js';
import type { CreditGrant } from '../../../functions/domain/billing/credit.js';
import { invoiceAmounts, rateSegment, type Segment } from '../../../functions/domain/billing/rating.js';
import { customerTaxBuyer, taxTreatment } from '../../../functions/domain/billing/tax.js';
import { Decimal } from '../../../functions/domain/decimal.js';
import type { Invoice } from '../../../functions/domain/invoice.js';
import { NOVEMBER_2026, sampleInvoice } from '../../support/invoice-fixture.js';
import { extractPdfText, plainSpaces } from './pdf-text.js';

const NOVEMBER: Segment = {
  start: new Date(NOVEMBER_2026.periodStart),
  end: new Date(NOVEMBER_2026.periodEnd),
  full: { start: new Date(NOVEMBER_2026.periodStart), end: new Date(NOVEMBER_2026.periodEnd) },
};

function grant(id: string, category: CreditGrant['category'], amount: string): CreditGrant {
  return {
    id,
    customerId: 'cus_mueller',
    name: category === 'paid' ? 'Vorauszahlung' : 'Startguthaben',
    category,
    currency: 'EUR',
    amount,
    balance: amount,
    priority: 50,
    effectiveAt: '2026-10-01T00:00:00Z',
    createdAt: '2026-10-01T00:00:00Z',
    version: 1,
  };
}

/** A German invoice rated with a coupon, both kinds of credit and the customer's tax treatment. */
function invoiceWith(options: {
  paid: string;
  buyerCountry: string;
  taxId?: string;
  exempt?: string;
  locale: string;
}): Invoice {
  const rated = rateSegment({
    plan: {
      key: 'business',
      version: 1,
      name: 'Business',
      currency: 'EUR',
      interval: 'month',
      intervalCount: 1,
      baseFee: { amount: new Decimal('100'), timing: 'in_arrears' },
      charges: [],
    } as never,
    segment: NOVEMBER,
    usage: [],
    meterNames: {},
    baseFeePeriods: [NOVEMBER],
    tax: taxTreatment(
      { country: 'DE' },
      customerTaxBuyer({
        address: { line1: 'x', city: 'y', country: options.buyerCountry },
        ...(options.taxId ? { taxId: options.taxId } : {}),
        ...(options.exempt ? { taxExempt: true, taxExemptReason: options.exempt } : {}),
      }),
    ),
    coupons: [
      applyCoupon(
        {
          code: 'HERBST10',
          name: 'Herbstrabatt',
          type: 'percentage',
          percent: '10',
          duration: 'once',
          redemptions: 0,
          createdAt: '2026-10-01T00:00:00Z',
        },
        new Date('2026-10-01T00:00:00Z'),
      ),
    ],
    grants: [grant('g1', 'promotional', '20'), grant('g2', 'paid', options.paid)],
  });
  return sampleInvoice({
    locale: options.locale,
    ...invoiceAmounts(rated),
    paymentInstructions: { accountHolder: 'Nordlicht Cloud GmbH', iban: 'DE89370400440532013000' },
  });
}

const words = async (invoice: Invoice) =>
  plainSpaces((await extractPdfText(await renderInvoicePdf(invoice))).text).replace(/\s+/g, ' ');

describe('the totals block of an invoice with a coupon and credits', () => {
  it('prints, in German, subtotal, discount, promotional credits, VAT, total, prepaid credits and amount due', async () => {
    // 100 − 10 % (10) − 20 promotional = 70; 19 % = 13.30; total 83.30; 50 prepaid → 33.30 due.
    const invoice = invoiceWith({ paid: '50', buyerCountry: 'DE', locale: 'de' });
    expect([invoice.total, invoice.amountDue]).toEqual(['83.30', '33.30']);
    const text = await words(invoice);
    expect(text).toContain(
      'Zwischensumme 100,00 € Rabatt: Herbstrabatt -10,00 € Aktionsguthaben -20,00 € USt. 19 % 13,30 € Gesamtbetrag 83,30 € Verrechnetes Guthaben -50,00 € Zu zahlender Betrag 33,30 €',
    );
    expect(text).toContain('Bitte überweisen Sie den zu zahlenden Betrag');
    const email = plainSpaces(renderInvoiceEmail(invoice, 'invoice').text);
    expect(email).toContain('Bitte überweisen Sie 33,30 €');
    expect(email).toMatch(/Zu zahlender Betrag\s+33,30 €/);
  });

  it('asks for no transfer when the credits pay everything', async () => {
    const invoice = invoiceWith({ paid: '500', buyerCountry: 'DE', locale: 'en' });
    expect(invoice.amountDue).toBe('0.00');
    const text = await words(invoice);
    expect(text).toContain('Amount due €0.00');
    expect(text).not.toContain('Please transfer');
    expect(renderInvoiceEmail(invoice, 'invoice').text).toContain('Nothing is due');
  });

  it('prints the customer’s own exemption reason inside the wording of the invoice language', async () => {
    const invoice = invoiceWith({
      paid: '0.01',
      buyerCountry: 'DE',
      exempt: 'gemeinnützig (§ 4 Nr. 22 UStG)',
      locale: 'de',
    });
    expect(await words(invoice)).toContain(
      'Keine Umsatzsteuer berechnet: Der Kunde ist von der Umsatzsteuer befreit (gemeinnützig (§ 4 Nr. 22 UStG)).',
    );
  });

  it.each([
    ['US', undefined, 'de', 'Nicht im Inland steuerbare Leistung'],
    ['US', undefined, 'en', 'No VAT charged: the customer is established outside the EU'],
    ['FR', 'FR12345678901', 'de', 'Steuerschuldnerschaft des Leistungsempfängers'],
  ])(
    'words the 0 %% reason for a customer in %s in the invoice language (%s, %s)',
    async (country, taxId, locale, reason) => {
      const invoice = invoiceWith({ paid: '0.01', buyerCountry: country, locale, ...(taxId ? { taxId } : {}) });
      expect(invoice.tax).toBe('0.00');
      expect(await words(invoice)).toContain(reason);
    },
  );
});
