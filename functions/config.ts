import type { AccountMapping, DatevSettings } from './domain/accounting.js';
import { isValidBic, isValidIban, normalizeIban } from './domain/bank.js';
import { DEFAULT_DUNNING_SCHEDULE, type DunningSchedule, parseDunningSchedule } from './domain/billing/dunning.js';
import type { PaymentInstructions } from './domain/invoice.js';

/**
 * The one place that reads the environment. Read once at cold start (or by the local runtime),
 * typed, failing fast with a message that names the variable.
 */
export interface BillingConfig {
  /** DynamoDB single table. */
  tableName: string;
  /**
   * The table of raw usage events (deduplication until their TTL; its stream feeds the event
   * archive). BILLING_EVENTS_TABLE_NAME, else `<tableName>-events`.
   */
  eventsTableName: string;
  /**
   * BILLING_LEGACY_EVENT_DEDUPE=1: ingestion also looks for duplicates among the raw events a release
   * before the events table kept in the billing table (set for one acceptance window after upgrading).
   */
  legacyEventDedupe: boolean;
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
  /** Hours a period's invoice stays a draft (plans and customers may say otherwise); 0: finalized at the close. */
  invoiceGraceHours: number;
  maxBodyBytes: number;
  /** Most events in one batch request. */
  maxBatchEvents: number;
  /**
   * The event archive (S3) keeps raw events this long (audit, reconcile, percentage rating): its
   * lifecycle rule in AWS. The table keeps them only for the acceptance window (deduplication).
   */
  eventRetentionDays: number;
  /** The event archive's bucket (S3): written from the table's stream, read by reconcile and percentage prices. */
  archiveBucket: string | undefined;
  /** S3 endpoint override (the local s3rver); undefined in AWS. */
  s3Endpoint: string | undefined;
  /** Invoice number prefix; {YYYY} is the issue year: "INV-{YYYY}-" gives INV-2026-000001. */
  invoicePrefix: string;
  invoicePadding: number;
  /** Credit note number prefix (their own gapless series; padding as invoices'): "CN-{YYYY}-" gives CN-2026-000001. */
  creditNotePrefix: string;
  seller: {
    name: string;
    email: string | undefined;
    addressLine: string | undefined;
    city: string | undefined;
    postalCode: string | undefined;
    /** ISO 3166-1 alpha-2; decides reverse charge. */
    country: string | undefined;
    taxId: string | undefined;
    /** Contact person or department named on e-invoices (BT-41): BILLING_SELLER_CONTACT; absent: the name. */
    contactName: string | undefined;
    /** Contact telephone on e-invoices (BT-42, XRechnung requires it): BILLING_SELLER_PHONE. */
    phone: string | undefined;
    /**
     * The seller's electronic address on e-invoices (BT-34, scheme EM): BILLING_SELLER_ELECTRONIC_ADDRESS,
     * else the seller's email.
     */
    electronicAddress: string | undefined;
    /**
     * Bank transfer details printed on invoices, in the invoice's language: BILLING_PAYMENT_ACCOUNT_HOLDER,
     * BILLING_PAYMENT_IBAN, BILLING_PAYMENT_BIC, and the seller's own wording per language
     * (BILLING_PAYMENT_INSTRUCTIONS_EN, BILLING_PAYMENT_INSTRUCTIONS_DE; BILLING_PAYMENT_INSTRUCTIONS
     * is read as the English one). Undefined when none is set.
     */
    paymentInstructions: PaymentInstructions | undefined;
  };
  /** Delivery queue (SQS); undefined disables delivery. */
  deliveryQueueUrl: string | undefined;
  sqsEndpoint: string | undefined;
  sesEndpoint: string | undefined;
  /** The From address of invoice emails: BILLING_SENDER_EMAIL, else the seller's email. */
  senderEmail: string;
  sesConfigurationSet: string | undefined;
  /** Where deliveries that failed maxReceiveCount times end up (SQS); read and redriven by the admin API. */
  deadLetterQueueUrl: string | undefined;
  /** A failed delivery is retried after base × 2^(receives - 1) seconds (visibility timeout)... */
  deliveryRetryBaseSeconds: number;
  /** ...at most this long. */
  deliveryRetryMaxSeconds: number;
  /** The outbox sweep re-enqueues emails owed for longer than this. */
  outboxSweepAfterSeconds: number;
  /** The sweep stops re-enqueueing an email after this many failed attempts (left to the DLQ alarm and a resend). */
  deliveryMaxAttempts: number;
  /** Outbound webhooks: the delay (seconds) before each retry of a failed delivery; after the last, it is dead. */
  webhookRetrySeconds: number[];
  /** Outbound webhooks: how long one POST may take (ms). */
  webhookTimeoutMs: number;
  /**
   * BILLING_WEBHOOK_ALLOW_PRIVATE_URLS=1: webhook endpoints may be http to localhost and may point at
   * loopback, private and link-local addresses (local receivers). Off by default (AWS): https only,
   * and a host that resolves to such an address is refused at delivery (SSRF guard).
   */
  webhookAllowPrivateUrls: boolean;
  /**
   * The EventBridge bus every webhook event is also put on (BILLING_EVENT_BUS_NAME, bound with
   * events:PutEvents to the function that processes the outbox). Undefined: no bus.
   */
  eventBusName: string | undefined;
  /** EventBridge endpoint override (tests: a local stand-in); undefined in AWS. */
  eventBridgeEndpoint: string | undefined;
  /**
   * Whether every change's webhook event is written (outbox) even while no webhook endpoint exists: the
   * deployment has an event bus (BILLING_EVENT_BUS_ENABLED=1 on every function of a stack with a bus,
   * or BILLING_EVENT_BUS_NAME set). Otherwise events are written only while an endpoint exists.
   */
  recordAllEvents: boolean;
  /** The close workflow (Step Functions) in AWS; locally the embedded runner is used. */
  stateMachineArn: string | undefined;
  /** The function that refreshes the estimates (AWS): the API starts it instead of rating inside a request. */
  estimatesFunctionName: string | undefined;
  /** The documents function (PDF and e-invoice rendering), invoked by the API and the delivery worker. */
  documentsFunctionName: string | undefined;
  /** The event archiver function: the API invokes it for an archive backfill (it alone writes the archive). */
  archiveFunctionName: string | undefined;
  /** SHA-256 (hex) of an admin key accepted in addition to stored keys (bootstraps a deployment). */
  adminKeySha256: string | undefined;
  /**
   * BILLING_CHECK_RESPONSES=1: every JSON response of a route that declares a response schema is parsed
   * with it, and one that does not conform fails the request (500 naming the field). Only the test
   * stacks set it; off by default (never in AWS).
   */
  checkResponses: boolean;
  /**
   * Payments through Stripe: STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET (in AWS from Secrets
   * Manager). Undefined without a secret key: invoices are then paid by hand only. STRIPE_API_URL
   * points the SDK elsewhere (tests: a local stand-in).
   */
  stripe: { secretKey: string; webhookSecret: string | undefined; apiUrl: string | undefined } | undefined;
  /** Signs customer portal links (HMAC); at least 32 characters. Undefined: portal links cannot be made. */
  portalSecret: string | undefined;
  /** Where portal links point (the dashboard's public address), e.g. https://billing.example.com. */
  portalUrl: string | undefined;
  /** AWS: the secret the keys above were read from at cold start (functions/adapters/aws/secrets.ts). */
  secretsArn: string | undefined;
  /** BILLING_DUNNING_SCHEDULE: the dunning of customers without their own (docs/billing.md, "Dunning"). */
  dunningSchedule: DunningSchedule;
  /** Accounting export (docs/accounting.md): the ledger accounts (defaults SKR03) and the DATEV header settings. */
  accounting: AccountingConfig;
}

