import { localParts } from '../time/zone.js';

/**
 * Dunning: what happens to an invoice that is not paid by its due date. A schedule is a list of steps,
 * each `after_days` whole local days after the due date (in the invoice's time zone):
 *
 * - `reminder`: a payment reminder email (amount remaining, due date, how to pay, the PDF attached);
 * - `retry`: one more try at collecting through the payment provider;
 * - `suspend` (final): the customer's events are refused (`customer_suspended`) until it owes nothing overdue;
 * - `notify` (final): a final notice email, nothing else.
 *
 * A step is identified by its `after_days` and `action` ({@link stepKey}), so a schedule changed later
 * never makes a recorded step look undone or another one look done. Every step is recorded on the
 * invoice once (`done`, `skipped` or `failed`) and never runs again.
 *
 * Catching up (a run that did not happen for days): the missed steps are recorded once, in schedule
 * order, but a run sends at most ONE email per invoice, for the latest due email step (reminder or
 * final notice); earlier missed email steps are recorded `skipped` (a customer gets one email, not
 * three at once). Likewise only the latest missed `retry` is tried; earlier ones are `skipped`.
 * `suspend` is always done.
 */

export const DUNNING_ACTIONS = Object.freeze(['reminder', 'retry', 'suspend', 'notify'] as const);
export type DunningAction = (typeof DUNNING_ACTIONS)[number];

/** Final actions end a schedule: at most one, and it is the last step. */
export const FINAL_ACTIONS: readonly DunningAction[] = Object.freeze(['suspend', 'notify']);

/** Actions that send an email (through the delivery outbox, kind `reminder`). */
export const EMAIL_ACTIONS: readonly DunningAction[] = Object.freeze(['reminder', 'notify']);

export const MAX_DUNNING_STEPS = 20;
export const MAX_AFTER_DAYS = 3650;

export interface DunningStep {
  /** Whole local days after the due date (1 = the day after it). */
  afterDays: number;
  action: DunningAction;
}

export type DunningSchedule = readonly DunningStep[];

/** A customer's own dunning: `enabled: false` stops it; `schedule` replaces the default. */
export interface CustomerDunning {
  enabled?: boolean;
  schedule?: DunningStep[];
}

export type DunningStepStatus = 'done' | 'skipped' | 'failed';

/** Delivery bookkeeping of a step's email (as the invoice email's). */
export interface DunningEmail {
  status: 'pending' | 'sent';
  messageId?: string;
  sentAt?: string;
  attempts: number;
  lastError?: string;
}

/** One step as recorded on the invoice. */
export interface DunningRecord {
  /** 1-based position of the step in the schedule that ran it (for people; the key is afterDays + action). */
  step: number;
  afterDays: number;
  action: DunningAction;
  /** When it was recorded. */
  at: string;
  status: DunningStepStatus;
  detail?: string;
  /** Email steps: the email's delivery. */
  email?: DunningEmail;
}

export interface InvoiceDunning {
  steps: DunningRecord[];
}

/** The default when nothing is configured: reminders 3, 10 and 20 days after due, a retry at 5, a final notice at 30. */
export const DEFAULT_DUNNING_SCHEDULE: DunningSchedule = Object.freeze([
  { afterDays: 3, action: 'reminder' },
  { afterDays: 5, action: 'retry' },
  { afterDays: 10, action: 'reminder' },
  { afterDays: 20, action: 'reminder' },
  { afterDays: 30, action: 'notify' },
]);

/** A step's identity: "10:reminder". */
export function stepKey(step: { afterDays: number; action: DunningAction }): string {
  return `${step.afterDays}:${step.action}`;
}

export function isDunningAction(value: string): value is DunningAction {
  return (DUNNING_ACTIONS as readonly string[]).includes(value);
}

/** What is wrong with a schedule, each with the index of the step (empty: valid). */
export function scheduleProblems(steps: readonly DunningStep[]): Array<{ index?: number; message: string }> {
  const problems: Array<{ index?: number; message: string }> = [];
  if (steps.length > MAX_DUNNING_STEPS)
    problems.push({ message: `must have at most ${MAX_DUNNING_STEPS} steps, got ${steps.length}` });
  const seen = new Set<string>();
  steps.forEach((step, index) => {
    if (!Number.isInteger(step.afterDays) || step.afterDays < 1 || step.afterDays > MAX_AFTER_DAYS)
      problems.push({ index, message: `after_days must be a whole number from 1 to ${MAX_AFTER_DAYS}` });
    const previous = steps[index - 1];
    if (previous && step.afterDays < previous.afterDays)
      problems.push({ index, message: 'steps must be in order of after_days' });
    if (seen.has(stepKey(step))) problems.push({ index, message: `step ${stepKey(step)} appears twice` });
    seen.add(stepKey(step));
    if (FINAL_ACTIONS.includes(step.action) && index !== steps.length - 1)
      problems.push({ index, message: `${step.action} is a final action: it must be the last step` });
  });
  return problems;
}

