import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The import rule of docs/architecture.md, read from the source: each layer of functions/ imports
 * only the layers below it: domain ← schemas ← app ← adapters, http ← handlers (config.ts: the typed
 * environment).
 */
const FUNCTIONS = resolve(import.meta.dirname, '..', '..', 'functions');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every import of a file: relative ones as the layer (top folder under functions/) they land in. */
function importsOf(file: string): Array<{ layer: string | undefined; specifier: string }> {
  const text = readFileSync(file, 'utf8');
  const found: Array<{ layer: string | undefined; specifier: string }> = [];
  for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'";]*?from\s+'([^']+)'|import\('([^']+)'\)/g)) {
    const specifier = match[1] ?? match[2]!;
    if (!specifier.startsWith('.')) {
      found.push({ layer: undefined, specifier });
      continue;
    }
    const target = relative(FUNCTIONS, resolve(dirname(file), specifier));
    found.push({
      layer: target.startsWith('..') ? '<outside>' : target.split('/')[0]!.replace(/\.js$/, '.ts'),
      specifier,
    });
  }
  return found;
}

const layerOf = (file: string) => relative(FUNCTIONS, file).split('/')[0]!;

/** What each layer may import (by top folder; config.ts is the typed environment, readable by all but domain). */
const ALLOWED: Record<string, string[]> = {
  domain: ['domain'],
  app: ['domain', 'schemas', 'app', 'config.ts'],
  schemas: ['domain', 'schemas'],
  adapters: ['domain', 'app', 'adapters', 'config.ts'],
  http: ['domain', 'app', 'schemas', 'http', 'config.ts'],
  handlers: ['domain', 'app', 'schemas', 'http', 'adapters', 'handlers', 'config.ts'],
  'config.ts': ['domain'],
};

describe('the layers of functions/', () => {
  const files = sources(FUNCTIONS);

  it('knows every file', () => {
    for (const file of files) expect(Object.keys(ALLOWED), file).toContain(layerOf(file));
  });

  it.each(Object.keys(ALLOWED))('%s imports only what it may', (layer) => {
    const wrong: string[] = [];
    for (const file of files.filter((f) => layerOf(f) === layer)) {
      for (const { layer: target, specifier } of importsOf(file)) {
        if (target !== undefined && !ALLOWED[layer]!.includes(target))
          wrong.push(`${relative(FUNCTIONS, file)} imports ${specifier}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('keeps the domain pure: no AWS SDK, middy, Powertools, Node I/O or process.env', () => {
    const impure: string[] = [];
    for (const file of files.filter((f) => layerOf(f) === 'domain')) {
      for (const { layer, specifier } of importsOf(file)) {
        if (layer === undefined && !['decimal.js', 'zod', 'node:crypto'].includes(specifier))
          impure.push(`${relative(FUNCTIONS, file)} imports ${specifier}`);
      }
      if (readFileSync(file, 'utf8').includes('process.env'))
        impure.push(`${relative(FUNCTIONS, file)} reads process.env`);
    }
    expect(impure).toEqual([]);
  });

  it('finds imports (the rule cannot pass by reading nothing)', () => {
    const counted = files.flatMap(importsOf).filter((i) => i.layer !== undefined).length;
    expect(counted).toBeGreaterThan(200);
    expect(importsOf(join(FUNCTIONS, 'handlers', 'runtime.ts')).map((i) => i.layer)).toContain('adapters');
  });
});