/**
 * BILLING_ACCOUNT_* name the ledger accounts; BILLING_DATEV_* the DATEV header. The consultant and
 * client numbers have no default: without them GET /v1/exports/datev answers 409.
 */
export interface AccountingConfig {
  accounts: AccountMapping;
  datev: Omit<DatevSettings, 'consultantNumber' | 'clientNumber'> & {
    consultantNumber: number | undefined;
    clientNumber: number | undefined;
  };
}

/**
 * The variables that name a deployed resource. CDK gives a function one of these exactly when it
 * grants the function that resource (lib/bindings.ts); each entry under functions/handlers/ lists
 * the ones it reads (`bindings`), and `npm start` resolves them to its local servers.
 */
export const BINDING_VARIABLES = [
  'BILLING_TABLE_NAME',
  'BILLING_EVENTS_TABLE_NAME',
  'BILLING_DELIVERY_QUEUE_URL',
  'BILLING_DEAD_LETTER_QUEUE_URL',
  'BILLING_STATE_MACHINE_ARN',
  'BILLING_ESTIMATES_FUNCTION_NAME',
  'BILLING_DOCUMENTS_FUNCTION_NAME',
  'BILLING_ARCHIVE_FUNCTION_NAME',
  'BILLING_SES_CONFIGURATION_SET',
  'BILLING_ARCHIVE_BUCKET',
  'BILLING_SECRETS_ARN',
  'BILLING_EVENT_BUS_NAME',
] as const;
export type BindingVariable = (typeof BINDING_VARIABLES)[number];

