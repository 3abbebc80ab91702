import { describe, expect, it } from 'vitest';
import { convert } from 'xmlbuilder2';
import {
  EINVOICE_FORMATS,
  type EInvoiceFormat,
  EN16931_CUSTOMIZATION,
  eInvoiceModel,
  renderEInvoiceXml,
  XRECHNUNG_CUSTOMIZATION,
} from '../../functions/adapters/documents/einvoice/index.js';
import type { CreditNote } from '../../functions/domain/billing/credit-note.js';
import { Decimal, sum } from '../../functions/domain/decimal.js';
import { xrechnungGaps } from '../../functions/domain/einvoice.js';
import { type Invoice, invoiceTotalsOf } from '../../functions/domain/invoice.js';
import { formatAmount } from '../../functions/domain/money.js';
import { creditNoteOf, eInvoiceCases, IBAN, ratedInvoice, SELLER } from '../support/einvoice-fixture.js';

/** The e-invoice read back from its XML: the same facts whatever the syntax. */
interface ReadBack {
  root: string;
  namespace: string;
  customization: string;
  number: string;
  issueDate: string;
  typeCode: string;
  currency: string;
  buyerReference: string;
  sellerEndpoint?: string;
  buyerEndpoint?: string;
  sellerVatId?: string;
  sellerId?: string;
  buyerVatId?: string;
  sellerPhone?: string;
  paymentMeansCode: string;
  iban?: string;
  precedingInvoice?: string;
  lines: Array<{ quantity: string; amount: string; category: string; rate?: string }>;
  allowances: Array<{ amount: string; category: string }>;
  vat: Array<{ category: string; rate: string; taxable: string; tax: string; reason?: string; reasonCode?: string }>;
  totals: {
    lines: string;
    allowances?: string;
    taxExclusive: string;
    tax: string;
    total: string;
    prepaid: string;
    payable: string;
  };
}

type XmlNode = Record<string, unknown>;

/** The children of `node` at `path`, arrays (repeated elements) flattened. */
function all(node: unknown, ...path: string[]): unknown[] {
  let level: unknown[] = [node];
  for (const key of path) {
    level = level.flatMap((n) => {
      const child = n !== null && typeof n === 'object' ? (n as XmlNode)[key] : undefined;
      return child === undefined ? [] : Array.isArray(child) ? child : [child];
    });
  }
  return level;
}

/** The text of the first node at `path` (undefined when absent). */
function text(node: unknown, ...path: string[]): string | undefined {
  const [first] = all(node, ...path);
  if (first === undefined) return undefined;
  if (typeof first === 'string') return first;
  const value = (first as XmlNode)['#'];
  return typeof value === 'string' ? value : undefined;
}

function must(value: string | undefined, what: string): string {
  if (value === undefined) throw new Error(`${what} is missing`);
  return value;
}

