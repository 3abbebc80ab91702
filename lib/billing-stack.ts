import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { bindArchiveBackfill, bindDocuments, bindEstimatesRefresh, bindEventBus } from './bindings.js';
import { type BillingStackConfig, sellerEnvironment } from './config.js';
import { BillingApi } from './constructs/billing-api.js';
import { BillingMonitoring } from './constructs/billing-monitoring.js';
import { BillingSecrets } from './constructs/billing-secrets.js';
import { BillingTable, TABLE_SCHEMA } from './constructs/billing-table.js';
import { CloseWorkflow } from './constructs/close-workflow.js';
import { DashboardHosting } from './constructs/dashboard-hosting.js';
import { DocumentRendering } from './constructs/document-rendering.js';
import { Dunning } from './constructs/dunning.js';
import { EmailSender } from './constructs/email-sender.js';
import { EstimatesRefresh } from './constructs/estimates-refresh.js';
import { EventArchive } from './constructs/event-archive.js';
import { BillingEventBus } from './constructs/event-bus.js';
import { InvoiceDelivery } from './constructs/invoice-delivery.js';
import { OutboxSweep } from './constructs/outbox-sweep.js';

export interface BillingStackProps extends StackProps {
  readonly config: BillingStackConfig;
}

/**
 * Environment every function gets (read once by functions/config.ts at cold start). Resource names
 * (table, queue, state machine) are added by the bind* helpers together with their grants.
 */
export function runtimeEnvironment(config: BillingStackConfig): Record<string, string> {
  const env: Record<string, string> = {
    BILLING_ACCEPTANCE_WINDOW_DAYS: String(config.acceptanceWindowDays),
    BILLING_GRACE_MINUTES: String(config.graceMinutes),
    BILLING_INVOICE_GRACE_HOURS: String(config.invoiceGraceHours),
    BILLING_EVENT_RETENTION_DAYS: String(config.eventRetentionDays),
    BILLING_DUNNING_SCHEDULE: config.dunningSchedule,
    BILLING_SENDER_EMAIL: config.senderEmail,
    ...sellerEnvironment(config.seller),
    // The stack has an event bus: every function writes every change's event, webhook endpoint or not.
    BILLING_EVENT_BUS_ENABLED: '1',
    POWERTOOLS_SERVICE_NAME: 'billing',
    POWERTOOLS_METRICS_NAMESPACE: 'Billing',
    POWERTOOLS_LOG_LEVEL: config.logLevel,
    NODE_OPTIONS: '--enable-source-maps',
  };
  // Lambda rejects nothing here, but an empty seller field is "not configured", not "empty string".
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
}

/** Composes the capabilities; all logic lives in the constructs. */
export class BillingStack extends Stack {
  readonly table: BillingTable;
  readonly secrets: BillingSecrets;
  readonly eventArchive: EventArchive;
  readonly eventBus: BillingEventBus;
  readonly emailSender: EmailSender;
  readonly documents: DocumentRendering;
  readonly delivery: InvoiceDelivery;
  readonly closeWorkflow: CloseWorkflow;
  readonly api: BillingApi;
  readonly outboxSweep: OutboxSweep;
  readonly dunning: Dunning;
  readonly estimates: EstimatesRefresh;
  readonly monitoring: BillingMonitoring;
  readonly dashboard: DashboardHosting;

