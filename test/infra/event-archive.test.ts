import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AttributeType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { describe, expect, it } from 'vitest';
import { BillingTable } from '../../lib/constructs/billing-table.js';
import { EventArchive } from '../../lib/constructs/event-archive.js';
import { synthTemplate } from '../../lib/synth.js';
import {
  billingTableId,
  defaultTemplate,
  defaultTemplateJson,
  eventsTableId,
  logicalIdOf,
  resourcesOfType,
} from './support.js';

const list = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

/** Statements of the function's role policy (logical id prefix of the function construct path). */
function roleStatements(template: Record<string, unknown>, functionPrefix: string): Statement[] {
  const [[, policy]] = resourcesOfType(template, 'AWS::IAM::Policy').filter(([id]) =>
    id.startsWith(`${functionPrefix}RoleDefaultPolicy`),
  ) as [[string, any]];
  return policy.Properties.PolicyDocument.Statement;
}

function s3Statements(template: Record<string, unknown>, functionPrefix: string): Statement[] {
  return roleStatements(template, functionPrefix).filter((s) => list(s.Action).some((a) => a.startsWith('s3:')));
}

const archiveId = () => logicalIdOf(defaultTemplateJson(), 'AWS::S3::Bucket', 'EventArchiveBucket');
const eventObjects = () => ({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [archiveId(), 'Arn'] }, '/events/*']] });

describe('table streams', () => {
  it('streams new images of the events table, and nothing of the billing table', () => {
    const template = defaultTemplateJson();
    const resources = template.Resources as Record<string, any>;
    expect(resources[eventsTableId(template)].Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_IMAGE' });
    expect(resources[billingTableId(template)].Properties.StreamSpecification).toBeUndefined();
  });
});

describe('event archive bucket', () => {
  it('blocks public access, is S3-encrypted, unversioned and logs its accesses', () => {
    const template = defaultTemplateJson();
    const resources = template.Resources as Record<string, any>;
    const bucket = resources[archiveId()];
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([
      { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
    ]);
    expect(bucket.Properties.VersioningConfiguration).toBeUndefined();
    expect(bucket.Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: logicalIdOf(template, 'AWS::S3::Bucket', 'EventArchiveAccessLogs') },
      LogFilePrefix: 's3/',
    });
  });

  it('denies requests without TLS', () => {
    defaultTemplate().hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: archiveId() },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('expires events after eventRetentionDays, Instant Retrieval after 90 days, aborts stale uploads', () => {
    const bucket = (defaultTemplateJson().Resources as Record<string, any>)[archiveId()];
    expect(bucket.Properties.LifecycleConfiguration.Rules).toEqual([
      {
        Id: 'ExpireEvents',
        Prefix: 'events/',
        Status: 'Enabled',
        ExpirationInDays: 400,
        Transitions: [{ StorageClass: 'GLACIER_IR', TransitionInDays: 90 }],
      },
      { Id: 'AbortIncompleteUploads', Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } },
    ]);
  });

  it('follows eventRetentionDays and skips the transition for short retention', () => {
    const template = synthTemplate({ eventRetentionDays: '60' });
    const [[, bucket]] = resourcesOfType(template, 'AWS::S3::Bucket').filter(([id]) =>
      id.startsWith('EventArchiveBucket'),
    ) as [[string, any]];
    expect(bucket.Properties.LifecycleConfiguration.Rules[0]).toEqual({
      Id: 'ExpireEvents',
      Prefix: 'events/',
      Status: 'Enabled',
      ExpirationInDays: 60,
    });
    for (const [, fn] of resourcesOfType(template, 'AWS::Lambda::Function')) {
      expect(fn.Properties?.Environment.Variables.BILLING_EVENT_RETENTION_DAYS).toBe('60');
    }
  });

  it('is retained when the stack is deleted (billing evidence)', () => {
    const resources = defaultTemplateJson().Resources as Record<string, any>;
    expect(resources[archiveId()].DeletionPolicy).toBe('Retain');
    expect(
      resources[logicalIdOf(defaultTemplateJson(), 'AWS::S3::Bucket', 'EventArchiveAccessLogs')].DeletionPolicy,
    ).toBe('Retain');
  });
});

