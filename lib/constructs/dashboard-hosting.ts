import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Annotations, Duration, Fn, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type { ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import { PROJECT_ROOT } from '../handlers.js';
import { acknowledgeWildcardResource } from '../nag.js';

/** Paths CloudFront forwards to the HTTP API instead of the dashboard bucket. */
export const API_PATH_PATTERNS = ['/v1/*', '/health', '/openapi.json'] as const;

/** CloudFront Function (cloudfront-js-2.0, viewer request) of the default (S3) behavior. */
export const SPA_REWRITE_CODE = `function handler(event) {
  var request = event.request;
  var last = request.uri.split('/').pop();
  if (!/\\.[A-Za-z0-9]+$/.test(last)) request.uri = '/index.html';
  return request;
}`;

export interface DashboardHostingProps {
  /** The dashboard calls this API at the same origin (`/v1/*`, `/health`, `/openapi.json`). */
  readonly httpApi: IHttpApi;
  /**
   * Directory of the built dashboard (must contain index.html to be deployed).
   * @default `web/dist` under the project root (built by `npm run build:web`)
   */
  readonly assetsPath?: string;
  /**
   * Upload the built dashboard with a BucketDeployment. A synth that skips bundling (tests, the
   * local runner: `aws:cdk:bundling-stacks` empty) produces no deployable assets, so it deploys
   * nothing here either and the template does not depend on whether web/dist happens to exist.
   * @default Stack.of(this).bundlingRequired
   */
  readonly deployAssets?: boolean;
  /**
   * Custom domain of the dashboard: its names and an ACM certificate in us-east-1 covering them.
   * With it the viewer security policy is TLSv1.2_2021; the default *.cloudfront.net certificate
   * does not accept a security policy.
   * @default - the distribution's own *.cloudfront.net name
   */
  readonly customDomain?: { readonly domainNames: string[]; readonly certificate: ICertificate };
  /** Retention of the CloudFront and S3 access logs. @default Duration.days(90) */
  readonly accessLogRetention?: Duration;
  /**
   * Removal policy of the site and access-log buckets. No auto-delete custom resource is added
   * (it would be one more Lambda with a managed policy); with DESTROY, deleting the stack fails
   * while the buckets still hold objects.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The static dashboard (Vite build) in a private S3 bucket behind CloudFront (Origin Access
 * Control), with the billing HTTP API behind the same distribution so the browser uses one origin.
 */
export class DashboardHosting extends Construct {
  readonly bucket: s3.Bucket;
  readonly logBucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  /** Undefined when no build was deployed (missing web/dist/index.html or a synth without bundling). */
  readonly deployment?: s3deploy.BucketDeployment;

  constructor(scope: Construct, id: string, props: DashboardHostingProps) {
    super(scope, id);
    const assetsPath = props.assetsPath ?? join(PROJECT_ROOT, 'web', 'dist');
    const logRetention = props.accessLogRetention ?? Duration.days(90);
    const logRetentionDays = logRetention.toDays({ integral: false });
    if (!Number.isInteger(logRetentionDays) || logRetentionDays < 1) {
      throw new Error(`${this.node.path}: accessLogRetention must be a whole number of days >= 1`);
    }
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    if (props.customDomain !== undefined && props.customDomain.domainNames.length === 0) {
      throw new Error(`${this.node.path}: customDomain.domainNames must name at least one domain`);
    }

    // S3 server access logs are delivered through a bucket policy (logging.s3.amazonaws.com)
    // instead of the LogDeliveryWrite canned ACL CDK uses without this flag (set for this subtree only).
    this.node.setContext(cxapi.S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);
    // CloudFront standard logs are written with ACLs, so this bucket keeps them enabled (object writer).
    this.logBucket = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: logRetention }],
      removalPolicy,
    });
    this.bucket = new s3.Bucket(this, 'Site', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 's3/',
      removalPolicy,
    });

    // apiEndpoint is https://<id>.execute-api.<region>.<suffix>; the origin needs the host name.
    const apiHost = Fn.select(2, Fn.split('/', props.httpApi.apiEndpoint));
    const apiBehavior: cloudfront.BehaviorOptions = {
      origin: new HttpOrigin(apiHost, {
        protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
        originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
      }),
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
      cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
      // API Gateway routes on its own host name, so the viewer's Host header must not be forwarded.
      // With caching disabled, the managed AllViewer* policies also forward `Authorization` (AWS
      // knowledge center "cloudfront-authorization-header"); a custom origin request policy naming
      // Authorization would be refused, and caching on it must never happen for this API.
      originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
    };

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Billing dashboard and API',
      defaultRootObject: 'index.html',
      ...(props.customDomain && {
        domainNames: props.customDomain.domainNames,
        certificate: props.customDomain.certificate,
        minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      }),
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        compress: true,
        functionAssociations: [
          { eventType: cloudfront.FunctionEventType.VIEWER_REQUEST, function: this.spaRewriteFunction() },
        ],
      },
      additionalBehaviors: Object.fromEntries(API_PATH_PATTERNS.map((pattern) => [pattern, apiBehavior])),
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
    });

    const deployAssets = props.deployAssets ?? Stack.of(this).bundlingRequired;
    if (deployAssets) {
      if (existsSync(join(assetsPath, 'index.html'))) {
        this.deployment = this.deployAssets(assetsPath, removalPolicy);
      } else {
        Annotations.of(this).addWarning(
          `No dashboard build at ${assetsPath} (index.html missing): the bucket stays empty. Run \`npm run build:web\` first, then synth/deploy again.`,
        );
      }
    }

    this.acknowledgeNagFindings(props.customDomain === undefined);
  }

  /**
   * SPA fallback: client-side routes (last path segment without a file extension) are answered
   * with /index.html (status 200). This is done per behavior on purpose: distribution-wide custom
   * error responses (403/404 -> /index.html) would also rewrite the API's own 403/404 JSON
   * answers under /v1/* into 200 + HTML.
   */
  private spaRewriteFunction(): cloudfront.Function {
    return new cloudfront.Function(this, 'SpaRewrite', {
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      comment: 'Billing dashboard: client-side routes -> /index.html',
      code: cloudfront.FunctionCode.fromInline(SPA_REWRITE_CODE),
    });
  }

  private deployAssets(assetsPath: string, removalPolicy: RemovalPolicy): s3deploy.BucketDeployment {
    // Own role and log group instead of the default AWSLambdaBasicExecutionRole (no managed policies).
    const logGroup = new logs.LogGroup(this, 'DeploymentLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new iam.Role(this, 'DeploymentRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Uploads the dashboard build to the site bucket and invalidates CloudFront',
    });
    logGroup.grantWrite(role);
    const build = new s3assets.Asset(this, 'Build', { path: assetsPath });
    const deployment = new s3deploy.BucketDeployment(this, 'Deployment', {
      sources: [s3deploy.Source.bucket(build.bucket, build.s3ObjectKey)],
      destinationBucket: this.bucket,
      distribution: this.distribution,
      distributionPaths: ['/*'],
      prune: true,
      retainOnDelete: removalPolicy === RemovalPolicy.RETAIN,
      memoryLimit: 512,
      role,
      logGroup,
    });

    this.acknowledgeDeploymentFindings(deployment, build);
    return deployment;
  }

  /** Findings on the CDK-provided BucketDeployment handler (its grants are made by aws-cdk-lib). */
  private acknowledgeDeploymentFindings(deployment: s3deploy.BucketDeployment, build: s3assets.Asset): void {
    const policy = deployment.handlerRole.node.tryFindChild('DefaultPolicy') ?? deployment.handlerRole;
    acknowledgeWildcardResource(
      policy,
      build.bucket.arnForObjects('*'),
      "The deployment handler reads the dashboard build zip from the CDK asset bucket; BucketDeployment grants read on that bucket's objects, the key is a content hash known only after synth.",
    );
    acknowledgeWildcardResource(
      policy,
      this.bucket.arnForObjects('*'),
      'The deployment handler syncs the whole build into the dashboard bucket (put, overwrite, prune stale files), so it needs object access to every key of this one bucket.',
    );
    acknowledgeWildcardResource(
      policy,
      '*',
      'cloudfront:CreateInvalidation and cloudfront:GetInvalidation, granted by BucketDeployment to invalidate the distribution after an upload; it grants them on "*" (aws-cdk-lib does not scope them to the distribution ARN).',
    );
    const actionReasons: Record<string, string> = {
      's3:GetObject*':
        'Read actions of grantRead (GetObject, GetObjectVersion, ...) on the asset and dashboard buckets only, as BucketDeployment grants them.',
      's3:GetBucket*':
        "Bucket metadata reads of grantRead, needed by the deployment handler's aws s3 sync, on the asset and dashboard buckets only.",
      's3:List*':
        'Listing of grantRead, needed by aws s3 sync to compare and prune objects, on the asset and dashboard buckets only.',
      's3:DeleteObject*':
        'Pruning files of older builds from the dashboard bucket (prune: true); granted on this one bucket only.',
      's3:Abort*':
        'Aborting failed multipart uploads of large build files into the dashboard bucket; granted on this one bucket only.',
    };
    for (const [action, reason] of Object.entries(actionReasons)) {
      Validations.of(policy).acknowledge({ id: `AwsSolutions-IAM5[Action::${action}]`, reason });
    }
    const stack = Stack.of(this);
    for (const handler of stack.node.children.filter((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'))) {
      Validations.of(handler).acknowledge({
        id: 'AwsSolutions-L1',
        reason:
          'The BucketDeployment handler is a CDK-provided Python Lambda whose runtime aws-cdk-lib pins; it runs only during deployments and moves with aws-cdk-lib upgrades.',
      });
    }
  }

  private acknowledgeNagFindings(defaultCertificate: boolean): void {
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'The billing dashboard is used by the operator team from wherever they work; there is no country list to allow or deny, and the API behind it requires billing API keys.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR2',
      reason:
        'No WAF web ACL: the distribution serves a static build and forwards to the HTTP API, which authenticates every request (except the health check) and is throttled on its stage; a WAF ACL costs a fixed monthly fee this deployment does not justify.',
    });
    if (defaultCertificate) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'The distribution uses the default *.cloudfront.net certificate (no custom domain), for which CloudFront does not accept a viewer security policy; with customDomain the policy is TLSv1.2_2021. Origin traffic to the API is TLS 1.2 only.',
      });
    }
    Validations.of(this.logBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket is the access-log destination of the dashboard bucket and of CloudFront; logging its own accesses into itself would loop and into another bucket would only move the finding.',
    });
  }
}
