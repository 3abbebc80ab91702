import type { CreditNote, CreditNoteLine } from './billing/credit-note.js';
import { Decimal, sum, ZERO } from './decimal.js';
import {
  type Invoice,
  type InvoiceLine,
  invoiceTotalsOf,
  type Party,
  type PriceDetail,
  type TaxBreakdown,
} from './invoice.js';
import { formatAmount, formatDecimal } from './money.js';
import { localParts } from './time/zone.js';

/**
 * The EN 16931 semantic model of an invoice or a credit note: what an e-invoice (XRechnung UBL or CII,
 * Factur-X/ZUGFeRD EN 16931) says, named by its business terms (BT-…) and groups (BG-…). Pure: built
 * from the stored document only (its parties are the snapshots taken when it was issued), so the same
 * invoice always gives the same e-invoice; the serializers (functions/adapters/documents/einvoice)
 * only write it in a syntax.
 *
 * Amounts are decimal strings in the currency's minor unit (EUR: 2 decimals), exactly the invoice's
 * own: nothing is recomputed from floats, and every total is the invoice's total.
 */

/** UNTDID 1001: 380 commercial invoice, 381 credit note. */
export type EInvoiceTypeCode = '380' | '381';

export interface EInvoiceAddress {
  /** BT-35 / BT-50 */
  line1?: string;
  /** BT-36 / BT-51 */
  line2?: string;
  /** BT-37 / BT-52 */
  city?: string;
  /** BT-38 / BT-53 */
  postalCode?: string;
  /** BT-39 / BT-54 */
  subdivision?: string;
  /** BT-40 / BT-55, ISO 3166-1 alpha-2 */
  country: string;
}

export interface EInvoiceParty {
  /** BT-27 / BT-44 */
  name: string;
  /**
   * BT-29 seller identifier: the seller's VAT id on an invoice outside the scope of VAT, which may not
   * carry it as BT-31 (BR-O-02) but must identify the seller (BR-CO-26).
   */
  id?: string;
  /** BG-5 / BG-8 */
  address?: EInvoiceAddress;
  /** BT-31 / BT-48: VAT identifier (absent where the category forbids it: O). */
  vatId?: string;
  /** BT-34 / BT-49 with scheme EM (e-mail, CEF EAS list). */
  electronicAddress?: string;
  /** BG-6 seller contact (BT-41 point, BT-42 telephone, BT-43 e-mail); buyer: BG-9. */
  contact?: { name?: string; phone?: string; email?: string };
}

export interface EInvoiceLine {
  /** BT-126: 1-based position. */
  id: string;
  /** BT-127 */
  note?: string;
  /** BT-129 (negative for a line that gives back: a progressive credit) */
  quantity: string;
  /** BT-130: UN/ECE Rec 20 (C62 "one"). */
  unitCode: string;
  /** BT-131: net amount, before document-level allowances. */
  netAmount: string;
  /** BG-26: BT-134, BT-135 (local dates, end inclusive). */
  period?: { start: string; end: string };
  /** BT-153 */
  itemName: string;
  /** BT-154: how the amount came about (tiers, blocks…). */
  itemDescription?: string;
  /** BT-146: net price, never negative. */
  netPrice: string;
  /** BT-149: price base quantity (the price is for this many units). */
  baseQuantity?: string;
  /** BT-151, BT-152 (no rate for O: BR-O-05) */
  vatCategory: string;
  vatRate?: string;
}

/** BG-20: a document-level allowance (coupons, promotional credits), per VAT category and rate. */
export interface EInvoiceAllowance {
  /** BT-92 */
  amount: string;
  /** BT-95, BT-96 (no rate for O: BR-O-06) */
  vatCategory: string;
  vatRate?: string;
  /** BT-97 */
  reason: string;
  /** BT-98 (UNCL5189): 95 discount. */
  reasonCode: string;
}

