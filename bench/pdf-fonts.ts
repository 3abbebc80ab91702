/**
 * Invoice PDF size and render time with embedded fonts (PDF/A-3b): a 1-page invoice (5 lines), a
 * 30-line invoice, the 1-page invoice with a buyer named in five scripts (pulls in the CJK, Hangul and
 * Arabic fallback fonts) and, when the renderer supports it, the same with a Factur-X attachment.
 * The first render of each case in a fresh process (fonts read from disk and parsed on first use) is
 * printed apart from the warm average (after a warm-up of every case). Figures only; nothing here passes or fails.
 *
 *   npx tsx bench/pdf-fonts.ts [iterations]
 */
import { performance } from 'node:perf_hooks';
import { renderInvoicePdf } from '../functions/adapters/documents/pdf.js';
import type { Invoice } from '../functions/domain/invoice.js';
import { invoiceWithLines } from '../test/support/invoice-fixture.js';

const MULTI_SCRIPT_BUYER = 'Müller Ωμέγα Иванов 山田太郎 김민준 شركة الأمل';
const CII = `<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"><rsm:ExchangedDocument/></rsm:CrossIndustryInvoice>`;

type Render = (invoice: Invoice, options?: Record<string, unknown>) => Promise<Buffer>;
const render = renderInvoicePdf as unknown as Render;

interface Case {
  name: string;
  invoice: Invoice;
  options?: Record<string, unknown>;
}

const iterations = Number(process.argv[2] ?? 40);
const fiveLines = invoiceWithLines(5);
const cases: Case[] = [
  { name: '1 page (5 lines)', invoice: fiveLines },
  { name: '30 lines', invoice: invoiceWithLines(30) },
  {
    name: '1 page, 5-script buyer',
    invoice: { ...fiveLines, buyer: { ...fiveLines.buyer, name: MULTI_SCRIPT_BUYER } },
  },
  { name: '1 page + Factur-X XML', invoice: fiveLines, options: { facturX: { xml: CII } } },
];

const firstRender = new Map<string, { pdf: Buffer; ms: number }>();
for (const item of cases) {
  const start = performance.now();
  const pdf = await render(item.invoice, item.options);
  firstRender.set(item.name, { pdf, ms: performance.now() - start });
}
// Warm-up (JIT, font caches) before anything is timed.
for (const item of cases) for (let index = 0; index < 5; index++) await render(item.invoice, item.options);

const rows = [];
for (const item of cases) {
  const start = performance.now();
  for (let index = 0; index < iterations; index++) await render(item.invoice, item.options);
  const warmMs = (performance.now() - start) / iterations;
  const { pdf, ms } = firstRender.get(item.name) ?? { pdf: Buffer.alloc(0), ms: 0 };
  const text = pdf.toString('latin1');
  rows.push({
    invoice: item.name,
    'PDF KB': (pdf.length / 1024).toFixed(1),
    'first render ms': ms.toFixed(1),
    'warm ms/PDF': warmMs.toFixed(2),
    'PDFs/s': Math.round(1000 / warmMs),
    'embedded fonts': (text.match(/\/FontFile2 /g) ?? []).length,
    'PDF/A': text.includes('<pdfaid:part>3</pdfaid:part>') ? '3b' : 'no',
    'factur-x.xml': text.includes('(factur-x.xml)') ? 'yes' : 'no',
  });
}
console.log(`Node ${process.version}, ${iterations} warm iterations per row, one process`);
console.table(rows);
