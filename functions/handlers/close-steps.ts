import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { closeSubscriptionPeriod, findDueSubscriptions, recordRun } from '../app/close-period.js';
import type { ApiDeps } from './deps.js';

/** Inputs of the three Lambda tasks of the close workflow (see lib/ for the state machine). */
const StepInput = z.object({ as_of: z.iso.datetime({ offset: true }), run_id: z.string().min(1) });
const CloseInput = StepInput.extend({ subscription_id: z.string().min(1) });
const RecordInput = StepInput.extend({
  results: z.array(
    z.object({
      subscription_id: z.string(),
      status: z.string(),
      invoice_id: z.string().optional(),
      invoice_number: z.string().optional(),
      error: z.string().optional(),
      cause: z.string().optional(),
      reason: z.string().optional(),
    }),
  ),
});

export type StepHandler = (event: unknown, context?: Context) => Promise<unknown>;

/** The close steps as plain functions over the use cases: Lambda wraps them in middy, the local runner calls them directly. */
export function closeSteps(deps: ApiDeps) {
  return {
    findDue: async (event: unknown) => {
      const input = StepInput.parse(event);
      const items = await findDueSubscriptions(deps, new Date(input.as_of));
      return { as_of: input.as_of, run_id: input.run_id, items };
    },
    closeSubscription: async (event: unknown) => {
      const input = CloseInput.parse(event);
      return closeSubscriptionPeriod(deps, input.subscription_id, new Date(input.as_of));
    },
    recordRun: async (event: unknown) => {
      const input = RecordInput.parse(event);
      const run = await recordRun(deps, input.run_id, new Date(input.as_of), input.results);
      return { run_id: run.id, results: run.results.length };
    },
  };
}

/** Wraps a step for Lambda: Powertools logging with the Lambda context; errors propagate (Step Functions retries and catches). */
export function lambdaStep(step: (event: unknown) => Promise<unknown>, serviceName: string): StepHandler {
  const logger = new Logger({ serviceName });
  return middy(step).use(injectLambdaContext(logger)) as unknown as StepHandler;
}
