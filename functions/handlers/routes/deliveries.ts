import type { DeadLetter } from '../../adapters/sqs/delivery-queue.js';
import { sweepOutbox } from '../../app/outbox-sweep.js';
import { HttpError } from '../../http/errors.js';
import { json } from '../../http/respond.js';
import { type Route, routesFor } from '../../http/router.js';
import {
  DeadLetterListSchema,
  DeadLetterQuerySchema,
  RedriveResultSchema,
  RedriveSchema,
  SweepResultSchema,
} from '../../schemas/deliveries.js';
import type { ApiDeps } from '../deps.js';

function deadLetterJson(letter: DeadLetter) {
  return {
    message_id: letter.messageId,
    ...(letter.message ? { invoice_id: letter.message.invoice_id, kind: letter.message.kind } : {}),
    body: letter.body,
    receive_count: letter.receiveCount,
    ...(letter.sentAt ? { sent_at: letter.sentAt } : {}),
  };
}

function deadLetters(deps: ApiDeps): NonNullable<ApiDeps['deadLetters']> {
  if (!deps.deadLetters) {
    throw new HttpError(501, 'not_configured', 'no delivery dead-letter queue is configured here');
  }
  return deps.deadLetters;
}

const route = routesFor<ApiDeps>();

/** Invoice email delivery admin: the dead-letter queue and the outbox sweep. */
export function deliveryRoutes(): Route<ApiDeps>[] {
  return [
    route({
      method: 'GET',
      path: '/v1/delivery/dead-letters',
      access: 'admin',
      summary: 'Delivery messages that failed every retry (the DLQ), without consuming them',
      query: DeadLetterQuerySchema,
      response: { status: 200, description: 'the dead letters (at most `limit`)', schema: DeadLetterListSchema },
      handle: async (request, deps) => {
        const { query } = request;
        return json(200, { data: (await deadLetters(deps).list(query.limit)).map(deadLetterJson) });
      },
    }),
    route({
      method: 'POST',
      path: '/v1/delivery/dead-letters/redrive',
      access: 'admin',
      summary: 'Move dead letters (all, or the given message ids) back to the delivery queue',
      body: RedriveSchema,
      response: { status: 200, description: 'the messages moved back', schema: RedriveResultSchema },
      handle: async (request, deps) => {
        const { body } = request;
        const moved = await deadLetters(deps).redrive(body.message_ids ? { messageIds: body.message_ids } : {});
        return json(200, { redriven: moved.length, message_ids: moved });
      },
    }),
    route({
      method: 'POST',
      path: '/v1/delivery/sweep',
      access: 'admin',
      summary: 'Run the outbox sweep now: re-enqueue every email owed for longer than the sweep age',
      response: { status: 200, description: 'what the sweep did', schema: SweepResultSchema },
      handle: async (_request, deps) => {
        const queue = deps.deliveryQueue;
        if (!queue) throw new HttpError(501, 'not_configured', 'no delivery queue is configured here');
        return json(200, await sweepOutbox({ ...deps, deliveryQueue: queue }));
      },
    }),
  ];
}
