import type { Invoice, InvoiceLine, PriceDetail } from '../../domain/invoice.js';
import { formatMoney, formatPercent, formatQuantity, messages } from './format.js';
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
    case 'group': {
      const label = dimensionsLabel(detail);
      if (label === undefined) break;
      return { depth, label, quantity, amount };
    }
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

const REVERSE_CHARGE_WORDING = /reverse[\s-]?charge|steuerschuldnerschaft|autoliquidation|inversione contabile/i;

/**
 * The notes printed on the documents: the invoice's own notes, preceded by our reverse-charge wording
 * when reverse charge applies and none of the notes already carries such a wording.
 */
export function printedNotes(invoice: Invoice, text: Messages): string[] {
  const notes = [...invoice.notes];
  if (invoice.reverseCharge && !notes.some((note) => REVERSE_CHARGE_WORDING.test(note))) {
    notes.unshift(text.reverseChargeNote);
  }
  return notes;
}
