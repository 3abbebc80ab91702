import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { createBillingApp } from '../../lib/app.js';
import { cdkJsonContext } from '../../lib/synth.js';

function buildApp(context: Record<string, unknown> = {}) {
  return createBillingApp({
    context: { ...cdkJsonContext(), ...context, 'aws:cdk:bundling-stacks': [] },
    appProps: { builtinCloudFormationValidation: false },
  });
}

/** Every acknowledgement in the tree: `[construct path, rule id, reason]`. */
function acknowledgements(root: ReturnType<typeof buildApp>['app']): [string, string, string][] {
  const found: [string, string, string][] = [];
  for (const construct of root.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        found.push([construct.node.path, id.replace(/^annotation::/i, ''), reason]);
      }
    }
  }
  return found;
}

describe('cdk-nag AwsSolutions', () => {
  it('reports no unacknowledged error or warning', () => {
    const { app } = buildApp();
    const report = new AwsSolutionsChecks(app).validateScope(app);
    const findings = report.violations.map(
      (v) => `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
    );
    expect(findings).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('stays clean with every optional feature on (alarm email, domain identity, admin key, legacy events, provisioned tables)', () => {
    const { app } = buildApp({
      tableCapacity: 'provisioned',
      alarmEmail: 'ops@example.com',
      senderDomain: 'example.com',
      adminApiKeyHash: 'f'.repeat(64),
      legacyEventDedupe: true,
    });
    expect(new AwsSolutionsChecks(app).validateScope(app).violations).toEqual([]);
  });

  it('lets the app synthesize with the plugin registered as in bin/billing.ts', () => {
    const { app, stack } = buildApp();
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const assembly = app.synth();
    expect(assembly.getStackArtifact(stack.artifactId).template).toHaveProperty('Resources');
  });

  it('fails the synth on an unacknowledged finding (the check is live)', async () => {
    const { app, stack } = buildApp();
    const { PolicyStatement, Role, ServicePrincipal } = await import('aws-cdk-lib/aws-iam');
    const role = new Role(stack, 'Probe', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    role.addToPolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }));
    const rules = new AwsSolutionsChecks(app).validateScope(app).violations.map((v) => v.ruleName);
    expect(rules).toEqual(['AwsSolutions-IAM5[Resource::*]']);
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).toThrow(/AwsSolutions-IAM5\[Resource::\*\]/);
  });

  it('every acknowledgement names a rule and gives a written reason', () => {
    const { app } = buildApp();
    const acks = acknowledgements(app);
    expect(acks.length).toBeGreaterThan(0);
    for (const [path, id, reason] of acks) {
      expect(id, path).toMatch(/^AwsSolutions-[A-Z]+\d+(\[.+\])?$/);
      expect(reason.length, `${path} ${id}`).toBeGreaterThan(40);
    }
    // Wildcard acknowledgements are per finding (never the bare rule id).
    expect(acks.filter(([, id]) => id === 'AwsSolutions-IAM5')).toEqual([]);
  });
});
