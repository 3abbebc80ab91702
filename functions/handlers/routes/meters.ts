import { json } from '../../http/respond.js';
import { type Route, routesFor } from '../../http/router.js';
import { CreateMeterSchema, MeterListResponseSchema, MeterResponseSchema } from '../../schemas/meters.js';
import type { ApiDeps } from '../deps.js';
import { meterJson } from './wire.js';

const route = routesFor<ApiDeps>();

/** Meters: which event type each counts, and how. */
export function meterRoutes(): Route<ApiDeps>[] {
  return [
    route({
      method: 'POST',
      path: '/v1/meters',
      access: 'admin',
      summary: 'Create a meter: which event type it counts and how',
      body: CreateMeterSchema,
      response: { status: 201, description: 'the meter', schema: MeterResponseSchema },
      handle: async (request, deps) => {
        const { body } = request;
        const meter = {
          key: body.key,
          name: body.name,
          eventType: body.event_type,
          aggregation: body.aggregation,
          ...(body.value_property ? { valueProperty: body.value_property } : {}),
          groupBy: body.group_by,
          ...(body.per ? { per: body.per } : {}),
          createdAt: deps.clock().toISOString(),
        };
        await deps.meters.create(meter);
        return json(201, meterJson(meter));
      },
    }),
    route({
      method: 'GET',
      path: '/v1/meters',
      access: 'admin',
      summary: 'List meters',
      response: { status: 200, description: 'every meter', schema: MeterListResponseSchema },
      handle: async (_request, deps) => json(200, { data: (await deps.meters.list()).map(meterJson) }),
    }),
    route({
      method: 'GET',
      path: '/v1/meters/{key}',
      access: 'admin',
      summary: 'Get a meter',
      response: { status: 200, description: 'the meter', schema: MeterResponseSchema },
      handle: async (request, deps) => json(200, meterJson(await deps.meters.get(request.params.key))),
    }),
  ];
}
