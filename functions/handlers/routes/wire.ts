import type { ApiKeyRecord } from '../../adapters/dynamodb/api-keys.js';
import type { CustomerDunning, DunningSchedule } from '../../domain/billing/dunning.js';
import { customerTaxBuyer, type TaxSeller, type TaxTreatment, taxTreatment } from '../../domain/billing/tax.js';
import type { Address, Customer, CustomerSuspension } from '../../domain/customer.js';
import type { Meter } from '../../domain/metering/meter.js';
import { formatDecimal } from '../../domain/money.js';

/** Domain objects → snake_case JSON. */
export function addressJson(a: Address) {
  return {
    line1: a.line1,
    ...(a.line2 ? { line2: a.line2 } : {}),
    city: a.city,
    ...(a.postalCode ? { postal_code: a.postalCode } : {}),
    ...(a.state ? { state: a.state } : {}),
    country: a.country,
  };
}

export function meterJson(meter: Meter) {
  return {
    key: meter.key,
    name: meter.name,
    event_type: meter.eventType,
    aggregation: meter.aggregation,
    ...(meter.valueProperty ? { value_property: meter.valueProperty } : {}),
    group_by: meter.groupBy,
    ...(meter.per ? { per: meter.per } : {}),
    created_at: meter.createdAt,
  };
}

export function taxTreatmentJson(treatment: TaxTreatment) {
  return {
    rule: treatment.rule,
    category: treatment.category,
    rate: formatDecimal(treatment.rate),
    ...(treatment.country ? { country: treatment.country } : {}),
    ...(treatment.reason ? { reason: treatment.reason } : {}),
  };
}

/** A customer, with the VAT it is charged now by `seller` (the configured seller: config.seller). */
export function customerJson(
  customer: Customer & { billedThrough?: string },
  seller: TaxSeller,
  dunningDefault: DunningSchedule,
) {
  const a = customer.address;
  return {
    id: customer.id,
    name: customer.name,
    email: customer.email,
    currency: customer.currency,
    timezone: customer.timezone,
    locale: customer.locale,
    ...(a ? { address: addressJson(a) } : {}),
    ...(customer.taxId ? { tax_id: customer.taxId } : {}),
    ...(customer.taxRate !== undefined ? { tax_rate: customer.taxRate } : {}),
    payment_terms_days: customer.paymentTermsDays,
    ...(customer.invoiceGraceHours !== undefined ? { invoice_grace_hours: customer.invoiceGraceHours } : {}),
    ...(customer.paymentProviderId !== undefined ? { stripe_customer_id: customer.paymentProviderId } : {}),
    ...(customer.taxExempt ? { tax_exempt: true } : {}),
    ...(customer.taxExempt && customer.taxExemptReason ? { tax_exempt_reason: customer.taxExemptReason } : {}),
    ...(customer.buyerReference ? { buyer_reference: customer.buyerReference } : {}),
    invoice_format: customer.invoiceFormat ?? 'pdf',
    tax: taxTreatmentJson(taxTreatment(seller, customerTaxBuyer(customer))),
    ...(customer.billedThrough ? { billed_through: customer.billedThrough } : {}),
    dunning: customerDunningJson(customer.dunning, dunningDefault),
    ...(customer.suspended ? { suspended: suspensionJson(customer.suspended) } : {}),
    created_at: customer.createdAt,
    updated_at: customer.updatedAt,
  };
}

/** The dunning a customer's invoices follow: its own schedule, else the default; `enabled: false` stops it. */
export function customerDunningJson(dunning: CustomerDunning | undefined, dunningDefault: DunningSchedule) {
  return {
    enabled: dunning?.enabled !== false,
    schedule: (dunning?.schedule ?? dunningDefault).map((step) => ({
      after_days: step.afterDays,
      action: step.action,
    })),
    custom: dunning?.schedule !== undefined,
  };
}

export function suspensionJson(suspension: CustomerSuspension) {
  return { at: suspension.at, invoice: suspension.invoiceId, reason: suspension.reason };
}

export function apiKeyJson(record: ApiKeyRecord) {
  return {
    id: record.id,
    name: record.name,
    scope: record.scope,
    created_at: record.createdAt,
    ...(record.revokedAt ? { revoked_at: record.revokedAt } : {}),
  };
}
