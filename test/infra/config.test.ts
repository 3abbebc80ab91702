import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../functions/config.js';
import { CONTEXT_KEYS, ConfigValidationError, loadStackConfig, sellerEnvironment } from '../../lib/config.js';
import { PROJECT_ROOT } from '../../lib/handlers.js';
import { synthTemplate } from '../../lib/synth.js';

const load = (context: Record<string, unknown>) => loadStackConfig((key) => context[key]);
const base = { senderEmail: 'billing@example.com' };

function problemsOf(context: Record<string, unknown>): string[] {
  try {
    load({ ...base, ...context });
  } catch (error) {
    if (error instanceof ConfigValidationError) return [...error.problems];
    throw error;
  }
  return [];
}

describe('configuration from CDK context', () => {
  it('applies the documented defaults', () => {
    const config = load(base);
    expect(config).toMatchObject({
      stage: 'dev',
      scheduleCron: '5 * * * ? *',
      scheduleCronFields: { minute: '5', hour: '*', day: '*', month: '*', weekDay: '?', year: '*' },
      scheduleTimeZone: 'UTC',
      graceMinutes: 60,
      acceptanceWindowDays: 35,
      deletionProtection: true,
      retainTable: true,
      closeMaxConcurrency: 10,
      eventRetentionDays: 400,
      alarmEmail: undefined,
      adminApiKeyHash: undefined,
      legacyEventDedupe: false,
      tableCapacity: 'on-demand',
      writeCapacityMax: 4000,
      readCapacityMax: 4000,
    });
  });

  it('parses the strings that `-c key=value` passes', () => {
    const config = load({
      ...base,
      graceMinutes: '15',
      deletionProtection: 'false',
      closeMaxConcurrency: '4',
      legacyEventDedupe: 'true',
      tableCapacity: 'provisioned',
      writeCapacityMax: '8000',
      readCapacityMax: '500',
    });
    expect(config.legacyEventDedupe).toBe(true);
    expect(config).toMatchObject({ tableCapacity: 'provisioned', writeCapacityMax: 8000, readCapacityMax: 500 });
    expect(config.graceMinutes).toBe(15);
    expect(config.deletionProtection).toBe(false);
    expect(config.closeMaxConcurrency).toBe(4);
  });

  it.each([
    [{ scheduleTimeZone: 'Mars/Olympus_Mons' }, /^scheduleTimeZone: must be an IANA time zone/],
    [{ graceMinutes: 'soon' }, /^graceMinutes: must be a whole number, got "soon"/],
    [{ graceMinutes: 1.5 }, /^graceMinutes: must be a whole number/],
    [{ acceptanceWindowDays: 0 }, /^acceptanceWindowDays: must be between 1 and 3650, got 0/],
    [{ scheduleCron: '5 * * * *' }, /^scheduleCron: must have six fields/],
    [{ scheduleCron: '5 * * * * *' }, /^scheduleCron: exactly one of day-of-month and day-of-week must be "\?"/],
    [{ senderEmail: 'not-an-address' }, /^senderEmail: must be an email address/],
    [{ senderEmail: 'a@other.org', senderDomain: 'example.com' }, /^senderEmail: must be an address in senderDomain/],
    [{ alarmEmail: 'ops' }, /^alarmEmail: must be an email address/],
    [{ deletionProtection: 'yes' }, /^deletionProtection: must be true or false/],
    [{ legacyEventDedupe: 'yes' }, /^legacyEventDedupe: must be true or false, got "yes"/],
    [{ tableCapacity: 'cheap' }, /^tableCapacity: must be one of on-demand, provisioned, got "cheap"/],
    [{ tableCapacity: 'provisioned', writeCapacityMax: 0 }, /^writeCapacityMax: must be between 5 and 40000, got 0/],
    [{ tableCapacity: 'provisioned', readCapacityMax: '4' }, /^readCapacityMax: must be between 5 and 40000, got 4/],
    [{ tableCapacity: 'provisioned', writeCapacityMax: 'lots' }, /^writeCapacityMax: must be a whole number/],
    [{ writeCapacityMax: 8000 }, /^writeCapacityMax: applies only with tableCapacity "provisioned"/],
    [
      { tableCapacity: 'on-demand', readCapacityMax: 8000 },
      /^readCapacityMax: applies only with tableCapacity "provisioned"/,
    ],
    [{ adminApiKeyHash: 'abc' }, /^adminApiKeyHash: must be the SHA-256 hex digest/],
    [{ sellerCountry: 'Germany' }, /^sellerCountry: must be an ISO 3166-1 alpha-2 code/],
    [{ stage: 'Prod' }, /^stage: must be 1-20 lower-case letters/],
    [{ logRetentionDays: 10 }, /^logRetentionDays: CloudWatch Logs accepts/],
    [{ logLevel: 'LOUD' }, /^logLevel: must be one of DEBUG, INFO, WARN, ERROR/],
    [{ estimatesRefreshMinutes: 2 }, /^estimatesRefreshMinutes: must be between 5 and 1440, got 2/],
    [{ eventRetentionDays: 30 }, /^eventRetentionDays: must be at least acceptanceWindowDays \(35\), got 30/],
    [{ eventRetentionDays: '1 year' }, /^eventRetentionDays: must be a whole number, got "1 year"/],
    [{ sellerEmail: 'rechnung' }, /^sellerEmail: must be an email address, got "rechnung"/],
    [
      { sellerEmail: 'rechnung@other.org', senderDomain: 'example.com', senderEmail: 'billing@example.com' },
      /^sellerEmail: must be an address in senderDomain "example.com"/,
    ],
    [{ paymentIban: 'DE02 1001 0010 0123 4567 89' }, /^paymentIban: must be an IBAN with valid check digits/],
    [{ paymentIban: 'not an iban' }, /^paymentIban: must be an IBAN/],
    [{ paymentIban: 'DE89370400440532013000', paymentBic: 'COBA-DE' }, /^paymentBic: must be a BIC of 8 or 11/],
    [{ paymentBic: 'COBADEFFXXX' }, /^paymentBic: set paymentIban too/],
    [{ paymentAccountHolder: 'Nordlicht Cloud GmbH' }, /^paymentAccountHolder: set paymentIban too/],
    [{ paymentInstructionsEn: 'Pay by card.' }, /^paymentInstructionsDe: set it too, or paymentIban/],
    [{ sellerCity: 'Berlin\nMitte' }, /^sellerCity: must be one line/],
  ])('rejects %j with a message naming the key', (context, message) => {
    const problems = problemsOf(context);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  it('documents every context key in docs/deploy.md', () => {
    const deployDoc = readFileSync(join(PROJECT_ROOT, 'docs/deploy.md'), 'utf8');
    expect(CONTEXT_KEYS.filter((key) => !deployDoc.includes(`\`${key}\``))).toEqual([]);
  });

  it('requires a sender address or domain', () => {
    expect(() => load({})).toThrow(/senderEmail: set sellerEmail or senderEmail \(the From address\) or senderDomain/);
  });

  it("sends invoice emails from the seller's address when one is set", () => {
    expect(load({ sellerEmail: 'rechnung@nordlicht.example' }).senderEmail).toBe('rechnung@nordlicht.example');
    expect(load({ ...base, sellerEmail: 'rechnung@nordlicht.example' }).senderEmail).toBe('rechnung@nordlicht.example');
    expect(load(base).senderEmail).toBe('billing@example.com');
  });

  it('accepts payment details in the paper format and keeps the electronic one', () => {
    const config = load({ ...base, paymentIban: 'de89 3704 0044 0532 0130 00', paymentBic: 'cobadeffxxx' });
    expect(config.seller.payment).toMatchObject({ iban: 'DE89370400440532013000', bic: 'COBADEFFXXX' });
  });

  it('hands the seller and payment details to the runtime configuration unchanged', () => {
    const config = load({
      ...base,
      sellerName: 'Nordlicht Cloud GmbH',
      sellerAddress: 'Friedrichstraße 123',
      sellerPostalCode: '10117',
      sellerCity: 'Berlin',
      sellerCountry: 'de',
      sellerEmail: 'rechnung@nordlicht.example',
      sellerContact: 'Buchhaltung',
      sellerPhone: '+49 30 1234567',
      paymentAccountHolder: 'Nordlicht Cloud GmbH',
      paymentIban: 'DE89 3704 0044 0532 0130 00',
      paymentBic: 'COBADEFFXXX',
      paymentInstructionsDe: 'Bitte überweisen Sie innerhalb der Zahlungsfrist.',
    });
    const runtime = loadConfig({ ...sellerEnvironment(config.seller), BILLING_SENDER_EMAIL: config.senderEmail });
    expect(runtime.seller).toEqual({
      name: 'Nordlicht Cloud GmbH',
      email: 'rechnung@nordlicht.example',
      addressLine: 'Friedrichstraße 123',
      city: 'Berlin',
      postalCode: '10117',
      country: 'DE',
      taxId: undefined,
      contactName: 'Buchhaltung',
      phone: '+49 30 1234567',
      electronicAddress: 'rechnung@nordlicht.example',
      paymentInstructions: {
        accountHolder: 'Nordlicht Cloud GmbH',
        iban: 'DE89370400440532013000',
        bic: 'COBADEFFXXX',
        text: { de: 'Bitte überweisen Sie innerhalb der Zahlungsfrist.' },
      },
    });
    expect(runtime.senderEmail).toBe('rechnung@nordlicht.example');
  });

  it('reports every problem at once', () => {
    expect(problemsOf({ graceMinutes: 'x', scheduleTimeZone: 'Nowhere' }).map((p) => p.split(':')[0])).toEqual([
      'scheduleTimeZone',
      'graceMinutes',
    ]);
  });

  it('fails the synth before any resource is built', () => {
    expect(() => synthTemplate({ scheduleTimeZone: 'Europe/Atlantis' })).toThrow(
      /Invalid CDK context:\n {2}- scheduleTimeZone: must be an IANA time zone .*"Europe\/Atlantis"/,
    );
  });

  it('passes the seller and payment details to the functions and verifies the seller address in SES', () => {
    const template = Template.fromJSON(
      synthTemplate({
        sellerPostalCode: '10117',
        sellerCity: 'Berlin',
        sellerEmail: 'rechnung@nordlicht.example',
        paymentAccountHolder: 'Nordlicht Cloud GmbH',
        paymentIban: 'DE89 3704 0044 0532 0130 00',
        paymentBic: 'COBADEFFXXX',
        paymentInstructionsEn: 'Pay within the payment term.',
        paymentInstructionsDe: 'Zahlbar innerhalb der Zahlungsfrist.',
      }),
    );
    const seller = {
      BILLING_SENDER_EMAIL: 'rechnung@nordlicht.example',
      BILLING_SELLER_EMAIL: 'rechnung@nordlicht.example',
      BILLING_SELLER_POSTAL_CODE: '10117',
      BILLING_SELLER_CITY: 'Berlin',
      BILLING_PAYMENT_ACCOUNT_HOLDER: 'Nordlicht Cloud GmbH',
      BILLING_PAYMENT_IBAN: 'DE89370400440532013000',
      BILLING_PAYMENT_BIC: 'COBADEFFXXX',
      BILLING_PAYMENT_INSTRUCTIONS_EN: 'Pay within the payment term.',
      BILLING_PAYMENT_INSTRUCTIONS_DE: 'Zahlbar innerhalb der Zahlungsfrist.',
    };
    // Every function gets them: the close function writes the seller into the invoice, the delivery
    // function sends as the seller.
    const functions = template.findResources('AWS::Lambda::Function', {
      Properties: { Environment: { Variables: Match.objectLike(seller) } },
    });
    expect(Object.keys(functions)).toHaveLength(10);
    expect(Object.keys(functions).some((id) => id.includes('Deliver'))).toBe(true);
    expect(Object.keys(functions).some((id) => id.includes('CloseSubscription'))).toBe(true);
    // SES sends only from a verified identity: the seller's address is the identity, and the send grant names it.
    const identities = template.findResources('AWS::SES::EmailIdentity', {
      Properties: { EmailIdentity: 'rechnung@nordlicht.example' },
    });
    const [identityId] = Object.keys(identities);
    expect(identityId).toBeDefined();
    const sendPolicies = Object.values(template.findResources('AWS::IAM::Policy')).filter((policy) =>
      JSON.stringify(policy).includes('ses:SendRawEmail'),
    );
    expect(sendPolicies).toHaveLength(1);
    expect(JSON.stringify(sendPolicies[0])).toContain(`"Ref":"${identityId}"`);
  });
});
