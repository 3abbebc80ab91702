import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { closeWorkflowDefinition, synthTemplate } from '../../lib/synth.js';
import { defaultTemplate, defaultTemplateJson, logicalIdOf, resourcesOfType } from './support.js';

const RETRY_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'States.TaskFailed',
];
const retry = (maxAttempts: number) => [
  { ErrorEquals: RETRY_ERRORS, IntervalSeconds: 2, MaxAttempts: maxAttempts, BackoffRate: 2, JitterStrategy: 'FULL' },
];

describe('close workflow definition (as the local runner sees it)', () => {
  let asl: any;
  let fakeArn: (prefix: string) => string;
  beforeAll(() => {
    const template = defaultTemplateJson();
    asl = closeWorkflowDefinition(template);
    fakeArn = (prefix) =>
      `arn:aws:lambda:us-east-1:000000000000:function:${logicalIdOf(template, 'AWS::Lambda::Function', prefix)}`;
  });

  it('pages through due subscriptions: StartRun -> FindDue -> CloseEach -> RecordRun -> MorePages, in JSONPath', () => {
    expect(asl.StartAt).toBe('StartRun');
    expect(Object.keys(asl.States).sort()).toEqual([
      'CloseEachSubscription',
      'Done',
      'FindDueSubscriptions',
      'MorePages',
      'RecordRun',
      'StartRun',
    ]);
    expect(asl.QueryLanguage ?? 'JSONPath').toBe('JSONPath');
    expect(asl.States.StartRun).toEqual({
      Type: 'Pass',
      Result: { cursor: '', more: true },
      ResultPath: '$.page',
      Next: 'FindDueSubscriptions',
    });
    expect(asl.States.FindDueSubscriptions.Next).toBe('CloseEachSubscription');
    expect(asl.States.CloseEachSubscription.Next).toBe('RecordRun');
    expect(asl.States.RecordRun.Next).toBe('MorePages');
    expect(asl.States.MorePages).toEqual({
      Type: 'Choice',
      Choices: [{ Variable: '$.page.more', BooleanEquals: true, Next: 'FindDueSubscriptions' }],
      Default: 'Done',
    });
    expect(asl.States.Done).toEqual({ Type: 'Succeed' });
  });

  it('finds one page of due subscriptions from the cursor and keeps it under $.due', () => {
    expect(asl.States.FindDueSubscriptions).toEqual({
      Type: 'Task',
      Resource: fakeArn('CloseWorkflowFindDue'),
      Parameters: { 'as_of.$': '$.as_of', 'run_id.$': '$.run_id', 'cursor.$': '$.page.cursor', limit: 500 },
      ResultPath: '$.due',
      Retry: retry(3),
      Next: 'CloseEachSubscription',
    });
  });

  it('maps over the page in a distributed map of express child executions with bounded concurrency', () => {
    const map = asl.States.CloseEachSubscription;
    expect(map.Type).toBe('Map');
    expect(map.ItemsPath).toBe('$.due.items');
    expect(map.MaxConcurrency).toBe(10);
    expect(map.ResultPath).toBe('$.results');
    expect(map.ItemSelector).toEqual({
      'subscription_id.$': '$$.Map.Item.Value.subscription_id',
      'as_of.$': '$.as_of',
      'run_id.$': '$.run_id',
    });
    expect(map.ItemProcessor.ProcessorConfig).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' });
    expect(map.ItemProcessor.StartAt).toBe('CloseSubscriptionPeriod');
    expect(map.ItemReader).toBeUndefined();
  });

  it('closes one subscription with 4 attempts and catches any failure into RecordFailure', () => {
    const states = asl.States.CloseEachSubscription.ItemProcessor.States;
    expect(Object.keys(states).sort()).toEqual(['CloseSubscriptionPeriod', 'RecordFailure']);
    expect(states.CloseSubscriptionPeriod).toEqual({
      Type: 'Task',
      Resource: fakeArn('CloseWorkflowCloseSubscription'),
      Parameters: { 'subscription_id.$': '$.subscription_id', 'as_of.$': '$.as_of', 'run_id.$': '$.run_id' },
      // Waiting for the event archive first (the first matching retrier applies), then transient failures.
      Retry: [
        { ErrorEquals: ['ArchiveBehindError'], IntervalSeconds: 15, MaxAttempts: 4, BackoffRate: 2 },
        ...retry(4),
      ],
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'RecordFailure' }],
      End: true,
    });
    expect(states.RecordFailure).toEqual({
      Type: 'Pass',
      Parameters: {
        'subscription_id.$': '$.subscription_id',
        status: 'failed',
        'error.$': '$.error.Error',
        'cause.$': '$.error.Cause',
      },
      End: true,
    });
  });

  it("records each page's outcomes and learns whether another page follows", () => {
    expect(asl.States.RecordRun).toEqual({
      Type: 'Task',
      Resource: fakeArn('CloseWorkflowRecordRun'),
      Parameters: {
        'as_of.$': '$.as_of',
        'run_id.$': '$.run_id',
        'results.$': '$.results',
        'next_cursor.$': '$.due.next_cursor',
      },
      ResultPath: '$.page',
      Retry: retry(3),
      Next: 'MorePages',
    });
  });

  it('takes MaxConcurrency from context', () => {
    const custom = closeWorkflowDefinition(synthTemplate({ closeMaxConcurrency: '3' })) as any;
    expect(custom.States.CloseEachSubscription.MaxConcurrency).toBe(3);
  });
});

