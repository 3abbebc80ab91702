import type { StoredPlanVersion } from '../../app/ports/plans.js';
import type { BillingRun } from '../../app/ports/runs.js';
import type { CreditNote } from '../../domain/billing/credit-note.js';
import type { InvoiceDunning } from '../../domain/billing/dunning.js';
import { amountPaidOf, amountRemainingOf, paymentStatusOf } from '../../domain/billing/payment.js';
import { formatLocalDate } from '../../domain/billing/periods.js';
import type { RatedInvoice, Segment } from '../../domain/billing/rating.js';
import type { Subscription } from '../../domain/billing/subscription.js';
import {
  type CreditApplied,
  type DiscountApplied,
  type Invoice,
  type InvoiceLine,
  type InvoiceTotals,
  invoiceTotalsOf,
  type LineShares,
  type Party,
  type TaxBreakdown,
} from '../../domain/invoice.js';
import { formatAmount } from '../../domain/money.js';
import { runResultJson } from './run-result-wire.js';
import { addressJson } from './wire.js';

/** A stored plan version as sent: the document as written, with the defaults the schema applies spelled out. */
export function planJson(plan: StoredPlanVersion, versions?: number[]) {
  const baseFee = plan.base_fee as { amount: string; timing?: string } | undefined;
  return {
    ...plan,
    ...(baseFee ? { base_fee: { ...baseFee, timing: baseFee.timing ?? 'in_arrears' } } : {}),
    late_usage: plan.late_usage ?? 'adjust',
    ...(versions ? { versions } : {}),
  };
}

export function subscriptionJson(subscription: Subscription) {
  const c = subscription.current;
  return {
    id: subscription.id,
    customer: subscription.customerId,
    status: subscription.status,
    plan: subscription.planKey,
    plan_version: subscription.planVersion,
    price_overrides: subscription.priceOverrides,
    ...(subscription.usageLimits && Object.keys(subscription.usageLimits).length > 0
      ? { usage_limits: subscription.usageLimits }
      : {}),
    timezone: subscription.timeZone,
    billing_anchor: formatLocalDate(subscription.grid.anchor),
    interval: subscription.grid.interval,
    interval_count: subscription.grid.intervalCount,
    current_period: {
      start: c.start,
      end: c.end,
      full_start: c.fullStart,
      full_end: c.fullEnd,
      plan: c.planKey,
      plan_version: c.planVersion,
    },
    ...(subscription.pendingChange
      ? {
          pending_change: {
            plan: subscription.pendingChange.planKey,
            plan_version: subscription.pendingChange.planVersion,
          },
        }
      : {}),
    ...(subscription.endsAfterCurrent ? { ends_at: c.end } : {}),
    ...(subscription.canceledAt ? { canceled_at: subscription.canceledAt } : {}),
    created_at: subscription.createdAt,
    updated_at: subscription.updatedAt,
  };
}

function partyJson(party: Party) {
  const a = party.address;
  return {
    name: party.name,
    ...(party.email ? { email: party.email } : {}),
    ...(a ? { address: addressJson(a) } : {}),
    ...(party.taxId ? { tax_id: party.taxId } : {}),
    ...(party.contactName ? { contact_name: party.contactName } : {}),
    ...(party.phone ? { phone: party.phone } : {}),
    ...(party.electronicAddress ? { electronic_address: party.electronicAddress } : {}),
    ...(party.buyerReference ? { buyer_reference: party.buyerReference } : {}),
  };
}

export function lineJson(line: InvoiceLine & Partial<LineShares>) {
  return {
    kind: line.kind,
    description: line.description,
    ...(line.meter ? { meter: line.meter } : {}),
    quantity: line.quantity,
    ...(line.unitPrice ? { unit_price: line.unitPrice } : {}),
    precise_amount: line.preciseAmount,
    amount: line.amount,
    period_start: line.periodStart,
    period_end: line.periodEnd,
    details: line.details,
    ...(line.taxableAmount !== undefined
      ? {
          discount: line.discount,
          promotional_credits: line.promotionalCredits,
          taxable_amount: line.taxableAmount,
          tax_category: line.taxCategory,
          tax_rate: line.taxRate,
          tax: line.tax,
          paid_credits: line.paidCredits,
          amount_due: line.amountDue,
        }
      : {}),
    ...(line.oneOff ? { charge: line.oneOff.charge } : {}),
    ...(line.adjustment
      ? {
          adjustment: {
            invoice_id: line.adjustment.invoiceId,
            invoice_number: line.adjustment.invoiceNumber,
            meter: line.adjustment.meter,
            period_start: line.adjustment.periodStart,
            period_end: line.adjustment.periodEnd,
            rerated: line.adjustment.rerated,
            invoiced: line.adjustment.invoiced,
            rerated_quantity: line.adjustment.reratedQuantity,
            invoiced_quantity: line.adjustment.invoicedQuantity,
          },
        }
      : {}),
    ...(line.progressiveCredit
      ? {
          progressive_credit: {
            invoice_id: line.progressiveCredit.invoiceId,
            invoice_number: line.progressiveCredit.invoiceNumber,
            amount: line.progressiveCredit.amount,
          },
        }
      : {}),
  };
}