/** The ledger accounts, their variables and SKR03 defaults (docs/accounting.md explains each choice). */
const ACCOUNT_DEFAULTS = {
  receivables: ['BILLING_ACCOUNT_RECEIVABLES', '1400'],
  revenue19: ['BILLING_ACCOUNT_REVENUE_19', '8400'],
  vat19: ['BILLING_ACCOUNT_VAT_19', '1776'],
  revenue7: ['BILLING_ACCOUNT_REVENUE_7', '8300'],
  vat7: ['BILLING_ACCOUNT_VAT_7', '1771'],
  revenueReverseCharge: ['BILLING_ACCOUNT_REVENUE_REVERSE_CHARGE', '8336'],
  revenueNonTaxable: ['BILLING_ACCOUNT_REVENUE_NON_TAXABLE', '8338'],
  revenueOtherRate: ['BILLING_ACCOUNT_REVENUE_OTHER_RATE', '8200'],
  vatOtherRate: ['BILLING_ACCOUNT_VAT_OTHER_RATE', '1770'],
  bank: ['BILLING_ACCOUNT_BANK', '1200'],
  providerClearing: ['BILLING_ACCOUNT_PROVIDER_CLEARING', '1360'],
  customerBalance: ['BILLING_ACCOUNT_CUSTOMER_BALANCE', '1590'],
} as const satisfies Record<keyof AccountMapping, readonly [string, string]>;

function accountVariables() {
  return [
    'BILLING_ACCOUNT_RECEIVABLES',
    'BILLING_ACCOUNT_REVENUE_19',
    'BILLING_ACCOUNT_VAT_19',
    'BILLING_ACCOUNT_REVENUE_7',
    'BILLING_ACCOUNT_VAT_7',
    'BILLING_ACCOUNT_REVENUE_REVERSE_CHARGE',
    'BILLING_ACCOUNT_REVENUE_NON_TAXABLE',
    'BILLING_ACCOUNT_REVENUE_OTHER_RATE',
    'BILLING_ACCOUNT_VAT_OTHER_RATE',
    'BILLING_ACCOUNT_BANK',
    'BILLING_ACCOUNT_PROVIDER_CLEARING',
    'BILLING_ACCOUNT_CUSTOMER_BALANCE',
  ] as const;
}

