import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createBillingApp } from './app.js';
import { PROJECT_ROOT } from './handlers.js';

/** Fake identifiers used when resolving CloudFormation tokens outside AWS. */
export const FAKE_ENV = { partition: 'aws', region: 'us-east-1', accountId: '000000000000' } as const;

/** Context a local synth adds when neither cdk.json nor the caller sets it. */
const LOCAL_DEFAULTS: Record<string, unknown> = { senderEmail: 'billing@example.com' };

/** The `context` block of cdk.json, so an in-memory synth sees what `cdk synth` sees. */
export function cdkJsonContext(): Record<string, unknown> {
  try {
    const cdkJson = JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as { context?: unknown };
    return typeof cdkJson.context === 'object' && cdkJson.context !== null
      ? (cdkJson.context as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

/**
 * Synthesizes the billing stack in memory (no credentials, no network, bundling skipped) and
 * returns its CloudFormation template. Context: cdk.json's, overridden by `context`.
 */
export function synthTemplate(context: Record<string, unknown> = {}): Record<string, unknown> {
  const { app, stack } = createBillingApp({
    context: { ...LOCAL_DEFAULTS, ...cdkJsonContext(), ...context, 'aws:cdk:bundling-stacks': [] },
    // `cdk synth` runs the built-in CloudFormation validation (a WASM linter, seconds); the local
    // runner only needs the template, and test/infra runs that validation once on its own.
    appProps: { builtinCloudFormationValidation: false, treeMetadata: false },
  });
  const assembly = app.synth();
  const template = assembly.getStackArtifact(stack.artifactId).template as Record<string, unknown>;
  rmSync(assembly.directory, { recursive: true, force: true });
  return template;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * The close workflow's Amazon States Language, with the tokens of its DefinitionString resolved:
 * Lambda ARNs become `arn:aws:lambda:us-east-1:000000000000:function:<LogicalId>`, pseudo parameters
 * fake values. The local runner executes exactly this.
 */
export function closeWorkflowDefinition(template: Record<string, unknown>): Record<string, unknown> {
  const resources = (template.Resources ?? {}) as Record<string, { Type?: string; Properties?: Record<string, Json> }>;
  const machines = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::StepFunctions::StateMachine');
  if (machines.length !== 1) {
    throw new Error(`expected exactly one AWS::StepFunctions::StateMachine in the template, found ${machines.length}`);
  }
  const [logicalId, machine] = machines[0]!;
  const definition = machine.Properties?.DefinitionString;
  if (definition === undefined) throw new Error(`state machine ${logicalId} has no DefinitionString`);
  const text = resolveToken(definition, resources);
  return JSON.parse(text) as Record<string, unknown>;
}

function resolveToken(value: Json, resources: Record<string, { Type?: string }>): string {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`cannot resolve ${JSON.stringify(value)} in the state machine definition`);
  }
  if ('Fn::Join' in value) {
    const [separator, parts] = value['Fn::Join'] as [string, Json[]];
    return parts.map((part) => resolveToken(part, resources)).join(separator);
  }
  if ('Ref' in value) {
    const ref = value.Ref as string;
    if (ref === 'AWS::Partition') return FAKE_ENV.partition;
    if (ref === 'AWS::Region') return FAKE_ENV.region;
    if (ref === 'AWS::AccountId') return FAKE_ENV.accountId;
    if (ref === 'AWS::URLSuffix') return 'amazonaws.com';
    return fakeArn(ref, resources);
  }
  if ('Fn::GetAtt' in value) {
    const [ref, attribute] = value['Fn::GetAtt'] as [string, string];
    if (attribute !== 'Arn') throw new Error(`cannot resolve Fn::GetAtt ${ref}.${attribute}`);
    return fakeArn(ref, resources);
  }
  throw new Error(`cannot resolve ${JSON.stringify(value)} in the state machine definition`);
}

function fakeArn(logicalId: string, resources: Record<string, { Type?: string }>): string {
  const type = resources[logicalId]?.Type;
  const { partition, region, accountId } = FAKE_ENV;
  switch (type) {
    case 'AWS::Lambda::Function':
      return `arn:${partition}:lambda:${region}:${accountId}:function:${logicalId}`;
    case 'AWS::SQS::Queue':
      return `https://sqs.${region}.amazonaws.com/${accountId}/${logicalId}`;
    case 'AWS::DynamoDB::GlobalTable':
      return logicalId;
    default:
      throw new Error(`cannot resolve a reference to ${logicalId} (${type ?? 'unknown resource'})`);
  }
}