describe('archiver', () => {
  it('runs the archiveEvents entry', () => {
    const template = defaultTemplateJson();
    const fn = (template.Resources as Record<string, any>)[
      logicalIdOf(template, 'AWS::Lambda::Function', 'EventArchiveArchiveFunction')
    ];
    expect(fn.Metadata['billing:handler']).toBe('archiveEvents');
    expect(fn.Properties.Environment.Variables.BILLING_ARCHIVE_BUCKET).toEqual({ Ref: archiveId() });
  });

  it('reads inserted raw events from the events table stream in bisected batches, failures to a DLQ', () => {
    const template = defaultTemplateJson();
    const tableId = eventsTableId(template);
    expect(
      resourcesOfType(template, 'AWS::Lambda::EventSourceMapping').filter(([id]) => id.startsWith('EventArchive')),
    ).toHaveLength(1);
    defaultTemplate().hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [tableId, 'StreamArn'] },
      FunctionName: { Ref: logicalIdOf(template, 'AWS::Lambda::Function', 'EventArchiveArchiveFunction') },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 1000,
      MaximumBatchingWindowInSeconds: 5,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 10,
      DestinationConfig: {
        OnFailure: {
          Destination: {
            'Fn::GetAtt': [logicalIdOf(template, 'AWS::SQS::Queue', 'EventArchiveDeadLetterQueue'), 'Arn'],
          },
        },
      },
      FilterCriteria: {
        Filters: [
          { Pattern: '{"eventName":["INSERT"],"dynamodb":{"Keys":{"PK":{"S":[{"prefix":"EVENT#"}]}}}}' },
          {
            Pattern:
              '{"eventName":["MODIFY"],"dynamodb":{"Keys":{"PK":{"S":[{"prefix":"EVENT#"}]}},"NewImage":{"cancelled_at":{"S":[{"exists":true}]}}}}',
          },
        ],
      },
    });
    const [[, mapping]] = resourcesOfType(template, 'AWS::Lambda::EventSourceMapping').filter(([id]) =>
      id.startsWith('EventArchive'),
    ) as [[string, any]];
    expect(mapping.Properties.FunctionResponseTypes).toBeUndefined();
  });

  it('also reads the billing table stream, with the same mapping, in the upgrade window (legacyEventDedupe)', () => {
    const template = synthTemplate({ legacyEventDedupe: true });
    const resources = template.Resources as Record<string, any>;
    const billing = billingTableId(template);
    expect(resources[billing].Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_IMAGE' });
    const mappings = resourcesOfType(template, 'AWS::Lambda::EventSourceMapping').filter(([id]) =>
      id.startsWith('EventArchive'),
    ) as [string, any][];
    const sources = mappings.map(([, m]) => m.Properties.EventSourceArn['Fn::GetAtt'][0]).sort();
    expect(sources).toEqual([billing, eventsTableId(template)].sort());
    const { EventSourceArn: _legacy, ...legacyMapping } = mappings.find(
      ([, m]) => m.Properties.EventSourceArn['Fn::GetAtt'][0] === billing,
    )![1].Properties;
    const { EventSourceArn: _events, ...eventsMapping } = mappings.find(
      ([, m]) => m.Properties.EventSourceArn['Fn::GetAtt'][0] !== billing,
    )![1].Properties;
    expect(legacyMapping).toEqual(eventsMapping);
    // The mapping of the release before the events table (its logical ID follows the billing table's
    // construct path): kept as it was, it reads on without a gap while the deployment runs.
    expect(mappings.map(([id]) => id)).toContain(
      'EventArchiveArchiveFunctionDynamoDBEventSourcebillingdevBillingTableA3DAE95387682745',
    );
    // The archiver may read both streams and neither table (its backfill scan aside, below).
    const dynamo = roleStatements(template, 'EventArchiveArchiveFunction').filter(
      (s) => list(s.Action).some((a) => a.startsWith('dynamodb:')) && !list(s.Action).includes('dynamodb:Scan'),
    );
    const streams = new Set(dynamo.flatMap((s) => list(s.Resource)).map((r) => JSON.stringify(r)));
    expect([...streams].sort()).toEqual(
      [billing, eventsTableId(template)].map((id) => JSON.stringify({ 'Fn::GetAtt': [id, 'StreamArn'] })).sort(),
    );
  });

  it('keeps failed batches 14 days in a TLS-only dead-letter queue', () => {
    const template = defaultTemplateJson();
    const queue = (template.Resources as Record<string, any>)[
      logicalIdOf(template, 'AWS::SQS::Queue', 'EventArchiveDeadLetterQueue')
    ];
    expect(queue.Properties.MessageRetentionPeriod).toBe(14 * 24 * 3600);
    expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
  });

  it('may put objects under events/ only, and read nothing from S3', () => {
    const statements = s3Statements(defaultTemplateJson(), 'EventArchiveArchiveFunction');
    expect(statements).toEqual([{ Effect: 'Allow', Action: 's3:PutObject', Resource: eventObjects() }]);
  });

  it('reads the stream of the events table, and may only scan the table itself (the backfill)', () => {
    const template = defaultTemplateJson();
    const tableId = eventsTableId(template);
    const dynamo = roleStatements(template, 'EventArchiveArchiveFunction').filter((s) =>
      list(s.Action).some((a) => a.startsWith('dynamodb:')),
    );
    expect(dynamo.length).toBeGreaterThan(1);
    for (const statement of dynamo) {
      if (list(statement.Action).includes('dynamodb:Scan')) {
        expect(statement.Action).toBe('dynamodb:Scan');
        expect(statement.Resource).toEqual({ 'Fn::GetAtt': [tableId, 'Arn'] });
      } else expect(statement.Resource).toEqual({ 'Fn::GetAtt': [tableId, 'StreamArn'] });
    }
  });
});

