import { closeSteps } from '../functions/handlers/close-steps.js';
import type { ApiDeps, WorkflowStarter } from '../functions/handlers/deps.js';

/** aws-local-stepfunctions 3 uses Promise.withResolvers (Node 22); Node 20 lacks it. */
function polyfillWithResolvers(): void {
  const P = Promise as unknown as { withResolvers?: unknown };
  if (typeof P.withResolvers === 'function') return;
  P.withResolvers = <T>() => {
    let resolve!: (value: T | PromiseLike<T>) => void;
    let reject!: (reason?: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

/** The state names of the close workflow's Lambda tasks (lib/constructs/close-workflow.ts). */
export const CLOSE_TASKS = ['FindDueSubscriptions', 'CloseSubscriptionPeriod', 'RecordRun'] as const;

export interface LocalWorkflow extends WorkflowStarter {
  definition: Record<string, unknown>;
}

/**
 * Runs the close workflow locally: the very state machine definition CDK synthesizes (taken from
 * the template), executed by aws-local-stepfunctions, its Lambda tasks mapped by state name onto
 * the same step functions the Lambda handlers wrap. Retry intervals are shortened (the definition's
 * backoff is seconds; locally a failing subscription should not stall a run for half a minute).
 */
export async function createLocalWorkflow(
  deps: ApiDeps,
  options: { retryIntervalMs?: number } = {},
): Promise<LocalWorkflow> {
  polyfillWithResolvers();
  const [{ synthTemplate, closeWorkflowDefinition }, { StateMachine }] = await Promise.all([
    import('../lib/synth.js'),
    import('aws-local-stepfunctions'),
  ]);
  const definition = closeWorkflowDefinition(synthTemplate());
  // The emulator annotates the object it is given (QueryLanguage); keep ours as synthesized.
  const machine = new StateMachine(structuredClone(definition) as never);
  const steps = closeSteps(deps);
  const retry = options.retryIntervalMs ?? 50;
  /** Runs executing in this process: after a crash none is, so a `running` record elsewhere is dead. */
  const active = new Set<string>();
  return {
    definition,
    isRunning: async (runId) => active.has(runId),
    start: async (runId, asOf) => {
      active.add(runId);
      const execution = machine.run(
        { as_of: asOf.toISOString(), run_id: runId },
        {
          overrides: {
            taskResourceLocalHandlers: {
              FindDueSubscriptions: steps.findDue,
              CloseSubscriptionPeriod: steps.closeSubscription,
              RecordRun: steps.recordRun,
            } as never,
            retryIntervalOverrides: Object.fromEntries(CLOSE_TASKS.map((name) => [name, retry])),
          },
        },
      );
      try {
        await execution.result;
      } catch (error) {
        const existing = await deps.runs.find(runId);
        await deps.runs.put({
          id: runId,
          asOf: asOf.toISOString(),
          status: 'failed',
          startedAt: existing?.startedAt ?? deps.clock().toISOString(),
          finishedAt: deps.clock().toISOString(),
          results: existing?.results ?? [],
          error: (error as Error).message,
        });
      } finally {
        active.delete(runId);
      }
    },
  };
}
