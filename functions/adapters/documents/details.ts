import { formatIban } from '../../domain/bank.js';
import { REVERSE_CHARGE_NOTE } from '../../domain/billing/tax.js';
import { Decimal } from '../../domain/decimal.js';
import {
  type Invoice,
  type InvoiceLine,
  invoiceTotalsOf,
  type PriceDetail,
  type TaxBreakdown,
} from '../../domain/invoice.js';
import { formatAmount } from '../../domain/money.js';
import { formatMoney, formatPercent, formatPeriod, formatQuantity, messages, resolveLocale } from './format.js';
import type { Messages } from './messages.js';

/** One printed row of a line's price breakdown, every value formatted. */
export interface BreakdownRow {
  /** 1 for the line's own details, 2 for their nested lines, ... */
  depth: number;
  label: string;
  quantity?: string;
  unitPrice?: string;
  amount: string;
}

interface Context {
  currency: string;
  locale: string;
  text: Messages;
}

function stringField(detail: PriceDetail, key: string): string | undefined {
  const value = detail[key];
  return typeof value === 'string' ? value : undefined;
}

function tierOf(detail: PriceDetail): { index: number; from: string; upTo: string | null } | undefined {
  const tier = detail.tier;
  if (typeof tier !== 'object' || tier === null) return undefined;
  const { index, from, up_to: upTo } = tier as Record<string, unknown>;
  if (typeof index !== 'number' || typeof from !== 'string') return undefined;
  if (upTo !== null && typeof upTo !== 'string') return undefined;
  return { index, from, upTo };
}

function isZero(value: string | undefined): boolean {
  return value === undefined || /^[+-]?0+(?:\.0+)?$/.test(value);
}

function tierLabel(detail: PriceDetail, ctx: Context): string | undefined {
  const tier = tierOf(detail);
  if (tier === undefined) return undefined;
  const { text, locale } = ctx;
  const from = formatQuantity(tier.from, locale);
  const lowerOpen = tier.index === 0 || isZero(tier.from);
  let range: string;
  if (tier.upTo === null) range = lowerOpen ? text.tierAny : text.tierOver(from);
  else {
    const upTo = formatQuantity(tier.upTo, locale);
    range = lowerOpen ? text.tierUpTo(upTo) : text.tierBetween(from, upTo);
  }
  return text.tier(tier.index + 1, range);
}

function dimensionsLabel(detail: PriceDetail): string | undefined {
  const dimensions = detail.dimensions;
  if (typeof dimensions !== 'object' || dimensions === null) return undefined;
  const parts = Object.entries(dimensions as Record<string, unknown>)
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
    .map(([key, value]) => `${key}: ${value}`);
  return parts.length === 0 ? undefined : parts.join(', ');
}

/**
 * The row of one detail, in the document's language where the detail carries structured fields
 * (tier, blocks, rate, dimensions, band); otherwise the pricing engine's own description.
 */
