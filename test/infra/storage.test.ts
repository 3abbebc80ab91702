import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { TABLE_SCHEMA } from '../../lib/constructs/billing-table.js';
import { synthTemplate } from '../../lib/synth.js';
import { defaultTemplate, defaultTemplateJson, resourcesOfType } from './support.js';

describe('billing table', () => {
  it('is one DynamoDB global table (TableV2) billed on demand with PK/SK string keys', () => {
    const template = defaultTemplate();
    template.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
    template.resourceCountIs('AWS::DynamoDB::Table', 0);
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'PK', KeyType: 'HASH' },
        { AttributeName: 'SK', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: 'PK', AttributeType: 'S' },
        { AttributeName: 'SK', AttributeType: 'S' },
      ]),
    });
  });

  it('has GSI1, GSI2 and GSI3 with string keys and projection ALL', () => {
    const template = defaultTemplate();
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
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
    defaultTemplate().hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TimeToLiveSpecification: { AttributeName: 'expires_at', Enabled: true },
    });
  });

  it('keeps the key names of the local table definition (functions/adapters/dynamodb/table.ts)', async () => {
    const { TABLE } = await import('../../functions/adapters/dynamodb/table.js');
    expect(TABLE.partitionKey).toBe(TABLE_SCHEMA.partitionKey);
    expect(TABLE.sortKey).toBe(TABLE_SCHEMA.sortKey);
    expect(TABLE.gsi1).toEqual(TABLE_SCHEMA.gsi1);
    expect(TABLE.ttlAttribute).toBe(TABLE_SCHEMA.ttlAttribute);
    expect(TABLE.gsi2).toEqual(TABLE_SCHEMA.gsi2);
    expect(TABLE.gsi3).toEqual(TABLE_SCHEMA.gsi3);
  });

  it('turns on point-in-time recovery and deletion protection on the replica', () => {
    defaultTemplate().hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      Replicas: [
        Match.objectLike({
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          DeletionProtectionEnabled: true,
        }),
      ],
    });
  });

  it('encrypts with the AWS-managed KMS key', () => {
    defaultTemplate().hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
    });
  });

  it('retains the table when the stack is deleted', () => {
    defaultTemplate().hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it('lets context switch off deletion protection and retention (throwaway stages)', () => {
    const template = synthTemplate({ stage: 'scratch', deletionProtection: 'false', retainTable: false });
    const [[, table]] = resourcesOfType(template, 'AWS::DynamoDB::GlobalTable') as [[string, any]];
    expect(table.Properties.Replicas[0].DeletionProtectionEnabled).toBe(false);
    expect(table.DeletionPolicy).toBe('Delete');
    expect(resourcesOfType(defaultTemplateJson(), 'AWS::DynamoDB::GlobalTable')).toHaveLength(1);
  });
});