function readUbl(xml: string): ReadBack {
  const doc = convert(xml, { format: 'object' }) as XmlNode;
  const root = Object.keys(doc)[0] ?? '';
  const r = doc[root] as XmlNode;
  const credit = root === 'CreditNote';
  const seller = all(r, 'cac:AccountingSupplierParty', 'cac:Party')[0];
  const buyer = all(r, 'cac:AccountingCustomerParty', 'cac:Party')[0];
  const category = (node: unknown) => ({
    category: must(text(node, 'cbc:ID'), 'category'),
    rate: text(node, 'cbc:Percent'),
  });
  return {
    root,
    namespace: String(r['@xmlns']),
    customization: must(text(r, 'cbc:CustomizationID'), 'BT-24'),
    number: must(text(r, 'cbc:ID'), 'BT-1'),
    issueDate: must(text(r, 'cbc:IssueDate'), 'BT-2'),
    typeCode: must(text(r, credit ? 'cbc:CreditNoteTypeCode' : 'cbc:InvoiceTypeCode'), 'BT-3'),
    currency: must(text(r, 'cbc:DocumentCurrencyCode'), 'BT-5'),
    buyerReference: must(text(r, 'cbc:BuyerReference'), 'BT-10'),
    sellerEndpoint: text(seller, 'cbc:EndpointID'),
    buyerEndpoint: text(buyer, 'cbc:EndpointID'),
    sellerVatId: text(seller, 'cac:PartyTaxScheme', 'cbc:CompanyID'),
    sellerId: text(seller, 'cac:PartyIdentification', 'cbc:ID'),
    buyerVatId: text(buyer, 'cac:PartyTaxScheme', 'cbc:CompanyID'),
    sellerPhone: text(seller, 'cac:Contact', 'cbc:Telephone'),
    paymentMeansCode: must(text(r, 'cac:PaymentMeans', 'cbc:PaymentMeansCode'), 'BT-81'),
    iban: text(r, 'cac:PaymentMeans', 'cac:PayeeFinancialAccount', 'cbc:ID'),
    precedingInvoice: text(r, 'cac:BillingReference', 'cac:InvoiceDocumentReference', 'cbc:ID'),
    lines: all(r, credit ? 'cac:CreditNoteLine' : 'cac:InvoiceLine').map((line) => {
      const { category: lineCategory, rate } = category(all(line, 'cac:Item', 'cac:ClassifiedTaxCategory')[0]);
      return {
        quantity: must(text(line, credit ? 'cbc:CreditedQuantity' : 'cbc:InvoicedQuantity'), 'BT-129'),
        amount: must(text(line, 'cbc:LineExtensionAmount'), 'BT-131'),
        category: lineCategory,
        ...(rate !== undefined ? { rate } : {}),
      };
    }),
    allowances: all(r, 'cac:AllowanceCharge').map((allowance) => ({
      amount: must(text(allowance, 'cbc:Amount'), 'BT-92'),
      category: category(all(allowance, 'cac:TaxCategory')[0]).category,
    })),
    vat: all(r, 'cac:TaxTotal', 'cac:TaxSubtotal').map((row) => {
      const taxCategory = all(row, 'cac:TaxCategory')[0];
      const reason = text(taxCategory, 'cbc:TaxExemptionReason');
      const reasonCode = text(taxCategory, 'cbc:TaxExemptionReasonCode');
      return {
        category: must(text(taxCategory, 'cbc:ID'), 'BT-118'),
        rate: must(text(taxCategory, 'cbc:Percent'), 'BT-119'),
        taxable: must(text(row, 'cbc:TaxableAmount'), 'BT-116'),
        tax: must(text(row, 'cbc:TaxAmount'), 'BT-117'),
        ...(reason !== undefined ? { reason } : {}),
        ...(reasonCode !== undefined ? { reasonCode } : {}),
      };
    }),
    totals: (() => {
      const t = all(r, 'cac:LegalMonetaryTotal')[0];
      const allowances = text(t, 'cbc:AllowanceTotalAmount');
      return {
        lines: must(text(t, 'cbc:LineExtensionAmount'), 'BT-106'),
        ...(allowances !== undefined ? { allowances } : {}),
        taxExclusive: must(text(t, 'cbc:TaxExclusiveAmount'), 'BT-109'),
        tax: must(text(r, 'cac:TaxTotal', 'cbc:TaxAmount'), 'BT-110'),
        total: must(text(t, 'cbc:TaxInclusiveAmount'), 'BT-112'),
        prepaid: must(text(t, 'cbc:PrepaidAmount'), 'BT-113'),
        payable: must(text(t, 'cbc:PayableAmount'), 'BT-115'),
      };
    })(),
  };
}

