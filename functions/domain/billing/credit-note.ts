import { Decimal, sum, ZERO } from '../decimal.js';
import type { Invoice, Party } from '../invoice.js';
import { allocate, formatAmount, minorUnits, roundMoney } from '../money.js';
import { amountPaidOf, amountRemainingOf } from './payment.js';

/**
 * Credit notes: a numbered document that takes back (part of) a finalized invoice's lines. Pure math
 * here; the store writes a note, its number, the invoice's new state, the balance and the revenue in
 * one transaction (functions/adapters/dynamodb/credit-notes.ts).
 *
 * Per line, what can be credited is its `taxableAmount` (net after coupons and promotional credits;
 * invoices issued before those have none: its `amount`). Tax follows the net **with cumulative
 * rounding**: after a note, the tax credited on a line so far is `round(line.tax × netCreditedSoFar /
 * line.taxableAmount)`, and the note's tax is that minus what the earlier notes credited. So the notes
 * of an invoice never credit more net or tax than it charged, and the note that credits the last of a
 * line takes exactly what is left of its tax.
 */
export const CREDIT_NOTE_METHODS = Object.freeze(['credit_balance', 'refund', 'reduce_amount_due'] as const);
export type CreditNoteMethod = (typeof CREDIT_NOTE_METHODS)[number];

/** One credited line of a note. */
export interface CreditNoteLine {
  /** 1-based index of the invoice line. */
  line: number;
  description: string;
  /** The quantity credited, when the request credited a quantity. */
  quantity?: string;
  /** Net credited (before tax), in whole minor units. */
  amount: string;
  taxCategory: string;
  taxRate: string;
  tax: string;
  total: string;
}

export type CreditNoteDeliveryRecord = {
  status: 'pending' | 'sent';
  messageId?: string;
  sentAt?: string;
  attempts: number;
  lastError?: string;
  lease?: { token: string; until: string };
};

export interface CreditNote {
  /** `cn_…` */
  id: string;
  /** Gapless in its own series, e.g. "CN-2026-000001". */
  number: string;
  series: string;
  invoiceId: string;
  invoiceNumber: string;
  customerId: string;
  currency: string;
  locale: string;
  timezone: string;
  issuedAt: string;
  /** Local date (YYYY-MM-DD) in the invoice's time zone. */
  issueDate: string;
  reason: string;
  method: CreditNoteMethod;
  lines: CreditNoteLine[];
  subtotal: string;
  tax: string;
  total: string;
  seller: Party;
  buyer: Party;
  delivery: CreditNoteDeliveryRecord;
  /**
   * Method `refund`: the money owed back. `pending` until paid out: `requested` at the payment provider
   * (refund `id`), `succeeded` once the provider reports it (or a person records a manual refund with
   * its `reference`), `failed` when the provider could not pay it out.
   */
  refund?: {
    status: 'pending' | 'requested' | 'succeeded' | 'failed';
    amount: string;
    id?: string;
    paymentId?: string;
    reference?: string;
    at?: string;
    error?: string;
  };
  /** Issued by voiding the invoice (it credits everything that was left). */
  void?: boolean;
}

/** What the invoice records of each of its notes. */
export interface CreditNoteSummary {
  id: string;
  number: string;
  total: string;
  method: CreditNoteMethod;
  issuedAt: string;
}

/** Net and tax credited so far on one invoice line (aligned with `invoice.lines`). */
export interface LineCredited {
  amount: string;
  tax: string;
}

/** A line of a credit-note request: exactly one of `amount` (net) and `quantity`. */
export interface CreditLineRequest {
  line: number;
  amount?: Decimal;
  quantity?: Decimal;
}

/** Why a credit note is refused: the field (JSON-pointer-like path of the request) and a message. */
export interface CreditNoteRefusal {
  code: 'invoice_not_creditable' | 'nothing_to_credit' | 'over_credit' | 'invalid_credit_line' | 'method_not_allowed';
  kind: 'conflict' | 'unprocessable';
  message: string;
  details: Array<{ path: string; message: string }>;
}

/** The computed note (without id, number, parties and delivery), and the invoice's credit state after it. */
export interface CreditNoteAmounts {
  lines: CreditNoteLine[];
  subtotal: string;
  tax: string;
  total: string;
  creditedLines: LineCredited[];
}

