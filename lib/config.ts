import { isValidBic, isValidIban, normalizeIban } from '../functions/domain/bank.js';
import { parseDunningSchedule } from '../functions/domain/billing/dunning.js';
import { PROVISIONED_CAPACITY } from './constructs/billing-table.js';

/**
 * Typed deployment configuration read from CDK context (cdk.json `context`, or `-c key=value` on the
 * command line) and validated at synth time. Every error names the context key it is about, so a
 * mistake fails `cdk synth` with a message that says what to fix.
 */

/** Context keys the stack reads. Values from `-c` arrive as strings; cdk.json values keep their JSON type. */
export const CONTEXT_KEYS = [
  'stage',
  'senderEmail',
  'senderDomain',
  'scheduleCron',
  'scheduleTimeZone',
  'scheduleEnabled',
  'graceMinutes',
  'invoiceGraceHours',
  'acceptanceWindowDays',
  'alarmEmail',
  'deletionProtection',
  'retainTable',
  'sellerName',
  'sellerAddress',
  'sellerPostalCode',
  'sellerCity',
  'sellerCountry',
  'sellerTaxId',
  'sellerEmail',
  'sellerContact',
  'sellerPhone',
  'sellerElectronicAddress',
  'paymentAccountHolder',
  'paymentIban',
  'paymentBic',
  'paymentInstructionsEn',
  'paymentInstructionsDe',
  'adminApiKeyHash',
  'logLevel',
  'logRetentionDays',
  'closeMaxConcurrency',
  'apiThrottleRateLimit',
  'apiThrottleBurstLimit',
  'estimatesRefreshMinutes',
  'eventRetentionDays',
  'portalUrl',
  'dunningSchedule',
  'dunningIntervalMinutes',
  'eventBusArchiveDays',
  'legacyEventDedupe',
  'tableCapacity',
  'writeCapacityMax',
  'readCapacityMax',
] as const;

export type ContextKey = (typeof CONTEXT_KEYS)[number];

/** An AWS (EventBridge Scheduler) cron expression split into its six fields. */
export interface CronFields {
  readonly minute: string;
  readonly hour: string;
  readonly day: string;
  readonly month: string;
  readonly weekDay: string;
  readonly year: string;
}

/** How customers pay, printed on invoices in the invoice's language. Empty strings: not configured. */
export interface PaymentDetails {
  readonly accountHolder: string;
  /** Electronic format (no spaces, upper case), checksum verified. */
  readonly iban: string;
  readonly bic: string;
  /** The seller's own wording, replacing the sentence composed from the bank details. */
  readonly instructionsEn: string;
  readonly instructionsDe: string;
}

export interface SellerDetails {
  readonly name: string;
  /** Street line, printed on invoices. */
  readonly address: string;
  readonly postalCode: string;
  readonly city: string;
  /** ISO 3166-1 alpha-2. */
  readonly country: string;
  readonly taxId: string;
  /** Printed on invoices and the From address of invoice emails. */
  readonly email: string;
  /** E-invoices: contact person or department (BT-41), telephone (BT-42), electronic address (BT-34; default: email). */
  readonly contact?: string;
  readonly phone?: string;
  readonly electronicAddress?: string;
  readonly payment: PaymentDetails;
}