function readCii(xml: string): ReadBack {
  const doc = convert(xml, { format: 'object' }) as XmlNode;
  const root = Object.keys(doc)[0] ?? '';
  const r = doc[root] as XmlNode;
  const transaction = all(r, 'rsm:SupplyChainTradeTransaction')[0];
  const agreement = all(transaction, 'ram:ApplicableHeaderTradeAgreement')[0];
  const settlement = all(transaction, 'ram:ApplicableHeaderTradeSettlement')[0];
  const seller = all(agreement, 'ram:SellerTradeParty')[0];
  const buyer = all(agreement, 'ram:BuyerTradeParty')[0];
  const sums = all(settlement, 'ram:SpecifiedTradeSettlementHeaderMonetarySummation')[0];
  const date = must(text(r, 'rsm:ExchangedDocument', 'ram:IssueDateTime', 'udt:DateTimeString'), 'BT-2');
  const allowanceTotal = text(sums, 'ram:AllowanceTotalAmount');
  return {
    root,
    namespace: String(r['@xmlns:rsm']),
    customization: must(
      text(r, 'rsm:ExchangedDocumentContext', 'ram:GuidelineSpecifiedDocumentContextParameter', 'ram:ID'),
      'BT-24',
    ),
    number: must(text(r, 'rsm:ExchangedDocument', 'ram:ID'), 'BT-1'),
    issueDate: `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}`,
    typeCode: must(text(r, 'rsm:ExchangedDocument', 'ram:TypeCode'), 'BT-3'),
    currency: must(text(settlement, 'ram:InvoiceCurrencyCode'), 'BT-5'),
    buyerReference: must(text(agreement, 'ram:BuyerReference'), 'BT-10'),
    sellerEndpoint: text(seller, 'ram:URIUniversalCommunication', 'ram:URIID'),
    buyerEndpoint: text(buyer, 'ram:URIUniversalCommunication', 'ram:URIID'),
    sellerVatId: text(seller, 'ram:SpecifiedTaxRegistration', 'ram:ID'),
    sellerId: text(seller, 'ram:ID'),
    buyerVatId: text(buyer, 'ram:SpecifiedTaxRegistration', 'ram:ID'),
    sellerPhone: text(seller, 'ram:DefinedTradeContact', 'ram:TelephoneUniversalCommunication', 'ram:CompleteNumber'),
    paymentMeansCode: must(text(settlement, 'ram:SpecifiedTradeSettlementPaymentMeans', 'ram:TypeCode'), 'BT-81'),
    iban: text(
      settlement,
      'ram:SpecifiedTradeSettlementPaymentMeans',
      'ram:PayeePartyCreditorFinancialAccount',
      'ram:IBANID',
    ),
    precedingInvoice: text(settlement, 'ram:InvoiceReferencedDocument', 'ram:IssuerAssignedID'),
    lines: all(transaction, 'ram:IncludedSupplyChainTradeLineItem').map((line) => {
      const lineSettlement = all(line, 'ram:SpecifiedLineTradeSettlement')[0];
      const rate = text(lineSettlement, 'ram:ApplicableTradeTax', 'ram:RateApplicablePercent');
      return {
        quantity: must(text(line, 'ram:SpecifiedLineTradeDelivery', 'ram:BilledQuantity'), 'BT-129'),
        amount: must(
          text(lineSettlement, 'ram:SpecifiedTradeSettlementLineMonetarySummation', 'ram:LineTotalAmount'),
          'BT-131',
        ),
        category: must(text(lineSettlement, 'ram:ApplicableTradeTax', 'ram:CategoryCode'), 'BT-151'),
        ...(rate !== undefined ? { rate } : {}),
      };
    }),
    allowances: all(settlement, 'ram:SpecifiedTradeAllowanceCharge').map((allowance) => ({
      amount: must(text(allowance, 'ram:ActualAmount'), 'BT-92'),
      category: must(text(allowance, 'ram:CategoryTradeTax', 'ram:CategoryCode'), 'BT-95'),
    })),
    vat: all(settlement, 'ram:ApplicableTradeTax').map((row) => {
      const reason = text(row, 'ram:ExemptionReason');
      const reasonCode = text(row, 'ram:ExemptionReasonCode');
      return {
        category: must(text(row, 'ram:CategoryCode'), 'BT-118'),
        rate: must(text(row, 'ram:RateApplicablePercent'), 'BT-119'),
        taxable: must(text(row, 'ram:BasisAmount'), 'BT-116'),
        tax: must(text(row, 'ram:CalculatedAmount'), 'BT-117'),
        ...(reason !== undefined ? { reason } : {}),
        ...(reasonCode !== undefined ? { reasonCode } : {}),
      };
    }),
    totals: {
      lines: must(text(sums, 'ram:LineTotalAmount'), 'BT-106'),
      ...(allowanceTotal !== undefined ? { allowances: allowanceTotal } : {}),
      taxExclusive: must(text(sums, 'ram:TaxBasisTotalAmount'), 'BT-109'),
      tax: must(text(sums, 'ram:TaxTotalAmount'), 'BT-110'),
      total: must(text(sums, 'ram:GrandTotalAmount'), 'BT-112'),
      prepaid: must(text(sums, 'ram:TotalPrepaidAmount'), 'BT-113'),
      payable: must(text(sums, 'ram:DuePayableAmount'), 'BT-115'),
    },
  };
}