describe('archive readers', () => {
  const readers = ['ApiHandler', 'CloseWorkflowCloseSubscriptionFunction', 'EstimatesRefresh'];

  it.each(readers)('%s may get events/ objects and list under events/, but not write', (prefix) => {
    const template = defaultTemplateJson();
    const statements = s3Statements(template, prefix);
    expect(statements).toEqual(
      expect.arrayContaining([
        { Effect: 'Allow', Action: 's3:GetObject', Resource: eventObjects() },
        {
          Effect: 'Allow',
          Action: 's3:ListBucket',
          Resource: { 'Fn::GetAtt': [archiveId(), 'Arn'] },
          Condition: { StringLike: { 's3:prefix': ['events/*'] } },
        },
      ]),
    );
    expect(statements).toHaveLength(2);
    const fn = (template.Resources as Record<string, any>)[logicalIdOf(template, 'AWS::Lambda::Function', prefix)];
    expect(fn.Properties.Environment.Variables.BILLING_ARCHIVE_BUCKET).toEqual({ Ref: archiveId() });
  });

  it('are exactly the functions whose entry reads BILLING_ARCHIVE_BUCKET', () => {
    const template = defaultTemplateJson();
    const bound = resourcesOfType(template, 'AWS::Lambda::Function')
      .filter(([, fn]) => fn.Properties?.Environment.Variables.BILLING_ARCHIVE_BUCKET !== undefined)
      .map(([, fn]) => (fn.Metadata as Record<string, string>)['billing:handler'])
      .sort();
    expect(bound).toEqual(['api', 'archiveEvents', 'closeSubscription', 'refreshEstimates']);
    const withS3 = resourcesOfType(template, 'AWS::IAM::Policy')
      .filter(([, policy]) => JSON.stringify(policy.Properties?.PolicyDocument).includes(`"${archiveId()}"`))
      .map(([id]) => id.replace(/RoleDefaultPolicy[0-9A-F]{8}$/, ''))
      .sort();
    expect(withS3).toEqual([
      'ApiHandler',
      'CloseWorkflowCloseSubscriptionFunction',
      'EstimatesRefresh',
      'EventArchiveArchiveFunction',
    ]);
  });
});

describe('EventArchive construct', () => {
  // No bundling: the archiver's bundle is not what these tests are about.
  const testStack = () => new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Test');

  it('refuses a table without a stream and a retention that is not a whole number of days', () => {
    const stack = testStack();
    const tables = new BillingTable(stack, 'Table', {});
    expect(
      () =>
        new EventArchive(stack, 'Archive', { eventsTable: tables.eventsTable, environment: {}, retentionDays: 1.5 }),
    ).toThrow(/retentionDays must be a whole number/);
    const plain = new TableV2(stack, 'Plain', { partitionKey: { name: 'PK', type: AttributeType.STRING } });
    expect(
      () => new EventArchive(stack, 'Archive2', { eventsTable: plain, environment: {}, retentionDays: 30 }),
    ).toThrow(/stream/);
    // The billing table has no stream any more: it cannot feed the archive.
    expect(
      () => new EventArchive(stack, 'Archive3', { eventsTable: tables.table, environment: {}, retentionDays: 30 }),
    ).toThrow(/stream/);
    expect(
      () =>
        new EventArchive(stack, 'Archive4', {
          eventsTable: tables.eventsTable,
          legacyTable: tables.table,
          environment: {},
          retentionDays: 30,
        }),
    ).toThrow(/legacy table needs its stream/);
  });

  it('can be deleted with the stack when asked (throwaway stages)', () => {
    const stack = testStack();
    const tables = new BillingTable(stack, 'Table', {});
    new EventArchive(stack, 'Archive', {
      eventsTable: tables.eventsTable,
      environment: {},
      retentionDays: 30,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const template = Template.fromStack(stack);
    for (const [, bucket] of Object.entries(template.findResources('AWS::S3::Bucket'))) {
      expect(bucket.DeletionPolicy).toBe('Delete');
    }
  });
});
