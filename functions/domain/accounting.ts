import type { CreditNote } from './billing/credit-note.js';
import { Decimal, ZERO } from './decimal.js';
import type { Invoice } from './invoice.js';
import { formatAmount } from './money.js';
import { localParts } from './time/zone.js';

/**
 * Accounting export: the double-entry journal of invoices, credit notes, payments and refunds, and the
 * same bookings as a DATEV Buchungsstapel (EXTF, header version 700, category 21, format version 13).
 * Pure: the route reads the documents and the account mapping from config (docs/accounting.md).
 *
 * Every entry has one lead line on one side (the receivable of an invoice, the bank of a payment) and
 * one or more counter lines on the other side whose amounts add up to it: an entry is balanced by
 * construction, and it is exactly one DATEV row per counter line (Konto = lead, Gegenkonto = counter).
 */

/** Ledger accounts (digits, as the chart of accounts numbers them). Defaults: SKR03 (config.ts). */
export interface AccountMapping {
  /** Trade receivables: one collective debtor account for every customer. */
  receivables: string;
  /** Revenue at 19 % and its output VAT account. */
  revenue19: string;
  vat19: string;
  /** Revenue at 7 % and its output VAT account. */
  revenue7: string;
  vat7: string;
  /** EU B2B services, reverse charge (category AE): no German VAT. */
  revenueReverseCharge: string;
  /** Not taxable in Germany / 0 % (categories O, Z, E): customers outside the EU, exempt customers. */
  revenueNonTaxable: string;
  /** Standard-rated at any other rate (One Stop Shop consumers in other member states, customer-specific rates). */
  revenueOtherRate: string;
  vatOtherRate: string;
  /** Payments recorded by hand (bank transfer, cash, cheque). */
  bank: string;
  /** Payments collected by the payment provider (Stripe) until the payout reaches the bank. */
  providerClearing: string;
  /** The customer balance (overpayments, credit notes to the balance, prepaid credits): a liability. */
  customerBalance: string;
}

export type DocumentType = 'invoice' | 'credit_note' | 'payment' | 'refund' | 'balance_applied' | 'balance_returned';
export type Side = 'debit' | 'credit';
export type LineKind = 'receivable' | 'revenue' | 'vat' | 'bank' | 'balance';

export interface CounterLine {
  account: string;
  kind: LineKind;
  amount: Decimal;
  /** Revenue and VAT lines: the tax category and rate (percent) of their group. */
  taxCategory?: string;
  taxRate?: string;
  /** VAT lines: the revenue account whose VAT they are (DATEV folds them into its row on automatic accounts). */
  vatOf?: string;
}

export interface JournalEntry {
  /** Local date (YYYY-MM-DD) of the document in its time zone: issue date, or the day a payment was received. */
  date: string;
  documentType: DocumentType;
  /** The document's number (invoice, credit note) or the invoice a payment or refund is booked against. */
  number: string;
  /** A payment's or refund's reference; the invoice number for credit notes. */
  reference: string;
  customerId: string;
  customerName: string;
  currency: string;
  text: string;
  lead: { account: string; kind: LineKind; side: Side };
  counters: CounterLine[];
}

/** The lead's amount: Σ of the counter lines. */
export const leadAmount = (entry: JournalEntry): Decimal =>
  entry.counters.reduce((total, line) => total.plus(line.amount), ZERO);

const opposite = (side: Side): Side => (side === 'debit' ? 'credit' : 'debit');

/** The local date (YYYY-MM-DD) of an instant in a time zone. */
export function localDate(instant: string, timeZone: string): string {
  const parts = localParts(new Date(instant), timeZone);
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  return `${pad(parts.year, 4)}-${pad(parts.month)}-${pad(parts.day)}`;
}

interface TaxGroup {
  category: string;
  rate: string;
  net: Decimal;
  tax: Decimal;
}

