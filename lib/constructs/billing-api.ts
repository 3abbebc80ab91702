import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  bindCloseStateMachine,
  bindDeadLetterQueue,
  bindDeliveryQueue,
  bindEventArchive,
  bindEventsTable,
  bindSecrets,
  bindTable,
} from '../bindings.js';
import { BillingFunction } from './billing-function.js';

export interface BillingApiProps {
  readonly table: ITableV2;
  /** Raw usage events: ingestion writes them, cancellation updates them, deduplication reads them. */
  readonly eventsTable: ITableV2;
  readonly deliveryQueue: IQueue;
  /** The delivery dead-letter queue (GET /v1/delivery/dead-letters, redrive). */
  readonly deadLetterQueue: IQueue;
  /** The API starts billing runs (`POST /v1/billing-runs`) on this state machine. */
  readonly closeStateMachine: IStateMachine;
  /** The event archive, read by reconcile and percentage prices (raw events of past periods). */
  readonly archiveBucket: IBucket;
  /** Stripe keys and the portal's signing secret (read at cold start). */
  readonly secrets: ISecret;
  /** Runtime configuration shared by all functions. */
  readonly environment: Readonly<Record<string, string>>;
  /**
   * SHA-256 hex of the bootstrap admin key, passed as BILLING_ADMIN_KEY_SHA256.
   * @default - no bootstrap key; keys must be created in the table
   */
  readonly adminApiKeyHash?: string;
  /**
   * After upgrading from a release that kept raw events in the billing table: ingestion also looks
   * for duplicates there (BILLING_LEGACY_EVENT_DEDUPE=true), for one acceptance window.
   * @default false
   */
  readonly legacyEventDedupe?: boolean;
  /** Steady-state requests per second of the whole stage (default route). @default 100 */
  readonly throttleRateLimit?: number;
  /** @default 200 */
  readonly throttleBurstLimit?: number;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * API Gateway HTTP API (payload 2.0) in front of one Lambda that routes internally. Clients
 * authenticate with our own API keys, checked in the Lambda (stored as SHA-256 hashes). The
 * `$default` stage writes JSON access logs and throttles the default route.
 */
export class BillingApi extends Construct {
  readonly httpApi: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  readonly apiFunction: BillingFunction;
  readonly accessLogGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: BillingApiProps) {
    super(scope, id);
    const rateLimit = props.throttleRateLimit ?? 100;
    const burstLimit = props.throttleBurstLimit ?? 200;
    if (!(rateLimit > 0) || !Number.isInteger(burstLimit) || burstLimit < 1) {
      throw new Error(`${this.node.path}: throttleRateLimit must be > 0 and throttleBurstLimit a whole number >= 1`);
    }
    if (props.adminApiKeyHash !== undefined && !/^[0-9a-f]{64}$/.test(props.adminApiKeyHash)) {
      throw new Error(`${this.node.path}: adminApiKeyHash must be 64 lower-case hex characters (SHA-256)`);
    }

    this.apiFunction = new BillingFunction(this, 'Handler', {
      handler: 'api',
      description: 'Billing HTTP API: usage ingestion, customers, plans, invoices, billing runs',
      environment: props.environment,
      memorySize: 1024,
      // HTTP API integrations time out after 30 s.
      timeout: Duration.seconds(29),
      logRetention: props.logRetention,
    });
    bindTable(this.apiFunction, props.table, 'readWrite');
    bindEventsTable(this.apiFunction, props.eventsTable, 'readWrite');
    bindDeliveryQueue(this.apiFunction, props.deliveryQueue);
    bindDeadLetterQueue(this.apiFunction, props.deadLetterQueue);
    bindCloseStateMachine(this.apiFunction, props.closeStateMachine);
    bindEventArchive(this.apiFunction, props.archiveBucket, 'read');
    bindSecrets(this.apiFunction, props.secrets);
    if (props.adminApiKeyHash !== undefined) {
      this.apiFunction.addEnvironment('BILLING_ADMIN_KEY_SHA256', props.adminApiKeyHash);
    }
    if (props.legacyEventDedupe === true) {
      // Read with the billing table grant above (the legacy raw events are items of that table).
      this.apiFunction.addEnvironment('BILLING_LEGACY_EVENT_DEDUPE', 'true');
    }

    this.httpApi = new apigw.HttpApi(this, 'HttpApi', {
      description: 'Usage-based billing API',
      createDefaultStage: false,
      defaultIntegration: new HttpLambdaIntegration('Lambda', this.apiFunction.function, {
        payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0,
      }),
    });

    this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit, burstLimit },
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(this.accessLogGroup),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            requestTime: '$context.requestTime',
            httpMethod: '$context.httpMethod',
            routeKey: '$context.routeKey',
            path: '$context.path',
            protocol: '$context.protocol',
            status: '$context.status',
            responseLength: '$context.responseLength',
            responseLatency: '$context.responseLatency',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });

    Validations.of(this.httpApi).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'Clients authenticate with billing API keys (Authorization: Bearer), verified against SHA-256 hashes in DynamoDB by the API function itself; every route except the health check rejects requests without a valid key.',
    });
  }
}
