import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export interface BillingMonitoringProps {
  /** Functions to alarm on (Errors >= 1, Throttles >= 1), keyed by a stable short name. */
  readonly functions: Readonly<Record<string, lambda.IFunction>>;
  /** Dead-letter queues to alarm on (any visible message), keyed by a stable short name. */
  readonly deadLetterQueues: Readonly<Record<string, IQueue>>;
  /**
   * Stream-fed functions to alarm on when they fall behind (IteratorAge Maximum above
   * streamLagThreshold in 3 consecutive periods), keyed by a stable short name.
   * @default - none
   */
  readonly streamConsumers?: Readonly<Record<string, lambda.IFunction>>;
  /** @default Duration.minutes(15) */
  readonly streamLagThreshold?: Duration;
  readonly closeStateMachine: IStateMachine;
  readonly table: ITableV2;
  /**
   * The events table (raw usage events): ingestion writes there, so its throttles alarm too.
   * @default - no alarms on a second table
   */
  readonly eventsTable?: ITableV2;
  /**
   * Indexes of `table` whose throttled reads and writes alarm too. DynamoDB reports an index's
   * throttles under the index (TableName + GlobalSecondaryIndexName), not the table's own metric; they
   * matter on a provisioned table, where each index has capacity of its own.
   * @default - none
   */
  readonly tableIndexes?: readonly string[];
  /**
   * Subscribe this address to the alarm topic (the recipient confirms by email).
   * @default - no subscription
   */
  readonly alarmEmail?: string;
  /** @default Duration.minutes(5) */
  readonly period?: Duration;
}

/**
 * Alarms on everything that means "a customer will not get a right invoice on time": failed or
 * throttled functions, messages in a DLQ, a stream consumer falling behind (the event archive),
 * failed billing runs, throttled table requests. All go to one SNS topic (KMS-encrypted, TLS only).
 */
export class BillingMonitoring extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: BillingMonitoringProps) {
    super(scope, id);
    const period = props.period ?? Duration.minutes(5);

    const key = new kms.Key(this, 'TopicKey', {
      description: 'Encrypts billing alarm notifications',
      enableKeyRotation: true,
    });
    // CloudWatch alarms publish to encrypted topics only if the key lets cloudwatch.amazonaws.com use it.
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    this.topic = new sns.Topic(this, 'AlarmTopic', {
      displayName: 'Billing alarms',
      masterKey: key,
      enforceSSL: true,
    });
    if (props.alarmEmail !== undefined) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    }

    for (const [name, fn] of Object.entries(props.functions)) {
      this.alarm(`${name}Errors`, fn.metricErrors({ period, statistic: 'Sum' }), {
        description: `The ${name} function failed`,
      });
      this.alarm(`${name}Throttles`, fn.metricThrottles({ period, statistic: 'Sum' }), {
        description: `The ${name} function was throttled`,
      });
    }
    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      this.alarm(`${name}Depth`, queue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }), {
        description: `Messages are waiting in the ${name} dead-letter queue`,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        threshold: 0,
      });
    }
    const lag = props.streamLagThreshold ?? Duration.minutes(15);
    for (const [name, fn] of Object.entries(props.streamConsumers ?? {})) {
      this.alarm(`${name}IteratorAge`, fn.metric('IteratorAge', { period, statistic: 'Maximum' }), {
        description: `The ${name} function is more than ${lag.toMinutes()} minutes behind its stream (records expire after 24 hours)`,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        threshold: lag.toMilliseconds(),
        evaluationPeriods: 3,
      });
    }
    this.alarm('CloseWorkflowExecutionsFailed', props.closeStateMachine.metricFailed({ period, statistic: 'Sum' }), {
      description: 'A billing run (close workflow execution) failed',
    });
    this.alarm(
      'CloseWorkflowExecutionsTimedOut',
      props.closeStateMachine.metricTimedOut({ period, statistic: 'Sum' }),
      {
        description: 'A billing run (close workflow execution) timed out',
      },
    );
    for (const metricName of ['ReadThrottleEvents', 'WriteThrottleEvents']) {
      this.alarm(`Table${metricName}`, props.table.metric(metricName, { period, statistic: 'Sum' }), {
        description: `DynamoDB ${metricName} on the billing table`,
      });
      if (props.eventsTable !== undefined) {
        this.alarm(`EventsTable${metricName}`, props.eventsTable.metric(metricName, { period, statistic: 'Sum' }), {
          description: `DynamoDB ${metricName} on the events table (raw usage events)`,
        });
      }
      for (const indexName of props.tableIndexes ?? []) {
        const metric = props.table.metric(metricName, {
          period,
          statistic: 'Sum',
          dimensionsMap: { TableName: props.table.tableName, GlobalSecondaryIndexName: indexName },
        });
        this.alarm(`Table${indexName}${metricName}`, metric, {
          description: `DynamoDB ${metricName} on index ${indexName} of the billing table`,
        });
      }
    }
  }

  private alarm(
    id: string,
    metric: cloudwatch.IMetric,
    options: {
      description: string;
      comparisonOperator?: cloudwatch.ComparisonOperator;
      threshold?: number;
      evaluationPeriods?: number;
    },
  ): void {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric,
      alarmDescription: options.description,
      threshold: options.threshold ?? 1,
      evaluationPeriods: options.evaluationPeriods ?? 1,
      comparisonOperator:
        options.comparisonOperator ?? cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    this.alarms.push(alarm);
  }
}
