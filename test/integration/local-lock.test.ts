import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * `npm start` (local/start.ts) as real processes on one data folder: a second stack is refused while
 * the first lives; after the first is killed with SIGKILL, the next start stops the DynamoDB Local
 * it left behind and takes the folder over.
 */
const root = resolve(import.meta.dirname, '..', '..');
const dataDir = mkdtempSync(join(tmpdir(), 'billing-lock-'));
const lockFile = join(dataDir, 'stack.lock');
const runtimeFile = join(dataDir, 'runtime.json');
const children: ChildProcess[] = [];
const pids = new Set<number>();

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function startStack(): Started {
  const env: Record<string, string | undefined> = {
    ...process.env,
    BILLING_DATA_DIR: dataDir,
    PORT: '0',
    BILLING_LOCAL_CLOSE_INTERVAL_SECONDS: '0',
    BILLING_LOCAL_ESTIMATES_INTERVAL_SECONDS: '0',
    LOG_LEVEL: 'SILENT',
  };
  delete env.BILLING_API_KEY;
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  if (child.pid) pids.add(child.pid);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { child, output: () => output, exited };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function lock(): { pid: number; dynamodbPid?: number; startedAt: string } {
  return JSON.parse(readFileSync(lockFile, 'utf8'));
}

/** Waits until the stack printed its banner (runtime.json is written right after). */
async function ready(stack: Started): Promise<void> {
  await expect
    .poll(() => existsSync(runtimeFile) && stack.output().includes('Ctrl-C stops the stack'), {
      timeout: 90_000,
      interval: 200,
      message: 'the stack to start',
    })
    .toBe(true);
  const dynamodbPid = lock().dynamodbPid;
  if (dynamodbPid) pids.add(dynamodbPid);
}

afterAll(async () => {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await Promise.all(
    children.map((child) =>
      child.exitCode !== null || child.signalCode !== null
        ? undefined
        : new Promise((done) => child.once('exit', done)),
    ),
  );
  rmSync(dataDir, { recursive: true, force: true });
}, 30_000);

describe('npm start locks its data folder', () => {
  it('refuses a second stack, recovers from a killed one, and releases the lock on a clean stop', async () => {
    // Prepare: a stack on the folder.
    const first = startStack();
    await ready(first);
    const held = lock();
    expect(held.pid).toBe(first.child.pid);
    const orphan = held.dynamodbPid!;
    expect(alive(orphan)).toBe(true);

    // A second stack on the same folder is refused with one line naming the PID, and exits 1.
    const second = startStack();
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain(
      `another local stack (PID ${first.child.pid}) is using ${dataDir}; stop it first`,
    );
    expect(alive(orphan)).toBe(true);

    // The first stack is killed outright: its DynamoDB Local is left running on the data files.
    first.child.kill('SIGKILL');
    await first.exited;
    expect(alive(orphan)).toBe(true);

    // The next start stops that orphan, says so, and takes over the folder (with its data).
    const third = startStack();
    await expect
      .poll(() => lock().pid === third.child.pid && third.output().includes('Ctrl-C'), { timeout: 90_000 })
      .toBe(true);
    await ready(third);
    expect(third.output()).toContain(`stopping DynamoDB Local (PID ${orphan}) left behind by a stopped stack`);
    expect(alive(orphan)).toBe(false);
    const ownDynamodb = lock().dynamodbPid!;
    expect(ownDynamodb).not.toBe(orphan);

    // A clean stop releases the lock and stops its own DynamoDB Local.
    third.child.kill('SIGTERM');
    expect(await third.exited).toBe(0);
    expect(existsSync(lockFile)).toBe(false);
    await expect.poll(() => alive(ownDynamodb), { timeout: 15_000 }).toBe(false);
  }, 240_000);
});
