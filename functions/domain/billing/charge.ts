import { Decimal } from '../decimal.js';
import type { InvoiceLine } from '../invoice.js';
import { formatAmount, formatDecimal } from '../money.js';

/**
 * A one-off charge (setup fee, consulting hours, hardware): billed on the customer's next invoice in
 * its currency, or on an invoice of its own at once. Amounts are exact decimal strings.
 */
export interface OneOffCharge {
  id: string;
  customerId: string;
  description: string;
  quantity: string;
  /** Price per unit, never negative (a reduction is a coupon or a credit note). */
  unitAmount: string;
  currency: string;
  /** Percent: the charge's own VAT rate where the invoice's treatment is standard-rated VAT. */
  taxRate?: string;
  createdAt: string;
  status: 'pending' | 'billed';
  /** The invoice that billed it (or, while a draft holds it, that draft). */
  invoiceId?: string;
}

/**
 * At most this many one-off charges go on one invoice (their writes share the invoice's transaction
 * of 100 items); the rest wait for the next invoice, oldest first.
 */
export const MAX_CHARGES_PER_INVOICE = 10;

/** The invoice line of a one-off charge, for the service period `period` (the invoice's own). */
export function oneOffLine(charge: OneOffCharge, period: { periodStart: string; periodEnd: string }): InvoiceLine {
  const precise = new Decimal(charge.quantity).times(charge.unitAmount);
  return {
    kind: 'one_off',
    description: charge.description,
    quantity: formatDecimal(new Decimal(charge.quantity)),
    unitPrice: formatDecimal(new Decimal(charge.unitAmount)),
    preciseAmount: formatDecimal(precise),
    amount: formatAmount(precise, charge.currency),
    ...period,
    details: [],
    oneOff: { charge: charge.id, ...(charge.taxRate !== undefined ? { taxRate: charge.taxRate } : {}) },
  };
}

/** The pending charges an invoice in `currency` bills: oldest first, at most {@link MAX_CHARGES_PER_INVOICE}. */
export function chargesFor(pending: readonly OneOffCharge[], currency: string): OneOffCharge[] {
  return pending
    .filter((charge) => charge.status === 'pending' && charge.currency === currency)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
    .slice(0, MAX_CHARGES_PER_INVOICE);
}
