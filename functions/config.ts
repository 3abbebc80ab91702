/**
 * The one place that reads the environment. Read once at cold start (or by the local runtime),
 * typed, failing fast with a message that names the variable.
 */
export interface BillingConfig {
  /** DynamoDB single table. */
  tableName: string;
  /** DynamoDB endpoint override (DynamoDB Local); undefined in AWS. */
  dynamodbEndpoint: string | undefined;
  region: string;
  /** Admin key given by configuration (local runs); stored keys live in the table. */
  adminApiKey: string | undefined;
  /** Events older than this are rejected; dedupe records live at least this long. */
  acceptanceWindowDays: number;
  /** Events further in the future than this are rejected. */
  futureToleranceMinutes: number;
  /** A period that ended is sealed only after this grace. */
  graceMinutes: number;
  maxBodyBytes: number;
  /** Most events in one batch request. */
  maxBatchEvents: number;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

export function loadConfig(env: Env = process.env): BillingConfig {
  return {
    tableName: env.BILLING_TABLE_NAME?.trim() || 'billing',
    dynamodbEndpoint: env.DYNAMODB_ENDPOINT?.trim() || undefined,
    region: env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || 'us-east-1',
    adminApiKey: env.BILLING_API_KEY?.trim() || undefined,
    acceptanceWindowDays: integer(env, 'BILLING_ACCEPTANCE_WINDOW_DAYS', 35, 1, 3650),
    futureToleranceMinutes: integer(env, 'BILLING_FUTURE_TOLERANCE_MINUTES', 5, 0, 1440),
    graceMinutes: integer(env, 'BILLING_GRACE_MINUTES', 60, 0, 10_080),
    maxBodyBytes: integer(env, 'BILLING_MAX_BODY_BYTES', 4 * 1024 * 1024, 1024, 6 * 1024 * 1024),
    maxBatchEvents: 1000,
  };
}
