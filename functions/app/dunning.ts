import type { BillingConfig } from '../config.js';
import {
  type DunningRecord,
  type DunningSchedule,
  EMAIL_ACTIONS,
  effectiveSchedule,
  type PlannedStep,
  planDunning,
  retriesTried,
  stepKey,
  suspensionDue,
} from '../domain/billing/dunning.js';
import { amountRemainingOf } from '../domain/billing/payment.js';
import type { Customer, CustomerSuspension } from '../domain/customer.js';
import type { Invoice } from '../domain/invoice.js';
import type { DeliveryKind } from './ports/invoices.js';

/**
 * The dunning run: every invoice still owing money past its due date (the receivables index) gets the
 * steps of its customer's schedule that are due and not yet recorded (see functions/domain/billing/dunning.ts).
 *
 * Exactly once: the steps are recorded on the invoice with an optimistic update (`invoices.update`
 * re-reads and retries on a lost race), and a run acts only on the steps its own write added. Two runs
 * racing both compute the same steps; one records them and acts, the other finds them recorded and
 * does nothing. Emails are owed before they are recorded (the outbox entry, keyed by invoice and
 * step, is written first) and delivered by the delivery function, which records `sent` on the step.
 * A `retry` is claimed (recorded) before the provider is called, so it is tried at most once; if the
 * provider fails, the step becomes `failed`.
 */

/** Retries collecting an invoice through the payment provider (the lead wires it to Stripe). */
export interface DunningPayments {
  retry(invoice: Invoice, attempt: number): Promise<void>;
}

export interface DunningDeps {
  config: Pick<BillingConfig, 'dunningSchedule'>;
  invoices: {
    receivables(options?: { dueBefore?: string }): Promise<Invoice[]>;
    find(id: string): Promise<Invoice | undefined>;
    update(id: string, change: (current: Invoice) => Invoice): Promise<Invoice>;
    addToOutbox(invoiceId: string, kind: DeliveryKind, since: Date): Promise<void>;
  };
  customers: {
    getMany(ids: readonly string[]): Promise<Map<string, Customer>>;
    suspend(id: string, suspension: CustomerSuspension): Promise<boolean>;
    unsuspend(id: string): Promise<CustomerSuspension | undefined>;
    moveSuspension(id: string, from: CustomerSuspension, to: CustomerSuspension): Promise<boolean>;
    suspended(): Promise<Array<{ customerId: string; suspension: CustomerSuspension }>>;
  };
  /** Absent: the owed reminders wait for the outbox sweep. */
  deliveryQueue?: { send(invoiceId: string, kind: DeliveryKind): Promise<void> };
  /** Absent: `retry` steps are recorded `skipped` ("no payment provider"). */
  payments?: DunningPayments;
}

export interface DunningStepOutcome {
  invoiceId: string;
  number: string;
  customerId: string;
  step: number;
  afterDays: number;
  action: DunningRecord['action'];
  status: DunningRecord['status'];
  detail?: string;
}

export interface DunningRunResult {
  ranAt: string;
  invoices: number;
  steps: DunningStepOutcome[];
  suspended: string[];
  unsuspended: string[];
  /** Invoices whose steps could not be recorded this time (the next run tries again). */
  errors: Array<{ invoiceId: string; message: string }>;
}

/** The outbox id of a step's email: `<invoice id>~<after_days>:<action>` (kind `reminder`). */
export function reminderOutboxId(invoiceId: string, record: { afterDays: number; action: DunningRecord['action'] }) {
  return `${invoiceId}~${stepKey(record)}`;
}

/** The invoice id and step key of a reminder's outbox id (undefined: not one). */
export function parseReminderOutboxId(id: string): { invoiceId: string; key: string } | undefined {
  const at = id.lastIndexOf('~');
  if (at <= 0 || at === id.length - 1) return undefined;
  return { invoiceId: id.slice(0, at), key: id.slice(at + 1) };
}

const NO_PROVIDER = 'no payment provider';

const suspensionReason = (invoice: Invoice) => `invoice ${invoice.number} is overdue (due ${invoice.dueDate})`;

function recordOf(planned: PlannedStep, at: string, deps: DunningDeps): DunningRecord {
  const base = { step: planned.step, afterDays: planned.afterDays, action: planned.action, at };
  if (planned.status === 'skipped')
    return { ...base, status: 'skipped', ...(planned.detail ? { detail: planned.detail } : {}) };
  switch (planned.action) {
    case 'reminder':
    case 'notify':
      return { ...base, status: 'done', email: { status: 'pending', attempts: 0 } };
    case 'retry':
      return deps.payments ? { ...base, status: 'done' } : { ...base, status: 'skipped', detail: NO_PROVIDER };
    case 'suspend':
      return { ...base, status: 'done', detail: 'customer suspended' };
  }
}

/** Records the steps that are not on the invoice yet; answers those this call added (none when another run did). */
async function record(deps: DunningDeps, invoiceId: string, records: DunningRecord[]): Promise<DunningRecord[]> {
  let added: DunningRecord[] = [];
  await deps.invoices.update(invoiceId, (current) => {
    added = [];
    if (current.status !== 'finalized' || amountRemainingOf(current).lte(0)) return current;
    const known = new Set((current.dunning?.steps ?? []).map(stepKey));
    const fresh = records.filter((r) => !known.has(stepKey(r)));
    if (fresh.length === 0) return current;
    added = fresh;
    return { ...current, dunning: { steps: [...(current.dunning?.steps ?? []), ...fresh] } };
  });
  return added;
}

