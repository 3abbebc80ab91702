import * as z from 'zod';
import { E_INVOICE_FORMATS } from '../domain/document-format.js';
import { PortalQuerySchema } from './portal.js';

const EInvoiceFormatSchema = z.enum(E_INVOICE_FORMATS, {
  message: 'must be xrechnung-ubl, xrechnung-cii or zugferd',
});

/** GET …/einvoice: without `format`, the customer's `invoice_format` if it is an e-invoice, else XRechnung UBL. */
export const EInvoiceQuerySchema = z.strictObject({ format: EInvoiceFormatSchema.optional() });

/** GET /v1/portal/…/einvoice: the portal token and the format. */
export const PortalEInvoiceQuerySchema = PortalQuerySchema.extend({ format: EInvoiceFormatSchema.optional() });

export const E_INVOICE_RESPONSE =
  'XRechnung 3.0 as XML (application/xml; UBL 2.1 or UN/CEFACT CII), or ZUGFeRD/Factur-X EN 16931 as PDF/A-3 with the CII XML embedded (application/pdf)';