/**
 * Parses the configuration syntax "reminder:3,retry:5,reminder:10,reminder:20,suspend:30" (action,
 * colon, days after due; comma separated; "none" or empty: no dunning by default).
 */
export function parseDunningSchedule(
  text: string,
): { ok: true; schedule: DunningStep[] } | { ok: false; error: string } {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.toLowerCase() === 'none') return { ok: true, schedule: [] };
  const schedule: DunningStep[] = [];
  for (const part of trimmed.split(',')) {
    const match = /^\s*([a-z]+)\s*:\s*(\d{1,5})\s*$/.exec(part);
    if (!match) return { ok: false, error: `"${part.trim()}" is not action:days (e.g. reminder:3)` };
    const [, action = '', days = ''] = match;
    if (!isDunningAction(action))
      return { ok: false, error: `"${action}" is not an action (${DUNNING_ACTIONS.join(', ')})` };
    schedule.push({ action, afterDays: Number(days) });
  }
  const [problem] = scheduleProblems(schedule);
  if (problem)
    return {
      ok: false,
      error: problem.index === undefined ? problem.message : `step ${problem.index + 1}: ${problem.message}`,
    };
  return { ok: true, schedule };
}

/** The schedule syntax of a schedule (the configuration's). */
export function formatDunningSchedule(schedule: DunningSchedule): string {
  return schedule.map((step) => `${step.action}:${step.afterDays}`).join(',');
}

/** The schedule an invoice of this customer follows (empty: no dunning). */
export function effectiveSchedule(defaults: DunningSchedule, customer: CustomerDunning | undefined): DunningSchedule {
  if (customer?.enabled === false) return [];
  return customer?.schedule ?? defaults;
}

/** Whole days from the local date `dueDate` to the local date of `now` in `timeZone` (0 on the due date). */
export function daysOverdue(dueDate: string, timeZone: string, now: Date): number {
  const p = localParts(now, timeZone);
  const today = Date.UTC(p.year, p.month - 1, p.day);
  const [year = 0, month = 1, day = 1] = dueDate.split('-').map(Number);
  return Math.round((today - Date.UTC(year, month - 1, day)) / 86_400_000);
}

/** A step a run should record now: `due` (do it) or `skipped` (missed, superseded by a later one). */
export interface PlannedStep extends DunningStep {
  step: number;
  status: 'due' | 'skipped';
  detail?: string;
}

export interface DunningInput {
  dueDate: string;
  timezone: string;
  /** The steps recorded so far. */
  recorded: readonly DunningRecord[];
}

/** The steps due by `now` and not yet recorded, in schedule order (see the catch-up rule above). */
export function planDunning(invoice: DunningInput, schedule: DunningSchedule, now: Date): PlannedStep[] {
  const overdue = daysOverdue(invoice.dueDate, invoice.timezone, now);
  const recorded = new Set(invoice.recorded.map(stepKey));
  const open = schedule
    .map((step, index) => ({ ...step, step: index + 1 }))
    .filter((step) => step.afterDays <= overdue && !recorded.has(stepKey(step)));
  const lastEmail = open.filter((step) => EMAIL_ACTIONS.includes(step.action)).at(-1);
  const lastRetry = open.filter((step) => step.action === 'retry').at(-1);
  return open.map((step): PlannedStep => {
    if (EMAIL_ACTIONS.includes(step.action) && step !== lastEmail)
      return { ...step, status: 'skipped', detail: `missed; superseded by step ${lastEmail?.step}` };
    if (step.action === 'retry' && step !== lastRetry)
      return { ...step, status: 'skipped', detail: `missed; superseded by step ${lastRetry?.step}` };
    return { ...step, status: 'due' };
  });
}

/** Whether the schedule's suspension applies to an invoice still owing at `now` (its suspend step is due). */
export function suspensionDue(
  invoice: Pick<DunningInput, 'dueDate' | 'timezone'>,
  schedule: DunningSchedule,
  now: Date,
): boolean {
  const suspend = schedule.find((step) => step.action === 'suspend');
  return suspend !== undefined && suspend.afterDays <= daysOverdue(invoice.dueDate, invoice.timezone, now);
}

/** Retries recorded so far that reached the provider: the next retry's attempt number is this plus one. */
export function retriesTried(recorded: readonly DunningRecord[]): number {
  return recorded.filter((record) => record.action === 'retry' && record.status !== 'skipped').length;
}
