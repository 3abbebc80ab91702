import { ArnFormat, Fn, Stack } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { BillingFunction } from './constructs/billing-function.js';
import type { EmailSender } from './constructs/email-sender.js';
import { acknowledgeWildcardResource } from './nag.js';

/**
 * Grants and environment variables travel together: a function learns a resource's name exactly
 * when it gets the permission to use it (Powertools' `bindTable` habit).
 */

export type TableAccess = 'read' | 'write' | 'readWrite';

export function bindTable(fn: BillingFunction, table: ITableV2, access: TableAccess): void {
  if (access === 'read') table.grantReadData(fn.function);
  else if (access === 'write') table.grantWriteData(fn.function);
  else table.grantReadWriteData(fn.function);
  // Reads include PartiQL SELECTs: the usage store batches the sparse reads of many customers into
  // statements of 50 partitions (functions/adapters/dynamodb/sparse-reads.ts). Never PartiQL writes.
  if (access !== 'write') table.grant(fn.function, 'dynamodb:PartiQLSelect');
  fn.addEnvironment('BILLING_TABLE_NAME', table.tableName);
  acknowledgeWildcardResource(
    fn.role,
    `${table.tableArn}/index/*`,
    'The table grant covers its global secondary indexes (GSI1, GSI2, GSI3) by the pattern <table ARN>/index/*, which names no other table.',
  );
}

/**
 * The events table (raw usage events until their TTL): BILLING_EVENTS_TABLE_NAME. It has no index,
 * so the grant names the table alone (no `<table ARN>/index/*` pattern to acknowledge).
 */
export function bindEventsTable(fn: BillingFunction, eventsTable: ITableV2, access: TableAccess): void {
  if (access === 'read') eventsTable.grantReadData(fn.function);
  else if (access === 'write') eventsTable.grantWriteData(fn.function);
  else eventsTable.grantReadWriteData(fn.function);
  fn.addEnvironment('BILLING_EVENTS_TABLE_NAME', eventsTable.tableName);
}

/** Producer side of the invoice delivery queue. */
export function bindDeliveryQueue(fn: BillingFunction, queue: IQueue): void {
  queue.grantSendMessages(fn.function);
  fn.addEnvironment('BILLING_DELIVERY_QUEUE_URL', queue.queueUrl);
}

/** Operator access to the delivery dead-letter queue: list (receive + release) and redrive (delete after re-sending). */
export function bindDeadLetterQueue(fn: BillingFunction, deadLetterQueue: IQueue): void {
  deadLetterQueue.grantConsumeMessages(fn.function);
  fn.addEnvironment('BILLING_DEAD_LETTER_QUEUE_URL', deadLetterQueue.queueUrl);
}

