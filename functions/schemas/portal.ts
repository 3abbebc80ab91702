import * as z from 'zod';
import { CREDIT_NOTE_METHODS } from '../domain/billing/credit-note.js';
import { DecimalStringSchema, InstantStringSchema, LocalDateStringSchema, listOf } from './common.js';

/** Longest lifetime of a portal link: 7 days. */
const MAX_MINUTES = 7 * 24 * 60;

export const CreatePortalLinkSchema = z
  .object({
    expires_in_minutes: z
      .int('must be a whole number of minutes')
      .min(1, 'must be at least 1')
      .max(MAX_MINUTES, `must be at most ${MAX_MINUTES} (7 days)`)
      .optional()
      .meta({ description: 'Lifetime of the link in minutes (default 60, at most 10080: 7 days)' }),
  })
  .strict()
  .meta({ id: 'CreatePortalLink' });

export const PortalLinkResponseSchema = z
  .strictObject({
    id: z.string().meta({ description: 'Names the link (not a secret)' }),
    customer: z.string(),
    url: z.string().meta({ description: 'The portal page with the token in its fragment: send this to the customer' }),
    token: z.string().meta({ description: 'The bearer token the portal routes take (Authorization: Bearer <token>)' }),
    expires_at: InstantStringSchema,
  })
  .meta({ id: 'PortalLink' });

/** The portal routes take their token as `Authorization: Bearer <token>`, or (links the browser opens) as `?token=`. */
export const PortalQuerySchema = z
  .object({ token: z.string().max(1024, 'must have at most 1024 characters').optional() })
  .strict();

const MoneySchema = z.strictObject({ currency: z.string(), amount: DecimalStringSchema });

export const PortalInvoiceSchema = z
  .strictObject({
    id: z.string(),
    number: z.string(),
    status: z.enum(['finalized', 'paid', 'void']),
    payment_status: z.enum(['pending', 'processing', 'payment_failed', 'partially_paid', 'paid']),
    currency: z.string(),
    issue_date: LocalDateStringSchema,
    due_date: LocalDateStringSchema,
    period_start: InstantStringSchema,
    period_end: InstantStringSchema,
    subtotal: DecimalStringSchema,
    tax: DecimalStringSchema,
    total: DecimalStringSchema,
    amount_due: DecimalStringSchema,
    amount_paid: DecimalStringSchema,
    amount_remaining: DecimalStringSchema,
    credited_total: DecimalStringSchema.optional(),
    payment_instructions: z
      .strictObject({
        account_holder: z.string().optional(),
        iban: z.string().optional(),
        bic: z.string().optional(),
        text: z.string().optional().meta({ description: "The seller's own wording, in the invoice's language" }),
      })
      .optional()
      .meta({ description: 'Bank transfer details (when the seller configured them)' }),
    pdf: z.string().meta({ description: 'Path of the PDF (add ?token=)' }),
    einvoice: z.string().meta({
      description:
        "Path of the e-invoice (add ?token=, optionally &format=): in the customer's invoice_format, else XRechnung UBL",
    }),
  })
  .meta({ id: 'PortalInvoice' });

export const PortalCreditNoteSchema = z
  .strictObject({
    id: z.string(),
    number: z.string(),
    invoice_number: z.string(),
    currency: z.string(),
    issue_date: LocalDateStringSchema,
    reason: z.string(),
    method: z.enum(CREDIT_NOTE_METHODS),
    subtotal: DecimalStringSchema,
    tax: DecimalStringSchema,
    total: DecimalStringSchema,
    pdf: z.string().meta({ description: 'Path of the PDF (add ?token=)' }),
  })
  .meta({ id: 'PortalCreditNote' });

export const PortalInvoiceListSchema = listOf(PortalInvoiceSchema).meta({ id: 'PortalInvoiceList' });
export const PortalCreditNoteListSchema = listOf(PortalCreditNoteSchema).meta({ id: 'PortalCreditNoteList' });

const PortalLineSchema = z.strictObject({
  kind: z.enum(['usage', 'base_fee', 'minimum_commitment', 'one_off', 'adjustment', 'progressive_credit']),
  description: z.string(),
  meter: z.string().optional(),
  quantity: DecimalStringSchema,
  unit_price: DecimalStringSchema.optional(),
  amount: DecimalStringSchema,
});

export const PortalOverviewSchema = z
  .strictObject({
    customer: z.strictObject({
      id: z.string(),
      name: z.string(),
      email: z.string(),
      currency: z.string(),
      timezone: z.string(),
      locale: z.string(),
    }),
    link: z.strictObject({ expires_at: InstantStringSchema }),
    seller: z.strictObject({ name: z.string(), email: z.string().optional() }),
    balances: z
      .array(MoneySchema)
      .meta({ description: 'The customer balance per currency (credit notes add, invoices draw)' }),
    credits: z
      .strictObject({
        currency: z.string(),
        balance: DecimalStringSchema,
        paid_balance: DecimalStringSchema,
        promotional_balance: DecimalStringSchema,
      })
      .meta({ description: 'Prepaid and promotional credits in effect' }),
    amount_owed: z.array(MoneySchema).meta({ description: 'What the open invoices still owe, per currency' }),
    usage: z
      .array(
        z.strictObject({
          meter: z.string(),
          description: z.string(),
          quantity: DecimalStringSchema,
          amount: DecimalStringSchema,
        }),
      )
      .meta({ description: 'Usage of the current period so far, as the upcoming invoice rates it' }),
    upcoming_invoice: z
      .strictObject({
        plan: z.string(),
        currency: z.string(),
        period_start: InstantStringSchema,
        period_end: InstantStringSchema,
        usage_through: InstantStringSchema,
        lines: z.array(PortalLineSchema),
        subtotal: DecimalStringSchema,
        discount_total: DecimalStringSchema,
        tax: DecimalStringSchema,
        total: DecimalStringSchema,
        credits_applied: DecimalStringSchema,
        amount_due: DecimalStringSchema,
      })
      .nullable()
      .meta({ description: 'The current period rated live (null without an active subscription)' }),
    payments: z.strictObject({
      online: z
        .boolean()
        .meta({ description: 'Whether invoices can be paid online (POST /v1/portal/invoices/{id}/pay)' }),
    }),
  })
  .meta({ id: 'PortalOverview' });

export const PortalPaymentSchema = z
  .strictObject({
    url: z.string().meta({ description: "The payment provider's hosted page" }),
    expires_at: InstantStringSchema,
    amount: DecimalStringSchema,
    currency: z.string(),
  })
  .meta({ id: 'PortalPayment' });
