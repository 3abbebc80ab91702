/**
 * Every word printed on an invoice document or email, in the languages we write documents in.
 * Values that vary (numbers, names, dates) arrive already formatted; nothing here formats or escapes.
 */
export const LANGUAGES = Object.freeze(['en', 'de'] as const);
export type Language = (typeof LANGUAGES)[number];

export interface Messages {
  invoice: string;
  invoiceNumber: string;
  issueDate: string;
  servicePeriod: string;
  dueDate: string;
  paymentTerms: (days: number) => string;
  seller: string;
  billTo: string;
  description: string;
  quantity: string;
  unitPrice: string;
  amount: string;
  subtotal: string;
  vat: (rate: string) => string;
  vatNoRate: string;
  /** Why a tax line says 0 %. */
  vatZeroReverseCharge: string;
  vatZeroRate: string;
  vatZeroNoRate: string;
  vatZeroExempt: (reason: string | undefined) => string;
  vatZeroOutsideEu: string;
  vatZeroSellerOutsideEu: string;
  vatZeroNotConfigured: string;
  /** Rows between the subtotal and the amount due. */
  discount: (coupon: string) => string;
  promotionalCredits: string;
  paidCredits: string;
  amountDue: string;
  total: string;
  vatId: string;
  email: string;
  reverseChargeNote: string;
  /** The bank transfer sentence; `account` comes from {@link Messages.bankAccount}. */
  transferTo: (invoiceNumber: string, account: string) => string;
  /** The same when prepaid credits paid part of the total: the amount due is what to transfer. */
  transferDueTo: (invoiceNumber: string, account: string) => string;
  bankAccount: (details: { accountHolder?: string; iban: string; bic?: string }) => string;
  notes: string;
  page: (page: number, pages: number) => string;
  /** The watermark across a voided invoice. */
  voidWatermark: string;
  voidBanner: (voidedOn: string, reason: string | undefined) => string;
  /** Line kinds. */
  baseFee: string;
  minimumCommitment: string;
  /** A base-fee line: plan name, the prorated share ("50 %") when partial, whether charged in advance. */
  baseFeeLine: (plan: string, prorated: string | undefined, inAdvance: boolean) => string;
  /** A minimum-commitment true-up line, both amounts formatted. */
  commitmentTrueUp: (commitment: string, billed: string) => string;
  linePeriod: (period: string) => string;
  /** A one-off charge without a description of its own. */
  oneOff: string;
  /** A progressive credit line: the number of the interim invoice of the period it credits. */
  progressiveCredit: (invoiceNumber: string) => string;
  /** A late-usage adjustment line: the charge's name, the earlier period, the amount now and before (formatted). */
  adjustmentLine: (name: string, period: string, rerated: string, invoiced: string) => string;
  /** A draft (during the invoice grace period): the watermark, and what stands where the number will be. */
  draftWatermark: string;
  draftNumber: string;
  /** What the customer balance (from credit notes) paid. */
  balanceApplied: string;
  /** Breakdown rows (the pricing engine's explanation). */
  tier: (position: number, range: string) => string;
  tierAny: string;
  tierUpTo: (upTo: string) => string;
  tierOver: (from: string) => string;
  tierBetween: (from: string, upTo: string) => string;
  blocks: (blocks: string, blockSize: string, blockPrice: string) => string;
  flatFee: (fee: string) => string;
  percentOf: (rate: string, base: string) => string;
  freeOf: (free: string) => string;
  included: string;
  usage: string;
  fixedFeePerEvent: string;
  perEventMinimum: string;
  perEventMaximum: string;
  minimumSpend: string;
  maximumSpend: string;
  outsideBands: string;
  /** Email. */
  subject: (number: string, seller: string) => string;
  voidSubject: (number: string, seller: string) => string;
  greeting: (name: string) => string;
  intro: (number: string, period: string) => string;
  attachedNote: string;
  payBy: (total: string, dueDate: string) => string;
  alreadyPaid: string;
  /** Discounts and credits cover the whole invoice. */
  nothingDue: string;
  voidIntro: (number: string, issueDate: string) => string;
  voidReason: (reason: string) => string;
  voidNoPayment: string;
  voidAttachedNote: string;
  closing: string;
  questions: string;
  /** Credit notes. */
  creditNote: string;
  creditNoteNumber: string;
  creditNoteFor: (invoiceNumber: string) => string;
  creditNoteReason: (reason: string) => string;
  /** What happens with the money, per method. */
  creditToBalance: (total: string) => string;
  creditRefund: (total: string) => string;
  creditReducesDue: (total: string, invoiceNumber: string) => string;
  creditNoteSubject: (number: string, invoiceNumber: string, seller: string) => string;
  creditNoteIntro: (number: string, invoiceNumber: string) => string;
  creditNoteAttachedNote: string;
  /** The credit notes printed under an invoice's totals. */
  creditNotesIssued: string;
  creditNoteRow: (number: string, issueDate: string) => string;
  creditedTotal: string;
  line: (position: number) => string;
}

