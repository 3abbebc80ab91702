import { Duration } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { bindDeliveryQueue, bindTable } from '../bindings.js';
import { BillingFunction } from './billing-function.js';

export interface OutboxSweepProps {
  readonly table: ITableV2;
  readonly deliveryQueue: IQueue;
  /** Runtime configuration shared by all functions. */
  readonly environment: Readonly<Record<string, string>>;
  /** @default Duration.minutes(5) */
  readonly interval?: Duration;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * Re-enqueues invoices still `pending` delivery after a timeout, so a lost SQS message never loses
 * an email. An EventBridge rule invokes it on a fixed rate (no role needed: a resource policy on
 * the function allows events.amazonaws.com from this rule only).
 */
export class OutboxSweep extends Construct {
  readonly sweepFunction: BillingFunction;
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: OutboxSweepProps) {
    super(scope, id);
    const interval = props.interval ?? Duration.minutes(5);
    if (interval.toSeconds() < 60) {
      throw new Error(`${this.node.path}: interval must be at least one minute`);
    }
    this.sweepFunction = new BillingFunction(this, 'Sweep', {
      handler: 'outboxSweep',
      description: 'Re-enqueues invoices whose delivery is still pending after a timeout',
      environment: props.environment,
      timeout: Duration.seconds(60),
      logRetention: props.logRetention,
    });
    bindTable(this.sweepFunction, props.table, 'readWrite');
    bindDeliveryQueue(this.sweepFunction, props.deliveryQueue);

    this.rule = new events.Rule(this, 'Schedule', {
      description: 'Runs the invoice delivery outbox sweep',
      schedule: events.Schedule.rate(interval),
      targets: [new targets.LambdaFunction(this.sweepFunction.function, { retryAttempts: 2 })],
    });
  }
}