/** Starts billing runs and reads their status (states:StartExecution + DescribeExecution). */
export function bindCloseStateMachine(fn: BillingFunction, stateMachine: IStateMachine): void {
  stateMachine.grantStartExecution(fn.function);
  // Executions of this state machine only: arn:...:execution:<state machine name>:*
  const executionArns = Stack.of(fn).formatArn({
    service: 'states',
    resource: 'execution',
    resourceName: `${Fn.select(6, Fn.split(':', stateMachine.stateMachineArn))}:*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
  iam.Grant.addToPrincipal({
    grantee: fn.function,
    actions: ['states:DescribeExecution'],
    resourceArns: [executionArns],
  });
  acknowledgeWildcardResource(
    fn.role,
    executionArns,
    'DescribeExecution needs the execution ARN, which is only known at run time; the pattern is limited to executions of the close state machine.',
  );
  fn.addEnvironment('BILLING_STATE_MACHINE_ARN', stateMachine.stateMachineArn);
}

/** ses:SendEmail / ses:SendRawEmail on the sender identity and the configuration set only. */
export function bindEmailSender(fn: BillingFunction, sender: EmailSender): void {
  sender.grantSend(fn.function);
  fn.addEnvironment('BILLING_SENDER_EMAIL', sender.senderEmail);
  fn.addEnvironment('BILLING_SES_CONFIGURATION_SET', sender.configurationSet.configurationSetName);
}

/** Lets the API start the estimates refresh in the background (lambda:InvokeFunction on that function only). */
export function bindEstimatesRefresh(fn: BillingFunction, refresh: BillingFunction): void {
  // The unqualified function ARN only (grantInvoke would add `<arn>:*` for every version and alias).
  iam.Grant.addToPrincipal({
    grantee: fn.function,
    actions: ['lambda:InvokeFunction'],
    resourceArns: [refresh.function.functionArn],
  });
  fn.addEnvironment('BILLING_ESTIMATES_FUNCTION_NAME', refresh.function.functionName);
}

/** Lets `fn` render documents with the documents function (synchronous invocations; BILLING_DOCUMENTS_FUNCTION_NAME). */
export function bindDocuments(fn: BillingFunction, documents: BillingFunction): void {
  // The unqualified function ARN only, as for the estimates refresh.
  iam.Grant.addToPrincipal({
    grantee: fn.function,
    actions: ['lambda:InvokeFunction'],
    resourceArns: [documents.function.functionArn],
  });
  fn.addEnvironment('BILLING_DOCUMENTS_FUNCTION_NAME', documents.function.functionName);
}

/**
 * The archiver's backfill: dynamodb:Scan on the events table, nothing else of it
 * (BILLING_EVENTS_TABLE_NAME). Its stream is read by the event source mapping's own grant.
 */
export function bindEventsTableScan(fn: BillingFunction, eventsTable: ITableV2): void {
  iam.Grant.addToPrincipal({ grantee: fn.function, actions: ['dynamodb:Scan'], resourceArns: [eventsTable.tableArn] });
  fn.addEnvironment('BILLING_EVENTS_TABLE_NAME', eventsTable.tableName);
}

/**
 * Lets `fn` start archive backfills with the archiver function (synchronous invocations;
 * BILLING_ARCHIVE_FUNCTION_NAME): the archiver writes the archive, `fn` keeps read access only.
 */
export function bindArchiveBackfill(fn: BillingFunction, archiver: BillingFunction): void {
  iam.Grant.addToPrincipal({
    grantee: fn.function,
    actions: ['lambda:InvokeFunction'],
    resourceArns: [archiver.function.functionArn],
  });
  fn.addEnvironment('BILLING_ARCHIVE_FUNCTION_NAME', archiver.function.functionName);
}

export type ArchiveAccess = 'read' | 'write';

/** Key prefix of the archived raw events: `events/customer=<c>/date=<yyyy-mm-dd>/<sha256>.jsonl.gz`. */
export const EVENT_ARCHIVE_PREFIX = 'events/';

/**
 * The event archive (S3), raw usage events under `events/` only. `write` (the archiver):
 * s3:PutObject. `read` (reconcile, percentage prices): s3:GetObject, and s3:ListBucket limited to
 * listings under `events/` (the reader lists a customer's day prefix; without ListBucket a missing
 * key would answer 403 instead of 404). Nobody may delete or overwrite with another role.
 */
export function bindEventArchive(fn: BillingFunction, bucket: IBucket, access: ArchiveAccess): void {
  const objects = bucket.arnForObjects(`${EVENT_ARCHIVE_PREFIX}*`);
  if (access === 'write') {
    iam.Grant.addToPrincipal({ grantee: fn.function, actions: ['s3:PutObject'], resourceArns: [objects] });
  } else {
    iam.Grant.addToPrincipal({ grantee: fn.function, actions: ['s3:GetObject'], resourceArns: [objects] });
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${EVENT_ARCHIVE_PREFIX}*`] } },
      }),
    );
  }
  acknowledgeWildcardResource(
    fn.role,
    objects,
    `The archive grant covers the raw-event objects <archive bucket ARN>/${EVENT_ARCHIVE_PREFIX}* of this one bucket; their keys (customer, day, content hash) are only known at run time.`,
  );
  fn.addEnvironment('BILLING_ARCHIVE_BUCKET', bucket.bucketName);
}

/**
 * The deployment's secret (Stripe keys, the portal's signing secret): secretsmanager:GetSecretValue on
 * that one secret; the function reads it once at cold start (functions/adapters/aws/secrets.ts).
 */
export function bindSecrets(fn: BillingFunction, secret: ISecret): void {
  secret.grantRead(fn.function);
  fn.addEnvironment('BILLING_SECRETS_ARN', secret.secretArn);
}

/** Puts events on the deployment's event bus: events:PutEvents on that bus only. */
export function bindEventBus(fn: BillingFunction, bus: IEventBus): void {
  bus.grantPutEventsTo(fn.function);
  fn.addEnvironment('BILLING_EVENT_BUS_NAME', bus.eventBusName);
}