const read = (xml: string, format: EInvoiceFormat) => (format === 'xrechnung-ubl' ? readUbl(xml) : readCii(xml));
const render = (invoice: Invoice, format: EInvoiceFormat) =>
  read(renderEInvoiceXml({ kind: 'invoice', invoice }, format), format);

const d = (value: string) => new Decimal(value);
const money = (value: Decimal) => formatAmount(value, 'EUR');

const ROOTS: Record<EInvoiceFormat, { root: string; namespace: string; customization: string }> = {
  'xrechnung-ubl': {
    root: 'Invoice',
    namespace: 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2',
    customization: XRECHNUNG_CUSTOMIZATION,
  },
  'xrechnung-cii': {
    root: 'rsm:CrossIndustryInvoice',
    namespace: 'urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100',
    customization: XRECHNUNG_CUSTOMIZATION,
  },
  'facturx-cii': {
    root: 'rsm:CrossIndustryInvoice',
    namespace: 'urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100',
    customization: EN16931_CUSTOMIZATION,
  },
};

const CASES = eInvoiceCases();

describe('the cases are what they claim (rated by the domain code)', () => {
  it('covers S, AE, E, O and Z, several rates, coupons, promotional and paid credits, the balance and a progressive credit', () => {
    const categories = (invoice: Invoice) => (invoice.taxBreakdown ?? []).map((row) => `${row.category} ${row.rate}`);
    expect(categories(CASES.standard as Invoice)).toEqual(['S 19']);
    expect(categories(CASES.reverseCharge as Invoice)).toEqual(['AE 0']);
    expect(categories(CASES.exempt as Invoice)).toEqual(['E 0']);
    expect(categories(CASES.outsideEu as Invoice)).toEqual(['O 0']);
    expect(categories(CASES.zeroRated as Invoice)).toEqual(['Z 0']);
    expect(categories(CASES.severalRates as Invoice)).toEqual(['S 19', 'S 7']);
    const prepaid = invoiceTotalsOf(CASES.prepaid as Invoice);
    expect(d(prepaid.promotionalCredits).gt(0) && d(prepaid.paidCredits).gt(0)).toBe(true);
    expect(d(prepaid.balanceApplied).gt(0)).toBe(true);
    expect(CASES.prepaid?.lines.some((line) => line.kind === 'progressive_credit')).toBe(true);
    expect(d(invoiceTotalsOf(CASES.standard as Invoice).discountTotal).gt(0)).toBe(true);
  });
});

