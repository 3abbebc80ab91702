import type { ArchiveBackfillRequest, ArchiveBackfillResult } from '../../app/archive-backfill.js';
import { ArchiveBackfillSchema } from '../../schemas/usage.js';

/**
 * The contract of the archiver function's backfill (functions/handlers/archive-events.ts): the API
 * invokes it with `{ backfill: <the request as the API accepted it> }`, and it answers what the call
 * did. The archiver may write the archive and scan the events table; the API may only read both.
 */
export interface BackfillEvent {
  backfill: Record<string, unknown>;
}

/** The request as JSON, in the API's own field names (the archiver checks it with the same schema). */
export function backfillEvent(request: ArchiveBackfillRequest): BackfillEvent {
  return {
    backfill: {
      ...(request.cursor === undefined ? {} : { cursor: request.cursor }),
      ...(request.segment === undefined ? {} : { segment: request.segment }),
      ...(request.totalSegments === undefined ? {} : { total_segments: request.totalSegments }),
      ...(request.customer === undefined ? {} : { customer: request.customer }),
      ...(request.from === undefined ? {} : { from: request.from.toISOString() }),
      ...(request.to === undefined ? {} : { to: request.to.toISOString() }),
      ...(request.pageSize === undefined ? {} : { page_size: request.pageSize }),
      ...(request.maxPages === undefined ? {} : { max_pages: request.maxPages }),
    },
  };
}

/** An invocation event is a backfill (and not a stream batch). */
export function isBackfillEvent(event: unknown): event is BackfillEvent {
  return typeof event === 'object' && event !== null && Object.hasOwn(event, 'backfill');
}

/** The request a backfill event carries, checked: a malformed one is a caller's bug, answered with an error. */
export function parseBackfillEvent(event: BackfillEvent): ArchiveBackfillRequest {
  const parsed = ArchiveBackfillSchema.safeParse(event.backfill);
  if (!parsed.success) throw new Error(`backfill: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  return backfillRequestOf(parsed.data);
}

/** The app's request from the API's body, as the schema parsed it. */
export function backfillRequestOf(body: ReturnType<typeof ArchiveBackfillSchema.parse>): ArchiveBackfillRequest {
  return {
    ...(body.cursor === undefined ? {} : { cursor: body.cursor }),
    ...(body.segment === undefined ? {} : { segment: body.segment }),
    ...(body.total_segments === undefined ? {} : { totalSegments: body.total_segments }),
    ...(body.customer === undefined ? {} : { customer: body.customer }),
    ...(body.from === undefined ? {} : { from: body.from }),
    ...(body.to === undefined ? {} : { to: body.to }),
    ...(body.page_size === undefined ? {} : { pageSize: body.page_size }),
    ...(body.max_pages === undefined ? {} : { maxPages: body.max_pages }),
  };
}

/** The backfill over an invocation of the archiver function (Lambda, or in process under `npm start`). */
export function invokedBackfill(invoke: (event: BackfillEvent) => Promise<unknown>) {
  return async (request: ArchiveBackfillRequest): Promise<ArchiveBackfillResult> => {
    const answer = (await invoke(backfillEvent(request))) as Partial<ArchiveBackfillResult> | undefined;
    const count = (value: unknown) => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
    if (!answer || !count(answer.scanned) || !count(answer.archived) || !count(answer.objects))
      throw new Error('the archiver function answered no backfill result');
    return {
      scanned: answer.scanned!,
      archived: answer.archived!,
      objects: answer.objects!,
      ...(typeof answer.cursor === 'string' ? { cursor: answer.cursor } : {}),
    };
  };
}