export interface BillingStackConfig {
  /** Deployment stage; part of the stack name and resource names. */
  readonly stage: string;
  /** The From address of invoice emails (and the SES identity unless senderDomain): sellerEmail when set, else senderEmail. */
  readonly senderEmail: string;
  /** When set, the SES identity is this domain (DKIM), otherwise the sender address itself. */
  readonly senderDomain: string | undefined;
  /** The original six-field cron text, e.g. `5 * * * ? *`. */
  readonly scheduleCron: string;
  readonly scheduleCronFields: CronFields;
  /** IANA time zone of the cron schedule. */
  readonly scheduleTimeZone: string;
  readonly scheduleEnabled: boolean;
  readonly graceMinutes: number;
  /** Hours a period's invoice stays a draft before it is finalized (0: at the close). */
  readonly invoiceGraceHours: number;
  readonly acceptanceWindowDays: number;
  readonly alarmEmail: string | undefined;
  readonly deletionProtection: boolean;
  readonly retainTable: boolean;
  readonly seller: SellerDetails;
  /** SHA-256 hex of the bootstrap admin API key, handed to the API function. */
  readonly adminApiKeyHash: string | undefined;
  readonly logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  readonly logRetentionDays: number;
  readonly closeMaxConcurrency: number;
  readonly apiThrottleRateLimit: number;
  readonly apiThrottleBurstLimit: number;
  /** How often the current-period estimates (upcoming report, customer list) are re-rated. */
  readonly estimatesRefreshMinutes: number;
  /**
   * How long the event archive (S3) keeps raw usage events; at least acceptanceWindowDays, since a
   * period can be re-rated from the archive until its last accepted event.
   */
  readonly eventRetentionDays: number;
  /**
   * The public address of the dashboard (and the customer portal under it), e.g. the CloudFront or a
   * custom domain: portal links point there. Unset: the API refuses to make portal links (409).
   */
  readonly portalUrl: string | undefined;
  /** BILLING_DUNNING_SCHEDULE of the functions ("reminder:3,retry:5,…"; empty: the functions' default). */
  readonly dunningSchedule: string;
  /** How often the dunning run starts. */
  readonly dunningIntervalMinutes: number;
  /** Days the archive of the EventBridge bus keeps its events (for replay); 0: indefinitely. */
  readonly eventBusArchiveDays: number;
  /**
   * After upgrading from a release that kept raw events in the billing table, for one acceptance
   * window: ingestion also looks there for duplicates (BILLING_LEGACY_EVENT_DEDUPE of the API function).
   */
  readonly legacyEventDedupe: boolean;
  /** Billing mode of both DynamoDB tables: on demand, or provisioned with auto scaling. */
  readonly tableCapacity: TableCapacityMode;
  /** Provisioned only: the most write / read capacity units auto scaling may give a table or an index. */
  readonly writeCapacityMax: number;
  readonly readCapacityMax: number;
}

export const TABLE_CAPACITY_MODES = ['on-demand', 'provisioned'] as const;
export type TableCapacityMode = (typeof TABLE_CAPACITY_MODES)[number];

