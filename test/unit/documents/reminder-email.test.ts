import { describe, expect, it } from 'vitest';
import { renderReminderEmail } from '../../../functions/adapters/documents/reminder-email.js';
import type { DunningRecord } from '../../../functions/domain/billing/dunning.js';
import { applyPayment } from '../../../functions/domain/billing/payment.js';
import { Decimal } from '../../../functions/domain/decimal.js';
import { sampleInvoice } from '../../support/invoice-fixture.js';

const step = (overrides: Partial<DunningRecord> = {}): DunningRecord => ({
  step: 1,
  afterDays: 3,
  action: 'reminder',
  at: '2026-12-18T06:00:00.000Z',
  status: 'done',
  email: { status: 'pending', attempts: 0 },
  ...overrides,
});

const iban = { paymentInstructions: { accountHolder: 'Nordlicht Cloud GmbH', iban: 'DE89370400440532013000' } };

describe('the dunning emails', () => {
  it('writes a German reminder with the amount remaining, the due date and how to pay', () => {
    const email = renderReminderEmail(sampleInvoice(iban), step());
    expect(email.subject).toBe('Zahlungserinnerung: Rechnung INV-2026-000042 ist seit 3 Tagen fällig');
    expect(email.text).toContain('Der offene Betrag beträgt 2.303,66');
    expect(email.text).toContain('fällig am 15.12.2026');
    expect(email.text).toContain(
      'Zahlungshinweis: Bitte überweisen Sie den offenen Betrag unter Angabe der Rechnungsnummer INV-2026-000042 auf folgendes Konto:',
    );
    expect(email.text).toContain('DE89 3704 0044 0532 0130 00');
    expect(email.html).toContain('lang="de"');
  });

  it('writes an English final notice, counting the days when the step was recorded', () => {
    const invoice = sampleInvoice({ ...iban, locale: 'en' });
    const email = renderReminderEmail(invoice, step({ action: 'notify', afterDays: 30, at: '2027-01-20T12:00:00Z' }));
    expect(email.subject).toBe('Final notice: invoice INV-2026-000042 is 36 days overdue');
    expect(email.text).toContain('This is our final notice.');
    expect(email.text).toContain(
      'How to pay: Please transfer the amount remaining, quoting invoice number INV-2026-000042',
    );
  });

  it("uses the seller's own payment wording for the language when there is one", () => {
    const invoice = sampleInvoice({
      locale: 'en',
      paymentInstructions: {
        iban: 'DE89370400440532013000',
        text: { en: 'Pay in the portal.', de: 'Im Portal zahlen.' },
      },
    });
    expect(renderReminderEmail(invoice, step()).text).toContain('How to pay: Pay in the portal.');
  });

  it('says one day, not one days', () => {
    const email = renderReminderEmail(
      sampleInvoice({ locale: 'en' }),
      step({ afterDays: 1, at: '2026-12-16T10:00:00Z' }),
    );
    expect(email.subject).toBe('Payment reminder: invoice INV-2026-000042 is 1 day overdue');
  });

  it('asks for what remains after a partial payment, and shows what was paid', () => {
    const invoice = applyPayment(sampleInvoice({ locale: 'en' }), {
      id: 'manual:r1',
      source: 'manual',
      method: 'bank_transfer',
      amount: new Decimal('300.00'),
      currency: 'EUR',
      reference: 'r1',
      receivedAt: '2026-12-10T00:00:00Z',
    }).invoice;
    const email = renderReminderEmail(invoice, step());
    expect(email.text).toContain('The amount remaining is €2,003.66.');
    expect(email.text).toMatch(/Paid:\s+€300.00/);
  });

  it('escapes the buyer and seller names in the HTML once', () => {
    const invoice = sampleInvoice({
      locale: 'en',
      buyer: { name: '<script>alert(1)</script> & Co' },
      seller: { name: 'A "B" & C' },
    });
    const email = renderReminderEmail(invoice, step());
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co');
    expect(email.html).toContain('A &quot;B&quot; &amp; C');
    expect(email.text).toContain('<script>alert(1)</script> & Co');
  });
});