/** Revenue (and VAT) account of a tax group. */
export function revenueAccountsOf(
  category: string,
  rate: string,
  mapping: AccountMapping,
): { revenue: string; vat?: string } {
  const percent = new Decimal(rate || '0');
  if (category === 'AE') return { revenue: mapping.revenueReverseCharge };
  if (category !== 'S' || percent.isZero()) return { revenue: mapping.revenueNonTaxable };
  if (percent.eq(19)) return { revenue: mapping.revenue19, vat: mapping.vat19 };
  if (percent.eq(7)) return { revenue: mapping.revenue7, vat: mapping.vat7 };
  return { revenue: mapping.revenueOtherRate, vat: mapping.vatOtherRate };
}

function groupLines(groups: readonly TaxGroup[], mapping: AccountMapping): CounterLine[] {
  const lines: CounterLine[] = [];
  for (const group of groups) {
    const accounts = revenueAccountsOf(group.category, group.rate, mapping);
    const tagged = { taxCategory: group.category, taxRate: group.rate };
    if (!group.net.isZero()) lines.push({ account: accounts.revenue, kind: 'revenue', amount: group.net, ...tagged });
    if (!group.tax.isZero()) {
      // A tax on a group without a VAT account (a 0 % category never has one) goes to the other-rate VAT account.
      const vat = accounts.vat ?? mapping.vatOtherRate;
      lines.push({ account: vat, kind: 'vat', amount: group.tax, vatOf: accounts.revenue, ...tagged });
    }
  }
  return lines;
}

/** The invoice's tax groups: its breakdown, or for invoices issued before breakdowns one group from its header. */
function invoiceGroups(invoice: Invoice): TaxGroup[] {
  if (invoice.taxBreakdown && invoice.taxBreakdown.length > 0)
    return invoice.taxBreakdown.map((group) => ({
      category: group.category,
      rate: group.rate,
      net: new Decimal(group.taxableAmount),
      tax: new Decimal(group.tax),
    }));
  return [
    {
      category: invoice.reverseCharge ? 'AE' : invoice.taxRate && !new Decimal(invoice.taxRate).isZero() ? 'S' : 'O',
      rate: invoice.reverseCharge ? '0' : (invoice.taxRate ?? '0'),
      net: new Decimal(invoice.taxableAmount ?? invoice.subtotal),
      tax: new Decimal(invoice.tax),
    },
  ];
}

/** Credited lines summed per (category, rate), in order of first appearance. */
function creditNoteGroups(note: CreditNote): TaxGroup[] {
  const groups = new Map<string, TaxGroup>();
  for (const line of note.lines) {
    const key = `${line.taxCategory}#${new Decimal(line.taxRate || '0').toString()}`;
    const group = groups.get(key) ?? { category: line.taxCategory, rate: line.taxRate, net: ZERO, tax: ZERO };
    groups.set(key, { ...group, net: group.net.plus(line.amount), tax: group.tax.plus(line.tax) });
  }
  return [...groups.values()];
}

const customerName = (party: { name: string } | undefined, fallback: string) => party?.name || fallback;

/** The entries of an invoice itself: the receivable against revenue and VAT, and what the balance or prepaid credits paid of it. */
export function invoiceEntries(invoice: Invoice, mapping: AccountMapping): JournalEntry[] {
  const base = {
    date: invoice.issueDate,
    number: invoice.number,
    reference: invoice.number,
    customerId: invoice.customerId,
    customerName: customerName(invoice.buyer, invoice.customerId),
    currency: invoice.currency,
  };
  const entries: JournalEntry[] = [];
  const counters = groupLines(invoiceGroups(invoice), mapping);
  if (counters.length > 0)
    entries.push({
      ...base,
      documentType: 'invoice',
      text: `Invoice ${invoice.number} ${base.customerName}`,
      lead: { account: mapping.receivables, kind: 'receivable', side: 'debit' },
      counters,
    });
  const fromBalance = balancePaid(invoice);
  if (fromBalance.gt(0))
    entries.push({
      ...base,
      documentType: 'balance_applied',
      text: `Balance applied ${invoice.number} ${base.customerName}`,
      lead: { account: mapping.customerBalance, kind: 'balance', side: 'debit' },
      counters: [{ account: mapping.receivables, kind: 'receivable', amount: fromBalance }],
    });
  return entries;
}

