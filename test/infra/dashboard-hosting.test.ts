import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, describe, expect, it } from 'vitest';
import { API_PATH_PATTERNS, DashboardHosting, SPA_REWRITE_CODE } from '../../lib/constructs/dashboard-hosting.js';
import { defaultTemplate, defaultTemplateJson, logicalIdOf, resourcesOfType } from './support.js';

/** Managed policy IDs (AWS documentation: managed cache / origin request policies). */
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const CACHING_OPTIMIZED = '658327ea-f89d-4fab-a63d-7e88639e58f6';
const ALL_VIEWER_EXCEPT_HOST_HEADER = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

function distributionConfig(): Record<string, any> {
  const distributions = resourcesOfType(defaultTemplateJson(), 'AWS::CloudFront::Distribution');
  expect(distributions).toHaveLength(1);
  return distributions[0]![1].Properties?.DistributionConfig;
}

function siteBucketId(): string {
  return logicalIdOf(defaultTemplateJson(), 'AWS::S3::Bucket', 'DashboardSite');
}

describe('dashboard bucket', () => {
  it('is private: all public access blocked, S3-managed encryption, owner-enforced objects', () => {
    const [, bucket] = resourcesOfType(defaultTemplateJson(), 'AWS::S3::Bucket').find(([id]) => id === siteBucketId())!;
    expect(bucket.Properties).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      LoggingConfiguration: {
        DestinationBucketName: { Ref: logicalIdOf(defaultTemplateJson(), 'AWS::S3::Bucket', 'DashboardAccessLogs') },
      },
    });
  });

  it('denies non-TLS requests and lets only the CloudFront distribution read objects', () => {
    defaultTemplate().hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: siteBucketId() },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Principal: { AWS: '*' },
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          Match.objectLike({
            Effect: 'Allow',
            Action: 's3:GetObject',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Condition: { StringEquals: { 'AWS:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    });
  });

  it('receives S3 access logs through a bucket policy (no LogDeliveryWrite ACL)', () => {
    const logBucketId = logicalIdOf(defaultTemplateJson(), 'AWS::S3::Bucket', 'DashboardAccessLogs');
    const [, logBucket] = resourcesOfType(defaultTemplateJson(), 'AWS::S3::Bucket').find(([id]) => id === logBucketId)!;
    expect(logBucket.Properties?.AccessControl).toBeUndefined();
    defaultTemplate().hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logBucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Action: 's3:PutObject',
            Principal: { Service: 'logging.s3.amazonaws.com' },
            Condition: Match.objectLike({ ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [siteBucketId(), 'Arn'] } } }),
          }),
        ]),
      },
    });
  });

  it('also enforces TLS on the access-log bucket, which expires logs', () => {
    defaultTemplate().hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logicalIdOf(defaultTemplateJson(), 'AWS::S3::Bucket', 'DashboardAccessLogs') },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    defaultTemplate().hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 90, Status: 'Enabled' })] },
    });
  });
});

