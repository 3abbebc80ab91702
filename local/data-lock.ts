import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join, relative } from 'node:path';

/** What `<dataDir>/stack.lock` holds: the stack's node process and the DynamoDB Local it started. */
export interface LockRecord {
  pid: number;
  dynamodbPid?: number;
  startedAt: string;
}

/** Another running stack uses the data folder. The message is the one line `npm start` prints. */
export class DataDirLockedError extends Error {
  constructor(
    readonly pid: number,
    dataDir: string,
  ) {
    super(`another local stack (PID ${pid}) is using ${displayPath(dataDir)}; stop it first`);
    this.name = 'DataDirLockedError';
  }
}

export interface DataDirLock {
  readonly file: string;
  /** Records the DynamoDB Local started on the folder (stopped by the next start if this process dies). */
  setDynamodbPid(pid: number | undefined): void;
  /** Removes the lock, if it is still this process's. */
  release(): void;
}

function displayPath(dir: string): string {
  const shown = relative(process.cwd(), dir);
  if (shown === '') return '.';
  return shown.startsWith('..') || shown.startsWith('/') ? dir : `./${shown}`;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is just not ours to signal.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The command line of a process: Linux /proc, else `ps` (macOS); undefined where neither tells. */
function commandLine(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    const ps = spawnSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8' });
    if (ps.status !== 0 || !ps.stdout.trim()) return undefined;
    return ps.stdout.trim().split(/\s+/);
  }
}

/** Is `pid` a DynamoDB Local (java ... DynamoDBLocal.jar) on this very folder? */
function isDynamoDbLocalOn(pid: number, dynamodbDir: string): boolean {
  const args = commandLine(pid);
  if (!args?.[0]) return false;
  if (!/(^|\/)java$/.test(args[0]) || !args.some((arg) => arg.endsWith('DynamoDBLocal.jar'))) return false;
  const at = args.indexOf('-dbPath');
  return at >= 0 && args[at + 1] === dynamodbDir;
}

/** Does the pid still look like the stack that wrote the lock (a node process), not a recycled pid? */
function isStackProcess(pid: number): boolean {
  if (!alive(pid)) return false;
  const args = commandLine(pid);
  // Where the command line cannot be read, a living pid is taken at its word.
  return args === undefined || /(^|\/)node[\d.]*$/.test(args[0] ?? '');
}

async function terminate(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + 5000;
  while (alive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  if (alive(pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone in between
    }
    while (alive(pid) && Date.now() < deadline + 5000) await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function readLock(file: string): LockRecord | undefined {
  try {
    const record = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockRecord>;
    if (typeof record.pid !== 'number') return undefined;
    return record as LockRecord;
  } catch {
    return undefined;
  }
}

/**
 * Takes `<dataDir>/stack.lock` (created atomically), so two stacks never share the data files.
 * A lock held by a living stack refuses with DataDirLockedError. A lock left by a killed stack is
 * taken over; the DynamoDB Local that stack left behind on the folder is stopped first (`say` tells).
 */
export async function lockDataDir(
  dataDir: string,
  dynamodbDir: string,
  say: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<DataDirLock> {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'stack.lock');
  const record: LockRecord = { pid: process.pid, startedAt: new Date().toISOString() };
  for (let attempt = 1; ; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      try {
        writeSync(fd, `${JSON.stringify(record)}\n`);
      } finally {
        closeSync(fd);
      }
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw error;
    }
    const held = readLock(file);
    if (held && isStackProcess(held.pid)) throw new DataDirLockedError(held.pid, dataDir);
    if (held?.dynamodbPid && alive(held.dynamodbPid) && isDynamoDbLocalOn(held.dynamodbPid, dynamodbDir)) {
      say(
        `stopping DynamoDB Local (PID ${held.dynamodbPid}) left behind by a stopped stack (PID ${held.pid}) on ${displayPath(dataDir)}`,
      );
      await terminate(held.dynamodbPid);
    }
    // Stale (or unreadable: a stack killed while writing it): take it over.
    rmSync(file, { force: true });
  }
  const mine = () => {
    const current = readLock(file);
    return current?.pid === record.pid && current.startedAt === record.startedAt;
  };
  return {
    file,
    setDynamodbPid: (pid) => {
      if (!mine()) return;
      record.dynamodbPid = pid;
      writeFileSync(`${file}.tmp`, `${JSON.stringify(record)}\n`, { mode: 0o600 });
      // rename is atomic: a reader sees the old record or the new one, never half of one.
      renameSync(`${file}.tmp`, file);
    },
    release: () => {
      if (mine()) rmSync(file, { force: true });
    },
  };
}