/** What the customer balance and prepaid credits paid of an invoice at its finalization. */
const balancePaid = (invoice: Invoice) => new Decimal(invoice.balanceApplied ?? 0).plus(invoice.paidCredits ?? 0);

/**
 * A void gives back what the balance and prepaid credits paid of the invoice (its void credit note
 * credits the receivable with everything left, that part included): the receivable against the balance,
 * on the local day of the void.
 */
export function voidEntries(invoice: Invoice, mapping: AccountMapping, from: string, to: string): JournalEntry[] {
  if (invoice.status !== 'void' || !invoice.voided) return [];
  const returned = balancePaid(invoice);
  const date = localDate(invoice.voided.at, invoice.timezone);
  if (!returned.gt(0) || date < from || date > to) return [];
  const name = customerName(invoice.buyer, invoice.customerId);
  return [
    {
      date,
      documentType: 'balance_returned',
      number: invoice.number,
      reference: invoice.number,
      customerId: invoice.customerId,
      customerName: name,
      currency: invoice.currency,
      text: `Balance returned ${invoice.number} ${name}`,
      lead: { account: mapping.receivables, kind: 'receivable', side: 'debit' },
      counters: [{ account: mapping.customerBalance, kind: 'balance', amount: returned }],
    },
  ];
}

/**
 * A credit note reverses its lines' revenue and VAT. What it credits: the receivable (`reduce_amount_due`,
 * `refund`: the refund paid out later settles it) or the customer balance (`credit_balance`).
 */
export function creditNoteEntries(note: CreditNote, mapping: AccountMapping): JournalEntry[] {
  const counters = groupLines(creditNoteGroups(note), mapping);
  if (counters.length === 0) return [];
  const toBalance = note.method === 'credit_balance';
  const name = customerName(note.buyer, note.customerId);
  return [
    {
      date: note.issueDate,
      documentType: 'credit_note',
      number: note.number,
      reference: note.invoiceNumber,
      customerId: note.customerId,
      customerName: name,
      currency: note.currency,
      text: `Credit note ${note.number} ${name}`,
      lead: toBalance
        ? { account: mapping.customerBalance, kind: 'balance', side: 'credit' }
        : { account: mapping.receivables, kind: 'receivable', side: 'credit' },
      counters,
    },
  ];
}

const isProviderId = (id: string) => !id.startsWith('manual:');

/**
 * Payments received on an invoice whose local receipt date is in [from, to]: the bank (manual) or the
 * provider's clearing account against the receivable (`applied`) and the customer balance (`overpaid`).
 * Refunds paid out (succeeded) in the range: the receivable against the bank or clearing account.
 */
export function paymentEntries(invoice: Invoice, mapping: AccountMapping, from: string, to: string): JournalEntry[] {
  const name = customerName(invoice.buyer, invoice.customerId);
  const entries: JournalEntry[] = [];
  for (const payment of invoice.payments ?? []) {
    const date = localDate(payment.receivedAt, invoice.timezone);
    if (date < from || date > to) continue;
    const counters: CounterLine[] = [];
    if (new Decimal(payment.applied).gt(0))
      counters.push({ account: mapping.receivables, kind: 'receivable', amount: new Decimal(payment.applied) });
    if (new Decimal(payment.overpaid).gt(0))
      counters.push({ account: mapping.customerBalance, kind: 'balance', amount: new Decimal(payment.overpaid) });
    if (counters.length === 0) continue;
    entries.push({
      date,
      documentType: 'payment',
      number: invoice.number,
      reference: payment.reference,
      customerId: invoice.customerId,
      customerName: name,
      currency: invoice.currency,
      text: `Payment ${invoice.number} ${name} ${payment.reference}`,
      lead: {
        account: payment.source === 'provider' ? mapping.providerClearing : mapping.bank,
        kind: 'bank',
        side: 'debit',
      },
      counters,
    });
  }
  for (const refund of invoice.refunds ?? []) {
    if (refund.status !== 'succeeded') continue;
    const date = localDate(refund.at, invoice.timezone);
    if (date < from || date > to || !new Decimal(refund.amount).gt(0)) continue;
    entries.push({
      date,
      documentType: 'refund',
      number: invoice.number,
      reference: refund.reference ?? refund.id,
      customerId: invoice.customerId,
      customerName: name,
      currency: invoice.currency,
      text: `Refund ${invoice.number} ${name}`,
      lead: {
        account: isProviderId(refund.id) ? mapping.providerClearing : mapping.bank,
        kind: 'bank',
        side: 'credit',
      },
      counters: [{ account: mapping.receivables, kind: 'receivable', amount: new Decimal(refund.amount) }],
    });
  }
  return entries;
}