export class ConfigValidationError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`Invalid CDK context:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigValidationError';
    this.problems = problems;
  }
}

/** Where the context values come from: `app.node.tryGetContext` or a plain object. */
export type ContextSource = (key: string) => unknown;

export const DEFAULTS = {
  stage: 'dev',
  scheduleCron: '5 * * * ? *',
  scheduleTimeZone: 'UTC',
  scheduleEnabled: true,
  graceMinutes: 60,
  invoiceGraceHours: 0,
  acceptanceWindowDays: 35,
  deletionProtection: true,
  retainTable: true,
  logLevel: 'INFO',
  logRetentionDays: 30,
  closeMaxConcurrency: 10,
  apiThrottleRateLimit: 100,
  apiThrottleBurstLimit: 200,
  estimatesRefreshMinutes: 60,
  eventRetentionDays: 400,
  dunningIntervalMinutes: 60,
  eventBusArchiveDays: 90,
  legacyEventDedupe: false,
  tableCapacity: 'on-demand',
  writeCapacityMax: PROVISIONED_CAPACITY.writeCapacityMaxDefault,
  readCapacityMax: PROVISIONED_CAPACITY.readCapacityMaxDefault,
} as const;

/** Upper bound of writeCapacityMax / readCapacityMax: DynamoDB's default per-table quota of an account. */
const CAPACITY_MAX_LIMIT = 40_000;

/** CloudWatch Logs accepts only these retention periods (days). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
const EMAIL = /^[^\s@]+@([A-Za-z0-9-]+\.)+[A-Za-z]{2,}$/;
const DOMAIN = /^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,}$/;
const CRON_FIELD = /^[0-9A-Za-z*?,/#L W-]+$/;

/** Reads, defaults and validates the whole configuration; throws one error listing every problem. */
export function loadStackConfig(source: ContextSource): BillingStackConfig {
  const problems: string[] = [];
  const reader = new ContextReader(source, problems);

  const stage = reader.string('stage', DEFAULTS.stage);
  if (!/^[a-z][a-z0-9-]{0,19}$/.test(stage)) {
    problems.push(
      `stage: must be 1-20 lower-case letters, digits or '-', starting with a letter, got ${JSON.stringify(stage)}`,
    );
  }

  const senderDomain = reader.optionalString('senderDomain');
  if (senderDomain !== undefined && !DOMAIN.test(senderDomain)) {
    problems.push(`senderDomain: must be a domain name like "example.com", got ${JSON.stringify(senderDomain)}`);
  }
  const inSenderDomain = (address: string) =>
    senderDomain === undefined || address.toLowerCase().endsWith(`@${senderDomain.toLowerCase()}`);
  // The seller's address is the From of invoice emails; senderEmail is the From only without one.
  const sellerEmail = reader.optionalString('sellerEmail');
  if (sellerEmail !== undefined && !EMAIL.test(sellerEmail)) {
    problems.push(`sellerEmail: must be an email address, got ${JSON.stringify(sellerEmail)}`);
  } else if (sellerEmail !== undefined && !inSenderDomain(sellerEmail)) {
    problems.push(
      `sellerEmail: must be an address in senderDomain "${senderDomain}" (it is the From of invoice emails), got ${JSON.stringify(sellerEmail)}`,
    );
  }
  let senderEmail = reader.optionalString('senderEmail');
  if (senderEmail === undefined) {
    if (senderDomain === undefined && sellerEmail === undefined) {
      problems.push(
        'senderEmail: set sellerEmail or senderEmail (the From address) or senderDomain (then billing@<domain> is used)',
      );
    } else if (senderDomain !== undefined) {
      senderEmail = `billing@${senderDomain}`;
    }
  } else if (!EMAIL.test(senderEmail)) {
    problems.push(`senderEmail: must be an email address, got ${JSON.stringify(senderEmail)}`);
  } else if (!inSenderDomain(senderEmail)) {
    problems.push(
      `senderEmail: must be an address in senderDomain "${senderDomain}", got ${JSON.stringify(senderEmail)}`,
    );
  }
  const fromAddress = sellerEmail ?? senderEmail;

  const scheduleCron = reader.string('scheduleCron', DEFAULTS.scheduleCron);
  const scheduleCronFields = parseCron(scheduleCron, problems);
  const scheduleTimeZone = reader.string('scheduleTimeZone', DEFAULTS.scheduleTimeZone);
  if (!isValidTimeZone(scheduleTimeZone)) {
    problems.push(
      `scheduleTimeZone: must be an IANA time zone such as "UTC" or "Europe/Berlin", got ${JSON.stringify(scheduleTimeZone)}`,
    );
  }

  const portalUrl = reader.optionalString('portalUrl')?.replace(/\/+$/, '');
  if (portalUrl !== undefined && !/^https:\/\/[^/\s]+(\/\S*)?$/.test(portalUrl)) {
    problems.push(
      `portalUrl: must be an https:// address such as https://billing.example.com, got ${JSON.stringify(portalUrl)}`,
    );
  }
  const alarmEmail = reader.optionalString('alarmEmail');
  if (alarmEmail !== undefined && !EMAIL.test(alarmEmail)) {
    problems.push(`alarmEmail: must be an email address, got ${JSON.stringify(alarmEmail)}`);
  }

  const adminApiKeyHash = reader.optionalString('adminApiKeyHash')?.toLowerCase();
  if (adminApiKeyHash !== undefined && !/^[0-9a-f]{64}$/.test(adminApiKeyHash)) {
    problems.push('adminApiKeyHash: must be the SHA-256 hex digest (64 hex characters) of the admin API key');
  }

  const sellerCountry = reader.string('sellerCountry', '').toUpperCase();
  if (sellerCountry !== '' && !/^[A-Z]{2}$/.test(sellerCountry)) {
    problems.push(
      `sellerCountry: must be an ISO 3166-1 alpha-2 code such as "DE", got ${JSON.stringify(sellerCountry)}`,
    );
  }
  const oneLine = (key: ContextKey) => {
    const value = reader.string(key, '');
    if (/[\r\n]/.test(value)) problems.push(`${key}: must be one line`);
    return value;
  };
  const sellerAddress = reader.string('sellerAddress', '');
  if (/[\r\n]/.test(sellerAddress)) {
    problems.push('sellerAddress: must be one line (use ", " between address parts)');
  }
  const payment = paymentDetails(reader, oneLine, problems);

  const logLevel = reader.string('logLevel', DEFAULTS.logLevel).toUpperCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    problems.push(`logLevel: must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(logLevel)}`);
  }

  const logRetentionDays = reader.integer('logRetentionDays', DEFAULTS.logRetentionDays, 1, 3653);
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(logRetentionDays)) {
    problems.push(
      `logRetentionDays: CloudWatch Logs accepts ${LOG_RETENTION_DAYS.join(', ')}; got ${logRetentionDays}`,
    );
  }

  const apiThrottleRateLimit = reader.integer('apiThrottleRateLimit', DEFAULTS.apiThrottleRateLimit, 1, 10_000);
  const apiThrottleBurstLimit = reader.integer('apiThrottleBurstLimit', DEFAULTS.apiThrottleBurstLimit, 1, 5_000);

  const acceptanceWindowDays = reader.integer('acceptanceWindowDays', DEFAULTS.acceptanceWindowDays, 1, 3650);
  const eventRetentionDays = reader.integer('eventRetentionDays', DEFAULTS.eventRetentionDays, 1, 3650);
  if (eventRetentionDays < acceptanceWindowDays) {
    problems.push(
      `eventRetentionDays: must be at least acceptanceWindowDays (${acceptanceWindowDays}), got ${eventRetentionDays}`,
    );
  }

  const dunningSchedule = reader.string('dunningSchedule', '').trim();
  if (dunningSchedule !== '') {
    const parsed = parseDunningSchedule(dunningSchedule);
    if (!parsed.ok) problems.push(`dunningSchedule: ${parsed.error}`);
  }

  const tableCapacity = reader.string('tableCapacity', DEFAULTS.tableCapacity).toLowerCase();
  if (!(TABLE_CAPACITY_MODES as readonly string[]).includes(tableCapacity)) {
    problems.push(
      `tableCapacity: must be one of ${TABLE_CAPACITY_MODES.join(', ')}, got ${JSON.stringify(tableCapacity)}`,
    );
  }
  const writeCapacityMax = reader.integer(
    'writeCapacityMax',
    DEFAULTS.writeCapacityMax,
    PROVISIONED_CAPACITY.writeCapacityMin,
    CAPACITY_MAX_LIMIT,
  );
  const readCapacityMax = reader.integer(
    'readCapacityMax',
    DEFAULTS.readCapacityMax,
    PROVISIONED_CAPACITY.readCapacityMin,
    CAPACITY_MAX_LIMIT,
  );
  // A maximum on an on-demand table would look like a cap it is not.
  if (tableCapacity === 'on-demand') {
    for (const key of ['writeCapacityMax', 'readCapacityMax'] as const) {
      if (reader.isSet(key)) problems.push(`${key}: applies only with tableCapacity "provisioned"`);
    }
  }

  const config: BillingStackConfig = {
    stage,
    senderEmail: fromAddress ?? '',
    senderDomain,
    scheduleCron,
    scheduleCronFields,
    scheduleTimeZone,
    scheduleEnabled: reader.boolean('scheduleEnabled', DEFAULTS.scheduleEnabled),
    graceMinutes: reader.integer('graceMinutes', DEFAULTS.graceMinutes, 0, 10_080),
    invoiceGraceHours: reader.integer('invoiceGraceHours', DEFAULTS.invoiceGraceHours, 0, 720),
    acceptanceWindowDays,
    alarmEmail,
    deletionProtection: reader.boolean('deletionProtection', DEFAULTS.deletionProtection),
    retainTable: reader.boolean('retainTable', DEFAULTS.retainTable),
    seller: {
      name: reader.string('sellerName', ''),
      address: sellerAddress,
      postalCode: oneLine('sellerPostalCode'),
      city: oneLine('sellerCity'),
      country: sellerCountry,
      taxId: reader.string('sellerTaxId', ''),
      email: sellerEmail !== undefined && EMAIL.test(sellerEmail) ? sellerEmail : '',
      contact: oneLine('sellerContact'),
      phone: oneLine('sellerPhone'),
      electronicAddress: oneLine('sellerElectronicAddress'),
      payment,
    },
    adminApiKeyHash,
    logLevel: logLevel as BillingStackConfig['logLevel'],
    logRetentionDays,
    closeMaxConcurrency: reader.integer('closeMaxConcurrency', DEFAULTS.closeMaxConcurrency, 1, 1000),
    apiThrottleRateLimit,
    apiThrottleBurstLimit,
    estimatesRefreshMinutes: reader.integer('estimatesRefreshMinutes', DEFAULTS.estimatesRefreshMinutes, 5, 1440),
    eventRetentionDays,
    portalUrl,
    dunningSchedule,
    dunningIntervalMinutes: reader.integer('dunningIntervalMinutes', DEFAULTS.dunningIntervalMinutes, 5, 1440),
    eventBusArchiveDays: reader.integer('eventBusArchiveDays', DEFAULTS.eventBusArchiveDays, 0, 3650),
    legacyEventDedupe: reader.boolean('legacyEventDedupe', DEFAULTS.legacyEventDedupe),
    tableCapacity: tableCapacity as TableCapacityMode,
    writeCapacityMax,
    readCapacityMax,
  };
  if (problems.length > 0) throw new ConfigValidationError(problems);
  return config;
}

