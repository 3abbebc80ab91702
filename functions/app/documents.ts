import type { Customer } from '../domain/customer.js';
import { type DocumentFormat, type EInvoiceFormat, isEInvoiceFormat } from '../domain/document-format.js';
import { NotFoundError } from './errors.js';

type CustomerReader = { get(id: string): Promise<Customer> };

/** The format the customer receives invoices and credit notes in (`invoice_format`); the PDF by default or once deleted. */
export async function customerDocumentFormat(customers: CustomerReader, customerId: string): Promise<DocumentFormat> {
  const customer = await customers.get(customerId).catch((error: unknown) => {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  });
  return customer?.invoiceFormat ?? 'pdf';
}

/** The e-invoice format asked for, else the customer's own (`invoice_format`), else XRechnung UBL. */
export async function eInvoiceFormatFor(
  customers: CustomerReader,
  customerId: string,
  requested: EInvoiceFormat | undefined,
): Promise<EInvoiceFormat> {
  if (requested) return requested;
  const preferred = await customerDocumentFormat(customers, customerId);
  return isEInvoiceFormat(preferred) ? preferred : 'xrechnung-ubl';
}
