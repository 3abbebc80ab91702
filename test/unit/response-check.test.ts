import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadConfig } from '../../functions/config.js';
import { apiDocument, apiRoutes } from '../../functions/handlers/api-app.js';
import { createApiHandler } from '../../functions/http/api-handler.js';
import { json } from '../../functions/http/respond.js';
import { routesFor } from '../../functions/http/router.js';
import { lambdaContext } from '../../local/http-adapter.js';

const route = routesFor<{ body: unknown; status?: number; type?: string }>();

const Thing = z.strictObject({ id: z.string(), amount: z.string().optional() });

function handlerFor(body: unknown, checkResponses: boolean, options: { status?: number; csv?: boolean } = {}) {
  return createApiHandler({
    routes: [
      route({
        method: 'GET',
        path: '/things/{id}',
        access: 'public',
        summary: 'a thing',
        response: { status: 200, description: 'the thing', schema: Thing },
        handle: async () =>
          options.csv
            ? { statusCode: 200, headers: { 'content-type': 'text/csv' }, body: 'id\n1\n' }
            : json(options.status ?? 200, body),
      }),
    ],
    deps: { body },
    keys: { verify: async () => undefined },
    maxBodyBytes: 1024,
    checkResponses,
  });
}

const get = (handler: ReturnType<typeof handlerFor>) =>
  handler(
    {
      rawPath: '/things/1',
      headers: {},
      isBase64Encoded: false,
      requestContext: { http: { method: 'GET', path: '/things/1' } },
    } as unknown as APIGatewayProxyEventV2,
    lambdaContext('req-1'),
  );

describe('the response check (BILLING_CHECK_RESPONSES)', () => {
  it('passes a response that conforms to its schema', async () => {
    const response = await get(handlerFor({ id: '1', amount: '2.50' }, true));
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body ?? '')).toEqual({ id: '1', amount: '2.50' });
  });

  it('fails a response with an extra or a missing field: 500 naming the route and the field', async () => {
    const stderr = process.stderr.write;
    process.stderr.write = () => true;
    try {
      const extra = await get(handlerFor({ id: '1', surprise: true }, true));
      expect(extra.statusCode).toBe(500);
      const body = JSON.parse(extra.body ?? '');
      expect(body.error.code).toBe('response_schema_violation');
      expect(body.error.message).toContain('GET /things/{id}');
      expect(body.error.message).toContain('surprise');

      const missing = await get(handlerFor({ amount: 3 }, true));
      expect(missing.statusCode).toBe(500);
      expect(JSON.parse(missing.body ?? '').error.message).toMatch(/\/id: .*\/amount: /);
    } finally {
      process.stderr.write = stderr;
    }
  });

  it('checks nothing when off (the default), nor other statuses or media types', async () => {
    expect((await get(handlerFor({ surprise: true }, false))).statusCode).toBe(200);
    expect((await get(handlerFor({ refreshing: true }, true, { status: 202 }))).statusCode).toBe(202);
    expect((await get(handlerFor(undefined, true, { csv: true }))).statusCode).toBe(200);
  });

  it('is on only when BILLING_CHECK_RESPONSES is 1', () => {
    expect(loadConfig({}).checkResponses).toBe(false);
    expect(loadConfig({ BILLING_CHECK_RESPONSES: '0' }).checkResponses).toBe(false);
    expect(loadConfig({ BILLING_CHECK_RESPONSES: '1' }).checkResponses).toBe(true);
  });
});

describe('response schemas', () => {
  it('describe the JSON responses of the routes the dashboard reads', () => {
    const described = apiRoutes()
      .filter((r) => r.response?.schema)
      .map((r) => `${r.method} ${r.path}`);
    expect(described).toEqual(
      expect.arrayContaining([
        'POST /v1/prices/evaluate',
        'GET /v1/meters',
        'GET /v1/customers',
        'GET /v1/customers/{id}',
        'GET /v1/customers/{id}/usage',
        'GET /v1/plans',
        'GET /v1/plans/{key}',
        'GET /v1/subscriptions',
        'GET /v1/customers/{id}/upcoming-invoice',
        'GET /v1/invoices',
        'GET /v1/invoices/{id}',
        'POST /v1/invoices/{id}/void',
        'POST /v1/invoices/{id}/mark-paid',
        'GET /v1/billing-runs',
        'GET /v1/reports/revenue',
        'GET /v1/reports/ingestion',
        'GET /v1/reports/upcoming',
      ]),
    );
    const document = apiDocument();
    const invoice = document.paths['/v1/invoices/{id}']?.get as {
      responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
    };
    expect(invoice.responses['200']?.content?.['application/json']?.schema).toEqual({
      $ref: '#/components/schemas/Invoice',
    });
    expect(document.components.schemas).toHaveProperty('Invoice.additionalProperties', false);
  });

  it('describe every JSON response but the OpenAPI document itself', () => {
    const undescribed = apiRoutes()
      .filter((r) => !r.response?.schema && (r.response?.mediaType ?? 'application/json') === 'application/json')
      .map((r) => `${r.method} ${r.path}`);
    expect(undescribed).toEqual(['GET /openapi.json']);
  });
});