/**
 * Bank details and instruction texts. The IBAN's check digits are verified (ISO 7064 mod 97-10), the
 * BIC's shape too. Every invoice language gets payment instructions or none does: wording in one
 * language without bank details would leave the other language's invoices without any.
 */
function paymentDetails(
  reader: ContextReader,
  oneLine: (key: ContextKey) => string,
  problems: string[],
): PaymentDetails {
  const accountHolder = oneLine('paymentAccountHolder');
  const ibanText = reader.string('paymentIban', '');
  const bic = reader.string('paymentBic', '').toUpperCase();
  const instructionsEn = oneLine('paymentInstructionsEn');
  const instructionsDe = oneLine('paymentInstructionsDe');
  if (ibanText !== '' && !isValidIban(ibanText)) {
    problems.push(
      `paymentIban: must be an IBAN with valid check digits such as "DE89 3704 0044 0532 0130 00", got ${JSON.stringify(ibanText)}`,
    );
  }
  if (bic !== '' && !isValidBic(bic)) {
    problems.push(`paymentBic: must be a BIC of 8 or 11 characters such as "COBADEFFXXX", got ${JSON.stringify(bic)}`);
  }
  if (ibanText === '' && (accountHolder !== '' || bic !== '')) {
    problems.push(`${accountHolder !== '' ? 'paymentAccountHolder' : 'paymentBic'}: set paymentIban too`);
  }
  if (ibanText === '' && (instructionsEn === '') !== (instructionsDe === '')) {
    const missing = instructionsEn === '' ? 'paymentInstructionsEn' : 'paymentInstructionsDe';
    problems.push(
      `${missing}: set it too, or paymentIban (then the sentence is composed), or invoices in that language carry no payment instructions`,
    );
  }
  return {
    accountHolder,
    iban: ibanText === '' ? '' : normalizeIban(ibanText),
    bic,
    instructionsEn,
    instructionsDe,
  };
}

