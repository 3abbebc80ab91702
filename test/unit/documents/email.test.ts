import { describe, expect, it } from 'vitest';
import { escapeHtml, renderInvoiceEmail } from '../../../functions/adapters/documents/email.js';
import { reverseChargeInvoice, sampleInvoice, usdInvoice, voidInvoice } from '../../support/invoice-fixture.js';
import { plainSpaces } from './pdf-text.js';

describe('renderInvoiceEmail (invoice)', () => {
  it('writes a German subject with the invoice number and the seller', () => {
    expect(renderInvoiceEmail(sampleInvoice(), 'invoice').subject).toBe(
      'Rechnung INV-2026-000042 von Nordlicht Cloud GmbH',
    );
  });

  it('writes an English subject for an English invoice', () => {
    expect(renderInvoiceEmail(usdInvoice(), 'invoice').subject).toBe(
      'Invoice INV-2026-000042 from Nordlicht Cloud GmbH',
    );
  });

  it('gives the plain text the greeting, number, period, total, due date and the attachment note', () => {
    const text = plainSpaces(renderInvoiceEmail(sampleInvoice(), 'invoice').text);
    expect(text).toContain('Guten Tag Müller & Söhne Maschinenbau KG,');
    expect(text).toContain('Rechnung INV-2026-000042 für den Leistungszeitraum 01.11.2026 – 30.11.2026');
    expect(text).toContain('Bitte überweisen Sie 2.303,66 € bis zum 15.12.2026.');
    expect(text).toMatch(/Gesamtbetrag: +2\.303,66 €/);
    expect(text).toContain('als PDF im Anhang');
  });

  it('lists every line with its amount, then subtotal, VAT and total in the plain text', () => {
    const text = plainSpaces(renderInvoiceEmail(sampleInvoice(), 'invoice').text);
    expect(text).toMatch(/Business-Tarif – monatliche Grundgebühr +49,00 €/);
    expect(text).toMatch(/API-Aufrufe +1\.886,85 €/);
    expect(text).toMatch(/Zwischensumme +1\.935,85 €/);
    expect(text).toMatch(/USt\. 19 % +367,81 €/);
  });

  it('gives the HTML the same facts as the plain text', () => {
    const html = plainSpaces(renderInvoiceEmail(sampleInvoice(), 'invoice').html);
    for (const expected of ['INV-2026-000042', '01.11.2026 – 30.11.2026', '2.303,66 €', '15.12.2026', '1.886,85 €']) {
      expect(html).toContain(expected);
    }
    expect(html).toContain('<html lang="de">');
  });

  it('formats dollars for an English invoice', () => {
    const email = renderInvoiceEmail(usdInvoice(), 'invoice');
    expect(email.text).toContain('Please pay $1,935.85 by Dec 15, 2026.');
    expect(email.html).toContain('$1,935.85');
  });

  it('includes the reverse-charge note for a reverse-charge invoice', () => {
    const email = renderInvoiceEmail(reverseChargeInvoice(), 'invoice');
    expect(email.text).toContain('Reverse Charge');
    expect(email.html).toContain('Reverse Charge');
  });

  it('escapes a hostile customer name everywhere in the HTML', () => {
    const invoice = sampleInvoice({
      buyer: { name: '<script>alert("x")</script> & Co' },
      seller: { ...sampleInvoice().seller, name: 'Evil "Seller" <img src=x onerror=alert(1)>' },
      notes: ["<a href='javascript:alert(1)'>pay here</a>"],
    });
    const { html, text } = renderInvoiceEmail(invoice, 'invoice');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<a href');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co');
    expect(html).toContain('Evil &quot;Seller&quot; &lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&lt;a href=&#39;javascript:alert(1)&#39;&gt;pay here&lt;/a&gt;');
    expect(text).toContain('<script>alert("x")</script> & Co');
  });

  it('escapes line descriptions', () => {
    const invoice = sampleInvoice();
    const line = invoice.lines[0];
    if (line === undefined) throw new Error('fixture has lines');
    const { html } = renderInvoiceEmail(
      { ...invoice, lines: [{ ...line, description: 'Fee <b>bold</b>' }] },
      'invoice',
    );
    expect(html).toContain('Fee &lt;b&gt;bold&lt;/b&gt;');
  });

  it('keeps the subject on one line whatever the seller name holds', () => {
    const invoice = sampleInvoice({ seller: { name: 'Acme\r\nBcc: victim@example.com' } });
    expect(renderInvoiceEmail(invoice, 'invoice').subject).toBe(
      'Rechnung INV-2026-000042 von Acme Bcc: victim@example.com',
    );
  });

  it('thanks instead of asking for payment when the invoice is paid', () => {
    const invoice = sampleInvoice({ status: 'paid', payment: { paidAt: '2026-12-05T10:00:00Z', reference: 'SEPA-1' } });
    const { text } = renderInvoiceEmail(invoice, 'invoice');
    expect(text).toContain('bereits bezahlt');
    expect(text).not.toContain('Bitte überweisen Sie 2.303');
  });
});

describe('renderInvoiceEmail (void)', () => {
  it('announces in German that the invoice was voided, with the reason', () => {
    const email = renderInvoiceEmail(voidInvoice(), 'void');
    expect(email.subject).toBe('Rechnung INV-2026-000042 von Nordlicht Cloud GmbH wurde storniert');
    expect(email.text).toContain('die Rechnung INV-2026-000042 vom 01.12.2026 wurde storniert.');
    expect(email.text).toContain('Grund: Falscher Rechnungsempfänger');
    expect(email.text).toContain('keine Zahlung fällig');
    expect(email.html).toContain('STORNIERT');
    expect(email.html).toContain('Grund: Falscher Rechnungsempfänger');
  });

  it('announces in English that the invoice was voided', () => {
    const invoice = usdInvoice({ status: 'void', voided: { at: '2026-12-03T09:30:00Z', reason: 'Duplicate invoice' } });
    const email = renderInvoiceEmail(invoice, 'void');
    expect(email.subject).toBe('Invoice INV-2026-000042 from Nordlicht Cloud GmbH has been voided');
    expect(email.text).toContain('invoice INV-2026-000042 issued on Dec 1, 2026 has been voided.');
    expect(email.text).toContain('Reason: Duplicate invoice');
  });

  it('does not ask for payment or show a due date on a void notice', () => {
    const { text } = renderInvoiceEmail(voidInvoice(), 'void');
    expect(text).not.toContain('Bitte überweisen');
    expect(text).not.toContain('Fällig am');
  });

  it('escapes the void reason', () => {
    const invoice = voidInvoice({ voided: { at: '2026-12-03T09:30:00Z', reason: '<b>oops</b>' } });
    expect(renderInvoiceEmail(invoice, 'void').html).toContain('Grund: &lt;b&gt;oops&lt;/b&gt;');
  });
});

describe('escapeHtml', () => {
  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });
});
