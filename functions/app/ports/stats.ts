/** Port: one UTC day of ingestion outcomes (best-effort statistics, not billing data). */
export interface DayOutcomes {
  /** UTC day, yyyy-mm-dd. */
  day: string;
  accepted: number;
  duplicate: number;
  /** Rejections by code (invalid_event, unknown_customer, period_closed ...). */
  rejected: Record<string, number>;
}
