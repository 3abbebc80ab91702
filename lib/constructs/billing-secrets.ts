import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/**
 * The deployment's one secret (Secrets Manager), a JSON object the API and delivery functions read at
 * cold start (functions/adapters/aws/secrets.ts):
 * - `BILLING_PORTAL_SECRET`: generated here; signs customer portal links (replacing it ends every link);
 * - `STRIPE_SECRET_KEY`, `STRIPE_WEBHOOK_SECRET`: put in by the operator after the first deploy
 *   (docs/deploy.md); absent, payments are recorded by hand only.
 */
export class BillingSecrets extends Construct {
  readonly secret: secretsmanager.Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.secret = new secretsmanager.Secret(this, 'Secret', {
      description:
        'Billing: BILLING_PORTAL_SECRET (generated); add STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET to take payments',
      generateSecretString: {
        secretStringTemplate: '{}',
        generateStringKey: 'BILLING_PORTAL_SECRET',
        passwordLength: 48,
        excludePunctuation: true,
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Stripe keys are issued and rolled in the Stripe dashboard, not by a rotation Lambda; the portal secret is rotated by hand (it ends every portal link), see docs/deploy.md.',
    });
  }
}
