import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../functions/config.js';
import {
  DEFAULT_DUNNING_SCHEDULE,
  type DunningRecord,
  daysOverdue,
  effectiveSchedule,
  formatDunningSchedule,
  parseDunningSchedule,
  planDunning,
  scheduleProblems,
  suspensionDue,
} from '../../functions/domain/billing/dunning.js';

const schedule = [
  { afterDays: 3, action: 'reminder' as const },
  { afterDays: 5, action: 'retry' as const },
  { afterDays: 10, action: 'reminder' as const },
  { afterDays: 20, action: 'reminder' as const },
  { afterDays: 30, action: 'suspend' as const },
];

const record = (step: number, afterDays: number, action: DunningRecord['action']): DunningRecord => ({
  step,
  afterDays,
  action,
  at: '2026-01-01T00:00:00.000Z',
  status: 'done',
});

describe('daysOverdue counts local calendar days in the invoice time zone', () => {
  it.each([
    ['2026-03-01', 'UTC', '2026-03-01T23:59:59Z', 0],
    ['2026-03-01', 'UTC', '2026-03-02T00:00:00Z', 1],
    // Berlin is UTC+1 in winter: 23:30 UTC is already the next local day.
    ['2026-03-01', 'Europe/Berlin', '2026-03-03T23:30:00Z', 3],
    ['2026-03-01', 'Europe/Berlin', '2026-03-03T22:59:00Z', 2],
    // Los Angeles is behind: 07:00 UTC on the 4th is still the 3rd there.
    ['2026-03-01', 'America/Los_Angeles', '2026-03-04T07:00:00Z', 2],
    // Kathmandu is +05:45.
    ['2026-03-01', 'Asia/Kathmandu', '2026-03-03T18:15:00Z', 3],
    ['2026-03-01', 'Asia/Kathmandu', '2026-03-03T18:14:00Z', 2],
    // Across the DST change in Berlin (29 March 2026).
    ['2026-03-27', 'Europe/Berlin', '2026-03-29T22:00:00Z', 3],
    ['2026-02-28', 'UTC', '2026-03-01T00:00:00Z', 1],
  ])('due %s in %s at %s: %i days', (dueDate, zone, now, days) => {
    expect(daysOverdue(dueDate, zone, new Date(now))).toBe(days);
  });
});

describe('planDunning', () => {
  const invoice = { dueDate: '2026-03-01', timezone: 'UTC', recorded: [] as DunningRecord[] };
  const at = (iso: string) => new Date(iso);

  it('plans nothing before the first step', () => {
    expect(planDunning(invoice, schedule, at('2026-03-03T12:00:00Z'))).toEqual([]);
  });

  it('plans the first reminder on its day', () => {
    expect(planDunning(invoice, schedule, at('2026-03-04T00:00:00Z'))).toEqual([
      { step: 1, afterDays: 3, action: 'reminder', status: 'due' },
    ]);
  });

  it('does not plan a step that is recorded already', () => {
    const done = { ...invoice, recorded: [record(1, 3, 'reminder')] };
    expect(planDunning(done, schedule, at('2026-03-04T00:00:00Z'))).toEqual([]);
  });

  it('catches up after a long pause: one email for the latest reminder, earlier ones skipped, retry once', () => {
    const plan = planDunning(invoice, schedule, at('2026-03-22T00:00:00Z'));
    expect(plan.map((s) => [s.step, s.action, s.status])).toEqual([
      [1, 'reminder', 'skipped'],
      [2, 'retry', 'due'],
      [3, 'reminder', 'skipped'],
      [4, 'reminder', 'due'],
    ]);
    expect(plan[0]?.detail).toBe('missed; superseded by step 4');
  });

  it('suspends when the final step is due, with the reminders before it skipped', () => {
    const done = { ...invoice, recorded: [record(1, 3, 'reminder'), record(2, 5, 'retry')] };
    expect(planDunning(done, schedule, at('2026-04-15T00:00:00Z')).map((s) => [s.action, s.status])).toEqual([
      ['reminder', 'skipped'],
      ['reminder', 'due'],
      ['suspend', 'due'],
    ]);
  });

  it('a final notice supersedes the reminders missed before it', () => {
    const plan = planDunning(invoice, DEFAULT_DUNNING_SCHEDULE, at('2026-04-15T00:00:00Z'));
    expect(plan.map((s) => [s.action, s.status])).toEqual([
      ['reminder', 'skipped'],
      ['retry', 'due'],
      ['reminder', 'skipped'],
      ['reminder', 'skipped'],
      ['notify', 'due'],
    ]);
  });

  it('keeps a step recorded under an earlier schedule done when the schedule changes (identity is days + action)', () => {
    const done = { ...invoice, recorded: [record(1, 3, 'reminder')] };
    const changed = [{ afterDays: 2, action: 'reminder' as const }, ...schedule];
    expect(planDunning(done, changed, at('2026-03-04T00:00:00Z'))).toEqual([
      { step: 1, afterDays: 2, action: 'reminder', status: 'due' },
    ]);
  });

  it('counts the days in the invoice time zone', () => {
    const tokyo = { ...invoice, timezone: 'Asia/Tokyo' };
    // 2026-03-03T15:00Z is 2026-03-04 00:00 in Tokyo: 3 days after due there, 2 in UTC.
    expect(planDunning(tokyo, schedule, at('2026-03-03T15:00:00Z'))).toHaveLength(1);
    expect(planDunning(invoice, schedule, at('2026-03-03T15:00:00Z'))).toHaveLength(0);
  });

  it('plans nothing with an empty schedule', () => {
    expect(planDunning(invoice, [], at('2027-01-01T00:00:00Z'))).toEqual([]);
  });
});

