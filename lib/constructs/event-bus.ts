import { Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { EVENT_BUS_SOURCE } from '../../functions/domain/webhook-event.js';

export interface BillingEventBusProps {
  /** The bus's name. @default `billing-events-<stack name>` */
  readonly eventBusName?: string;
  /**
   * Days the archive keeps the bus's events (replays start from it); 0 keeps them indefinitely.
   * @default 90
   */
  readonly archiveRetentionDays?: number;
}

/**
 * The deployment's event bus: every webhook event (Standard Webhooks payload as `detail`, its type as
 * `detail-type`, source `serverless-billing`) is put on it once by the function that processes the
 * outbox, whether or not a webhook endpoint exists. Rules of the account route them anywhere
 * (Lambda, SQS, Step Functions, another account's bus). The archive keeps every event of the bus for
 * replay (EventBridge replays into the same bus; consumers deduplicate on `detail.id`).
 */
export class BillingEventBus extends Construct {
  readonly bus: events.EventBus;
  readonly archive: events.Archive;

  constructor(scope: Construct, id: string, props: BillingEventBusProps = {}) {
    super(scope, id);
    const retentionDays = props.archiveRetentionDays ?? 90;
    if (!Number.isInteger(retentionDays) || retentionDays < 0 || retentionDays > 3650) {
      throw new Error(`${this.node.path}: archiveRetentionDays must be a whole number between 0 and 3650`);
    }
    this.bus = new events.EventBus(this, 'Bus', {
      eventBusName: props.eventBusName ?? `billing-events-${Stack.of(this).stackName}`,
      description: `Billing events (source ${EVENT_BUS_SOURCE}): one per webhook event`,
    });
    this.archive = new events.Archive(this, 'Archive', {
      sourceEventBus: this.bus,
      description: 'Every event of the billing bus, for replay',
      // Every event the bus receives (an archive needs a pattern; a prefix of "" matches any source).
      eventPattern: { source: events.Match.prefix('') },
      retention: retentionDays === 0 ? undefined : Duration.days(retentionDays),
    });
  }
}