function rowOf(detail: PriceDetail, depth: number, ctx: Context): BreakdownRow {
  const { text, currency, locale } = ctx;
  const money = (value: string) => formatMoney(value, currency, locale);
  const quantity = formatQuantity(detail.quantity, locale);
  const unitPrice = detail.unit_price === undefined ? undefined : money(detail.unit_price);
  const amount = money(detail.amount);
  const blocks = stringField(detail, 'blocks');
  const blockSize = stringField(detail, 'block_size');
  const blockPrice = stringField(detail, 'block_price');
  const ratePercent = stringField(detail, 'rate_percent');
  const freeQuantity = stringField(detail, 'free_quantity');
  const blocksText =
    blocks !== undefined && blockSize !== undefined && blockPrice !== undefined
      ? text.blocks(formatQuantity(blocks, locale), formatQuantity(blockSize, locale), money(blockPrice))
      : undefined;
  const flatFeeText = isZero(detail.flat_fee) ? undefined : text.flatFee(money(detail.flat_fee ?? '0'));
  const join = (head: string, ...parts: (string | undefined)[]) =>
    [head, parts.filter((part) => part !== undefined).join(', ')].filter((part) => part !== '').join(': ');

  switch (detail.kind) {
    case 'tier': {
      const label = tierLabel(detail, ctx);
      if (label === undefined) break;
      if (ratePercent !== undefined) {
        const rate = text.percentOf(formatPercent(ratePercent, locale), money(detail.quantity));
        return { depth, label: join(label, rate, flatFeeText), amount };
      }
      if (blocksText !== undefined) return { depth, label: join(label, blocksText, flatFeeText), quantity, amount };
      return { depth, label: join(label, flatFeeText), quantity, unitPrice, amount };
    }
    case 'included':
      return { depth, label: text.included, quantity, amount };
    case 'usage': {
      const free =
        freeQuantity === undefined || isZero(freeQuantity)
          ? undefined
          : text.freeOf(formatQuantity(freeQuantity, locale));
      if (blocksText !== undefined) return { depth, label: join(text.usage, blocksText, free), quantity, amount };
      return { depth, label: join(text.usage, free), quantity, unitPrice, amount };
    }
    case 'percentage': {
      if (ratePercent === undefined) break;
      const free = freeQuantity === undefined || isZero(freeQuantity) ? undefined : text.freeOf(money(freeQuantity));
      return {
        depth,
        label: join(text.percentOf(formatPercent(ratePercent, locale), money(detail.quantity)), free),
        amount,
      };
    }
    case 'fixed_fee':
      return { depth, label: text.fixedFeePerEvent, quantity, unitPrice, amount };
    case 'per_event_minimum':
      return { depth, label: text.perEventMinimum, amount };
    case 'per_event_maximum':
      return { depth, label: text.perEventMaximum, amount };
    case 'minimum_spend':
      return { depth, label: text.minimumSpend, amount };
    case 'maximum_spend':
      return { depth, label: text.maximumSpend, amount };
    case 'group':
      // A group without dimension values (usage that names none) is plain usage at the default price.
      return { depth, label: dimensionsLabel(detail) ?? text.usage, quantity, amount };
    case 'band': {
      const band = stringField(detail, 'band');
      return { depth, label: band ?? text.outsideBands, quantity, amount };
    }
    default:
      break;
  }
  return { depth, label: detail.description, quantity, unitPrice, amount };
}

function collect(details: readonly PriceDetail[], depth: number, ctx: Context, rows: BreakdownRow[]): void {
  for (const detail of details) {
    rows.push(rowOf(detail, depth, ctx));
    if (detail.lines !== undefined && detail.lines.length > 0) collect(detail.lines, depth + 1, ctx, rows);
  }
}

/** The breakdown rows of an invoice line, depth first (a detail, then its nested lines). */
export function breakdownRows(line: InvoiceLine, currency: string, locale: string): BreakdownRow[] {
  const rows: BreakdownRow[] = [];
  collect(line.details, 1, { currency, locale, text: messages(locale) }, rows);
  return rows;
}

/** Whether a line's breakdown tells more than the line itself (a single row repeating the line is noise). */
export function hasInformativeBreakdown(line: InvoiceLine): boolean {
  if (line.details.length === 0) return false;
  if (line.details.length > 1) return true;
  const [only] = line.details;
  if (only === undefined) return false;
  const nested = (only.lines?.length ?? 0) > 0;
  return nested || only.kind !== 'usage' || only.blocks !== undefined || only.free_quantity !== undefined;
}

/**
 * The printed label of a line, in the document's language. Base-fee and true-up lines are worded
 * from their facts; a line without facts (a usage line, or an invoice stored before lines carried
 * facts) prints its description, or the name of its kind when that is empty.
 */
