import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BuildOptions, build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { PDF_DOCUMENT_ASSETS, PDFKIT_STANDARD_FONTS } from '../../lib/constructs/billing-function.js';
import {
  esbuildOptions,
  HANDLER_ENTRIES,
  type HandlerName,
  handlerEntryExists,
  handlerEntryPath,
  PROJECT_ROOT,
} from '../../lib/handlers.js';

const MAX_BUNDLE_BYTES = 1024 * 1024;
/**
 * The documents function alone may be larger: it bundles pdfkit with fontkit and the e-invoice
 * writers (its fonts ship beside the bundle as files). Every other function renders nothing.
 */
const MAX_DOCUMENTS_BUNDLE_BYTES = 2.5 * 1024 * 1024;

const outdir = mkdtempSync(join(tmpdir(), 'billing-bundle-'));
const handlers = Object.keys(HANDLER_ENTRIES) as HandlerName[];
const existing = handlers.filter(handlerEntryExists);
const sizes: Record<string, string> = {};

/** The esbuild options NodejsFunction uses (lib/handlers.ts BUNDLE). */
const ESBUILD_OPTIONS: BuildOptions = esbuildOptions();

afterAll(() => {
  console.table(sizes);
  rmSync(outdir, { recursive: true, force: true });
});

describe('Lambda bundles (esbuild, ESM, minified, @aws-sdk/* external)', () => {
  it.each(existing)('%s bundles within its budget (1 MiB; the documents function 2.5 MiB)', async (handler) => {
    const outfile = join(outdir, handler, 'index.mjs');
    const result = await build({
      ...ESBUILD_OPTIONS,
      entryPoints: [handlerEntryPath(handler)],
      outfile,
      metafile: true,
    });
    const bytes = statSync(outfile).size;
    sizes[HANDLER_ENTRIES[handler]] = `${(bytes / 1024).toFixed(1)} KiB`;
    expect(bytes).toBeLessThanOrEqual(handler === 'documents' ? MAX_DOCUMENTS_BUNDLE_BYTES : MAX_BUNDLE_BYTES);
    const inputs = Object.keys(result.metafile?.inputs ?? {});
    const pdfkit = inputs.filter((input) => input.includes('node_modules/pdfkit/'));
    if (handler === 'documents') expect(pdfkit.length).toBeGreaterThan(0);
    else expect(pdfkit, `${handler} bundles pdfkit`).toEqual([]);
  });

  it('renders a PDF with pdfkit standard fonts from a bundle laid out like the documents function', async () => {
    const dir = join(outdir, 'pdfkit-probe');
    mkdirSync(dir, { recursive: true });
    await build({
      ...ESBUILD_OPTIONS,
      stdin: {
        contents: `import PDFDocument from 'pdfkit';
          export async function render() {
            const doc = new PDFDocument(); const chunks = [];
            doc.on('data', (c) => chunks.push(c));
            const done = new Promise((resolve) => doc.on('end', resolve));
            doc.font('Helvetica-Bold').text('Invoice INV-1'); doc.end(); await done;
            return Buffer.concat(chunks).subarray(0, 5).toString('latin1');
          }`,
        resolveDir: PROJECT_ROOT,
        loader: 'js',
      },
      outfile: join(dir, 'index.mjs'),
    });
    for (const file of PDFKIT_STANDARD_FONTS.bundleFiles) {
      cpSync(join(PROJECT_ROOT, file.from), join(dir, file.to), { recursive: true });
    }
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ imports: PDFKIT_STANDARD_FONTS.bundlePackageImports }));
    const script = `const m = await import(${JSON.stringify(pathToFileURL(join(dir, 'index.mjs')).href)}); process.stdout.write(await m.render());`;
    const header = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(header).toBe('%PDF-');
  });

  it('renders a PDF/A with embedded fonts from a bundle laid out with PDF_DOCUMENT_ASSETS, fonts read from its folder', async () => {
    const dir = join(outdir, 'documents-probe');
    mkdirSync(dir, { recursive: true });
    const outfile = join(dir, 'index.mjs');
    await build({
      ...esbuildOptions(),
      stdin: {
        contents: `import { renderInvoicePdf } from './functions/adapters/documents/pdf.js';
          import { fontPath } from './functions/adapters/documents/fonts.js';
          import { sampleInvoice } from './test/support/invoice-fixture.js';
          export async function render() {
            const invoice = sampleInvoice();
            const buyer = { ...invoice.buyer, name: 'Müller 山田太郎 김민준 شركة الأمل' };
            const pdf = await renderInvoicePdf({ ...invoice, buyer }, { facturX: { xml: '<rsm:CrossIndustryInvoice/>' } });
            return JSON.stringify({ pdf: pdf.toString('latin1'), fonts: [fontPath('latinRegular'), fontPath('cjkBold')] });
          }`,
        resolveDir: PROJECT_ROOT,
        loader: 'ts',
      },
      outfile,
    });
    const bundleBytes = statSync(outfile).size;
    sizes['PDF renderer (real fontkit)'] = `${(bundleBytes / 1024).toFixed(1)} KiB`;
    for (const file of PDF_DOCUMENT_ASSETS.bundleFiles) {
      cpSync(join(PROJECT_ROOT, file.from), join(dir, file.to), { recursive: true });
    }
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ imports: PDF_DOCUMENT_ASSETS.bundlePackageImports }));
    const script = `const m = await import(${JSON.stringify(pathToFileURL(outfile).href)}); process.stdout.write(await m.render());`;
    // Run outside the repository, so nothing can come from node_modules.
    const result = JSON.parse(
      execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        cwd: dir,
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      }),
    ) as { pdf: string; fonts: string[] };
    expect(result.fonts).toEqual([
      join(dir, 'fonts', 'NotoSans_400Regular.ttf'),
      join(dir, 'fonts', 'NotoSansSC_700Bold.ttf'),
    ]);
    expect(result.pdf.startsWith('%PDF-1.7')).toBe(true);
    expect(result.pdf).toContain('<pdfaid:part>3</pdfaid:part>');
    expect(result.pdf).toContain('/OutputIntents');
    expect(result.pdf).toContain('(factur-x.xml)');
    for (const font of ['NotoSans-Bold', 'NotoSansSC-Bold', 'NotoSansKR-Bold', 'NotoSansArabic-Bold']) {
      expect(result.pdf).toMatch(new RegExp(`/BaseFont /[A-Z]{6}\\+${font}\n`));
    }
    // The fonts are files beside the bundle, not in it.
    expect(bundleBytes).toBeLessThan(2 * 1024 * 1024);
  });

  it('covers all ten handler entries (fails while a handler file is still missing)', () => {
    const missing = handlers.filter((handler) => !handlerEntryExists(handler)).map((h) => HANDLER_ENTRIES[h]);
    expect(missing, `missing handler entries: ${missing.join(', ')}`).toEqual([]);
    expect(existing.map((h) => HANDLER_ENTRIES[h])).toEqual([
      'functions/handlers/api.ts',
      'functions/handlers/close-find-due.ts',
      'functions/handlers/close-subscription.ts',
      'functions/handlers/close-record-run.ts',
      'functions/handlers/deliver.ts',
      'functions/handlers/outbox-sweep.ts',
      'functions/handlers/refresh-estimates.ts',
      'functions/handlers/archive-events.ts',
      'functions/handlers/dunning.ts',
      'functions/handlers/documents.ts',
    ]);
  });
});
