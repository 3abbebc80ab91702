#!/usr/bin/env node
/**
 * CDK app entry (`npx cdk synth|deploy`, see cdk.json). Configuration comes from CDK context
 * (cdk.json, `-c key=value`) and is validated before anything is built; cdk-nag's AwsSolutions
 * checks run at synth, and any finding that is not acknowledged with a reason fails the synth.
 */
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { createBillingApp } from '../lib/app.js';
import { ConfigValidationError } from '../lib/config.js';

try {
  const { app } = createBillingApp({
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  app.synth();
} catch (error) {
  if (error instanceof ConfigValidationError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
