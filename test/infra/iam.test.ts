import { describe, expect, it } from 'vitest';
import { billingTableId, defaultTemplateJson, eventsTableId, logicalIdOf, resourcesOfType } from './support.js';

/**
 * Where AWS requires Resource "*", and why. Anything else with a wildcard resource fails the test.
 */
const RESOURCE_STAR_ALLOWED: Record<string, string> = {
  // Step Functions logging to CloudWatch Logs goes through vended log deliveries, which have no
  // resource-level permissions (AWS Step Functions developer guide, "IAM policies for logging").
  'logs:CreateLogDelivery': 'state machine logging',
  'logs:GetLogDelivery': 'state machine logging',
  'logs:UpdateLogDelivery': 'state machine logging',
  'logs:DeleteLogDelivery': 'state machine logging',
  'logs:ListLogDeliveries': 'state machine logging',
  'logs:PutResourcePolicy': 'state machine logging',
  'logs:DescribeResourcePolicies': 'state machine logging',
  'logs:DescribeLogGroups': 'state machine logging',
  // X-Ray has no resource-level permissions for sending traces (state machine tracing).
  'xray:PutTraceSegments': 'state machine tracing',
  'xray:PutTelemetryRecords': 'state machine tracing',
  'xray:GetSamplingRules': 'state machine tracing',
  'xray:GetSamplingTargets': 'state machine tracing',
};

/**
 * Statements of a KMS key policy always say Resource "*" (it means "this key"). The root-account
 * statement with kms:* is the AWS default key policy: it lets IAM policies of this account manage
 * the key; without it the key becomes unmanageable.
 */
const KEY_POLICY_ADMIN = { principal: ':root', action: 'kms:*' };

interface Statement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource?: unknown;
  Principal?: unknown;
}

const list = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

function identityPolicyStatements(template: Record<string, unknown>): [string, Statement][] {
  const statements: [string, Statement][] = [];
  for (const [id, policy] of resourcesOfType(template, 'AWS::IAM::Policy')) {
    for (const s of policy.Properties?.PolicyDocument.Statement ?? []) statements.push([id, s]);
  }
  for (const [id, role] of resourcesOfType(template, 'AWS::IAM::Role')) {
    for (const inline of role.Properties?.Policies ?? []) {
      for (const s of inline.PolicyDocument.Statement) statements.push([`${id}/${inline.PolicyName}`, s]);
    }
  }
  return statements;
}

