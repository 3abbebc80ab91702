import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { AlertStore } from '../adapters/dynamodb/alerts.js';
import type { ApiKeyStore } from '../adapters/dynamodb/api-keys.js';
import type { ChargeStore } from '../adapters/dynamodb/charges.js';
import type { CreditNoteStore } from '../adapters/dynamodb/credit-notes.js';
import type { CreditStore } from '../adapters/dynamodb/credits.js';
import type { CustomerStore } from '../adapters/dynamodb/customers.js';
import type { EstimateStore } from '../adapters/dynamodb/estimates.js';
import type { InvoiceStore } from '../adapters/dynamodb/invoices.js';
import type { MeterStore } from '../adapters/dynamodb/meters.js';
import type { PaymentStore } from '../adapters/dynamodb/payments.js';
import type { PlanStore } from '../adapters/dynamodb/plans.js';
import type { RevenueStore } from '../adapters/dynamodb/revenue.js';
import type { RunStore } from '../adapters/dynamodb/runs.js';
import type { StatsStore } from '../adapters/dynamodb/stats.js';
import type { SubscriptionStore } from '../adapters/dynamodb/subscriptions.js';
import type { UsageStore } from '../adapters/dynamodb/usage.js';
import type { WebhookStore } from '../adapters/dynamodb/webhooks.js';
import type { DeadLetterQueue } from '../adapters/sqs/delivery-queue.js';
import type { ArchiveBackfillRequest, ArchiveBackfillResult } from '../app/archive-backfill.js';
import type { CloseDeps } from '../app/close-period.js';
import type { DunningPayments } from '../app/dunning.js';
import type { HealthCheck } from '../app/health.js';
import type { Clock } from '../app/ports/clock.js';
import type { DocumentRenderer } from '../app/ports/documents.js';
import type { DeliveryKind } from '../app/ports/invoices.js';
import type { PaymentProvider } from '../app/ports/payments.js';
import type { WorkflowStarter } from '../app/ports/workflow.js';
import type { BillingConfig } from '../config.js';
import type { Invoice } from '../domain/invoice.js';

/** Everything the handlers use, built once per process from the typed config. */
export interface ApiDeps {
  config: BillingConfig;
  clock: Clock;
  dynamo: DynamoDBClient;
  meters: MeterStore;
  customers: CustomerStore;
  apiKeys: ApiKeyStore;
  usage: UsageStore;
  plans: PlanStore;
  subscriptions: SubscriptionStore;
  invoices: InvoiceStore;
  runs: RunStore;
  /** Best-effort ingestion statistics (not billing data). */
  stats: StatsStore;
  /** Revenue counters (exact, written with the invoices) and invoice reads by issue time. */
  revenue: RevenueStore;
  /** Current-period estimates per customer and their snapshot (refreshed on a schedule). */
  estimates: EstimateStore;
  /** Coupons (catalog and applied) and credit grants with their ledger. */
  credits: CreditStore;
  /** One-off charges (pending until an invoice bills them). */
  charges: ChargeStore;
  /** Credit notes and the customer balance. */
  creditNotes: CreditNoteStore;
  /** Payments recorded on invoices, provider events applied once. */
  paymentStore: PaymentStore;
  /** Outbound webhooks: endpoints, events, deliveries. */
  webhooks: WebhookStore;
  /** Usage alerts and their firings. */
  alerts: AlertStore;
  /** The payment provider (Stripe), where STRIPE_SECRET_KEY is set. */
  payments?: PaymentProvider;
  seal(customerId: string, through: Date): Promise<void>;
  /** What `/health` reports: DynamoDB, and the delivery queue where configured. */
  health: HealthCheck;
  enqueueDelivery?(invoice: Invoice): Promise<void>;
  /** The delivery queue (void notices, resends, the outbox sweep); absent when delivery is not configured. */
  deliveryQueue?: { send(invoiceId: string, kind: DeliveryKind): Promise<void> };
  /** The delivery dead-letter queue (admin API: list, redrive). */
  deadLetters?: Pick<DeadLetterQueue, 'list' | 'redrive'>;
  workflow?: WorkflowStarter;
  /** Starts a refresh of the estimates in the background (AWS: the refresh function; `npm start`: the local refresher). Absent: refresh inside the request. */
  estimatesRefresh?: { trigger(): Promise<void> };
  /** Renders PDFs and e-invoices (the documents function). */
  documents: DocumentRenderer;
  /** Copies raw events from the events table to the archive again (the archiver function); absent: no archive here. */
  archiveBackfill?: (request: ArchiveBackfillRequest) => Promise<ArchiveBackfillResult>;
  crashAfter?: CloseDeps['crashAfter'];
  /** Retries collecting an overdue invoice (dunning `retry` steps); absent: those steps are skipped. */
  dunningPayments?: DunningPayments;
}
