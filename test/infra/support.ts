import { Template } from 'aws-cdk-lib/assertions';
import { synthTemplate } from '../../lib/synth.js';

/** The default template (cdk.json context), synthesized once per test file. */
let cached: Record<string, unknown> | undefined;
export function defaultTemplateJson(): Record<string, unknown> {
  cached ??= synthTemplate();
  return cached;
}

export function defaultTemplate(): Template {
  return Template.fromJSON(defaultTemplateJson());
}

export interface CfnResource {
  Type: string;
  Properties?: Record<string, any>;
  [key: string]: unknown;
}

export function resourcesOfType(template: Record<string, unknown>, type: string): [string, CfnResource][] {
  const resources = template.Resources as Record<string, CfnResource>;
  return Object.entries(resources).filter(([, resource]) => resource.Type === type);
}

/** Logical ID of the one resource of `type` whose ID starts with `prefix` (construct path based). */
export function logicalIdOf(template: Record<string, unknown>, type: string, prefix: string): string {
  const matches = resourcesOfType(template, type).filter(([id]) => id.startsWith(prefix));
  if (matches.length !== 1) {
    throw new Error(`expected one ${type} with logical id prefix ${prefix}, found ${matches.map(([id]) => id)}`);
  }
  return matches[0]![0];
}

/** Logical ID of the billing table (construct BillingTable/Table; the events table shares the prefix). */
export function billingTableId(template: Record<string, unknown>): string {
  const matches = resourcesOfType(template, 'AWS::DynamoDB::GlobalTable').filter(
    ([id]) => id.startsWith('BillingTable') && !id.startsWith('BillingTableEventsTable'),
  );
  if (matches.length !== 1) throw new Error(`expected one billing table, found ${matches.map(([id]) => id)}`);
  return matches[0]![0];
}

/** Logical ID of the events table (construct BillingTable/EventsTable). */
export function eventsTableId(template: Record<string, unknown>): string {
  return logicalIdOf(template, 'AWS::DynamoDB::GlobalTable', 'BillingTableEventsTable');
}
