import type { SFNClient, StartExecutionCommandInput } from '@aws-sdk/client-sfn';

type Send = (input: StartExecutionCommandInput) => Promise<unknown>;

let client: Promise<{ sfn: SFNClient; module: typeof import('@aws-sdk/client-sfn') }> | undefined;

/** The SDK is loaded on first use: the handlers that never start a run do not pay for it at cold start. */
const sendToAws: Send = async (input) => {
  client ??= import('@aws-sdk/client-sfn').then((module) => ({
    sfn: new module.SFNClient({ maxAttempts: 4 }),
    module,
  }));
  const { sfn, module } = await client;
  return sfn.send(new module.StartExecutionCommand(input));
};

/**
 * Starts the close state machine in AWS with the input the schedule gives it (`{as_of, run_id}`),
 * named after the run, so a retried request cannot start a second execution of the same run.
 */
export function stepFunctionsWorkflow(stateMachineArn: string, send: Send = sendToAws) {
  return {
    start: async (runId: string, asOf: Date): Promise<void> => {
      try {
        await send({
          stateMachineArn,
          name: runId,
          input: JSON.stringify({ as_of: asOf.toISOString(), run_id: runId }),
        });
      } catch (error) {
        // Same name and input: this run was started already (a retried request); that is what was asked.
        if ((error as Error).name !== 'ExecutionAlreadyExists') throw error;
      }
    },
  };
}