/** BG-23 */
export interface EInvoiceVatBreakdown {
  /** BT-116 */
  taxableAmount: string;
  /** BT-117 */
  taxAmount: string;
  /** BT-118 (UNCL5305) */
  category: string;
  /** BT-119 */
  rate: string;
  /** BT-120: for E, AE and O (never for S and Z). */
  exemptionReason?: string;
  /** BT-121: VATEX code (VATEX-EU-AE, VATEX-EU-O). */
  exemptionReasonCode?: string;
}

export interface EInvoiceTotals {
  /** BT-106: Σ line net amounts */
  lineTotal: string;
  /** BT-107: Σ document-level allowances */
  allowanceTotal: string;
  /** BT-109 = BT-106 − BT-107 */
  taxExclusive: string;
  /** BT-110 */
  tax: string;
  /** BT-112 = BT-109 + BT-110 */
  taxInclusive: string;
  /** BT-113: prepaid credits and the customer balance (credit notes) drawn at issue. */
  prepaid: string;
  /** BT-115 = BT-112 − BT-113 */
  payable: string;
}

/** BG-16 */
export interface EInvoicePaymentMeans {
  /**
   * BT-81 (UNCL4461): 58 SEPA credit transfer (an IBAN is configured), 97 clearing between partners
   * (a credit note kept as balance or taken off the invoice), 1 not defined (no account configured).
   */
  code: '58' | '97' | '1';
  /** BT-83: remittance information (the document number). */
  remittance: string;
  /** BG-17: BT-84 IBAN, BT-85 account name, BT-86 BIC. */
  account?: { iban: string; name?: string; bic?: string };
}

export interface EInvoice {
  /** BT-1 */
  number: string;
  /** BT-2 (YYYY-MM-DD) */
  issueDate: string;
  /** BT-3 */
  typeCode: EInvoiceTypeCode;
  /** BT-5 */
  currency: string;
  /** BT-9 */
  dueDate?: string;
  /** BT-10: the customer's Leitweg-ID or own reference, else our customer id (see docs/einvoice.md). */
  buyerReference: string;
  /** BT-22 */
  notes: string[];
  /** BG-3: a credit note's invoice (BT-25 number, BT-26 issue date). */
  precedingInvoice?: { number: string; issueDate?: string };
  /** BG-14: BT-73, BT-74 (local dates, end inclusive). */
  period?: { start: string; end: string };
  /** BG-4 */
  seller: EInvoiceParty;
  /** BG-7 */
  buyer: EInvoiceParty;
  paymentMeans: EInvoicePaymentMeans;
  /** BT-20 */
  paymentTerms?: string;
  lines: EInvoiceLine[];
  allowances: EInvoiceAllowance[];
  vatBreakdown: EInvoiceVatBreakdown[];
  totals: EInvoiceTotals;
}

export type EInvoiceDocument =
  | { kind: 'invoice'; invoice: Invoice }
  | { kind: 'credit_note'; note: CreditNote; invoice?: Invoice | undefined };

/** What a document words in its own language; {@link ENGLISH_WORDING} when not given. */
export interface EInvoiceWording {
  /** BT-153 of an invoice line. */
  lineName(line: InvoiceLine, invoice: Invoice): string;
  /** BT-120 of a 0% breakdown row with category E, AE or O. */
  exemptionReason(row: TaxBreakdown): string;
  /** BT-97 of the coupons' allowance. */
  discount(coupons: string[]): string;
  /** BT-97 of the promotional credits' allowance. */
  promotionalCredits: string;
  /** BT-20 */
  paymentTerms(days: number, dueDate: string): string;
}

const DEFAULT_EXEMPTIONS: Readonly<Record<string, string>> = Object.freeze({
  AE: 'Reverse charge',
  O: 'Not subject to VAT',
  E: 'Exempt from VAT',
});

export const ENGLISH_WORDING: EInvoiceWording = Object.freeze({
  lineName: (line: InvoiceLine) => line.description || line.meter || line.kind,
  exemptionReason: (row: TaxBreakdown) =>
    row.category === 'E' && row.exemption
      ? `Exempt from VAT: ${row.exemption}`
      : (DEFAULT_EXEMPTIONS[row.category] ?? row.reason ?? ''),
  discount: (coupons: string[]) => (coupons.length ? `Discount: ${coupons.join(', ')}` : 'Discount'),
  promotionalCredits: 'Promotional credits',
  paymentTerms: (days: number, dueDate: string) => `Payable within ${days} days, by ${dueDate}.`,
});

