/**
 * What part of the events table a backfill reads: a segment of a parallel scan, from a cursor, and
 * optionally only one customer's events or those of a time range.
 */
export interface EventScanRequest {
  /** Where the previous call stopped (its `cursor`); absent: from the start of the segment. */
  cursor?: string;
  /** This segment of `totalSegments` (both absent: the whole table as one segment). */
  segment?: number;
  totalSegments?: number;
  /** Items one page reads at most (the scan's `Limit`). */
  pageSize?: number;
  customer?: string;
  /** Event time in [from, to). */
  from?: Date;
  to?: Date;
}

export interface ArchiveBackfillRequest extends EventScanRequest {
  /** Stop after this many pages (default: when the time budget is spent, or the segment is over). */
  maxPages?: number;
}

export interface ArchiveBackfillResult {
  /** Items of the events table read. */
  scanned: number;
  /** Raw events (cancelled ones included, as cancellation records) written to the archive. */
  archived: number;
  /** Archive objects written. */
  objects: number;
  /** Where to go on from; absent: the segment is read to its end. */
  cursor?: string;
}

/** `E`: a raw event as the events table holds it and the archive writes it. */
export interface ArchiveBackfillDeps<E> {
  /** One page of raw events from the events table, and the cursor after it. */
  scanEvents(request: EventScanRequest): Promise<{ events: E[]; scanned: number; cursor?: string }>;
  archive: { write(events: readonly E[]): Promise<string[]> };
  /** Milliseconds one call may spend before it answers with a cursor (it finishes the page in hand). */
  budgetMs: number;
  /** Elapsed-time source (ms); the billing clock of a test may stand still. @default Date.now */
  now?: () => number;
}

/**
 * Copies raw events from the events table to the event archive again: for events the archiver never
 * wrote (a stream batch that went to the archive's dead-letter queue, events stored before the archive
 * existed). Writing an event that is archived already is harmless: objects are named by their content
 * and readers keep each event once. Reads page after page until the segment is over, `maxPages` pages
 * are read or the time budget is spent, and answers where to go on from.
 */
export async function backfillArchive<E>(
  deps: ArchiveBackfillDeps<E>,
  request: ArchiveBackfillRequest,
): Promise<ArchiveBackfillResult> {
  const now = deps.now ?? Date.now;
  const started = now();
  const result: ArchiveBackfillResult = { scanned: 0, archived: 0, objects: 0 };
  const { maxPages, ...scan } = request;
  let cursor = request.cursor;
  let pages = 0;
  do {
    const page = await deps.scanEvents({ ...scan, ...(cursor === undefined ? {} : { cursor }) });
    if (page.events.length > 0) {
      const keys = await deps.archive.write(page.events);
      result.archived += page.events.length;
      result.objects += keys.length;
    }
    result.scanned += page.scanned;
    cursor = page.cursor;
    pages += 1;
  } while (
    cursor !== undefined &&
    (maxPages === undefined || pages < maxPages) &&
    now() - started < deps.budgetMs
  );
  return cursor === undefined ? result : { ...result, cursor };
}
