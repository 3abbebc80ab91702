import type { InvocationType, LambdaClient } from '@aws-sdk/client-lambda';

type Send = (input: {
  FunctionName: string;
  InvocationType: InvocationType;
  Payload: Uint8Array;
}) => Promise<{ StatusCode?: number; FunctionError?: string; Payload?: Uint8Array }>;

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

/** What a synchronous invocation answers: the function's result, or its error (`FunctionError` set). */
type SendSync = (input: {
  FunctionName: string;
  InvocationType: 'RequestResponse';
  Payload: Uint8Array;
}) => Promise<{ StatusCode?: number; FunctionError?: string; Payload?: Uint8Array }>;

/** Invokes a function and waits for its answer (the JSON it returned); an error of the function is thrown here. */
export function syncInvoker(functionName: string, send: SendSync = sendToAws) {
  return async (event: unknown): Promise<unknown> => {
    const result = await send({
      FunctionName: functionName,
      InvocationType: 'RequestResponse',
      Payload: new TextEncoder().encode(JSON.stringify(event)),
    });
    const text = result.Payload ? new TextDecoder().decode(result.Payload) : '';
    if (result.FunctionError) {
      let message = text;
      try {
        message = (JSON.parse(text) as { errorMessage?: string }).errorMessage ?? text;
      } catch {
        // not JSON: the raw text is the message
      }
      throw new Error(`${functionName} failed (${result.FunctionError}): ${message}`);
    }
    return text ? JSON.parse(text) : undefined;
  };
}
