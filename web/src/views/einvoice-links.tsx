import { api } from '../api';

/** The e-invoice formats, as the API names them and as people do. */
export const E_INVOICE_FORMATS = [
  ['xrechnung-ubl', 'XRechnung (UBL)'],
  ['xrechnung-cii', 'XRechnung (CII)'],
  ['zugferd', 'ZUGFeRD'],
] as const;

/** Downloads a finalized invoice's or credit note's e-invoice (`path` is the document's own path). */
export const downloadEInvoice = (path: string, number: string, format: (typeof E_INVOICE_FORMATS)[number][0]) =>
  void api.download(`${path}/einvoice?format=${format}`, `${number}${format === 'zugferd' ? '.pdf' : '.xml'}`);

/** Links to a document's e-invoices (not for drafts: they have no number yet). */
export function EInvoiceLinks({ path, number }: { path: string; number: string }) {
  return (
    <span class="einvoice-links" data-testid="einvoice-links">
      {E_INVOICE_FORMATS.map(([format, label]) => (
        <button
          key={format}
          type="button"
          class="link"
          aria-label={`${label} of ${number}`}
          onClick={() => downloadEInvoice(path, number, format)}
        >
          {label}
        </button>
      ))}
    </span>
  );
}