/** UN/ECE Recommendation 20 "one": usage is counted in the meter's own units, which have no code here. */
export const UNIT_ONE = 'C62';

/** Categories whose breakdown must say why no VAT is charged (BR-E-10, BR-AE-10, BR-O-10). */
const NEEDS_EXEMPTION = new Set(['E', 'AE', 'O']);
const VATEX: Readonly<Record<string, string>> = Object.freeze({ AE: 'VATEX-EU-AE', O: 'VATEX-EU-O' });

const pad2 = (value: number) => String(value).padStart(2, '0');

/** An instant as the local date (YYYY-MM-DD) in `zone`. */
function localDate(instant: Date, zone: string): string {
  const { year, month, day } = localParts(instant, zone);
  return `${year}-${pad2(month)}-${pad2(day)}`;
}

/** A service period [start, end) as local dates with the end inclusive (the last day served). */
export function periodDates(start: string, end: string, zone: string): { start: string; end: string } {
  const from = new Date(start);
  const to = new Date(end);
  const last = to.getTime() > from.getTime() ? new Date(to.getTime() - 1) : from;
  return { start: localDate(from, zone), end: localDate(last, zone) };
}

function partyOf(party: Party, withVatId: boolean): EInvoiceParty {
  const address = party.address;
  const electronicAddress = party.electronicAddress ?? party.email;
  return {
    name: party.name,
    ...(address
      ? {
          address: {
            line1: address.line1,
            ...(address.line2 ? { line2: address.line2 } : {}),
            ...(address.city ? { city: address.city } : {}),
            ...(address.postalCode ? { postalCode: address.postalCode } : {}),
            ...(address.state ? { subdivision: address.state } : {}),
            country: address.country.toUpperCase(),
          },
        }
      : {}),
    ...(withVatId && party.taxId ? { vatId: party.taxId.replace(/\s+/g, '') } : {}),
    ...(electronicAddress ? { electronicAddress } : {}),
  };
}

/** The seller with its contact (BG-6): XRechnung demands name, telephone and e-mail (BR-DE-2, -5, -6, -7). */
function sellerOf(party: Party, withVatId: boolean): EInvoiceParty {
  const contact = {
    name: party.contactName ?? party.name,
    ...(party.phone ? { phone: party.phone } : {}),
    ...(party.email ? { email: party.email } : {}),
  };
  const id = !withVatId && party.taxId ? { id: party.taxId.replace(/\s+/g, '') } : {};
  return { ...id, ...partyOf(party, withVatId), contact };
}

/** BT-152 / BT-96: the rate, which a line or allowance outside the scope of VAT does not name (BR-O-05, BR-O-06). */
const rateFor = (category: string, rate: string) => (category === 'O' ? {} : { vatRate: new Decimal(rate).toFixed() });

/** BR-O-02..04: an invoice outside the scope of VAT names no VAT identifier of either party. */
const allowsVatIds = (categories: Iterable<string>) => ![...categories].includes('O');

/** The price details of a line as one text: "Tier 1 (up to 10000): 10000 × 0 + flat fee 5 = 5.00; …". */
function detailText(details: readonly PriceDetail[], currency: string): string | undefined {
  const parts: string[] = [];
  const walk = (list: readonly PriceDetail[]) => {
    for (const detail of list) {
      if (typeof detail.description === 'string' && detail.description !== '')
        parts.push(`${detail.description} = ${formatAmount(new Decimal(detail.precise_amount), currency)}`);
      if (Array.isArray(detail.lines)) walk(detail.lines);
    }
  };
  walk(details);
  return parts.length > 1 || (parts.length === 1 && details[0]?.lines?.length) ? parts.join('; ') : undefined;
}

