import type { WorkflowStarter } from '../functions/app/ports/workflow.js';
import type { ApiDeps } from '../functions/handlers/deps.js';
import type { HandlerName } from '../lib/handlers.js';

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

/** The Lambda tasks of the close workflow, each the handler its own entry module built. */
export type CloseTaskHandlers = Record<(typeof CLOSE_TASKS)[number], (input: unknown) => Promise<unknown>>;

/**
 * Runs the close workflow locally: the very state machine definition CDK synthesizes (taken from
 * the template), executed by aws-local-stepfunctions, its Lambda tasks mapped by state name onto
 * the handlers of the functions the template names for them. Retry intervals are shortened (the
 * definition's backoff is seconds; locally a failing subscription should not stall a run for half a
 * minute). A run the emulator gives up on is recorded as failed, as Step Functions' Catch would.
 */
export async function createLocalWorkflow(
  tasks: CloseTaskHandlers,
  deps: Pick<ApiDeps, 'runs' | 'clock'>,
  options: { retryIntervalMs?: number; definition?: Record<string, unknown> } = {},
): Promise<LocalWorkflow> {
  polyfillWithResolvers();
  const [{ synthTemplate, closeWorkflowDefinition }, { StateMachine }] = await Promise.all([
    import('../lib/synth.js'),
    import('aws-local-stepfunctions'),
  ]);
  const definition = options.definition ?? closeWorkflowDefinition(synthTemplate());
  // The emulator annotates the object it is given (QueryLanguage); keep ours as synthesized.
  const machine = new StateMachine(structuredClone(definition) as never);
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
            taskResourceLocalHandlers: tasks as never,
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

/**
 * The handler of each Lambda task of the definition: the function its Resource ARN names (by logical
 * id, as lib/synth.ts resolves it), run from that function's own entry module.
 */
export async function closeTaskHandlers(
  definition: Record<string, unknown>,
  functions: ReadonlyMap<string, { handler: HandlerName }>,
  invoke: (handler: HandlerName) => Promise<(input: unknown) => Promise<unknown>>,
): Promise<CloseTaskHandlers> {
  interface State {
    Type?: string;
    Resource?: unknown;
    ItemProcessor?: { States?: Record<string, State> };
    Iterator?: { States?: Record<string, State> };
    Branches?: Array<{ States: Record<string, State> }>;
  }
  const resources = new Map<string, string>();
  const walk = (states: Record<string, State>) => {
    for (const [name, state] of Object.entries(states)) {
      if (state.Type === 'Task' && typeof state.Resource === 'string') resources.set(name, state.Resource);
      if (state.ItemProcessor?.States) walk(state.ItemProcessor.States);
      if (state.Iterator?.States) walk(state.Iterator.States);
      for (const branch of state.Branches ?? []) walk(branch.States);
    }
  };
  walk((definition.States ?? {}) as Record<string, State>);
  const entries = await Promise.all(
    CLOSE_TASKS.map(async (task) => {
      const arn = resources.get(task);
      const logicalId = arn?.split(':function:')[1];
      const fn = logicalId ? functions.get(logicalId) : undefined;
      if (!fn) throw new Error(`the close workflow's task ${task} names no function of the template (${arn})`);
      return [task, await invoke(fn.handler)] as const;
    }),
  );
  return Object.fromEntries(entries) as CloseTaskHandlers;
}
