import type { ApiKeyRecord } from '../../adapters/dynamodb/api-keys.js';
import type { Address, Customer } from '../../domain/customer.js';
import type { Meter } from '../../domain/metering/meter.js';

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

export function customerJson(customer: Customer & { billedThrough?: string }) {
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
    ...(customer.billedThrough ? { billed_through: customer.billedThrough } : {}),
    created_at: customer.createdAt,
    updated_at: customer.updatedAt,
  };
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
