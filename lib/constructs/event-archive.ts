import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, type DynamoEventSourceProps, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import { bindEventArchive, bindEventsTableScan, EVENT_ARCHIVE_PREFIX } from '../bindings.js';
import { BillingFunction } from './billing-function.js';
import { TABLE_SCHEMA } from './billing-table.js';

/** Raw usage event items of the events table: PK `EVENT#<source>#<id>`, SK `EVENT`. */
export const RAW_EVENT_PK_PREFIX = 'EVENT#';

/** Archived events older than this move to S3 Glacier Instant Retrieval (when retention is longer). */
export const ARCHIVE_INSTANT_RETRIEVAL_AFTER_DAYS = 90;

export interface EventArchiveProps {
  /** The events table (BillingTable.eventsTable); its stream (NEW_IMAGE) must be enabled. */
  readonly eventsTable: dynamodb.ITableV2;
  /** Runtime configuration shared by all functions. */
  readonly environment: Readonly<Record<string, string>>;
  /** Days an archived event is kept (the `events/` lifecycle expiration); whole number >= 1. */
  readonly retentionDays: number;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** Retention of the archive bucket's S3 server access logs. @default Duration.days(365) */
  readonly accessLogRetention?: Duration;
  /**
   * Removal policy of the archive and its access-log bucket. No auto-delete custom resource: with
   * DESTROY, deleting the stack fails while the buckets still hold objects.
   * @default RemovalPolicy.RETAIN (archived events are billing evidence)
   */
  readonly removalPolicy?: RemovalPolicy;
  /** Stream batches retried before they go to the dead-letter queue (after bisecting). @default 10 */
  readonly retryAttempts?: number;
  /**
   * Upgrade window only: the billing table of a release that kept raw events there, with its stream
   * (NEW_IMAGE) kept on. A second mapping (same settings and filters) archives what still arrives on
   * it: events the previous release's API writes while the deployment replaces it, and changes to the
   * raw events left there until their TTL.
   * @default - the archive reads the events table's stream only
   */
  readonly legacyTable?: dynamodb.ITableV2;
}

/**
 * The event archive: every raw usage event inserted into the events table reaches S3 through that
 * table's stream (the billing table has none). The archiver writes gzip JSON lines named by their
 * content's SHA-256, so a retried batch rewrites identical objects (or, after a bisect, writes an
 * event in a second object: readers keep each `source`/`id` once). Batches that keep failing land in a dead-letter queue (the stream
 * record's position, not the event itself: the events table still holds the event until its TTL).
 */
export class EventArchive extends Construct {
  readonly bucket: s3.Bucket;
  readonly logBucket: s3.Bucket;
  readonly archiveFunction: BillingFunction;
  /** Batches the archiver gave up on (stream shard and sequence numbers, for a manual replay). */
  readonly deadLetterQueue: sqs.Queue;
  readonly eventSource: DynamoEventSource;
  /** The mapping on the legacy billing table's stream (legacyTable), if any. */
  readonly legacyEventSource?: DynamoEventSource;
  readonly retentionDays: number;