describe('dashboard distribution', () => {
  it('reads the bucket through an Origin Access Control (no OAI, no public website endpoint)', () => {
    defaultTemplate().hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: {
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      },
    });
    defaultTemplate().resourceCountIs('AWS::CloudFront::CloudFrontOriginAccessIdentity', 0);
    const s3Origin = distributionConfig().Origins.find((o: any) => o.S3OriginConfig !== undefined);
    expect(s3Origin.DomainName).toEqual({ 'Fn::GetAtt': [siteBucketId(), 'RegionalDomainName'] });
    expect(s3Origin.OriginAccessControlId).toEqual({
      'Fn::GetAtt': [logicalIdOf(defaultTemplateJson(), 'AWS::CloudFront::OriginAccessControl', 'Dashboard'), 'Id'],
    });
    expect(s3Origin.S3OriginConfig).toEqual({ OriginAccessIdentity: '' });
  });

  it('serves index.html at the root, redirects HTTP to HTTPS and logs to the access-log bucket', () => {
    const config = distributionConfig();
    expect(config.DefaultRootObject).toBe('index.html');
    expect(config.DefaultCacheBehavior).toMatchObject({
      ViewerProtocolPolicy: 'redirect-to-https',
      CachePolicyId: CACHING_OPTIMIZED,
      AllowedMethods: ['GET', 'HEAD', 'OPTIONS'],
    });
    expect(config.Logging).toMatchObject({
      Bucket: {
        'Fn::GetAtt': [
          logicalIdOf(defaultTemplateJson(), 'AWS::S3::Bucket', 'DashboardAccessLogs'),
          'RegionalDomainName',
        ],
      },
      Prefix: 'cloudfront/',
    });
  });

  it('forwards /v1/*, /health and /openapi.json to the HTTP API: all methods, no caching, Host not forwarded', () => {
    const config = distributionConfig();
    const apiId = logicalIdOf(defaultTemplateJson(), 'AWS::ApiGatewayV2::Api', 'ApiHttpApi');
    const apiOrigin = config.Origins.find((o: any) => o.CustomOriginConfig !== undefined);
    expect(apiOrigin.DomainName).toEqual({
      'Fn::Select': [2, { 'Fn::Split': ['/', { 'Fn::GetAtt': [apiId, 'ApiEndpoint'] }] }],
    });
    expect(apiOrigin.CustomOriginConfig).toMatchObject({
      OriginProtocolPolicy: 'https-only',
      OriginSSLProtocols: ['TLSv1.2'],
    });

    const behaviors = config.CacheBehaviors as Record<string, any>[];
    expect(behaviors.map((b) => b.PathPattern).sort()).toEqual([...API_PATH_PATTERNS].sort());
    for (const behavior of behaviors) {
      expect(behavior, behavior.PathPattern).toMatchObject({
        TargetOriginId: apiOrigin.Id,
        ViewerProtocolPolicy: 'redirect-to-https',
        AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
        CachePolicyId: CACHING_DISABLED,
        OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST_HEADER,
      });
      expect(behavior.FunctionAssociations, behavior.PathPattern).toBeUndefined();
    }
  });

  it('falls back to /index.html for client-side routes on the S3 behavior only (API 403/404 stay untouched)', () => {
    const config = distributionConfig();
    const functionId = logicalIdOf(defaultTemplateJson(), 'AWS::CloudFront::Function', 'DashboardSpaRewrite');
    expect(config.DefaultCacheBehavior.FunctionAssociations).toEqual([
      { EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [functionId, 'FunctionARN'] } },
    ]);
    // Distribution-wide error responses would turn the API's JSON 403/404 into 200 + index.html.
    expect(config.CustomErrorResponses).toBeUndefined();
    defaultTemplate().hasResourceProperties('AWS::CloudFront::Function', {
      FunctionCode: SPA_REWRITE_CODE,
      FunctionConfig: Match.objectLike({ Runtime: 'cloudfront-js-2.0' }),
      AutoPublish: true,
    });
  });

  it('the rewrite answers routes with index.html (status 200 from S3) and leaves files alone', () => {
    const handler = new Function(`${SPA_REWRITE_CODE}; return handler;`)() as (event: { request: { uri: string } }) => {
      uri: string;
    };
    const rewrite = (uri: string) => handler({ request: { uri } }).uri;
    expect(rewrite('/')).toBe('/index.html');
    expect(rewrite('/invoices')).toBe('/index.html');
    expect(rewrite('/invoices/inv_01HXYZ/')).toBe('/index.html');
    expect(rewrite('/customers/cus_1.2')).toBe('/customers/cus_1.2'); // looks like a file: served as-is
    expect(rewrite('/index.html')).toBe('/index.html');
    expect(rewrite('/assets/index-3f2a1b.js')).toBe('/assets/index-3f2a1b.js');
    expect(rewrite('/favicon.svg')).toBe('/favicon.svg');
  });

  it('outputs the dashboard URL', () => {
    const template = defaultTemplate();
    const distributionId = logicalIdOf(defaultTemplateJson(), 'AWS::CloudFront::Distribution', 'Dashboard');
    template.hasOutput('DashboardUrl', {
      Value: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }]] },
    });
  });
});