export type CreditNoteOutcome = { ok: true; amounts: CreditNoteAmounts } | { ok: false; refusal: CreditNoteRefusal };

/** What can be credited on a line: its net, tax, category and rate as charged. */
export interface CreditableLine {
  description: string;
  quantity: Decimal;
  net: Decimal;
  tax: Decimal;
  taxCategory: string;
  taxRate: string;
}

/**
 * The lines as charged. Invoices issued before per-line tax shares get the invoice's tax split over the
 * lines in proportion to their amounts (largest remainder, whole minor units), which is how the close
 * splits it today.
 */
export function creditableLines(invoice: Invoice): CreditableLine[] {
  const nets = invoice.lines.map((line) => new Decimal(line.taxableAmount ?? line.amount));
  const haveShares = invoice.lines.every((line) => line.tax !== undefined);
  const taxes = haveShares
    ? invoice.lines.map((line) => new Decimal(line.tax ?? '0'))
    : allocate(
        new Decimal(invoice.tax),
        nets.map((net) => (net.gt(0) ? net : ZERO)),
        invoice.currency,
      );
  const fallbackRate = invoice.taxRate ?? '0';
  const fallbackCategory = invoice.taxBreakdown?.[0]?.category ?? (new Decimal(fallbackRate).gt(0) ? 'S' : 'O');
  return invoice.lines.map((line, index) => ({
    description: line.description,
    quantity: new Decimal(line.quantity),
    net: nets[index] ?? ZERO,
    tax: taxes[index] ?? ZERO,
    taxCategory: line.taxCategory ?? fallbackCategory,
    taxRate: line.taxRate ?? fallbackRate,
  }));
}

/** What the invoice's earlier notes credited per line (zeros when none). */
export function creditedSoFar(invoice: Invoice): Array<{ amount: Decimal; tax: Decimal }> {
  return invoice.lines.map((_, index) => {
    const credited = invoice.creditedLines?.[index];
    return credited
      ? { amount: new Decimal(credited.amount), tax: new Decimal(credited.tax) }
      : { amount: ZERO, tax: ZERO };
  });
}

/** Whether the invoice's status allows credit notes: finalized (unpaid) or paid. */
export function isCreditable(invoice: Invoice): boolean {
  return invoice.status === 'finalized' || invoice.status === 'paid';
}

/** The net left to credit on the whole invoice. */
export function uncreditedNet(invoice: Invoice): Decimal {
  const credited = creditedSoFar(invoice);
  return sum(creditableLines(invoice).map((line, i) => line.net.minus(credited[i]?.amount ?? ZERO)));
}

function refusal(
  code: CreditNoteRefusal['code'],
  kind: CreditNoteRefusal['kind'],
  message: string,
  details: CreditNoteRefusal['details'] = [],
): CreditNoteOutcome {
  return { ok: false, refusal: { code, kind, message, details } };
}

/**
 * The credit note `request` makes against `invoice` (its earlier notes are in `invoice.creditedLines`),
 * or why it is refused. `method` matters only for `reduce_amount_due`: the invoice must be unpaid and
 * the note may not take more than is due (`allowBeyondDue`: a void, which owes nothing after it).
 */