/**
 * Quantity, unit price and base quantity whose product is the line's net amount (BT-131): the unit
 * price when quantity × unit price rounds to it; else the whole amount as the price of the whole
 * quantity (BT-149 base quantity = the quantity: tiered, volume and package prices have no single unit
 * price). A line of 0 units that still costs something (a flat fee) is 1 of it; a negative line
 * (progressive credit) a negative quantity at a positive price (BR-27).
 */
function pricing(
  quantityText: string | undefined,
  unitPrice: string | undefined,
  netAmount: Decimal,
  currency: string,
): { quantity: string; netPrice: string; baseQuantity?: string; note?: string } {
  const quantity = new Decimal(quantityText ?? '1');
  const magnitude = netAmount.abs();
  const sign = netAmount.isNegative() ? -1 : 1;
  if (unitPrice !== undefined && !quantity.isZero()) {
    const price = new Decimal(unitPrice);
    if (!price.isNegative() && quantity.abs().times(price).toDecimalPlaces(20).eq(magnitude)) {
      return { quantity: formatDecimal(quantity.abs().times(sign)), netPrice: formatDecimal(price) };
    }
    if (
      !price.isNegative() &&
      formatAmount(quantity.abs().times(price), currency) === formatAmount(magnitude, currency)
    )
      return { quantity: formatDecimal(quantity.abs().times(sign)), netPrice: formatDecimal(price) };
  }
  if (quantity.isZero()) {
    return magnitude.isZero()
      ? { quantity: '0', netPrice: '0' }
      : { quantity: String(sign), netPrice: formatAmount(magnitude, currency), note: 'Quantity used: 0' };
  }
  if (quantity.abs().eq(1)) return { quantity: String(sign), netPrice: formatAmount(magnitude, currency) };
  return {
    quantity: formatDecimal(quantity.abs().times(sign)),
    netPrice: formatAmount(magnitude, currency),
    baseQuantity: formatDecimal(quantity.abs()),
  };
}

function paymentMeansOf(
  invoice: Pick<Invoice, 'paymentInstructions'> | undefined,
  remittance: string,
): EInvoicePaymentMeans {
  const instructions = invoice?.paymentInstructions;
  if (instructions?.iban)
    return {
      code: '58',
      remittance,
      account: {
        iban: instructions.iban,
        ...(instructions.accountHolder ? { name: instructions.accountHolder } : {}),
        ...(instructions.bic ? { bic: instructions.bic } : {}),
      },
    };
  return { code: '1', remittance };
}

const keyOf = (category: string, rate: string) => `${category}|${new Decimal(rate).toFixed()}`;

/** The line's VAT as charged; invoices stored before per-line shares take the invoice's treatment. */
function lineVat(line: Invoice['lines'][number], invoice: Invoice): { category: string; rate: string } {
  if (line.taxCategory !== undefined && line.taxRate !== undefined)
    return { category: line.taxCategory, rate: line.taxRate };
  const [first] = invoice.taxBreakdown ?? [];
  if (first) return { category: first.category, rate: first.rate };
  if (invoice.reverseCharge) return { category: 'AE', rate: '0' };
  const rate = invoice.taxRate ?? '0';
  return { category: new Decimal(rate).gt(0) ? 'S' : 'O', rate };
}

function exemptionOf(row: TaxBreakdown, wording: EInvoiceWording): Partial<EInvoiceVatBreakdown> {
  if (!NEEDS_EXEMPTION.has(row.category)) return {};
  const code = VATEX[row.category];
  return {
    exemptionReason: wording.exemptionReason(row) || (DEFAULT_EXEMPTIONS[row.category] ?? 'Exempt'),
    ...(code ? { exemptionReasonCode: code } : {}),
  };
}