/** The totals of an invoice (or the upcoming one) and what made them: coupons, credits, tax per rate. */
function totalsJson(
  totals: InvoiceTotals,
  parts: {
    taxRate?: string;
    discounts?: DiscountApplied[];
    credits?: CreditApplied[];
    taxBreakdown?: TaxBreakdown[];
    reverseCharge: boolean;
    notes: string[];
  },
) {
  return {
    subtotal: totals.subtotal,
    discount_total: totals.discountTotal,
    promotional_credits: totals.promotionalCredits,
    taxable_amount: totals.taxableAmount,
    ...(parts.taxRate !== undefined ? { tax_rate: parts.taxRate } : {}),
    tax: totals.tax,
    total: totals.total,
    paid_credits: totals.paidCredits,
    credits_applied: totals.creditsApplied,
    balance_applied: totals.balanceApplied,
    amount_due: totals.amountDue,
    discounts: parts.discounts ?? [],
    credits: parts.credits ?? [],
    ...(parts.taxBreakdown
      ? {
          tax_breakdown: parts.taxBreakdown.map((row) => ({
            category: row.category,
            rate: row.rate,
            taxable_amount: row.taxableAmount,
            tax: row.tax,
            ...(row.reason ? { reason: row.reason } : {}),
            ...(row.rule ? { rule: row.rule } : {}),
          })),
        }
      : {}),
    reverse_charge: parts.reverseCharge,
    notes: parts.notes,
  };
}

export function invoiceJson(invoice: Invoice) {
  return {
    id: invoice.id,
    number: invoice.number,
    kind: invoice.kind ?? 'subscription',
    status: invoice.status,
    ...(invoice.graceEndsAt ? { grace_ends_at: invoice.graceEndsAt } : {}),
    ...(invoice.reissuedAs ? { reissued_as: invoice.reissuedAs } : {}),
    ...(invoice.reissueOf ? { reissue_of: invoice.reissueOf } : {}),
    ...(invoice.progressive ? { progressive: invoice.progressive } : {}),
    customer: invoice.customerId,
    subscription: invoice.subscriptionId,
    plan: invoice.planKey,
    plan_version: invoice.planVersion,
    currency: invoice.currency,
    locale: invoice.locale,
    issue_date: invoice.issueDate,
    due_date: invoice.dueDate,
    issued_at: invoice.issuedAt,
    period_start: invoice.periodStart,
    period_end: invoice.periodEnd,
    seller: partyJson(invoice.seller),
    buyer: partyJson(invoice.buyer),
    lines: invoice.lines.map(lineJson),
    ...totalsJson(invoiceTotalsOf(invoice), invoice),
    ...(invoice.paymentInstructions
      ? {
          payment_instructions: {
            ...(invoice.paymentInstructions.accountHolder
              ? { account_holder: invoice.paymentInstructions.accountHolder }
              : {}),
            ...(invoice.paymentInstructions.iban ? { iban: invoice.paymentInstructions.iban } : {}),
            ...(invoice.paymentInstructions.bic ? { bic: invoice.paymentInstructions.bic } : {}),
            ...(invoice.paymentInstructions.text ? { text: invoice.paymentInstructions.text } : {}),
          },
        }
      : {}),
    payment_terms_days: invoice.paymentTermsDays,
    delivery: {
      status: invoice.delivery.status,
      attempts: invoice.delivery.attempts,
      ...(invoice.delivery.messageId ? { message_id: invoice.delivery.messageId } : {}),
      ...(invoice.delivery.sentAt ? { sent_at: invoice.delivery.sentAt } : {}),
      ...(invoice.delivery.lastError ? { last_error: invoice.delivery.lastError } : {}),
    },
    ...(invoice.voided ? { voided: invoice.voided } : {}),
    ...(invoice.payment ? { payment: { paid_at: invoice.payment.paidAt, reference: invoice.payment.reference } } : {}),
    ...paymentJson(invoice),
    ...(invoice.creditNotes?.length
      ? {
          credit_notes: invoice.creditNotes.map((note) => ({
            id: note.id,
            number: note.number,
            total: note.total,
            method: note.method,
            issued_at: note.issuedAt,
          })),
          credited_total: invoice.creditedTotal ?? '0',
        }
      : {}),
    ...(invoice.dunning ? { dunning: invoiceDunningJson(invoice.dunning) } : {}),
  };
}

/** The dunning steps recorded on an invoice (the email's delivery lease is bookkeeping, not shown). */
export function invoiceDunningJson(dunning: InvoiceDunning) {
  return {
    steps: dunning.steps.map((record) => ({
      step: record.step,
      after_days: record.afterDays,
      action: record.action,
      at: record.at,
      status: record.status,
      ...(record.detail ? { detail: record.detail } : {}),
      ...(record.email
        ? {
            email: {
              status: record.email.status,
              attempts: record.email.attempts,
              ...(record.email.messageId ? { message_id: record.email.messageId } : {}),
              ...(record.email.sentAt ? { sent_at: record.email.sentAt } : {}),
              ...(record.email.lastError ? { last_error: record.email.lastError } : {}),
            },
          }
        : {}),
    })),
  };
}

