import { createHash, randomBytes } from 'node:crypto';
import type { BillingConfig } from '../config.js';
import {
  type CreditLineRequest,
  type CreditNote,
  type CreditNoteMethod,
  type CreditNoteRefusal,
  computeCreditNote,
  creditableLines,
  creditEverythingLeft,
  creditedSoFar,
  invoiceAfterCreditNote,
} from '../domain/billing/credit-note.js';
import { formatLocalDate, localDateOf } from '../domain/billing/periods.js';
import { Decimal } from '../domain/decimal.js';
import type { Invoice } from '../domain/invoice.js';
import { withDeliveryRecord } from './deliver-invoice.js';
import { ConflictError, RefusedError } from './errors.js';
import type { Clock } from './ports/clock.js';
import type { CreditNotePlan } from './ports/credit-notes.js';
import type { DeliveryKind } from './ports/invoices.js';

/**
 * Credit notes (issued through the API, or by voiding an invoice) and what they do with the money:
 * `credit_balance` adds the note's total to the customer's balance (later invoices draw on it),
 * `refund` records a refund owed (`refund.status = pending`), `reduce_amount_due` lowers the amount
 * due of the (unpaid) invoice.
 */
export interface CreditNoteDeps {
  clock: Clock;
  config: Pick<BillingConfig, 'creditNotePrefix' | 'invoicePadding'>;
  creditNotes: {
    issue(
      invoiceId: string,
      plan: (current: Invoice) => CreditNotePlan,
    ): Promise<{ note: CreditNote; invoice: Invoice }>;
  };
  /** Absent when delivery is not configured: the email stays owed in the outbox. */
  deliveryQueue?: { send(invoiceId: string, kind: DeliveryKind): Promise<void> };
}

export interface CreditNoteRequest {
  lines: CreditLineRequest[];
  reason: string;
  method: CreditNoteMethod;
}

/** `lines[0].amount` for `/lines/0/amount`: how a person names the field in a message. */
function fieldName(path: string): string {
  return path
    .split('/')
    .filter(Boolean)
    .reduce((name, part) => (/^\d+$/.test(part) ? `${name}[${part}]` : name ? `${name}.${part}` : part), '');
}

function refusedError(refusal: CreditNoteRefusal): RefusedError {
  const first = refusal.details[0];
  const message = first ? `${fieldName(first.path)}: ${first.message}` : refusal.message;
  return new RefusedError(refusal.code, message, refusal.kind, refusal.details);
}

/** The plan of a note against the invoice as read now (throws the refusal). */
function planNote(
  deps: CreditNoteDeps,
  current: Invoice,
  request: CreditNoteRequest,
  now: Date,
  options: { void?: { at: string; reason: string }; id?: string } = {},
): CreditNotePlan {
  const outcome = computeCreditNote(current, request, { allowBeyondDue: options.void !== undefined });
  if (!outcome.ok) throw refusedError(outcome.refusal);
  const { amounts } = outcome;
  const issueDate = localDateOf(now, current.timezone);
  const series = deps.config.creditNotePrefix.replaceAll('{YYYY}', String(issueDate.year));
  const id = options.id ?? `cn_${randomBytes(12).toString('hex')}`;
  return {
    series,
    build(sequence) {
      const note: CreditNote = {
        id,
        number: `${series}${String(sequence).padStart(deps.config.invoicePadding, '0')}`,
        series,
        invoiceId: current.id,
        invoiceNumber: current.number,
        customerId: current.customerId,
        currency: current.currency,
        locale: current.locale,
        timezone: current.timezone,
        issuedAt: now.toISOString(),
        issueDate: formatLocalDate(issueDate),
        reason: request.reason,
        method: request.method,
        lines: amounts.lines,
        subtotal: amounts.subtotal,
        tax: amounts.tax,
        total: amounts.total,
        seller: current.seller,
        buyer: current.buyer,
        delivery: { status: 'pending', attempts: 0 },
        ...(request.method === 'refund' ? { refund: { status: 'pending' as const, amount: amounts.total } } : {}),
        ...(options.void ? { void: true } : {}),
      };
      let invoice = invoiceAfterCreditNote(current, note, amounts);
      if (options.void) {
        invoice = withDeliveryRecord(
          { ...invoice, status: 'void', voided: { at: options.void.at, reason: options.void.reason } },
          'void',
          { status: 'pending', attempts: 0 },
        );
      }
      return { note, invoice };
    },
  };
}