describe('IAM least privilege', () => {
  it('uses no managed policies (each function role may write to its own log group only)', () => {
    for (const [id, role] of resourcesOfType(defaultTemplateJson(), 'AWS::IAM::Role')) {
      expect(role.Properties?.ManagedPolicyArns, id).toBeUndefined();
    }
    expect(resourcesOfType(defaultTemplateJson(), 'AWS::IAM::ManagedPolicy')).toEqual([]);
  });

  it('grants no Action "*" or "service:*"', () => {
    const statements = identityPolicyStatements(defaultTemplateJson());
    expect(statements.length).toBeGreaterThan(20);
    for (const [id, statement] of statements.filter(([, s]) => s.Effect === 'Allow')) {
      for (const action of list(statement.Action)) {
        expect(action, id).not.toBe('*');
        expect(action, id).not.toMatch(/^[a-z0-9-]+:\*$/);
      }
    }
  });

  it('grants Resource "*" only for the actions AWS offers no resource-level permission for', () => {
    const starActions: string[] = [];
    for (const [id, statement] of identityPolicyStatements(defaultTemplateJson())) {
      if (statement.Effect !== 'Allow' || !list(statement.Resource).includes('*')) continue;
      for (const action of list(statement.Action)) {
        expect(RESOURCE_STAR_ALLOWED, `${id}: ${action} on Resource "*"`).toHaveProperty([action]);
        starActions.push(action);
      }
    }
    expect(new Set(starActions)).toEqual(new Set(Object.keys(RESOURCE_STAR_ALLOWED)));
  });

  it('keeps wildcard resource patterns to sub-resources of our own resources', () => {
    const patterns = new Set<string>();
    for (const [, statement] of identityPolicyStatements(defaultTemplateJson())) {
      for (const resource of list(statement.Resource)) {
        if (typeof resource === 'object' && resource !== null && 'Fn::Join' in resource) {
          const [, parts] = (resource as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
          const tail = parts.at(-1);
          if (typeof tail === 'string' && tail.includes('*')) patterns.add(tail);
        }
      }
    }
    // <table>/index/*, <function>:* (versions/aliases), execution:<state machine name>:* and
    // execution:<state machine name>/*:* (the distributed map's child executions and map runs),
    // <archive bucket>/events/* (the raw-event objects of the event archive)
    expect([...patterns].sort()).toEqual(['/*:*', '/events/*', '/index/*', ':*']);
  });

  it('limits SES sending to the sender identity and the configuration set', () => {
    const ses = identityPolicyStatements(defaultTemplateJson()).filter(([, s]) =>
      list(s.Action).some((a) => a.startsWith('ses:')),
    );
    expect(ses.map(([id]) => id.replace(/[0-9A-F]{8}$/, ''))).toEqual(['InvoiceDeliveryDeliverRoleDefaultPolicy']);
    const [, statement] = ses[0]!;
    expect(list(statement.Action).sort()).toEqual(['ses:SendEmail', 'ses:SendRawEmail']);
    const flat = JSON.stringify(statement.Resource);
    expect(list(statement.Resource)).toHaveLength(2);
    expect(flat).toContain(':identity/');
    expect(flat).toContain(':configuration-set/');
  });

  it('lets only the API and the schedule start billing runs, and the state machine its own map runs', () => {
    const states = identityPolicyStatements(defaultTemplateJson())
      .filter(([, s]) => list(s.Action).some((a) => a.startsWith('states:')))
      .map(([id, s]): [string, string] => [id.replace(/[0-9A-F]{8}$/, ''), list(s.Action).join(',')]);
    const starters = states.filter(([id]) => !id.startsWith('CloseWorkflowStateMachineDistributedMapPolicy'));
    expect(starters.sort()).toEqual([
      ['ApiHandlerRoleDefaultPolicy', 'states:DescribeExecution'],
      ['ApiHandlerRoleDefaultPolicy', 'states:StartExecution'],
      ['SchedulerRoleForTarget8347cdDefaultPolicy', 'states:StartExecution'],
    ]);
    // The distributed map may only manage executions of its own state machine (see the wildcard test).
    expect(
      states.filter(([id]) => id.startsWith('CloseWorkflowStateMachineDistributedMapPolicy')).length,
    ).toBeGreaterThan(0);
  });

  it('lets only the API (read and write) and the close (read) use the events table, the archiver read its stream and scan it', () => {
    const template = defaultTemplateJson();
    const tableArn = { 'Fn::GetAtt': [eventsTableId(template), 'Arn'] };
    const streamArn = { 'Fn::GetAtt': [eventsTableId(template), 'StreamArn'] };
    const byRole = new Map<string, Set<string>>();
    for (const [id, statement] of identityPolicyStatements(template)) {
      if (
        statement.Effect !== 'Allow' ||
        !JSON.stringify(statement.Resource).includes(`"${eventsTableId(template)}"`)
      ) {
        continue;
      }
      const role = id.replace(/RoleDefaultPolicy[0-9A-F]{8}$/, '');
      const actions = byRole.get(role) ?? new Set<string>();
      for (const action of list(statement.Action)) actions.add(action);
      byRole.set(role, actions);
      // The table or its stream itself, never a pattern (the table has no index).
      for (const resource of list(statement.Resource)) expect([tableArn, streamArn], id).toContainEqual(resource);
    }
    expect([...byRole.keys()].sort()).toEqual([
      'ApiHandler',
      'CloseWorkflowCloseSubscriptionFunction',
      'EventArchiveArchiveFunction',
    ]);
    const api = byRole.get('ApiHandler')!;
    for (const action of ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']) {
      expect(api, action).toContain(action);
    }
    const close = [...byRole.get('CloseWorkflowCloseSubscriptionFunction')!];
    expect(close).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query']));
    expect(close.filter((action) => /Put|Update|Delete|Write/.test(action))).toEqual([]);
    const archiver = [...byRole.get('EventArchiveArchiveFunction')!].sort();
    expect(archiver).toEqual([
      'dynamodb:DescribeStream',
      'dynamodb:GetRecords',
      'dynamodb:GetShardIterator',
      'dynamodb:ListStreams',
      'dynamodb:Scan',
    ]);
  });

  it('lets only the API start an archive backfill (invoke the archiver), and the archiver scan no more than the events table', () => {
    const template = defaultTemplateJson();
    const archiver = logicalIdOf(template, 'AWS::Lambda::Function', 'EventArchiveArchiveFunction');
    const invokers = identityPolicyStatements(template)
      .filter(
        ([, statement]) =>
          list(statement.Action).includes('lambda:InvokeFunction') &&
          JSON.stringify(statement.Resource).includes(`"${archiver}"`),
      )
      .map(([id]) => id.replace(/RoleDefaultPolicy[0-9A-F]{8}$/, ''));
    expect(invokers).toEqual(['ApiHandler']);
    const scans = identityPolicyStatements(template).filter(([id, statement]) =>
      id.startsWith('EventArchiveArchiveFunction') ? list(statement.Action).includes('dynamodb:Scan') : false,
    );
    expect(scans.map(([, statement]) => statement.Resource)).toEqual([
      { 'Fn::GetAtt': [eventsTableId(template), 'Arn'] },
    ]);
  });

  it('grants nobody the billing table stream (it has none)', () => {
    const template = defaultTemplateJson();
    const billing = billingTableId(template);
    for (const [id, statement] of identityPolicyStatements(template)) {
      expect(JSON.stringify(statement.Resource), id).not.toContain(`"${billing}","StreamArn"`);
    }
  });

  it('grants PartiQL SELECT on the billing table to its readers (batched sparse reads), and no PartiQL write', () => {
    const template = defaultTemplateJson();
    const billing = billingTableId(template);
    const selecting = new Set<string>();
    for (const [id, statement] of identityPolicyStatements(template)) {
      if (statement.Effect !== 'Allow') continue;
      const actions = list(statement.Action);
      for (const action of actions) expect(action, id).not.toMatch(/^dynamodb:PartiQL(Insert|Update|Delete)$/);
      if (!actions.includes('dynamodb:PartiQLSelect')) continue;
      expect(JSON.stringify(statement.Resource), id).toContain(`"${billing}"`);
      expect(JSON.stringify(statement.Resource), id).not.toContain(`"${eventsTableId(template)}"`);
      selecting.add(id.replace(/RoleDefaultPolicy[0-9A-F]{8}$/, ''));
    }
    // The API (the upcoming report rated at once) and the estimates refresh are who batch.
    expect([...selecting], [...selecting].join()).toEqual(expect.arrayContaining(['ApiHandler', 'EstimatesRefresh']));
  });

  it('uses key-policy wildcards only as the AWS default key policy requires', () => {
    for (const [id, key] of resourcesOfType(defaultTemplateJson(), 'AWS::KMS::Key')) {
      for (const statement of (key.Properties?.KeyPolicy.Statement ?? []) as Statement[]) {
        if (statement.Effect !== 'Allow') continue;
        expect(list(statement.Resource), id).toEqual(['*']);
        const actions = list(statement.Action);
        if (actions.includes(KEY_POLICY_ADMIN.action)) {
          expect(JSON.stringify(statement.Principal), id).toContain(KEY_POLICY_ADMIN.principal);
        } else {
          for (const action of actions) expect(action, id).not.toMatch(/:\*$/);
        }
      }
    }
  });
});
