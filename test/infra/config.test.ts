import { describe, expect, it } from 'vitest';
import { ConfigValidationError, loadStackConfig } from '../../lib/config.js';
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
      alarmEmail: undefined,
      adminApiKeyHash: undefined,
    });
  });

  it('parses the strings that `-c key=value` passes', () => {
    const config = load({ ...base, graceMinutes: '15', deletionProtection: 'false', closeMaxConcurrency: '4' });
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
    [{ adminApiKeyHash: 'abc' }, /^adminApiKeyHash: must be the SHA-256 hex digest/],
    [{ sellerCountry: 'Germany' }, /^sellerCountry: must be an ISO 3166-1 alpha-2 code/],
    [{ stage: 'Prod' }, /^stage: must be 1-20 lower-case letters/],
    [{ logRetentionDays: 10 }, /^logRetentionDays: CloudWatch Logs accepts/],
    [{ logLevel: 'LOUD' }, /^logLevel: must be one of DEBUG, INFO, WARN, ERROR/],
    [{ estimatesRefreshMinutes: 2 }, /^estimatesRefreshMinutes: must be between 5 and 1440, got 2/],
  ])('rejects %j with a message naming the key', (context, message) => {
    const problems = problemsOf(context);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  it('requires a sender address or domain', () => {
    expect(() => load({})).toThrow(/senderEmail: set senderEmail \(the From address\) or senderDomain/);
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
});
