import { describe, expect, it } from 'vitest';
import { renderInvoiceEmail } from '../../../functions/adapters/documents/email.js';
import { renderInvoicePdf } from '../../../functions/adapters/documents/pdf.js';
import { rateSegment, type Segment } from '../../../functions/domain/billing/rating.js';
import { REVERSE_CHARGE_NOTE } from '../../../functions/domain/billing/tax.js';
import { Decimal } from '../../../functions/domain/decimal.js';
import type { Invoice, PaymentInstructions } from '../../../functions/domain/invoice.js';
import { baseFeeLine, sampleInvoice } from '../../support/invoice-fixture.js';
import { extractPdfText, plainSpaces } from './pdf-text.js';

/**
 * A first invoice rated by the real rating: subscription from 16 Nov 2026 (Europe/Berlin), plan
 * "Business" with a base fee of 30 in advance (so this half month, prorated 50 %, and all of
 * December), 1646.2 API calls at 0.05 (82.31) and a commitment of 400 a month (200 for half a month):
 * billed 15 + 30 + 82.31 = 127.31, true-up 72.69.
 */
const HALF_NOVEMBER: Segment = {
  start: new Date('2026-11-15T23:00:00.000Z'),
  end: new Date('2026-11-30T23:00:00.000Z'),
  full: { start: new Date('2026-10-31T23:00:00.000Z'), end: new Date('2026-11-30T23:00:00.000Z') },
};
const DECEMBER: Segment = {
  start: new Date('2026-11-30T23:00:00.000Z'),
  end: new Date('2026-12-31T23:00:00.000Z'),
  full: { start: new Date('2026-11-30T23:00:00.000Z'), end: new Date('2026-12-31T23:00:00.000Z') },
};

const BANK: PaymentInstructions = {
  accountHolder: 'Nordlicht Cloud GmbH',
  iban: 'DE89370400440532013000',
  bic: 'COBADEFFXXX',
};

interface Scenario {
  locale?: string;
  taxRate?: string;
  reverseCharge?: boolean;
  paymentInstructions?: PaymentInstructions;
}

function firstInvoice({
  locale = 'de',
  taxRate,
  reverseCharge = false,
  paymentInstructions = BANK,
}: Scenario): Invoice {
  const rated = rateSegment({
    plan: {
      key: 'business',
      version: 1,
      name: 'Business',
      currency: 'EUR',
      interval: 'month',
      intervalCount: 1,
      lateUsage: 'adjust',
      baseFee: { amount: new Decimal('30'), timing: 'in_advance' },
      charges: [
        {
          meter: 'api_calls',
          displayName: 'API-Aufrufe',
          price: { model: 'per_unit', unitPrice: new Decimal('0.05') },
        },
      ],
      minimumCommitment: new Decimal('400'),
    },
    segment: HALF_NOVEMBER,
    usage: [{ quantity: new Decimal('1646.2') }],
    meterNames: { api_calls: 'API calls' },
    baseFeePeriods: [HALF_NOVEMBER, DECEMBER],
    tax: reverseCharge
      ? { rule: 'reverse_charge', category: 'AE', rate: new Decimal(0), reason: REVERSE_CHARGE_NOTE }
      : { rule: 'customer_rate', category: taxRate === '0' ? 'Z' : 'S', rate: new Decimal(taxRate ?? 0) },
  });
  const invoice = sampleInvoice({
    locale,
    periodStart: HALF_NOVEMBER.start.toISOString(),
    periodEnd: HALF_NOVEMBER.end.toISOString(),
    lines: rated.lines,
    subtotal: rated.subtotal,
    // Without a rate or reverse charge: an invoice from before the tax rules (no breakdown, no rate).
    ...(taxRate === undefined && !reverseCharge ? {} : { taxRate: rated.taxRate, taxBreakdown: rated.taxBreakdown }),
    tax: rated.tax,
    total: rated.total,
    reverseCharge: rated.reverseCharge,
    notes: rated.notes,
    paymentInstructions,
  });
  if (taxRate === undefined && !reverseCharge) delete invoice.taxRate;
  return invoice;
}

/** Words of the English texts (API descriptions, English messages) that must never reach a German document. */
const ENGLISH = [
  'true-up',
  'commitment',
  'please',
  'base fee',
  'in advance',
  'billed',
  'prorated',
  'period',
  'transfer',
  'quoting',
  'account holder',
  'VAT',
  'no tax',
  'invoice ',
  'total',
  'reverse charge:',
];

function englishIn(text: string): string[] {
  const lower = text.toLowerCase();
  return ENGLISH.filter((word) => lower.includes(word.toLowerCase()));
}

/** The words of an HTML email as a reader sees them: tags dropped, entities decoded, spaces collapsed. */
function visibleText(html: string): string {
  return plainSpaces(
    html
      .replace(/<(style|title)[^>]*>[\s\S]*?<\/\1>/g, ' ')
      .replace(/<[^>]+>/g, ' ')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&'),
  )
    .replace(/\s+/g, ' ')
    .trim();
}

