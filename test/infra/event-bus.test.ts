import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { synthTemplate } from '../../lib/synth.js';
import { defaultTemplate, defaultTemplateJson, logicalIdOf, resourcesOfType } from './support.js';

const list = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** Every identity-policy statement that allows events:PutEvents, with the role it belongs to. */
function putEventsStatements(template: Record<string, unknown>) {
  const found: Array<{ roles: unknown; statement: any }> = [];
  for (const [, policy] of resourcesOfType(template, 'AWS::IAM::Policy'))
    for (const statement of policy.Properties?.PolicyDocument.Statement ?? [])
      if (list(statement.Action).some((action: string) => action.startsWith('events:')))
        found.push({ roles: policy.Properties?.Roles, statement });
  return found;
}

describe('event bus', () => {
  it('creates a custom bus and an archive of all its events kept 90 days by default', () => {
    const template = defaultTemplateJson();
    const busId = logicalIdOf(template, 'AWS::Events::EventBus', 'EventBus');
    defaultTemplate().hasResourceProperties('AWS::Events::EventBus', { Name: 'billing-dev' });
    defaultTemplate().hasResourceProperties('AWS::Events::Archive', {
      SourceArn: { 'Fn::GetAtt': [busId, 'Arn'] },
      RetentionDays: 90,
      EventPattern: { source: [{ prefix: '' }] },
    });
  });

  it('keeps archived events as long as eventBusArchiveDays says (0: indefinitely)', () => {
    Template.fromJSON(synthTemplate({ eventBusArchiveDays: 400 })).hasResourceProperties('AWS::Events::Archive', {
      RetentionDays: 400,
    });
    Template.fromJSON(synthTemplate({ eventBusArchiveDays: '0' })).hasResourceProperties('AWS::Events::Archive', {
      // CloudFormation's 0: kept indefinitely.
      RetentionDays: 0,
    });
    expect(() => synthTemplate({ eventBusArchiveDays: -1 })).toThrow(/eventBusArchiveDays: must be between 0 and 3650/);
  });

  it('lets only the deliver function put events, on this bus only, and names the bus to it alone', () => {
    const template = defaultTemplateJson();
    const busId = logicalIdOf(template, 'AWS::Events::EventBus', 'EventBus');
    const deliverId = logicalIdOf(template, 'AWS::Lambda::Function', 'InvoiceDeliveryDeliver');
    const deliverRole = (template.Resources as any)[deliverId].Properties.Role['Fn::GetAtt'][0];
    const statements = putEventsStatements(template);
    expect(statements).toHaveLength(1);
    expect(statements[0]!.roles).toEqual([{ Ref: deliverRole }]);
    expect(statements[0]!.statement).toMatchObject({
      Effect: 'Allow',
      Action: 'events:PutEvents',
      Resource: { 'Fn::GetAtt': [busId, 'Arn'] },
    });
    for (const [id, fn] of resourcesOfType(template, 'AWS::Lambda::Function')) {
      const env = fn.Properties?.Environment?.Variables ?? {};
      if (id === deliverId) expect(env.BILLING_EVENT_BUS_NAME).toEqual({ Ref: busId });
      else expect(env, id).not.toHaveProperty('BILLING_EVENT_BUS_NAME');
      // Every function writes every event (the bus gets them all, endpoint or not).
      if (env.BILLING_TABLE_NAME !== undefined) expect(env.BILLING_EVENT_BUS_ENABLED, id).toBe('1');
    }
  });
});