  constructor(scope: Construct, id: string, props: EventArchiveProps) {
    super(scope, id);
    const { retentionDays } = props;
    if (!Number.isInteger(retentionDays) || retentionDays < 1) {
      throw new Error(`${this.node.path}: retentionDays must be a whole number >= 1, got ${retentionDays}`);
    }
    if (!hasNewImageStream(props.eventsTable)) {
      throw new Error(`${this.node.path}: the events table needs its stream enabled with new images (NEW_IMAGE)`);
    }
    if (props.legacyTable !== undefined && !hasNewImageStream(props.legacyTable)) {
      throw new Error(`${this.node.path}: the legacy table needs its stream enabled with new images (NEW_IMAGE)`);
    }
    const retryAttempts = props.retryAttempts ?? 10;
    if (!Number.isInteger(retryAttempts) || retryAttempts < 0 || retryAttempts > 10_000) {
      throw new Error(`${this.node.path}: retryAttempts must be a whole number between 0 and 10000`);
    }
    const logRetention = props.accessLogRetention ?? Duration.days(365);
    const logRetentionDays = logRetention.toDays({ integral: false });
    if (!Number.isInteger(logRetentionDays) || logRetentionDays < 1) {
      throw new Error(`${this.node.path}: accessLogRetention must be a whole number of days >= 1`);
    }
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.retentionDays = retentionDays;

    // As in DashboardHosting: server access logs are delivered through a bucket policy
    // (logging.s3.amazonaws.com) instead of the LogDeliveryWrite ACL (set for this subtree only).
    this.node.setContext(cxapi.S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);
    this.logBucket = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: logRetention }],
      removalPolicy,
    });
    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // No versioning: objects are named by the SHA-256 of their content and never change, so a
      // rewrite (retried batch) stores the same bytes; versions would only keep duplicates past
      // the expiration (noncurrent versions) and need their own lifecycle rule.
      versioned: false,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 's3/',
      lifecycleRules: [
        {
          id: 'ExpireEvents',
          prefix: EVENT_ARCHIVE_PREFIX,
          expiration: Duration.days(retentionDays),
          // Reads of old events are rare (reconcile and percentage rating of closed periods,
          // audits): Instant Retrieval stores them for less and still answers in milliseconds.
          transitions:
            retentionDays > ARCHIVE_INSTANT_RETRIEVAL_AFTER_DAYS
              ? [
                  {
                    storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL,
                    transitionAfter: Duration.days(ARCHIVE_INSTANT_RETRIEVAL_AFTER_DAYS),
                  },
                ]
              : undefined,
        },
        { id: 'AbortIncompleteUploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy,
    });

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });

    this.archiveFunction = new BillingFunction(this, 'ArchiveFunction', {
      handler: 'archiveEvents',
      description: 'Copies raw usage events from the events table stream into the S3 event archive',
      environment: props.environment,
      // Up to 1,000 records per batch, gzip in memory, a few PutObject calls.
      memorySize: 512,
      timeout: Duration.seconds(60),
      logRetention: props.logRetention,
    });
    bindEventArchive(this.archiveFunction, this.bucket, 'write');
    // The backfill (POST /v1/event-archive/backfill) scans the events table for events to copy again.
    bindEventsTableScan(this.archiveFunction, props.eventsTable);

    const mapping: DynamoEventSourceProps = {
      // TRIM_HORIZON: the first deployment also archives what the stream already holds (up to 24 h),
      // and a mapping re-created later starts from the oldest record instead of skipping events
      // written in between; rewriting an event already archived is harmless (content-named objects).
      startingPosition: lambda.StartingPosition.TRIM_HORIZON,
      batchSize: 1000,
      maxBatchingWindow: Duration.seconds(5),
      bisectBatchOnError: true,
      retryAttempts,
      // The handler fails whole batches (writes are idempotent), it reports no item failures.
      reportBatchItemFailures: false,
      onFailure: new SqsDlq(this.deadLetterQueue),
      // Inserts of raw events, and their cancellations (a change that leaves `cancelled_at` on the
      // item: archived as a cancellation record). TTL deletions never invoke it. The events table holds
      // nothing but raw events; the prefix filter keeps counters, customers... of the billing table out
      // of the legacy mapping.
      filters: [
        lambda.FilterCriteria.filter({
          eventName: lambda.FilterRule.isEqual('INSERT'),
          dynamodb: { Keys: { [TABLE_SCHEMA.partitionKey]: { S: lambda.FilterRule.beginsWith(RAW_EVENT_PK_PREFIX) } } },
        }),
        lambda.FilterCriteria.filter({
          eventName: lambda.FilterRule.isEqual('MODIFY'),
          dynamodb: {
            Keys: { [TABLE_SCHEMA.partitionKey]: { S: lambda.FilterRule.beginsWith(RAW_EVENT_PK_PREFIX) } },
            NewImage: { cancelled_at: { S: lambda.FilterRule.exists() } },
          },
        }),
      ],
    };
    this.eventSource = new DynamoEventSource(props.eventsTable, mapping);
    this.archiveFunction.function.addEventSource(this.eventSource);
    if (props.legacyTable !== undefined) {
      // Its construct ID follows the table, so this is the mapping the previous release created:
      // kept as it was, it goes on reading the stream without a gap during the upgrade.
      this.legacyEventSource = new DynamoEventSource(props.legacyTable, mapping);
      this.archiveFunction.function.addEventSource(this.legacyEventSource);
    }

    this.acknowledgeNagFindings();
  }

  private acknowledgeNagFindings(): void {
    Validations.of(this.logBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket is the access-log destination of the event archive bucket; logging its own accesses into itself would loop and into another bucket would only move the finding.',
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is the on-failure destination of the archiver stream mapping (a dead-letter queue); a DLQ has no DLQ of its own.',
    });
  }
}

/**
 * TableV2 always exposes a stream ARN attribute, so the stream is checked on the table resource
 * itself (an imported table, which has none in this app, is trusted).
 */
function hasNewImageStream(table: dynamodb.ITableV2): boolean {
  if (table.tableStreamArn === undefined) return false;
  const resource = table.node.defaultChild;
  if (!(resource instanceof dynamodb.CfnGlobalTable)) return true;
  // A lazy value on TableV2 (replicas may force a stream): resolve it as it will be rendered.
  const spec = Stack.of(table).resolve(resource.streamSpecification) as { streamViewType?: string } | undefined;
  const viewType = spec?.streamViewType;
  return viewType === dynamodb.StreamViewType.NEW_IMAGE || viewType === dynamodb.StreamViewType.NEW_AND_OLD_IMAGES;
}
