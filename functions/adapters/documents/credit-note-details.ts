import type { CreditNote } from '../../domain/billing/credit-note.js';
import { Decimal, sum } from '../../domain/decimal.js';
import { formatAmount } from '../../domain/money.js';
import { formatMoney, formatPercent, messages } from './format.js';
import type { Messages } from './messages.js';

/** What a credit-note document (PDF, email) says, in the note's language. */
export interface CreditNoteView {
  text: Messages;
  money: (amount: string) => string;
  /** "for invoice INV-…" */
  forInvoice: string;
  /** Each credited line: "Line 2: API calls", the quantity when one was credited, net, tax, total. */
  lines: Array<{ label: string; quantity?: string; rate: string; amount: string; tax: string; total: string }>;
  /** Net, then the tax per rate, then the total. */
  totals: Array<{ label: string; amount: string; strong?: boolean }>;
  /** What happens with the money (per method). */
  outcome: string;
}

export function creditNoteView(note: CreditNote): CreditNoteView {
  const text = messages(note.locale);
  const money = (amount: string) => formatMoney(amount, note.currency, note.locale);
  const rates = [...new Set(note.lines.map((line) => line.taxRate))];
  const taxRows = rates.map((rate) => ({
    label: text.vat(formatPercent(rate, note.locale)),
    amount: formatAmount(
      sum(note.lines.filter((line) => line.taxRate === rate).map((line) => new Decimal(line.tax))),
      note.currency,
    ),
  }));
  const outcome =
    note.method === 'credit_balance'
      ? text.creditToBalance(money(note.total))
      : note.method === 'refund'
        ? text.creditRefund(money(note.total))
        : text.creditReducesDue(money(note.total), note.invoiceNumber);
  return {
    text,
    money,
    forInvoice: text.creditNoteFor(note.invoiceNumber),
    lines: note.lines.map((line) => ({
      label: `${text.line(line.line)}: ${line.description}`,
      ...(line.quantity !== undefined ? { quantity: line.quantity } : {}),
      rate: formatPercent(line.taxRate, note.locale),
      amount: line.amount,
      tax: line.tax,
      total: line.total,
    })),
    totals: [
      { label: text.subtotal, amount: note.subtotal },
      ...taxRows,
      { label: text.total, amount: note.total, strong: true },
    ],
    outcome,
  };
}
