import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { type ConfigValidationError, loadStackConfig } from '../../lib/config.js';
import { synthTemplate } from '../../lib/synth.js';
import { defaultTemplate, defaultTemplateJson, logicalIdOf } from './support.js';

const functionEnv = (template: Record<string, unknown>) =>
  (template.Resources as any)[logicalIdOf(template, 'AWS::Lambda::Function', 'DunningRun')].Properties.Environment
    .Variables as Record<string, string>;

describe('dunning', () => {
  it('runs the dunning function every hour by default', () => {
    const template = defaultTemplateJson();
    const fn = (template.Resources as any)[logicalIdOf(template, 'AWS::Lambda::Function', 'DunningRun')];
    expect(fn.Metadata['billing:handler']).toBe('dunning');
    defaultTemplate().hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 hour)',
      State: 'ENABLED',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::Lambda::Function', 'DunningRun'), 'Arn'] },
        }),
      ],
    });
  });

  it('gives the function the table and the delivery queue, and the schedule only when one is configured', () => {
    const env = functionEnv(defaultTemplateJson());
    expect(env).toHaveProperty('BILLING_TABLE_NAME');
    expect(env).toHaveProperty('BILLING_DELIVERY_QUEUE_URL');
    expect(env).not.toHaveProperty('BILLING_DUNNING_SCHEDULE');
    const configured = synthTemplate({ dunningSchedule: 'reminder:3,suspend:30', dunningIntervalMinutes: 30 });
    expect(functionEnv(configured).BILLING_DUNNING_SCHEDULE).toBe('reminder:3,suspend:30');
    Template.fromJSON(configured).hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(30 minutes)',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [logicalIdOf(configured, 'AWS::Lambda::Function', 'DunningRun'), 'Arn'] },
        }),
      ],
    });
  });

  it('refuses a schedule that the functions would refuse, at synth', () => {
    const load = () =>
      loadStackConfig(
        (key) =>
          ({ senderEmail: 'billing@example.com', dunningSchedule: 'suspend:3,reminder:5', dunningIntervalMinutes: 1 })[
            key
          ],
      );
    const problems = (() => {
      try {
        load();
        return [];
      } catch (error) {
        return [...(error as ConfigValidationError).problems];
      }
    })();
    expect(problems.sort()).toEqual([
      'dunningIntervalMinutes: must be between 5 and 1440, got 1',
      'dunningSchedule: step 1: suspend is a final action: it must be the last step',
    ]);
  });
});