/** The EN 16931 model of a finalized invoice. */
export function invoiceEInvoice(invoice: Invoice, wording: EInvoiceWording = ENGLISH_WORDING): EInvoice {
  const { currency } = invoice;
  const money = (value: Decimal) => formatAmount(value, currency);
  const totals = invoiceTotalsOf(invoice);
  const vats = invoice.lines.map((line) => lineVat(line, invoice));

  const lines: EInvoiceLine[] = invoice.lines.map((line, index) => {
    const vat = vats[index] ?? { category: 'S', rate: '0' };
    const net = new Decimal(line.amount);
    const priced = pricing(line.quantity, line.unitPrice, net, currency);
    const description = detailText(line.details, currency);
    return {
      id: String(index + 1),
      ...(priced.note ? { note: priced.note } : {}),
      quantity: priced.quantity,
      unitCode: UNIT_ONE,
      netAmount: money(net),
      period: periodDates(line.periodStart, line.periodEnd, invoice.timezone),
      itemName: wording.lineName(line, invoice),
      ...(description ? { itemDescription: description } : {}),
      netPrice: priced.netPrice,
      ...(priced.baseQuantity ? { baseQuantity: priced.baseQuantity } : {}),
      vatCategory: vat.category,
      ...rateFor(vat.category, vat.rate),
    };
  });

  // Coupons and promotional credits come off the lines before tax: one allowance of each per VAT
  // category and rate, the sum of the lines' shares (so BT-116 = Σ line nets − allowances per row).
  const allowances: EInvoiceAllowance[] = [];
  const groupKeys = [...new Set(vats.map((vat) => keyOf(vat.category, vat.rate)))];
  const couponNames = (invoice.discounts ?? []).map((discount) => discount.name);
  for (const key of groupKeys) {
    const members = invoice.lines.filter((_, i) => {
      const vat = vats[i];
      return vat !== undefined && keyOf(vat.category, vat.rate) === key;
    });
    const [category = 'S', rate = '0'] = key.split('|');
    const discount = sum(members.map((line) => new Decimal(line.discount ?? '0')));
    const promotional = sum(members.map((line) => new Decimal(line.promotionalCredits ?? '0')));
    if (discount.gt(0))
      allowances.push({
        amount: money(discount),
        vatCategory: category,
        ...rateFor(category, rate),
        reason: wording.discount(couponNames),
        reasonCode: '95',
      });
    if (promotional.gt(0))
      allowances.push({
        amount: money(promotional),
        vatCategory: category,
        ...rateFor(category, rate),
        reason: wording.promotionalCredits,
        reasonCode: '95',
      });
  }
  // Invoices stored before per-line shares: their discounts and credits as one allowance on the only group.
  const lineShares = invoice.lines.every((line) => line.discount !== undefined);
  const offTotal = new Decimal(totals.discountTotal).plus(totals.promotionalCredits);
  if (!lineShares && offTotal.gt(0)) {
    const vat = vats[0] ?? { category: 'S', rate: '0' };
    allowances.push({
      amount: money(offTotal),
      vatCategory: vat.category,
      ...rateFor(vat.category, vat.rate),
      reason: wording.discount(couponNames),
      reasonCode: '95',
    });
  }

  const rows: TaxBreakdown[] = invoice.taxBreakdown?.length
    ? invoice.taxBreakdown
    : [{ ...(vats[0] ?? { category: 'O', rate: '0' }), taxableAmount: totals.taxableAmount, tax: totals.tax }];
  // A row of the invoice's own treatment that no line bears (all lines at their own rate) says nothing.
  const used = new Set(groupKeys);
  const vatBreakdown: EInvoiceVatBreakdown[] = rows
    .filter((row) => used.has(keyOf(row.category, row.rate)) || !new Decimal(row.taxableAmount).isZero())
    .map((row) => ({
      taxableAmount: row.taxableAmount,
      taxAmount: row.tax,
      category: row.category,
      rate: new Decimal(row.rate).toFixed(),
      ...exemptionOf(row, wording),
    }));

  const withVatIds = allowsVatIds(vatBreakdown.map((row) => row.category));
  const lineTotal = sum(lines.map((line) => new Decimal(line.netAmount)));
  const allowanceTotal = sum(allowances.map((allowance) => new Decimal(allowance.amount)));
  const prepaid = new Decimal(totals.paidCredits).plus(totals.balanceApplied);
  return {
    number: invoice.number,
    issueDate: invoice.issueDate,
    typeCode: '380',
    currency,
    dueDate: invoice.dueDate,
    buyerReference: invoice.buyer.buyerReference ?? invoice.customerId,
    notes: [...invoice.notes],
    period: periodDates(invoice.periodStart, invoice.periodEnd, invoice.timezone),
    seller: sellerOf(invoice.seller, withVatIds),
    buyer: partyOf(invoice.buyer, withVatIds),
    paymentMeans: paymentMeansOf(invoice, invoice.number),
    paymentTerms: wording.paymentTerms(invoice.paymentTermsDays, invoice.dueDate),
    lines,
    allowances,
    vatBreakdown,
    totals: {
      lineTotal: money(lineTotal),
      allowanceTotal: money(allowanceTotal),
      taxExclusive: totals.taxableAmount,
      tax: totals.tax,
      taxInclusive: totals.total,
      prepaid: money(prepaid),
      payable: totals.amountDue,
    },
  };
}

