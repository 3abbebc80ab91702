import type { EInvoice, EInvoiceParty } from '../../../domain/einvoice.js';
import { leaf, serialize, type XMLBuilder, xmlDocument } from './xml.js';

/**
 * UBL 2.1 Invoice / CreditNote (OASIS), in the element order of the UBL schemas, with the EN 16931
 * syntax binding: BT-27/BT-44 in PartyLegalEntity, BT-34/BT-49 as EndpointID (scheme EM).
 */
const CAC = 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2';
const CBC = 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2';
const INVOICE = 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2';
const CREDIT_NOTE = 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2';

export interface UblOptions {
  /** BT-24 */
  customization: string;
  /** BT-23 */
  profile: string;
}

function party(parent: XMLBuilder, wrapper: string, data: EInvoiceParty): void {
  const node = parent.ele(wrapper).ele('cac:Party');
  if (data.electronicAddress) leaf(node, 'cbc:EndpointID', data.electronicAddress, { schemeID: 'EM' });
  if (data.id) leaf(node.ele('cac:PartyIdentification'), 'cbc:ID', data.id);
  if (data.address) {
    const address = node.ele('cac:PostalAddress');
    const a = data.address;
    if (a.line1) leaf(address, 'cbc:StreetName', a.line1);
    if (a.line2) leaf(address, 'cbc:AdditionalStreetName', a.line2);
    if (a.city) leaf(address, 'cbc:CityName', a.city);
    if (a.postalCode) leaf(address, 'cbc:PostalZone', a.postalCode);
    if (a.subdivision) leaf(address, 'cbc:CountrySubentity', a.subdivision);
    leaf(address.ele('cac:Country'), 'cbc:IdentificationCode', a.country);
  }
  if (data.vatId) {
    const scheme = node.ele('cac:PartyTaxScheme');
    leaf(scheme, 'cbc:CompanyID', data.vatId);
    leaf(scheme.ele('cac:TaxScheme'), 'cbc:ID', 'VAT');
  }
  leaf(node.ele('cac:PartyLegalEntity'), 'cbc:RegistrationName', data.name);
  const contact = data.contact;
  if (contact && (contact.name || contact.phone || contact.email)) {
    const node2 = node.ele('cac:Contact');
    if (contact.name) leaf(node2, 'cbc:Name', contact.name);
    if (contact.phone) leaf(node2, 'cbc:Telephone', contact.phone);
    if (contact.email) leaf(node2, 'cbc:ElectronicMail', contact.email);
  }
}

function taxCategory(
  parent: XMLBuilder,
  name: string,
  category: string,
  rate: string | undefined,
  exemption?: { reason?: string | undefined; code?: string | undefined },
): void {
  const node = parent.ele(name);
  leaf(node, 'cbc:ID', category);
  if (rate !== undefined) leaf(node, 'cbc:Percent', rate);
  if (exemption?.code) leaf(node, 'cbc:TaxExemptionReasonCode', exemption.code);
  if (exemption?.reason) leaf(node, 'cbc:TaxExemptionReason', exemption.reason);
  leaf(node.ele('cac:TaxScheme'), 'cbc:ID', 'VAT');
}

function period(parent: XMLBuilder, dates: { start: string; end: string } | undefined): void {
  if (!dates) return;
  const node = parent.ele('cac:InvoicePeriod');
  leaf(node, 'cbc:StartDate', dates.start);
  leaf(node, 'cbc:EndDate', dates.end);
}