describe('schedules', () => {
  it('parses the configuration syntax', () => {
    const parsed = parseDunningSchedule('reminder:3, retry:5,reminder:10,reminder:20,suspend:30');
    expect(parsed).toEqual({ ok: true, schedule });
    expect(formatDunningSchedule(schedule)).toBe('reminder:3,retry:5,reminder:10,reminder:20,suspend:30');
  });

  it.each([
    ['reminder', '"reminder" is not action:days (e.g. reminder:3)'],
    ['remind:3', '"remind" is not an action (reminder, retry, suspend, notify)'],
    ['reminder:0', 'step 1: after_days must be a whole number from 1 to 3650'],
    ['reminder:10,reminder:3', 'step 2: steps must be in order of after_days'],
    ['suspend:10,reminder:20', 'step 1: suspend is a final action: it must be the last step'],
    ['reminder:3,reminder:3', 'step 2: step 3:reminder appears twice'],
    ['reminder:-1', '"reminder:-1" is not action:days (e.g. reminder:3)'],
  ])('refuses %s', (text, error) => {
    expect(parseDunningSchedule(text)).toEqual({ ok: false, error });
  });

  it('reads "none" and empty as no dunning', () => {
    expect(parseDunningSchedule('none')).toEqual({ ok: true, schedule: [] });
    expect(parseDunningSchedule(' ')).toEqual({ ok: true, schedule: [] });
  });

  it('allows a step that has both a reminder and a retry on the same day', () => {
    expect(
      scheduleProblems([
        { afterDays: 5, action: 'retry' },
        { afterDays: 5, action: 'reminder' },
      ]),
    ).toEqual([]);
  });

  it('lets a customer replace or disable the default', () => {
    expect(effectiveSchedule(schedule, undefined)).toBe(schedule);
    expect(effectiveSchedule(schedule, { enabled: true })).toBe(schedule);
    expect(effectiveSchedule(schedule, { enabled: false, schedule })).toEqual([]);
    const own = [{ afterDays: 1, action: 'notify' as const }];
    expect(effectiveSchedule(schedule, { schedule: own })).toBe(own);
  });

  it('the default ends with a final notice, not a suspension', () => {
    expect(formatDunningSchedule(DEFAULT_DUNNING_SCHEDULE)).toBe(
      'reminder:3,retry:5,reminder:10,reminder:20,notify:30',
    );
  });

  it('knows when a suspension applies', () => {
    const due = { dueDate: '2026-03-01', timezone: 'UTC' };
    expect(suspensionDue(due, schedule, new Date('2026-03-31T00:00:00Z'))).toBe(true);
    expect(suspensionDue(due, schedule, new Date('2026-03-30T23:00:00Z'))).toBe(false);
    expect(suspensionDue(due, DEFAULT_DUNNING_SCHEDULE, new Date('2027-01-01T00:00:00Z'))).toBe(false);
  });
});

describe('BILLING_DUNNING_SCHEDULE', () => {
  it('defaults to reminders, one retry and a final notice', () => {
    expect(loadConfig({}).dunningSchedule).toEqual(DEFAULT_DUNNING_SCHEDULE);
  });

  it('reads the schedule syntax, and "none" as no dunning', () => {
    expect(
      loadConfig({ BILLING_DUNNING_SCHEDULE: 'reminder:3,retry:5,reminder:10,reminder:20,suspend:30' }).dunningSchedule,
    ).toEqual(schedule);
    expect(loadConfig({ BILLING_DUNNING_SCHEDULE: 'none' }).dunningSchedule).toEqual([]);
  });

  it.each([
    ['reminder:3,suspend:5,reminder:10', 'step 2: suspend is a final action: it must be the last step'],
    ['reminder=3', '"reminder=3" is not action:days (e.g. reminder:3)'],
    ['pester:3', '"pester" is not an action (reminder, retry, suspend, notify)'],
  ])('refuses %s naming the variable and the step', (text, error) => {
    expect(() => loadConfig({ BILLING_DUNNING_SCHEDULE: text })).toThrow(ConfigError);
    expect(() => loadConfig({ BILLING_DUNNING_SCHEDULE: text })).toThrow(
      `BILLING_DUNNING_SCHEDULE must be steps like "reminder:3,retry:5,reminder:10,suspend:30" (or "none"): ${error}`,
    );
  });
});