  constructor(scope: Construct, id: string, props: BillingStackProps) {
    super(scope, id, props);
    const { config } = props;
    const logRetention = toRetentionDays(config.logRetentionDays);

    this.table = new BillingTable(this, 'BillingTable', {
      deletionProtection: config.deletionProtection,
      removalPolicy: config.retainTable ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      // The upgrade window (legacyEventDedupe): the billing table keeps its stream for the archive.
      legacyStream: config.legacyEventDedupe,
      capacity:
        config.tableCapacity === 'provisioned'
          ? {
              mode: 'provisioned',
              writeCapacityMax: config.writeCapacityMax,
              readCapacityMax: config.readCapacityMax,
            }
          : { mode: 'on-demand' },
    });
    this.emailSender = new EmailSender(this, 'EmailSender', {
      senderEmail: config.senderEmail,
      senderDomain: config.senderDomain,
      configurationSetName: `billing-${config.stage}`,
    });
    const environment = runtimeEnvironment(config);
    const table = this.table.table;
    const eventsTable = this.table.eventsTable;
    // Raw usage events: the events table keeps them for deduplication only, the archive (fed by the
    // events table's stream) for re-rating and audits.
    this.eventArchive = new EventArchive(this, 'EventArchive', {
      eventsTable,
      legacyTable: config.legacyEventDedupe ? table : undefined,
      environment,
      logRetention,
      retentionDays: config.eventRetentionDays,
    });
    const archiveBucket = this.eventArchive.bucket;

    this.secrets = new BillingSecrets(this, 'Secrets');
    this.documents = new DocumentRendering(this, 'Documents', { environment, logRetention });
    const renderer = this.documents.renderFunction;
    this.delivery = new InvoiceDelivery(this, 'InvoiceDelivery', {
      table,
      secrets: this.secrets.secret,
      emailSender: this.emailSender,
      environment,
      logRetention,
    });
    bindDocuments(this.delivery.deliverFunction, renderer);
    // Webhook events on EventBridge too, put once per event by the function that fans them out.
    this.eventBus = new BillingEventBus(this, 'EventBus', {
      eventBusName: `billing-${config.stage}`,
      archiveRetentionDays: config.eventBusArchiveDays,
    });
    bindEventBus(this.delivery.deliverFunction, this.eventBus.bus);
    this.closeWorkflow = new CloseWorkflow(this, 'CloseWorkflow', {
      table,
      eventsTable,
      deliveryQueue: this.delivery.queue,
      archiveBucket,
      environment,
      logRetention,
      maxConcurrency: config.closeMaxConcurrency,
      schedule: {
        cron: config.scheduleCronFields,
        timeZone: config.scheduleTimeZone,
        enabled: config.scheduleEnabled,
      },
    });
    this.api = new BillingApi(this, 'Api', {
      table,
      eventsTable,
      deliveryQueue: this.delivery.queue,
      deadLetterQueue: this.delivery.deadLetterQueue,
      closeStateMachine: this.closeWorkflow.stateMachine,
      archiveBucket,
      secrets: this.secrets.secret,
      environment: { ...environment, ...(config.portalUrl ? { BILLING_PORTAL_URL: config.portalUrl } : {}) },
      logRetention,
      adminApiKeyHash: config.adminApiKeyHash,
      legacyEventDedupe: config.legacyEventDedupe,
      throttleRateLimit: config.apiThrottleRateLimit,
      throttleBurstLimit: config.apiThrottleBurstLimit,
    });
    bindDocuments(this.api.apiFunction, renderer);
    bindArchiveBackfill(this.api.apiFunction, this.eventArchive.archiveFunction);
    this.outboxSweep = new OutboxSweep(this, 'OutboxSweep', {
      table,
      deliveryQueue: this.delivery.queue,
      environment,
      logRetention,
    });
    this.dunning = new Dunning(this, 'Dunning', {
      table,
      deliveryQueue: this.delivery.queue,
      secrets: this.secrets.secret,
      environment,
      logRetention,
      interval: Duration.minutes(config.dunningIntervalMinutes),
    });
    this.estimates = new EstimatesRefresh(this, 'Estimates', {
      table,
      archiveBucket,
      deliveryQueue: this.delivery.queue,
      environment,
      logRetention,
      interval: Duration.minutes(config.estimatesRefreshMinutes),
    });
    bindEstimatesRefresh(this.api.apiFunction, this.estimates.refreshFunction);
    this.monitoring = new BillingMonitoring(this, 'Monitoring', {
      functions: {
        Api: this.api.apiFunction.function,
        CloseFindDue: this.closeWorkflow.findDueFunction.function,
        CloseSubscription: this.closeWorkflow.closeSubscriptionFunction.function,
        CloseRecordRun: this.closeWorkflow.recordRunFunction.function,
        Deliver: this.delivery.deliverFunction.function,
        Documents: renderer.function,
        OutboxSweep: this.outboxSweep.sweepFunction.function,
        Dunning: this.dunning.runFunction.function,
        RefreshEstimates: this.estimates.refreshFunction.function,
        ArchiveEvents: this.eventArchive.archiveFunction.function,
      },
      deadLetterQueues: {
        DeliveryDeadLetterQueue: this.delivery.deadLetterQueue,
        ScheduleDeadLetterQueue: this.closeWorkflow.scheduleDeadLetterQueue,
        EventArchiveDeadLetterQueue: this.eventArchive.deadLetterQueue,
      },
      streamConsumers: { ArchiveEvents: this.eventArchive.archiveFunction.function },
      closeStateMachine: this.closeWorkflow.stateMachine,
      table,
      eventsTable,
      // Provisioned, each index has capacity of its own: its throttles are reported per index.
      tableIndexes:
        config.tableCapacity === 'provisioned'
          ? [TABLE_SCHEMA.gsi1.name, TABLE_SCHEMA.gsi2.name, TABLE_SCHEMA.gsi3.name]
          : undefined,
      alarmEmail: config.alarmEmail,
    });
    this.dashboard = new DashboardHosting(this, 'Dashboard', { httpApi: this.api.httpApi });

    new CfnOutput(this, 'ApiUrl', { value: this.api.httpApi.apiEndpoint, description: 'Base URL of the billing API' });
    new CfnOutput(this, 'DashboardUrl', {
      value: `https://${this.dashboard.distribution.distributionDomainName}`,
      description: 'Billing dashboard (and the API under /v1/* on the same origin)',
    });
    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'EventsTableName', { value: eventsTable.tableName });
    new CfnOutput(this, 'CloseStateMachineArn', { value: this.closeWorkflow.stateMachine.stateMachineArn });
    new CfnOutput(this, 'EventArchiveBucketName', { value: archiveBucket.bucketName });
    new CfnOutput(this, 'EventArchiveDeadLetterQueueUrl', { value: this.eventArchive.deadLetterQueue.queueUrl });
    new CfnOutput(this, 'DeliveryDeadLetterQueueUrl', { value: this.delivery.deadLetterQueue.queueUrl });
    new CfnOutput(this, 'EventBusName', { value: this.eventBus.bus.eventBusName });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.monitoring.topic.topicArn });
    new CfnOutput(this, 'SesIdentity', { value: this.emailSender.identity.emailIdentityName });
  }
}

function toRetentionDays(days: number): logs.RetentionDays {
  const match = Object.values(logs.RetentionDays).find((value) => value === days);
  if (match === undefined) throw new Error(`logRetentionDays: ${days} is not a CloudWatch Logs retention period`);
  return match as logs.RetentionDays;
}