/** The model as a UBL 2.1 Invoice (type 380) or CreditNote (type 381). */
export function renderUbl(model: EInvoice, options: UblOptions): string {
  const credit = model.typeCode === '381';
  const root = xmlDocument(credit ? CREDIT_NOTE : INVOICE, credit ? 'CreditNote' : 'Invoice', { cac: CAC, cbc: CBC });
  const amount = (parent: XMLBuilder, name: string, value: string) =>
    leaf(parent, name, value, { currencyID: model.currency });

  leaf(root, 'cbc:CustomizationID', options.customization);
  leaf(root, 'cbc:ProfileID', options.profile);
  leaf(root, 'cbc:ID', model.number);
  leaf(root, 'cbc:IssueDate', model.issueDate);
  if (!credit && model.dueDate) leaf(root, 'cbc:DueDate', model.dueDate);
  leaf(root, credit ? 'cbc:CreditNoteTypeCode' : 'cbc:InvoiceTypeCode', model.typeCode);
  for (const note of model.notes) leaf(root, 'cbc:Note', note);
  leaf(root, 'cbc:DocumentCurrencyCode', model.currency);
  leaf(root, 'cbc:BuyerReference', model.buyerReference);
  period(root, model.period);
  if (model.precedingInvoice) {
    const reference = root.ele('cac:BillingReference').ele('cac:InvoiceDocumentReference');
    leaf(reference, 'cbc:ID', model.precedingInvoice.number);
    if (model.precedingInvoice.issueDate) leaf(reference, 'cbc:IssueDate', model.precedingInvoice.issueDate);
  }
  party(root, 'cac:AccountingSupplierParty', model.seller);
  party(root, 'cac:AccountingCustomerParty', model.buyer);

  const means = root.ele('cac:PaymentMeans');
  leaf(means, 'cbc:PaymentMeansCode', model.paymentMeans.code);
  leaf(means, 'cbc:PaymentID', model.paymentMeans.remittance);
  const account = model.paymentMeans.account;
  if (account) {
    const node = means.ele('cac:PayeeFinancialAccount');
    leaf(node, 'cbc:ID', account.iban);
    if (account.name) leaf(node, 'cbc:Name', account.name);
    if (account.bic) leaf(node.ele('cac:FinancialInstitutionBranch'), 'cbc:ID', account.bic);
  }
  if (model.paymentTerms) leaf(root.ele('cac:PaymentTerms'), 'cbc:Note', model.paymentTerms);

  for (const allowance of model.allowances) {
    const node = root.ele('cac:AllowanceCharge');
    leaf(node, 'cbc:ChargeIndicator', 'false');
    leaf(node, 'cbc:AllowanceChargeReasonCode', allowance.reasonCode);
    leaf(node, 'cbc:AllowanceChargeReason', allowance.reason);
    amount(node, 'cbc:Amount', allowance.amount);
    taxCategory(node, 'cac:TaxCategory', allowance.vatCategory, allowance.vatRate);
  }

  const taxTotal = root.ele('cac:TaxTotal');
  amount(taxTotal, 'cbc:TaxAmount', model.totals.tax);
  for (const row of model.vatBreakdown) {
    const subtotal = taxTotal.ele('cac:TaxSubtotal');
    amount(subtotal, 'cbc:TaxableAmount', row.taxableAmount);
    amount(subtotal, 'cbc:TaxAmount', row.taxAmount);
    taxCategory(subtotal, 'cac:TaxCategory', row.category, row.rate, {
      reason: row.exemptionReason,
      code: row.exemptionReasonCode,
    });
  }

  const totals = root.ele('cac:LegalMonetaryTotal');
  amount(totals, 'cbc:LineExtensionAmount', model.totals.lineTotal);
  amount(totals, 'cbc:TaxExclusiveAmount', model.totals.taxExclusive);
  amount(totals, 'cbc:TaxInclusiveAmount', model.totals.taxInclusive);
  if (model.allowances.length > 0) amount(totals, 'cbc:AllowanceTotalAmount', model.totals.allowanceTotal);
  amount(totals, 'cbc:PrepaidAmount', model.totals.prepaid);
  amount(totals, 'cbc:PayableAmount', model.totals.payable);

  for (const line of model.lines) {
    const node = root.ele(credit ? 'cac:CreditNoteLine' : 'cac:InvoiceLine');
    leaf(node, 'cbc:ID', line.id);
    if (line.note) leaf(node, 'cbc:Note', line.note);
    leaf(node, credit ? 'cbc:CreditedQuantity' : 'cbc:InvoicedQuantity', line.quantity, { unitCode: line.unitCode });
    amount(node, 'cbc:LineExtensionAmount', line.netAmount);
    period(node, line.period);
    const item = node.ele('cac:Item');
    if (line.itemDescription) leaf(item, 'cbc:Description', line.itemDescription);
    leaf(item, 'cbc:Name', line.itemName);
    taxCategory(item, 'cac:ClassifiedTaxCategory', line.vatCategory, line.vatRate);
    const price = node.ele('cac:Price');
    amount(price, 'cbc:PriceAmount', line.netPrice);
    if (line.baseQuantity) leaf(price, 'cbc:BaseQuantity', line.baseQuantity, { unitCode: line.unitCode });
  }
  return serialize(root);
}