/**
 * The journal of [from, to] (local dates, both included): invoices (finalized, paid or void: a void's
 * credit note reverses it) and credit notes issued in the range, payments and refunds received in it
 * (whenever their invoice was issued). Drafts are not booked. Sorted by date, then document number.
 */
export function journalEntries(input: {
  invoices: readonly Invoice[];
  creditNotes: readonly CreditNote[];
  mapping: AccountMapping;
  from: string;
  to: string;
}): JournalEntry[] {
  const { mapping, from, to } = input;
  const inRange = (date: string) => date >= from && date <= to;
  const entries: JournalEntry[] = [];
  for (const invoice of input.invoices) {
    if (invoice.status === 'draft') continue;
    if (inRange(invoice.issueDate)) entries.push(...invoiceEntries(invoice, mapping));
    entries.push(...paymentEntries(invoice, mapping, from, to));
    entries.push(...voidEntries(invoice, mapping, from, to));
  }
  for (const note of input.creditNotes) if (inRange(note.issueDate)) entries.push(...creditNoteEntries(note, mapping));
  const order: Record<DocumentType, number> = {
    invoice: 0,
    balance_applied: 1,
    credit_note: 2,
    balance_returned: 3,
    payment: 4,
    refund: 5,
  };
  return entries.sort(
    (a, b) =>
      a.date.localeCompare(b.date) ||
      order[a.documentType] - order[b.documentType] ||
      a.number.localeCompare(b.number) ||
      a.reference.localeCompare(b.reference),
  );
}

/** One side of one posting: the plain journal's row. */
export interface JournalRow {
  date: string;
  documentType: DocumentType;
  number: string;
  reference: string;
  customerId: string;
  customerName: string;
  account: string;
  contraAccount: string;
  debit: string;
  credit: string;
  currency: string;
  taxRate: string;
  text: string;
}

/** Each counter line gives two rows: the lead's account and the counter's, each naming the other as contra account. */
export function journalRows(entries: readonly JournalEntry[]): JournalRow[] {
  return entries.flatMap((entry) =>
    entry.counters.flatMap((line) => {
      // A negative line (a negative late-usage adjustment, say) is booked on the other side.
      const amount = formatAmount(line.amount.abs(), entry.currency);
      const leadSide = line.amount.isNegative() ? opposite(entry.lead.side) : entry.lead.side;
      const row = (account: string, contraAccount: string, side: Side): JournalRow => ({
        date: entry.date,
        documentType: entry.documentType,
        number: entry.number,
        reference: entry.reference,
        customerId: entry.customerId,
        customerName: entry.customerName,
        account,
        contraAccount,
        debit: side === 'debit' ? amount : '',
        credit: side === 'credit' ? amount : '',
        currency: entry.currency,
        taxRate: line.taxRate ?? '',
        text: entry.text,
      });
      return [
        row(entry.lead.account, line.account, leadSide),
        row(line.account, entry.lead.account, opposite(leadSide)),
      ];
    }),
  );
}