export function computeCreditNote(
  invoice: Invoice,
  request: { lines: readonly CreditLineRequest[]; method: CreditNoteMethod },
  options: { allowBeyondDue?: boolean } = {},
): CreditNoteOutcome {
  const currency = invoice.currency;
  if (!isCreditable(invoice))
    return refusal(
      'invoice_not_creditable',
      'conflict',
      `invoice ${invoice.number || invoice.id} is ${invoice.status}; only finalized or paid invoices can be credited`,
    );
  if (request.method === 'reduce_amount_due' && invoice.status !== 'finalized')
    return refusal(
      'method_not_allowed',
      'conflict',
      `invoice ${invoice.number} is ${invoice.status}: reduce_amount_due applies to unpaid invoices only; use credit_balance or refund`,
      [{ path: '/method', message: 'must be credit_balance or refund for a paid invoice' }],
    );
  const lines = creditableLines(invoice);
  const credited = creditedSoFar(invoice);
  if (uncreditedNet(invoice).lte(0))
    return refusal('nothing_to_credit', 'conflict', `invoice ${invoice.number} is fully credited: nothing is left`);
  if (request.lines.length === 0)
    return refusal('invalid_credit_line', 'unprocessable', 'a credit note credits at least one line', [
      { path: '/lines', message: 'must hold at least one line' },
    ]);

  const unit = new Decimal(10).pow(-minorUnits(currency));
  const details: CreditNoteRefusal['details'] = [];
  let overCredit = false;
  const seen = new Set<number>();
  const creditedLines = credited.map((c) => ({ amount: c.amount, tax: c.tax }));
  const noteLines: CreditNoteLine[] = [];
  request.lines.forEach((item, i) => {
    const at = `/lines/${i}`;
    if (!Number.isInteger(item.line) || item.line < 1 || item.line > lines.length) {
      details.push({
        path: `${at}/line`,
        message: `must be the number of a line of invoice ${invoice.number} (1 to ${lines.length})`,
      });
      return;
    }
    if (seen.has(item.line)) {
      details.push({ path: `${at}/line`, message: `credits line ${item.line} a second time; name each line once` });
      return;
    }
    seen.add(item.line);
    const line = lines[item.line - 1]!;
    const before = credited[item.line - 1]!;
    const left = line.net.minus(before.amount);
    if ((item.amount === undefined) === (item.quantity === undefined)) {
      details.push({ path: at, message: 'must give exactly one of amount and quantity' });
      return;
    }
    let net: Decimal;
    let field: 'amount' | 'quantity';
    if (item.amount !== undefined) {
      field = 'amount';
      if (item.amount.lte(0)) {
        details.push({ path: `${at}/amount`, message: 'must be greater than 0' });
        return;
      }
      if (!item.amount.mod(unit).isZero()) {
        details.push({
          path: `${at}/amount`,
          message: `must be in whole minor units of ${currency} (at most ${minorUnits(currency)} decimals)`,
        });
        return;
      }
      net = item.amount;
    } else {
      field = 'quantity';
      const quantity = item.quantity!;
      if (quantity.lte(0)) {
        details.push({ path: `${at}/quantity`, message: 'must be greater than 0' });
        return;
      }
      if (line.quantity.lte(0)) {
        details.push({
          path: `${at}/quantity`,
          message: `line ${item.line} has no quantity to credit; credit an amount`,
        });
        return;
      }
      if (quantity.gt(line.quantity)) {
        details.push({
          path: `${at}/quantity`,
          message: `must be at most the line's quantity ${line.quantity.toFixed()}`,
        });
        return;
      }
      net = roundMoney(line.net.times(quantity).div(line.quantity), currency);
      if (net.lte(0)) {
        details.push({ path: `${at}/quantity`, message: `credits less than one minor unit of ${currency}` });
        return;
      }
    }
    if (net.gt(left)) {
      overCredit = true;
      details.push({
        path: `${at}/${field}`,
        message: `credits ${formatAmount(net, currency)} but only ${formatAmount(left, currency)} of line ${item.line} is left to credit`,
      });
      return;
    }
    const netAfter = before.amount.plus(net);
    const taxAfter = line.net.isZero() ? ZERO : roundMoney(line.tax.times(netAfter).div(line.net), currency);
    const tax = taxAfter.minus(before.tax);
    creditedLines[item.line - 1] = { amount: netAfter, tax: taxAfter };
    noteLines.push({
      line: item.line,
      description: line.description,
      ...(field === 'quantity' ? { quantity: item.quantity!.toFixed() } : {}),
      amount: formatAmount(net, currency),
      taxCategory: line.taxCategory,
      taxRate: line.taxRate,
      tax: formatAmount(tax, currency),
      total: formatAmount(net.plus(tax), currency),
    });
  });
  if (details.length > 0)
    return refusal(
      overCredit ? 'over_credit' : 'invalid_credit_line',
      'unprocessable',
      overCredit ? 'the credit note credits more than is left on a line' : 'the credit note lines are not valid',
      details,
    );
  noteLines.sort((a, b) => a.line - b.line);
  const subtotal = sum(noteLines.map((l) => new Decimal(l.amount)));
  // A progressive credit line (negative) lowers what the invoice billed net: never credit beyond it.
  const netLeft = uncreditedNet(invoice);
  if (subtotal.gt(netLeft))
    return refusal('over_credit', 'unprocessable', 'the credit note credits more than the invoice has left', [
      {
        path: '/lines',
        message: `credits ${formatAmount(subtotal, currency)} but only ${formatAmount(netLeft, currency)} of invoice ${invoice.number} is left to credit (net of what was billed early this period)`,
      },
    ]);
  const tax = sum(noteLines.map((l) => new Decimal(l.tax)));
  const total = subtotal.plus(tax);
  if (request.method === 'reduce_amount_due' && !options.allowBeyondDue) {
    // What is still owed: payments received already are not taken back by lowering the amount due.
    const due = amountRemainingOf(invoice);
    if (total.gt(due))
      return refusal(
        'over_credit',
        'unprocessable',
        `the credit note's total ${formatAmount(total, currency)} exceeds the amount due ${formatAmount(due, currency)} of invoice ${invoice.number}; credit the rest with credit_balance or refund`,
        [{ path: '/method', message: 'reduce_amount_due can take at most the amount due' }],
      );
  }
  return {
    ok: true,
    amounts: {
      lines: noteLines,
      subtotal: formatAmount(subtotal, currency),
      tax: formatAmount(tax, currency),
      total: formatAmount(total, currency),
      creditedLines: creditedLines.map((c) => ({
        amount: formatAmount(c.amount, currency),
        tax: formatAmount(c.tax, currency),
      })),
    },
  };
}

