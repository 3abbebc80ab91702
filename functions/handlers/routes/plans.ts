import { NotFoundError } from '../../app/errors.js';
import { createPlan, createPlanVersion } from '../../app/plans.js';
import { json } from '../../http/respond.js';
import { type Route, routesFor } from '../../http/router.js';
import {
  CreatePlanSchema,
  PlanListResponseSchema,
  PlanResponseSchema,
  PlanVersionBodySchema,
} from '../../schemas/plans.js';
import type { ApiDeps } from '../deps.js';
import { planJson } from './billing-wire.js';
import { rawJson } from './raw-json.js';

const route = routesFor<ApiDeps>();

/** Plans and their versions. */
export function planRoutes(): Route<ApiDeps>[] {
  return [
    route({
      method: 'POST',
      path: '/v1/plans',
      access: 'admin',
      summary:
        'Create a plan (version 1): interval, base fee, charges on meters with any price model, minimum commitment',
      body: CreatePlanSchema,
      response: { status: 201, description: 'the plan version', schema: PlanResponseSchema },
      handle: async (request, deps) =>
        json(201, planJson(await createPlan(deps, { ...rawJson(request), key: request.body.key }), [1])),
    }),
    route({
      method: 'GET',
      path: '/v1/plans',
      access: 'admin',
      summary: 'List plans (latest version of each)',
      response: { status: 200, description: 'the latest version of every plan', schema: PlanListResponseSchema },
      handle: async (_request, deps) => json(200, { data: (await deps.plans.list()).map((plan) => planJson(plan)) }),
    }),
    route({
      method: 'GET',
      path: '/v1/plans/{key}',
      access: 'admin',
      summary: 'Get the latest version of a plan and the list of its versions',
      response: { status: 200, description: 'the latest version, with `versions`', schema: PlanResponseSchema },
      handle: async (request, deps) => {
        const versions = await deps.plans.versions(request.params.key);
        const latest = versions[versions.length - 1]!;
        return json(
          200,
          planJson(
            latest,
            versions.map((v) => v.version),
          ),
        );
      },
    }),
    route({
      method: 'GET',
      path: '/v1/plans/{key}/versions/{version}',
      access: 'admin',
      summary: 'Get one version of a plan',
      response: { status: 200, description: 'the plan version', schema: PlanResponseSchema },
      handle: async (request, deps) => {
        const version = Number(request.params.version);
        if (!Number.isInteger(version) || version < 1)
          throw new NotFoundError(`no version '${request.params.version}'`);
        return json(200, planJson(await deps.plans.get(request.params.key, version)));
      },
    }),
    route({
      method: 'POST',
      path: '/v1/plans/{key}/versions',
      access: 'admin',
      summary: 'Create the next version of a plan (invoices already issued keep theirs)',
      body: PlanVersionBodySchema,
      response: { status: 201, description: 'the new plan version', schema: PlanResponseSchema },
      handle: async (request, deps) =>
        json(201, planJson(await createPlanVersion(deps, request.params.key, rawJson(request)))),
    }),
  ];
}
