/// <reference lib="dom" />
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { build } from 'vite';

/** What the dashboard's browser tests share: the build, the money format, the accessibility audit. */

const ROOT = resolve(import.meta.dirname, '..', '..');
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Builds the dashboard into a new temporary folder (`prefix` names it) and returns that folder. */
export async function buildDashboard(prefix: string): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), prefix));
  await build({
    configFile: join(ROOT, 'web', 'vite.config.ts'),
    build: { outDir, emptyOutDir: true },
    logLevel: 'warn',
  });
  return outDir;
}

/** An amount as the dashboard prints it (en-US). */
export const formatMoney = (value: string, currency: string) =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(value as Intl.StringNumericLiteral);

/** Serious and critical axe findings on the page as it is now (WCAG 2.x A and AA rules). */
export async function audit(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE_SOURCE });
  const results = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<any> } }).axe;
    return axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
  });
  return (results.violations as Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }>)
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