describe.each(EINVOICE_FORMATS)('renderEInvoiceXml(invoice, %s)', (format) => {
  describe.each(Object.keys(CASES))('%s', (name) => {
    const invoice = CASES[name] as Invoice;
    const totals = invoiceTotalsOf(invoice);
    const xml = read(renderEInvoiceXml({ kind: 'invoice', invoice }, format), format);

    it('has the root element, namespace and specification identifier (BT-24) of the format', () => {
      expect({ root: xml.root, namespace: xml.namespace, customization: xml.customization }).toEqual(ROOTS[format]);
    });

    it("states the invoice's totals: lines, allowances, tax basis, tax, grand total, prepaid and amount due", () => {
      expect(xml.totals).toEqual({
        lines: invoice.subtotal,
        ...(xml.allowances.length > 0
          ? { allowances: money(d(totals.discountTotal).plus(totals.promotionalCredits)) }
          : {}),
        taxExclusive: totals.taxableAmount,
        tax: totals.tax,
        total: totals.total,
        prepaid: money(d(totals.paidCredits).plus(totals.balanceApplied)),
        payable: totals.amountDue,
      });
    });

    it('reconciles: Σ lines − allowances = tax basis (BR-CO-13), basis + tax = total, total − prepaid = due', () => {
      const allowances = sum(xml.allowances.map((allowance) => d(allowance.amount)));
      expect(money(sum(xml.lines.map((line) => d(line.amount))))).toBe(xml.totals.lines);
      expect(money(d(xml.totals.lines).minus(allowances))).toBe(xml.totals.taxExclusive);
      expect(money(d(xml.totals.taxExclusive).plus(xml.totals.tax))).toBe(xml.totals.total);
      expect(money(d(xml.totals.total).minus(xml.totals.prepaid))).toBe(xml.totals.payable);
    });

    it('has one line per invoice line with its amount, VAT category and rate', () => {
      expect(xml.lines.map((line) => [line.amount, line.category, line.rate])).toEqual(
        invoice.lines.map((line) => [
          line.amount,
          line.taxCategory,
          line.taxCategory === 'O' ? undefined : line.taxRate,
        ]),
      );
    });

    it("has the invoice's VAT breakdown rows, with an exemption reason exactly for E, AE and O", () => {
      expect(xml.vat.map(({ category, rate, taxable, tax }) => ({ category, rate, taxable, tax }))).toEqual(
        (invoice.taxBreakdown ?? []).map((row) => ({
          category: row.category,
          rate: row.rate,
          taxable: row.taxableAmount,
          tax: row.tax,
        })),
      );
      for (const row of xml.vat) expect(row.reason !== undefined).toBe(['E', 'AE', 'O'].includes(row.category));
      // Per category and rate: Σ line nets − allowances = the row's taxable amount (BR-S-08 and siblings).
      for (const row of xml.vat) {
        const lines = sum(xml.lines.filter((line) => line.category === row.category).map((line) => d(line.amount)));
        const off = sum(xml.allowances.filter((a) => a.category === row.category).map((a) => d(a.amount)));
        if (xml.vat.filter((other) => other.category === row.category).length === 1)
          expect(money(lines.minus(off))).toBe(row.taxable);
      }
    });

    it('names number, issue date, type, currency, buyer reference and both electronic addresses', () => {
      expect(xml).toMatchObject({
        number: invoice.number,
        issueDate: invoice.issueDate,
        typeCode: '380',
        currency: 'EUR',
        buyerReference: invoice.buyer.buyerReference ?? invoice.customerId,
        sellerEndpoint: SELLER.email,
        buyerEndpoint: invoice.buyer.email,
        sellerPhone: SELLER.phone,
      });
    });

    it('names the seller by its VAT id (BT-31), or as seller identifier (BT-29) outside the scope of VAT', () => {
      const outside = (invoice.taxBreakdown ?? []).some((row) => row.category === 'O');
      expect({ vat: xml.sellerVatId, id: xml.sellerId, buyerVat: xml.buyerVatId }).toEqual(
        outside
          ? { vat: undefined, id: SELLER.taxId, buyerVat: undefined }
          : { vat: SELLER.taxId, id: undefined, buyerVat: invoice.buyer.taxId },
      );
    });

    it('asks for a SEPA credit transfer to the IBAN when one is configured (BG-16), else names no account', () => {
      expect({ code: xml.paymentMeansCode, iban: xml.iban }).toEqual(
        invoice.paymentInstructions?.iban ? { code: '58', iban: IBAN } : { code: '1', iban: undefined },
      );
    });
  });
});

