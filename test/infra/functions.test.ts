import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { synthTemplate } from '../../lib/synth.js';
import { defaultTemplate, defaultTemplateJson, eventsTableId, logicalIdOf, resourcesOfType } from './support.js';

const COMMON_ENV = [
  'BILLING_ACCEPTANCE_WINDOW_DAYS',
  'BILLING_GRACE_MINUTES',
  'BILLING_INVOICE_GRACE_HOURS',
  'BILLING_SENDER_EMAIL',
  'BILLING_SELLER_NAME',
  'BILLING_SELLER_ADDRESS',
  'BILLING_SELLER_COUNTRY',
  'BILLING_SELLER_TAX_ID',
  'POWERTOOLS_SERVICE_NAME',
  'POWERTOOLS_LOG_LEVEL',
  'NODE_OPTIONS',
];

function functionEnv(prefix: string): Record<string, unknown> {
  const template = defaultTemplateJson();
  const id = logicalIdOf(template, 'AWS::Lambda::Function', prefix);
  return (template.Resources as any)[id].Properties.Environment.Variables;
}

describe('Lambda functions', () => {
  it('are the ten handlers, all on nodejs22.x and arm64', () => {
    const functions = resourcesOfType(defaultTemplateJson(), 'AWS::Lambda::Function');
    expect(functions).toHaveLength(10);
    for (const [, fn] of functions) {
      expect(fn.Properties?.Runtime).toBe('nodejs22.x');
      expect(fn.Properties?.Architectures).toEqual(['arm64']);
      expect(fn.Properties?.Handler).toBe('index.handler');
    }
  });

  it('each log to their own log group with a retention', () => {
    const template = defaultTemplateJson();
    const logGroups = new Map(resourcesOfType(template, 'AWS::Logs::LogGroup'));
    for (const [id, fn] of resourcesOfType(template, 'AWS::Lambda::Function')) {
      const logGroupId = fn.Properties?.LoggingConfig?.LogGroup?.Ref as string;
      expect(logGroups.get(logGroupId)?.Properties?.RetentionInDays, id).toBe(30);
    }
    const used = resourcesOfType(template, 'AWS::Lambda::Function').map(
      ([, fn]) => fn.Properties?.LoggingConfig.LogGroup.Ref,
    );
    expect(new Set(used).size).toBe(10);
  });

  it('get the typed runtime configuration and Powertools settings', () => {
    for (const [, fn] of resourcesOfType(defaultTemplateJson(), 'AWS::Lambda::Function')) {
      const env = fn.Properties?.Environment.Variables as Record<string, unknown>;
      expect(Object.keys(env)).toEqual(expect.arrayContaining(COMMON_ENV));
      expect(env.NODE_OPTIONS).toBe('--enable-source-maps');
      expect(env.BILLING_GRACE_MINUTES).toBe('60');
      expect(env.BILLING_ACCEPTANCE_WINDOW_DAYS).toBe('35');
      expect(env.BILLING_EVENT_RETENTION_DAYS).toBe('400');
      expect(env.POWERTOOLS_LOG_LEVEL).toBe('INFO');
    }
  });

  it('learn resource names only where they have the matching grant', () => {
    expect(Object.keys(functionEnv('ApiHandler'))).toEqual(
      expect.arrayContaining(['BILLING_DELIVERY_QUEUE_URL', 'BILLING_STATE_MACHINE_ARN']),
    );
    expect(functionEnv('CloseWorkflowCloseSubscription')).toHaveProperty('BILLING_DELIVERY_QUEUE_URL');
    expect(functionEnv('OutboxSweep')).toHaveProperty('BILLING_DELIVERY_QUEUE_URL');
    expect(functionEnv('DunningRun')).toHaveProperty('BILLING_DELIVERY_QUEUE_URL');
    // Webhooks: the deliver function fans events out and re-sends failed deliveries to its own queue.
    expect(functionEnv('InvoiceDeliveryDeliver')).toHaveProperty('BILLING_DELIVERY_QUEUE_URL');
    expect(functionEnv('InvoiceDeliveryDeliver')).not.toHaveProperty('BILLING_STATE_MACHINE_ARN');
    // The run's event (billing_run.completed) and the refresh's usage alerts are handed over at once.
    expect(functionEnv('CloseWorkflowRecordRun')).toHaveProperty('BILLING_DELIVERY_QUEUE_URL');
    expect(functionEnv('EstimatesRefresh')).toHaveProperty('BILLING_DELIVERY_QUEUE_URL');
    expect(functionEnv('CloseWorkflowFindDue')).not.toHaveProperty('BILLING_DELIVERY_QUEUE_URL');
    for (const prefix of ['CloseWorkflowFindDue', 'CloseWorkflowRecordRun'])
      expect(functionEnv(prefix)).not.toHaveProperty('BILLING_STATE_MACHINE_ARN');
    // The archiver needs the archive only (the stream arrives through its event source mapping).
    expect(Object.keys(functionEnv('EventArchiveArchiveFunction'))).not.toContain('BILLING_TABLE_NAME');
    for (const prefix of [
      'ApiHandler',
      'CloseWorkflowFindDue',
      'CloseWorkflowCloseSubscription',
      'CloseWorkflowRecordRun',
      'InvoiceDeliveryDeliver',
      'OutboxSweep',
      'DunningRun',
      'EstimatesRefresh',
    ]) {
      expect(functionEnv(prefix), prefix).toHaveProperty('BILLING_TABLE_NAME');
    }
  });

  it('name the events table to the API, the close-subscription function and the archiver (its backfill) only', () => {
    const template = defaultTemplateJson();
    const named = resourcesOfType(template, 'AWS::Lambda::Function')
      .filter(([, fn]) => fn.Properties?.Environment.Variables.BILLING_EVENTS_TABLE_NAME !== undefined)
      .map(([, fn]) => (fn.Metadata as Record<string, string>)['billing:handler'])
      .sort();
    expect(named).toEqual(['api', 'archiveEvents', 'closeSubscription']);
    for (const prefix of ['ApiHandler', 'CloseWorkflowCloseSubscription', 'EventArchiveArchiveFunction']) {
      expect(functionEnv(prefix).BILLING_EVENTS_TABLE_NAME, prefix).toEqual({ Ref: eventsTableId(template) });
    }
  });

  it('turn on the legacy event dedupe of the API function only when legacyEventDedupe is set', () => {
    for (const [id, fn] of resourcesOfType(defaultTemplateJson(), 'AWS::Lambda::Function')) {
      expect(fn.Properties?.Environment.Variables, id).not.toHaveProperty('BILLING_LEGACY_EVENT_DEDUPE');
    }
    for (const value of [true, 'true']) {
      const template = synthTemplate({ legacyEventDedupe: value });
      const flagged = resourcesOfType(template, 'AWS::Lambda::Function').filter(
        ([, fn]) => fn.Properties?.Environment.Variables.BILLING_LEGACY_EVENT_DEDUPE !== undefined,
      );
      expect(flagged.map(([id]) => id.startsWith('ApiHandler'))).toEqual([true]);
      expect(flagged[0]![1].Properties?.Environment.Variables.BILLING_LEGACY_EVENT_DEDUPE).toBe('true');
    }
    const off = synthTemplate({ legacyEventDedupe: 'false' });
    for (const [id, fn] of resourcesOfType(off, 'AWS::Lambda::Function')) {
      expect(fn.Properties?.Environment.Variables, id).not.toHaveProperty('BILLING_LEGACY_EVENT_DEDUPE');
    }
  });

  it('pass the admin key hash to the API function only when configured', () => {
    expect(functionEnv('ApiHandler')).not.toHaveProperty('BILLING_ADMIN_KEY_SHA256');
    const hash = 'a'.repeat(64);
    const template = synthTemplate({ adminApiKeyHash: hash });
    const withKey = resourcesOfType(template, 'AWS::Lambda::Function').filter(
      ([, fn]) => fn.Properties?.Environment.Variables.BILLING_ADMIN_KEY_SHA256 !== undefined,
    );
    expect(withKey.map(([id]) => id.startsWith('ApiHandler'))).toEqual([true]);
    expect(withKey[0]![1].Properties?.Environment.Variables.BILLING_ADMIN_KEY_SHA256).toBe(hash);
  });
});

