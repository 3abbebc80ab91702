import type { CreditNote } from '../../../domain/billing/credit-note.js';
import { type EInvoice, type EInvoiceDocument, type EInvoiceWording, eInvoiceOf } from '../../../domain/einvoice.js';
import type { Invoice } from '../../../domain/invoice.js';
import { lineLabel, zeroRateReason } from '../details.js';
import { messages } from '../format.js';
import { renderCii } from './cii.js';
import { renderUbl } from './ubl.js';

/**
 * E-invoice XML of an invoice or a credit note:
 * - `xrechnung-ubl`: UBL 2.1 Invoice / CreditNote, XRechnung 3.0 CIUS;
 * - `xrechnung-cii`: UN/CEFACT CII D16B CrossIndustryInvoice, XRechnung 3.0 CIUS;
 * - `facturx-cii`: CII D16B, Factur-X / ZUGFeRD profile EN 16931 (to be embedded in a PDF/A-3).
 * The content is the EN 16931 model of functions/domain/einvoice.ts, worded in the document's language
 * like its PDF (line names, reasons for 0% VAT, payment terms).
 */
export type EInvoiceFormat = 'xrechnung-ubl' | 'xrechnung-cii' | 'facturx-cii';
export const EINVOICE_FORMATS: readonly EInvoiceFormat[] = Object.freeze([
  'xrechnung-ubl',
  'xrechnung-cii',
  'facturx-cii',
]);

/** BT-24 specification identifiers. */
export const XRECHNUNG_CUSTOMIZATION = 'urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0';
export const EN16931_CUSTOMIZATION = 'urn:cen.eu:en16931:2017';
/** BT-23 business process (Peppol BIS Billing 3.0, as XRechnung recommends). */
export const PEPPOL_BILLING_PROFILE = 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0';

/** The wording of the documents (PDF, email) in `locale`. */
export function documentWording(locale: string): EInvoiceWording {
  const text = messages(locale);
  return {
    lineName: (line, invoice) => lineLabel(line, invoice.currency, invoice.locale, invoice.timezone),
    exemptionReason: (row) => zeroRateReason(row, text),
    discount: (coupons) => text.discount(coupons.join(', ')),
    promotionalCredits: text.promotionalCredits,
    paymentTerms: (days) => text.paymentTerms(days),
  };
}

/** The EN 16931 model of a document worded in its own language (what the XML says). */
export function eInvoiceModel(document: EInvoiceDocument): EInvoice {
  const locale = document.kind === 'invoice' ? document.invoice.locale : document.note.locale;
  return eInvoiceOf(document, documentWording(locale));
}

export function renderEInvoiceXml(
  document: { kind: 'invoice'; invoice: Invoice } | { kind: 'credit_note'; note: CreditNote; invoice?: Invoice },
  format: EInvoiceFormat,
): string {
  const model = eInvoiceModel(document);
  switch (format) {
    case 'xrechnung-ubl':
      return renderUbl(model, { customization: XRECHNUNG_CUSTOMIZATION, profile: PEPPOL_BILLING_PROFILE });
    case 'xrechnung-cii':
      return renderCii(model, { guideline: XRECHNUNG_CUSTOMIZATION, businessProcess: PEPPOL_BILLING_PROFILE });
    case 'facturx-cii':
      return renderCii(model, { guideline: EN16931_CUSTOMIZATION });
    default: {
      const unknown: never = format;
      throw new RangeError(`unknown e-invoice format ${String(unknown)}`);
    }
  }
}
