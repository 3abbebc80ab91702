import { Duration } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { bindDeliveryQueue, bindSecrets, bindTable } from '../bindings.js';
import { BillingFunction } from './billing-function.js';

export interface DunningProps {
  readonly table: ITableV2;
  /** Where the reminder emails are handed to the delivery function. */
  readonly deliveryQueue: IQueue;
  /** Stripe keys: the `retry` step collects through Stripe. */
  readonly secrets: ISecret;
  /** Runtime configuration shared by all functions (BILLING_DUNNING_SCHEDULE among it). */
  readonly environment: Readonly<Record<string, string>>;
  /** @default Duration.hours(1) */
  readonly interval?: Duration;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * The dunning run on a fixed rate: reminders, payment retries and suspensions of overdue invoices.
 * Each step is recorded once on its invoice, so running it more often only makes steps happen closer
 * to their day (a step is due from the start of its local day). An EventBridge rule invokes it (a
 * resource policy on the function allows events.amazonaws.com from this rule only).
 */
export class Dunning extends Construct {
  readonly runFunction: BillingFunction;
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: DunningProps) {
    super(scope, id);
    const interval = props.interval ?? Duration.hours(1);
    if (interval.toMinutes() < 5) {
      throw new Error(`${this.node.path}: interval must be at least five minutes`);
    }
    this.runFunction = new BillingFunction(this, 'Run', {
      handler: 'dunning',
      description: 'Runs dunning: reminders, payment retries and suspensions of overdue invoices',
      environment: props.environment,
      timeout: Duration.minutes(5),
      logRetention: props.logRetention,
    });
    bindTable(this.runFunction, props.table, 'readWrite');
    bindDeliveryQueue(this.runFunction, props.deliveryQueue);
    bindSecrets(this.runFunction, props.secrets);

    this.rule = new events.Rule(this, 'Schedule', {
      description: 'Runs dunning',
      schedule: events.Schedule.rate(interval),
      targets: [new targets.LambdaFunction(this.runFunction.function, { retryAttempts: 2 })],
    });
  }
}