export function lineLabel(line: InvoiceLine, currency: string, locale: string, timeZone = 'UTC'): string {
  const text = messages(locale);
  if (line.kind === 'base_fee' && line.baseFee !== undefined) {
    const { plan, timing, prorationFactor } = line.baseFee;
    const factor = new Decimal(prorationFactor);
    const prorated = factor.eq(1) ? undefined : formatPercent(factor.times(100).toDecimalPlaces(4).toFixed(), locale);
    return text.baseFeeLine(plan, prorated, timing === 'in_advance');
  }
  if (line.kind === 'minimum_commitment' && line.commitment !== undefined) {
    const money = (amount: string) => formatMoney(amount, currency, locale);
    return text.commitmentTrueUp(money(line.commitment.commitment), money(line.commitment.billed));
  }
  if (line.kind === 'adjustment' && line.adjustment !== undefined) {
    const { adjustment } = line;
    const money = (amount: string) => formatMoney(amount, currency, locale);
    return text.adjustmentLine(
      adjustment.name,
      formatPeriod(adjustment.periodStart, adjustment.periodEnd, locale, timeZone),
      money(adjustment.rerated),
      money(adjustment.invoiced),
    );
  }
  if (line.kind === 'progressive_credit' && line.progressiveCredit !== undefined)
    return text.progressiveCredit(line.progressiveCredit.invoiceNumber);
  if (line.description !== '') return line.description;
  switch (line.kind) {
    case 'base_fee':
      return text.baseFee;
    case 'minimum_commitment':
      return text.minimumCommitment;
    case 'usage':
      return line.meter ?? text.usage;
    case 'one_off':
      return text.oneOff;
    case 'adjustment':
      return line.meter ?? text.usage;
    case 'progressive_credit':
      return text.progressiveCredit('');
    default: {
      const unknown: never = line.kind;
      throw new Error(`no label for line kind ${String(unknown)}`);
    }
  }
}

/**
 * The period a line names under its label ("Zeitraum: 01.12.2026 – 31.12.2026"), when the reader
 * needs it: the line covers another period than the invoice, or it is one of several base-fee lines
 * (a first invoice with the base fee in advance charges this period and the next).
 */
export function linePeriodText(line: InvoiceLine, invoice: Invoice): string | undefined {
  // An adjustment names its period in its label already.
  if (line.kind === 'adjustment') return undefined;
  const ownPeriod = line.periodStart !== invoice.periodStart || line.periodEnd !== invoice.periodEnd;
  const severalBaseFees = line.kind === 'base_fee' && invoice.lines.filter((l) => l.kind === 'base_fee').length > 1;
  if (!ownPeriod && !severalBaseFees) return undefined;
  const text = messages(invoice.locale);
  return text.linePeriod(formatPeriod(line.periodStart, line.periodEnd, invoice.locale, invoice.timezone));
}

/** Why a 0 % row of an invoice issued under the tax rules charges nothing, in the document's language. */
export function zeroRateReason(row: TaxBreakdown, text: Messages): string {
  switch (row.rule) {
    case 'reverse_charge':
      return text.vatZeroReverseCharge;
    case 'customer_rate':
      return text.vatZeroRate;
    case 'exempt':
      return text.vatZeroExempt(row.exemption);
    case 'outside_eu':
      return text.vatZeroOutsideEu;
    case 'seller_outside_eu':
      return text.vatZeroSellerOutsideEu;
    case 'not_configured':
      return text.vatZeroNotConfigured;
    default:
      return row.reason ?? text.vatZeroNoRate;
  }
}

/** The tax row of the totals: its label, and for a 0 % row the reason no tax is charged. */
export function taxRow(invoice: Invoice): { label: string; reason?: string } {
  const text = messages(invoice.locale);
  const [row, ...more] = invoice.taxBreakdown ?? [];
  if (row && more.length === 0) {
    if (!new Decimal(row.rate).isZero()) return { label: text.vat(formatPercent(row.rate, invoice.locale)) };
    return { label: text.vat(formatPercent('0', invoice.locale)), reason: zeroRateReason(row, text) };
  }
  const rate = invoice.reverseCharge ? undefined : invoice.taxRate;
  if (rate !== undefined && !new Decimal(rate).isZero())
    return { label: text.vat(formatPercent(rate, invoice.locale)) };
  const reason = invoice.reverseCharge
    ? text.vatZeroReverseCharge
    : invoice.taxRate === undefined
      ? text.vatZeroNoRate
      : text.vatZeroRate;
  return { label: text.vat(formatPercent('0', invoice.locale)), reason };
}

/**
 * The bank transfer sentence in the invoice's language: the seller's own wording for that language
 * when configured, else composed from the bank details; undefined when neither is available (an
 * English-only text is never printed on a German invoice).
 */
