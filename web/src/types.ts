import type { components, operations } from './api-types';

/**
 * Wire shapes of the billing API (snake_case; amounts are decimal strings).
 *
 * What the OpenAPI document describes comes from the types generated from it (api-types.ts, `npm run
 * api-types`): request bodies, query parameters, the error body, and the enumerations requests and
 * responses share. The document does not describe response bodies (no route declares a response
 * schema), so the response shapes below are still written by hand.
 */
type Schemas = components['schemas'];
/** The query parameters of an operation (operationId as in GET /openapi.json). */
type QueryOf<Operation extends keyof operations> = NonNullable<operations[Operation]['parameters']['query']>;

/** The body of every 4xx (and of a 5xx, with code internal_error and the request id). */
export type ApiErrorBody = Schemas['Error'];
/** POST /v1/invoices/{id}/mark-paid */
export type MarkInvoicePaid = Schemas['MarkInvoicePaid'];
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

export interface Customer {
  id: string;
  name: string;
  email: string;
  currency: string;
  timezone: string;
  locale: string;
  tax_rate?: string;
  billed_through?: string;
}

export interface Meter {
  key: string;
  name: string;
  event_type: string;
  aggregation: Aggregation;
  value_property?: string;
  group_by: string[];
}

export interface PriceDetail {
  /** What the line explains: usage, tier, band (time_of_use), group (matrix), percentage, fixed_fee... */
  kind?: string;
  description: string;
  quantity: string;
  unit_price?: string;
  flat_fee?: string;
  precise_amount: string;
  amount: string;
  /** time_of_use: the band the usage fell in (absent: outside all bands, the default price). */
  band?: string;
  /** matrix: the dimension values of the group. */
  dimensions?: Record<string, string>;
  events?: number;
  /** The price model of a band or matrix group. */
  model?: string;
  lines?: PriceDetail[];
}

export interface InvoiceLine {
  kind: string;
  description: string;
  meter?: string;
  quantity: string;
  unit_price?: string;
  precise_amount: string;
  amount: string;
  period_start: string;
  period_end: string;
  details: PriceDetail[];
}

export interface Invoice {
  id: string;
  number: string;
  status: InvoiceStatus;
  customer: string;
  plan: string;
  plan_version: number;
  currency: string;
  issue_date: string;
  due_date: string;
  issued_at: string;
  period_start: string;
  period_end: string;
  buyer: { name: string; email?: string };
  lines: InvoiceLine[];
  subtotal: string;
  tax_rate?: string;
  tax: string;
  total: string;
  delivery: { status: string; attempts: number; sent_at?: string };
  voided?: { at: string; reason: string };
  payment?: { paid_at: string; reference: string };
}

export interface Upcoming {
  customer: string;
  subscription: string;
  plan: string;
  plan_version: number;
  currency: string;
  period_start: string;
  period_end: string;
  usage_through: string;
  lines: InvoiceLine[];
  subtotal: string;
  tax_rate?: string;
  tax: string;
  total: string;
  notes: string[];
}

export interface Subscription {
  id: string;
  customer: string;
  status: string;
  plan: string;
  plan_version: number;
  timezone: string;
  interval: string;
  interval_count: number;
  current_period: { start: string; end: string };
  ends_at?: string;
  canceled_at?: string;
  pending_change?: { plan: string; plan_version: number };
}

export interface UsageSeries {
  customer: string;
  meter: string;
  aggregation: Aggregation;
  granularity: Granularity;
  timezone: string;
  series: Array<{ start: string; end: string; value: string; events: number; dimensions: Record<string, string> }>;
}

export interface Charge {
  meter: string;
  display_name?: string;
  price: { model: string; [field: string]: unknown };
}

export interface Plan {
  key: string;
  version: number;
  name?: string;
  currency: string;
  interval: string;
  interval_count?: number;
  base_fee?: { amount: string; timing?: string };
  minimum_commitment?: string;
  charges: Charge[];
  versions?: number[];
}

export interface RevenueGroup {
  key: string;
  label: string;
  currency: string;
  count: number;
  subtotal: string;
  tax: string;
  total: string;
  paid: string;
  outstanding: string;
}

export interface RevenueReport {
  groups: RevenueGroup[];
  totals: Omit<RevenueGroup, 'key' | 'label'>[];
  void_count: number;
}

export interface IngestionReport {
  days: Array<{
    day: string;
    accepted: number;
    duplicate: number;
    rejected: Record<string, number>;
    rejected_total: number;
  }>;
  totals: { accepted: number; duplicate: number; rejected: number; rejected_by_code: Record<string, number> };
}

/** A customer's current period as the latest refresh of the estimates rated it (GET /v1/customers?include=estimate). */
export interface Estimate {
  customer: string;
  name: string;
  subscription: string;
  plan: string;
  plan_version: number;
  currency: string;
  period_start: string;
  period_end: string;
  usage_through: string;
  /** Usage so far per meter (key) of the plan's charges. */
  usage: Array<{ meter: string; quantity: string }>;
  subtotal: string;
  total: string;
  /** The refresh this estimate belongs to. */
  as_of: string;
}

export interface CustomerWithEstimate extends Customer {
  /** null: no active subscription (or not rated in the latest refresh). */
  estimate: Estimate | null;
}

export interface UpcomingReport {
  /** When the estimates were rated. */
  as_of: string;
  duration_ms: number;
  totals: Array<{ currency: string; count: number; subtotal: string; total: string }>;
  top: Estimate[];
  /** How many subscriptions were active (rated or not). */
  subscriptions: number;
  /**
   * Subscriptions that could not be rated, left out of the totals (at most 100 are kept): `rating_failed`
   * (a plan or usage problem) or `storage_unavailable` (passing). `error` is a sentence for people.
   */
  failed: Array<{
    subscription: string;
    customer: string;
    code: 'rating_failed' | 'storage_unavailable';
    error: string;
  }>;
}

/** One subscription's outcome in a billing run. */
export interface RunResult {
  subscription_id: string;
  status: 'invoiced' | 'skipped' | 'failed';
  invoice_id?: string;
  invoice_number?: string;
  /** A failure the close recognised (e.g. rating_failed), with a message naming the problem. */
  code?: string;
  message?: string;
  /** A crash the state machine caught: the error's name, and Step Functions' cause (a JSON string). */
  error?: string;
  cause?: string;
  /** Why a subscription was skipped. */
  reason?: string;
}

/** A billing run (GET /v1/billing-runs): one close of every subscription whose period ended by `as_of`. */
export interface Run {
  id: string;
  as_of: string;
  /** interrupted: the process running it died (the next run resumes its work). */
  status: 'running' | 'succeeded' | 'failed' | 'interrupted';
  started_at: string;
  finished_at?: string;
  error?: string;
  summary: { invoiced: number; skipped: number; failed: number };
  results: RunResult[];
}

export interface Evaluation {
  currency: string;
  quantity: string;
  amount: string;
  precise_amount: string;
  lines: PriceDetail[];
}
