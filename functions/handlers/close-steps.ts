import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { publishCounts } from '../adapters/metrics.js';
import type { CloseDeps } from '../app/close-period.js';
import { closeSubscriptionPeriod, findDueSubscriptions, recordRun } from '../app/close-period.js';
import { runResultFromWire, runResultJson } from './routes/run-result-wire.js';

/** Inputs of the three Lambda tasks of the close workflow (see lib/ for the state machine). */
const StepInput = z.object({ as_of: z.iso.datetime({ offset: true }), run_id: z.string().min(1) });
const FindInput = StepInput.extend({ cursor: z.string().default(''), limit: z.int().min(1).max(1000).default(500) });
const CloseInput = StepInput.extend({ subscription_id: z.string().min(1) });
const RecordInput = StepInput.extend({
  next_cursor: z.string().optional(),
  results: z.array(
    z.object({
      subscription_id: z.string(),
      status: z.string(),
      invoice_id: z.string().optional(),
      invoice_number: z.string().optional(),
      code: z.string().optional(),
      message: z.string().optional(),
      error: z.string().optional(),
      cause: z.string().optional(),
      reason: z.string().optional(),
    }),
  ),
});

export type StepHandler = (event: unknown, context?: Context) => Promise<unknown>;

/** The close steps as plain functions over the use cases: Lambda wraps them in middy, the local runner calls them directly. */
export function closeSteps(deps: CloseDeps) {
  return {
    findDue: async (event: unknown) => {
      const input = FindInput.parse(event);
      const page = await findDueSubscriptions(deps, new Date(input.as_of), {
        cursor: input.cursor,
        limit: input.limit,
      });
      return {
        items: page.items.map((item) => ({ subscription_id: item.subscriptionId, period_end: item.periodEnd })),
        next_cursor: page.nextCursor ?? '',
      };
    },
    closeSubscription: async (event: unknown) => {
      const input = CloseInput.parse(event);
      const outcome = await closeSubscriptionPeriod(deps, input.subscription_id, new Date(input.as_of));
      if (outcome.status === 'invoiced' && outcome.created) publishCounts({ InvoicesFinalized: 1 });
      // The state machine's shape: snake_case, as the run's outcomes are recorded and shown.
      if (outcome.status !== 'invoiced') return runResultJson(outcome);
      const { created, ...result } = outcome;
      return { ...runResultJson(result), created };
    },
    recordRun: async (event: unknown) => {
      const input = RecordInput.parse(event);
      const results = input.results.map(runResultFromWire);
      return recordRun(deps, input.run_id, new Date(input.as_of), results, input.next_cursor || undefined);
    },
  };
}

/** Wraps a step for Lambda: Powertools logging with the Lambda context; errors propagate (Step Functions retries and catches). */
export function lambdaStep(step: (event: unknown) => Promise<unknown>, logger: Logger): StepHandler {
  return middy(step).use(injectLambdaContext(logger)) as unknown as StepHandler;
}