/** A request that credits everything left on every line (a void). Empty when nothing is left. */
export function creditEverythingLeft(invoice: Invoice): CreditLineRequest[] {
  const credited = creditedSoFar(invoice);
  return creditableLines(invoice).flatMap((line, index) => {
    const left = line.net.minus(credited[index]?.amount ?? ZERO);
    return left.gt(0) ? [{ line: index + 1, amount: left }] : [];
  });
}

/**
 * The invoice after a note: its summary appended, `creditedTotal` and the per-line credited amounts
 * moved on, and for `reduce_amount_due` the amount due lowered by the note's total (never below 0).
 */
export function invoiceAfterCreditNote(
  invoice: Invoice,
  note: Pick<CreditNote, 'id' | 'number' | 'total' | 'method' | 'issuedAt'>,
  amounts: CreditNoteAmounts,
): Invoice {
  const currency = invoice.currency;
  const creditedTotal = new Decimal(invoice.creditedTotal ?? '0').plus(note.total);
  const due = new Decimal(invoice.amountDue ?? invoice.total);
  const amountDue =
    note.method === 'reduce_amount_due'
      ? formatAmount(Decimal.max(ZERO, due.minus(note.total)), currency)
      : (invoice.amountDue ?? invoice.total);
  // Lowering what is owed to what was paid already settles the invoice.
  const settled =
    note.method === 'reduce_amount_due' &&
    invoice.status === 'finalized' &&
    amountPaidOf(invoice).gt(0) &&
    amountPaidOf(invoice).gte(amountDue);
  return {
    ...invoice,
    amountDue,
    ...(settled
      ? {
          status: 'paid' as const,
          paymentStatus: 'paid' as const,
          payment: { paidAt: note.issuedAt, reference: note.number },
        }
      : {}),
    creditNotes: [
      ...(invoice.creditNotes ?? []),
      { id: note.id, number: note.number, total: note.total, method: note.method, issuedAt: note.issuedAt },
    ],
    creditedTotal: formatAmount(creditedTotal, currency),
    creditedLines: amounts.creditedLines,
  };
}

/** Net, tax and total credited on the invoice so far (zeros when none). */
export function creditedAmounts(invoice: Invoice): { subtotal: Decimal; tax: Decimal; total: Decimal } {
  const credited = creditedSoFar(invoice);
  const subtotal = sum(credited.map((c) => c.amount));
  const tax = sum(credited.map((c) => c.tax));
  return { subtotal, tax, total: subtotal.plus(tax) };
}
