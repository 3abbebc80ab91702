import type { components, operations } from './api-types';

/**
 * Wire shapes of the billing API (snake_case; amounts are decimal strings).
 *
 * Every shape here comes from the types generated from the OpenAPI document (api-types.ts, `npm run
 * api-types`): request bodies, query parameters, the error body, and the response bodies (each route
 * declares its response schema; the integration tests check every JSON response against it).
 *
 * Not described by the document, so written where they are used: the 202 answer of POST
 * /v1/reports/upcoming/refresh (`Started` in views/overview.tsx) and the CSV exports.
 */
type Schemas = components['schemas'];
/** The query parameters of an operation (operationId as in GET /openapi.json). */
type QueryOf<Operation extends keyof operations> = NonNullable<operations[Operation]['parameters']['query']>;

/** The body of every 4xx (and of a 5xx, with code internal_error and the request id). */
export type ApiErrorBody = Schemas['Error'];
/** POST /v1/invoices/{id}/mark-paid */
export type MarkInvoicePaid = Schemas['MarkInvoicePaid'];
/** POST /v1/invoices/{id}/payments */
export type RecordPayment = Schemas['RecordPayment'];
/** POST /v1/invoices/{id}/payments answers the invoice and the payment recorded. */
export type PaymentRecorded = Schemas['PaymentRecorded'];
export type ManualPaymentMethod = NonNullable<RecordPayment['method']>;
/** POST /v1/credit-notes/{id}/refund */
export type RecordRefund = Schemas['RecordRefund'];
/** PATCH /v1/customers/{id} */
export type UpdateCustomer = Schemas['UpdateCustomer'];
/** POST /v1/invoices/{id}/void */
export type VoidInvoice = Schemas['VoidInvoice'];
/** POST /v1/prices/evaluate */
export type EvaluatePriceRequest = Schemas['EvaluatePriceRequest'];
/** GET /v1/customers/{id}/usage */
export type UsageQuery = QueryOf<'getV1CustomersIdUsage'>;
/** GET /v1/invoices */
export type InvoiceListQuery = QueryOf<'getV1Invoices'>;
/** GET /v1/reports/revenue */
export type RevenueQuery = QueryOf<'getV1ReportsRevenue'>;
/** GET /v1/reports/ingestion */
export type IngestionQuery = QueryOf<'getV1ReportsIngestion'>;

/** How a meter aggregates its events' values. */
export type Aggregation = Schemas['CreateMeter']['aggregation'];
export type InvoiceStatus = NonNullable<InvoiceListQuery['status']>;
export type Granularity = NonNullable<UsageQuery['granularity']>;

/** GET /v1/customers/{id} (and the other customer routes) */
export type Customer = Schemas['Customer'];
/** GET /v1/meters/{key}; GET /v1/meters lists them. */
export type Meter = Schemas['Meter'];

/** One explained step of a price (tier, block, band, matrix group...). */
export type PriceDetail = Schemas['PriceLine'];
export type InvoiceLine = Schemas['InvoiceLine'];
/** GET /v1/invoices/{id}; GET /v1/invoices lists them. */
export type Invoice = Schemas['Invoice'];
/** GET /v1/customers/{id}/upcoming-invoice */
export type Upcoming = Schemas['UpcomingInvoice'];
/** GET /v1/subscriptions/{id}; GET /v1/subscriptions?customer= lists them. */
export type Subscription = Schemas['Subscription'];
/** GET /v1/customers/{id}/usage */
export type UsageSeries = Schemas['UsageSeries'];

/** A charge of a plan: its price as the plan was written. */
export type Charge = Schemas['PlanCharge'];
/** GET /v1/plans/{key} (with `versions`); GET /v1/plans lists the latest version of each. */
export type Plan = Schemas['Plan'];

export type RevenueGroup = Schemas['RevenueGroup'];
/** GET /v1/reports/revenue */
export type RevenueReport = Schemas['RevenueReport'];
/** GET /v1/reports/ingestion */
export type IngestionReport = Schemas['IngestionReport'];

/** A customer's current period as the latest refresh of the estimates rated it (GET /v1/customers?include=estimate). */
export type Estimate = Schemas['Estimate'];

/** A customer of GET /v1/customers?include=estimate: with include=estimate, `estimate` is always there. */
export type CustomerWithEstimate = Omit<Schemas['CustomerListItem'], 'estimate'> & {
  /** null: no active subscription (or not rated in the latest refresh). */
  estimate: Estimate | null;
};

