import { describe, expect, it } from 'vitest';
import { asyncInvoker } from '../../functions/adapters/aws/lambda-invoke.js';
import { stepFunctionsWorkflow } from '../../functions/adapters/aws/step-functions.js';

// AWS itself cannot run here: these check what is sent to it and how its answers are taken.
describe('stepFunctionsWorkflow', () => {
  it('starts the state machine with the scheduler input, named after the run', async () => {
    const sent: unknown[] = [];
    const workflow = stepFunctionsWorkflow('arn:aws:states:eu-central-1:1:stateMachine:close', async (input) => {
      sent.push(input);
    });
    await workflow.start('run_abc', new Date('2026-12-01T01:05:00Z'));
    expect(sent).toEqual([
      {
        stateMachineArn: 'arn:aws:states:eu-central-1:1:stateMachine:close',
        name: 'run_abc',
        input: '{"as_of":"2026-12-01T01:05:00.000Z","run_id":"run_abc"}',
      },
    ]);
  });

  it('takes an execution that exists already as started, and passes other errors on', async () => {
    const failing = (name: string) =>
      stepFunctionsWorkflow('arn', async () => {
        throw Object.assign(new Error(name), { name });
      });
    await expect(failing('ExecutionAlreadyExists').start('run_1', new Date())).resolves.toBeUndefined();
    await expect(failing('StateMachineDoesNotExist').start('run_1', new Date())).rejects.toThrow(
      'StateMachineDoesNotExist',
    );
  });
});

describe('asyncInvoker', () => {
  it('invokes asynchronously and insists on 202 (queued)', async () => {
    const sent: Array<{ FunctionName: string; InvocationType: string }> = [];
    await asyncInvoker('refresh-fn', async (input) => {
      sent.push(input);
      return { StatusCode: 202 };
    }).trigger();
    expect(sent).toMatchObject([{ FunctionName: 'refresh-fn', InvocationType: 'Event' }]);
    await expect(asyncInvoker('refresh-fn', async () => ({ StatusCode: 200 })).trigger()).rejects.toThrow(
      'did not queue refresh-fn',
    );
  });
});