const en: Messages = {
  invoice: 'Invoice',
  invoiceNumber: 'Invoice number',
  issueDate: 'Issue date',
  servicePeriod: 'Service period',
  dueDate: 'Due date',
  paymentTerms: (days) => (days === 0 ? 'Due on receipt' : `Net ${days} days`),
  seller: 'From',
  billTo: 'Bill to',
  description: 'Description',
  quantity: 'Quantity',
  unitPrice: 'Unit price',
  amount: 'Amount',
  subtotal: 'Subtotal',
  vat: (rate) => `VAT ${rate}`,
  vatNoRate: 'VAT',
  vatZeroReverseCharge: 'No VAT charged: reverse charge, the recipient accounts for the VAT.',
  vatZeroRate: 'No VAT charged: a tax rate of 0% is on file for the customer.',
  vatZeroNoRate: 'No VAT charged: no tax rate on file.',
  vatZeroExempt: (reason) => `No VAT charged: the customer is tax exempt${reason ? ` (${reason})` : ''}.`,
  vatZeroOutsideEu:
    'No VAT charged: the customer is established outside the EU (place of supply, Art. 44 and 59 Council Directive 2006/112/EC).',
  vatZeroSellerOutsideEu: 'No VAT charged: the seller is established outside the EU.',
  vatZeroNotConfigured: "No VAT calculated: the seller's country is not configured.",
  discount: (coupon) => `Discount: ${coupon}`,
  promotionalCredits: 'Promotional credits',
  paidCredits: 'Prepaid credits applied',
  amountDue: 'Amount due',
  total: 'Total',
  vatId: 'VAT id',
  email: 'Email',
  reverseChargeNote:
    'Reverse charge: VAT to be accounted for by the recipient (Art. 196 Council Directive 2006/112/EC).',
  transferTo: (invoiceNumber, account) =>
    `Please transfer the total, quoting invoice number ${invoiceNumber}, to this account: ${account}.`,
  transferDueTo: (invoiceNumber, account) =>
    `Please transfer the amount due, quoting invoice number ${invoiceNumber}, to this account: ${account}.`,
  bankAccount: ({ accountHolder, iban, bic }) =>
    [
      accountHolder === undefined ? undefined : `account holder ${accountHolder}`,
      `IBAN ${iban}`,
      bic === undefined ? undefined : `BIC ${bic}`,
    ]
      .filter((part) => part !== undefined)
      .join(', '),
  notes: 'Notes',
  page: (page, pages) => `Page ${page} of ${pages}`,
  voidWatermark: 'VOID',
  voidBanner: (voidedOn, reason) =>
    `VOID: this invoice was voided on ${voidedOn}${reason === undefined ? '' : ` (${reason})`}. No payment is due.`,
  baseFee: 'Base fee',
  minimumCommitment: 'Minimum commitment',
  baseFeeLine: (plan, prorated, inAdvance) =>
    `${plan} base fee${prorated === undefined ? '' : ` (prorated ${prorated} of the period)`}${inAdvance ? ', in advance' : ''}`,
  commitmentTrueUp: (commitment, billed) => `Minimum commitment true-up (commitment ${commitment}, billed ${billed})`,
  linePeriod: (period) => `Period: ${period}`,
  oneOff: 'One-off charge',
  progressiveCredit: (number) => `Billed earlier this period: ${number}`,
  adjustmentLine: (name, period, rerated, invoiced) =>
    `${name}, period ${period} re-rated: now ${rerated}, invoiced ${invoiced}`,
  draftWatermark: 'DRAFT',
  draftNumber: 'Draft',
  balanceApplied: 'Credit balance applied',
  tier: (position, range) => `Tier ${position} (${range})`,
  tierAny: 'any quantity',
  tierUpTo: (upTo) => `up to ${upTo}`,
  tierOver: (from) => `over ${from}`,
  tierBetween: (from, upTo) => `over ${from} up to ${upTo}`,
  blocks: (blocks, blockSize, blockPrice) => `${blocks} × ${blockSize} units at ${blockPrice}`,
  flatFee: (fee) => `flat fee ${fee}`,
  percentOf: (rate, base) => `${rate} of ${base}`,
  freeOf: (free) => `${free} free`,
  included: 'Included',
  usage: 'Usage',
  fixedFeePerEvent: 'Fixed fee per event',
  perEventMinimum: 'Raised to the per-event minimum',
  perEventMaximum: 'Capped at the per-event maximum',
  minimumSpend: 'Minimum spend adjustment',
  maximumSpend: 'Maximum spend adjustment',
  outsideBands: 'Outside all time bands',
  subject: (number, seller) => `Invoice ${number} from ${seller}`,
  voidSubject: (number, seller) => `Invoice ${number} from ${seller} has been voided`,
  greeting: (name) => `Hello ${name},`,
  intro: (number, period) => `please find attached invoice ${number} for the service period ${period}.`,
  attachedNote: 'The invoice is attached to this email as a PDF.',
  payBy: (total, dueDate) => `Please pay ${total} by ${dueDate}.`,
  alreadyPaid: 'This invoice has already been paid. Thank you.',
  nothingDue: 'Nothing is due: discounts and credits cover this invoice.',
  voidIntro: (number, issueDate) => `invoice ${number} issued on ${issueDate} has been voided.`,
  voidReason: (reason) => `Reason: ${reason}`,
  voidNoPayment: 'No payment is due for this invoice. If you have already paid it, we will settle the amount with you.',
  voidAttachedNote: 'The voided invoice is attached for your records.',
  closing: 'Kind regards,',
  questions: 'If you have any questions about this invoice, simply reply to this email.',
  creditNote: 'Credit note',
  creditNoteNumber: 'Credit note number',
  creditNoteFor: (invoiceNumber) => `for invoice ${invoiceNumber}`,
  creditNoteReason: (reason) => `Reason: ${reason}`,
  creditToBalance: (total) =>
    `${total} has been added to your credit balance and will be deducted from your next invoices.`,
  creditRefund: (total) => `${total} will be refunded to you.`,
  creditReducesDue: (total, invoiceNumber) => `${total} reduces the amount due of invoice ${invoiceNumber}.`,
  creditNoteSubject: (number, invoiceNumber, seller) =>
    `Credit note ${number} for invoice ${invoiceNumber} from ${seller}`,
  creditNoteIntro: (number, invoiceNumber) =>
    `please find attached credit note ${number} for invoice ${invoiceNumber}.`,
  creditNoteAttachedNote: 'The credit note is attached to this email as a PDF.',
  creditNotesIssued: 'Credit notes',
  creditNoteRow: (number, issueDate) => `Credit note ${number} of ${issueDate}`,
  creditedTotal: 'Total credited',
  line: (position) => `line ${position}`,
};