/** Every variable {@link loadConfig} reads (a test proves it reads no other). */
export const CONFIG_VARIABLES = [
  ...BINDING_VARIABLES,
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'DYNAMODB_ENDPOINT',
  'SQS_ENDPOINT',
  'SES_ENDPOINT',
  'S3_ENDPOINT',
  'EVENTBRIDGE_ENDPOINT',
  'BILLING_API_KEY',
  'BILLING_ADMIN_KEY_SHA256',
  'BILLING_ACCEPTANCE_WINDOW_DAYS',
  'BILLING_FUTURE_TOLERANCE_MINUTES',
  'BILLING_GRACE_MINUTES',
  'BILLING_INVOICE_GRACE_HOURS',
  'BILLING_MAX_BODY_BYTES',
  'BILLING_EVENT_RETENTION_DAYS',
  'BILLING_INVOICE_PREFIX',
  'BILLING_INVOICE_PADDING',
  'BILLING_CREDIT_NOTE_PREFIX',
  'BILLING_SELLER_NAME',
  'BILLING_SELLER_EMAIL',
  'BILLING_SELLER_ADDRESS',
  'BILLING_SELLER_CITY',
  'BILLING_SELLER_POSTAL_CODE',
  'BILLING_SELLER_COUNTRY',
  'BILLING_SELLER_TAX_ID',
  'BILLING_SELLER_CONTACT',
  'BILLING_SELLER_PHONE',
  'BILLING_SELLER_ELECTRONIC_ADDRESS',
  'BILLING_PAYMENT_ACCOUNT_HOLDER',
  'BILLING_PAYMENT_IBAN',
  'BILLING_PAYMENT_BIC',
  'BILLING_PAYMENT_INSTRUCTIONS',
  'BILLING_PAYMENT_INSTRUCTIONS_EN',
  'BILLING_PAYMENT_INSTRUCTIONS_DE',
  'BILLING_SENDER_EMAIL',
  'BILLING_DELIVERY_RETRY_BASE_SECONDS',
  'BILLING_DELIVERY_RETRY_MAX_SECONDS',
  'BILLING_OUTBOX_SWEEP_AFTER_SECONDS',
  'BILLING_DELIVERY_MAX_ATTEMPTS',
  'BILLING_WEBHOOK_RETRY_SECONDS',
  'BILLING_WEBHOOK_TIMEOUT_MS',
  'BILLING_WEBHOOK_ALLOW_PRIVATE_URLS',
  'BILLING_LEGACY_EVENT_DEDUPE',
  'BILLING_EVENT_BUS_ENABLED',
  'BILLING_CHECK_RESPONSES',
  'STRIPE_SECRET_KEY',
  'STRIPE_WEBHOOK_SECRET',
  'STRIPE_API_URL',
  'BILLING_PORTAL_SECRET',
  'BILLING_PORTAL_URL',
  'BILLING_DUNNING_SCHEDULE',
  ...accountVariables(),
  'BILLING_DATEV_CONSULTANT_NUMBER',
  'BILLING_DATEV_CLIENT_NUMBER',
  'BILLING_DATEV_FISCAL_YEAR_START',
  'BILLING_DATEV_ACCOUNT_LENGTH',
  'BILLING_DATEV_CHART',
  'BILLING_DATEV_AUTOMATIC_VAT',
] as const;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

/** Comma-separated whole numbers (each in min..max), e.g. a retry schedule. */
function integers(env: Env, name: string, fallback: number[], min: number, max: number): number[] {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  return raw.split(',').map((part) => integer({ [name]: part.trim() } as Env, name, 0, min, max));
}

/** A switch: 1 or true, 0 or false (unset: false). */
function flag(env: Env, name: string): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '' || raw === '0' || raw === 'false') return false;
  if (raw === '1' || raw === 'true') return true;
  throw new ConfigError(`${name} must be 1 or 0 (true or false), got "${env[name]}"`);
}

