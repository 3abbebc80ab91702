import { Duration } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { bindDeliveryQueue, bindEventArchive, bindTable } from '../bindings.js';
import { BillingFunction } from './billing-function.js';

export interface EstimatesRefreshProps {
  readonly table: ITableV2;
  /** The event archive, read when rating percentage prices from raw events. */
  readonly archiveBucket: IBucket;
  /** The delivery queue: usage alerts the refresh fires are handed to it at once. */
  readonly deliveryQueue: IQueue;
  /** Runtime configuration shared by all functions. */
  readonly environment: Readonly<Record<string, string>>;
  /** @default Duration.hours(1) */
  readonly interval?: Duration;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * Re-rates every active subscription's current period on a fixed rate and stores the estimates the
 * dashboard reads (the upcoming report, the customer list): a page load then reads one snapshot
 * instead of rating thousands of subscriptions. An EventBridge rule invokes it (a resource policy on
 * the function allows events.amazonaws.com from this rule only); the API can also refresh on request.
 */
export class EstimatesRefresh extends Construct {
  readonly refreshFunction: BillingFunction;
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: EstimatesRefreshProps) {
    super(scope, id);
    const interval = props.interval ?? Duration.hours(1);
    if (interval.toMinutes() < 5) {
      throw new Error(`${this.node.path}: interval must be at least five minutes`);
    }
    this.refreshFunction = new BillingFunction(this, 'Refresh', {
      handler: 'refreshEstimates',
      description: "Rates every active subscription's current period and stores the estimates for the dashboard",
      environment: props.environment,
      // 10,000 subscriptions took about 40 s locally (bench/reports); leave room for many more.
      timeout: Duration.minutes(10),
      memorySize: 1024,
      logRetention: props.logRetention,
    });
    bindTable(this.refreshFunction, props.table, 'readWrite');
    bindEventArchive(this.refreshFunction, props.archiveBucket, 'read');
    bindDeliveryQueue(this.refreshFunction, props.deliveryQueue);

    this.rule = new events.Rule(this, 'Schedule', {
      description: 'Refreshes the current-period estimates',
      schedule: events.Schedule.rate(interval),
      // A missed refresh is made good by the next one: no retries that could overlap it.
      targets: [new targets.LambdaFunction(this.refreshFunction.function, { retryAttempts: 0 })],
    });
  }
}
