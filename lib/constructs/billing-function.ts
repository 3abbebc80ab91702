import { dirname } from 'node:path/posix';
import { fileURLToPath } from 'node:url';
import { Annotations, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { type ICommandHooks, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { FONT_DIRECTORY, FONT_FILES } from '../../functions/adapters/documents/font-files.js';
import { BUNDLE, type HandlerName, handlerEntryExists, handlerEntryPath, PROJECT_ROOT } from '../handlers.js';

export interface BillingFunctionProps {
  /** Which entry under functions/handlers/ this function runs. */
  readonly handler: HandlerName;
  readonly description: string;
  /**
   * Environment shared by all functions (typed runtime config). Resource-specific variables
   * (table name, queue URL ...) are added by the bind* helpers together with their grants.
   */
  readonly environment: Readonly<Record<string, string>>;
  /** @default 512 */
  readonly memorySize?: number;
  /** @default Duration.seconds(30) */
  readonly timeout?: Duration;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** @default - unreserved (reserving concurrency fails in accounts whose limit is the minimum of 10) */
  readonly reservedConcurrentExecutions?: number;
  /**
   * Files a bundled dependency reads at run time, copied next to the bundle.
   * @default - none
   */
  readonly bundleFiles?: readonly BundleFile[];
  /**
   * `imports` of a package.json written next to the bundle, for dependencies that load
   * `#subpath` imports through `createRequire(import.meta.url)` (esbuild cannot follow those).
   * @default - no package.json
   */
  readonly bundlePackageImports?: Readonly<Record<string, string>>;
}

export interface BundleFile {
  /** Relative to the repository root, e.g. `node_modules/pdfkit/js/standard-fonts`. */
  readonly from: string;
  /** Relative to the bundle directory (the Lambda task root). */
  readonly to: string;
}

/**
 * pdfkit 0.20 loads its 14 standard fonts with `require('#standard-fonts/<Name>')` from a
 * `createRequire(import.meta.url)`; in a bundle that resolves against the bundle's own package.json.
 */
export const PDFKIT_STANDARD_FONTS = {
  bundleFiles: [{ from: 'node_modules/pdfkit/js/standard-fonts', to: 'standard-fonts' }],
  bundlePackageImports: { '#standard-fonts/*': './standard-fonts/*.cjs' },
} as const satisfies Pick<BillingFunctionProps, 'bundleFiles' | 'bundlePackageImports'>;

/**
 * Everything a function that renders invoice and credit-note PDFs reads beside its bundle: the Noto
 * fonts the text is embedded in (functions/adapters/documents/font-files.ts; fonts.ts finds them in
 * `fonts/` next to the bundle, ~35 MB, read only when a text needs them), pdfkit's sRGB ICC profile
 * for the PDF/A OutputIntent (pdfkit reads `data/sRGB_IEC61966_2_1.icc` relative to the bundle),
 * and pdfkit's standard fonts.
 */
export const PDF_DOCUMENT_ASSETS = {
  bundleFiles: [
    ...PDFKIT_STANDARD_FONTS.bundleFiles,
    { from: 'node_modules/pdfkit/js/data/sRGB_IEC61966_2_1.icc', to: 'data/sRGB_IEC61966_2_1.icc' },
    ...Object.values(FONT_FILES).map((font) => ({
      from: `node_modules/${font.package}/${font.path}`,
      to: `${FONT_DIRECTORY}/${font.file}`,
    })),
  ],
  bundlePackageImports: PDFKIT_STANDARD_FONTS.bundlePackageImports,
} as const satisfies Pick<BillingFunctionProps, 'bundleFiles' | 'bundlePackageImports'>;

/**
 * A Lambda function of the billing stack: Node.js 22 on ARM, ESM bundle built by local esbuild,
 * its own log group with retention, and its own role that may write only to that log group. Every
 * other permission comes from a bind* helper, which grants and sets the matching env var at once.
 */
/** Template metadata naming a function's entry (lib/handlers.ts HANDLER_ENTRIES key). */
export const HANDLER_METADATA_KEY = 'billing:handler';

export class BillingFunction extends Construct {
  readonly function: NodejsFunction;
  readonly logGroup: logs.LogGroup;
  readonly role: iam.Role;
  readonly handlerName: HandlerName;

  constructor(scope: Construct, id: string, props: BillingFunctionProps) {
    super(scope, id);
    const memorySize = props.memorySize ?? 512;
    if (!Number.isInteger(memorySize) || memorySize < 128 || memorySize > 10_240) {
      throw new Error(`${this.node.path}: memorySize must be a whole number of MB between 128 and 10240`);
    }
    const timeout = props.timeout ?? Duration.seconds(30);
    if (timeout.toSeconds() < 1 || timeout.toSeconds() > 900) {
      throw new Error(`${this.node.path}: timeout must be between 1 and 900 seconds`);
    }
    this.handlerName = props.handler;

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the billing ${props.handler} function`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: this.entry(props.handler),
      handler: 'handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize,
      timeout,
      role: this.role,
      logGroup: this.logGroup,
      environment: { ...props.environment },
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
      projectRoot: PROJECT_ROOT,
      bundling: {
        format: OutputFormat.ESM,
        target: BUNDLE.target,
        minify: BUNDLE.minify,
        sourceMap: BUNDLE.sourcemap,
        mainFields: [...BUNDLE.mainFields],
        externalModules: [...BUNDLE.external],
        banner: BUNDLE.banner,
        tsconfig: `${PROJECT_ROOT}tsconfig.json`,
        commandHooks: afterBundling(props),
      },
    });
    // Which entry runs here, for the check that `npm start` wires each function as this template does.
    (this.function.node.defaultChild as lambda.CfnFunction).addMetadata(HANDLER_METADATA_KEY, props.handler);
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node.js 22 is chosen on purpose: the code is built and tested for Node 20/22 (dependency pins in EMULATORS.md) and bundled with target node22; nodejs22.x is supported by Lambda until 2027-04-30. Moving to nodejs24.x is a deliberate upgrade with its own test run.',
    });
  }

  addEnvironment(name: string, value: string): void {
    this.function.addEnvironment(name, value);
  }

  /**
   * The handler file. Other engineers write some handlers in parallel; while an entry is missing,
   * a synth that skips bundling (unit tests, the local runner reading the state machine) still
   * works by pointing at this file, whose content is never bundled then. A synth that bundles
   * fails with a message naming the missing file.
   */
  private entry(handler: HandlerName): string {
    const entry = handlerEntryPath(handler);
    if (handlerEntryExists(handler)) return entry;
    if (Stack.of(this).bundlingRequired) {
      throw new Error(`${this.node.path}: handler entry ${entry} does not exist`);
    }
    Annotations.of(this).addInfo(`handler entry ${entry} does not exist yet; bundling is skipped in this synth`);
    return fileURLToPath(import.meta.url);
  }
}

function afterBundling(props: BillingFunctionProps): ICommandHooks | undefined {
  const files = props.bundleFiles ?? [];
  const imports = props.bundlePackageImports;
  if (files.length === 0 && imports === undefined) return undefined;
  for (const file of files) {
    if (/['"\\]|\.\./.test(file.from + file.to))
      throw new Error(`bundleFiles: unsupported path ${file.from} -> ${file.to}`);
  }
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (inputDir: string, outputDir: string) => [
      ...files.flatMap((file) => [
        ...(dirname(file.to) === '.' ? [] : [`mkdir -p "${outputDir}/${dirname(file.to)}"`]),
        `cp -R "${inputDir}/${file.from}" "${outputDir}/${file.to}"`,
      ]),
      ...(imports === undefined ? [] : [`printf '%s' '${JSON.stringify({ imports })}' > "${outputDir}/package.json"`]),
    ],
  };
}
