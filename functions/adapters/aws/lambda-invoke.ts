import type { InvocationType, LambdaClient } from '@aws-sdk/client-lambda';

type Send = (input: {
  FunctionName: string;
  InvocationType: InvocationType;
  Payload: Uint8Array;
}) => Promise<{ StatusCode?: number }>;

let client: Promise<{ lambda: LambdaClient; module: typeof import('@aws-sdk/client-lambda') }> | undefined;

/** The SDK is loaded on first use: the handlers that never invoke a function do not pay for it at cold start. */
const sendToAws: Send = async (input) => {
  client ??= import('@aws-sdk/client-lambda').then((module) => ({
    lambda: new module.LambdaClient({ maxAttempts: 4 }),
    module,
  }));
  const { lambda, module } = await client;
  return lambda.send(new module.InvokeCommand(input));
};

/** Starts a function without waiting for it (asynchronous invocation: Lambda queues the event and retries on its own). */
export function asyncInvoker(functionName: string, send: Send = sendToAws) {
  return {
    trigger: async (): Promise<void> => {
      const result = await send({
        FunctionName: functionName,
        InvocationType: 'Event',
        Payload: new TextEncoder().encode('{}'),
      });
      if (result.StatusCode !== 202)
        throw new Error(`Lambda did not queue ${functionName} (status ${result.StatusCode})`);
    },
  };
}