/**
 * The seller's details as the functions' environment (read by functions/config.ts). Empty values are
 * left out: "not configured", not "empty string".
 */
export function sellerEnvironment(seller: SellerDetails): Record<string, string> {
  const env: Record<string, string> = {
    BILLING_SELLER_NAME: seller.name,
    BILLING_SELLER_ADDRESS: seller.address,
    BILLING_SELLER_POSTAL_CODE: seller.postalCode,
    BILLING_SELLER_CITY: seller.city,
    BILLING_SELLER_COUNTRY: seller.country,
    BILLING_SELLER_TAX_ID: seller.taxId,
    BILLING_SELLER_EMAIL: seller.email,
    BILLING_SELLER_CONTACT: seller.contact ?? '',
    BILLING_SELLER_PHONE: seller.phone ?? '',
    BILLING_SELLER_ELECTRONIC_ADDRESS: seller.electronicAddress ?? '',
    BILLING_PAYMENT_ACCOUNT_HOLDER: seller.payment.accountHolder,
    BILLING_PAYMENT_IBAN: seller.payment.iban,
    BILLING_PAYMENT_BIC: seller.payment.bic,
    BILLING_PAYMENT_INSTRUCTIONS_EN: seller.payment.instructionsEn,
    BILLING_PAYMENT_INSTRUCTIONS_DE: seller.payment.instructionsDe,
  };
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
}

