import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { ConfigError, type Env } from '../../config.js';

/** The keys a deployment's secret may hold (JSON): each becomes the variable of the same name. */
export const SECRET_KEYS = ['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET', 'BILLING_PORTAL_SECRET'] as const;

/**
 * In AWS the payment keys and the portal's signing secret live in Secrets Manager, never in the
 * function's environment: BILLING_SECRETS_ARN names the secret (a JSON object of {@link SECRET_KEYS}),
 * read once at cold start (Powertools Parameters) and laid over the environment before the
 * configuration is loaded. Without it (npm start, tests) the environment is used as it is.
 */
export async function withSecrets(env: Env = process.env): Promise<Env> {
  const arn = env.BILLING_SECRETS_ARN?.trim();
  if (!arn) return env;
  const value = await getSecret<Record<string, unknown>>(arn, { transform: 'json' });
  if (value === undefined || value === null || typeof value !== 'object' || Array.isArray(value))
    throw new ConfigError(`the secret ${arn} (BILLING_SECRETS_ARN) must be a JSON object`);
  const resolved: Env = { ...env };
  for (const key of SECRET_KEYS) {
    const entry = value[key];
    if (entry === undefined || entry === '') continue;
    if (typeof entry !== 'string') throw new ConfigError(`${key} in the secret ${arn} must be a string`);
    resolved[key] = entry;
  }
  return resolved;
}
