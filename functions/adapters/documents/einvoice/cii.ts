import type { EInvoice, EInvoiceParty } from '../../../domain/einvoice.js';
import { leaf, serialize, type XMLBuilder, xmlDocument } from './xml.js';

/**
 * UN/CEFACT Cross Industry Invoice D16B (the syntax of XRechnung CII and of Factur-X / ZUGFeRD), in the
 * element order of its schema. Amounts carry no currency but the tax total (BT-110), as EN 16931 binds it.
 */
const RSM = 'urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100';
const RAM = 'urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100';
const QDT = 'urn:un:unece:uncefact:data:standard:QualifiedDataType:100';
const UDT = 'urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100';

export interface CiiOptions {
  /** BT-24 */
  guideline: string;
  /** BT-23, when the guideline wants one. */
  businessProcess?: string;
}

/** YYYY-MM-DD → the CII date format 102 (YYYYMMDD). */
const format102 = (date: string) => date.replaceAll('-', '');

function dateTime(parent: XMLBuilder, name: string, date: string, type: 'udt' | 'qdt' = 'udt'): void {
  leaf(parent.ele(name), `${type}:DateTimeString`, format102(date), { format: '102' });
}

function party(parent: XMLBuilder, name: string, data: EInvoiceParty): void {
  const node = parent.ele(name);
  if (data.id) leaf(node, 'ram:ID', data.id);
  leaf(node, 'ram:Name', data.name);
  const contact = data.contact;
  if (contact && (contact.name || contact.phone || contact.email)) {
    const node2 = node.ele('ram:DefinedTradeContact');
    if (contact.name) leaf(node2, 'ram:PersonName', contact.name);
    if (contact.phone) leaf(node2.ele('ram:TelephoneUniversalCommunication'), 'ram:CompleteNumber', contact.phone);
    if (contact.email) leaf(node2.ele('ram:EmailURIUniversalCommunication'), 'ram:URIID', contact.email);
  }
  if (data.address) {
    const a = data.address;
    const address = node.ele('ram:PostalTradeAddress');
    if (a.postalCode) leaf(address, 'ram:PostcodeCode', a.postalCode);
    if (a.line1) leaf(address, 'ram:LineOne', a.line1);
    if (a.line2) leaf(address, 'ram:LineTwo', a.line2);
    if (a.city) leaf(address, 'ram:CityName', a.city);
    leaf(address, 'ram:CountryID', a.country);
    if (a.subdivision) leaf(address, 'ram:CountrySubDivisionName', a.subdivision);
  }
  if (data.electronicAddress)
    leaf(node.ele('ram:URIUniversalCommunication'), 'ram:URIID', data.electronicAddress, { schemeID: 'EM' });
  if (data.vatId) leaf(node.ele('ram:SpecifiedTaxRegistration'), 'ram:ID', data.vatId, { schemeID: 'VA' });
}

function period(parent: XMLBuilder, dates: { start: string; end: string } | undefined): void {
  if (!dates) return;
  const node = parent.ele('ram:BillingSpecifiedPeriod');
  dateTime(node, 'ram:StartDateTime', dates.start);
  dateTime(node, 'ram:EndDateTime', dates.end);
}