function optional(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

const PAYMENT_TEXT_LANGUAGES = ['en', 'de'] as const;

function paymentInstructions(env: Env): PaymentInstructions | undefined {
  const accountHolder = optional(env.BILLING_PAYMENT_ACCOUNT_HOLDER);
  const ibanText = optional(env.BILLING_PAYMENT_IBAN);
  const bic = optional(env.BILLING_PAYMENT_BIC)?.toUpperCase();
  if (ibanText !== undefined && !isValidIban(ibanText))
    throw new ConfigError(`BILLING_PAYMENT_IBAN must be a valid IBAN (check digits included), got "${ibanText}"`);
  if (bic !== undefined && !isValidBic(bic))
    throw new ConfigError(`BILLING_PAYMENT_BIC must be a BIC of 8 or 11 characters (e.g. COBADEFFXXX), got "${bic}"`);
  const text: Record<string, string> = {};
  for (const language of PAYMENT_TEXT_LANGUAGES) {
    const value = optional(env[`BILLING_PAYMENT_INSTRUCTIONS_${language.toUpperCase()}`]);
    if (value !== undefined) text[language] = value;
  }
  // The one-language setting of earlier releases was English text.
  const legacy = optional(env.BILLING_PAYMENT_INSTRUCTIONS);
  if (legacy !== undefined) text.en ??= legacy;
  const instructions: PaymentInstructions = {
    ...(accountHolder !== undefined ? { accountHolder } : {}),
    ...(ibanText !== undefined ? { iban: normalizeIban(ibanText) } : {}),
    ...(bic !== undefined ? { bic } : {}),
    ...(Object.keys(text).length > 0 ? { text } : {}),
  };
  return Object.keys(instructions).length > 0 ? instructions : undefined;
}

/** BILLING_SELLER_PHONE: a telephone number (digits, spaces, + - / ( ) .), at least three digits (XRechnung BR-DE-27). */
function sellerPhone(env: Env): string | undefined {
  const phone = optional(env.BILLING_SELLER_PHONE);
  if (phone !== undefined && (!/^[+\d\s()./-]{3,40}$/.test(phone) || (phone.match(/\d/g) ?? []).length < 3))
    throw new ConfigError(`BILLING_SELLER_PHONE must be a telephone number such as "+49 30 1234567", got "${phone}"`);
  return phone;
}

/** BILLING_SELLER_ELECTRONIC_ADDRESS (an e-mail address), else BILLING_SELLER_EMAIL. */
function sellerElectronicAddress(env: Env): string | undefined {
  const address = optional(env.BILLING_SELLER_ELECTRONIC_ADDRESS);
  if (address !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(address))
    throw new ConfigError(`BILLING_SELLER_ELECTRONIC_ADDRESS must be an e-mail address, got "${address}"`);
  return address ?? optional(env.BILLING_SELLER_EMAIL);
}

export function loadConfig(env: Env = process.env): BillingConfig {
  const tableName = env.BILLING_TABLE_NAME?.trim() || 'billing';
  return {
    tableName,
    eventsTableName: env.BILLING_EVENTS_TABLE_NAME?.trim() || `${tableName}-events`,
    legacyEventDedupe: flag(env, 'BILLING_LEGACY_EVENT_DEDUPE'),
    dynamodbEndpoint: env.DYNAMODB_ENDPOINT?.trim() || undefined,
    region: env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || 'us-east-1',
    adminApiKey: env.BILLING_API_KEY?.trim() || undefined,
    acceptanceWindowDays: integer(env, 'BILLING_ACCEPTANCE_WINDOW_DAYS', 35, 1, 3650),
    futureToleranceMinutes: integer(env, 'BILLING_FUTURE_TOLERANCE_MINUTES', 5, 0, 1440),
    graceMinutes: integer(env, 'BILLING_GRACE_MINUTES', 60, 0, 10_080),
    invoiceGraceHours: integer(env, 'BILLING_INVOICE_GRACE_HOURS', 0, 0, 720),
    maxBodyBytes: integer(env, 'BILLING_MAX_BODY_BYTES', 4 * 1024 * 1024, 1024, 6 * 1024 * 1024),
    maxBatchEvents: 1000,
    eventRetentionDays: integer(env, 'BILLING_EVENT_RETENTION_DAYS', 400, 1, 3650),
    archiveBucket: optional(env.BILLING_ARCHIVE_BUCKET),
    s3Endpoint: optional(env.S3_ENDPOINT),
    invoicePrefix: env.BILLING_INVOICE_PREFIX ?? 'INV-{YYYY}-',
    invoicePadding: integer(env, 'BILLING_INVOICE_PADDING', 6, 1, 12),
    creditNotePrefix: env.BILLING_CREDIT_NOTE_PREFIX ?? 'CN-{YYYY}-',
    seller: {
      name: env.BILLING_SELLER_NAME?.trim() || 'Example Billing GmbH',
      email: optional(env.BILLING_SELLER_EMAIL),
      addressLine: optional(env.BILLING_SELLER_ADDRESS),
      city: optional(env.BILLING_SELLER_CITY),
      postalCode: optional(env.BILLING_SELLER_POSTAL_CODE),
      country: optional(env.BILLING_SELLER_COUNTRY)?.toUpperCase(),
      taxId: optional(env.BILLING_SELLER_TAX_ID),
      contactName: optional(env.BILLING_SELLER_CONTACT),
      phone: sellerPhone(env),
      electronicAddress: sellerElectronicAddress(env),
      paymentInstructions: paymentInstructions(env),
    },
    deliveryQueueUrl: optional(env.BILLING_DELIVERY_QUEUE_URL),
    sqsEndpoint: optional(env.SQS_ENDPOINT),
    sesEndpoint: optional(env.SES_ENDPOINT),
    senderEmail: optional(env.BILLING_SENDER_EMAIL) ?? optional(env.BILLING_SELLER_EMAIL) ?? 'billing@example.com',
    sesConfigurationSet: optional(env.BILLING_SES_CONFIGURATION_SET),
    deadLetterQueueUrl: optional(env.BILLING_DEAD_LETTER_QUEUE_URL),
    deliveryRetryBaseSeconds: integer(env, 'BILLING_DELIVERY_RETRY_BASE_SECONDS', 10, 0, 43_200),
    deliveryRetryMaxSeconds: integer(env, 'BILLING_DELIVERY_RETRY_MAX_SECONDS', 900, 0, 43_200),
    outboxSweepAfterSeconds: integer(env, 'BILLING_OUTBOX_SWEEP_AFTER_SECONDS', 900, 0, 86_400),
    deliveryMaxAttempts: integer(env, 'BILLING_DELIVERY_MAX_ATTEMPTS', 25, 1, 1000),
    // 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h: eight attempts over about 28 hours.
    webhookRetrySeconds: integers(
      env,
      'BILLING_WEBHOOK_RETRY_SECONDS',
      [5, 300, 1800, 7200, 18_000, 36_000, 36_000],
      0,
      43_200,
    ),
    webhookTimeoutMs: integer(env, 'BILLING_WEBHOOK_TIMEOUT_MS', 10_000, 100, 60_000),
    webhookAllowPrivateUrls: flag(env, 'BILLING_WEBHOOK_ALLOW_PRIVATE_URLS'),
    eventBusName: optional(env.BILLING_EVENT_BUS_NAME),
    eventBridgeEndpoint: optional(env.EVENTBRIDGE_ENDPOINT),
    recordAllEvents: flag(env, 'BILLING_EVENT_BUS_ENABLED') || optional(env.BILLING_EVENT_BUS_NAME) !== undefined,
    stateMachineArn: optional(env.BILLING_STATE_MACHINE_ARN),
    estimatesFunctionName: optional(env.BILLING_ESTIMATES_FUNCTION_NAME),
    documentsFunctionName: optional(env.BILLING_DOCUMENTS_FUNCTION_NAME),
    archiveFunctionName: optional(env.BILLING_ARCHIVE_FUNCTION_NAME),
    adminKeySha256: optional(env.BILLING_ADMIN_KEY_SHA256)?.toLowerCase(),
    checkResponses: env.BILLING_CHECK_RESPONSES?.trim() === '1',
    stripe: stripeConfig(env),
    portalSecret: portalSecret(env),
    portalUrl: optional(env.BILLING_PORTAL_URL)?.replace(/\/+$/, ''),
    secretsArn: optional(env.BILLING_SECRETS_ARN),
    dunningSchedule: dunningSchedule(env),
    accounting: accountingConfig(env),
  };
}

function accountingConfig(env: Env): AccountingConfig {
  const accountLength = integer(env, 'BILLING_DATEV_ACCOUNT_LENGTH', 4, 4, 8);
  const accounts = {} as Record<keyof AccountMapping, string>;
  for (const [field, [name, fallback]] of Object.entries(ACCOUNT_DEFAULTS)) {
    const value = optional(env[name]) ?? fallback;
    if (!/^\d+$/.test(value)) throw new ConfigError(`${name} must be an account number (digits only), got "${value}"`);
    if (value.length !== accountLength)
      throw new ConfigError(
        `${name} must have ${accountLength} digits (BILLING_DATEV_ACCOUNT_LENGTH), got "${value}" (${value.length})`,
      );
    accounts[field as keyof AccountMapping] = value;
  }
  const number = (name: string, min: number, max: number) =>
    optional(env[name]) === undefined ? undefined : integer(env, name, 0, min, max);
  const fiscalYearStart = optional(env.BILLING_DATEV_FISCAL_YEAR_START) ?? '01-01';
  const [month, day] = fiscalYearStart.split('-').map(Number);
  if (
    !/^\d{2}-\d{2}$/.test(fiscalYearStart) ||
    month === undefined ||
    day === undefined ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > new Date(Date.UTC(2001, month, 0)).getUTCDate()
  )
    throw new ConfigError(
      `BILLING_DATEV_FISCAL_YEAR_START must be the first day of the fiscal year as MM-DD (e.g. 01-01, 07-01), got "${fiscalYearStart}"`,
    );
  const chart = optional(env.BILLING_DATEV_CHART) ?? '03';
  if (chart !== '03' && chart !== '04')
    throw new ConfigError(`BILLING_DATEV_CHART must be 03 (SKR03) or 04 (SKR04), got "${chart}"`);
  const automatic = optional(env.BILLING_DATEV_AUTOMATIC_VAT) ?? '1';
  if (automatic !== '0' && automatic !== '1')
    throw new ConfigError(
      `BILLING_DATEV_AUTOMATIC_VAT must be 1 (automatic revenue accounts) or 0, got "${automatic}"`,
    );
  return {
    accounts,
    datev: {
      consultantNumber: number('BILLING_DATEV_CONSULTANT_NUMBER', 1001, 9_999_999),
      clientNumber: number('BILLING_DATEV_CLIENT_NUMBER', 1, 99_999),
      fiscalYearStart,
      accountLength,
      chart,
      automaticVat: automatic === '1',
    },
  };
}

function dunningSchedule(env: Env): DunningSchedule {
  const text = env.BILLING_DUNNING_SCHEDULE;
  if (text === undefined) return DEFAULT_DUNNING_SCHEDULE;
  const parsed = parseDunningSchedule(text);
  if (!parsed.ok)
    throw new ConfigError(
      `BILLING_DUNNING_SCHEDULE must be steps like "reminder:3,retry:5,reminder:10,suspend:30" (or "none"): ${parsed.error}`,
    );
  return parsed.schedule;
}

function stripeConfig(env: Env): BillingConfig['stripe'] {
  const secretKey = optional(env.STRIPE_SECRET_KEY);
  const webhookSecret = optional(env.STRIPE_WEBHOOK_SECRET);
  const apiUrl = optional(env.STRIPE_API_URL);
  if (secretKey === undefined) {
    if (webhookSecret !== undefined) throw new ConfigError('STRIPE_WEBHOOK_SECRET is set but STRIPE_SECRET_KEY is not');
    return undefined;
  }
  if (!/^(sk|rk)_(test|live)_\S+$/.test(secretKey))
    throw new ConfigError('STRIPE_SECRET_KEY must be a Stripe secret or restricted key (sk_test_…, sk_live_…, rk_…)');
  if (webhookSecret !== undefined && !webhookSecret.startsWith('whsec_'))
    throw new ConfigError('STRIPE_WEBHOOK_SECRET must be a webhook signing secret (whsec_…)');
  if (apiUrl !== undefined && !/^https?:\/\/[^/\s]+\/?$/.test(apiUrl))
    throw new ConfigError(
      `STRIPE_API_URL must be a scheme, host and port (e.g. http://127.0.0.1:12111), got "${apiUrl}"`,
    );
  return { secretKey, webhookSecret, apiUrl };
}

function portalSecret(env: Env): string | undefined {
  const secret = optional(env.BILLING_PORTAL_SECRET);
  if (secret !== undefined && secret.length < 32)
    throw new ConfigError('BILLING_PORTAL_SECRET must be at least 32 characters');
  return secret;
}