describe.each(EINVOICE_FORMATS)('renderEInvoiceXml(credit note, %s)', (format) => {
  describe.each(['standard', 'severalRates', 'reverseCharge'])('of the %s invoice', (name) => {
    const invoice = CASES[name] as Invoice;
    const note: CreditNote = creditNoteOf(invoice);
    const xml = read(renderEInvoiceXml({ kind: 'credit_note', note, invoice }, format), format);

    it('is a credit note (381) that refers to its invoice (BT-25)', () => {
      expect(xml).toMatchObject({
        root: format === 'xrechnung-ubl' ? 'CreditNote' : 'rsm:CrossIndustryInvoice',
        typeCode: '381',
        number: note.number,
        issueDate: note.issueDate,
        precedingInvoice: invoice.number,
      });
      if (format === 'xrechnung-ubl')
        expect(xml.namespace).toBe('urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2');
    });

    it("states the note's lines and totals, its VAT per category and rate the sum of its lines", () => {
      expect(xml.lines.map((line) => [line.amount, line.category])).toEqual(
        note.lines.map((line) => [line.amount, line.taxCategory]),
      );
      expect(xml.totals).toEqual({
        lines: note.subtotal,
        taxExclusive: note.subtotal,
        tax: note.tax,
        total: note.total,
        prepaid: '0.00',
        payable: note.total,
      });
      const rates = [...new Set(note.lines.map((line) => `${line.taxCategory}|${line.taxRate}`))];
      expect(xml.vat.map((row) => [row.category, row.rate, row.taxable, row.tax])).toEqual(
        rates.map((key) => {
          const lines = note.lines.filter((line) => `${line.taxCategory}|${line.taxRate}` === key);
          const [category, rate] = key.split('|');
          return [
            category,
            rate,
            money(sum(lines.map((line) => d(line.amount)))),
            money(sum(lines.map((line) => d(line.tax)))),
          ];
        }),
      );
    });
  });
});

describe('data the XRechnung rules demand', () => {
  it('uses the customer id as buyer reference (BT-10) when the customer has none', () => {
    const invoice = CASES.exempt as Invoice;
    expect(invoice.buyer.buyerReference).toBeUndefined();
    expect(render(invoice, 'xrechnung-ubl').buyerReference).toBe('cus_mueller');
  });

  it('lists what the seller configuration lacks (phone, post code, VAT id)', () => {
    const invoice = ratedInvoice({ buyer: { country: 'DE' } });
    const { phone: _phone, taxId: _taxId, ...seller } = SELLER;
    const bare = {
      ...invoice,
      seller: { ...seller, address: { line1: 'Friedrichstraße 123', city: 'Berlin', country: 'DE' } },
    };
    expect(xrechnungGaps(eInvoiceModel({ kind: 'invoice', invoice })).map((gap) => gap.rule)).toEqual([]);
    expect(xrechnungGaps(eInvoiceModel({ kind: 'invoice', invoice: bare })).map((gap) => gap.rule)).toEqual([
      'BR-DE-4',
      'BR-DE-6',
      'BR-DE-16',
    ]);
  });

  it('writes text XML cannot carry (control characters, lone surrogates) as U+FFFD, and escapes markup', () => {
    const invoice = ratedInvoice({ buyer: { country: 'DE', name: 'Evil\u0001 <Corp> \uD800 & Co' } });
    for (const format of EINVOICE_FORMATS) {
      const xml = renderEInvoiceXml({ kind: 'invoice', invoice }, format);
      expect(xml).toContain('Evil\uFFFD &lt;Corp&gt; \uFFFD &amp; Co');
      expect(() => read(xml, format)).not.toThrow();
    }
  });

  it('prices a tiered line as its amount for the whole quantity (BT-149 base quantity), a per-unit line at its unit price', () => {
    const model = eInvoiceModel({ kind: 'invoice', invoice: CASES.standard as Invoice });
    const [, api, storage] = model.lines;
    expect(api).toMatchObject({
      quantity: '1234567',
      netPrice: '1886.85',
      baseQuantity: '1234567',
      netAmount: '1886.85',
    });
    expect(api?.itemDescription).toContain('Tier 3 (over 100000): 1134567 × 0.0015 = 1701.85');
    expect(storage).toMatchObject({ quantity: '800', netPrice: '0.125', netAmount: '100.00' });
    expect(storage?.baseQuantity).toBeUndefined();
  });

  it('gives back a progressive credit as a negative quantity at a positive price', () => {
    const model = eInvoiceModel({ kind: 'invoice', invoice: CASES.prepaid as Invoice });
    const credit = model.lines.at(-1);
    expect(credit).toMatchObject({ quantity: '-1', netPrice: '150.00', netAmount: '-150.00' });
  });

  it('dates the service period in the customer’s time zone, the end inclusive (BG-14)', () => {
    expect(eInvoiceModel({ kind: 'invoice', invoice: CASES.standard as Invoice }).period).toEqual({
      start: '2026-11-01',
      end: '2026-11-30',
    });
  });
});