const de: Messages = {
  invoice: 'Rechnung',
  invoiceNumber: 'Rechnungsnummer',
  issueDate: 'Rechnungsdatum',
  servicePeriod: 'Leistungszeitraum',
  dueDate: 'Fällig am',
  paymentTerms: (days) => (days === 0 ? 'Zahlbar sofort ohne Abzug' : `Zahlbar innerhalb von ${days} Tagen ohne Abzug`),
  seller: 'Rechnungssteller',
  billTo: 'Rechnungsempfänger',
  description: 'Beschreibung',
  quantity: 'Menge',
  unitPrice: 'Einzelpreis',
  amount: 'Betrag',
  subtotal: 'Zwischensumme',
  vat: (rate) => `USt. ${rate}`,
  vatNoRate: 'USt.',
  vatZeroReverseCharge: 'Keine Umsatzsteuer berechnet: Steuerschuldnerschaft des Leistungsempfängers (Reverse Charge).',
  vatZeroRate: 'Keine Umsatzsteuer berechnet: Für den Kunden ist ein Steuersatz von 0 % hinterlegt.',
  vatZeroNoRate: 'Keine Umsatzsteuer berechnet: kein Steuersatz hinterlegt.',
  vatZeroExempt: (reason) =>
    `Keine Umsatzsteuer berechnet: Der Kunde ist von der Umsatzsteuer befreit${reason ? ` (${reason})` : ''}.`,
  vatZeroOutsideEu:
    'Nicht im Inland steuerbare Leistung: Der Leistungsempfänger ist außerhalb der EU ansässig (Art. 44, 59 MwStSystRL).',
  vatZeroSellerOutsideEu: 'Keine Umsatzsteuer berechnet: Der Leistungserbringer ist außerhalb der EU ansässig.',
  vatZeroNotConfigured: 'Keine Umsatzsteuer berechnet: Das Land des Rechnungsstellers ist nicht hinterlegt.',
  discount: (coupon) => `Rabatt: ${coupon}`,
  promotionalCredits: 'Aktionsguthaben',
  paidCredits: 'Verrechnetes Guthaben',
  amountDue: 'Zu zahlender Betrag',
  total: 'Gesamtbetrag',
  vatId: 'USt-IdNr.',
  email: 'E-Mail',
  reverseChargeNote:
    'Steuerschuldnerschaft des Leistungsempfängers (Reverse Charge) gemäß Art. 196 der Richtlinie 2006/112/EG.',
  transferTo: (invoiceNumber, account) =>
    `Bitte überweisen Sie den Gesamtbetrag unter Angabe der Rechnungsnummer ${invoiceNumber} auf folgendes Konto: ${account}.`,
  transferDueTo: (invoiceNumber, account) =>
    `Bitte überweisen Sie den zu zahlenden Betrag unter Angabe der Rechnungsnummer ${invoiceNumber} auf folgendes Konto: ${account}.`,
  bankAccount: ({ accountHolder, iban, bic }) =>
    [
      accountHolder === undefined ? undefined : `Kontoinhaber ${accountHolder}`,
      `IBAN ${iban}`,
      bic === undefined ? undefined : `BIC ${bic}`,
    ]
      .filter((part) => part !== undefined)
      .join(', '),
  notes: 'Hinweise',
  page: (page, pages) => `Seite ${page} von ${pages}`,
  voidWatermark: 'STORNIERT',
  voidBanner: (voidedOn, reason) =>
    `STORNIERT: Diese Rechnung wurde am ${voidedOn} storniert${reason === undefined ? '' : ` (${reason})`}. Es ist keine Zahlung fällig.`,
  baseFee: 'Grundgebühr',
  minimumCommitment: 'Mindestumsatz',
  baseFeeLine: (plan, prorated, inAdvance) =>
    `Grundgebühr ${plan}${prorated === undefined ? '' : ` (anteilig ${prorated} des Zeitraums)`}${inAdvance ? ', im Voraus' : ''}`,
  commitmentTrueUp: (commitment, billed) =>
    `Ausgleich auf den Mindestumsatz (vereinbart ${commitment}, abgerechnet ${billed})`,
  linePeriod: (period) => `Zeitraum: ${period}`,
  oneOff: 'Einmalige Gebühr',
  progressiveCredit: (number) => `Bereits in diesem Zeitraum berechnet: ${number}`,
  adjustmentLine: (name, period, rerated, invoiced) =>
    `${name}, Zeitraum ${period} neu berechnet: jetzt ${rerated}, bisher berechnet ${invoiced}`,
  draftWatermark: 'ENTWURF',
  draftNumber: 'Entwurf',
  balanceApplied: 'Verrechnetes Kundenguthaben',
  tier: (position, range) => `Stufe ${position} (${range})`,
  tierAny: 'jede Menge',
  tierUpTo: (upTo) => `bis ${upTo}`,
  tierOver: (from) => `über ${from}`,
  tierBetween: (from, upTo) => `über ${from} bis ${upTo}`,
  blocks: (blocks, blockSize, blockPrice) => `${blocks} × ${blockSize} Einheiten zu je ${blockPrice}`,
  flatFee: (fee) => `Pauschale ${fee}`,
  percentOf: (rate, base) => `${rate} von ${base}`,
  freeOf: (free) => `${free} frei`,
  included: 'Inklusive',
  usage: 'Nutzung',
  fixedFeePerEvent: 'Fixgebühr je Vorgang',
  perEventMinimum: 'Angehoben auf den Mindestbetrag je Vorgang',
  perEventMaximum: 'Begrenzt auf den Höchstbetrag je Vorgang',
  minimumSpend: 'Ausgleich auf den Mindestumsatz',
  maximumSpend: 'Begrenzung auf den Höchstbetrag',
  outsideBands: 'Außerhalb aller Zeitfenster',
  subject: (number, seller) => `Rechnung ${number} von ${seller}`,
  voidSubject: (number, seller) => `Rechnung ${number} von ${seller} wurde storniert`,
  greeting: (name) => `Guten Tag ${name},`,
  intro: (number, period) => `anbei erhalten Sie die Rechnung ${number} für den Leistungszeitraum ${period}.`,
  attachedNote: 'Die Rechnung finden Sie als PDF im Anhang dieser E-Mail.',
  payBy: (total, dueDate) => `Bitte überweisen Sie ${total} bis zum ${dueDate}.`,
  alreadyPaid: 'Diese Rechnung ist bereits bezahlt. Vielen Dank.',
  nothingDue: 'Es ist nichts zu zahlen: Rabatte und Guthaben decken diese Rechnung.',
  voidIntro: (number, issueDate) => `die Rechnung ${number} vom ${issueDate} wurde storniert.`,
  voidReason: (reason) => `Grund: ${reason}`,
  voidNoPayment:
    'Für diese Rechnung ist keine Zahlung fällig. Falls Sie sie bereits bezahlt haben, verrechnen wir den Betrag mit Ihnen.',
  voidAttachedNote: 'Die stornierte Rechnung finden Sie zu Ihren Unterlagen im Anhang.',
  closing: 'Mit freundlichen Grüßen',
  questions: 'Bei Fragen zu dieser Rechnung antworten Sie einfach auf diese E-Mail.',
  creditNote: 'Rechnungskorrektur',
  creditNoteNumber: 'Korrekturnummer',
  creditNoteFor: (invoiceNumber) => `zur Rechnung ${invoiceNumber}`,
  creditNoteReason: (reason) => `Grund: ${reason}`,
  creditToBalance: (total) =>
    `${total} wurden Ihrem Guthaben gutgeschrieben und mit Ihren nächsten Rechnungen verrechnet.`,
  creditRefund: (total) => `${total} werden Ihnen erstattet.`,
  creditReducesDue: (total, invoiceNumber) => `${total} mindern den offenen Betrag der Rechnung ${invoiceNumber}.`,
  creditNoteSubject: (number, invoiceNumber, seller) =>
    `Rechnungskorrektur ${number} zur Rechnung ${invoiceNumber} von ${seller}`,
  creditNoteIntro: (number, invoiceNumber) =>
    `anbei erhalten Sie die Rechnungskorrektur ${number} zur Rechnung ${invoiceNumber}.`,
  creditNoteAttachedNote: 'Die Rechnungskorrektur ist dieser E-Mail als PDF angehängt.',
  creditNotesIssued: 'Rechnungskorrekturen',
  creditNoteRow: (number, issueDate) => `Rechnungskorrektur ${number} vom ${issueDate}`,
  creditedTotal: 'Gutgeschrieben gesamt',
  line: (position) => `Position ${position}`,
};

const CATALOGUE: Readonly<Record<Language, Messages>> = Object.freeze({ en, de });

export function isLanguage(value: string | undefined): value is Language {
  return value !== undefined && (LANGUAGES as readonly string[]).includes(value);
}

/** The messages of a language. */
export function messagesFor(language: Language): Messages {
  return CATALOGUE[language];
}
