import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { synthTemplate } from '../../lib/synth.js';
import {
  billingTableId,
  defaultTemplate,
  defaultTemplateJson,
  eventsTableId,
  logicalIdOf,
  resourcesOfType,
} from './support.js';

describe('HTTP API', () => {
  it('is an API Gateway HTTP API whose default route goes to the API function with payload 2.0', () => {
    const template = defaultTemplateJson();
    defaultTemplate().hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
    defaultTemplate().resourceCountIs('AWS::ApiGateway::RestApi', 0);
    defaultTemplate().hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
      IntegrationUri: { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::Lambda::Function', 'ApiHandler'), 'Arn'] },
    });
    defaultTemplate().hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: '$default' });
  });

  it('writes JSON access logs with the request id to a log group with retention', () => {
    const template = defaultTemplateJson();
    const logGroup = logicalIdOf(template, 'AWS::Logs::LogGroup', 'ApiAccessLogs');
    const [[, stage]] = resourcesOfType(template, 'AWS::ApiGatewayV2::Stage') as [[string, any]];
    expect(stage.Properties.StageName).toBe('$default');
    expect(stage.Properties.AutoDeploy).toBe(true);
    expect(stage.Properties.AccessLogSettings.DestinationArn).toEqual({ 'Fn::GetAtt': [logGroup, 'Arn'] });
    expect(JSON.parse(stage.Properties.AccessLogSettings.Format)).toMatchObject({
      requestId: '$context.requestId',
      status: '$context.status',
      routeKey: '$context.routeKey',
    });
    expect((template.Resources as any)[logGroup].Properties.RetentionInDays).toBe(30);
  });

  it('throttles the default route of the stage (rate and burst from context)', () => {
    defaultTemplate().hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
    });
    const custom = synthTemplate({ apiThrottleRateLimit: 5, apiThrottleBurstLimit: '10' });
    const [[, stage]] = resourcesOfType(custom, 'AWS::ApiGatewayV2::Stage') as [[string, any]];
    expect(stage.Properties.DefaultRouteSettings).toEqual({ ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 });
  });
});

describe('stack outputs', () => {
  it('publish the API URL and what operators need', () => {
    const outputs = Object.keys(defaultTemplateJson().Outputs as Record<string, unknown>);
    expect(outputs.sort()).toEqual(
      [
        'AlarmTopicArn',
        'ApiUrl',
        'CloseStateMachineArn',
        'DashboardUrl',
        'DeliveryDeadLetterQueueUrl',
        'EventArchiveBucketName',
        'EventArchiveDeadLetterQueueUrl',
        'EventBusName',
        'EventsTableName',
        'SesIdentity',
        'TableName',
      ].sort(),
    );
    defaultTemplate().hasOutput('ApiUrl', {
      Value: {
        'Fn::GetAtt': [logicalIdOf(defaultTemplateJson(), 'AWS::ApiGatewayV2::Api', 'ApiHttpApi'), 'ApiEndpoint'],
      },
    });
  });
});