/** The model as a CII D16B CrossIndustryInvoice (type 380 or 381). */
export function renderCii(model: EInvoice, options: CiiOptions): string {
  const root = xmlDocument(RSM, 'rsm:CrossIndustryInvoice', { rsm: RSM, ram: RAM, qdt: QDT, udt: UDT });

  const context = root.ele('rsm:ExchangedDocumentContext');
  if (options.businessProcess)
    leaf(context.ele('ram:BusinessProcessSpecifiedDocumentContextParameter'), 'ram:ID', options.businessProcess);
  leaf(context.ele('ram:GuidelineSpecifiedDocumentContextParameter'), 'ram:ID', options.guideline);

  const document = root.ele('rsm:ExchangedDocument');
  leaf(document, 'ram:ID', model.number);
  leaf(document, 'ram:TypeCode', model.typeCode);
  dateTime(document, 'ram:IssueDateTime', model.issueDate);
  for (const note of model.notes) leaf(document.ele('ram:IncludedNote'), 'ram:Content', note);

  const transaction = root.ele('rsm:SupplyChainTradeTransaction');
  for (const line of model.lines) {
    const item = transaction.ele('ram:IncludedSupplyChainTradeLineItem');
    const lineDocument = item.ele('ram:AssociatedDocumentLineDocument');
    leaf(lineDocument, 'ram:LineID', line.id);
    if (line.note) leaf(lineDocument.ele('ram:IncludedNote'), 'ram:Content', line.note);
    const product = item.ele('ram:SpecifiedTradeProduct');
    leaf(product, 'ram:Name', line.itemName);
    if (line.itemDescription) leaf(product, 'ram:Description', line.itemDescription);
    const price = item.ele('ram:SpecifiedLineTradeAgreement').ele('ram:NetPriceProductTradePrice');
    leaf(price, 'ram:ChargeAmount', line.netPrice);
    if (line.baseQuantity) leaf(price, 'ram:BasisQuantity', line.baseQuantity, { unitCode: line.unitCode });
    leaf(item.ele('ram:SpecifiedLineTradeDelivery'), 'ram:BilledQuantity', line.quantity, { unitCode: line.unitCode });
    const settlement = item.ele('ram:SpecifiedLineTradeSettlement');
    const tax = settlement.ele('ram:ApplicableTradeTax');
    leaf(tax, 'ram:TypeCode', 'VAT');
    leaf(tax, 'ram:CategoryCode', line.vatCategory);
    if (line.vatRate !== undefined) leaf(tax, 'ram:RateApplicablePercent', line.vatRate);
    period(settlement, line.period);
    leaf(settlement.ele('ram:SpecifiedTradeSettlementLineMonetarySummation'), 'ram:LineTotalAmount', line.netAmount);
  }

  const agreement = transaction.ele('ram:ApplicableHeaderTradeAgreement');
  leaf(agreement, 'ram:BuyerReference', model.buyerReference);
  party(agreement, 'ram:SellerTradeParty', model.seller);
  party(agreement, 'ram:BuyerTradeParty', model.buyer);

  transaction.ele('ram:ApplicableHeaderTradeDelivery');

  const settlement = transaction.ele('ram:ApplicableHeaderTradeSettlement');
  leaf(settlement, 'ram:PaymentReference', model.paymentMeans.remittance);
  leaf(settlement, 'ram:InvoiceCurrencyCode', model.currency);
  const means = settlement.ele('ram:SpecifiedTradeSettlementPaymentMeans');
  leaf(means, 'ram:TypeCode', model.paymentMeans.code);
  const account = model.paymentMeans.account;
  if (account) {
    const node = means.ele('ram:PayeePartyCreditorFinancialAccount');
    leaf(node, 'ram:IBANID', account.iban);
    if (account.name) leaf(node, 'ram:AccountName', account.name);
    if (account.bic) leaf(means.ele('ram:PayeeSpecifiedCreditorFinancialInstitution'), 'ram:BICID', account.bic);
  }
  for (const row of model.vatBreakdown) {
    const tax = settlement.ele('ram:ApplicableTradeTax');
    leaf(tax, 'ram:CalculatedAmount', row.taxAmount);
    leaf(tax, 'ram:TypeCode', 'VAT');
    if (row.exemptionReason) leaf(tax, 'ram:ExemptionReason', row.exemptionReason);
    leaf(tax, 'ram:BasisAmount', row.taxableAmount);
    leaf(tax, 'ram:CategoryCode', row.category);
    if (row.exemptionReasonCode) leaf(tax, 'ram:ExemptionReasonCode', row.exemptionReasonCode);
    leaf(tax, 'ram:RateApplicablePercent', row.rate);
  }
  period(settlement, model.period);
  for (const allowance of model.allowances) {
    const node = settlement.ele('ram:SpecifiedTradeAllowanceCharge');
    leaf(node.ele('ram:ChargeIndicator'), 'udt:Indicator', 'false');
    leaf(node, 'ram:ActualAmount', allowance.amount);
    leaf(node, 'ram:ReasonCode', allowance.reasonCode);
    leaf(node, 'ram:Reason', allowance.reason);
    const tax = node.ele('ram:CategoryTradeTax');
    leaf(tax, 'ram:TypeCode', 'VAT');
    leaf(tax, 'ram:CategoryCode', allowance.vatCategory);
    if (allowance.vatRate !== undefined) leaf(tax, 'ram:RateApplicablePercent', allowance.vatRate);
  }
  if (model.paymentTerms || model.dueDate) {
    const terms = settlement.ele('ram:SpecifiedTradePaymentTerms');
    if (model.paymentTerms) leaf(terms, 'ram:Description', model.paymentTerms);
    if (model.dueDate) dateTime(terms, 'ram:DueDateDateTime', model.dueDate);
  }
  const totals = settlement.ele('ram:SpecifiedTradeSettlementHeaderMonetarySummation');
  leaf(totals, 'ram:LineTotalAmount', model.totals.lineTotal);
  if (model.allowances.length > 0) leaf(totals, 'ram:AllowanceTotalAmount', model.totals.allowanceTotal);
  leaf(totals, 'ram:TaxBasisTotalAmount', model.totals.taxExclusive);
  leaf(totals, 'ram:TaxTotalAmount', model.totals.tax, { currencyID: model.currency });
  leaf(totals, 'ram:GrandTotalAmount', model.totals.taxInclusive);
  leaf(totals, 'ram:TotalPrepaidAmount', model.totals.prepaid);
  leaf(totals, 'ram:DuePayableAmount', model.totals.payable);
  if (model.precedingInvoice) {
    const reference = settlement.ele('ram:InvoiceReferencedDocument');
    leaf(reference, 'ram:IssuerAssignedID', model.precedingInvoice.number);
    if (model.precedingInvoice.issueDate)
      dateTime(reference, 'ram:FormattedIssueDateTime', model.precedingInvoice.issueDate, 'qdt');
  }
  return serialize(root);
}