function creditLineOf(
  line: CreditNoteLine,
  index: number,
  note: CreditNote,
  invoice: Invoice | undefined,
): EInvoiceLine {
  const net = new Decimal(line.amount);
  const charged = invoice?.lines[line.line - 1];
  const quantity = line.quantity ?? '1';
  const unitPrice = line.quantity !== undefined ? charged?.unitPrice : undefined;
  const priced = pricing(quantity, unitPrice, net, note.currency);
  return {
    id: String(index + 1),
    ...(priced.note ? { note: priced.note } : {}),
    quantity: priced.quantity,
    unitCode: UNIT_ONE,
    netAmount: formatAmount(net, note.currency),
    ...(charged
      ? { period: periodDates(charged.periodStart, charged.periodEnd, invoice?.timezone ?? note.timezone) }
      : {}),
    itemName: line.description || `Line ${line.line}`,
    netPrice: priced.netPrice,
    ...(priced.baseQuantity ? { baseQuantity: priced.baseQuantity } : {}),
    vatCategory: line.taxCategory,
    ...rateFor(line.taxCategory, line.taxRate),
  };
}

/**
 * The EN 16931 model of a credit note (type 381, amounts positive as credited), referring to its
 * invoice (BG-3). Its VAT breakdown is the sum of its lines per category and rate (the note's own
 * amounts: net and tax as credited, {@link CreditNote.lines}); the invoice, when given, adds the issue
 * date of the invoice, the service period and the wording of 0% rows.
 */
export function creditNoteEInvoice(
  note: CreditNote,
  invoice?: Invoice,
  wording: EInvoiceWording = ENGLISH_WORDING,
): EInvoice {
  const { currency } = note;
  const money = (value: Decimal) => formatAmount(value, currency);
  const lines = note.lines.map((line, index) => creditLineOf(line, index, note, invoice));
  const groups = new Map<string, { category: string; rate: string; net: Decimal; tax: Decimal }>();
  for (const line of note.lines) {
    const key = keyOf(line.taxCategory, line.taxRate);
    const group = groups.get(key) ?? {
      category: line.taxCategory,
      rate: new Decimal(line.taxRate).toFixed(),
      net: ZERO,
      tax: ZERO,
    };
    group.net = group.net.plus(line.amount);
    group.tax = group.tax.plus(line.tax);
    groups.set(key, group);
  }
  const vatBreakdown: EInvoiceVatBreakdown[] = [...groups.values()].map((group) => {
    const charged = invoice?.taxBreakdown?.find(
      (row) => keyOf(row.category, row.rate) === keyOf(group.category, group.rate),
    );
    const row: TaxBreakdown = charged ?? { category: group.category, rate: group.rate, taxableAmount: '0', tax: '0' };
    return {
      taxableAmount: money(group.net),
      taxAmount: money(group.tax),
      category: group.category,
      rate: group.rate,
      ...exemptionOf(row, wording),
    };
  });
  const withVatIds = allowsVatIds([...groups.values()].map((group) => group.category));
  const buyerReference = note.buyer.buyerReference ?? invoice?.buyer.buyerReference ?? note.customerId;
  const remittance = `${note.number} (${note.invoiceNumber})`;
  const paymentMeans: EInvoicePaymentMeans =
    note.method === 'refund' ? { code: '1', remittance } : { code: '97', remittance };
  return {
    number: note.number,
    issueDate: note.issueDate,
    typeCode: '381',
    currency,
    buyerReference,
    notes: note.reason ? [note.reason] : [],
    precedingInvoice: {
      number: note.invoiceNumber,
      ...(invoice?.issueDate ? { issueDate: invoice.issueDate } : {}),
    },
    ...(invoice ? { period: periodDates(invoice.periodStart, invoice.periodEnd, invoice.timezone) } : {}),
    seller: sellerOf(note.seller, withVatIds),
    buyer: partyOf(note.buyer, withVatIds),
    paymentMeans,
    lines,
    allowances: [],
    vatBreakdown,
    totals: {
      lineTotal: money(sum(lines.map((line) => new Decimal(line.netAmount)))),
      allowanceTotal: money(ZERO),
      taxExclusive: note.subtotal,
      tax: note.tax,
      taxInclusive: note.total,
      prepaid: money(ZERO),
      payable: note.total,
    },
  };
}

