import * as z from 'zod';
import { MANUAL_PAYMENT_METHODS } from '../domain/billing/payment.js';
import {
  CustomerIdSchema,
  DecimalStringSchema,
  InstantSchema,
  InstantStringSchema,
  LocalDateStringSchema,
  lineText,
  PositiveDecimalSchema,
  pageOf,
  tolerant,
} from './common.js';
import { AddressResponseSchema } from './customers.js';
import { InvoiceDunningResponseSchema } from './dunning.js';
import { PriceLineSchema } from './prices.js';

export const InvoiceListQuerySchema = z
  .object({
    customer: CustomerIdSchema.optional(),
    status: z
      .enum(['draft', 'finalized', 'paid', 'void'], { message: 'must be draft, finalized, paid or void' })
      .optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: z.string().max(2000).optional(),
    /** Issued at or after (with `to`: every match in the range, no pages). */
    from: InstantSchema.optional(),
    /** Issued before. */
    to: InstantSchema.optional(),
    format: z.enum(['json', 'csv'], { message: 'must be json or csv' }).optional(),
  })
  .strict()
  .superRefine(
    tolerant((query, ctx) => {
      if (query.from && query.to && query.to <= query.from)
        ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
    }),
  );

export const VoidInvoiceSchema = z
  .object({ reason: z.string().trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters') })
  .strict()
  .meta({ id: 'VoidInvoice' });

export const MarkPaidSchema = z
  .object({
    paid_at: InstantSchema,
    reference: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  })
  .strict()
  .meta({ id: 'MarkInvoicePaid' });

/** The seller or the buyer of an invoice. */
const PartySchema = z
  .strictObject({
    name: z.string(),
    email: z.string().optional(),
    address: AddressResponseSchema.optional(),
    tax_id: z.string().optional(),
    contact_name: z.string().optional(),
    phone: z.string().optional(),
    electronic_address: z.string().optional().meta({ description: 'E-invoice electronic address (scheme EM: e-mail)' }),
    buyer_reference: z
      .string()
      .optional()
      .meta({ description: "Buyer: the customer's reference (Leitweg-ID), e-invoice BT-10" }),
  })
  .meta({ id: 'Party' });

/** One line of an invoice (or of the upcoming invoice). */
export const InvoiceLineSchema = z
  .strictObject({
    kind: z.enum(['usage', 'base_fee', 'minimum_commitment', 'one_off', 'adjustment', 'progressive_credit']),
    description: z.string(),
    meter: z.string().optional().meta({ description: 'Meter key of a usage line' }),
    quantity: DecimalStringSchema,
    unit_price: DecimalStringSchema.optional(),
    precise_amount: DecimalStringSchema,
    amount: DecimalStringSchema,
    period_start: InstantStringSchema,
    period_end: InstantStringSchema,
    details: z.array(PriceLineSchema).meta({ description: 'How the amount came about (tiers, blocks, bands...)' }),
    discount: DecimalStringSchema.optional().meta({ description: "The line's share of the coupons" }),
    promotional_credits: DecimalStringSchema.optional().meta({
      description: "The line's share of the promotional credits",
    }),
    taxable_amount: DecimalStringSchema.optional().meta({ description: 'amount − discount − promotional_credits' }),
    tax_category: z.string().optional().meta({ description: 'EN 16931 VAT category: S, AE, E, Z or O' }),
    tax_rate: DecimalStringSchema.optional(),
    tax: DecimalStringSchema.optional().meta({ description: "The line's share of the tax" }),
    paid_credits: DecimalStringSchema.optional().meta({ description: "The line's share of the paid credits" }),
    amount_due: DecimalStringSchema.optional().meta({
      description: 'taxable_amount + tax − paid_credits − its share of the customer balance',
    }),
    charge: z.string().optional().meta({ description: 'A one-off line: the charge it bills' }),
    adjustment: z
      .strictObject({
        invoice_id: z.string(),
        invoice_number: z.string(),
        meter: z.string(),
        period_start: InstantStringSchema,
        period_end: InstantStringSchema,
        rerated: DecimalStringSchema.meta({ description: 'The whole period rated now' }),
        invoiced: DecimalStringSchema.meta({ description: 'What was billed for it before this line' }),
        rerated_quantity: DecimalStringSchema,
        invoiced_quantity: DecimalStringSchema,
      })
      .optional()
      .meta({ description: "A late-usage adjustment: the earlier invoice's charge it re-rates" }),
    progressive_credit: z
      .strictObject({ invoice_id: z.string(), invoice_number: z.string(), amount: DecimalStringSchema })
      .optional()
      .meta({ description: 'A negative line: an interim (progressive) invoice of the period, credited' }),
  })
  .meta({ id: 'InvoiceLine' });

/**
 * The invoice math after the lines: subtotal − discount_total − promotional_credits = taxable_amount;
 * taxable_amount + tax = total; total − paid_credits = amount_due; credits_applied = promotional_credits +
 * paid_credits. Each line's shares add up to these totals.
 */
const totalsFields = {
  subtotal: DecimalStringSchema,
  discount_total: DecimalStringSchema,
  promotional_credits: DecimalStringSchema,
  taxable_amount: DecimalStringSchema,
  tax_rate: DecimalStringSchema.optional().meta({ description: 'Percent' }),
  tax: DecimalStringSchema,
  total: DecimalStringSchema,
  paid_credits: DecimalStringSchema,
  credits_applied: DecimalStringSchema,
  balance_applied: DecimalStringSchema.meta({ description: 'What the customer balance (credit notes) paid' }),
  amount_due: DecimalStringSchema,
  discounts: z
    .array(z.strictObject({ coupon: z.string(), name: z.string(), amount: DecimalStringSchema }))
    .meta({ description: 'Coupons in the order they applied' }),
  credits: z
    .array(
      z.strictObject({
        grant: z.string(),
        name: z.string(),
        category: z.enum(['paid', 'promotional']),
        amount: DecimalStringSchema,
      }),
    )
    .meta({ description: 'Credit grants drawn, in the order they were consumed' }),
  tax_breakdown: z
    .array(
      z.strictObject({
        category: z.string(),
        rate: DecimalStringSchema,
        taxable_amount: DecimalStringSchema,
        tax: DecimalStringSchema,
        reason: z.string().optional().meta({ description: 'Why the rate is 0' }),
        rule: z.string().optional().meta({ description: 'The tax rule that chose the rate' }),
      }),
    )
    .optional()
    .meta({ description: 'Tax per category and rate (absent on invoices issued before tax rules)' }),
  reverse_charge: z.boolean(),
  notes: z.array(z.string()),
};

const deliveryFields = {
  status: z.enum(['pending', 'sent']),
  attempts: z.int(),
  message_id: z.string().optional(),
  sent_at: InstantStringSchema.optional(),
  last_error: z.string().optional(),
};

/** Getting paid: what was received, what is still owed, the payments, the tries at collecting, refunds. */
const paymentFields = {
  amount_paid: DecimalStringSchema.meta({ description: 'Σ of the payments applied to the invoice' }),
  amount_remaining: DecimalStringSchema.meta({
    description: 'What the invoice still owes: amount_due − amount_paid (0 unless finalized)',
  }),
  payment_status: z.enum(['pending', 'processing', 'payment_failed', 'partially_paid', 'paid']),
  collection: z
    .enum(['automatic'])
    .optional()
    .meta({ description: 'Collected through the payment provider (the customer has a stripe_customer_id)' }),
  payments: z
    .array(
      z.strictObject({
        id: z.string(),
        source: z.enum(['provider', 'manual']),
        method: z.string(),
        amount: DecimalStringSchema.meta({ description: 'All that was received' }),
        applied: DecimalStringSchema.meta({ description: 'What went to the invoice' }),
        overpaid: DecimalStringSchema.meta({ description: 'What went to the customer balance' }),
        reference: z.string(),
        received_at: InstantStringSchema,
      }),
    )
    .optional(),
  payment_attempts: z
    .array(
      z.strictObject({
        id: z.string(),
        kind: z.enum(['charge', 'payment_link']),
        at: InstantStringSchema,
        status: z.enum(['processing', 'requires_action', 'succeeded', 'failed', 'open']),
        amount: DecimalStringSchema,
        url: z.string().optional().meta({ description: 'A hosted payment page' }),
        error: z.string().optional(),
      }),
    )
    .optional(),
  refunds: z
    .array(
      z.strictObject({
        id: z.string(),
        amount: DecimalStringSchema,
        status: z.enum(['pending', 'succeeded', 'failed']),
        at: InstantStringSchema,
        credit_note: z.string().optional(),
        payment_id: z.string().optional(),
        reference: z.string().optional(),
      }),
    )
    .optional(),
};

const invoiceFields = {
  id: z.string(),
  number: z.string().meta({ description: 'Empty while a draft: the number is taken at finalization' }),
  kind: z.enum(['subscription', 'one_off', 'reissue', 'progressive']).meta({
    description:
      "A period's invoice, one-off charges invoiced at once, a voided period issued again, or an interim invoice of a period whose usage crossed a threshold",
  }),
  status: z
    .enum(['draft', 'finalized', 'paid', 'void'])
    .meta({ description: 'draft: during the invoice grace period, rated live, without a number' }),
  grace_ends_at: InstantStringSchema.optional().meta({ description: 'A draft: when the close finalizes it' }),
  reissued_as: z.string().optional().meta({ description: 'A void invoice issued again: the new invoice' }),
  reissue_of: z.string().optional().meta({ description: 'The void invoice this one issues again' }),
  progressive: z
    .strictObject({ index: z.int(), threshold: DecimalStringSchema })
    .optional()
    .meta({ description: 'An interim invoice: the threshold level (1-based over the period) it billed' }),
  customer: z.string(),
  subscription: z.string(),
  plan: z.string(),
  plan_version: z.int(),
  currency: z.string(),
  locale: z.string(),
  issue_date: LocalDateStringSchema,
  due_date: LocalDateStringSchema,
  issued_at: InstantStringSchema,
  period_start: InstantStringSchema,
  period_end: InstantStringSchema,
  seller: PartySchema,
  buyer: PartySchema,
  lines: z.array(InvoiceLineSchema),
  ...totalsFields,
  payment_instructions: z
    .strictObject({
      account_holder: z.string().optional(),
      iban: z.string().optional(),
      bic: z.string().optional(),
      text: z.record(z.string(), z.string()).optional().meta({ description: 'Free text per language' }),
    })
    .optional(),
  payment_terms_days: z.int(),
  delivery: z.strictObject(deliveryFields),
  voided: z.strictObject({ at: InstantStringSchema, reason: z.string() }).optional(),
  payment: z.strictObject({ paid_at: InstantStringSchema, reference: z.string() }).optional(),
  credit_notes: z
    .array(
      z.strictObject({
        id: z.string(),
        number: z.string(),
        total: DecimalStringSchema,
        method: z.enum(['credit_balance', 'refund', 'reduce_amount_due']),
        issued_at: InstantStringSchema,
      }),
    )
    .optional()
    .meta({ description: 'The credit notes issued against the invoice, oldest first' }),
  credited_total: DecimalStringSchema.optional().meta({ description: 'Σ of the credit notes’ totals' }),
  ...paymentFields,
  dunning: InvoiceDunningResponseSchema.optional(),
};

/** An invoice as the API sends it. */
export const InvoiceResponseSchema = z.strictObject(invoiceFields).meta({ id: 'Invoice' });

/** GET /v1/invoices: a page (a whole list with customer, from or to). */
export const InvoiceListResponseSchema = pageOf(InvoiceResponseSchema).meta({ id: 'InvoiceList' });

/** The invoice after an action (void, mark paid, resend), with the void notice's delivery when it is void. */
export const InvoiceActionResponseSchema = z
  .strictObject({
    ...invoiceFields,
    void_notice: z
      .strictObject(deliveryFields)
      .optional()
      .meta({ description: 'The delivery of the void notice (void invoices)' }),
  })
  .meta({ id: 'InvoiceAfterAction' });

/** GET /v1/customers/{id}/upcoming-invoice: the current period rated live. */
export const UpcomingInvoiceSchema = z
  .strictObject({
    customer: z.string(),
    subscription: z.string(),
    plan: z.string(),
    plan_version: z.int(),
    currency: z.string(),
    period_start: InstantStringSchema,
    period_end: InstantStringSchema,
    usage_through: InstantStringSchema,
    lines: z.array(InvoiceLineSchema),
    ...totalsFields,
  })
  .meta({ id: 'UpcomingInvoice' });

/** POST /v1/invoices/{id}/payments: a payment received outside the payment provider. */
export const RecordPaymentSchema = z
  .strictObject({
    amount: PositiveDecimalSchema.meta({
      description: 'In the invoice currency; beyond what is owed goes to the customer balance',
    }),
    reference: lineText(200).meta({ description: 'The bank reference: the same reference again records nothing new' }),
    method: z
      .enum(MANUAL_PAYMENT_METHODS, { message: `must be one of ${MANUAL_PAYMENT_METHODS.join(', ')}` })
      .default('bank_transfer'),
    paid_at: InstantSchema.optional().meta({ description: 'When the money arrived (default: now)' }),
  })
  .meta({ id: 'RecordPayment' });

/** What POST /v1/invoices/{id}/payments answers: the invoice and the payment recorded. */
export const PaymentRecordedSchema = z
  .strictObject({
    invoice: InvoiceResponseSchema,
    payment: z.strictObject({
      id: z.string(),
      amount: DecimalStringSchema,
      applied: DecimalStringSchema,
      overpaid: DecimalStringSchema,
      reference: z.string(),
      method: z.string(),
      received_at: InstantStringSchema,
    }),
  })
  .meta({ id: 'PaymentRecorded' });
