import { randomUUID } from 'node:crypto';
import { ConflictError, InvalidRequestError } from './errors.js';
import type { Clock } from './ports/clock.js';
import type { BillingRun } from './ports/runs.js';

/** How far `as_of` may lie ahead of this clock (clock skew between the caller and us), in minutes. */
export const AS_OF_SKEW_MINUTES = 5;

export interface RunDeps {
  clock: Clock;
  runs: {
    put(run: BillingRun): Promise<void>;
    find(id: string): Promise<BillingRun | undefined>;
    recent(limit: number): Promise<BillingRun[]>;
    interrupt(id: string, at: Date, reason: string): Promise<boolean>;
  };
  workflow?: {
    start(runId: string, asOf: Date): Promise<void>;
    /** Whether the run's execution is still going: false once it has ended or died, undefined when unknown. */
    isRunning?(runId: string): Promise<boolean | undefined>;
  };
}

/**
 * Records a run and starts the close workflow for `asOf`; returns the run as it stands when start
 * returns. `asOf` may not lie in the future: closing a period that has not ended would issue its
 * invoice early and seal usage still to come.
 */
export async function startRun(deps: RunDeps, asOf: Date): Promise<BillingRun> {
  if (!deps.workflow) throw new ConflictError('no close workflow is configured here');
  const now = deps.clock();
  if (asOf.getTime() > now.getTime() + AS_OF_SKEW_MINUTES * 60_000) {
    throw new InvalidRequestError(
      '/as_of',
      `must not be in the future: ${asOf.toISOString()} is after now (${now.toISOString()}); periods close once they have ended`,
    );
  }
  await interruptDeadRuns(deps);
  const runId = `run_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
  await deps.runs.put({
    id: runId,
    asOf: asOf.toISOString(),
    status: 'running',
    startedAt: now.toISOString(),
    results: [],
  });
  await deps.workflow.start(runId, asOf);
  const run = await deps.runs.find(runId);
  if (!run) throw new ConflictError(`run ${runId} vanished`);
  return run;
}

/** Runs the newest this many are looked at for a dead execution. */
const RECENT_RUNS = 50;

/**
 * Marks runs whose execution died (a crash of the process running them) as `interrupted`. Their
 * work is not lost: the subscriptions they did not close are still due, and the next run closes
 * them (every step is idempotent). Returns how many runs were marked.
 */
export async function interruptDeadRuns(deps: RunDeps, options: { graceMs?: number } = {}): Promise<number> {
  const isRunning = deps.workflow?.isRunning;
  if (!isRunning) return 0;
  // A run recorded a moment ago may not have started its execution yet.
  const startedBefore = deps.clock().getTime() - (options.graceMs ?? 60_000);
  const running = (await deps.runs.recent(RECENT_RUNS)).filter(
    (run) => run.status === 'running' && Date.parse(run.startedAt) <= startedBefore,
  );
  let marked = 0;
  for (const run of running) {
    if ((await isRunning(run.id)) !== false) continue;
    const reason = 'interrupted: the process running it stopped; the next run closes what it left due';
    if (await deps.runs.interrupt(run.id, deps.clock(), reason)) marked++;
  }
  return marked;
}

/** The newest runs, after marking the dead ones. */
export async function recentRuns(deps: RunDeps, limit: number): Promise<BillingRun[]> {
  await interruptDeadRuns(deps);
  return deps.runs.recent(limit);
}