describe('invoice delivery queue', () => {
  it('sends a message to the DLQ after 5 failed receives', () => {
    const template = defaultTemplateJson();
    const dlq = logicalIdOf(template, 'AWS::SQS::Queue', 'InvoiceDeliveryDeadLetterQueue');
    defaultTemplate().hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlq, 'Arn'] }, maxReceiveCount: 5 },
    });
  });

  it('keeps messages invisible for at least 6 x the deliver timeout', () => {
    const template = defaultTemplateJson();
    const queue = (template.Resources as any)[logicalIdOf(template, 'AWS::SQS::Queue', 'InvoiceDeliveryQueue')];
    const deliver = (template.Resources as any)[
      logicalIdOf(template, 'AWS::Lambda::Function', 'InvoiceDeliveryDeliver')
    ];
    expect(queue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * deliver.Properties.Timeout);
  });

  it('encrypts every queue with SQS-managed keys and denies non-TLS access', () => {
    const template = defaultTemplateJson();
    const queues = resourcesOfType(template, 'AWS::SQS::Queue');
    expect(queues).toHaveLength(4);
    const policies = resourcesOfType(template, 'AWS::SQS::QueuePolicy');
    for (const [id, queue] of queues) {
      expect(queue.Properties?.SqsManagedSseEnabled, id).toBe(true);
      const policy = policies.find(([, p]) => p.Properties?.Queues.some((q: any) => q.Ref === id));
      expect(policy?.[1].Properties?.PolicyDocument.Statement, id).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            Effect: 'Deny',
            Action: 'sqs:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      );
    }
  });

  it('feeds the deliver function in batches of 10 with partial batch failures', () => {
    const template = defaultTemplateJson();
    defaultTemplate().hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::SQS::Queue', 'InvoiceDeliveryQueue'), 'Arn'] },
      FunctionName: { Ref: logicalIdOf(template, 'AWS::Lambda::Function', 'InvoiceDeliveryDeliver') },
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 5,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('runs the outbox sweep every 5 minutes', () => {
    const template = defaultTemplateJson();
    defaultTemplate().hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      State: 'ENABLED',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::Lambda::Function', 'OutboxSweep'), 'Arn'] },
        }),
      ],
    });
  });
});

