import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import type { RecordUsageDeps } from '../../functions/app/record-usage.js';
import {
  type LocalDeliveryOptions,
  type LocalStack,
  type LocalStackOptions,
  startLocalStack,
} from '../../local/stack.js';

export interface TestClock {
  now: Date;
  (): Date;
  set(iso: string): void;
  advance(ms: number): void;
}

export function testClock(start: string): TestClock {
  const clock = (() => clock.now) as TestClock;
  clock.now = new Date(start);
  clock.set = (iso) => {
    clock.now = new Date(iso);
  };
  clock.advance = (ms) => {
    clock.now = new Date(clock.now.getTime() + ms);
  };
  return clock;
}

export interface ApiResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface TestStack extends LocalStack {
  call<T = any>(
    method: string,
    path: string,
    body?: unknown,
    options?: { key?: string | null; contentType?: string; raw?: string; headers?: Record<string, string> },
  ): Promise<ApiResult<T>>;
}

/**
 * The local stack over real HTTP, on the run's shared DynamoDB Local, with a fresh table. Invoice
 * delivery (local SQS + SES, poller, sweep) only when asked for: `stack.delivery` then holds the
 * servers (`stack.delivery.ses.url` is the SES endpoint and inbox).
 */
export async function startTestStack(
  options: {
    clock?: () => Date;
    env?: Record<string, string>;
    delivery?: LocalDeliveryOptions;
    estimatesIntervalSeconds?: number;
    /**
     * The event archive (s3rver, the table's stream and its poller): for tests that reconcile, rate
     * percentage prices or check the wiring. Off by default: DynamoDB Local then writes no stream records.
     */
    archive?: boolean;
    /** Crash injection of the close (passed to the close function). */
    crashAfter?: LocalStackOptions['crashAfter'];
    /** The payment retry of dunning (passed to the functions' platform). */
    dunningPayments?: LocalStackOptions['dunningPayments'];
  } = {},
): Promise<TestStack> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  const stack = await startLocalStack({
    dynamodbEndpoint: inject('dynamodbEndpoint'),
    env: {
      BILLING_TABLE_NAME: `test-${randomUUID()}`,
      BILLING_API_KEY: `bk_test_${randomUUID()}`,
      // Every JSON response is checked against its route's response schema (500 when it does not conform).
      BILLING_CHECK_RESPONSES: '1',
      ...options.env,
    },
    clock: options.clock,
    logLevel: 'SILENT',
    delivery: options.delivery ?? false,
    archive: options.archive ? {} : false,
    ...(options.estimatesIntervalSeconds ? { estimatesIntervalSeconds: options.estimatesIntervalSeconds } : {}),
    ...(options.crashAfter ? { crashAfter: options.crashAfter } : {}),
    ...(options.dunningPayments ? { dunningPayments: options.dunningPayments } : {}),
  });
  const call: TestStack['call'] = async (method, path, body, callOptions = {}) => {
    const key = callOptions.key === undefined ? stack.adminKey : callOptions.key;
    const headers: Record<string, string> = {
      'content-type': callOptions.contentType ?? 'application/json',
      ...callOptions.headers,
    };
    if (key !== null) headers.authorization = `Bearer ${key}`;
    const response = await fetch(`${stack.url}${path}`, {
      method,
      headers,
      body: callOptions.raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed as any, headers: response.headers };
  };
  return Object.assign(stack, { call });
}

/** A seller in Germany, as the close and the tax rules read it (`env` of startTestStack). */
export const SELLER_ENV = {
  BILLING_SELLER_NAME: 'Meterly GmbH',
  BILLING_SELLER_COUNTRY: 'DE',
  BILLING_SELLER_TAX_ID: 'DE123456789',
  BILLING_SELLER_ADDRESS: 'Torstr. 1',
  BILLING_SELLER_CITY: 'Berlin',
};

/**
 * recordUsage's dependencies on a test stack, for ingesting without HTTP: the stack's own stores, the
 * default acceptance window, and `states` to stand in for the customers' state reads (a race is set
 * up there: what a request read before another write landed).
 */
export function directIngest(
  stack: TestStack,
  clock: TestClock,
  states: RecordUsageDeps['customers']['states'],
): RecordUsageDeps {
  return {
    meters: stack.deps.meters,
    usage: stack.deps.usage,
    clock,
    acceptanceWindowDays: 35,
    futureToleranceMinutes: 5,
    customers: { states },
  };
}