// ---------------------------------------------------------------------------------------------------
// DATEV Buchungsstapel (EXTF)
// ---------------------------------------------------------------------------------------------------

export interface DatevSettings {
  /** Beraternummer (1001–9999999) and Mandantennummer (1–99999). */
  consultantNumber: number;
  clientNumber: number;
  /** First day of the fiscal year, MM-DD. */
  fiscalYearStart: string;
  /** Sachkontenlänge (4–8). */
  accountLength: number;
  /** Sachkontenrahmen: "03" (SKR03) or "04" (SKR04). */
  chart: string;
  /**
   * The 19 % and 7 % revenue accounts are DATEV automatic accounts (AM): one row of the gross amount per
   * tax group, DATEV books the VAT. When false, net and VAT are separate rows.
   */
  automaticVat: boolean;
}

/** The columns of line 2 this export fills, in DATEV's order (the first 14 of the Buchungsstapel). */
export const DATEV_COLUMNS = Object.freeze([
  'Umsatz (ohne Soll/Haben-Kz)',
  'Soll/Haben-Kennzeichen',
  'WKZ Umsatz',
  'Kurs',
  'Basis-Umsatz',
  'WKZ Basis-Umsatz',
  'Konto',
  'Gegenkonto (ohne BU-Schlüssel)',
  'BU-Schlüssel',
  'Belegdatum',
  'Belegfeld 1',
  'Belegfeld 2',
  'Skonto',
  'Buchungstext',
] as const);

export interface DatevRow {
  amount: Decimal;
  side: 'S' | 'H';
  currency: string;
  account: string;
  contraAccount: string;
  /** YYYY-MM-DD */
  date: string;
  document: string;
  text: string;
}

/**
 * The DATEV rows of the entries: one per counter line, Konto = the lead's account, Gegenkonto = the
 * counter's, S/H the lead's side. On automatic accounts (19 %, 7 %) a VAT line is folded into its
 * revenue row (gross amount): DATEV books the VAT itself.
 */
export function datevRows(
  entries: readonly JournalEntry[],
  settings: Pick<DatevSettings, 'automaticVat'>,
  mapping: AccountMapping,
): DatevRow[] {
  const automatic = new Set(settings.automaticVat ? [mapping.revenue19, mapping.revenue7] : []);
  return entries.flatMap((entry) => {
    const rows: DatevRow[] = [];
    const folded = new Set<CounterLine>();
    for (const line of entry.counters) {
      if (folded.has(line)) continue;
      let amount = line.amount;
      if (line.kind === 'revenue' && automatic.has(line.account)) {
        const vat = entry.counters.find(
          (other) =>
            other.kind === 'vat' &&
            other.vatOf === line.account &&
            other.taxRate === line.taxRate &&
            !folded.has(other),
        );
        if (vat) {
          amount = amount.plus(vat.amount);
          folded.add(vat);
        }
      }
      // DATEV takes positive amounts only: a negative one is the other side.
      const leadSide = amount.isNegative() ? opposite(entry.lead.side) : entry.lead.side;
      rows.push({
        amount: amount.abs(),
        side: leadSide === 'debit' ? 'S' : 'H',
        currency: entry.currency,
        account: entry.lead.account,
        contraAccount: line.account,
        date: entry.date,
        document: entry.number,
        text: entry.text,
      });
    }
    return rows;
  });
}

/** Windows-1252 characters above U+00FF (0x80–0x9F): what a DATEV text field may hold besides Latin-1. */
const CP1252_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/**
 * A DATEV text field's content: no control characters (a line break would end the record), only
 * characters Windows-1252 can hold (others become "?"), a leading = + - @ neutralised with an
 * apostrophe, at most `max` characters, quotes doubled, in quotes.
 */