describe('close workflow resources', () => {
  it('is a STANDARD state machine with tracing and logging without execution data', () => {
    const template = defaultTemplateJson();
    defaultTemplate().hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: {
        Level: 'ALL',
        IncludeExecutionData: false,
        Destinations: [
          {
            CloudWatchLogsLogGroup: {
              LogGroupArn: {
                'Fn::GetAtt': [logicalIdOf(template, 'AWS::Logs::LogGroup', 'CloseWorkflowLogGroup'), 'Arn'],
              },
            },
          },
        ],
      },
    });
  });

  it('is started hourly at minute 5 UTC by EventBridge Scheduler with as_of and run_id', () => {
    const template = defaultTemplateJson();
    defaultTemplate().hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(5 * * * ? *)',
      ScheduleExpressionTimezone: 'UTC',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: Match.objectLike({
        Arn: { Ref: logicalIdOf(template, 'AWS::StepFunctions::StateMachine', 'CloseWorkflow') },
        Input: JSON.stringify({ as_of: '<aws.scheduler.scheduled-time>', run_id: '<aws.scheduler.execution-id>' }),
      }),
    });
  });

  it('retries failed starts and parks them in a dead-letter queue', () => {
    const template = defaultTemplateJson();
    defaultTemplate().hasResourceProperties('AWS::Scheduler::Schedule', {
      Target: Match.objectLike({
        RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 10 },
        DeadLetterConfig: {
          Arn: {
            'Fn::GetAtt': [logicalIdOf(template, 'AWS::SQS::Queue', 'CloseWorkflowScheduleDeadLetterQueue'), 'Arn'],
          },
        },
      }),
    });
  });

  it('takes cron and time zone from context', () => {
    const template = synthTemplate({ scheduleCron: '30 2 1 * ? *', scheduleTimeZone: 'Europe/Berlin' });
    const [[, schedule]] = resourcesOfType(template, 'AWS::Scheduler::Schedule') as [[string, any]];
    expect(schedule.Properties.ScheduleExpression).toBe('cron(30 2 1 * ? *)');
    expect(schedule.Properties.ScheduleExpressionTimezone).toBe('Europe/Berlin');
  });

  it('finds exactly one state machine and refuses templates without one', () => {
    expect(() => closeWorkflowDefinition({ Resources: {} })).toThrow(/exactly one AWS::StepFunctions::StateMachine/);
  });
});
