import * as z from 'zod';
import {
  CurrencySchema,
  DecimalStringSchema,
  InstantStringSchema,
  lineText,
  listOf,
  NonNegativeDecimalSchema,
  PercentSchema,
  PositiveDecimalSchema,
} from './common.js';
import { InvoiceResponseSchema } from './invoices.js';

/** The fields of a one-off charge, as created on a customer or added to a draft invoice. */
const chargeFields = {
  description: lineText(200),
  quantity: PositiveDecimalSchema,
  unit_amount: NonNegativeDecimalSchema.meta({
    description: 'Price per unit; never negative (a reduction is a coupon or a credit note)',
  }),
  tax_rate: PercentSchema.optional().meta({
    description: "Percent: this charge's own VAT rate where the customer is charged standard-rated VAT",
  }),
};

export const CreateChargeSchema = z
  .object({
    ...chargeFields,
    currency: CurrencySchema.optional().meta({ description: "Defaults to the customer's currency" }),
    invoice_now: z
      .boolean()
      .optional()
      .meta({ description: 'Invoice it at once on an invoice of its own (default: on the next invoice)' }),
  })
  .strict()
  .meta({ id: 'CreateCharge' });

/** A one-off line added to a draft invoice: a charge in the draft's currency. */
export const AddDraftLineSchema = z.object(chargeFields).strict().meta({ id: 'AddDraftLine' });

export const ChargeResponseSchema = z
  .strictObject({
    id: z.string(),
    customer: z.string(),
    description: z.string(),
    quantity: DecimalStringSchema,
    unit_amount: DecimalStringSchema,
    amount: DecimalStringSchema.meta({ description: 'quantity × unit_amount, rounded to the currency' }),
    currency: z.string(),
    tax_rate: DecimalStringSchema.optional(),
    status: z.enum(['pending', 'billed']),
    invoice_id: z.string().optional().meta({ description: 'The invoice that billed it' }),
    created_at: InstantStringSchema,
  })
  .meta({ id: 'Charge' });

export const CreateChargeResponseSchema = z
  .strictObject({
    charge: ChargeResponseSchema,
    invoice: InvoiceResponseSchema.optional().meta({ description: 'With invoice_now: the invoice that billed it' }),
  })
  .meta({ id: 'CreatedCharge' });

export const ChargeListResponseSchema = listOf(ChargeResponseSchema).meta({ id: 'ChargeList' });
