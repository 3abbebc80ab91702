import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../local/dynamodb-local.js';
import { type LocalStack, startLocalStack } from '../../local/stack.js';

/**
 * A stack on its own DynamoDB Local (not the run's shared one), which the test kills: every route
 * must then answer 503 storage_unavailable with Retry-After, and /health must say which dependency is down.
 */
describe('when DynamoDB goes away', () => {
  let dynamodb: DynamoDbLocal;
  let stack: LocalStack;
  let ingestKey: string;

  const call = async (method: string, path: string, body?: unknown, key: string = stack.adminKey) => {
    const response = await fetch(`${stack.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': path === '/v1/events' ? 'application/cloudevents-batch+json' : 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as any };
  };

  const event = (id: string) => ({
    specversion: '1.0',
    id,
    source: 'test/outage',
    type: 'api.request',
    subject: 'acme',
    data: {},
  });

  beforeAll(async () => {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
    dynamodb = await startDynamoDbLocal();
    stack = await startLocalStack({
      dynamodbEndpoint: dynamodb.endpoint,
      env: {
        BILLING_TABLE_NAME: `test-${randomUUID()}`,
        BILLING_API_KEY: `bk_test_${randomUUID()}`,
        BILLING_CHECK_RESPONSES: '1',
      },
      logLevel: 'SILENT',
      delivery: { sweepIntervalSeconds: 0, pollIntervalMs: 500 },
    });
    ingestKey = (await stack.deps.apiKeys.create('outage test', 'ingest')).secret;
    expect(
      (
        await call('POST', '/v1/meters', {
          key: 'requests',
          name: 'Requests',
          event_type: 'api.request',
          aggregation: 'count',
        })
      ).status,
    ).toBe(201);
    expect(
      (await call('POST', '/v1/customers', { id: 'acme', name: 'Acme', email: 'ap@acme.example', currency: 'EUR' }))
        .status,
    ).toBe(201);
  });

  afterAll(async () => {
    await stack?.stop();
    await dynamodb?.stop();
  });

  it('reports every dependency on /health while all are up', async () => {
    const response = await fetch(`${stack.url}/health`);
    const body = await response.json();
    expect(response.status).toBe(200);
    expect(body).toMatchObject({
      status: 'ok',
      dependencies: { dynamodb: { status: 'ok' }, sqs: { status: 'ok' } },
    });
    expect(typeof body.dependencies.dynamodb.latency_ms).toBe('number');
  });

  it('answers 503 storage_unavailable with Retry-After on reads, creates and events once DynamoDB is gone', async () => {
    await dynamodb.stop();

    for (const [method, path, body, key] of [
      ['GET', '/v1/meters', undefined, undefined],
      ['GET', '/v1/customers/acme', undefined, undefined],
      [
        'POST',
        '/v1/customers',
        { id: 'globex', name: 'Globex', email: 'ap@globex.example', currency: 'EUR' },
        undefined,
      ],
      ['POST', '/v1/events', [event('e-1')], undefined],
      // An ingest key is verified against the table: the refusal comes before the body is read.
      ['POST', '/v1/events', [event('e-2')], ingestKey],
    ] as const) {
      const response = await call(method, path, body, key);
      expect({ method, path, status: response.status, code: response.body.error?.code }).toEqual({
        method,
        path,
        status: 503,
        code: 'storage_unavailable',
      });
      expect(response.headers.get('retry-after')).toBe('1');
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.body.error.request_id).toEqual(expect.any(String));
    }
  });

  it('answers 503 on /health naming the dependency that is down', async () => {
    const response = await fetch(`${stack.url}/health`);
    const body = await response.json();
    expect(response.status).toBe(503);
    expect(body).toMatchObject({
      status: 'unavailable',
      dependencies: { dynamodb: { status: 'unavailable', error: 'unreachable' }, sqs: { status: 'ok' } },
    });
  });
});