/** `Intl` knows the IANA database of the running Node; Scheduler accepts the same names. */
export function isValidTimeZone(timeZone: string): boolean {
  if (timeZone.trim() === '' || timeZone !== timeZone.trim()) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** Splits a six-field AWS cron expression (`minute hour day-of-month month day-of-week year`). */
export function parseCron(expression: string, problems: string[]): CronFields {
  const text = expression.trim().replace(/^cron\((.*)\)$/, '$1');
  const fields = text.split(/\s+/);
  const fallback: CronFields = { minute: '5', hour: '*', day: '*', month: '*', weekDay: '?', year: '*' };
  if (fields.length !== 6) {
    problems.push(
      `scheduleCron: must have six fields "minute hour day-of-month month day-of-week year" (AWS cron, e.g. "5 * * * ? *"), got ${JSON.stringify(expression)}`,
    );
    return fallback;
  }
  const [minute, hour, day, month, weekDay, year] = fields as [string, string, string, string, string, string];
  if (!fields.every((field) => CRON_FIELD.test(field))) {
    problems.push(`scheduleCron: contains characters AWS cron does not accept: ${JSON.stringify(expression)}`);
    return fallback;
  }
  if ((day === '?') === (weekDay === '?')) {
    problems.push(
      `scheduleCron: exactly one of day-of-month and day-of-week must be "?" (AWS cron), got ${JSON.stringify(expression)}`,
    );
    return fallback;
  }
  return { minute, hour, day, month, weekDay, year };
}

class ContextReader {
  constructor(
    private readonly source: ContextSource,
    private readonly problems: string[],
  ) {}

  private raw(key: ContextKey): unknown {
    const value = this.source(key);
    return value === null || value === '' ? undefined : value;
  }

  /** Whether the key has a (non-empty) value. */
  isSet(key: ContextKey): boolean {
    return this.raw(key) !== undefined;
  }

  optionalString(key: ContextKey): string | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    if (typeof value !== 'string') {
      this.problems.push(`${key}: must be a string, got ${JSON.stringify(value)}`);
      return undefined;
    }
    return value.trim() === '' ? undefined : value.trim();
  }

  string(key: ContextKey, fallback: string): string {
    return this.optionalString(key) ?? fallback;
  }

  integer(key: ContextKey, fallback: number, min: number, max: number): number {
    const value = this.raw(key);
    if (value === undefined) return fallback;
    const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : undefined;
    if (text === undefined || !/^-?\d+$/.test(text)) {
      this.problems.push(`${key}: must be a whole number, got ${JSON.stringify(value)}`);
      return fallback;
    }
    const parsed = Number(text);
    if (parsed < min || parsed > max) {
      this.problems.push(`${key}: must be between ${min} and ${max}, got ${parsed}`);
      return fallback;
    }
    return parsed;
  }

  boolean(key: ContextKey, fallback: boolean): boolean {
    const value = this.raw(key);
    if (value === undefined) return fallback;
    if (value === true || value === 'true') return true;
    if (value === false || value === 'false') return false;
    this.problems.push(`${key}: must be true or false, got ${JSON.stringify(value)}`);
    return fallback;
  }
}