async function pdfWords(invoice: Invoice): Promise<string> {
  const { text } = await extractPdfText(await renderInvoicePdf(invoice));
  return text.replace(/\s+/g, ' ');
}

function emailWords(invoice: Invoice): { text: string; html: string } {
  const email = renderInvoiceEmail(invoice, 'invoice');
  return { text: plainSpaces(email.text).replace(/\s+/g, ' '), html: visibleText(email.html) };
}

describe('a German first invoice with the base fee in advance and a commitment true-up', () => {
  const invoice = firstInvoice({ taxRate: '19' });

  it('is rated as two base-fee lines, the usage and a true-up', () => {
    expect(invoice.lines.map((line) => [line.kind, line.amount])).toEqual([
      ['base_fee', '15.00'],
      ['base_fee', '30.00'],
      ['usage', '82.31'],
      ['minimum_commitment', '72.69'],
    ]);
  });

  it('words every line in German with German numbers in the PDF', async () => {
    const text = await pdfWords(invoice);
    expect(text).toContain('Grundgebühr Business (anteilig 50 % des Zeitraums), im Voraus');
    expect(text).toContain('Grundgebühr Business, im Voraus');
    expect(text).toContain('Ausgleich auf den Mindestumsatz (vereinbart 200,00 €, abgerechnet 127,31 €)');
    expect(text).toContain('72,69 €');
    expect(text).toContain('USt. 19 % 38,00 €');
  });

  it('names the period of each base-fee line in the PDF', async () => {
    const text = await pdfWords(invoice);
    expect(text).toContain(
      'Grundgebühr Business (anteilig 50 % des Zeitraums), im Voraus 0,5 30,00 € 15,00 € Zeitraum: 16.11.2026 – 30.11.2026',
    );
    expect(text).toContain('Grundgebühr Business, im Voraus 1 30,00 € 30,00 € Zeitraum: 01.12.2026 – 31.12.2026');
  });

  it('prints the payment instructions composed in German', async () => {
    const sentence =
      'Bitte überweisen Sie den Gesamtbetrag unter Angabe der Rechnungsnummer INV-2026-000042 auf folgendes Konto: ' +
      'Kontoinhaber Nordlicht Cloud GmbH, IBAN DE89 3704 0044 0532 0130 00, BIC COBADEFFXXX.';
    expect(await pdfWords(invoice)).toContain(sentence);
    expect(emailWords(invoice).text).toContain(sentence);
    expect(emailWords(invoice).html).toContain(sentence);
  });

  it('writes the email lines in German, each base fee with its period', () => {
    const { text, html } = emailWords(invoice);
    // Plain text: the amount beside the label, the period on the next line; HTML: the period under the label.
    expect(text).toContain(
      'Grundgebühr Business (anteilig 50 % des Zeitraums), im Voraus 15,00 € Zeitraum: 16.11.2026 – 30.11.2026',
    );
    expect(text).toContain('Grundgebühr Business, im Voraus 30,00 € Zeitraum: 01.12.2026 – 31.12.2026');
    expect(html).toContain(
      'Grundgebühr Business (anteilig 50 % des Zeitraums), im Voraus Zeitraum: 16.11.2026 – 30.11.2026 15,00 €',
    );
    expect(html).toContain('Grundgebühr Business, im Voraus Zeitraum: 01.12.2026 – 31.12.2026 30,00 €');
    for (const words of [text, html]) {
      expect(words).toContain('Ausgleich auf den Mindestumsatz (vereinbart 200,00 €, abgerechnet 127,31 €) 72,69 €');
    }
  });

  it('has no English fragment in the PDF or the email', async () => {
    expect(englishIn(await pdfWords(invoice))).toEqual([]);
    const { text, html } = emailWords(invoice);
    expect(englishIn(text)).toEqual([]);
    expect(englishIn(html)).toEqual([]);
  });

  it('keeps the English description for the API', () => {
    expect(invoice.lines.map((line) => line.description)).toEqual([
      'Business base fee (prorated 50% of the period), in advance',
      'Business base fee, in advance',
      'API-Aufrufe',
      'Minimum commitment true-up (commitment 200.00, billed 127.31)',
    ]);
  });
});

