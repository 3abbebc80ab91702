import { createHash, randomUUID } from 'node:crypto';
import { type OneOffCharge, oneOffLine } from '../domain/billing/charge.js';
import { formatLocalDate, localDateOf } from '../domain/billing/periods.js';
import { customerTaxBuyer, REVERSE_CHARGE_NOTE, taxTreatment } from '../domain/billing/tax.js';
import { invoiceTotals } from '../domain/billing/totals.js';
import type { Customer } from '../domain/customer.js';
import type { Invoice } from '../domain/invoice.js';
import { addDays } from '../domain/time/zone.js';
import { buyerParty, type CloseDeps, sellerParty } from './close-period.js';
import { ConflictError, CreditsChangedError } from './errors.js';
import type { ChargesPort } from './ports/charges.js';

export interface ChargeDeps extends Pick<CloseDeps, 'config' | 'clock' | 'invoices' | 'enqueueDelivery'> {
  customers: { get(id: string): Promise<Customer> };
  charges: ChargesPort;
}

export interface ChargeInput {
  description: string;
  quantity: string;
  unitAmount: string;
  currency: string;
  taxRate?: string;
}

/** The id of the invoice that bills a charge at once. */
export const oneOffInvoiceId = (chargeId: string) =>
  `in_${createHash('sha256').update(`charge|${chargeId}`).digest('hex').slice(0, 24)}`;

/**
 * Records a one-off charge for the customer's next invoice in its currency; with `invoiceNow`, bills
 * it at once on an invoice of its own (numbered in the same series, taxed like the customer's other
 * invoices, emailed). The charge is marked billed in that invoice's transaction.
 */
export async function createCharge(
  deps: ChargeDeps,
  customer: Customer,
  input: ChargeInput,
  invoiceNow: boolean,
): Promise<{ charge: OneOffCharge; invoice?: Invoice }> {
  const now = deps.clock();
  const charge: OneOffCharge = {
    id: `ch_${randomUUID().replaceAll('-', '').slice(0, 20)}`,
    customerId: customer.id,
    description: input.description,
    quantity: input.quantity,
    unitAmount: input.unitAmount,
    currency: input.currency,
    ...(input.taxRate !== undefined ? { taxRate: input.taxRate } : {}),
    createdAt: now.toISOString(),
    status: 'pending',
  };
  await deps.charges.create(charge);
  if (!invoiceNow) return { charge };
  const invoice = await invoiceCharge(deps, customer, charge, now);
  return { charge: { ...charge, status: 'billed', invoiceId: invoice.id }, invoice };
}

async function invoiceCharge(deps: ChargeDeps, customer: Customer, charge: OneOffCharge, now: Date): Promise<Invoice> {
  const at = now.toISOString();
  const line = oneOffLine(charge, { periodStart: at, periodEnd: at });
  const tax = taxTreatment(deps.config.seller, customerTaxBuyer(customer));
  const { totals, lines, discounts, credits, taxBreakdown } = invoiceTotals({
    currency: charge.currency,
    planKey: '',
    periodEnd: now,
    lines: [line],
    coupons: [],
    grants: [],
    tax,
  });
  const issueDate = localDateOf(now, customer.timezone);
  const series = deps.config.invoicePrefix.replaceAll('{YYYY}', String(issueDate.year));
  const { paymentInstructions } = deps.config.seller;
  const reverseCharge = tax.category === 'AE';
  const draft: Omit<Invoice, 'number'> = {
    id: oneOffInvoiceId(charge.id),
    kind: 'one_off',
    series,
    status: 'finalized',
    customerId: customer.id,
    subscriptionId: '',
    planKey: '',
    planVersion: 0,
    currency: charge.currency,
    locale: customer.locale,
    timezone: customer.timezone,
    issueDate: formatLocalDate(issueDate),
    dueDate: formatLocalDate(addDays(issueDate, customer.paymentTermsDays)),
    issuedAt: at,
    periodStart: at,
    periodEnd: at,
    seller: sellerParty(deps.config),
    buyer: buyerParty(customer),
    lines,
    ...totals,
    taxRate: tax.rate.toFixed(),
    discounts,
    credits,
    taxBreakdown,
    reverseCharge,
    notes: reverseCharge ? [REVERSE_CHARGE_NOTE] : [],
    ...(paymentInstructions ? { paymentInstructions } : {}),
    paymentTermsDays: customer.paymentTermsDays,
    ...(customer.paymentProviderId ? { collection: 'automatic' as const } : {}),
    delivery: { status: 'pending', attempts: 0 },
  };
  const { invoice, created } = await deps.invoices
    .finalize(draft, (sequence) => `${series}${String(sequence).padStart(deps.config.invoicePadding, '0')}`, {
      couponsAfter: [],
      grantsDrawn: [],
      charges: [charge],
    })
    .catch((error: unknown) => {
      // The charge was removed in between (its condition failed): nothing was written.
      if (error instanceof CreditsChangedError)
        throw new ConflictError(`one-off charge '${charge.id}' was removed while it was invoiced`);
      throw error;
    });
  if (created) await deps.enqueueDelivery?.(invoice);
  return invoice;
}