describe('estimates refresh', () => {
  it('re-rates the current periods every hour by default, without overlapping retries', () => {
    const template = defaultTemplateJson();
    defaultTemplate().hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 hour)',
      State: 'ENABLED',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::Lambda::Function', 'EstimatesRefresh'), 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 0 },
        }),
      ],
    });
    const [, fn] = resourcesOfType(template, 'AWS::Lambda::Function').find(([id]) =>
      id.startsWith('EstimatesRefresh'),
    )!;
    expect(fn.Properties?.Timeout).toBe(600);
  });

  it('can be started by the API, and by nothing else', () => {
    const template = defaultTemplateJson();
    const refreshId = logicalIdOf(template, 'AWS::Lambda::Function', 'EstimatesRefresh');
    expect(functionEnv('ApiHandler')).toMatchObject({ BILLING_ESTIMATES_FUNCTION_NAME: { Ref: refreshId } });
    const invokers = resourcesOfType(template, 'AWS::IAM::Policy').filter(([, policy]) =>
      JSON.stringify(policy.Properties?.PolicyDocument).includes(`"${refreshId}"`),
    );
    expect(invokers.map(([id]) => id)).toEqual([expect.stringMatching(/^ApiHandler/)]);
    expect(JSON.stringify(invokers[0]![1].Properties?.PolicyDocument)).toContain(
      JSON.stringify({
        Action: 'lambda:InvokeFunction',
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [refreshId, 'Arn'] },
      }),
    );
  });

  it('follows the estimatesRefreshMinutes context key', () => {
    const template = synthTemplate({ estimatesRefreshMinutes: '15' });
    Template.fromJSON(template).hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(15 minutes)' });
  });
});

describe('SES', () => {
  it('has an email identity for the sender bound to a configuration set', () => {
    const template = defaultTemplateJson();
    defaultTemplate().hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: 'billing@example.com',
      ConfigurationSetAttributes: {
        ConfigurationSetName: { Ref: logicalIdOf(template, 'AWS::SES::ConfigurationSet', 'EmailSender') },
      },
    });
    defaultTemplate().hasResourceProperties('AWS::SES::ConfigurationSet', { Name: 'billing-dev' });
  });

  it('verifies the domain instead when senderDomain is set', () => {
    const template = synthTemplate({ senderDomain: 'invoices.example.org', senderEmail: '' });
    const [[, identity]] = resourcesOfType(template, 'AWS::SES::EmailIdentity') as [[string, any]];
    expect(identity.Properties.EmailIdentity).toBe('invoices.example.org');
    const [, deliver] = resourcesOfType(template, 'AWS::Lambda::Function').find(([id]) =>
      id.startsWith('InvoiceDeliveryDeliver'),
    )!;
    expect(deliver.Properties?.Environment.Variables.BILLING_SENDER_EMAIL).toBe('billing@invoices.example.org');
  });
});

describe('the documents function', () => {
  it('is invoked by the API and the delivery worker only, and may touch nothing itself', () => {
    const template = defaultTemplateJson();
    const documentsId = logicalIdOf(template, 'AWS::Lambda::Function', 'DocumentsRender');
    expect(functionEnv('ApiHandler')).toMatchObject({ BILLING_DOCUMENTS_FUNCTION_NAME: { Ref: documentsId } });
    expect(functionEnv('InvoiceDeliveryDeliver')).toMatchObject({
      BILLING_DOCUMENTS_FUNCTION_NAME: { Ref: documentsId },
    });
    const invokers = resourcesOfType(template, 'AWS::IAM::Policy').filter(([, policy]) =>
      JSON.stringify(policy.Properties?.PolicyDocument).includes(`"${documentsId}"`),
    );
    expect(invokers.map(([id]) => id).sort()).toEqual([
      expect.stringMatching(/^ApiHandler/),
      expect.stringMatching(/^InvoiceDeliveryDeliver/),
    ]);
    // Its role may write its own logs and nothing else: no table, queue, bucket or secret.
    const own = resourcesOfType(template, 'AWS::IAM::Policy').filter(([, policy]) =>
      JSON.stringify(policy.Properties?.Roles).includes('DocumentsRender'),
    );
    const actions = own.flatMap(([, policy]) =>
      ((policy.Properties?.PolicyDocument.Statement ?? []) as Array<{ Action: string | string[] }>).flatMap(
        (s) => s.Action,
      ),
    );
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.filter((action) => !action.startsWith('logs:'))).toEqual([]);
    // The API waits for it: it must answer within the HTTP API's 30 s.
    const [, fn] = resourcesOfType(template, 'AWS::Lambda::Function').find(([id]) => id === documentsId)!;
    expect(fn.Properties?.Timeout).toBeLessThan(29);
    expect(fn.Properties?.Environment.Variables.BILLING_TABLE_NAME).toBeUndefined();
  });
});