export function creditNoteJson(note: CreditNote) {
  return {
    id: note.id,
    number: note.number,
    invoice: note.invoiceId,
    invoice_number: note.invoiceNumber,
    customer: note.customerId,
    currency: note.currency,
    locale: note.locale,
    issued_at: note.issuedAt,
    issue_date: note.issueDate,
    reason: note.reason,
    method: note.method,
    lines: note.lines.map((line) => ({
      line: line.line,
      description: line.description,
      ...(line.quantity !== undefined ? { quantity: line.quantity } : {}),
      amount: line.amount,
      tax_category: line.taxCategory,
      tax_rate: line.taxRate,
      tax: line.tax,
      total: line.total,
    })),
    subtotal: note.subtotal,
    tax: note.tax,
    total: note.total,
    seller: partyJson(note.seller),
    buyer: partyJson(note.buyer),
    ...(note.refund
      ? {
          refund: {
            status: note.refund.status,
            amount: note.refund.amount,
            ...(note.refund.id ? { id: note.refund.id } : {}),
            ...(note.refund.paymentId ? { payment_id: note.refund.paymentId } : {}),
            ...(note.refund.reference ? { reference: note.refund.reference } : {}),
            ...(note.refund.at ? { at: note.refund.at } : {}),
            ...(note.refund.error ? { error: note.refund.error } : {}),
          },
        }
      : {}),
    ...(note.void ? { void: true } : {}),
    delivery: {
      status: note.delivery.status,
      attempts: note.delivery.attempts,
      ...(note.delivery.messageId ? { message_id: note.delivery.messageId } : {}),
      ...(note.delivery.sentAt ? { sent_at: note.delivery.sentAt } : {}),
      ...(note.delivery.lastError ? { last_error: note.delivery.lastError } : {}),
    },
  };
}

/** The upcoming invoice's own fields, without its lines and totals (the estimates store these). */
export function upcomingHeaderJson(
  subscription: Subscription,
  plan: { key: string; version: number; currency: string },
  segment: Segment,
  until: Date,
) {
  return {
    customer: subscription.customerId,
    subscription: subscription.id,
    plan: plan.key,
    plan_version: plan.version,
    currency: plan.currency,
    period_start: segment.start.toISOString(),
    period_end: segment.end.toISOString(),
    usage_through: until.toISOString(),
  };
}

export function upcomingJson(
  subscription: Subscription,
  plan: { key: string; version: number; currency: string },
  rated: RatedInvoice,
  segment: Segment,
  until: Date,
) {
  return {
    ...upcomingHeaderJson(subscription, plan, segment, until),
    lines: rated.lines.map(lineJson),
    ...totalsJson(rated, rated),
  };
}

export function runJson(run: BillingRun) {
  const count = (status: string) => run.results.filter((r) => r.status === status).length;
  return {
    id: run.id,
    as_of: run.asOf,
    status: run.status,
    started_at: run.startedAt,
    ...(run.finishedAt ? { finished_at: run.finishedAt } : {}),
    summary: {
      invoiced: count('invoiced'),
      drafted: count('drafted'),
      skipped: count('skipped'),
      failed: count('failed'),
    },
    results: run.results.map(runResultJson),
    ...(run.error ? { error: run.error } : {}),
  };
}

/** Where paying the invoice stands: received, still owed, each payment, each try at collecting, refunds. */
function paymentJson(invoice: Invoice) {
  return {
    amount_paid: formatAmount(amountPaidOf(invoice), invoice.currency),
    amount_remaining: formatAmount(amountRemainingOf(invoice), invoice.currency),
    payment_status: paymentStatusOf(invoice),
    ...(invoice.collection ? { collection: invoice.collection } : {}),
    ...(invoice.payments?.length
      ? {
          payments: invoice.payments.map((p) => ({
            id: p.id,
            source: p.source,
            method: p.method,
            amount: p.amount,
            applied: p.applied,
            overpaid: p.overpaid,
            reference: p.reference,
            received_at: p.receivedAt,
          })),
        }
      : {}),
    ...(invoice.paymentAttempts?.length
      ? {
          payment_attempts: invoice.paymentAttempts.map((a) => ({
            id: a.id,
            kind: a.kind,
            at: a.at,
            status: a.status,
            amount: a.amount,
            ...(a.url ? { url: a.url } : {}),
            ...(a.error ? { error: a.error } : {}),
          })),
        }
      : {}),
    ...(invoice.refunds?.length
      ? {
          refunds: invoice.refunds.map((r) => ({
            id: r.id,
            amount: r.amount,
            status: r.status,
            at: r.at,
            ...(r.creditNoteId ? { credit_note: r.creditNoteId } : {}),
            ...(r.paymentId ? { payment_id: r.paymentId } : {}),
            ...(r.reference ? { reference: r.reference } : {}),
          })),
        }
      : {}),
  };
}