export function datevText(value: string, max: number): string {
  const chars: string[] = [];
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x20 || (code >= 0x7f && code < 0xa0)) chars.push(' ');
    else if (code <= 0xff || CP1252_EXTRA.has(char)) chars.push(char);
    else chars.push('?');
  }
  const clean = chars.join('').replace(/\s+/g, ' ').trim();
  // A spreadsheet opening the file would run a cell starting with = + - @ as a formula (OWASP CSV injection).
  const text = (/^[=+\-@]/.test(clean) ? `'${clean}` : clean).slice(0, max);
  return `"${text.replace(/"/g, '""')}"`;
}

/** An amount as DATEV writes it: positive, decimal comma, two decimals, no thousands separator. */
export function datevAmount(amount: Decimal): string {
  return amount.abs().toFixed(2).replace('.', ',');
}

/** Belegdatum: DDMM (the year comes from the batch's dates). */
export function datevDate(date: string): string {
  return `${date.slice(8, 10)}${date.slice(5, 7)}`;
}

/** Belegfeld 1: at most 36 characters of letters, digits and $ % & * + - / (others dropped). */
export function datevDocumentField(value: string): string {
  return `"${value.replace(/[^a-zA-Z0-9$%&*+\-/]/g, '').slice(0, 36)}"`;
}

export function datevRowLine(row: DatevRow): string {
  return [
    datevAmount(row.amount),
    `"${row.side}"`,
    `"${row.currency}"`,
    '', // Kurs: no exchange rates (docs/accounting.md)
    '', // Basis-Umsatz
    '""', // WKZ Basis-Umsatz
    row.account,
    row.contraAccount,
    '""', // BU-Schlüssel: automatic accounts need none
    datevDate(row.date),
    datevDocumentField(row.document),
    '""', // Belegfeld 2
    '', // Skonto
    datevText(row.text, 60),
  ].join(';');
}

/** The first day (YYYY-MM-DD) of the fiscal year that holds `date`, for a fiscal year starting on MM-DD. */
export function fiscalYearBegin(date: string, fiscalYearStart: string): string {
  const year = Number(date.slice(0, 4));
  const begin = `${date.slice(0, 4)}-${fiscalYearStart}`;
  return date >= begin ? begin : `${String(year - 1).padStart(4, '0')}-${fiscalYearStart}`;
}

const compact = (date: string) => date.replaceAll('-', '');

/** The header record (line 1): EXTF, version 700, category 21 "Buchungsstapel", format version 13. */
export function datevHeader(settings: DatevSettings, range: { from: string; to: string }, createdAt: Date): string {
  const created = createdAt
    .toISOString()
    .replace(/[-:TZ.]/g, '')
    .slice(0, 17);
  return [
    '"EXTF"',
    '700',
    '21',
    '"Buchungsstapel"',
    '13',
    created,
    '', // Importiert
    '"RE"', // Herkunft
    '""', // Exportiert von
    '""', // Importiert von
    String(settings.consultantNumber),
    String(settings.clientNumber),
    compact(fiscalYearBegin(range.from, settings.fiscalYearStart)),
    String(settings.accountLength),
    compact(range.from),
    compact(range.to),
    datevText(`Billing ${range.from} ${range.to}`, 30),
    '""', // Diktatkürzel
    '1', // Buchungstyp: Finanzbuchführung
    '0', // Rechnungslegungszweck
    '0', // Festschreibung: no, the accountant reviews first
    '"EUR"',
    '',
    '""',
    '',
    '',
    `"${settings.chart}"`,
    '',
    '',
    '""',
    '""',
  ].join(';');
}

/** The whole file: header, column names, one row per booking; CRLF line ends. */
export function datevFile(
  entries: readonly JournalEntry[],
  settings: DatevSettings,
  mapping: AccountMapping,
  range: { from: string; to: string },
  createdAt: Date,
): string {
  const lines = [
    datevHeader(settings, range, createdAt),
    DATEV_COLUMNS.join(';'),
    ...datevRows(entries, settings, mapping).map(datevRowLine),
  ];
  return `${lines.join('\r\n')}\r\n`;
}