/** GET /v1/reports/upcoming */
export type UpcomingReport = Schemas['UpcomingReport'];

/** One subscription's outcome in a billing run. */
export type RunResult = Schemas['BillingRunResult'];
/** A billing run (GET /v1/billing-runs): one close of every subscription whose period ended by `as_of`. */
export type Run = Schemas['BillingRun'];

/** POST /v1/prices/evaluate */
export type Evaluation = Schemas['PriceEvaluation'];

/** GET /v1/coupons/{code}; GET /v1/coupons lists them. */
export type Coupon = Schemas['Coupon'];
/** POST /v1/coupons */
export type CreateCoupon = Schemas['CreateCoupon'];
/** A coupon as applied to a customer (GET /v1/customers/{id}/coupons). */
export type AppliedCoupon = Schemas['AppliedCoupon'];
/** POST /v1/customers/{id}/coupons */
export type ApplyCoupon = Schemas['ApplyCoupon'];
/** A prepaid or promotional credit grant with its ledger. */
export type CreditGrant = Schemas['CreditGrant'];
/** POST /v1/customers/{id}/credit-grants */
export type CreateCreditGrant = Schemas['CreateCreditGrant'];
/** GET /v1/customers/{id}/credits */
export type Credits = Schemas['Credits'];
/** GET /v1/customers/{id}/entitlements */
export type Entitlements = Schemas['Entitlements'];
/** The VAT a customer is charged now (read-only, on every customer). */
export type TaxTreatment = Schemas['TaxTreatment'];
/** The invoice math after the lines, shared by invoices and the upcoming invoice. */
export type InvoiceTotals = Partial<Pick<Invoice, 'balance_applied'>> &
  Pick<
    Invoice,
    | 'subtotal'
    | 'discount_total'
    | 'promotional_credits'
    | 'taxable_amount'
    | 'tax_rate'
    | 'tax'
    | 'total'
    | 'paid_credits'
    | 'credits_applied'
    | 'amount_due'
    | 'discounts'
    | 'credits'
    | 'tax_breakdown'
  >;

/** A one-off charge (GET /v1/customers/{id}/charges). */
export type OneOffCharge = Schemas['Charge'];
/** POST /v1/customers/{id}/charges */
export type CreateCharge = Schemas['CreateCharge'];
/** POST /v1/customers/{id}/charges answers the charge and, with invoice_now, its invoice. */
export type CreatedCharge = Schemas['CreatedCharge'];
/** POST /v1/invoices/{id}/lines */
export type AddDraftLine = Schemas['AddDraftLine'];

/** GET /v1/credit-notes/{id}; GET /v1/credit-notes and GET /v1/invoices/{id}/credit-notes list them. */
export type CreditNote = Schemas['CreditNote'];
/** POST /v1/invoices/{id}/credit-notes */
export type CreateCreditNote = Schemas['CreateCreditNote'];
export type CreditNoteMethod = CreateCreditNote['method'];
/** A credit note as an invoice names it (`credit_notes` of an invoice). */
export type InvoiceCreditNote = NonNullable<Invoice['credit_notes']>[number];
/** GET /v1/customers/{id}/balance */
export type CustomerBalance = Schemas['CustomerBalance'];

/** GET /v1/reports/receivables (accounts receivable aging) */
export type ReceivablesReport = Schemas['ReceivablesReport'];
export type ReceivablesTotal = Schemas['ReceivablesTotal'];
export type ReceivableInvoice = Schemas['ReceivableInvoice'];

/** Outbound webhooks (views/webhooks.tsx). */
export type WebhookEndpoint = Schemas['WebhookEndpoint'];
export type CreatedWebhookEndpoint = Schemas['CreatedWebhookEndpoint'];
export type WebhookEndpointList = Schemas['WebhookEndpointList'];
export type WebhookDelivery = Schemas['WebhookDelivery'];
export type WebhookDeliveryList = Schemas['WebhookDeliveryList'];
export type CreateWebhookEndpoint = Schemas['CreateWebhookEndpoint'];
export type Alert = Schemas['Alert'];
export type AlertList = Schemas['AlertList'];
export type CreateAlert = Schemas['CreateAlert'];
export type AlertCheckResult = Schemas['AlertCheckResult'];
