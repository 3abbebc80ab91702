import * as z from 'zod';
import { CREDIT_NOTE_METHODS } from '../domain/billing/credit-note.js';
import {
  CustomerIdSchema,
  DecimalStringSchema,
  InstantStringSchema,
  LocalDateStringSchema,
  lineText,
  listOf,
  PositiveDecimalSchema,
} from './common.js';
import { AddressResponseSchema } from './customers.js';

/** One line of a credit-note request: the invoice line (1-based) and exactly one of amount (net) and quantity. */
const CreditLineSchema = z
  .object({
    line: z.int('must be a whole number').min(1, 'must be 1 or more').max(10_000, 'must be at most 10000'),
    amount: PositiveDecimalSchema.optional().meta({ description: 'Net to credit (before tax), in whole minor units' }),
    quantity: PositiveDecimalSchema.optional().meta({
      description: 'Quantity to credit: taxable_amount × quantity / line quantity',
    }),
  })
  .strict()
  .superRefine((line, ctx) => {
    if ((line.amount === undefined) === (line.quantity === undefined))
      ctx.addIssue({ code: 'custom', path: ['amount'], message: 'give exactly one of amount and quantity' });
  });

export const CreateCreditNoteSchema = z
  .object({
    lines: z.array(CreditLineSchema).min(1, 'must hold at least one line').max(200, 'must hold at most 200 lines'),
    reason: lineText(500),
    method: z.enum(CREDIT_NOTE_METHODS, { message: `must be one of ${CREDIT_NOTE_METHODS.join(', ')}` }),
  })
  .strict()
  .meta({ id: 'CreateCreditNote' });

export const CreditNoteListQuerySchema = z
  .object({
    customer: CustomerIdSchema.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();

const PartySchema = z.strictObject({
  name: z.string(),
  email: z.string().optional(),
  address: AddressResponseSchema.optional(),
  tax_id: z.string().optional(),
  contact_name: z.string().optional(),
  phone: z.string().optional(),
  electronic_address: z.string().optional(),
  buyer_reference: z.string().optional(),
});

export const CreditNoteResponseSchema = z
  .strictObject({
    id: z.string(),
    number: z.string(),
    invoice: z.string(),
    invoice_number: z.string(),
    customer: z.string(),
    currency: z.string(),
    locale: z.string(),
    issued_at: InstantStringSchema,
    issue_date: LocalDateStringSchema,
    reason: z.string(),
    method: z.enum(CREDIT_NOTE_METHODS),
    lines: z.array(
      z.strictObject({
        line: z.int(),
        description: z.string(),
        quantity: DecimalStringSchema.optional(),
        amount: DecimalStringSchema.meta({ description: 'Net credited' }),
        tax_category: z.string(),
        tax_rate: DecimalStringSchema,
        tax: DecimalStringSchema,
        total: DecimalStringSchema,
      }),
    ),
    subtotal: DecimalStringSchema,
    tax: DecimalStringSchema,
    total: DecimalStringSchema,
    seller: PartySchema,
    buyer: PartySchema,
    refund: z
      .strictObject({
        status: z.enum(['pending', 'requested', 'succeeded', 'failed']),
        amount: DecimalStringSchema,
        id: z.string().optional().meta({ description: "The payment provider's refund id" }),
        payment_id: z.string().optional().meta({ description: 'The payment refunded' }),
        reference: z.string().optional().meta({ description: 'A refund paid out by hand: its reference' }),
        at: InstantStringSchema.optional(),
        error: z.string().optional(),
      })
      .optional()
      .meta({
        description:
          'Method refund: the money owed back; pending until paid out (requested at the provider, succeeded when it reports it or when recorded by hand)',
      }),
    void: z.boolean().optional().meta({ description: 'Issued by voiding the invoice' }),
    delivery: z.strictObject({
      status: z.enum(['pending', 'sent']),
      attempts: z.int(),
      message_id: z.string().optional(),
      sent_at: InstantStringSchema.optional(),
      last_error: z.string().optional(),
    }),
  })
  .meta({ id: 'CreditNote' });

export const CreditNoteListResponseSchema = listOf(CreditNoteResponseSchema).meta({ id: 'CreditNoteList' });

export const BalanceResponseSchema = z
  .strictObject({
    customer: z.string(),
    balances: z.array(z.strictObject({ currency: z.string(), amount: DecimalStringSchema })),
    ledger: z.array(
      z.strictObject({
        type: z.enum(['credit_note', 'invoice', 'invoice_void', 'overpayment']),
        currency: z.string(),
        amount: DecimalStringSchema.meta({ description: 'Signed: + adds to the balance, − draws on it' }),
        at: InstantStringSchema,
        credit_note: z.string().optional(),
        credit_note_number: z.string().optional(),
        invoice: z.string().optional(),
        invoice_number: z.string().optional(),
      }),
    ),
  })
  .meta({ id: 'CustomerBalance' });
