import { describe, expect, it } from 'vitest';
import { backfillArchive, type EventScanRequest } from '../../functions/app/archive-backfill.js';

/** The backfill's loop: when it stops and what it answers (the table and the archive: test/integration/archive-backfill.test.ts). */
describe('backfillArchive', () => {
  /** A table of `pages` pages of two events each; every scan takes `msPerPage` of a manual clock. */
  function fixture(pages: number, msPerPage = 0) {
    let elapsed = 0;
    const scans: EventScanRequest[] = [];
    const written: string[][] = [];
    return {
      scans,
      written,
      deps: {
        scanEvents: async (request: EventScanRequest) => {
          scans.push(request);
          elapsed += msPerPage;
          const page = request.cursor === undefined ? 0 : Number(request.cursor);
          const next = page + 1 < pages ? String(page + 1) : undefined;
          return { events: [`e${page}a`, `e${page}b`], scanned: 3, ...(next ? { cursor: next } : {}) };
        },
        archive: {
          write: async (events: readonly string[]) => {
            written.push([...events]);
            return ['one-object'];
          },
        },
        budgetMs: 1000,
        now: () => elapsed,
      },
    };
  }

  it('reads to the end of its segment when the budget allows, and answers no cursor', async () => {
    const { deps, written } = fixture(4);
    expect(await backfillArchive(deps, {})).toEqual({ scanned: 12, archived: 8, objects: 4 });
    expect(written.flat()).toEqual(['e0a', 'e0b', 'e1a', 'e1b', 'e2a', 'e2b', 'e3a', 'e3b']);
  });

  it('stops once the time budget is spent, after the page in hand, and answers where to go on', async () => {
    const { deps, scans } = fixture(10, 400);
    const first = await backfillArchive(deps, { customer: 'anna', segment: 1, totalSegments: 2 });
    expect(first).toEqual({ scanned: 9, archived: 6, objects: 3, cursor: '3' });
    // The filter and the segment go with every page; the cursor moves on.
    expect(scans.map((s) => [s.customer, s.segment, s.totalSegments, s.cursor])).toEqual([
      ['anna', 1, 2, undefined],
      ['anna', 1, 2, '1'],
      ['anna', 1, 2, '2'],
    ]);
  });

  it('stops after max_pages, and goes on from a cursor', async () => {
    const { deps, scans } = fixture(10);
    expect(await backfillArchive(deps, { cursor: '7', maxPages: 2 })).toEqual({
      scanned: 6,
      archived: 4,
      objects: 2,
      cursor: '9',
    });
    expect(scans.map((s) => s.cursor)).toEqual(['7', '8']);
    expect(scans.every((s) => !('maxPages' in s))).toBe(true);
  });

  it('writes nothing for a page without events', async () => {
    const written: unknown[] = [];
    const result = await backfillArchive(
      {
        scanEvents: async () => ({ events: [], scanned: 5 }),
        archive: {
          write: async (events: readonly unknown[]) => {
            written.push(events);
            return [];
          },
        },
        budgetMs: 1000,
      },
      {},
    );
    expect(result).toEqual({ scanned: 5, archived: 0, objects: 0 });
    expect(written).toEqual([]);
  });
});
