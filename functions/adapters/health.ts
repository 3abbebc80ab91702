import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DependencyHealth, HealthCheck, HealthReport } from '../app/health.js';
import { storageFailure } from './dynamodb/client.js';

/** A check that takes longer than this counts as down. */
const CHECK_TIMEOUT_MS = 2000;

export interface HealthCheckOptions {
  dynamo: DynamoDBClient;
  tableName: string;
  /** The delivery queue, when delivery is configured. */
  sqs?: { client: SQSClient; queueUrl: string };
  timeoutMs?: number;
}

/** A short reason for a failed check: what kind of failure, never an endpoint or a stack. */
function reason(error: unknown, timeoutMs: number): string {
  const cause = error instanceof Error && error.cause !== undefined ? error.cause : error;
  const failure = storageFailure(cause);
  if (failure) return failure;
  if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError'))
    return `no answer within ${timeoutMs} ms`;
  if (error instanceof Error && error.name === 'ResourceNotFoundException') return 'not found';
  return error instanceof Error ? error.name : 'failed';
}

async function probe(run: (signal: AbortSignal) => Promise<unknown>, timeoutMs: number): Promise<DependencyHealth> {
  const started = performance.now();
  try {
    await run(AbortSignal.timeout(timeoutMs));
    return { status: 'ok', latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { status: 'unavailable', error: reason(error, timeoutMs) };
  }
}

/**
 * Checks DynamoDB (DescribeTable on the table) and the delivery queue (GetQueueAttributes), each
 * bounded by a short timeout. Concurrent callers share one check, so a flood of `/health` costs
 * one call per dependency at a time.
 */
export function createHealthCheck(options: HealthCheckOptions): HealthCheck {
  const timeoutMs = options.timeoutMs ?? CHECK_TIMEOUT_MS;
  let running: Promise<HealthReport> | undefined;
  const run = async (): Promise<HealthReport> => {
    const checks: Array<Promise<[string, DependencyHealth]>> = [
      probe(
        (abortSignal) =>
          options.dynamo.send(new DescribeTableCommand({ TableName: options.tableName }), { abortSignal }),
        timeoutMs,
      ).then((result) => ['dynamodb', result]),
    ];
    const sqs = options.sqs;
    if (sqs) {
      checks.push(
        probe(
          (abortSignal) =>
            sqs.client.send(new GetQueueAttributesCommand({ QueueUrl: sqs.queueUrl, AttributeNames: ['QueueArn'] }), {
              abortSignal,
            }),
          timeoutMs,
        ).then((result) => ['sqs', result]),
      );
    }
    const dependencies = Object.fromEntries(await Promise.all(checks));
    const down = Object.values(dependencies).some((dependency) => dependency.status !== 'ok');
    return { status: down ? 'unavailable' : 'ok', dependencies };
  };
  return {
    check: () => {
      running ??= run().finally(() => {
        running = undefined;
      });
      return running;
    },
  };
}
