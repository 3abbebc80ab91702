import { App, type AppProps, type Environment } from 'aws-cdk-lib';
import { BillingStack } from './billing-stack.js';
import { loadStackConfig } from './config.js';

export interface BillingAppOptions {
  /** Extra context on top of cdk.json / `-c` (which the CLI passes through the environment). */
  readonly context?: Record<string, unknown>;
  readonly outdir?: string;
  readonly appProps?: Omit<AppProps, 'context' | 'outdir'>;
  /** @default - environment-agnostic (account and region resolved at deploy time) */
  readonly env?: Environment;
}

export function billingStackId(stage: string): string {
  return `billing-${stage}`;
}

/** Builds the CDK app: validated config from context, then the one stack. */
export function createBillingApp(options: BillingAppOptions = {}): { app: App; stack: BillingStack } {
  const app = new App({ ...options.appProps, context: options.context, outdir: options.outdir });
  const config = loadStackConfig((key) => app.node.tryGetContext(key));
  const stack = new BillingStack(app, billingStackId(config.stage), {
    config,
    description: `Usage-based billing (${config.stage})`,
    env: options.env,
    tags: { project: 'serverless-billing', stage: config.stage },
  });
  return { app, stack };
}