/** Issues a credit note against an invoice (refused with nothing changed: see computeCreditNote). */
export async function issueCreditNote(
  deps: CreditNoteDeps,
  invoiceId: string,
  request: CreditNoteRequest,
): Promise<CreditNote> {
  const now = deps.clock();
  const { note, invoice } = await deps.creditNotes.issue(invoiceId, (current) => planNote(deps, current, request, now));
  await deps.deliveryQueue?.send(note.id, 'credit_note');
  // Owed in the note's transaction (outbox): paid out through the provider by the delivery worker.
  if (note.refund && invoice.payments?.some((payment) => payment.source === 'provider'))
    await deps.deliveryQueue?.send(note.id, 'refund');
  return note;
}

/** The late-usage credit of an earlier invoice's charge (the close's `creditLateUsage`). */
export interface LateUsageCreditRequest {
  /** The same for the same correction: the note is issued once. */
  key: string;
  invoiceId: string;
  /** 1-based line of the invoice's usage charge. */
  line: number;
  /** Net amount, in minor units. */
  amount: string;
  reason: string;
}

/**
 * A charge of an earlier invoice that late usage or cancellations made cheaper: a credit note to the
 * customer balance for the difference (at most what is left uncredited on the line), once per `key`
 * (its id is derived from the key: a re-run of the close finds it issued). Nothing when the invoice
 * can no longer be credited (void, fully credited).
 */
export async function creditLateUsage(deps: CreditNoteDeps, request: LateUsageCreditRequest): Promise<void> {
  const id = `cn_${createHash('sha256').update(`late|${request.key}`).digest('hex').slice(0, 24)}`;
  const now = deps.clock();
  let issued: CreditNote | undefined;
  try {
    ({ note: issued } = await deps.creditNotes.issue(request.invoiceId, (current) => {
      if (current.creditNotes?.some((note) => note.id === id)) throw new LateCreditIssued();
      const index = request.line - 1;
      const line = creditableLines(current)[index];
      const left = line ? line.net.minus(creditedSoFar(current)[index]?.amount ?? 0) : new Decimal(0);
      const amount = Decimal.min(new Decimal(request.amount), left);
      if (amount.lte(0) || (current.status !== 'finalized' && current.status !== 'paid')) throw new LateCreditIssued();
      return planNote(
        deps,
        current,
        { lines: [{ line: request.line, amount }], reason: request.reason, method: 'credit_balance' },
        now,
        { id },
      );
    }));
  } catch (error) {
    if (error instanceof LateCreditIssued) return;
    throw error;
  }
  await deps.deliveryQueue?.send(issued.id, 'credit_note');
}

/** Issued already, or nothing left to credit: the late-usage credit has nothing to do. */
class LateCreditIssued extends Error {}

/**
 * Voids an invoice: it keeps its number, is marked void, and a credit note (method `reduce_amount_due`,
 * the void's reason) credits everything its earlier notes left, in the same transaction. Both the void
 * notice and the credit note's email are owed. A paid invoice is not voided: credit it instead.
 */
export async function voidWithCreditNote(
  deps: CreditNoteDeps,
  invoiceId: string,
  reason: string,
): Promise<{ invoice: Invoice; note: CreditNote }> {
  const now = deps.clock();
  const at = now.toISOString();
  const result = await deps.creditNotes.issue(invoiceId, (current) => {
    if (current.status === 'void')
      throw new ConflictError(
        `invoice ${current.number} was voided${current.voided ? ` at ${current.voided.at}` : ''}; a void invoice cannot be voided again`,
      );
    if (current.status === 'paid')
      throw new ConflictError(
        `invoice ${current.number} is paid; a paid invoice cannot be voided: credit it instead (POST /v1/invoices/${current.id}/credit-notes with method credit_balance or refund)`,
      );
    if (current.status !== 'finalized')
      throw new ConflictError(`invoice ${current.number || current.id} is ${current.status}; it cannot be voided`);
    const lines = creditEverythingLeft(current);
    if (lines.length === 0)
      throw new ConflictError(
        `invoice ${current.number} is fully credited already (${current.creditNotes?.map((n) => n.number).join(', ')}); there is nothing left to void`,
      );
    return planNote(deps, current, { lines, reason, method: 'reduce_amount_due' }, now, { void: { at, reason } });
  });
  await deps.deliveryQueue?.send(invoiceId, 'void');
  await deps.deliveryQueue?.send(result.note.id, 'credit_note');
  return result;
}
