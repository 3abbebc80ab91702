import { NotFoundError } from '../../app/errors.js';
import { recentRuns, startRun } from '../../app/runs.js';
import { HttpError } from '../../http/errors.js';
import { json } from '../../http/respond.js';
import { type Route, routesFor } from '../../http/router.js';
import {
  RunListQuerySchema,
  RunListResponseSchema,
  RunResponseSchema,
  StartRunSchema,
} from '../../schemas/billing-runs.js';
import type { ApiDeps } from '../deps.js';
import { runJson } from './billing-wire.js';

const route = routesFor<ApiDeps>();

/** Billing runs: the period close, started by hand or by the schedule. */
export function billingRunRoutes(): Route<ApiDeps>[] {
  return [
    route({
      method: 'POST',
      path: '/v1/billing-runs',
      access: 'admin',
      summary: 'Run the period close now (the same state machine the schedule starts); as_of defaults to now',
      body: StartRunSchema,
      contentTypes: [],
      response: {
        status: 200,
        description: 'the finished run (locally) or 202 with the started run (AWS)',
        schema: RunResponseSchema,
      },
      handle: async (request, deps) => {
        const { body } = request;
        if (!deps.workflow) throw new HttpError(501, 'not_configured', 'no close workflow is configured here');
        const run = await startRun(deps, body.as_of ?? deps.clock());
        return json(run.status === 'running' ? 202 : 200, runJson(run));
      },
    }),
    route({
      method: 'GET',
      path: '/v1/billing-runs',
      access: 'admin',
      summary:
        'The most recent billing runs, newest first, each with its outcome per subscription (failed ones with code and message); runs whose process died are marked interrupted',
      query: RunListQuerySchema,
      response: { status: 200, description: 'the runs, newest first', schema: RunListResponseSchema },
      handle: async (request, deps) => {
        const { query } = request;
        const runs = await recentRuns(deps, query.limit);
        return json(200, { data: runs.map(runJson) });
      },
    }),
    route({
      method: 'GET',
      path: '/v1/billing-runs/{id}',
      access: 'admin',
      summary: 'A billing run and its outcome per subscription',
      response: { status: 200, description: 'the run', schema: RunResponseSchema },
      handle: async (request, deps) => {
        const run = await deps.runs.find(request.params.id);
        if (!run) throw new NotFoundError(`no billing run with id '${request.params.id}'`);
        return json(200, runJson(run));
      },
    }),
  ];
}
