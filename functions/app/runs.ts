import { randomUUID } from 'node:crypto';
import type { BillingRun } from '../adapters/dynamodb/billing.js';
import { ConflictError } from './errors.js';

export interface RunDeps {
  clock: () => Date;
  runs: { put(run: BillingRun): Promise<void>; find(id: string): Promise<BillingRun | undefined> };
  workflow?: { start(runId: string, asOf: Date): Promise<void> };
}

/** Records a run and starts the close workflow for `asOf`; returns the run as it stands when start returns. */
export async function startRun(deps: RunDeps, asOf: Date): Promise<BillingRun> {
  if (!deps.workflow) throw new ConflictError('no close workflow is configured here');
  const runId = `run_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
  await deps.runs.put({
    id: runId,
    asOf: asOf.toISOString(),
    status: 'running',
    startedAt: deps.clock().toISOString(),
    results: [],
  });
  await deps.workflow.start(runId, asOf);
  const run = await deps.runs.find(runId);
  if (!run) throw new ConflictError(`run ${runId} vanished`);
  return run;
}