export function paymentInstructionsText(invoice: Invoice): string | undefined {
  const instructions = invoice.paymentInstructions;
  if (instructions === undefined) return undefined;
  const { language } = resolveLocale(invoice.locale);
  const own = instructions.text?.[language];
  if (own !== undefined && own !== '') return own;
  if (instructions.iban === undefined) return undefined;
  const text = messages(invoice.locale);
  const account = text.bankAccount({
    iban: formatIban(instructions.iban),
    ...(instructions.accountHolder !== undefined ? { accountHolder: instructions.accountHolder } : {}),
    ...(instructions.bic !== undefined ? { bic: instructions.bic } : {}),
  });
  const totals = invoiceTotalsOf(invoice);
  const partlyPaid = new Decimal(totals.paidCredits).gt(0) || new Decimal(totals.balanceApplied).gt(0);
  return (partlyPaid ? text.transferDueTo : text.transferTo)(invoice.number, account);
}

const REVERSE_CHARGE_WORDING = /reverse[\s-]?charge|steuerschuldnerschaft|autoliquidation|inversione contabile/i;

export interface PrintedNotesOptions {
  /** Leave out the payment instructions (a paid invoice's email, a voided invoice). */
  withoutPayment?: boolean;
}

/**
 * The notes printed on the documents, in this order: our reverse-charge wording in the document's
 * language (when reverse charge applies and no note of the seller's own carries such a wording), the
 * payment instructions (not on a voided invoice), then the invoice's own notes. The rating's English
 * reverse-charge note is ours, so it is replaced by the translation rather than printed.
 */
export function printedNotes(invoice: Invoice, text: Messages, options: PrintedNotesOptions = {}): string[] {
  const notes = invoice.notes.filter((note) => note !== REVERSE_CHARGE_NOTE);
  // Nothing to transfer: voided, a draft (no number to quote yet), or credits paid it all.
  const nothingDue =
    invoice.status === 'void' || invoice.status === 'draft' || new Decimal(invoiceTotalsOf(invoice).amountDue).isZero();
  const payment = options.withoutPayment || nothingDue ? undefined : paymentInstructionsText(invoice);
  if (payment !== undefined) notes.unshift(payment);
  if (invoice.reverseCharge && !notes.some((note) => REVERSE_CHARGE_WORDING.test(note))) {
    notes.unshift(text.reverseChargeNote);
  }
  return notes;
}

export interface TotalRow {
  label: string;
  /** A decimal string; negative for what comes off. */
  amount: string;
  reason?: string;
  strong?: boolean;
}

/**
 * The totals block of an invoice in the order of the invoice math: subtotal, each coupon, promotional
 * credits, tax (with the reason of a 0 % rate), total, and when prepaid credits paid part of it, the
 * credits and the amount due. Invoices issued before coupons and credits print as they always did.
 */
export function totalRows(invoice: Invoice): TotalRow[] {
  const text = messages(invoice.locale);
  const totals = invoiceTotalsOf(invoice);
  const off = (amount: string) => formatAmount(new Decimal(amount).neg(), invoice.currency);
  const rows: TotalRow[] = [{ label: text.subtotal, amount: totals.subtotal }];
  for (const discount of invoice.discounts ?? [])
    rows.push({ label: text.discount(discount.name), amount: off(discount.amount) });
  if (new Decimal(totals.promotionalCredits).gt(0))
    rows.push({ label: text.promotionalCredits, amount: off(totals.promotionalCredits) });
  const breakdown = invoice.taxBreakdown ?? [];
  if (breakdown.length > 1) {
    // Several rates (a one-off charge with its own): one row per rate, each with its own reason.
    for (const row of breakdown) {
      const zero = new Decimal(row.rate).isZero();
      rows.push({
        label: text.vat(formatPercent(row.rate, invoice.locale)),
        amount: row.tax,
        ...(zero ? { reason: zeroRateReason(row, text) } : {}),
      });
    }
  } else {
    const tax = taxRow(invoice);
    rows.push({ label: tax.label, amount: totals.tax, ...(tax.reason !== undefined ? { reason: tax.reason } : {}) });
  }
  rows.push({ label: text.total, amount: totals.total, strong: true });
  const paidCredits = new Decimal(totals.paidCredits).gt(0);
  const balance = new Decimal(totals.balanceApplied).gt(0);
  if (paidCredits) rows.push({ label: text.paidCredits, amount: off(totals.paidCredits) });
  if (balance) rows.push({ label: text.balanceApplied, amount: off(totals.balanceApplied) });
  if (paidCredits || balance) rows.push({ label: text.amountDue, amount: totals.amountDue, strong: true });
  return rows;
}