/** The model of either document. */
export function eInvoiceOf(document: EInvoiceDocument, wording: EInvoiceWording = ENGLISH_WORDING): EInvoice {
  return document.kind === 'invoice'
    ? invoiceEInvoice(document.invoice, wording)
    : creditNoteEInvoice(document.note, document.invoice, wording);
}

/** An XRechnung rule the document cannot meet with the data it holds. */
export interface EInvoiceGap {
  /** The rule (BR-DE-…, BR-…) and the business term it needs. */
  rule: string;
  message: string;
}

/**
 * What the XRechnung CIUS demands that the document lacks (seller contact phone, post codes, VAT ids
 * …): an empty list means the data suffices. The XML is rendered anyway; a caller that must send only
 * valid XRechnung (the route, the email) can refuse or warn with these.
 */
export function xrechnungGaps(model: EInvoice): EInvoiceGap[] {
  const gaps: EInvoiceGap[] = [];
  const need = (ok: unknown, rule: string, message: string) => {
    if (!ok) gaps.push({ rule, message });
  };
  need(model.seller.address?.city, 'BR-DE-3', 'seller city (BT-37): BILLING_SELLER_CITY');
  need(model.seller.address?.postalCode, 'BR-DE-4', 'seller post code (BT-38): BILLING_SELLER_POSTAL_CODE');
  need(model.seller.contact?.phone, 'BR-DE-6', 'seller contact telephone (BT-42): BILLING_SELLER_PHONE');
  need(model.seller.contact?.email, 'BR-DE-7', 'seller contact e-mail (BT-43): BILLING_SELLER_EMAIL');
  need(model.seller.electronicAddress, 'XRechnung BT-34', 'seller electronic address (BT-34): BILLING_SELLER_EMAIL');
  need(model.buyer.electronicAddress, 'XRechnung BT-49', "buyer electronic address (BT-49): the customer's email");
  need(model.seller.address, 'BR-08', 'seller postal address (BG-5)');
  need(model.buyer.address, 'BR-10', "buyer postal address (BG-8): the customer's address");
  need(model.buyer.address?.city, 'BR-DE-8', 'buyer city (BT-52)');
  need(model.buyer.address?.postalCode, 'BR-DE-9', 'buyer post code (BT-53)');
  const categories = new Set(model.vatBreakdown.map((row) => row.category));
  if (['S', 'Z', 'E', 'AE'].some((category) => categories.has(category)))
    need(model.seller.vatId, 'BR-DE-16', 'seller VAT identifier (BT-31): BILLING_SELLER_TAX_ID');
  if (categories.has('AE')) need(model.buyer.vatId, 'BR-AE-02', 'buyer VAT identifier (BT-48)');
  return gaps;
}