describe('dashboard deployment', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  function standalone(options: { build: boolean; deployAssets?: boolean }) {
    const dir = mkdtempSync(join(tmpdir(), 'dashboard-dist-'));
    dirs.push(dir);
    if (options.build) writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Billing</title>');
    const app = new App();
    const stack = new Stack(app, 'Test');
    const httpApi = new apigw.HttpApi(stack, 'Api');
    const dashboard = new DashboardHosting(stack, 'Dashboard', {
      httpApi,
      assetsPath: dir,
      deployAssets: options.deployAssets ?? true,
    });
    return { app, stack, dashboard };
  }

  it('deploys nothing in a synth without bundling (tests, local runner), whether or not web/dist exists', () => {
    defaultTemplate().resourceCountIs('Custom::CDKBucketDeployment', 0);
    expect(resourcesOfType(defaultTemplateJson(), 'AWS::Lambda::Function')).toHaveLength(10);
  });

  it('uploads the build and invalidates the distribution when index.html exists', () => {
    const { stack, dashboard } = standalone({ build: true });
    expect(dashboard.deployment).toBeDefined();
    const template = Template.fromStack(stack);
    template.hasResourceProperties('Custom::CDKBucketDeployment', {
      DestinationBucketName: { Ref: logicalIdOf(template.toJSON(), 'AWS::S3::Bucket', 'DashboardSite') },
      DistributionId: { Ref: logicalIdOf(template.toJSON(), 'AWS::CloudFront::Distribution', 'Dashboard') },
      DistributionPaths: ['/*'],
      Prune: true,
      RetainOnDelete: true,
    });
    // Its own role with a scoped log group: no AWSLambdaBasicExecutionRole.
    for (const [id, role] of resourcesOfType(template.toJSON(), 'AWS::IAM::Role')) {
      expect(role.Properties?.ManagedPolicyArns, id).toBeUndefined();
    }
    Annotations.fromStack(stack).hasNoWarning('/Test/Dashboard', Match.stringLikeRegexp('build:web'));
  });

  it('warns (and does not fail) when web/dist/index.html is missing', () => {
    const { stack, dashboard } = standalone({ build: false });
    expect(dashboard.deployment).toBeUndefined();
    Template.fromStack(stack).resourceCountIs('Custom::CDKBucketDeployment', 0);
    Annotations.fromStack(stack).hasWarning('/Test/Dashboard', Match.stringLikeRegexp('npm run build:web'));
  });

  it('is cdk-nag clean with the deployment (findings acknowledged with reasons)', () => {
    const { app } = standalone({ build: true });
    const violations = new AwsSolutionsChecks(app)
      .validateScope(app)
      .violations.filter((v) => v.violatingResources.some((r) => !r.constructPath?.startsWith('Test/Api')));
    expect(violations.map((v) => v.ruleName)).toEqual([]);
  });

  it('requires TLS 1.2 (TLSv1.2_2021) from viewers when a custom domain and certificate are given', () => {
    const app = new App();
    const stack = new Stack(app, 'Test');
    const httpApi = new apigw.HttpApi(stack, 'Api');
    const certificate = Certificate.fromCertificateArn(
      stack,
      'Cert',
      'arn:aws:acm:us-east-1:000000000000:certificate/00000000-0000-0000-0000-000000000000',
    );
    new DashboardHosting(stack, 'Dashboard', {
      httpApi,
      deployAssets: false,
      customDomain: { domainNames: ['billing.example.com'], certificate },
    });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['billing.example.com'],
        ViewerCertificate: Match.objectLike({ MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' }),
      }),
    });
    const rules = new AwsSolutionsChecks(app).validateScope(app).violations.map((v) => v.ruleName);
    expect(rules.filter((rule) => rule.startsWith('AwsSolutions-CFR'))).toEqual([]);
  });

  it('rejects an access-log retention that is not a whole number of days', () => {
    const app = new App();
    const stack = new Stack(app, 'Test');
    const httpApi = new apigw.HttpApi(stack, 'Api');
    expect(() => new DashboardHosting(stack, 'Dashboard', { httpApi, accessLogRetention: Duration.hours(12) })).toThrow(
      /accessLogRetention must be a whole number of days >= 1/,
    );
  });
});
