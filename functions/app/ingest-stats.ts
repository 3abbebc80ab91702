import type { DayOutcomes } from './ports/stats.js';
import type { EventOutcome } from './record-usage.js';

/** What the ingestion statistics need: a best-effort counter store (see adapters/dynamodb/stats.ts). */
export interface IngestStatsDeps {
  stats: {
    add(days: readonly DayOutcomes[]): Promise<void>;
    days(fromDay: string, toDay: string): Promise<DayOutcomes[]>;
  };
}

const utcDay = (at: Date) => at.toISOString().slice(0, 10);

/** One request's per-event outcomes, coalesced into counts for the UTC day it was received. */
export function summarizeOutcomes(results: readonly EventOutcome[], receivedAt: Date): DayOutcomes[] {
  const entry: DayOutcomes = { day: utcDay(receivedAt), accepted: 0, duplicate: 0, rejected: {} };
  for (const outcome of results) {
    if (outcome.status === 'accepted') entry.accepted++;
    else if (outcome.status === 'duplicate') entry.duplicate++;
    else entry.rejected[outcome.code] = (entry.rejected[outcome.code] ?? 0) + 1;
  }
  return results.length > 0 ? [entry] : [];
}

/**
 * Records a request's outcomes. Best effort: the usage is committed already, so a failure here is
 * reported to `onError` and swallowed; it never turns a successful ingest into an error.
 */
export async function recordIngestStats(
  deps: IngestStatsDeps,
  results: readonly EventOutcome[],
  receivedAt: Date,
  onError: (error: unknown) => void = () => undefined,
): Promise<void> {
  try {
    await deps.stats.add(summarizeOutcomes(results, receivedAt));
  } catch (error) {
    onError(error);
  }
}

export interface IngestionReport {
  from: string;
  to: string;
  days: Array<DayOutcomes & { rejected_total: number }>;
  totals: { accepted: number; duplicate: number; rejected: number; rejected_by_code: Record<string, number> };
}

/** Outcomes per UTC day for days in [from, to): every day of the range is listed, zero when nothing came. */
export async function ingestionReport(deps: IngestStatsDeps, from: Date, to: Date): Promise<IngestionReport> {
  const firstDay = utcDay(from);
  const lastDay = utcDay(new Date(to.getTime() - 1));
  const stored = new Map((await deps.stats.days(firstDay, lastDay)).map((entry) => [entry.day, entry]));
  const days: IngestionReport['days'] = [];
  const totals: IngestionReport['totals'] = { accepted: 0, duplicate: 0, rejected: 0, rejected_by_code: {} };
  for (let t = Date.parse(`${firstDay}T00:00:00Z`); t < to.getTime(); t += 86_400_000) {
    const day = utcDay(new Date(t));
    const entry = stored.get(day) ?? { day, accepted: 0, duplicate: 0, rejected: {} };
    const rejectedTotal = Object.values(entry.rejected).reduce((sum, count) => sum + count, 0);
    days.push({ ...entry, rejected_total: rejectedTotal });
    totals.accepted += entry.accepted;
    totals.duplicate += entry.duplicate;
    totals.rejected += rejectedTotal;
    for (const [code, count] of Object.entries(entry.rejected))
      totals.rejected_by_code[code] = (totals.rejected_by_code[code] ?? 0) + count;
  }
  return { from: from.toISOString(), to: to.toISOString(), days, totals };
}