describe('the 0 % tax line of a German invoice states why', () => {
  it('under reverse charge, with the German reverse-charge note instead of the English one', async () => {
    const invoice = firstInvoice({ reverseCharge: true });
    expect(invoice.notes).toEqual([REVERSE_CHARGE_NOTE]);
    const pdf = await pdfWords(invoice);
    expect(pdf).toContain(
      'USt. 0 % 0,00 € Keine Umsatzsteuer berechnet: Steuerschuldnerschaft des Leistungsempfängers (Reverse Charge).',
    );
    expect(pdf).toContain(
      'Steuerschuldnerschaft des Leistungsempfängers (Reverse Charge) gemäß Art. 196 der Richtlinie 2006/112/EG.',
    );
    const { text, html } = emailWords(invoice);
    expect(text).toContain('USt. 0 % 0,00 € Keine Umsatzsteuer berechnet: Steuerschuldnerschaft');
    expect(html).toContain('USt. 0 % Keine Umsatzsteuer berechnet: Steuerschuldnerschaft');
    expect(englishIn(pdf)).toEqual([]);
    expect(englishIn(text)).toEqual([]);
    expect(englishIn(html)).toEqual([]);
  });

  it('when the customer has no tax rate', async () => {
    const invoice = firstInvoice({});
    const pdf = await pdfWords(invoice);
    expect(pdf).toContain('USt. 0 % 0,00 € Keine Umsatzsteuer berechnet: kein Steuersatz hinterlegt.');
    expect(emailWords(invoice).text).toContain(
      'USt. 0 % 0,00 € Keine Umsatzsteuer berechnet: kein Steuersatz hinterlegt.',
    );
    expect(englishIn(pdf)).toEqual([]);
  });

  it('when the customer has a tax rate of 0', async () => {
    const invoice = firstInvoice({ taxRate: '0' });
    expect(invoice.taxRate).toBe('0');
    expect(await pdfWords(invoice)).toContain(
      'USt. 0 % 0,00 € Keine Umsatzsteuer berechnet: Für den Kunden ist ein Steuersatz von 0 % hinterlegt.',
    );
    expect(emailWords(invoice).html).toContain('Für den Kunden ist ein Steuersatz von 0 % hinterlegt.');
  });
});

describe('payment instructions per language', () => {
  it("prints the seller's own German wording instead of the composed sentence", async () => {
    const invoice = firstInvoice({
      taxRate: '19',
      paymentInstructions: {
        ...BANK,
        text: { de: 'Wir buchen den Betrag per SEPA-Lastschrift ab.', en: 'Direct debit.' },
      },
    });
    const pdf = await pdfWords(invoice);
    expect(pdf).toContain('Wir buchen den Betrag per SEPA-Lastschrift ab.');
    expect(pdf).not.toContain('Direct debit.');
    expect(pdf).not.toContain('auf folgendes Konto');
  });

  it('never prints English-only wording on a German invoice', async () => {
    const invoice = firstInvoice({
      taxRate: '19',
      paymentInstructions: { text: { en: 'Please pay by card.' } },
    });
    expect(await pdfWords(invoice)).not.toContain('Please pay by card.');
    expect(emailWords(invoice).text).not.toContain('Please pay by card.');
  });

  it('leaves the payment instructions out of the email of a paid invoice', () => {
    const invoice = { ...firstInvoice({ taxRate: '19' }), status: 'paid' as const };
    expect(emailWords(invoice).text).not.toContain('auf folgendes Konto');
    expect(emailWords(invoice).text).toContain('bereits bezahlt');
  });
});

describe('the English counterpart', () => {
  const invoice = firstInvoice({ locale: 'en', taxRate: '19' });

  it('words the lines, periods and payment in English', async () => {
    const pdf = await pdfWords(invoice);
    expect(pdf).toContain(
      'Business base fee (prorated 50% of the period), in advance 0.5 €30.00 €15.00 Period: Nov 16, 2026 – Nov 30, 2026',
    );
    expect(pdf).toContain('Business base fee, in advance 1 €30.00 €30.00 Period: Dec 1, 2026 – Dec 31, 2026');
    expect(pdf).toContain('Minimum commitment true-up (commitment €200.00, billed €127.31)');
    expect(pdf).toContain(
      'Please transfer the total, quoting invoice number INV-2026-000042, to this account: ' +
        'account holder Nordlicht Cloud GmbH, IBAN DE89 3704 0044 0532 0130 00, BIC COBADEFFXXX.',
    );
    expect(pdf).toContain('VAT 19% €38.00');
    const { text } = emailWords(invoice);
    expect(text).toContain('Business base fee, in advance €30.00 Period: Dec 1, 2026 – Dec 31, 2026');
    expect(text).toContain('Minimum commitment true-up (commitment €200.00, billed €127.31) €72.69');
  });

  it('states why no VAT is charged without a tax rate', async () => {
    expect(await pdfWords(firstInvoice({ locale: 'en' }))).toContain(
      'VAT 0% €0.00 No VAT charged: no tax rate on file.',
    );
  });
});

describe('invoices stored before lines carried facts', () => {
  it('print their description', async () => {
    const invoice = sampleInvoice({
      lines: [baseFeeLine({ description: 'Business-Tarif – monatliche Grundgebühr', amount: '1935.85' })],
    });
    expect(await pdfWords(invoice)).toContain('Business-Tarif – monatliche Grundgebühr');
    expect(emailWords(invoice).text).toContain('Business-Tarif – monatliche Grundgebühr');
  });
});