/** Changes one recorded step (a retry that failed). */
async function amend(deps: DunningDeps, invoiceId: string, key: string, change: (r: DunningRecord) => DunningRecord) {
  await deps.invoices.update(invoiceId, (current) => {
    const steps = current.dunning?.steps;
    if (!steps?.some((r) => stepKey(r) === key)) return current;
    return { ...current, dunning: { steps: steps.map((r) => (stepKey(r) === key ? change(r) : r)) } };
  });
}

async function dunInvoice(
  deps: DunningDeps,
  invoice: Invoice,
  schedule: DunningSchedule,
  now: Date,
  result: DunningRunResult,
): Promise<void> {
  const planned = planDunning({ ...invoice, recorded: invoice.dunning?.steps ?? [] }, schedule, now);
  if (planned.length === 0) return;
  const at = now.toISOString();
  const records = planned.map((step) => recordOf(step, at, deps));
  const emails = records.filter((r) => r.status === 'done' && EMAIL_ACTIONS.includes(r.action));
  // Owed before recorded: a crash between the two leaves an entry the sweep clears (the step is not recorded).
  for (const email of emails) await deps.invoices.addToOutbox(reminderOutboxId(invoice.id, email), 'reminder', now);
  const suspend = records.find((r) => r.action === 'suspend' && r.status === 'done');
  // Suspended before the step is recorded, so a crash between the two is repaired by the next run (the
  // customer is suspended already; the step gets recorded). Re-read first: a run that read the invoice
  // before another recorded the step must not suspend again a customer lifted by hand since.
  const fresh = suspend ? await deps.invoices.find(invoice.id) : undefined;
  const owing = fresh !== undefined && fresh.status === 'finalized' && amountRemainingOf(fresh).gt(0);
  if (suspend && owing && !fresh.dunning?.steps.some((r) => stepKey(r) === stepKey(suspend))) {
    const suspended = await deps.customers.suspend(invoice.customerId, {
      at,
      invoiceId: invoice.id,
      reason: suspensionReason(invoice),
    });
    if (suspended) result.suspended.push(invoice.customerId);
  }
  const added = await record(deps, invoice.id, records);
  const attempt = retriesTried(invoice.dunning?.steps ?? []) + 1;
  for (const step of added) {
    let final = step;
    if (EMAIL_ACTIONS.includes(step.action) && step.status === 'done')
      await deps.deliveryQueue?.send(reminderOutboxId(invoice.id, step), 'reminder');
    if (step.action === 'retry' && step.status === 'done' && deps.payments) {
      try {
        await deps.payments.retry(invoice, attempt);
      } catch (error) {
        const detail = `payment retry failed: ${(error as Error).message || String(error)}`.slice(0, 500);
        final = { ...step, status: 'failed', detail };
        await amend(deps, invoice.id, stepKey(step), (r) => ({ ...r, status: 'failed', detail }));
      }
    }
    result.steps.push({
      invoiceId: invoice.id,
      number: invoice.number,
      customerId: invoice.customerId,
      step: final.step,
      afterDays: final.afterDays,
      action: final.action,
      status: final.status,
      ...(final.detail ? { detail: final.detail } : {}),
    });
  }
}

/** UTC date (YYYY-MM-DD) a day after `now`: no time zone's local date is later. */
function dayAfter(now: Date): string {
  return new Date(now.getTime() + 86_400_000).toISOString().slice(0, 10);
}

export async function runDunning(deps: DunningDeps, now: Date): Promise<DunningRunResult> {
  const result: DunningRunResult = {
    ranAt: now.toISOString(),
    invoices: 0,
    steps: [],
    suspended: [],
    unsuspended: [],
    errors: [],
  };
  const overdue = await deps.invoices.receivables({ dueBefore: dayAfter(now) });
  const customers = await deps.customers.getMany([...new Set(overdue.map((invoice) => invoice.customerId))]);
  const scheduleOf = (customerId: string) =>
    effectiveSchedule(deps.config.dunningSchedule, customers.get(customerId)?.dunning);
  /** Customers whose suspension still applies: the invoices still owing that reached their suspend step, oldest due first. */
  const stillSuspended = new Map<string, Invoice[]>();
  for (const invoice of overdue) {
    const schedule = scheduleOf(invoice.customerId);
    if (amountRemainingOf(invoice).lte(0)) continue;
    result.invoices++;
    if (suspensionDue(invoice, schedule, now))
      stillSuspended.set(invoice.customerId, [...(stillSuspended.get(invoice.customerId) ?? []), invoice]);
    if (!customers.has(invoice.customerId)) continue;
    try {
      await dunInvoice(deps, invoice, schedule, now, result);
    } catch (error) {
      // One invoice's trouble (a write that keeps losing races, the queue down) does not stop the others.
      result.errors.push({ invoiceId: invoice.id, message: ((error as Error).message || String(error)).slice(0, 500) });
    }
  }
  // Lift what no longer applies: the invoice was paid, credited or voided (it left the receivables).
  for (const { customerId, suspension } of await deps.customers.suspended()) {
    const owing = stillSuspended.get(customerId);
    const [oldest] = owing ?? [];
    if (!oldest) {
      if (await deps.customers.unsuspend(customerId)) result.unsuspended.push(customerId);
      continue;
    }
    // The named invoice was paid, but another one still suspends the customer: name that one.
    if (!owing?.some((invoice) => invoice.id === suspension.invoiceId))
      await deps.customers.moveSuspension(customerId, suspension, {
        at: suspension.at,
        invoiceId: oldest.id,
        reason: suspensionReason(oldest),
      });
  }
  return result;
}
