import type { DescribeExecutionCommandInput, SFNClient, StartExecutionCommandInput } from '@aws-sdk/client-sfn';

type Send = (input: StartExecutionCommandInput) => Promise<unknown>;
type Describe = (input: DescribeExecutionCommandInput) => Promise<{ status?: string }>;

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

const describeInAws: Describe = async (input) => {
  client ??= import('@aws-sdk/client-sfn').then((module) => ({
    sfn: new module.SFNClient({ maxAttempts: 4 }),
    module,
  }));
  const { sfn, module } = await client;
  return sfn.send(new module.DescribeExecutionCommand(input));
};

/** The ARN of the execution named `name` of a state machine: arn:...:execution:<machine>:<name>. */
export const executionArn = (stateMachineArn: string, name: string) =>
  `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;

/**
 * Starts the close state machine in AWS with the input the schedule gives it (`{as_of, run_id}`),
 * named after the run, so a retried request cannot start a second execution of the same run.
 */
export function stepFunctionsWorkflow(
  stateMachineArn: string,
  send: Send = sendToAws,
  describe: Describe = describeInAws,
) {
  return {
    /** RUNNING → true; ended (succeeded, failed, timed out, aborted) → false; no such execution → false. */
    isRunning: async (runId: string): Promise<boolean | undefined> => {
      try {
        const execution = await describe({ executionArn: executionArn(stateMachineArn, runId) });
        return execution.status === undefined ? undefined : execution.status === 'RUNNING';
      } catch (error) {
        if ((error as Error).name === 'ExecutionDoesNotExist') return false;
        throw error;
      }
    },
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
