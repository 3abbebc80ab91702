import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { archivedEventOf, eventScanner } from '../adapters/dynamodb/event-stream.js';
import type { ArchivedEvent } from '../adapters/s3/event-archive.js';
import { backfillArchive } from '../app/archive-backfill.js';
import { type Env, loadConfig } from '../config.js';
import { createRuntime, once, type Platform, required } from './runtime.js';
import { type BackfillEvent, isBackfillEvent, parseBackfillEvent } from './wiring/archive-backfill.js';

/** The resources CDK binds to this function (variables that name them). */
export const bindings = ['BILLING_ARCHIVE_BUCKET', 'BILLING_EVENTS_TABLE_NAME'] as const;

/** How long one backfill invocation scans before it answers with a cursor: the API waits for it (29 s). */
export const BACKFILL_BUDGET_MS = 20_000;

/**
 * Copies each raw event the table's stream reports inserted into the event archive (S3): gzip JSON
 * lines, one object per customer and UTC day of the batch. A failure fails the whole batch, which the
 * event source mapping hands over again (split in halves on repeated errors): writing an object twice
 * is harmless, as objects are named by their content and readers keep each event once.
 *
 * Invoked with `{ backfill }` (by the API, `POST /v1/event-archive/backfill`), it copies raw events
 * from the events table instead, a bounded part of it per call (functions/app/archive-backfill.ts).
 */
export function createHandler(env?: Env, platform?: Platform) {
  const runtime = createRuntime(loadConfig(env), platform);
  const logger = runtime.logger('billing-archive');
  const archive = once(() => {
    required(runtime.config.archiveBucket, 'BILLING_ARCHIVE_BUCKET', 'the event archiver');
    return runtime.archive()!;
  });
  return middy(async (event: DynamoDBStreamEvent | BackfillEvent) => {
    if (isBackfillEvent(event)) {
      const request = parseBackfillEvent(event);
      const result = await backfillArchive(
        {
          scanEvents: eventScanner(runtime.dynamo(), runtime.config.eventsTableName),
          archive: archive(),
          budgetMs: BACKFILL_BUDGET_MS,
        },
        request,
      );
      logger.info('archive backfill', { ...result, segment: request.segment, totalSegments: request.totalSegments });
      return result;
    }
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
