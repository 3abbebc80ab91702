import type { WebhookDelivery, WebhookEndpoint } from '../../adapters/dynamodb/webhooks.js';
import { retryWebhookDelivery } from '../../app/webhooks.js';
import { webhookUrlProblem } from '../../domain/webhook-event.js';
import { HttpError, ValidationFailedError } from '../../http/errors.js';
import { json } from '../../http/respond.js';
import { type Route, routesFor } from '../../http/router.js';
import {
  CreatedWebhookEndpointSchema,
  CreateWebhookEndpointSchema,
  WebhookDeliveryListSchema,
  WebhookDeliverySchema,
  WebhookEndpointListSchema,
  WebhookEndpointSchema,
} from '../../schemas/webhooks.js';
import type { ApiDeps } from '../deps.js';

const route = routesFor<ApiDeps>();

/** An endpoint as the API shows it: never its secret. */
export function webhookEndpointJson(endpoint: WebhookEndpoint) {
  return {
    id: endpoint.id,
    url: endpoint.url,
    events: endpoint.events,
    ...(endpoint.description === undefined ? {} : { description: endpoint.description }),
    created_at: endpoint.createdAt,
  };
}

export function webhookDeliveryJson(delivery: WebhookDelivery) {
  return {
    id: delivery.id,
    event_id: delivery.eventId,
    event_type: delivery.eventType,
    endpoint_id: delivery.endpointId,
    status: delivery.status,
    created_at: delivery.createdAt,
    attempts: delivery.attempts.map((attempt) => ({
      at: attempt.at,
      ...(attempt.statusCode === undefined ? {} : { status_code: attempt.statusCode }),
      ...(attempt.error === undefined ? {} : { error: attempt.error }),
      duration_ms: attempt.durationMs,
    })),
    ...(delivery.nextAttemptAt === undefined ? {} : { next_attempt_at: delivery.nextAttemptAt }),
    ...(delivery.deliveredAt === undefined ? {} : { delivered_at: delivery.deliveredAt }),
  };
}

/** Outbound webhooks (Standard Webhooks): endpoints, their delivery log, manual retry. */
export function webhookRoutes(): Route<ApiDeps>[] {
  return [
    route({
      method: 'POST',
      path: '/v1/webhook-endpoints',
      access: 'admin',
      summary: 'Create a webhook endpoint; its signing secret is shown once',
      body: CreateWebhookEndpointSchema,
      response: {
        status: 201,
        description: 'the endpoint and, this once, its secret',
        schema: CreatedWebhookEndpointSchema,
      },
      handle: async (request, deps) => {
        const { body } = request;
        // The SSRF guard's first layer: no localhost, loopback, private or link-local literal (names are
        // resolved and judged at every delivery).
        const problem = webhookUrlProblem(body.url, { allowPrivate: deps.config.webhookAllowPrivateUrls });
        if (problem) throw new ValidationFailedError([{ path: '/url', message: problem }]);
        const endpoint = await deps.webhooks.createEndpoint({
          url: body.url,
          events: [...body.events],
          ...(body.description === undefined ? {} : { description: body.description }),
        });
        return json(201, { ...webhookEndpointJson(endpoint), secret: endpoint.secret });
      },
    }),
    route({
      method: 'GET',
      path: '/v1/webhook-endpoints',
      access: 'admin',
      summary: 'List webhook endpoints (never their secrets)',
      response: { status: 200, description: 'every endpoint, oldest first', schema: WebhookEndpointListSchema },
      handle: async (_request, deps) =>
        json(200, { data: (await deps.webhooks.listEndpoints()).map(webhookEndpointJson) }),
    }),
    route({
      method: 'GET',
      path: '/v1/webhook-endpoints/{id}',
      access: 'admin',
      summary: 'Get a webhook endpoint (never its secret)',
      response: { status: 200, description: 'the endpoint', schema: WebhookEndpointSchema },
      handle: async (request, deps) =>
        json(200, webhookEndpointJson(await deps.webhooks.getEndpoint(request.params.id))),
    }),
    route({
      method: 'DELETE',
      path: '/v1/webhook-endpoints/{id}',
      access: 'admin',
      summary: 'Delete a webhook endpoint: it receives nothing more (pending deliveries are canceled)',
      response: { status: 200, description: 'the deleted endpoint', schema: WebhookEndpointSchema },
      handle: async (request, deps) =>
        json(200, webhookEndpointJson(await deps.webhooks.deleteEndpoint(request.params.id))),
    }),
    route({
      method: 'GET',
      path: '/v1/webhook-endpoints/{id}/deliveries',
      access: 'admin',
      summary: 'The delivery log of an endpoint (newest first, up to 100): status and every attempt',
      response: { status: 200, description: 'the deliveries', schema: WebhookDeliveryListSchema },
      handle: async (request, deps) => {
        await deps.webhooks.getEndpoint(request.params.id);
        return json(200, { data: (await deps.webhooks.deliveries(request.params.id)).map(webhookDeliveryJson) });
      },
    }),
    route({
      method: 'POST',
      path: '/v1/webhook-deliveries/{id}/retry',
      access: 'admin',
      summary: 'Retry a failed or dead webhook delivery now (a fresh retry schedule)',
      response: { status: 200, description: 'the delivery, pending again', schema: WebhookDeliverySchema },
      handle: async (request, deps) => {
        const queue = deps.deliveryQueue;
        if (!queue) throw new HttpError(501, 'not_configured', 'no delivery queue is configured here');
        const delivery = await retryWebhookDelivery(
          { clock: deps.clock, webhooks: deps.webhooks, outbox: deps.invoices, queue },
          request.params.id,
        );
        return json(200, webhookDeliveryJson(delivery));
      },
    }),
  ];
}
