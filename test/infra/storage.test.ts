import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { describe, expect, it } from 'vitest';
import { BillingTable, EVENTS_TABLE_SCHEMA, TABLE_SCHEMA } from '../../lib/constructs/billing-table.js';
import { synthTemplate } from '../../lib/synth.js';
import { billingTableId, defaultTemplate, defaultTemplateJson, eventsTableId, resourcesOfType } from './support.js';

/** The billing table's resource in the default template. */
const billingTable = () =>
  (defaultTemplateJson().Resources as Record<string, any>)[billingTableId(defaultTemplateJson())];
/** The events table's resource in the default template. */
const eventsTable = () =>
  (defaultTemplateJson().Resources as Record<string, any>)[eventsTableId(defaultTemplateJson())];

describe('billing table', () => {
  it('is a DynamoDB global table (TableV2) billed on demand with PK/SK string keys, next to the events table', () => {
    const template = defaultTemplate();
    template.resourceCountIs('AWS::DynamoDB::GlobalTable', 2);
    template.resourceCountIs('AWS::DynamoDB::Table', 0);
    expect(billingTable().Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'PK', KeyType: 'HASH' },
        { AttributeName: 'SK', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: expect.arrayContaining([
        { AttributeName: 'PK', AttributeType: 'S' },
        { AttributeName: 'SK', AttributeType: 'S' },
      ]),
    });
  });

  it('keeps its logical ID (a changed ID would replace the table and its data)', () => {
    expect(billingTableId(defaultTemplateJson())).toBe('BillingTableD4A5F153');
  });

  it('has no stream: nothing reads one (the archive reads the events table)', () => {
    expect(billingTable().Properties.StreamSpecification).toBeUndefined();
  });

  it('keeps its stream in the upgrade window from a release that kept raw events in it (legacyEventDedupe)', () => {
    const template = synthTemplate({ legacyEventDedupe: true });
    const table = (template.Resources as Record<string, any>)[billingTableId(template)];
    expect(table.Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_IMAGE' });
  });

  it('has GSI1, GSI2 and GSI3 with string keys and projection ALL', () => {
    const template = defaultTemplate();
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      StreamSpecification: Match.absent(),
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: 'GSI1PK', AttributeType: 'S' },
        { AttributeName: 'GSI1SK', AttributeType: 'S' },
        { AttributeName: 'GSI2PK', AttributeType: 'S' },
        { AttributeName: 'GSI2SK', AttributeType: 'S' },
        { AttributeName: 'GSI3PK', AttributeType: 'S' },
        { AttributeName: 'GSI3SK', AttributeType: 'S' },
      ]),
      GlobalSecondaryIndexes: [
        {
          IndexName: 'GSI1',
          KeySchema: [
            { AttributeName: 'GSI1PK', KeyType: 'HASH' },
            { AttributeName: 'GSI1SK', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
        {
          IndexName: 'GSI2',
          KeySchema: [
            { AttributeName: 'GSI2PK', KeyType: 'HASH' },
            { AttributeName: 'GSI2SK', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
        {
          IndexName: 'GSI3',
          KeySchema: [
            { AttributeName: 'GSI3PK', KeyType: 'HASH' },
            { AttributeName: 'GSI3SK', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    });
  });

  it('expires dedupe records through the expires_at TTL attribute', () => {
    expect(billingTable().Properties.TimeToLiveSpecification).toEqual({ AttributeName: 'expires_at', Enabled: true });
  });

  it('keeps the key names of the local table definition (functions/adapters/dynamodb/table.ts)', async () => {
    const { TABLE } = await import('../../functions/adapters/dynamodb/table.js');
    expect(TABLE.partitionKey).toBe(TABLE_SCHEMA.partitionKey);
    expect(TABLE.sortKey).toBe(TABLE_SCHEMA.sortKey);
    expect(TABLE.gsi1).toEqual(TABLE_SCHEMA.gsi1);
    expect(TABLE.ttlAttribute).toBe(TABLE_SCHEMA.ttlAttribute);
    expect(TABLE.gsi2).toEqual(TABLE_SCHEMA.gsi2);
    expect(TABLE.gsi3).toEqual(TABLE_SCHEMA.gsi3);
    // The events table uses the same key and TTL names.
    expect(EVENTS_TABLE_SCHEMA).toEqual({
      partitionKey: TABLE.partitionKey,
      sortKey: TABLE.sortKey,
      ttlAttribute: TABLE.ttlAttribute,
    });
  });

  it.each([
    ['billing table', billingTable],
    ['events table', eventsTable],
  ])('%s: point-in-time recovery and deletion protection on the replica', (_name, table) => {
    expect(table().Properties.Replicas).toEqual([
      expect.objectContaining({
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
      }),
    ]);
  });

  it.each([
    ['billing table', billingTable],
    ['events table', eventsTable],
  ])('%s: encrypted with the AWS-managed KMS key', (_name, table) => {
    expect(table().Properties.SSESpecification).toEqual({ SSEEnabled: true, SSEType: 'KMS' });
  });

  it.each([
    ['billing table', billingTable],
    ['events table', eventsTable],
  ])('%s: retained when the stack is deleted', (_name, table) => {
    expect(table()).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  it('lets context switch off deletion protection and retention of both tables (throwaway stages)', () => {
    const template = synthTemplate({ stage: 'scratch', deletionProtection: 'false', retainTable: false });
    const tables = resourcesOfType(template, 'AWS::DynamoDB::GlobalTable') as [string, any][];
    expect(tables).toHaveLength(2);
    for (const [id, table] of tables) {
      expect(table.Properties.Replicas[0].DeletionProtectionEnabled, id).toBe(false);
      expect(table.DeletionPolicy, id).toBe('Delete');
    }
    expect(resourcesOfType(defaultTemplateJson(), 'AWS::DynamoDB::GlobalTable')).toHaveLength(2);
  });
});

describe('events table', () => {
  it('has PK/SK string keys, on demand, and no index', () => {
    const { Properties } = eventsTable();
    expect(Properties.BillingMode).toBe('PAY_PER_REQUEST');
    expect(Properties.KeySchema).toEqual([
      { AttributeName: 'PK', KeyType: 'HASH' },
      { AttributeName: 'SK', KeyType: 'RANGE' },
    ]);
    expect(Properties.AttributeDefinitions).toEqual([
      { AttributeName: 'PK', AttributeType: 'S' },
      { AttributeName: 'SK', AttributeType: 'S' },
    ]);
    expect(Properties.GlobalSecondaryIndexes).toBeUndefined();
    expect(Properties.LocalSecondaryIndexes).toBeUndefined();
    expect(Properties.Replicas[0].GlobalSecondaryIndexes).toBeUndefined();
  });

  it('expires raw events through the expires_at TTL attribute', () => {
    expect(eventsTable().Properties.TimeToLiveSpecification).toEqual({ AttributeName: 'expires_at', Enabled: true });
  });

  it('streams new images (for the event archive)', () => {
    expect(eventsTable().Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_IMAGE' });
  });
});

describe('provisioned capacity (tableCapacity=provisioned)', () => {
  let cached: Record<string, unknown> | undefined;
  const provisioned = () => {
    cached ??= synthTemplate({ tableCapacity: 'provisioned', writeCapacityMax: '8000' });
    return cached;
  };
  const tableOf = (template: Record<string, unknown>, id: string) =>
    (template.Resources as Record<string, any>)[id].Properties;
  const autoscaled = (maxCapacity: number) => ({
    MinCapacity: 5,
    MaxCapacity: maxCapacity,
    // What an on-demand table starts with when it switches (CloudFormation requires a seed for that).
    SeedCapacity: 5,
    TargetTrackingScalingPolicyConfiguration: { TargetValue: 70 },
  });
  const write = (maxCapacity: number) => ({ WriteCapacityAutoScalingSettings: autoscaled(maxCapacity) });
  const read = (maxCapacity: number) => ({ ReadCapacityAutoScalingSettings: autoscaled(maxCapacity) });

  it('leaves both tables on demand by default', () => {
    for (const [id, table] of resourcesOfType(defaultTemplateJson(), 'AWS::DynamoDB::GlobalTable')) {
      expect(table.Properties?.BillingMode, id).toBe('PAY_PER_REQUEST');
      expect(table.Properties?.WriteProvisionedThroughputSettings, id).toBeUndefined();
      expect(table.Properties?.Replicas[0].ReadProvisionedThroughputSettings, id).toBeUndefined();
    }
  });

  it.each([
    ['billing table', billingTableId],
    ['events table', eventsTableId],
  ])(
    '%s: provisioned, writes and reads (per replica) auto scaled to 70 %% between the minimum and the maximum',
    (_name, id) => {
      const table = tableOf(provisioned(), id(provisioned()));
      expect(table.BillingMode).toBe('PROVISIONED');
      expect(table.WriteProvisionedThroughputSettings).toEqual(write(8000));
      expect(table.Replicas).toHaveLength(1);
      expect(table.Replicas[0].ReadProvisionedThroughputSettings).toEqual(read(4000));
    },
  );

  it('gives each index of the billing table auto-scaled write and read capacity of its own', () => {
    const table = tableOf(provisioned(), billingTableId(provisioned()));
    expect(
      table.GlobalSecondaryIndexes.map((gsi: any) => [gsi.IndexName, gsi.WriteProvisionedThroughputSettings]),
    ).toEqual(['GSI1', 'GSI2', 'GSI3'].map((name) => [name, write(8000)]));
    expect(
      table.Replicas[0].GlobalSecondaryIndexes.map((gsi: any) => [
        gsi.IndexName,
        gsi.ReadProvisionedThroughputSettings,
      ]),
    ).toEqual(['GSI1', 'GSI2', 'GSI3'].map((name) => [name, read(4000)]));
  });

  it('keeps the logical IDs, keys, stream, TTL, PITR and deletion protection of the tables', () => {
    expect(billingTableId(provisioned())).toBe(billingTableId(defaultTemplateJson()));
    expect(eventsTableId(provisioned())).toBe(eventsTableId(defaultTemplateJson()));
    for (const id of [billingTableId, eventsTableId]) {
      const { BillingMode, WriteProvisionedThroughputSettings, GlobalSecondaryIndexes, Replicas, ...rest } = tableOf(
        provisioned(),
        id(provisioned()),
      );
      const before = tableOf(defaultTemplateJson(), id(defaultTemplateJson()));
      expect(rest).toEqual(
        Object.fromEntries(
          Object.entries(before).filter(
            ([key]) => !['BillingMode', 'GlobalSecondaryIndexes', 'Replicas'].includes(key),
          ),
        ),
      );
      expect(Replicas[0]).toMatchObject(before.Replicas[0]);
    }
  });

  it('takes readCapacityMax from context', () => {
    const template = synthTemplate({ tableCapacity: 'provisioned', readCapacityMax: 100 });
    const table = tableOf(template, eventsTableId(template));
    expect(table.WriteProvisionedThroughputSettings).toEqual(write(4000));
    expect(table.Replicas[0].ReadProvisionedThroughputSettings).toEqual(read(100));
  });

  it.each([
    [{ tableCapacity: 'cheap' }, /tableCapacity: must be one of on-demand, provisioned, got "cheap"/],
    [{ tableCapacity: 'provisioned', writeCapacityMax: '0' }, /writeCapacityMax: must be between 5 and 40000, got 0/],
    [{ writeCapacityMax: 100 }, /writeCapacityMax: applies only with tableCapacity "provisioned"/],
  ])('fails the synth on %j with a message naming the key', (context, message) => {
    expect(() => synthTemplate(context)).toThrow(message);
  });
});

describe('BillingTable construct', () => {
  it('names both tables when asked and encrypts both with the customer-managed key it is given', () => {
    // A customer-managed key needs a stack with a region (TableV2 renders it per replica).
    const stack = new Stack(new App(), 'Test', { env: { account: '111111111111', region: 'eu-central-1' } });
    const key = new Key(stack, 'Key');
    new BillingTable(stack, 'Tables', { tableName: 'billing', eventsTableName: 'billing-events', encryptionKey: key });
    const tables = Template.fromStack(stack).findResources('AWS::DynamoDB::GlobalTable');
    const keyArn = stack.resolve(key.keyArn);
    expect(Object.values(tables).map((table) => table.Properties.TableName)).toEqual(['billing', 'billing-events']);
    for (const table of Object.values(tables)) {
      expect(table.Properties.SSESpecification).toEqual({ SSEEnabled: true, SSEType: 'KMS' });
      expect(table.Properties.Replicas[0].SSESpecification).toEqual({ KMSMasterKeyId: keyArn });
    }
  });

  it('refuses a provisioned maximum below the minimum', () => {
    const stack = new Stack(new App(), 'Test');
    expect(
      () =>
        new BillingTable(stack, 'Tables', {
          capacity: { mode: 'provisioned', writeCapacityMax: 4, readCapacityMax: 100 },
        }),
    ).toThrow('Test/Tables: writeCapacityMax must be a whole number >= 5, got 4');
  });
});
