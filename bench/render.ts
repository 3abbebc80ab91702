/**
 * Document rendering benchmark: PDFs per second, emails (HTML + text) per second and raw MIME messages
 * per second, with the PDF size, for a 5-line and an 80-line invoice. Figures only; nothing here
 * passes or fails.
 *
 *   npx tsx bench/render.ts [iterations]
 */
import { performance } from 'node:perf_hooks';
import { renderInvoiceEmail } from '../functions/adapters/documents/email.js';
import { buildRawEmail } from '../functions/adapters/documents/mime.js';
import { renderInvoicePdf } from '../functions/adapters/documents/pdf.js';
import type { Invoice } from '../functions/domain/invoice.js';
import { invoiceWithLines } from '../test/support/invoice-fixture.js';

interface Row {
  invoice: string;
  pdfsPerSecond: number;
  emailsPerSecond: number;
  mimePerSecond: number;
  pdfKb: number;
  mimeKb: number;
}

async function timed(iterations: number, work: () => unknown): Promise<number> {
  await work(); // warm-up
  const start = performance.now();
  for (let index = 0; index < iterations; index++) await work();
  return (iterations * 1000) / (performance.now() - start);
}

async function bench(name: string, invoice: Invoice, iterations: number): Promise<Row> {
  const pdf = await renderInvoicePdf(invoice);
  const email = renderInvoiceEmail(invoice, 'invoice');
  const mimeInput = {
    from: 'Nordlicht Cloud GmbH <billing@nordlicht.example>',
    to: 'buchhaltung@mueller-soehne.example',
    ...email,
    attachments: [{ filename: `${invoice.number}.pdf`, content: pdf, contentType: 'application/pdf' }],
    messageId: `<${invoice.id}@billing.example>`,
    date: new Date(invoice.issuedAt),
  };
  const mime = await buildRawEmail(mimeInput);
  return {
    invoice: name,
    pdfsPerSecond: await timed(iterations, () => renderInvoicePdf(invoice)),
    emailsPerSecond: await timed(iterations * 10, () => renderInvoiceEmail(invoice, 'invoice')),
    mimePerSecond: await timed(iterations, () => buildRawEmail(mimeInput)),
    pdfKb: pdf.length / 1024,
    mimeKb: mime.length / 1024,
  };
}

const iterations = Number(process.argv[2] ?? 200);
const rows = [
  await bench('5 lines', invoiceWithLines(5), iterations),
  await bench('80 lines', invoiceWithLines(80), Math.max(1, Math.floor(iterations / 4))),
];
console.log(`Node ${process.version}, ${iterations} iterations (80 lines: ${Math.max(1, Math.floor(iterations / 4))})`);
console.table(
  rows.map((row) => ({
    invoice: row.invoice,
    'PDFs/s': Math.round(row.pdfsPerSecond),
    'emails/s': Math.round(row.emailsPerSecond),
    'MIME/s': Math.round(row.mimePerSecond),
    'PDF KB': row.pdfKb.toFixed(1),
    'MIME KB': row.mimeKb.toFixed(1),
  })),
);
