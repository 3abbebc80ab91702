import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium, used when it is installed (`apt-get install -y chromium`). */
const SYSTEM_CHROMIUM = '/usr/bin/chromium';

/**
 * Which Chromium the browser tests drive, in this order:
 * 1. `CHROMIUM_PATH` when set (any Chromium or Chrome binary);
 * 2. Debian's `/usr/bin/chromium` when present, unless `BILLING_E2E_CHROMIUM=npm`;
 * 3. the headless Chromium shipped inside the npm package `@sparticuz/chromium` (a devDependency: `npm ci`
 *    installs it like any other package, nothing is downloaded at run time). It is decompressed once per
 *    package version into the temporary folder.
 * Never a browser that a test tool downloads (`npx playwright install` cannot reach its servers here).
 */
export type ChromiumChoice = { source: 'CHROMIUM_PATH' | 'system'; executablePath: string } | { source: 'npm' };

/** Flags for every Chromium: no sandbox (CI runs as root), no GPU, and no background networking (this machine's network is closed). */
const BASE_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Flags recommended by `@sparticuz/chromium` that we leave out: `--single-process` and `--no-zygote` break
 * Playwright's one-context-per-test use (they are for Lambda's process limits), the `--headless=...` flag is
 * Playwright's to set, and the security-lowering flags are not needed on a developer's machine.
 */
const DROPPED_NPM_ARGS = [
  '--single-process',
  '--no-zygote',
  '--headless',
  '--disable-web-security',
  '--allow-running-insecure-content',
];

/** The Debian package that provides each shared library the npm Chromium links against. */
const DEBIAN_PACKAGE_OF: Record<string, string> = {
  'libnss3.so': 'libnss3',
  'libnssutil3.so': 'libnss3',
  'libsmime3.so': 'libnss3',
  'libnspr4.so': 'libnspr4',
  'libplc4.so': 'libnspr4',
  'libplds4.so': 'libnspr4',
  'libexpat.so.1': 'libexpat1',
};

export class ChromiumUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ChromiumUnavailableError';
  }
}

const require = createRequire(import.meta.url);

export function chooseChromium(env: NodeJS.ProcessEnv = process.env): ChromiumChoice {
  if (env.CHROMIUM_PATH) return { source: 'CHROMIUM_PATH', executablePath: env.CHROMIUM_PATH };
  if (env.BILLING_E2E_CHROMIUM !== 'npm' && existsSync(SYSTEM_CHROMIUM)) {
    return { source: 'system', executablePath: SYSTEM_CHROMIUM };
  }
  return { source: 'npm' };
}

/**
 * Decompresses `@sparticuz/chromium` into `<tmp>/billing-e2e-chromium-<version>` once. Test files run in
 * parallel workers: each decompresses into a private folder and renames it into place (atomic), so no worker
 * ever starts a half-written binary; a worker that loses the race removes its copy.
 */
async function npmChromium(): Promise<{ executablePath: string; args: string[]; env: Record<string, string> }> {
  // The package's exports hide package.json: find it from the entry point (<root>/build/<format>/index.*).
  const root = resolve(dirname(require.resolve('@sparticuz/chromium')), '..', '..');
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const { default: Sparticuz } = await import('@sparticuz/chromium');
  const home = join(tmpdir(), `billing-e2e-chromium-${pkg.version}`);
  const executablePath = join(home, 'chromium');
  if (!existsSync(executablePath)) {
    mkdirSync(tmpdir(), { recursive: true });
    const staging = mkdtempSync(join(tmpdir(), 'billing-e2e-chromium-staging-'));
    // The package decompresses into os.tmpdir(), which reads TMPDIR on every call: point it at our folder.
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = staging;
    try {
      const extracted = await Sparticuz.executablePath();
      if (extracted !== join(staging, 'chromium')) {
        throw new ChromiumUnavailableError(`@sparticuz/chromium decompressed to ${extracted}, not into ${staging}`);
      }
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
    // The bundled fonts (Open Sans) plus the system's, for the statically linked fontconfig.
    writeFileSync(
      join(staging, 'fonts.conf'),
      '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n' +
        `  <dir>${join(home, 'fonts')}</dir>\n  <dir>/usr/share/fonts</dir>\n` +
        `  <cachedir>${join(home, 'fonts-cache')}</cachedir>\n</fontconfig>\n`,
    );
    try {
      renameSync(staging, home);
    } catch (error) {
      rmSync(staging, { recursive: true, force: true });
      if (!existsSync(executablePath)) {
        throw new ChromiumUnavailableError(`could not move the npm Chromium into ${home}`, { cause: error });
      }
    }
  }
  assertSharedLibraries(executablePath);
  const args = Sparticuz.args.filter((arg) => !DROPPED_NPM_ARGS.some((dropped) => arg.startsWith(dropped)));
  return { executablePath, args, env: { FONTCONFIG_FILE: join(home, 'fonts.conf') } };
}

/** The problem, naming the apt-get command that fixes it, when `ldd` reports libraries "not found"; else undefined. */
export function missingLibrariesProblem(executablePath: string, lddOutput: string): string | undefined {
  const missing = [...new Set([...lddOutput.matchAll(/^\s*(\S+) => not found/gm)].map((match) => match[1] as string))];
  if (missing.length === 0) return undefined;
  const packages = [...new Set(missing.map((library) => DEBIAN_PACKAGE_OF[library] ?? library))];
  return (
    `The npm Chromium (${executablePath}) needs shared libraries that this machine lacks: ${missing.join(', ')}. ` +
    `Install them with \`apt-get update && apt-get install -y ${packages.join(' ')}\` ` +
    '(or install Debian chromium, or set CHROMIUM_PATH).'
  );
}

function assertSharedLibraries(executablePath: string): void {
  let output: string;
  try {
    output = execFileSync('ldd', [executablePath], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    // ldd failed (a broken library) or is missing (not glibc Linux): read what it printed, else let the launch report it.
    output = String((error as { stdout?: unknown }).stdout ?? '');
  }
  const problem = missingLibrariesProblem(executablePath, output);
  if (problem) throw new ChromiumUnavailableError(problem);
}

/** Headless Chromium with a fresh profile (Playwright makes a new temporary --user-data-dir per launch). */
export async function launchChromium(): Promise<{ browser: Browser; close(): Promise<void> }> {
  const choice = chooseChromium();
  let executablePath: string;
  let args = BASE_ARGS;
  let env: Record<string, string> = {};
  if (choice.source === 'npm') {
    const npm = await npmChromium();
    executablePath = npm.executablePath;
    args = [...new Set([...npm.args, ...BASE_ARGS])];
    env = npm.env;
  } else {
    executablePath = choice.executablePath;
    if (!existsSync(executablePath)) {
      throw new ChromiumUnavailableError(
        `Chromium is missing at ${executablePath} (from ${choice.source}): unset CHROMIUM_PATH to use the npm Chromium.`,
      );
    }
  }
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args,
    env: { ...(process.env as Record<string, string>), ...env },
  });
  return {
    browser,
    close: () => browser.close(),
  };
}
