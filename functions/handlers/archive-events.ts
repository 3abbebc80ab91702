import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { archivedEventOf } from '../adapters/dynamodb/event-stream.js';
import type { ArchivedEvent } from '../adapters/s3/event-archive.js';
import { type Env, loadConfig } from '../config.js';
import { createRuntime, once, type Platform, required } from './runtime.js';

/** The resources CDK binds to this function (variables that name them). */
export const bindings = ['BILLING_ARCHIVE_BUCKET'] as const;

/**
 * Copies each raw event the table's stream reports inserted into the event archive (S3): gzip JSON
 * lines, one object per customer and UTC day of the batch. A failure fails the whole batch, which the
 * event source mapping hands over again (split in halves on repeated errors): writing an object twice
 * is harmless, as objects are named by their content and readers keep each event once.
 */
export function createHandler(env?: Env, platform?: Platform) {
  const runtime = createRuntime(loadConfig(env), platform);
  const logger = runtime.logger('billing-archive');
  const archive = once(() => {
    required(runtime.config.archiveBucket, 'BILLING_ARCHIVE_BUCKET', 'the event archiver');
    return runtime.archive()!;
  });
  return middy(async (event: DynamoDBStreamEvent) => {
    const events: ArchivedEvent[] = [];
    for (const record of event.Records ?? []) {
      const archived = archivedEventOf(record);
      if (archived) events.push(archived);
    }
    const keys = events.length > 0 ? await archive().write(events) : [];
    logger.info('events archived', {
      records: event.Records?.length ?? 0,
      events: events.length,
      objects: keys.length,
    });
    return { events: events.length, objects: keys.length };
  }).use(injectLambdaContext(logger));
}

/** Lambda entry: the table stream's event source mapping (inserts of raw events only). */
export const handler = createHandler();