describe('alarms', () => {
  const alarms = () => resourcesOfType(defaultTemplateJson(), 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties!);
  const topicRef = () => ({ Ref: logicalIdOf(defaultTemplateJson(), 'AWS::SNS::Topic', 'MonitoringAlarmTopic') });

  it('alarm on Errors >= 1 and Throttles >= 1 of every function', () => {
    for (const [id] of resourcesOfType(defaultTemplateJson(), 'AWS::Lambda::Function')) {
      for (const metricName of ['Errors', 'Throttles']) {
        const match = alarms().filter(
          (a) =>
            a.Namespace === 'AWS/Lambda' &&
            a.MetricName === metricName &&
            a.Dimensions?.[0]?.Value?.Ref === id &&
            a.Threshold === 1 &&
            a.ComparisonOperator === 'GreaterThanOrEqualToThreshold',
        );
        expect(match, `${metricName} of ${id}`).toHaveLength(1);
      }
    }
  });

  it('alarm when any message waits in a dead-letter queue', () => {
    for (const prefix of [
      'InvoiceDeliveryDeadLetterQueue',
      'CloseWorkflowScheduleDeadLetterQueue',
      'EventArchiveDeadLetterQueue',
    ]) {
      const queueId = logicalIdOf(defaultTemplateJson(), 'AWS::SQS::Queue', prefix);
      defaultTemplate().hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
      });
    }
  });

  it('alarm when the event archiver falls more than 15 minutes behind the table stream', () => {
    defaultTemplate().hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'IteratorAge',
      Dimensions: [
        {
          Name: 'FunctionName',
          Value: { Ref: logicalIdOf(defaultTemplateJson(), 'AWS::Lambda::Function', 'EventArchiveArchiveFunction') },
        },
      ],
      Statistic: 'Maximum',
      Period: 300,
      EvaluationPeriods: 3,
      Threshold: 15 * 60 * 1000,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  it('alarm on a failed billing run', () => {
    defaultTemplate().hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/States',
      MetricName: 'ExecutionsFailed',
      Dimensions: [
        {
          Name: 'StateMachineArn',
          Value: { Ref: logicalIdOf(defaultTemplateJson(), 'AWS::StepFunctions::StateMachine', 'CloseWorkflow') },
        },
      ],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it('alarm on throttled DynamoDB reads and writes of both tables', () => {
    for (const tableId of [billingTableId(defaultTemplateJson()), eventsTableId(defaultTemplateJson())]) {
      for (const metricName of ['ReadThrottleEvents', 'WriteThrottleEvents']) {
        defaultTemplate().hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/DynamoDB',
          MetricName: metricName,
          Dimensions: [{ Name: 'TableName', Value: { Ref: tableId } }],
          Threshold: 1,
        });
      }
    }
  });

  it('alarm on throttled reads and writes of each index of the billing table when it is provisioned', () => {
    const template = synthTemplate({ tableCapacity: 'provisioned' });
    const tableId = billingTableId(template);
    const indexAlarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm').filter(([, alarm]) =>
      JSON.stringify(alarm.Properties?.Dimensions).includes('GlobalSecondaryIndexName'),
    );
    expect(indexAlarms).toHaveLength(6);
    for (const indexName of ['GSI1', 'GSI2', 'GSI3']) {
      for (const metricName of ['ReadThrottleEvents', 'WriteThrottleEvents']) {
        Template.fromJSON(template).hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/DynamoDB',
          MetricName: metricName,
          Dimensions: [
            { Name: 'GlobalSecondaryIndexName', Value: indexName },
            { Name: 'TableName', Value: { Ref: tableId } },
          ],
          Statistic: 'Sum',
          Threshold: 1,
          AlarmActions: [topicRef()],
        });
      }
    }
    // On demand (the default) the table's own alarms stay the only table alarms.
    expect(
      resourcesOfType(defaultTemplateJson(), 'AWS::CloudWatch::Alarm').filter(([, alarm]) =>
        JSON.stringify(alarm.Properties?.Dimensions).includes('GlobalSecondaryIndexName'),
      ),
    ).toEqual([]);
  });

  it('all notify the alarm topic and ignore missing data', () => {
    // Errors + Throttles per function, three DLQs, the archiver's iterator age, two run and four table
    // alarms (reads and writes of the billing and the events table).
    expect(alarms()).toHaveLength(10 * 2 + 3 + 1 + 2 + 4);
    for (const alarm of alarms()) {
      expect(alarm.AlarmActions).toEqual([topicRef()]);
      expect(alarm.TreatMissingData).toBe('notBreaching');
    }
  });

  it('notify through a KMS-encrypted, TLS-only topic that CloudWatch may use', () => {
    const template = defaultTemplateJson();
    const keyId = logicalIdOf(template, 'AWS::KMS::Key', 'MonitoringTopicKey');
    defaultTemplate().hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    defaultTemplate().hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      },
    });
    defaultTemplate().hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('subscribe the alarm email only when configured', () => {
    defaultTemplate().resourceCountIs('AWS::SNS::Subscription', 0);
    const template = synthTemplate({ alarmEmail: 'ops@example.com' });
    const subscriptions = resourcesOfType(template, 'AWS::SNS::Subscription');
    expect(subscriptions.map(([, s]) => [s.Properties?.Protocol, s.Properties?.Endpoint])).toEqual([
      ['email', 'ops@example.com'],
    ]);
  });
});
